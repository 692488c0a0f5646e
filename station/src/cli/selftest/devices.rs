//! The self-test's devices section, before the enrolments: each configured device's self-test
//! (drivers::diagnostics), then its calibration. When someone lays the targets (the demo's
//! simulated devices show them on cue), the calibration runs for real and is stored (its
//! flat-field correction then applies to the enrolments' captures); on a real station nobody is
//! there to lay the targets, so the latest stored calibration of each device is shown instead. One line per check; an error when a device fails.

use std::time::Duration;

use anyhow::{Context, bail};
use drivers::{
    calibration::{CameraStep, FingerprintStep, calibrate_camera, calibrate_fingerprint, limits},
    diagnostics::{DiagnoseOptions, Verdict, diagnose},
    discovery::{DeviceKind, PortCandidate},
    transport::SerialTransport,
    vc0706::Camera,
    zfm::FingerprintModule,
};

use crate::{
    audit::{AuditEvent, AuditLog},
    calibration::{
        CalibrationHistory, DeviceKind as StoredKind, camera_measures_json,
        fingerprint_measures_json,
    },
    config::{PortSettings, StationConfig},
    outbox::now_ms,
};

/// Frames of each target (as `station calibrate`).
const FRAMES: usize = 8;
/// How long the sensor waits for a target.
const TARGET_WAIT: Duration = Duration::from_secs(30);

/// Who lays the calibration targets during the self-test, on cue.
pub trait CalibrationTargets {
    /// A finger on the sensor at every capture (the enrolments), or nothing on the glass (the
    /// blank captures of the devices' self-test).
    fn finger_at_every_capture(&self, on: bool);
    /// Follows the sensor calibration's steps (the blank target, the flat one, lift).
    fn fingerprint_step(&self, step: FingerprintStep);
    /// Follows the camera calibration's steps (the grey card).
    fn camera_step(&self, step: CameraStep);
}

/// Runs the section; `Err` when a device failed its self-test or its calibration.
pub(super) fn run(
    config: &StationConfig,
    targets: Option<&dyn CalibrationTargets>,
) -> anyhow::Result<()> {
    crate::outln!("— appareils —");
    let mut failures = Vec::new();
    let ports: Vec<PortCandidate> = [&config.devices.fingerprint, &config.devices.camera]
        .into_iter()
        .flatten()
        .map(|p| PortCandidate::path(p.path.to_string_lossy()))
        .collect();
    if let Some(targets) = targets {
        // Nothing on the glass for the blank captures (the simulator otherwise lays a finger at
        // every capture, for the enrolments).
        targets.finger_at_every_capture(false);
    }
    let report = diagnose(&ports, &DiagnoseOptions::default());
    if let Some(targets) = targets {
        targets.finger_at_every_capture(true);
    }
    for d in &report.devices {
        let kind = d.port.kind().map_or("aucun appareil", DeviceKind::name);
        let verdict = d.verdict();
        let checks: Vec<String> = d
            .checks
            .iter()
            .map(|c| format!("{} {}", c.step, c.verdict.word()))
            .collect();
        crate::outln!(
            "diagnostic {kind:<11} {:<5} {}  {}  (commandes {}, délais {}, sommes {}, reprises {})",
            verdict.word(),
            d.port.path,
            checks.join(", "),
            d.counters.commands,
            d.counters.timeouts,
            d.counters.checksum_errors,
            d.counters.retries,
        );
        if verdict == Verdict::Fail || d.port.kind().is_none() {
            failures.push(format!("diagnostic {}", d.port.path));
        }
    }
    let history = CalibrationHistory::open(&CalibrationHistory::default_path(&config.data_dir))
        .context("historique d'étalonnage")?;
    if let Some(targets) = targets {
        let audit = AuditLog::open(
            &AuditLog::default_path(&config.data_dir),
            config.signer()?,
            crate::audit::DEFAULT_CHECKPOINT_EVERY,
        )?;
        if let Some(port) = &config.devices.fingerprint {
            match sensor(port, targets, &history) {
                Ok(true) => {}
                Ok(false) => failures.push("étalonnage du capteur".into()),
                Err(e) => {
                    crate::outln!("étalonnage capteur  ÉCHEC : {e:#}");
                    failures.push("étalonnage du capteur".into());
                }
            }
            audit.append(
                "selftest",
                &AuditEvent::Calibration {
                    device: "fingerprint".into(),
                },
                now_ms(),
            )?;
        }
        if let Some(port) = &config.devices.camera {
            match camera(port, targets, &history) {
                Ok(true) => {}
                Ok(false) => failures.push("étalonnage de l'appareil photo".into()),
                Err(e) => {
                    crate::outln!("étalonnage caméra   ÉCHEC : {e:#}");
                    failures.push("étalonnage de l'appareil photo".into());
                }
            }
            audit.append(
                "selftest",
                &AuditEvent::Calibration {
                    device: "camera".into(),
                },
                now_ms(),
            )?;
        }
    } else {
        latest(&report, &history);
    }
    if !failures.is_empty() {
        bail!("appareils : {}", failures.join(", "));
    }
    Ok(())
}

