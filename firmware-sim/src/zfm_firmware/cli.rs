//! `firmware-sim fingerprint --link PATH [--baud N] [--seed S] [--finger auto|none] [--faults SPEC]
//! [--unpaced] [--defects SPEC]`: serves a simulated fingerprint module until SIGTERM or SIGINT, with a control
//! socket at `PATH.control`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::socket::{self, socket_path};
use super::{FingerMode, FingerprintSim, FingerprintSimConfig, SensorKind};
use crate::pty::FaultSpec;
use crate::synth::sensor_defects::SensorDefects;

/// `--finger`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FingerArg {
    /// A finger at every capture.
    Auto,
    /// No finger until one is placed on the control socket.
    None,
}

/// `--sensor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SensorArg {
    /// ZFM / R305 / R307 / AS608, 256 × 288.
    Zfm,
    /// R503, 192 × 192.
    R503,
}

/// `firmware-sim fingerprint`.
#[derive(Debug, Args)]
pub struct FingerprintArgs {
    /// Make this path a symlink to the pseudo-terminal (what a serial client opens).
    #[arg(long)]
    pub link: PathBuf,
    /// Baud at power-up (the module's default is 57,600).
    #[arg(long, default_value_t = 57_600)]
    pub baud: u32,
    /// Seed of the module (serial number, the `auto` finger, fault dice).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// A finger at every capture (`auto`), or none until placed (`none`).
    #[arg(long, value_enum, default_value_t = FingerArg::Auto)]
    pub finger: FingerArg,
    /// Which module.
    #[arg(long, value_enum, default_value_t = SensorArg::Zfm)]
    pub sensor: SensorArg,
    /// Faults on what the module sends, e.g. `flip=1e-3,drop=1e-4,stall=1e-4@300ms,garbage=32`.
    #[arg(long, default_value = "")]
    pub faults: FaultSpec,
    /// Send as fast as possible instead of at the baud.
    #[arg(long)]
    pub unpaced: bool,
    /// Sensor defects, e.g. `vignetting=0.4,noise=6,dead=12,stuck=5,dirty=40@120x90,dimming=0.02`.
    #[arg(long, default_value = "")]
    pub defects: SensorDefects,
}

/// Serves the module until SIGTERM or SIGINT; removes the link and the control socket on the way
/// out.
pub fn run(args: &FingerprintArgs) -> anyhow::Result<()> {
    let config = FingerprintSimConfig {
        baud: args.baud,
        seed: args.seed,
        finger: match args.finger {
            FingerArg::Auto => FingerMode::Auto,
            FingerArg::None => FingerMode::None,
        },
        faults: args.faults.clone(),
        paced: !args.unpaced,
        sensor: match args.sensor {
            SensorArg::Zfm => SensorKind::Zfm256x288,
            SensorArg::R503 => SensorKind::R503_192x192,
        },
        defects: args.defects.clone(),
        ..FingerprintSimConfig::default()
    };
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("installing the signal handlers")?;
    }
    let sim = FingerprintSim::start_linked(config, &args.link).with_context(|| {
        format!(
            "creating the fingerprint module's port at {}",
            args.link.display()
        )
    })?;
    let control_path = socket_path(&args.link);
    let socket = socket::start(&control_path, sim.control())
        .with_context(|| format!("creating the control socket {}", control_path.display()))?;
    println!("{}", sim.slave_path().display());
    eprintln!(
        "fingerprint module on {} -> {} at {} baud{}, faults: {}; control: {}",
        args.link.display(),
        sim.slave_path().display(),
        args.baud,
        if args.unpaced { " (unpaced)" } else { "" },
        args.faults,
        socket.path().display()
    );
    let control = sim.control();
    while !stop.load(Ordering::SeqCst) && control.is_running() {
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(socket);
    sim.stop();
    Ok(())
}
