//! `station diagnose [--port PATH]... [--config FILE] [--report FILE.json]`: identifies each
//! device, runs its self-test (fingerprint module: handshake, parameters, sensor check, LED,
//! blank captures; camera: handshake, settings, a test picture decoded) over a logged line, and
//! prints the checks, the error counters and the end of the command log. The exit status is a
//! failure when a check failed or no device was found, for remote support scripts.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context, bail};
use clap::Args;
use drivers::diagnostics::{DiagnoseOptions, diagnose};
use drivers::discovery::DiscoveryOptions;

use super::devices::ports_to_probe;

/// `station diagnose`.
#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// Diagnose only the device on this port (repeatable). Without it: every port found, and
    /// the configured ones.
    #[arg(long = "port", value_name = "PATH")]
    pub ports: Vec<String>,
    /// Station configuration whose `[devices]` ports are looked at too.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Also write the whole report (checks, figures, counters, command log) as JSON here.
    #[arg(long, value_name = "FILE.json")]
    pub report: Option<PathBuf>,
    /// GenImg sent with nothing on the fingerprint sensor.
    #[arg(long, default_value_t = 5)]
    pub blank_captures: u32,
    /// Exchanges of the command log printed per device.
    #[arg(long, default_value_t = 12)]
    pub log_lines: usize,
    /// Time limit for identifying the ports, in seconds.
    #[arg(long, default_value_t = 15)]
    pub timeout: u64,
}

/// Runs `station diagnose`.
pub fn run(args: &DiagnoseArgs) -> anyhow::Result<()> {
    let ports = ports_to_probe(&args.ports, args.config.as_deref())?;
    if ports.is_empty() {
        bail!("aucun port série trouvé (indiquez-en un avec --port)");
    }
    let options = DiagnoseOptions {
        discovery: DiscoveryOptions {
            deadline: Duration::from_secs(args.timeout.max(1)),
            ..DiscoveryOptions::default()
        },
        blank_captures: args.blank_captures.max(1),
        ..DiagnoseOptions::default()
    };
    let report = diagnose(&ports, &options);
    crate::out!("{}", report.to_text(args.log_lines));
    if let Some(file) = &args.report {
        let json = report.to_json().context("rapport JSON")?;
        crate::files::write_private(file, json.as_bytes())
            .with_context(|| format!("écriture de {}", file.display()))?;
        crate::outln!("rapport complet : {}", file.display());
    }
    if report.devices.iter().all(|d| d.port.kind().is_none()) {
        bail!("aucun appareil trouvé");
    }
    if !report.passed() {
        bail!("au moins un contrôle a échoué");
    }
    Ok(())
}
