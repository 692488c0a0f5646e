//! The demo applicant's signature: a few pen strokes with their timing and force, the same for the
//! same pre-request number (a person signs alike each time) and different between numbers.

use wire::signature::{PAD_HEIGHT, PAD_WIDTH, PenSample};

/// Milliseconds between two samples: a pen tablet read at 60 Hz through the window system.
pub const SAMPLE_EVERY_MS: u32 = 16;

/// The strokes of the person holding `number`: a looping first letter, a run of waves for the
/// name, and an underline, each sample timed from the first and with a force that rises and
/// falls along the stroke.
pub fn strokes(number: &str) -> Vec<Vec<PenSample>> {
    let seed = number
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let slant = (seed % 7) as f32 * 0.02;
    let height = 0.18 + (seed % 5) as f32 * 0.02;
    let mut t = 0u32;
    let mut out = Vec::new();
    let mut stroke = |points: Vec<(f32, f32)>, pause_ms: u32| {
        let n = points.len().max(1) as f32;
        let samples: Vec<PenSample> = points
            .into_iter()
            .enumerate()
            .map(|(i, (x, y))| {
                let along = i as f32 / n;
                let force = 0.35 + 0.45 * (along * std::f32::consts::PI).sin();
                let sample = PenSample {
                    x: (x.clamp(0.0, 1.0) * f32::from(PAD_WIDTH)) as u16,
                    y: (y.clamp(0.0, 1.0) * f32::from(PAD_HEIGHT)) as u16,
                    t_ms: t,
                    pressure: Some((force * f32::from(u16::MAX)) as u16),
                };
                t += SAMPLE_EVERY_MS;
                sample
            })
            .collect();
        t += pause_ms;
        out.push(samples);
    };
    // A loop for the initial.
    stroke(
        (0..40)
            .map(|i| {
                let a = i as f32 / 40.0 * std::f32::consts::TAU * 1.2;
                (
                    0.15 + 0.07 * a.cos() + i as f32 * 0.002,
                    0.45 - height * a.sin() - slant * (i as f32 / 40.0),
                )
            })
            .collect(),
        180,
    );
    // The name: waves going right.
    stroke(
        (0..70)
            .map(|i| {
                let k = i as f32 / 70.0;
                (
                    0.28 + 0.5 * k,
                    0.5 - 0.5 * height * (k * std::f32::consts::TAU * 4.0).sin() - slant * k,
                )
            })
            .collect(),
        220,
    );
    // The underline.
    stroke(
        (0..25)
            .map(|i| (0.14 + i as f32 * 0.028, 0.78 - i as f32 * 0.002))
            .collect(),
        0,
    );
    out
}

#[cfg(test)]
mod tests {
    use wire::signature::{Signature, assess, parse, write};

    #[test]
    fn the_demo_signature_passes_the_station_rules_and_round_trips() {
        for number in ["DEMO000001", "DEMO000002", "TEST000123"] {
            let signature = Signature {
                strokes: super::strokes(number),
            };
            assert_eq!(assess(&signature), Ok(()), "{number}");
            let read = parse(&write(&signature).expect("writes")).expect("reads");
            assert_eq!(read.signature, signature);
        }
        assert_ne!(super::strokes("DEMO000001"), super::strokes("DEMO000002"));
    }
}
