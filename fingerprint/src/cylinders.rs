//! Minutia Cylinder-Code (MCC): Cappelli, Ferrara & Maltoni, "Minutia Cylinder-Code: a new
//! representation and matching technique for fingerprint recognition", IEEE TPAMI 32(12), 2010.
//!
//! Each minutia gets a *cylinder*: a 16 × 16 grid of cells over a disc of radius 70 px, turned with
//! the minutia's direction, with 6 layers of direction. A cell holds how strongly the neighbouring
//! minutiae near it point, relative to the minutia, in that layer's direction. Two cylinders are
//! compared cell by cell; the print's score comes from the best-agreeing pairs of minutiae, kept only
//! where their positions and directions agree with each other too ("local similarity sort with
//! relaxation", LSS-R). The parameters are the paper's.
//!
//! Why MCC rather than BOZORTH3: the same accuracy on simulator identities and a fixed cost (a few
//! ms) however many minutiae agree, where BOZORTH3's cluster search took 50 ms and more on strong
//! genuine pairs (see mod.rs for both, measured in the same run).

use super::template::Template;
use std::f32::consts::PI;
use zeroize::Zeroize;

/// Minutiae MINDTCT rates below this reliability (0..100) are left out of comparisons: mostly
/// spurious ones in noisy or low-contrast blocks.
pub const MIN_MINUTIA_QUALITY: u8 = 20;

/// Radius of a cylinder, pixels (500 ppi).
const RADIUS: f32 = 70.0;
/// Cells along each side of the grid.
const SIDE: usize = 16;
/// Direction layers.
const LAYERS: usize = 6;
/// Cells in a cylinder.
const CELLS: usize = SIDE * SIDE * LAYERS;
/// Spread of a neighbour's contribution in space (pixels) and in direction (radians).
const SIGMA_SPACE: f32 = 28.0 / 3.0;
const SIGMA_DIRECTION: f32 = 2.0 * PI / 9.0;
/// The sigmoid that turns a cell's sum of contributions into 0..1.
const MU_PSI: f32 = 0.01;
const TAU_PSI: f32 = 400.0;
/// How far outside the minutiae's convex hull a cell still counts as on the print, pixels.
const HULL_MARGIN: f32 = 50.0;
/// Least share of a cylinder's cells on the print, and least number of neighbours, for the
/// cylinder to be kept.
const MIN_VALID_CELLS: f32 = 0.75;
const MIN_NEIGHBOURS: usize = 2;
/// Least share of cells valid in both cylinders for them to be compared.
const MIN_MATCHABLE_CELLS: f32 = 0.6;
/// Largest difference of direction between two minutiae compared.
const MAX_TURN: f32 = PI / 2.0;
/// Pairs whose similarities make the score: 4 for prints with few minutiae, up to 12.
const MIN_PAIRS: usize = 4;
const MAX_PAIRS: usize = 12;
/// Relaxation: rounds and the weight a pair keeps of its own similarity.
const RELAXATION_ROUNDS: usize = 5;
const RELAXATION_WEIGHT: f32 = 0.5;

/// A minutia as the cylinders see it: y upwards, direction in radians counter-clockwise.
#[derive(Clone, Copy, Debug)]
struct Point {
    x: f32,
    y: f32,
    direction: f32,
}

/// One minutia's cylinder. It is derived from the minutiae, so it is wiped when dropped, as the
/// template is.
struct Cylinder {
    centre: Point,
    /// Cell values 0..1, and 1.0 where the cell is on the print, 0.0 where not.
    values: Vec<f32>,
    valid: Vec<f32>,
}

impl Drop for Cylinder {
    fn drop(&mut self) {
        self.values.zeroize();
        self.valid.zeroize();
        self.centre.x.zeroize();
        self.centre.y.zeroize();
        self.centre.direction.zeroize();
    }
}

/// The cylinders of one print.
pub(super) struct Cylinders {
    cylinders: Vec<Cylinder>,
    /// The reliable minutiae they were built from (a minutia with too few neighbours gets none).
    minutiae: usize,
}

