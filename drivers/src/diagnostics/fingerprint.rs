//! The fingerprint module's self-test: handshake, parameters, sensor check, LED, blank captures.

use std::time::{Duration, Instant};

use super::report::{BlankCaptureStats, CheckResult, Verdict};
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
            checks.push(check(
                "handshake",
                Verdict::Fail,
                error.to_string(),
                started,
            ));
            for name in ["parameters", "sensor", "led", "blank-capture"] {
                checks.push(skipped(name, "the module did not answer the handshake"));
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
        "handshake",
        Verdict::Pass,
        format!(
            "{model} answers at {} baud, password verified",
            probe.settings.baud
        ),
        started,
    ));

    let started = Instant::now();
    checks.push(match module.execute(&ReadSysPara) {
        Ok(p) => {
            let mut remarks = Vec::new();
            if p.system_id != 9 {
                remarks.push(format!("system id {} (9 expected)", p.system_id));
            }
            if !(1..=5).contains(&p.security_level) {
                remarks.push(format!("security level {} outside 1..5", p.security_level));
            }
            if p.packet_size.is_none() {
                remarks.push("unknown packet size code".to_owned());
            }
            if p.baud() != probe.settings.baud {
                remarks.push(format!(
                    "stored baud {} differs from the line's {} (applies at next restart)",
                    p.baud(),
                    probe.settings.baud
                ));
            }
            let summary = format!(
                "library {} templates, security level {}, packets of {} bytes",
                p.library_size,
                p.security_level,
                p.packet_size.map_or(0, |s| s.bytes())
            );
            if remarks.is_empty() {
                check("parameters", Verdict::Pass, summary, started)
            } else {
                check(
                    "parameters",
                    Verdict::Warn,
                    format!("{summary}; {}", remarks.join("; ")),
                    started,
                )
            }
        }
        Err(error) => check("parameters", Verdict::Fail, error.to_string(), started),
    });

    let started = Instant::now();
    checks.push(match module.send(&CheckSensor) {
        Ok(Ok(())) => check(
            "sensor",
            Verdict::Pass,
            "the module reports its sensor working".to_owned(),
            started,
        ),
        Ok(Err(Confirmation::SensorFault)) => check(
            "sensor",
            Verdict::Fail,
            "the module reports a sensor hardware fault".to_owned(),
            started,
        ),
        Ok(Err(code)) => check(
            "sensor",
            Verdict::Skipped,
            format!("no sensor check on this model ({code})"),
            started,
        ),
        Err(error) => not_supported("sensor", &error, started),
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
                let detail = match module.send(&off) {
                    Ok(Ok(())) => "flashed purple 3 times, then off: check it by eye",
                    _ => "flashed purple 3 times (switching it off was refused)",
                };
                check("led", Verdict::Pass, detail.to_owned(), started)
            }
            Ok(Err(code)) => check(
                "led",
                Verdict::Skipped,
                format!("no aura LED on this model ({code})"),
                started,
            ),
            Err(error) => not_supported("led", &error, started),
        });
    } else {
        checks.push(skipped("led", "no aura LED on this model"));
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
    let mut detail = format!(
        "{} GenImg with nothing on the glass: {} \"no finger\", {} image(s), {} error(s); \
         answer in {:.1} / {:.1} / {:.1} ms (min / median / max)",
        stats.attempts,
        stats.no_finger,
        stats.image_taken,
        stats.errors,
        stats.min_ms,
        stats.median_ms,
        stats.max_ms
    );
    if stats.image_taken > 0 {
        detail.push_str(": a finger, dirt or a latent print on the glass? Clean it");
    }
    checks.push(check("blank-capture", verdict, detail, started));
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
fn not_supported(name: &str, error: &ZfmError, started: Instant) -> CheckResult {
    match error {
        ZfmError::PortGone { .. } | ZfmError::Io { .. } => {
            check(name, Verdict::Fail, error.to_string(), started)
        }
        _ => check(
            name,
            Verdict::Skipped,
            format!("not supported by this model ({error})"),
            started,
        ),
    }
}

pub(crate) fn check(name: &str, verdict: Verdict, detail: String, started: Instant) -> CheckResult {
    CheckResult {
        name: name.to_owned(),
        verdict,
        detail,
        duration_ms: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    }
}

pub(crate) fn skipped(name: &str, why: &str) -> CheckResult {
    CheckResult {
        name: name.to_owned(),
        verdict: Verdict::Skipped,
        detail: why.to_owned(),
        duration_ms: 0,
    }
}
