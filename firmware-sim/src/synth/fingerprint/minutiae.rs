//! Minutiae: where a ridge ends or splits. The master print's minutiae are found once, after growth,
//! by thinning its ridges to one-pixel lines and reading the crossing number at each line pixel,
//! and kept as the finger's ground truth.

use std::f32::consts::TAU;

/// Ridge ending or bifurcation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MinutiaKind {
    /// A ridge stops.
    Ending,
    /// A ridge splits in two.
    Bifurcation,
}

/// One minutia of a finger, in master-print pixel coordinates (x right, y down, 500 ppi).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Minutia {
    /// Horizontal position, pixels.
    pub x: f32,
    /// Vertical position, pixels (down).
    pub y: f32,
    /// Direction, radians in [0, 2π), from the +x axis towards +y: for an ending, from the ridge
    /// towards its free end; for a bifurcation, from the single ridge into the fork.
    pub angle: f32,
    /// Ending or bifurcation.
    pub kind: MinutiaKind,
}

/// Two minutiae closer than this (pixels) are the two ends of a spur, a bridge or a dot left by the
/// growth, not features a finger has: both are dropped.
const MIN_SEPARATION: f32 = 8.0;
/// Pixels followed along a ridge line to find a minutia's direction.
const TRACE_STEPS: usize = 9;

/// The eight neighbours in circular order (dx, dy).
const RING: [(i32, i32); 8] = [
    (1, 0),
    (1, 1),
    (0, 1),
    (-1, 1),
    (-1, 0),
    (-1, -1),
    (0, -1),
    (1, -1),
];

/// Finds the minutiae of a ridge pattern (`ridge[i]` true on ridges, row-major `width` × `height`),
/// keeping those where `keep(x, y)` holds (away from the finger's edge, where every ridge stops).
pub(crate) fn detect(
    ridge: &[bool],
    width: usize,
    height: usize,
    keep: impl Fn(f32, f32) -> bool,
) -> Vec<Minutia> {
    let skeleton = thin(ridge, width, height);
    let on = |x: i32, y: i32| -> bool {
        x >= 0
            && y >= 0
            && (x as usize) < width
            && (y as usize) < height
            && skeleton[y as usize * width + x as usize]
    };
    let mut found = Vec::new();
    for y in 1..height.saturating_sub(1) {
        for x in 1..width.saturating_sub(1) {
            if !skeleton[y * width + x] {
                continue;
            }
            let (xi, yi) = (x as i32, y as i32);
            let crossings = (0..8)
                .filter(|&k| {
                    let (ax, ay) = RING[k];
                    let (bx, by) = RING[(k + 1) % 8];
                    !on(xi + ax, yi + ay) && on(xi + bx, yi + by)
                })
                .count();
            let kind = match crossings {
                1 => MinutiaKind::Ending,
                3 => MinutiaKind::Bifurcation,
                _ => continue,
            };
            if !keep(x as f32, y as f32) {
                continue;
            }
            let angle = direction(&on, xi, yi, kind);
            found.push(Minutia {
                x: x as f32,
                y: y as f32,
                angle,
                kind,
            });
        }
    }
    // Drop both members of every pair that is too close.
    let mut crowded = vec![false; found.len()];
    for i in 0..found.len() {
        for j in i + 1..found.len() {
            let (a, b) = (&found[i], &found[j]);
            if (a.x - b.x).hypot(a.y - b.y) < MIN_SEPARATION {
                crowded[i] = true;
                crowded[j] = true;
            }
        }
    }
    found
        .into_iter()
        .zip(crowded)
        .filter_map(|(m, c)| (!c).then_some(m))
        .collect()
}

/// The direction of a minutia at (x, y) on the skeleton: follow each line leaving it a few pixels.
fn direction(on: &impl Fn(i32, i32) -> bool, x: i32, y: i32, kind: MinutiaKind) -> f32 {
    let branches: Vec<(f32, f32)> = RING
        .iter()
        .filter(|(dx, dy)| on(x + dx, y + dy))
        .map(|&(dx, dy)| {
            let end = trace(on, (x, y), (x + dx, y + dy));
            ((end.0 - x) as f32, (end.1 - y) as f32)
        })
        .collect();
    let angle_of = |(dx, dy): (f32, f32)| dy.atan2(dx);
    let pointing = match kind {
        // From the ridge towards the free end: opposite to the only branch.
        MinutiaKind::Ending => branches.first().map(|&(dx, dy)| angle_of((-dx, -dy))),
        // The stem is the branch farthest in angle from the other two; the fork lies opposite it.
        MinutiaKind::Bifurcation => {
            let unit: Vec<(f32, f32)> = branches
                .iter()
                .map(|&(dx, dy)| {
                    let n = dx.hypot(dy).max(1e-3);
                    (dx / n, dy / n)
                })
                .collect();
            unit.iter()
                .map(|a| {
                    let closeness: f32 = unit.iter().map(|b| a.0 * b.0 + a.1 * b.1).sum();
                    (closeness, *a)
                })
                .min_by(|p, q| p.0.total_cmp(&q.0))
                .map(|(_, (dx, dy))| angle_of((-dx, -dy)))
        }
    };
    pointing.unwrap_or(0.0).rem_euclid(TAU)
}