/// The angle `a` brought into −π..π.
fn wrap(a: f32) -> f32 {
    let a = a.rem_euclid(2.0 * PI);
    if a >= PI { a - 2.0 * PI } else { a }
}

/// The error function (Abramowitz & Stegun 7.1.26, error below 1.5e-7).
fn erf(x: f32) -> f32 {
    let t = 1.0 / (1.0 + 0.327_591_1 * f64::from(x.abs()));
    let poly = ((((1.061_405_429 * t - 1.453_152_027) * t + 1.421_413_741) * t - 0.284_496_736)
        * t
        + 0.254_829_592)
        * t;
    let y = 1.0 - poly * (-f64::from(x) * f64::from(x)).exp();
    (y as f32).copysign(x)
}

/// The sigmoid of the paper: 1 / (1 + e^(−τ(v − μ))).
fn sigmoid(v: f32, mu: f32, tau: f32) -> f32 {
    1.0 / (1.0 + (-tau * (v - mu)).exp())
}

impl Cylinders {
    /// The cylinders of a template's reliable minutiae (those a comparison uses).
    pub(super) fn of(template: &Template) -> Self {
        let height = f32::from(template.height);
        let points: Vec<Point> = template
            .minutiae
            .iter()
            .filter(|m| m.quality >= MIN_MINUTIA_QUALITY)
            .map(|m| Point {
                x: f32::from(m.x),
                y: height - f32::from(m.y),
                direction: f32::from(m.angle) * 2.0 * PI / 256.0,
            })
            .collect();
        let hull = Hull::of(&points);
        let cylinders = (0..points.len())
            .filter_map(|i| Cylinder::build(&points, i, &hull))
            .collect();
        Self {
            cylinders,
            minutiae: points.len(),
        }
    }

    /// The number of reliable minutiae the cylinders were built from.
    pub(super) fn minutiae(&self) -> usize {
        self.minutiae
    }

    /// The number of cylinders kept.
    #[cfg(test)]
    fn len(&self) -> usize {
        self.cylinders.len()
    }

    /// The similarity of two prints, 0..1 (LSS-R).
    pub(super) fn similarity(&self, other: &Self) -> f32 {
        let (na, nb) = (self.cylinders.len(), other.cylinders.len());
        if na == 0 || nb == 0 {
            return 0.0;
        }
        let mut pairs: Vec<(f32, usize, usize)> = Vec::with_capacity(na * nb);
        for (i, a) in self.cylinders.iter().enumerate() {
            for (j, b) in other.cylinders.iter().enumerate() {
                let s = a.similarity(b);
                if s > 0.0 {
                    pairs.push((s, i, j));
                }
            }
        }
        if pairs.is_empty() {
            return 0.0;
        }
        pairs.sort_by(|x, y| y.0.total_cmp(&x.0));
        let fewest = na.min(nb);
        let scored = MIN_PAIRS
            + (sigmoid(fewest as f32, 20.0, 0.4) * (MAX_PAIRS - MIN_PAIRS) as f32).round() as usize;
        pairs.truncate(fewest);
        let relaxed = self.relax(other, &pairs);
        // The pairs whose similarity held up best under relaxation.
        let mut by_efficiency: Vec<(f32, f32)> = pairs
            .iter()
            .zip(&relaxed)
            .map(|(pair, after)| (after / pair.0, *after))
            .collect();
        by_efficiency.sort_by(|x, y| y.0.total_cmp(&x.0));
        let taken = scored.min(by_efficiency.len());
        by_efficiency[..taken].iter().map(|(_, s)| s).sum::<f32>() / taken as f32
    }

