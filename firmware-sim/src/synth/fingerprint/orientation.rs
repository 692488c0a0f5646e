//! The orientation field: the local direction of the ridges, from the zero-pole model
//! θ(z) = θ∞ + ½ [Σ g_k(arg(z − core_k)) − Σ g_k(arg(z − delta_k))] with SFinGe's realism correction
//! g_k, a piecewise-linear warp of each singularity's angle (Vizcaya & Gerhardt; Cappelli et al.),
//! and a plain-arch model for fingers without singularities
//! (`docs/reference/fingerprint-science.md`, "Synthesis").

use std::f32::consts::{FRAC_PI_4, PI};

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::class::{PatternClass, Singularity, SingularityKind};

/// Control points of the realism correction: one every 45° round a singularity.
const CORRECTION_POINTS: usize = 8;
/// Largest warp of a singularity's angle at a control point, radians: enough to bend loops and
/// whorls away from the model's perfect symmetry, small enough to keep the warp monotone.
const MAX_CORRECTION: f32 = 0.22;

/// The orientation model of one finger.
#[derive(Debug, Clone)]
pub(crate) struct OrientationModel {
    singularities: Vec<Singularity>,
    corrections: Vec<[f32; CORRECTION_POINTS]>,
    /// Overall rotation of the pattern, radians.
    base: f32,
    /// For a plain arch: its centre, height of the rise and width.
    arch: Option<ArchShape>,
    /// The realism correction above the cores: ridges there follow the rounded fingertip.
    dome: Dome,
}

/// Above the pattern, ridges bend down on both sides, parallel to the fingertip's outline, where
/// the bare zero-pole model leaves them flat.
#[derive(Debug, Clone, Copy)]
struct Dome {
    cx: f32,
    /// Where the bend starts (just above the highest core) and how far up it reaches full strength.
    start_y: f32,
    ramp: f32,
    half_width: f32,
    bend: f32,
}

#[derive(Debug, Clone, Copy)]
struct ArchShape {
    cx: f32,
    cy: f32,
    rise: f32,
    width: f32,
    depth: f32,
}

impl OrientationModel {
    /// Draws the model of a finger of `class` with the given singular points.
    pub(crate) fn new(
        class: PatternClass,
        singularities: Vec<Singularity>,
        cx: f32,
        cy: f32,
        rng: &mut ChaCha8Rng,
    ) -> Self {
        let corrections = singularities
            .iter()
            .map(|_| {
                let mut warp = [0.0f32; CORRECTION_POINTS];
                for w in &mut warp {
                    *w = rng.random_range(-MAX_CORRECTION..=MAX_CORRECTION);
                }
                warp
            })
            .collect();
        let arch = (class == PatternClass::Arch).then(|| ArchShape {
            cx: cx + rng.random_range(-30.0..=30.0),
            cy: cy + rng.random_range(-20.0..=40.0),
            rise: rng.random_range(0.9..=1.6),
            width: rng.random_range(70.0..=110.0),
            depth: rng.random_range(110.0..=170.0),
        });
        let highest_core = singularities
            .iter()
            .filter(|p| p.kind == SingularityKind::Core)
            .map(|p| p.y)
            .fold(cy, f32::min);
        let dome = Dome {
            cx: cx + rng.random_range(-20.0..=20.0),
            start_y: highest_core - rng.random_range(10.0..=40.0),
            ramp: rng.random_range(90.0..=150.0),
            half_width: rng.random_range(150.0..=190.0),
            bend: rng.random_range(0.5..=1.0),
        };
        Self {
            singularities,
            corrections,
            base: rng.random_range(-0.12..=0.12),
            arch,
            dome,
        }
    }

