//! `station devices [--port PATH]... [--config FILE] [--save FILE] [--json]`: what is on each
//! serial port, found by a safe handshake at every baud, one line per port (path, what is there,
//! model, current baud). Without `--port`, every port the system lists plus the ports already in
//! the configuration (symlinks included); with it, only those. `--save` writes the ports found
//! into the configuration's `[devices]` section, leaving the rest of the file as it was.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::Args;
use drivers::discovery::{
    DiscoveryOptions, Found, PortCandidate, PortReport, candidate_ports, discover,
};

use crate::config::DeviceSettings;
use crate::config::devices_file::{read_devices, save};

/// `station devices`.
#[derive(Debug, Args)]
pub struct DevicesArgs {
    /// Probe only this port (repeatable). Without it: every port found, and the configured ones.
    #[arg(long = "port", value_name = "PATH")]
    pub ports: Vec<String>,
    /// Station configuration whose `[devices]` ports are probed too (default: the `--save` file).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Write the ports found into this configuration file's `[devices]` section.
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,
    /// Print the reports as JSON instead of one line per port.
    #[arg(long)]
    pub json: bool,
    /// Time limit for the whole discovery, in seconds.
    #[arg(long, default_value_t = 15)]
    pub timeout: u64,
}

/// Runs `station devices`.
pub fn run(args: &DevicesArgs) -> anyhow::Result<()> {
    let config_file = args.config.as_ref().or(args.save.as_ref());
    let ports = ports_to_probe(&args.ports, config_file.map(PathBuf::as_path))?;
    if ports.is_empty() {
        crate::outln!("aucun port série trouvé (indiquez-en un avec --port)");
        return Ok(());
    }
    let options = DiscoveryOptions {
        deadline: Duration::from_secs(args.timeout.max(1)),
        ..DiscoveryOptions::default()
    };
    let reports = discover(&ports, &options);
    if args.json {
        crate::outln!("{}", serde_json::to_string_pretty(&reports)?);
    } else {
        for report in &reports {
            crate::outln!("{}", line(report));
        }
    }
    if let Some(file) = &args.save {
        let saved = save(file, &reports)?;
        // Keep stdout for the table (scripts read it); say what was written on stderr.
        eprintln!("{saved}");
    }
    Ok(())
}

/// The ports given, or every port found plus those of the configuration.
pub fn ports_to_probe(
    given: &[String],
    config: Option<&Path>,
) -> anyhow::Result<Vec<PortCandidate>> {
    if !given.is_empty() {
        return Ok(given.iter().map(PortCandidate::path).collect());
    }
    let configured = match config {
        Some(file) if file.exists() => configured_ports(&read_devices(file)?),
        _ => Vec::new(),
    };
    Ok(candidate_ports(&configured))
}

/// The paths in a `[devices]` section.
pub fn configured_ports(devices: &DeviceSettings) -> Vec<String> {
    [&devices.fingerprint, &devices.camera]
        .into_iter()
        .flatten()
        .map(|port| port.path.to_string_lossy().into_owned())
        .collect()
}

/// One line per port: path, what is there, model, current baud.
pub fn line(report: &PortReport) -> String {
    let (what, model, baud) = match &report.found {
        Found::Fingerprint(f) => (
            "capteur d'empreintes".to_owned(),
            match &f.serial_number {
                Some(serial) => format!("{} n° {serial}", f.model),
                None => f.model.clone(),
            },
            format!("{} bauds", f.baud),
        ),
        Found::Camera(c) => (
            "caméra".to_owned(),
            format!("{} {}", c.model, c.firmware).trim().to_owned(),
            format!("{} bauds", c.baud),
        ),
        Found::Nothing => ("rien".to_owned(), "-".to_owned(), "-".to_owned()),
        Found::NotAnswering { bytes_heard, .. } => (
            "ne répond pas".to_owned(),
            format!("{bytes_heard} octets entendus"),
            "-".to_owned(),
        ),
        Found::CannotOpen { reason } => (
            "impossible à ouvrir".to_owned(),
            short_reason(reason),
            "-".to_owned(),
        ),
    };
    format!("{:<32} {what:<21} {model:<28} {baud}", report.path)
}

/// The end of an open error is what matters ("No such file or directory", "Device busy").
fn short_reason(reason: &str) -> String {
    reason.rsplit(": ").next().unwrap_or(reason).to_owned()
}
