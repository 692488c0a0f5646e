//! The VC0706 serial JPEG camera, simulated: its firmware ([`firmware`]) answering on the master
//! side of a pseudo-terminal ([`crate::pty`]), paced at the baud, serving real JPEGs of a
//! synthetic applicant ([`scene`]), with fault injection and a control handle for tests and demos.
//!
//! Protocol facts: `docs/reference/vc0706-camera-protocol.md`.

pub mod cli;
pub mod control;
pub mod firmware;
pub mod request;
pub mod scene;
mod server;

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;

pub use control::{CameraControl, CameraSimStats, control_socket};
pub use scene::{Applicant, quality_for};

use crate::pty::{FaultSpec, LineSettings, PtyError, SimLine};
use crate::synth::portrait::Defects;
use crate::synth::sensor_defects::CameraDefects;

/// Why the simulated camera could not start.
#[derive(Debug, thiserror::Error)]
pub enum CameraSimError {
    /// The pseudo-terminal or its symlink could not be made.
    #[error(transparent)]
    Pty(#[from] PtyError),
    /// The camera's thread could not be started.
    #[error("cannot start the camera's thread: {0}")]
    Thread(#[source] std::io::Error),
}

/// How the simulated camera starts.
#[derive(Debug, Clone)]
pub struct CameraSimConfig {
    /// Speed at power-up (the chip's default is 38,400; a reset always returns to it).
    pub baud: u32,
    /// Seed of the first applicant in front of the camera (and of the fault dice).
    pub seed: u64,
    /// Defects of the first applicant.
    pub defects: Defects,
    /// Faults on what the camera sends.
    pub faults: FaultSpec,
    /// Pace what is sent at the baud (false: as fast as possible, for quick tests).
    pub paced: bool,
    /// The camera's own defects (colour cast, defocus); none by default.
    pub lens: CameraDefects,
}

impl Default for CameraSimConfig {
    fn default() -> Self {
        Self {
            baud: firmware::DEFAULT_BAUD,
            seed: 1,
            defects: Defects::none(),
            faults: FaultSpec::none(),
            paced: true,
            lens: CameraDefects::none(),
        }
    }
}

/// A running simulated camera. Dropping it (or [`CameraSim::stop`]) ends its thread and removes
/// the symlink.
#[derive(Debug)]
pub struct CameraSim {
    port_path: PathBuf,
    slave_path: PathBuf,
    control: CameraControl,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl CameraSim {
    /// Starts a camera on a new pseudo-terminal (no symlink).
    pub fn start(config: CameraSimConfig) -> Result<Self, CameraSimError> {
        Self::start_on(config, None)
    }

    /// Starts a camera and makes `link` a symlink to its pseudo-terminal.
    pub fn start_linked(config: CameraSimConfig, link: &Path) -> Result<Self, CameraSimError> {
        Self::start_on(config, Some(link))
    }

    fn start_on(config: CameraSimConfig, link: Option<&Path>) -> Result<Self, CameraSimError> {
        let settings = LineSettings {
            baud: config.baud,
            paced: config.paced,
            strict_baud: true,
            seed: config.seed,
            faults: config.faults.clone(),
        };
        let line = SimLine::open(link, settings)?;
        let port_path = line.port_path().to_owned();
        let slave_path = line.slave_path().to_owned();
        let (sender, receiver) = mpsc::channel();
        let applicant = Arc::new(Mutex::new(Applicant {
            seed: config.seed,
            defects: config.defects,
            lens: config.lens,
            grey_card: false,
        }));
        let control = CameraControl::new(
            sender,
            line.fault_switch(),
            line.counters(),
            line.interrupt_flag(),
            Arc::clone(&applicant),
        );
        let stop = Arc::new(AtomicBool::new(false));
        let server = server::Server::new(line, receiver, control.clone(), Arc::clone(&stop));
        let thread = std::thread::Builder::new()
            .name("vc0706-sim".to_owned())
            .spawn(move || server.run())
            .map_err(CameraSimError::Thread)?;
        tracing::info!(port = %port_path.display(), baud = config.baud, "simulated camera started");
        Ok(Self {
            port_path,
            slave_path,
            control,
            stop,
            thread: Some(thread),
        })
    }

    /// The path a driver opens (the symlink if any, else `/dev/pts/N`).
    pub fn port_path(&self) -> &Path {
        &self.port_path
    }

    /// The pseudo-terminal's slave (`/dev/pts/N`).
    pub fn slave_path(&self) -> &Path {
        &self.slave_path
    }

    /// A handle to steer the camera from another thread.
    pub fn control(&self) -> CameraControl {
        self.control.clone()
    }

    /// Stops the camera and waits for its thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.control.interrupt();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for CameraSim {
    fn drop(&mut self) {
        self.shutdown();
    }
}
