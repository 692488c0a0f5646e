//! `station provision`: enrols this station with the national service using the one-time code and
//! the CA certificate a technician brings, then writes (or updates) the configuration file.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use crate::config::{Mode, StationConfig};
use crate::trust::enrol::provision_config;

/// `station provision …`.
#[derive(Debug, Args)]
pub struct ProvisionArgs {
    /// The station configuration file (TOML), created if it does not exist.
    #[arg(long)]
    pub config: PathBuf,
    /// The central's URL, e.g. https://central.example:8443 (http:// is refused).
    #[arg(long)]
    pub central: String,
    /// The national CA certificate (PEM) handed over with the code.
    #[arg(long)]
    pub ca: PathBuf,
    /// The one-time enrolment code from `central stations enrol`.
    #[arg(long)]
    pub code: String,
    /// The data directory, for a configuration file that does not exist yet.
    #[arg(long)]
    pub data: Option<PathBuf>,
}

/// Runs `station provision`.
pub fn run(args: &ProvisionArgs) -> anyhow::Result<()> {
    let mut config = if args.config.exists() {
        StationConfig::load(&args.config)?
    } else {
        let data_dir = args
            .data
            .clone()
            .context("no configuration file yet: give --data DIR for the station's data")?;
        StationConfig::new(data_dir, Mode::from_env())
    };
    config.central.url.clone_from(&args.central);
    let (config, answer) = provision_config(config, &args.ca, &args.code)?;
    std::fs::write(&args.config, config.to_toml())
        .with_context(|| format!("writing {}", args.config.display()))?;
    crate::outln!("station_id={}", answer.station_id);
    crate::outln!("town_hall={}", answer.town_hall);
    crate::outln!("certificate_not_after={}", answer.not_after);
    crate::outln!("config={}", args.config.display());
    Ok(())
}
