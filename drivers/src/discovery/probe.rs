//! Identifying the device on one port: the handshakes of [`probe_plan`], one baud after another,
//! each bounded in time.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::discover::DiscoveryOptions;
use super::plan::{Probe, probe_plan};
use super::report::{CameraIdentity, DeviceKind, FingerprintIdentity, Found, PortReport};
use crate::transport::{CommandLabel, SerialTransport, Transport, TransportError};
use crate::vc0706::command::{Command as CameraCommand, GetImageSize, GetVersion};
use crate::vc0706::frame::{DEFAULT_SERIAL, Reply, ReplyScan, Request, scan_reply};
use crate::zfm::command::{Confirmation, VfyPwd};
use crate::zfm::error::ZfmError;
use crate::zfm::module::{FingerprintModule, ProbeReport, line_time};

/// Quiet time that ends the drain before a camera handshake.
const CAMERA_DRAIN_QUIET: Duration = Duration::from_millis(20);
/// Longest drain before a camera handshake (a device spewing noise does not hold us longer).
const CAMERA_DRAIN_MAX: Duration = Duration::from_millis(300);
/// The longest reply discovery asks the camera for: the version, 5 bytes of header and 11 of
/// text ("VC0703 1.00"), with room.
const CAMERA_REPLY_BYTES: u64 = 32;

/// Why a handshake found no device.
enum Miss {
    /// No answer at this baud.
    Silent,
    /// It answered, then failed to describe itself.
    Faltered(String),
    /// The port went away.
    Gone(String),
}

/// Identifies what is on `path` (a device path or a symlink to one). Never takes much longer
/// than `options.deadline` (one handshake at most beyond it), and stops early when `cancel` is
/// set. The port is opened exclusively and closed before returning.
pub fn probe_port(path: &str, options: &DiscoveryOptions, cancel: &AtomicBool) -> PortReport {
    let started = Instant::now();
    let deadline = started + options.deadline;
    let plan = probe_plan();
    let mut report = PortReport {
        path: path.to_owned(),
        resolved: resolved_target(path),
        description: None,
        found: Found::Nothing,
        bauds_tried: Vec::new(),
        elapsed_ms: 0,
    };
    let first_baud = plan.first().map_or(57_600, |s| s.baud);
    let mut line = match SerialTransport::open(path, first_baud) {
        Ok(line) => line,
        Err(error) => {
            tracing::debug!(port = path, %error, "cannot open");
            report.found = Found::CannotOpen {
                reason: error.to_string(),
            };
            report.elapsed_ms = millis(started.elapsed());
            return report;
        }
    };
    let mut last_write: Option<Instant> = None;
    let mut finished = true;
    let mut outcome = None;
    'plan: for step in &plan {
        if cancel.load(Ordering::SeqCst) || Instant::now() >= deadline {
            finished = false;
            break;
        }
        if let Err(error) = line.set_baud(step.baud) {
            outcome = Some(gone(&line, &error.to_string()));
            break;
        }
        report.bauds_tried.push(step.baud);
        // Every byte sent before this step went out at another baud.
        let foreign_write = last_write;
        for probe in &step.probes {
            let hello = match probe {
                Probe::Camera => {
                    if let Some(at) = foreign_write {
                        let quiet_until = (at + options.receiver_reset).min(deadline);
                        let wait = quiet_until.saturating_duration_since(Instant::now());
                        // Waiting is also draining: whatever arrives meanwhile is stale.
                        if !wait.is_zero()
                            && let Err(error) = line.drain(wait, wait)
                        {
                            outcome = Some(gone(&line, &error.to_string()));
                            break 'plan;
                        }
                    }
                    camera_hello(&mut line, step.baud, options.answer_time).map(Found::Camera)
                }
                Probe::Fingerprint => {
                    let (back, hello) = fingerprint_hello(line, step.baud, options.answer_time);
                    line = back;
                    hello.map(Found::Fingerprint)
                }
            };
            last_write = Some(Instant::now());
            match hello {
                Ok(found) => {
                    outcome = Some(found);
                    break 'plan;
                }
                Err(Miss::Silent) => {}
                Err(Miss::Faltered(detail)) => {
                    outcome = Some(Found::NotAnswering {
                        bytes_heard: line.counters().bytes_read,
                        detail,
                    });
                    break 'plan;
                }
                Err(Miss::Gone(detail)) => {
                    outcome = Some(Found::NotAnswering {
                        bytes_heard: line.counters().bytes_read,
                        detail,
                    });
                    break 'plan;
                }
            }
        }
    }
    report.found = outcome.unwrap_or_else(|| {
        let heard = line.counters().bytes_read;
        if !finished {
            Found::NotAnswering {
                bytes_heard: heard,
                detail: format!(
                    "discovery's time ran out after {} of {} bauds",
                    report.bauds_tried.len(),
                    plan.len()
                ),
            }
        } else if heard > 0 {
            Found::NotAnswering {
                bytes_heard: heard,
                detail: "bytes were heard, but no fingerprint module or camera handshake \
                         was answered at any baud (a hung or unknown device)"
                    .to_owned(),
            }
        } else {
            Found::Nothing
        }
    });
    report.elapsed_ms = millis(started.elapsed());
    tracing::info!(
        port = path,
        found = ?report.kind(),
        baud = report.baud(),
        elapsed_ms = report.elapsed_ms,
        "port identified"
    );
    report
}