fn verdict_word(pass: bool) -> &'static str {
    if pass { "CONFORME" } else { "NON CONFORME" }
}

fn sensor(
    port: &PortSettings,
    targets: &dyn CalibrationTargets,
    history: &CalibrationHistory,
) -> anyhow::Result<bool> {
    let path = port.path.to_string_lossy().into_owned();
    let line = SerialTransport::open(&path, port.baud).context("port du capteur")?;
    let mut module = FingerprintModule::new(line);
    module.set_capture_timeout(TARGET_WAIT);
    let found = module.probe().context("capteur d'empreintes")?;
    let serial = found
        .product
        .as_ref()
        .map_or_else(|| format!("zfm@{path}"), |p| p.serial.clone());
    targets.finger_at_every_capture(false);
    let result = calibrate_fingerprint(&mut module, FRAMES, &mut |step| {
        targets.fingerprint_step(step)
    });
    targets.finger_at_every_capture(true);
    let result = result.context("étalonnage du capteur")?;
    let pass = result.verdict.pass();
    history.record(
        &serial,
        StoredKind::Fingerprint,
        time::OffsetDateTime::now_utc(),
        &fingerprint_measures_json(&result),
        pass,
        Some(&result.flat_field),
    )?;
    let m = &result.measures;
    crate::outln!(
        "étalonnage capteur  {}  n° {serial}  fond {:.1}, dynamique {:.1}, bruit {:.2}, SNR {:.0}, uniformité {:.1}/{:.1}, pixels défectueux {}, résidus {}",
        verdict_word(pass),
        m.background_level,
        m.dynamic_range,
        m.temporal_noise,
        m.snr,
        m.uniformity_light,
        m.uniformity_dark,
        m.bad_pixels.count(),
        m.residue.len(),
    );
    for failed in result.verdict.failures() {
        crate::outln!(
            "  {} = {:.2} hors limite {}",
            failed.measure,
            failed.value,
            failed.rule
        );
    }
    Ok(pass)
}

fn camera(
    port: &PortSettings,
    targets: &dyn CalibrationTargets,
    history: &CalibrationHistory,
) -> anyhow::Result<bool> {
    let path = port.path.to_string_lossy().into_owned();
    let line = SerialTransport::open(&path, port.baud).context("port de l'appareil photo")?;
    let mut camera = Camera::new(line);
    camera.probe().context("appareil photo")?;
    let result = calibrate_camera(&mut camera, limits::PORTRAIT_TARGET_BYTES, &mut |step| {
        targets.camera_step(step);
    })
    .context("étalonnage de l'appareil photo")?;
    let pass = result.measures.verdict.pass();
    // As `station calibrate camera`: the VC0706 has no serial number.
    let serial = format!("vc0706@{path}");
    history.record(
        &serial,
        StoredKind::Camera,
        time::OffsetDateTime::now_utc(),
        &camera_measures_json(&result),
        pass,
        None,
    )?;
    let m = &result.measures;
    crate::outln!(
        "étalonnage caméra   {}  exposition {:.0}, dominante {:.3}, netteté {:.0}, compression {} ({} octets ≤ {})",
        verdict_word(pass),
        m.exposure,
        m.colour_cast,
        m.sharpness,
        result.compression.compression,
        result.compression.frame_len,
        result.compression.target,
    );
    Ok(pass)
}

/// On a real station: the latest stored calibration of each device found.
fn latest(report: &drivers::diagnostics::DiagnosticReport, history: &CalibrationHistory) {
    for d in &report.devices {
        let serial = match &d.port.found {
            drivers::discovery::Found::Fingerprint(f) => f
                .serial_number
                .clone()
                .unwrap_or_else(|| format!("zfm@{}", d.port.path)),
            drivers::discovery::Found::Camera(_) => format!("vc0706@{}", d.port.path),
            _ => continue,
        };
        match history.history(&serial) {
            Ok(entries) => match entries.last() {
                Some(e) => crate::outln!(
                    "étalonnage {:<9} {}  n° {serial}, le {}",
                    e.kind.as_str(),
                    verdict_word(e.pass),
                    e.at.date()
                ),
                None => crate::outln!(
                    "étalonnage {serial}: jamais étalonné (station calibrate, ou l'espace technicien)"
                ),
            },
            Err(e) => crate::outln!("étalonnage {serial}: historique illisible ({e})"),
        }
    }
}
