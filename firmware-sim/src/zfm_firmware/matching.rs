//! Comparing two char files, as the module's Match and Search do: find the rotation and shift that
//! bring most minutiae of one onto the other, and count them. Nothing but the point sets is used.

use super::charfile::{CharFile, Feature};

/// Two minutiae pair up when this close after alignment (pixels)…
const DISTANCE_TOLERANCE: f32 = 10.0;
/// …and their directions differ by less than this (radians, ~20°).
const ANGLE_TOLERANCE: f32 = 0.35;
/// Score per paired minutia.
const SCORE_PER_PAIR: u16 = 8;

fn angle_difference(a: f32, b: f32) -> f32 {
    let d = (a - b).rem_euclid(std::f32::consts::TAU);
    d.min(std::f32::consts::TAU - d)
}

/// The number of minutiae of `a` that pair with minutiae of `b` under the rigid transform that
/// maps `a[i]` onto `b[j]`.
fn pairs_under(a: &[Feature], b: &[Feature], i: usize, j: usize, used: &mut [bool]) -> usize {
    let rotation = b[j].angle - a[i].angle;
    let (sin, cos) = rotation.sin_cos();
    let (ax, ay) = (a[i].x, a[i].y);
    let (bx, by) = (b[j].x, b[j].y);
    used.iter_mut().for_each(|u| *u = false);
    let mut count = 0;
    for m in a {
        let (dx, dy) = (m.x - ax, m.y - ay);
        let x = bx + dx * cos - dy * sin;
        let y = by + dx * sin + dy * cos;
        let angle = m.angle + rotation;
        let mut best: Option<(usize, f32)> = None;
        for (k, n) in b.iter().enumerate() {
            if used[k] {
                continue;
            }
            let d2 = (n.x - x).powi(2) + (n.y - y).powi(2);
            if d2 <= DISTANCE_TOLERANCE * DISTANCE_TOLERANCE
                && angle_difference(n.angle, angle) <= ANGLE_TOLERANCE
                && best.is_none_or(|(_, bd)| d2 < bd)
            {
                best = Some((k, d2));
            }
        }
        if let Some((k, _)) = best {
            used[k] = true;
            count += 1;
        }
    }
    count
}

/// The match score of two char files: 8 × the most minutiae paired by any alignment.
pub fn score(a: &CharFile, b: &CharFile) -> u16 {
    let (a, b) = (&a.features, &b.features);
    if a.is_empty() || b.is_empty() {
        return 0;
    }
    let mut used = vec![false; b.len()];
    let mut best = 0;
    for i in 0..a.len() {
        for j in 0..b.len() {
            // Rotations of a finger on the glass stay within about ±30°.
            let turn = angle_difference(a[i].angle, b[j].angle);
            if turn > 0.6 {
                continue;
            }
            best = best.max(pairs_under(a, b, i, j, &mut used));
        }
    }
    u16::try_from(best)
        .unwrap_or(u16::MAX)
        .saturating_mul(SCORE_PER_PAIR)
}

/// The lowest score accepted as a match at a security level (1 lenient … 5 strict).
pub fn threshold(security_level: u16) -> u16 {
    SCORE_PER_PAIR * (6 + 2 * security_level.clamp(1, 5))
}

#[cfg(test)]
mod tests {
    use super::super::SensorKind;
    use super::super::charfile::{CharFile, Provenance};
    use super::super::sensor::capture;
    use super::*;
    use crate::synth::fingerprint::Finger;

    fn features(finger_seed: u64, impression: u32) -> Option<CharFile> {
        let provenance = Provenance {
            finger_seed,
            impression,
        };
        let image = capture(SensorKind::Zfm256x288, provenance);
        let file = CharFile::extract(&Finger::from_seed(finger_seed), provenance, &image);
        (file.features.len() >= super::super::charfile::MIN_MINUTIAE).then_some(file)
    }

    /// Genuine pairs (two impressions of one finger) score above the threshold at the default
    /// security level; impostor pairs (two fingers) below. Prints the rates it measured.
    #[test]
    fn genuine_pairs_match_and_impostors_do_not() {
        let fingers: Vec<u64> = (0..6).map(|i| 1000 + i * 17).collect();
        let files: Vec<Vec<CharFile>> = fingers
            .iter()
            .map(|&f| (0..3).filter_map(|n| features(f, n)).collect())
            .collect();
        let threshold = threshold(3);
        let (mut genuine, mut genuine_ok, mut impostor, mut impostor_ok) = (0, 0, 0, 0);
        let (mut genuine_scores, mut impostor_scores) = (Vec::new(), Vec::new());
        for (i, a) in files.iter().enumerate() {
            for x in 0..a.len() {
                for y in x + 1..a.len() {
                    let s = score(&a[x], &a[y]);
                    genuine += 1;
                    genuine_ok += usize::from(s >= threshold);
                    genuine_scores.push(s);
                }
            }
            for b in &files[i + 1..] {
                if let (Some(a0), Some(b0)) = (a.first(), b.first()) {
                    let s = score(a0, b0);
                    impostor += 1;
                    impostor_ok += usize::from(s >= threshold);
                    impostor_scores.push(s);
                }
            }
        }
        println!(
            "threshold {threshold}: genuine {genuine_ok}/{genuine} accepted {genuine_scores:?}; impostor {impostor_ok}/{impostor} accepted {impostor_scores:?}"
        );
        assert!(genuine >= 10 && impostor >= 10);
        assert_eq!(impostor_ok, 0, "no impostor accepted");
        assert!(
            genuine_ok * 10 >= genuine * 8,
            "at least 80 % of genuine pairs accepted"
        );
    }
}