    /// Relaxation: each pair's similarity, raised by the pairs that agree with it in distance and
    /// directions and lowered by those that do not.
    fn relax(&self, other: &Self, pairs: &[(f32, usize, usize)]) -> Vec<f32> {
        let n = pairs.len();
        let at =
            |p: &(f32, usize, usize)| (self.cylinders[p.1].centre, other.cylinders[p.2].centre);
        let mut agreement = vec![0.0f32; n * n];
        for t in 0..n {
            let (at_a, at_b) = at(&pairs[t]);
            for k in 0..n {
                if k != t {
                    let (k_a, k_b) = at(&pairs[k]);
                    agreement[t * n + k] = consistency(at_a, k_a, at_b, k_b);
                }
            }
        }
        let mut lambda: Vec<f32> = pairs.iter().map(|p| p.0).collect();
        let others = (n.max(2) - 1) as f32;
        for _ in 0..RELAXATION_ROUNDS {
            let previous = lambda.clone();
            for t in 0..n {
                let support: f32 = (0..n).map(|k| agreement[t * n + k] * previous[k]).sum();
                lambda[t] =
                    RELAXATION_WEIGHT * previous[t] + (1.0 - RELAXATION_WEIGHT) * support / others;
            }
        }
        lambda
    }
}

/// How well two minutiae of one print (`a1`, `a2`) agree with their partners in the other (`b1`,
/// `b2`): distance, difference of direction, and direction of the line between them.
fn consistency(a1: Point, a2: Point, b1: Point, b2: Point) -> f32 {
    let distance = |p: Point, q: Point| (p.x - q.x).hypot(p.y - q.y);
    let bearing = |p: Point, q: Point| wrap(p.direction - (q.y - p.y).atan2(q.x - p.x));
    let d1 = (distance(a1, a2) - distance(b1, b2)).abs();
    let d2 = wrap(wrap(a1.direction - a2.direction) - wrap(b1.direction - b2.direction)).abs();
    let d3 = wrap(bearing(a1, a2) - bearing(b1, b2)).abs();
    sigmoid(d1, 5.0, -8.0 / 5.0) * sigmoid(d2, PI / 12.0, -30.0) * sigmoid(d3, PI / 12.0, -30.0)
}

impl Cylinder {
    /// The cylinder of `points[index]`, or `None` when too little of it lies on the print or it has
    /// too few neighbours to say anything.
    fn build(points: &[Point], index: usize, hull: &Hull) -> Option<Self> {
        let centre = points[index];
        let reach = 3.0 * SIGMA_SPACE;
        let neighbours: Vec<(Point, [f32; LAYERS])> = points
            .iter()
            .enumerate()
            .filter(|(i, p)| {
                *i != index && (p.x - centre.x).hypot(p.y - centre.y) <= RADIUS + reach
            })
            .map(|(_, p)| (*p, layer_weights(centre, *p)))
            .collect();
        if neighbours.len() < MIN_NEIGHBOURS {
            return None;
        }
        let step = 2.0 * RADIUS / SIDE as f32;
        let middle = (SIDE as f32 - 1.0) / 2.0;
        let (sin, cos) = centre.direction.sin_cos();
        let spatial = 1.0 / (SIGMA_SPACE * (2.0 * PI).sqrt());
        let mut values = vec![0.0f32; CELLS];
        let mut valid = vec![0.0f32; CELLS];
        let (mut in_disc, mut on_print) = (0usize, 0usize);
        for i in 0..SIDE {
            for j in 0..SIDE {
                let u = (i as f32 - middle) * step;
                let v = (j as f32 - middle) * step;
                if u.hypot(v) > RADIUS {
                    continue;
                }
                in_disc += 1;
                let (x, y) = (centre.x + cos * u - sin * v, centre.y + sin * u + cos * v);
                if !hull.near(x, y) {
                    continue;
                }
                on_print += 1;
                let mut sums = [0.0f32; LAYERS];
                for (p, weights) in &neighbours {
                    let d2 = (p.x - x).powi(2) + (p.y - y).powi(2);
                    if d2 <= reach * reach {
                        let near = spatial * (-d2 / (2.0 * SIGMA_SPACE * SIGMA_SPACE)).exp();
                        for (sum, w) in sums.iter_mut().zip(weights) {
                            *sum += near * w;
                        }
                    }
                }
                let cell = (i * SIDE + j) * LAYERS;
                for (k, sum) in sums.iter().enumerate() {
                    values[cell + k] = sigmoid(*sum, MU_PSI, TAU_PSI);
                    valid[cell + k] = 1.0;
                }
            }
        }
        if (on_print as f32) < MIN_VALID_CELLS * in_disc as f32 {
            return None;
        }
        Some(Self {
            centre,
            values,
            valid,
        })
    }

