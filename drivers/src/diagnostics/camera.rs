//! The camera's self-test: handshake, stored settings, a test picture decoded.

use std::time::{Duration, Instant};

use super::fingerprint::{check, skipped};
use super::report::{CheckResult, TestFrame, Verdict};
use crate::transport::Transport;
use crate::vc0706::{Camera, Verify};

/// Mean brightness below this: the lens is covered or there is no light.
const TOO_DARK: f64 = 12.0;
/// Mean brightness above this: the sensor is blinded.
const TOO_BRIGHT: f64 = 243.0;

/// What the camera self-test found.
#[derive(Debug, Clone)]
pub struct CameraSelfTest {
    /// The checks, in order.
    pub checks: Vec<CheckResult>,
    /// The test picture, when one came through.
    pub test_frame: Option<TestFrame>,
}

/// Runs the self-test on a camera whose line is at the baud it was found at (other speeds are
/// tried if it does not answer there). Settings are left as they were: no reset, no speed change.
pub fn camera_self_test<T: Transport>(camera: &mut Camera<T>) -> CameraSelfTest {
    let mut checks = Vec::new();
    let started = Instant::now();
    let probe = match camera.probe() {
        Ok(probe) => probe,
        Err(error) => {
            checks.push(check(
                "handshake",
                Verdict::Fail,
                error.to_string(),
                started,
            ));
            checks.push(skipped("settings", "the camera did not answer"));
            checks.push(skipped("test-frame", "the camera did not answer"));
            return CameraSelfTest {
                checks,
                test_frame: None,
            };
        }
    };
    checks.push(check(
        "handshake",
        Verdict::Pass,
        format!("\"{}\" at {} baud", probe.version, probe.baud),
        started,
    ));

    let started = Instant::now();
    checks.push(match camera.image_size() {
        Ok(size) => check(
            "settings",
            Verdict::Pass,
            format!("picture size {size}"),
            started,
        ),
        Err(error) => check("settings", Verdict::Warn, error.to_string(), started),
    });

    let started = Instant::now();
    // One read of each chunk is enough to judge the camera; a flipped bit is the line's business.
    camera.options_mut().verify = Verify::Decode;
    let (check_result, frame) = match camera.capture(&mut |_| {}) {
        Ok(photo) => {
            let (width, height) = photo.image.dimensions();
            let pixels = photo.image.as_raw();
            let mean = if pixels.is_empty() {
                0.0
            } else {
                pixels.iter().map(|&v| f64::from(v)).sum::<f64>() / pixels.len() as f64
            };
            let frame = TestFrame {
                width,
                height,
                jpeg_bytes: photo.stats.frame_len,
                mean_brightness: mean,
                transfer_ms: millis(photo.stats.transfer),
                line_time_ms: millis(photo.stats.line_time()),
                chunk_retries: photo.stats.chunk_retries,
            };
            let summary = format!(
                "{width}×{height} JPEG of {} bytes decoded in {} ms (line time {} ms), \
                 mean brightness {mean:.0}/255, {} chunk(s) read again",
                frame.jpeg_bytes, frame.transfer_ms, frame.line_time_ms, frame.chunk_retries
            );
            let verdict = if (TOO_DARK..=TOO_BRIGHT).contains(&mean) {
                Verdict::Pass
            } else {
                Verdict::Warn
            };
            let detail = match verdict {
                Verdict::Warn if mean < TOO_DARK => {
                    format!("{summary}: nearly black, lens covered or no light?")
                }
                Verdict::Warn => format!("{summary}: nearly white, too much light?"),
                _ => summary,
            };
            (check("test-frame", verdict, detail, started), Some(frame))
        }
        Err(error) => (
            check("test-frame", Verdict::Fail, error.to_string(), started),
            None,
        ),
    };
    checks.push(check_result);
    CameraSelfTest {
        checks,
        test_frame: frame,
    }
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
