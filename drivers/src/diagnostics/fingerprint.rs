//! The fingerprint module's self-test: handshake, parameters, sensor check, LED, blank captures.

use std::time::{Duration, Instant};

use super::outcome::{NotRunBecause, Outcome, ParameterRemark, Step};
use super::report::{BlankCaptureStats, CheckResult, Verdict};
use crate::fault::Fault;
use crate::transport::Transport;
use crate::zfm::command::{
    AuraLedConfig, CheckSensor, Confirmation, GenImg, LedColour, LedControl, ReadSysPara,
};
use crate::zfm::error::ZfmError;
use crate::zfm::module::{FingerprintModule, PROBE_BAUDS};

/// A "no finger" answer slower than this deserves a look (a module answers in tens of
/// milliseconds; the reference's ~2 s is the wait *with* a finger).
const SLOW_BLANK_ANSWER: Duration = Duration::from_millis(500);

/// What the fingerprint self-test found.
#[derive(Debug, Clone)]
pub struct FingerprintSelfTest {
    /// The checks, in order.
    pub checks: Vec<CheckResult>,
    /// Blank capture figures, when the handshake succeeded.
    pub blank_capture: Option<BlankCaptureStats>,
}

/// Runs the self-test on a module expected at `baud` (the other bauds are tried after it).
/// `blank_captures` GenImg are sent with nothing on the glass.
pub fn fingerprint_self_test<T: Transport>(
    module: &mut FingerprintModule<T>,
    baud: u32,
    blank_captures: u32,
) -> FingerprintSelfTest {
    let mut checks = Vec::new();
    let mut order = vec![baud];
    order.extend(PROBE_BAUDS.iter().filter(|b| **b != baud));

    let started = Instant::now();
    let probe = match module.probe_bauds(&order) {
        Ok(probe) => probe,
        Err(error) => {
            checks.push(failed(Step::Handshake, &error, started));
            for step in [
                Step::Parameters,
                Step::Sensor,
                Step::Led,
                Step::BlankCapture,
            ] {
                checks.push(not_run(step, NotRunBecause::ModuleSilent));
            }
            return FingerprintSelfTest {
                checks,
                blank_capture: None,
            };
        }
    };
    let model = probe
        .product
        .as_ref()
        .map_or("ZFM/R30x/AS608", |p| p.module_type.as_str());
    checks.push(check(
        Step::Handshake,
        Verdict::Pass,
        Outcome::ModuleAnswers {
            model: model.to_owned(),
            baud: probe.settings.baud,
        },
        started,
    ));

    let started = Instant::now();
    checks.push(match module.execute(&ReadSysPara) {
        Ok(p) => {
            let mut remarks = Vec::new();
            if p.system_id != 9 {
                remarks.push(ParameterRemark::SystemId { found: p.system_id });
            }
            if !(1..=5).contains(&p.security_level) {
                remarks.push(ParameterRemark::SecurityLevel {
                    found: p.security_level,
                });
            }
            if p.packet_size.is_none() {
                remarks.push(ParameterRemark::UnknownPacketSize);
            }
            if p.baud() != probe.settings.baud {
                remarks.push(ParameterRemark::StoredBaud {
                    stored: p.baud(),
                    line: probe.settings.baud,
                });
            }
            let verdict = if remarks.is_empty() {
                Verdict::Pass
            } else {
                Verdict::Warn
            };
            let outcome = Outcome::Parameters {
                library_size: p.library_size,
                security_level: p.security_level,
                packet_bytes: p
                    .packet_size
                    .map_or(0, |s| u16::try_from(s.bytes()).unwrap_or(u16::MAX)),
                remarks,
            };
            check(Step::Parameters, verdict, outcome, started)
        }
        Err(error) => failed(Step::Parameters, &error, started),
    });

    let started = Instant::now();
    checks.push(match module.send(&CheckSensor) {
        Ok(Ok(())) => check(Step::Sensor, Verdict::Pass, Outcome::SensorWorking, started),
        Ok(Err(Confirmation::SensorFault)) => {
            check(Step::Sensor, Verdict::Fail, Outcome::SensorFault, started)
        }
        Ok(Err(code)) => check(
            Step::Sensor,
            Verdict::Skipped,
            Outcome::NoSensorCheck { code: code.code() },
            started,
        ),
        Err(error) => not_supported(Step::Sensor, &error, started),
    });

    // The aura LED exists on the R50x, which also has product information.
    let started = Instant::now();
    if probe.product.is_some() {
        let flash = AuraLedConfig {
            control: LedControl::Flashing,
            speed: 0x40,
            colour: LedColour::Purple,
            count: 3,
        };
        let off = AuraLedConfig {
            control: LedControl::Off,
            speed: 0,
            colour: LedColour::Blue,
            count: 0,
        };
        checks.push(match module.send(&flash) {
            Ok(Ok(())) => {
                let switched_off = matches!(module.send(&off), Ok(Ok(())));
                let outcome = Outcome::LedFlashed {
                    colour: flash.colour,
                    times: flash.count,
                    switched_off,
                };
                check(Step::Led, Verdict::Pass, outcome, started)
            }
            Ok(Err(code)) => check(
                Step::Led,
                Verdict::Skipped,
                Outcome::NoAuraLed {
                    code: Some(code.code()),
                },
                started,
            ),
            Err(error) => not_supported(Step::Led, &error, started),
        });
    } else {
        checks.push(CheckResult {
            step: Step::Led,
            verdict: Verdict::Skipped,
            outcome: Outcome::NoAuraLed { code: None },
            duration_ms: 0,
        });
    }

    let started = Instant::now();
    let stats = blank_captures_of(module, blank_captures.max(1));
    let verdict = if stats.errors > 0 {
        Verdict::Fail
    } else if stats.image_taken > 0 || stats.median_ms > SLOW_BLANK_ANSWER.as_secs_f64() * 1e3 {
        Verdict::Warn
    } else {
        Verdict::Pass
    };
    let micros = |ms: f64| (ms * 1e3).round() as u64;
    let outcome = Outcome::BlankCaptures {
        attempts: stats.attempts,
        no_finger: stats.no_finger,
        image_taken: stats.image_taken,
        errors: stats.errors,
        min_us: micros(stats.min_ms),
        median_us: micros(stats.median_ms),
        max_us: micros(stats.max_ms),
    };
    checks.push(check(Step::BlankCapture, verdict, outcome, started));
    FingerprintSelfTest {
        checks,
        blank_capture: Some(stats),
    }
}