    /// 0..1: 1 − ‖a − b‖ / (‖a‖ + ‖b‖) over the cells valid in both; 0 when the directions differ
    /// too much or too few cells are valid in both.
    fn similarity(&self, other: &Self) -> f32 {
        if wrap(self.centre.direction - other.centre.direction).abs() > MAX_TURN {
            return 0.0;
        }
        let mut lanes = [[0.0f32; 8]; 4];
        let cells = self
            .values
            .chunks_exact(8)
            .zip(other.values.chunks_exact(8))
            .zip(self.valid.chunks_exact(8).zip(other.valid.chunks_exact(8)));
        for ((a, b), (va, vb)) in cells {
            for l in 0..8 {
                let both = va[l] * vb[l];
                let (x, y) = (a[l] * both, b[l] * both);
                lanes[0][l] += x * x;
                lanes[1][l] += y * y;
                lanes[2][l] += (x - y) * (x - y);
                lanes[3][l] += both;
            }
        }
        let [aa, bb, diff, matchable] = lanes.map(|l| l.iter().sum::<f32>());
        if matchable < MIN_MATCHABLE_CELLS * CELLS as f32 {
            return 0.0;
        }
        let norms = aa.sqrt() + bb.sqrt();
        if norms <= 0.0 {
            return 0.0;
        }
        1.0 - diff.sqrt() / norms
    }
}

/// A neighbour's share in each direction layer: the Gaussian area of its direction, relative to the
/// centre's, over the layer's span.
fn layer_weights(centre: Point, neighbour: Point) -> [f32; LAYERS] {
    let span = 2.0 * PI / LAYERS as f32;
    let relative = wrap(centre.direction - neighbour.direction);
    let scale = SIGMA_DIRECTION * std::f32::consts::SQRT_2;
    std::array::from_fn(|k| {
        let layer = -PI + (k as f32 + 0.5) * span;
        let d = wrap(layer - relative);
        0.5 * (erf((d + span / 2.0) / scale) - erf((d - span / 2.0) / scale))
    })
}

/// The convex hull of the minutiae, counter-clockwise: where a print's cells count as on the print.
struct Hull {
    corners: Vec<(f32, f32)>,
}