/// The port vanished or failed under us.
fn gone(line: &SerialTransport, detail: &str) -> Found {
    Found::NotAnswering {
        bytes_heard: line.counters().bytes_read,
        detail: format!("the port failed or disappeared while probing: {detail}"),
    }
}

/// The factory password, then (if anything answered) the module's parameters and product
/// information at that baud.
fn fingerprint_hello(
    line: SerialTransport,
    baud: u32,
    answer: Duration,
) -> (SerialTransport, Result<FingerprintIdentity, Miss>) {
    // A new module starts "dirty": it drains the line before its first command.
    let mut module = FingerprintModule::new(line);
    let first = module.send_with_timeout(&VfyPwd { password: 0 }, answer);
    let outcome = match first {
        Ok(_) => match module.probe_bauds(&[baud]) {
            Ok(report) => Ok(fingerprint_identity(&report)),
            Err(ZfmError::Module {
                code: Confirmation::WrongPassword,
                ..
            }) => Ok(locked_module(baud)),
            Err(error @ (ZfmError::PortGone { .. } | ZfmError::Io { .. })) => {
                Err(Miss::Gone(error.to_string()))
            }
            Err(error) => Err(Miss::Faltered(format!(
                "a fingerprint module answered at {baud} baud, then: {error}"
            ))),
        },
        Err(error @ (ZfmError::PortGone { .. } | ZfmError::Io { .. })) => {
            Err(Miss::Gone(error.to_string()))
        }
        Err(error) => {
            tracing::trace!(baud, %error, "no fingerprint module at this baud");
            Err(Miss::Silent)
        }
    };
    (module.into_transport(), outcome)
}

/// A module that refuses the factory password: it is there, but says nothing more.
fn locked_module(baud: u32) -> FingerprintIdentity {
    FingerprintIdentity {
        model: "ZFM/R30x/AS608 (password protected)".to_owned(),
        serial_number: None,
        batch: None,
        hardware_version: None,
        sensor_type: None,
        sensor_size: (0, 0),
        baud,
        packet_size: 0,
        system_id: 0,
        library_size: 0,
        security_level: 0,
        password_protected: true,
    }
}