fn blank_captures_of<T: Transport>(
    module: &mut FingerprintModule<T>,
    attempts: u32,
) -> BlankCaptureStats {
    let mut times = Vec::with_capacity(attempts as usize);
    let (mut no_finger, mut image_taken, mut errors) = (0, 0, 0);
    for _ in 0..attempts {
        let started = Instant::now();
        match module.send(&GenImg) {
            Ok(Err(Confirmation::NoFinger)) => no_finger += 1,
            Ok(Ok(())) => image_taken += 1,
            Ok(Err(code)) => {
                tracing::debug!(%code, "blank GenImg refused");
                errors += 1;
            }
            Err(error) => {
                tracing::debug!(%error, "blank GenImg failed");
                errors += 1;
            }
        }
        times.push(started.elapsed().as_secs_f64() * 1e3);
    }
    times.sort_by(f64::total_cmp);
    let at = |i: usize| times.get(i).copied().unwrap_or(0.0);
    BlankCaptureStats {
        attempts,
        no_finger,
        image_taken,
        errors,
        min_ms: at(0),
        median_ms: at(times.len() / 2),
        max_ms: at(times.len().saturating_sub(1)),
    }
}

/// A command the module did not answer: older models ignore the R50x commands.
fn not_supported(step: Step, error: &ZfmError, started: Instant) -> CheckResult {
    match error {
        ZfmError::PortGone { .. } | ZfmError::Io { .. } => failed(step, error, started),
        _ => check(
            step,
            Verdict::Skipped,
            Outcome::NotSupported {
                fault: Fault::from(error),
            },
            started,
        ),
    }
}

/// A check that failed on `error`.
pub(crate) fn failed<'e, E>(step: Step, error: &'e E, started: Instant) -> CheckResult
where
    Fault: From<&'e E>,
{
    check(
        step,
        Verdict::Fail,
        Outcome::Failed {
            fault: Fault::from(error),
        },
        started,
    )
}

pub(crate) fn check(
    step: Step,
    verdict: Verdict,
    outcome: Outcome,
    started: Instant,
) -> CheckResult {
    CheckResult {
        step,
        verdict,
        outcome,
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
}

pub(crate) fn not_run(step: Step, because: NotRunBecause) -> CheckResult {
    CheckResult {
        step,
        verdict: Verdict::Skipped,
        outcome: Outcome::NotRun { because },
        duration_ms: 0,
    }
}