/// Follows a skeleton line from `from` through `start` for up to [`TRACE_STEPS`] pixels.
fn trace(on: &impl Fn(i32, i32) -> bool, from: (i32, i32), start: (i32, i32)) -> (i32, i32) {
    let (mut previous, mut current) = (from, start);
    for _ in 0..TRACE_STEPS {
        let next = RING
            .iter()
            .map(|(dx, dy)| (current.0 + dx, current.1 + dy))
            .find(|&(nx, ny)| {
                on(nx, ny)
                    && (nx, ny) != previous
                    && (nx, ny) != from
                    && (nx - previous.0).abs().max((ny - previous.1).abs()) > 1
            });
        match next {
            Some(n) => {
                previous = current;
                current = n;
            }
            None => break,
        }
    }
    current
}

/// Zhang–Suen thinning: peels ridge pixels until every ridge is a line one pixel wide.
pub(crate) fn thin(ridge: &[bool], width: usize, height: usize) -> Vec<bool> {
    let mut image = ridge.to_vec();
    if width < 3 || height < 3 {
        return image;
    }
    let mut removals = Vec::new();
    loop {
        let mut changed = false;
        for pass in 0..2 {
            removals.clear();
            for y in 1..height - 1 {
                for x in 1..width - 1 {
                    if !image[y * width + x] {
                        continue;
                    }
                    // P2..P9 clockwise from north.
                    let p = |dx: isize, dy: isize| {
                        image[(y as isize + dy) as usize * width + (x as isize + dx) as usize]
                    };
                    let n = [
                        p(0, -1),
                        p(1, -1),
                        p(1, 0),
                        p(1, 1),
                        p(0, 1),
                        p(-1, 1),
                        p(-1, 0),
                        p(-1, -1),
                    ];
                    let count = n.iter().filter(|&&b| b).count();
                    if !(2..=6).contains(&count) {
                        continue;
                    }
                    let transitions = (0..8).filter(|&k| !n[k] && n[(k + 1) % 8]).count();
                    if transitions != 1 {
                        continue;
                    }
                    let (p2, p4, p6, p8) = (n[0], n[2], n[4], n[6]);
                    let ok = if pass == 0 {
                        !(p4 && p6 && (p2 || p8))
                    } else {
                        !(p2 && p8 && (p4 || p6))
                    };
                    if ok {
                        removals.push(y * width + x);
                    }
                }
            }
            for &i in &removals {
                image[i] = false;
            }
            changed |= !removals.is_empty();
        }
        if !changed {
            break;
        }
    }
    image
}

#[cfg(test)]
mod tests {
    use super::*;

    type Segment = ((usize, usize), (usize, usize));

    fn draw(width: usize, height: usize, lines: &[Segment]) -> Vec<bool> {
        let mut image = vec![false; width * height];
        for &((x0, y0), (x1, y1)) in lines {
            let steps = x0.abs_diff(x1).max(y0.abs_diff(y1)).max(1);
            for s in 0..=steps {
                let t = s as f32 / steps as f32;
                let x = (x0 as f32 + t * (x1 as f32 - x0 as f32)).round() as usize;
                let y = (y0 as f32 + t * (y1 as f32 - y0 as f32)).round() as usize;
                for dy in 0..3 {
                    for dx in 0..3 {
                        image[(y + dy) * width + x + dx] = true;
                    }
                }
            }
        }
        image
    }

    #[test]
    fn a_lone_ridge_has_two_endings_pointing_outwards() {
        let ridge = draw(80, 40, &[((10, 18), (60, 18))]);
        let found = detect(&ridge, 80, 40, |_, _| true);
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(found.iter().all(|m| m.kind == MinutiaKind::Ending));
        let left = found.iter().min_by(|a, b| a.x.total_cmp(&b.x));
        let right = found.iter().max_by(|a, b| a.x.total_cmp(&b.x));
        let (Some(left), Some(right)) = (left, right) else {
            panic!("two endings expected");
        };
        // The left end points left (π), the right end points right (0).
        assert!((left.angle - std::f32::consts::PI).abs() < 0.4, "{left:?}");
        assert!(right.angle < 0.4 || right.angle > TAU - 0.4, "{right:?}");
    }

    #[test]
    fn a_fork_is_one_bifurcation() {
        let ridge = draw(
            100,
            60,
            &[
                ((5, 30), (50, 30)),
                ((50, 30), (90, 10)),
                ((50, 30), (90, 50)),
            ],
        );
        let found = detect(&ridge, 100, 60, |x, _| x > 20.0 && x < 80.0);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].kind, MinutiaKind::Bifurcation);
        // From the stem (left) into the fork (right).
        let a = found[0].angle;
        assert!(!(0.6..=TAU - 0.6).contains(&a), "{a}");
    }
}