fn fingerprint_identity(report: &ProbeReport) -> FingerprintIdentity {
    let product = report.product.as_ref();
    let text = |value: Option<&String>| value.filter(|v| !v.is_empty()).cloned();
    FingerprintIdentity {
        model: text(product.map(|p| &p.module_type))
            .unwrap_or_else(|| "ZFM/R30x/AS608 (no product information)".to_owned()),
        serial_number: text(product.map(|p| &p.serial)),
        batch: text(product.map(|p| &p.batch)),
        hardware_version: product.map(|p| {
            let (main, sub) = p.hardware_version;
            format!("{main}.{sub}")
        }),
        sensor_type: text(product.map(|p| &p.sensor_type)),
        sensor_size: (report.settings.width, report.settings.height),
        baud: report.settings.baud,
        packet_size: report.settings.packet_size.bytes(),
        system_id: report.parameters.system_id,
        library_size: report.parameters.library_size,
        security_level: report.parameters.security_level,
        password_protected: false,
    }
}

/// "get version" at the line's current baud; if it answers, the stored picture size too.
fn camera_hello(
    line: &mut SerialTransport,
    baud: u32,
    answer: Duration,
) -> Result<CameraIdentity, Miss> {
    line.drain(CAMERA_DRAIN_QUIET, CAMERA_DRAIN_MAX)
        .map_err(line_failure)?;
    let reply = ask_camera(line, baud, answer, &GetVersion)?;
    // Anything that answers in the camera's framing is a camera, whatever its status.
    let version_text = if reply.status == 0 {
        GetVersion.parse(&reply.data).unwrap_or_default()
    } else {
        String::new()
    };
    let mut words = version_text.split_whitespace();
    let model = words.next().unwrap_or("VC0706").to_owned();
    let firmware = words.collect::<Vec<_>>().join(" ");
    let image_size = match ask_camera(line, baud, answer, &GetImageSize) {
        Ok(reply) if reply.status == 0 => match GetImageSize.parse(&reply.data) {
            Ok(Ok(size)) => Some(size.to_string()),
            Ok(Err(unknown)) => Some(format!("code {:#04x}", unknown.0)),
            Err(_) => None,
        },
        Ok(_) | Err(Miss::Silent | Miss::Faltered(_)) => None,
        Err(gone @ Miss::Gone(_)) => return Err(gone),
    };
    Ok(CameraIdentity {
        model,
        firmware,
        version_text,
        baud,
        image_size,
    })
}

/// Sends one camera request and waits for its reply (any status), skipping stray bytes. Only
/// read-only requests are sent this way.
fn ask_camera<C: CameraCommand>(
    line: &mut SerialTransport,
    baud: u32,
    answer: Duration,
    command: &C,
) -> Result<Reply, Miss> {
    let request = Request::new(C::CODE, &command.args())
        .map(|r| r.to_bytes())
        .map_err(|e| Miss::Faltered(e.to_string()))?;
    line.write_command(
        CommandLabel::command(DeviceKind::Camera, C::NAME, C::CODE),
        &request,
    )
    .map_err(line_failure)?;
    let deadline =
        Instant::now() + answer + line_time(request.len() as u64 + CAMERA_REPLY_BYTES, baud);
    let mut buf: Vec<u8> = Vec::with_capacity(64);
    let mut scratch = [0u8; 64];
    loop {
        match scan_reply(&buf, DEFAULT_SERIAL, C::CODE) {
            ReplyScan::Found { reply, .. } => return Ok(reply),
            ReplyScan::NeedMore { skipped } => {
                buf.drain(..skipped);
            }
        }
        let n = line
            .read_some_by(&mut scratch, deadline)
            .map_err(line_failure)?;
        buf.extend_from_slice(&scratch[..n]);
    }
}

/// A read that timed out means "no camera at this baud"; anything else, the port failing.
fn line_failure(error: TransportError) -> Miss {
    match error {
        TransportError::Timeout => Miss::Silent,
        other => Miss::Gone(other.to_string()),
    }
}

fn resolved_target(path: &str) -> Option<String> {
    let target = std::fs::canonicalize(path).ok()?;
    let target = target.to_string_lossy().into_owned();
    (target != path).then_some(target)
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}
