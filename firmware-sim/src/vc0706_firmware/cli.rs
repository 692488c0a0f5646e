//! `firmware-sim camera --link PATH [--baud N] [--seed S] [--faults SPEC] [--unpaced]
//! [--camera-defects SPEC]`: serves a
//! simulated camera until SIGTERM or SIGINT, with a control socket at `PATH.control`.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use clap::Args;

use super::{CameraSim, CameraSimConfig, control_socket};
use crate::pty::FaultSpec;
use crate::synth::portrait::{Defect, Defects};
use crate::synth::sensor_defects::CameraDefects;

/// `firmware-sim camera`.
#[derive(Debug, Args)]
pub struct CameraArgs {
    /// Make this path a symlink to the pseudo-terminal (what a serial client opens).
    #[arg(long)]
    pub link: PathBuf,
    /// Speed at power-up (a reset always returns to 38,400).
    #[arg(long, default_value_t = super::firmware::DEFAULT_BAUD)]
    pub baud: u32,
    /// Seed of the applicant in front of the camera (and of the fault dice).
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// Photo defects of the applicant, comma-separated (e.g. `tilted,side-shadow`).
    #[arg(long, value_delimiter = ',')]
    pub defects: Vec<Defect>,
    /// Faults on what the camera sends, e.g. `flip=1e-5,drop=1e-5,stall=1e-5@300ms,garbage=32`.
    #[arg(long, default_value = "")]
    pub faults: FaultSpec,
    /// Send as fast as possible instead of at the baud.
    #[arg(long)]
    pub unpaced: bool,
    /// The camera's own defects, e.g. `cast=1.2:1:0.8,defocus=2.5`.
    #[arg(long, default_value = "")]
    pub camera_defects: CameraDefects,
}

/// Serves the camera until SIGTERM or SIGINT; removes the link and the control socket on the way
/// out.
pub fn run(args: &CameraArgs) -> anyhow::Result<()> {
    let config = CameraSimConfig {
        baud: args.baud,
        seed: args.seed,
        defects: args.defects.iter().copied().collect::<Defects>(),
        faults: args.faults.clone(),
        paced: !args.unpaced,
        lens: args.camera_defects,
    };
    let sim = CameraSim::start_linked(config, &args.link)
        .with_context(|| format!("creating the camera's port at {}", args.link.display()))?;
    let mut control_path = args.link.clone().into_os_string();
    control_path.push(".control");
    let control_path = PathBuf::from(control_path);
    let socket = control_socket(&control_path, sim.control())
        .with_context(|| format!("creating the control socket {}", control_path.display()))?;
    println!("{}", sim.slave_path().display());
    println!(
        "camera VC0706 on {} → {} at {} baud{}; control: {}",
        args.link.display(),
        sim.slave_path().display(),
        args.baud,
        if args.unpaced { " (unpaced)" } else { "" },
        socket.path().display()
    );
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGTERM, signal_hook::consts::SIGINT] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("installing the signal handlers")?;
    }
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(socket);
    sim.stop();
    Ok(())
}
