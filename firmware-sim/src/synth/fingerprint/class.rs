//! The pattern class of a finger and where its cores and deltas lie.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

/// The Henry pattern class of a finger, as a fingerprint examiner names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatternClass {
    /// Plain arch: ridges enter on one side and leave on the other, rising in the middle; no core, no delta.
    Arch,
    /// Tented arch: an arch with a sharp rise, one core directly above one delta.
    TentedArch,
    /// Left loop: ridges enter and leave on the left; the delta lies to the right of the core.
    LeftLoop,
    /// Right loop: ridges enter and leave on the right; the delta lies to the left of the core.
    RightLoop,
    /// Whorl: circular ridges around two close cores, with two deltas below on either side.
    Whorl,
}

impl PatternClass {
    /// Every class with its share of fingers in the population, in per mille
    /// (`docs/reference/fingerprint-science.md`, "Natural class mix": 3.7 %, 2.9 %, 33.8 %, 31.7 %,
    /// 27.9 %).
    pub const NATURAL_MIX: [(PatternClass, u32); 5] = [
        (PatternClass::Arch, 37),
        (PatternClass::TentedArch, 29),
        (PatternClass::LeftLoop, 338),
        (PatternClass::RightLoop, 317),
        (PatternClass::Whorl, 279),
    ];

    /// Draws a class with the natural mix.
    pub(crate) fn draw(rng: &mut ChaCha8Rng) -> Self {
        let total: u32 = Self::NATURAL_MIX.iter().map(|(_, share)| share).sum();
        let mut pick = rng.random_range(0..total);
        for (class, share) in Self::NATURAL_MIX {
            if pick < share {
                return class;
            }
            pick -= share;
        }
        PatternClass::Whorl
    }

    /// A short lower-case name (`left-loop`), as in logs and file names.
    pub fn name(self) -> &'static str {
        match self {
            PatternClass::Arch => "arch",
            PatternClass::TentedArch => "tented-arch",
            PatternClass::LeftLoop => "left-loop",
            PatternClass::RightLoop => "right-loop",
            PatternClass::Whorl => "whorl",
        }
    }
}

/// Whether a singular point is a core (ridges turn round it) or a delta (ridges meet from three sides).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SingularityKind {
    /// A core: the innermost turn of a loop or whorl.
    Core,
    /// A delta: the triangle where three ridge flows meet.
    Delta,
}

/// A core or delta, in master-print pixel coordinates (x right, y down).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Singularity {
    /// Horizontal position, pixels.
    pub x: f32,
    /// Vertical position, pixels (down).
    pub y: f32,
    /// Core or delta.
    pub kind: SingularityKind,
}

/// Places the cores and deltas of a finger of `class` whose print centre is (`cx`, `cy`).
/// Distances at 500 ppi: a core–delta distance of 8–16 ridges (≈ 70–150 px).
pub(crate) fn place_singularities(
    class: PatternClass,
    cx: f32,
    cy: f32,
    rng: &mut ChaCha8Rng,
) -> Vec<Singularity> {
    let core = |x: f32, y: f32| Singularity {
        x,
        y,
        kind: SingularityKind::Core,
    };
    let delta = |x: f32, y: f32| Singularity {
        x,
        y,
        kind: SingularityKind::Delta,
    };
    let jitter = |rng: &mut ChaCha8Rng, spread: f32| rng.random_range(-spread..=spread);
    match class {
        PatternClass::Arch => Vec::new(),
        PatternClass::TentedArch => {
            let (x, y) = (cx + jitter(rng, 25.0), cy - 10.0 + jitter(rng, 25.0));
            let gap = rng.random_range(55.0..=85.0);
            vec![core(x, y), delta(x + jitter(rng, 8.0), y + gap)]
        }
        PatternClass::LeftLoop | PatternClass::RightLoop => {
            // The delta lies on the side the loop does not open to.
            let side = if class == PatternClass::LeftLoop {
                1.0
            } else {
                -1.0
            };
            let x = cx - side * rng.random_range(0.0..=35.0);
            let y = cy - 20.0 + jitter(rng, 25.0);
            let dx = side * rng.random_range(70.0..=130.0);
            let dy = rng.random_range(80.0..=130.0);
            vec![core(x, y), delta(x + dx, y + dy)]
        }
        PatternClass::Whorl => {
            let (x, y) = (cx + jitter(rng, 20.0), cy - 15.0 + jitter(rng, 20.0));
            // Two cores a few ridges apart, tilted at random: a plain whorl or a spiral.
            let half_gap = rng.random_range(8.0..=22.0);
            let tilt: f32 = rng.random_range(-1.2..=1.2);
            let (ux, uy) = (tilt.sin() * half_gap, tilt.cos() * half_gap);
            let left_delta = (
                x - rng.random_range(100.0..=150.0),
                y + rng.random_range(80.0..=130.0),
            );
            let right_delta = (
                x + rng.random_range(100.0..=150.0),
                y + rng.random_range(80.0..=130.0),
            );
            vec![
                core(x - ux, y - uy),
                core(x + ux, y + uy),
                delta(left_delta.0, left_delta.1),
                delta(right_delta.0, right_delta.1),
            ]
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn natural_mix_sums_to_one_thousand() {
        let total: u32 = PatternClass::NATURAL_MIX.iter().map(|(_, s)| s).sum();
        assert_eq!(total, 1000);
    }

    #[test]
    fn classes_are_drawn_in_the_natural_mix() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let mut counts = [0u32; 5];
        let draws = 20_000;
        for _ in 0..draws {
            let class = PatternClass::draw(&mut rng);
            let index = PatternClass::NATURAL_MIX
                .iter()
                .position(|(c, _)| *c == class)
                .unwrap_or(0);
            counts[index] += 1;
        }
        for ((class, share), count) in PatternClass::NATURAL_MIX.iter().zip(counts) {
            let expected = f64::from(*share) / 1000.0;
            let seen = f64::from(count) / f64::from(draws);
            assert!(
                (seen - expected).abs() < 0.012,
                "{class:?}: {seen:.3} drawn, {expected:.3} expected"
            );
        }
    }

    #[test]
    fn singularity_counts_follow_the_class() {
        let mut rng = ChaCha8Rng::seed_from_u64(3);
        let count = |class, rng: &mut ChaCha8Rng| {
            let points = place_singularities(class, 240.0, 300.0, rng);
            let cores = points
                .iter()
                .filter(|p| p.kind == SingularityKind::Core)
                .count();
            (cores, points.len() - cores)
        };
        assert_eq!(count(PatternClass::Arch, &mut rng), (0, 0));
        assert_eq!(count(PatternClass::TentedArch, &mut rng), (1, 1));
        assert_eq!(count(PatternClass::LeftLoop, &mut rng), (1, 1));
        assert_eq!(count(PatternClass::RightLoop, &mut rng), (1, 1));
        assert_eq!(count(PatternClass::Whorl, &mut rng), (2, 2));
    }
}
