//! `station-demo selftest`: the station's self-test (`station selftest`) on a simulated station:
//! a central started here on loopback, both simulated devices, which lay the calibration targets
//! on cue so the calibrations run for real.

use std::path::PathBuf;

use anyhow::Context;
use central::{Central, CentralConfig};
use clap::Args;
use station::cli::selftest::{SelftestRun, run_on};

use crate::{local_station, sim_targets::SimTargets};

/// `station-demo selftest`.
#[derive(Debug, Args)]
pub struct SelftestArgs {
    /// Where the central (`DIR/central`) and the station (`DIR/station`) keep their data.
    #[arg(long, default_value = "selftest-data")]
    pub data_dir: PathBuf,
    /// Pace the simulated devices at their line speeds (as real ones).
    #[arg(long)]
    pub paced: bool,
    /// How many enrolments, and how long each may take.
    #[command(flatten)]
    pub run: SelftestRun,
}

/// Runs the self-test on a simulated station, then stops it.
pub fn run(args: &SelftestArgs) -> anyhow::Result<()> {
    let root = local_station::absolute(&args.data_dir)?;
    std::fs::create_dir_all(&root)
        .with_context(|| format!("création du dossier {}", root.display()))?;
    let central = Central::start(CentralConfig::new(root.join("central")))
        .context("démarrage du service national local")?;
    let mut config = local_station::provision(&root.join("station"), &central)?;
    config.devices = local_station::simulator_devices(&root);
    let (fingerprint, camera) = local_station::start_simulators(&root, args.paced)?;
    let targets = SimTargets {
        sensor: fingerprint.control(),
        camera: camera.control(),
    };
    let outcome = run_on(&config, &args.run, Some(&targets));
    camera.stop();
    fingerprint.stop();
    central.stop();
    outcome
}
