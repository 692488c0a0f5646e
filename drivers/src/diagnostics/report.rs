//! The diagnostic report: per device, the checks and their verdicts, the figures measured, the
//! error counters and the end of the command log; as text for a terminal and as JSON for support.

use std::fmt::Write as _;

use serde::{Deserialize, Serialize};

use super::command_log::{ErrorCounters, LogEntry};
use super::outcome::{Outcome, Step};
use crate::discovery::PortReport;

/// How a check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    /// As expected.
    Pass,
    /// Works, but something deserves a look (a finger or dirt on the glass, a slow answer).
    Warn,
    /// Does not work.
    Fail,
    /// Not run: the model does not have it, or an earlier check failed.
    Skipped,
}

impl Verdict {
    /// A short word for the terminal.
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Pass => "OK",
            Verdict::Warn => "ATTENTION",
            Verdict::Fail => "ÉCHEC",
            Verdict::Skipped => "non fait",
        }
    }
}

/// One check of a self-test.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckResult {
    /// Which check.
    pub step: Step,
    /// How it went.
    pub verdict: Verdict,
    /// What was seen, with its figures (`Display`: the driver's English words).
    pub outcome: Outcome,
    /// How long it took, milliseconds.
    pub duration_ms: u64,
}

/// GenImg with nothing on the glass, repeated: the module must say "no finger", quickly.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlankCaptureStats {
    /// GenImg sent.
    pub attempts: u32,
    /// Answered "no finger" (the expected answer).
    pub no_finger: u32,
    /// Answered with an image: a finger, or dirt / a latent print on the glass.
    pub image_taken: u32,
    /// Refused with another code, or not answered.
    pub errors: u32,
    /// Fastest answer, milliseconds.
    pub min_ms: f64,
    /// Median answer, milliseconds.
    pub median_ms: f64,
    /// Slowest answer, milliseconds.
    pub max_ms: f64,
}

/// The camera's test picture.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TestFrame {
    /// Picture width, pixels.
    pub width: u32,
    /// Picture height, pixels.
    pub height: u32,
    /// JPEG size, bytes.
    pub jpeg_bytes: u32,
    /// Mean brightness 0..255 (near 0: lens covered or no light; near 255: blinded).
    pub mean_brightness: f64,
    /// Time of the transfer, milliseconds.
    pub transfer_ms: u64,
    /// What the bytes cost on the line at its baud, milliseconds.
    pub line_time_ms: u64,
    /// Chunks read again.
    pub chunk_retries: u32,
}

/// One device's diagnosis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceDiagnosis {
    /// What discovery found on the port.
    pub port: PortReport,
    /// The checks, in the order run.
    pub checks: Vec<CheckResult>,
    /// Fingerprint module: blank capture figures.
    pub blank_capture: Option<BlankCaptureStats>,
    /// Camera: the test picture.
    pub test_frame: Option<TestFrame>,
    /// Errors on the line during the self-test.
    pub counters: ErrorCounters,
    /// The self-test's exchanges (the last ones, when there were many).
    pub log: Vec<LogEntry>,
}

impl DeviceDiagnosis {
    /// The worst verdict of the checks (Pass when every check passed or was skipped).
    pub fn verdict(&self) -> Verdict {
        if self.checks.iter().any(|c| c.verdict == Verdict::Fail) {
            Verdict::Fail
        } else if self.checks.iter().any(|c| c.verdict == Verdict::Warn) {
            Verdict::Warn
        } else if self.checks.is_empty() {
            Verdict::Skipped
        } else {
            Verdict::Pass
        }
    }
}

/// The diagnosis of every port looked at.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagnosticReport {
    /// When the report was made, seconds since 1970 (UTC).
    pub generated_unix_s: u64,
    /// The version of the drivers that made it.
    pub drivers_version: String,
    /// One entry per port.
    pub devices: Vec<DeviceDiagnosis>,
}

impl DiagnosticReport {
    /// Whether no check failed.
    pub fn passed(&self) -> bool {
        self.devices.iter().all(|d| d.verdict() != Verdict::Fail)
    }

    /// The report as JSON (pretty-printed).
    pub fn to_json(&self) -> Result<String, serde_json::Error> {
        serde_json::to_string_pretty(self)
    }

    /// The report as text for a terminal (French, as the technicians' screens), with the last
    /// `log_lines` exchanges of each device.
    pub fn to_text(&self, log_lines: usize) -> String {
        let mut out = String::new();
        for device in &self.devices {
            let port = &device.port;
            let what = match port.kind() {
                Some(kind) => format!(
                    "{} {} à {} bauds",
                    match kind {
                        crate::discovery::DeviceKind::Fingerprint => "capteur d'empreintes",
                        crate::discovery::DeviceKind::Camera => "caméra",
                    },
                    port.model().unwrap_or("?"),
                    port.baud().unwrap_or(0)
                ),
                None => "aucun appareil identifié".to_owned(),
            };
            let _ = writeln!(
                out,
                "== {} : {} — {}",
                port.path,
                what,
                device.verdict().word()
            );
            for check in &device.checks {
                let _ = writeln!(
                    out,
                    "  [{:<9}] {:<14} {} ({} ms)",
                    check.verdict.word(),
                    check.step.code(),
                    check.outcome,
                    check.duration_ms
                );
            }
            let c = &device.counters;
            let _ = writeln!(
                out,
                "  compteurs : {} commandes, {} délais dépassés, {} erreurs de somme de contrôle, \
                 {} reprises, {} pertes du port, {} erreurs d'E/S, {} octets envoyés, {} reçus",
                c.commands,
                c.timeouts,
                c.checksum_errors,
                c.retries,
                c.port_gone,
                c.io_errors,
                c.bytes_sent,
                c.bytes_received
            );
            let skip = device.log.len().saturating_sub(log_lines);
            if log_lines > 0 && !device.log.is_empty() {
                let _ = writeln!(out, "  journal des commandes :");
            }
            for entry in device.log.iter().skip(skip) {
                let _ = writeln!(
                    out,
                    "    {:>7} ms  {:<18} → {:<38} ← {:<24} {:>8} µs  {}",
                    entry.at_ms,
                    entry.command,
                    truncated(&entry.sent_hex, entry.sent_len),
                    truncated(&entry.received_hex, entry.received_len),
                    entry.duration_us,
                    entry.result
                );
            }
        }
        out
    }
}

/// Hex shown, with the full length when cut.
fn truncated(hex: &str, len: usize) -> String {
    let shown = if hex.is_empty() {
        0
    } else {
        hex.split(' ').count()
    };
    if shown < len {
        format!("{hex} … ({len} o)")
    } else {
        hex.to_owned()
    }
}