impl Hull {
    fn of(points: &[Point]) -> Self {
        let mut p: Vec<(f32, f32)> = points.iter().map(|p| (p.x, p.y)).collect();
        p.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        p.dedup();
        if p.len() < 3 {
            return Self { corners: p };
        }
        let turn = |o: (f32, f32), a: (f32, f32), b: (f32, f32)| {
            (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
        };
        let chain = |points: &mut dyn Iterator<Item = (f32, f32)>| {
            let mut half: Vec<(f32, f32)> = Vec::new();
            for q in points {
                while half.len() >= 2 && turn(half[half.len() - 2], half[half.len() - 1], q) <= 0.0
                {
                    half.pop();
                }
                half.push(q);
            }
            half.pop();
            half
        };
        let mut corners = chain(&mut p.iter().copied());
        corners.extend(chain(&mut p.iter().rev().copied()));
        Self { corners }
    }

    /// Inside the hull or within `HULL_MARGIN` of it.
    fn near(&self, x: f32, y: f32) -> bool {
        let c = &self.corners;
        if c.is_empty() {
            return false;
        }
        let edges = || (0..c.len()).map(|i| (c[i], c[(i + 1) % c.len()]));
        if c.len() >= 3
            && edges().all(|(a, b)| (b.0 - a.0) * (y - a.1) - (b.1 - a.1) * (x - a.0) >= 0.0)
        {
            return true;
        }
        edges().any(|(a, b)| {
            let (dx, dy) = (b.0 - a.0, b.1 - a.1);
            let length2 = dx * dx + dy * dy;
            let t = if length2 > 0.0 {
                (((x - a.0) * dx + (y - a.1) * dy) / length2).clamp(0.0, 1.0)
            } else {
                0.0
            };
            (a.0 + t * dx - x).hypot(a.1 + t * dy - y) <= HULL_MARGIN
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Minutia, MinutiaKind, RESOLUTION_500_PPI};

    /// A template from (x, y, angle in 256ths) triples.
    fn template(points: &[(u16, u16, u8)]) -> Template {
        Template {
            width: 256,
            height: 288,
            resolution_ppcm: RESOLUTION_500_PPI,
            minutiae: points
                .iter()
                .map(|&(x, y, angle)| Minutia {
                    x,
                    y,
                    angle,
                    kind: MinutiaKind::RidgeEnding,
                    quality: 60,
                })
                .collect(),
        }
    }

    /// 30 minutiae scattered over the sensor, from a fixed pseudo-random sequence.
    fn scattered() -> Vec<(u16, u16, u8)> {
        let mut state = 12_345u32;
        let mut next = || {
            state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
            state >> 8
        };
        (0..30)
            .map(|_| {
                (
                    (40 + next() % 176) as u16,
                    (40 + next() % 208) as u16,
                    (next() % 256) as u8,
                )
            })
            .collect()
    }

    /// The same points turned by `degrees` about (128, 144) and moved by (dx, dy).
    fn turned(points: &[(u16, u16, u8)], degrees: f32, dx: f32, dy: f32) -> Vec<(u16, u16, u8)> {
        let (s, c) = degrees.to_radians().sin_cos();
        points
            .iter()
            .map(|&(x, y, a)| {
                // y down in the template: a counter-clockwise turn on screen is clockwise in (x, y).
                let (u, v) = (f32::from(x) - 128.0, 144.0 - f32::from(y));
                let (u2, v2) = (c * u - s * v, s * u + c * v);
                let angle = (f32::from(a) + degrees * 256.0 / 360.0).rem_euclid(256.0);
                (
                    (128.0 + u2 + dx).round() as u16,
                    (144.0 - v2 + dy).round() as u16,
                    angle.round() as u8,
                )
            })
            .collect()
    }

    #[test]
    fn a_print_against_itself_scores_nearly_one() {
        let t = Cylinders::of(&template(&scattered()));
        assert!(t.len() > 20, "{} cylinders", t.len());
        let itself = t.similarity(&t);
        assert!(itself > 0.99 && itself <= 1.0, "{itself}");
    }

    #[test]
    fn turning_and_moving_the_print_keeps_a_high_score() {
        let points = scattered();
        let a = Cylinders::of(&template(&points));
        let b = Cylinders::of(&template(&turned(&points, 20.0, 6.0, -9.0)));
        let unrelated = Cylinders::of(&template(&turned(&points[..0], 0.0, 0.0, 0.0)));
        assert!(a.similarity(&b) > 0.8, "{}", a.similarity(&b));
        assert_eq!(a.similarity(&unrelated), 0.0);
    }

    #[test]
    fn turning_the_other_way_round_is_not_the_same_print() {
        // Mirror image: same distances, directions mirrored; a handed matcher tells them apart.
        let points = scattered();
        let mirrored: Vec<_> = points
            .iter()
            .map(|&(x, y, a)| (255 - x, y, (128u16 + 256 - u16::from(a)) as u8))
            .collect();
        let a = Cylinders::of(&template(&points));
        let b = Cylinders::of(&template(&mirrored));
        assert!(a.similarity(&b) < 0.3, "{}", a.similarity(&b));
    }

    #[test]
    fn erf_matches_known_values() {
        for (x, want) in [
            (0.0, 0.0),
            (0.5, 0.520_499_9),
            (1.0, 0.842_700_8),
            (-2.0, -0.995_322_3),
        ] {
            assert!((erf(x) - want).abs() < 1e-5, "erf({x})");
        }
    }
}
