//! The camera's self-test: handshake, stored settings, a test picture decoded.

use std::time::{Duration, Instant};

use super::fingerprint::{check, failed, not_run};
use super::outcome::{Light, NotRunBecause, Outcome, Step};
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
            checks.push(failed(Step::Handshake, &error, started));
            checks.push(not_run(Step::Settings, NotRunBecause::CameraSilent));
            checks.push(not_run(Step::TestFrame, NotRunBecause::CameraSilent));
            return CameraSelfTest {
                checks,
                test_frame: None,
            };
        }
    };
    checks.push(check(
        Step::Handshake,
        Verdict::Pass,
        Outcome::CameraAnswers {
            version: probe.version.clone(),
            baud: probe.baud,
        },
        started,
    ));

    let started = Instant::now();
    checks.push(match camera.image_size() {
        Ok(size) => {
            let (width, height) = size.dimensions();
            check(
                Step::Settings,
                Verdict::Pass,
                Outcome::PictureSize { width, height },
                started,
            )
        }
        Err(error) => {
            let mut result = failed(Step::Settings, &error, started);
            result.verdict = Verdict::Warn;
            result
        }
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
            let light = if mean < TOO_DARK {
                Light::Dark
            } else if mean > TOO_BRIGHT {
                Light::Bright
            } else {
                Light::Normal
            };
            let verdict = if light == Light::Normal {
                Verdict::Pass
            } else {
                Verdict::Warn
            };
            let outcome = Outcome::TestFrame {
                width,
                height,
                jpeg_bytes: frame.jpeg_bytes,
                transfer_ms: frame.transfer_ms,
                line_time_ms: frame.line_time_ms,
                brightness: mean.round().clamp(0.0, 255.0) as u8,
                chunk_retries: frame.chunk_retries,
                light,
            };
            (
                check(Step::TestFrame, verdict, outcome, started),
                Some(frame),
            )
        }
        Err(error) => (failed(Step::TestFrame, &error, started), None),
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