    /// The ridge direction at (x, y), radians in [0, π) (x right, y down; 0 is horizontal).
    pub(crate) fn at(&self, x: f32, y: f32) -> f32 {
        let mut theta = self.base;
        let dome = self.dome;
        let weight = super::noise::smoothstep(0.0, dome.ramp, dome.start_y - y);
        if weight > 0.0 {
            theta += weight * (dome.bend * (x - dome.cx) / dome.half_width).atan();
        }
        if let Some(arch) = self.arch {
            // Ridges y = y0 − h(y0)·exp(−(x − cx)² / 2w²): their slope, with the rise fading above and
            // below the middle of the arch.
            let u = (x - arch.cx) / arch.width;
            let fade = (-((y - arch.cy) / arch.depth).powi(2)).exp();
            theta += (arch.rise * u * (-0.5 * u * u).exp() * fade).atan();
        }
        for (point, warp) in self.singularities.iter().zip(&self.corrections) {
            let angle = warped((y - point.y).atan2(x - point.x), warp);
            match point.kind {
                SingularityKind::Core => theta += 0.5 * angle,
                SingularityKind::Delta => theta -= 0.5 * angle,
            }
        }
        theta.rem_euclid(PI)
    }
}

/// The correction g(α): piecewise linear through α_i + warp_i at α_i = −π + i·π/4, with the warp
/// at π equal to the one at −π so that g(α + 2π) = g(α) + 2π.
fn warped(angle: f32, warp: &[f32; CORRECTION_POINTS]) -> f32 {
    let t = ((angle + PI) / FRAC_PI_4).clamp(0.0, CORRECTION_POINTS as f32 - 1e-4);
    let i = t as usize;
    let f = t - i as f32;
    let w0 = warp[i];
    let w1 = warp[(i + 1) % CORRECTION_POINTS];
    angle + w0 * (1.0 - f) + w1 * f
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn model(class: PatternClass, seed: u64) -> OrientationModel {
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let points = super::super::class::place_singularities(class, 240.0, 300.0, &mut rng);
        OrientationModel::new(class, points, 240.0, 300.0, &mut rng)
    }

    /// Poincaré index round a closed loop: +½ round a core, −½ round a delta, 0 elsewhere.
    fn poincare(model: &OrientationModel, x: f32, y: f32, radius: f32) -> f32 {
        let steps = 64;
        let mut total = 0.0;
        let mut previous = model.at(x + radius, y);
        for k in 1..=steps {
            let a = k as f32 * std::f32::consts::TAU / steps as f32;
            let current = model.at(x + radius * a.cos(), y + radius * a.sin());
            let mut d = current - previous;
            if d > PI / 2.0 {
                d -= PI;
            } else if d < -PI / 2.0 {
                d += PI;
            }
            total += d;
            previous = current;
        }
        total / std::f32::consts::TAU
    }

    #[test]
    fn cores_and_deltas_have_their_poincare_index() {
        for class in [
            PatternClass::TentedArch,
            PatternClass::LeftLoop,
            PatternClass::RightLoop,
            PatternClass::Whorl,
        ] {
            let m = model(class, 11);
            for point in &m.singularities {
                let index = poincare(&m, point.x, point.y, 4.0);
                let expected = match point.kind {
                    SingularityKind::Core => 0.5,
                    SingularityKind::Delta => -0.5,
                };
                assert!(
                    (index - expected).abs() < 0.05,
                    "{class:?} {point:?}: index {index}"
                );
            }
        }
    }

    #[test]
    fn an_arch_has_no_singular_point() {
        let m = model(PatternClass::Arch, 5);
        for (x, y) in [(240.0, 300.0), (200.0, 250.0), (300.0, 380.0)] {
            assert!(poincare(&m, x, y, 20.0).abs() < 0.05);
        }
    }

    #[test]
    fn the_warp_is_continuous_round_the_circle() {
        let warp = [0.1, -0.2, 0.15, 0.0, 0.2, -0.1, 0.05, 0.1];
        let below = warped(PI - 1e-5, &warp);
        let above = warped(-PI + 1e-5, &warp) + std::f32::consts::TAU;
        assert!((below - above).abs() < 1e-3);
    }
}
