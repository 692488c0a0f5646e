//! The simulated firmware of a ZFM / R30x / AS608 / R503 fingerprint module, served on a real
//! pseudo-terminal (see docs/reference/zfm-fingerprint-protocol.md).
//!
//! One thread per simulator reads the line, answers each command as a module does (framing,
//! checksum, address, password, registers, baud and packet size taking effect at restart, the R50x's
//! 0x55 boot byte, image capture and upload, features, templates and library), and paces what it sends
//! at the baud. [`SimControl`] places and lifts fingers, changes faults and power from any thread.
//!
//! Where the sources disagree or say nothing, the simulator chooses, and a driver must cope:
//! - ReadSysPara reports the *stored* baud multiplier and packet size, which only come into force at
//!   the next start (SoftRst or power cycle); factory packet size is 128 bytes (R503 manual).
//! - The R503 sends 0x55 when started (power-up, SoftRst); the ZFM sends nothing, as the R30x /
//!   AS608 manuals say. A boot byte sent while no client has the port open waits for one (as an
//!   adapter's FIFO keeps it).
//! - Both sensor kinds know the R50x commands (SoftRst, HandShake, CheckSensor, ReadProdInfo,
//!   AuraLedConfig): the station restarts the module with SoftRst to bring new settings into force,
//!   and finds its size with ReadProdInfo. A real R30x answers them 0x01, which the driver copes
//!   with (docs/fingerprint-module.md).
//! - With a password set, every command but VfyPwd, HandShake and GetEcho answers 0x21 until the
//!   password is verified (again after each start); a wrong password answers 0x13.
//! - An unknown instruction, a packet with a bad checksum or missing arguments answer 0x01; a packet
//!   for another address gets no answer.
//! - Img2Tz on an image the module cannot trace to a finger (downloaded, never captured) answers
//!   0x06; on one showing fewer than 8 minutiae, 0x07. See [`CharFile`] for how features are drawn.
//! - A client whose port is at another baud than the module's gets garbage, and sends garbage.

mod charfile;
pub mod cli;
mod codes;
mod control;
mod firmware;
mod library;
mod matching;
mod packet;
mod registers;
mod sensor;
mod server;
pub mod socket;

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, mpsc};
use std::thread::JoinHandle;
use std::time::Duration;

pub use charfile::{CHAR_FILE_BYTES, CharFile, Feature};
pub use codes::{BOOT_BYTE, DEFAULT_ADDRESS, PACKET_SIZES, confirm, instruction};
pub use control::{ControlError, SimControl, SimStats};
pub use firmware::Aura;
pub use packet::{Packet, PacketReader, checksum, encode};

use crate::pty::{FaultSpec, LineSettings, PtyError, SimLine};
use crate::synth::sensor_defects::{DefectiveSensor, SensorDefects};
use control::{FirmwareCounters, Shared};
use sensor::FingerOnSensor;

/// Whether a finger is on the glass at every capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FingerMode {
    /// Every GenImg finds a finger (the simulator's seed), a new impression each time.
    Auto,
    /// No finger until one is placed.
    #[default]
    None,
}

/// Which module is simulated: the sensor's size, the model reported, the bauds accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[allow(non_camel_case_types)]
pub enum SensorKind {
    /// ZFM-20/60, R305/R307, AS608: optical, 256 × 288 pixels, N = 1..12.
    #[default]
    Zfm256x288,
    /// R503: capacitive, 192 × 192 pixels, N ∈ {1, 2, 4, 6, 12}.
    R503_192x192,
}

impl SensorKind {
    /// Image width, pixels.
    pub fn width(self) -> u32 {
        match self {
            Self::Zfm256x288 => 256,
            Self::R503_192x192 => 192,
        }
    }

    /// Image height, pixels.
    pub fn height(self) -> u32 {
        match self {
            Self::Zfm256x288 => 288,
            Self::R503_192x192 => 192,
        }
    }

    /// The module type ReadProdInfo reports.
    pub fn model(self) -> &'static str {
        match self {
            Self::Zfm256x288 => "ZFM-60",
            Self::R503_192x192 => "R503",
        }
    }

    /// The sensor type ReadProdInfo reports.
    pub fn sensor_type(self) -> &'static str {
        match self {
            Self::Zfm256x288 => "OPTICAL",
            Self::R503_192x192 => "CAPACITV",
        }
    }

    /// What the module sends when it has started (power-up, SoftRst): the R50x announces itself
    /// with 0x55; the R30x / ZFM / AS608 manuals give an initialisation delay and no byte.
    pub fn boot_bytes(self) -> &'static [u8] {
        match self {
            Self::Zfm256x288 => &[],
            Self::R503_192x192 => &[BOOT_BYTE],
        }
    }
}

/// How a simulated fingerprint module is set up.
#[derive(Debug, Clone)]
pub struct FingerprintSimConfig {
    /// Baud at power-up (the module's factory setting; 57,600 by default).
    pub baud: u32,
    /// Seed of the module: its serial number, the `auto` finger, random codes, fault dice.
    pub seed: u64,
    /// Finger on the glass at every capture, or none until placed.
    pub finger: FingerMode,
    /// Faults on what the module sends.
    pub faults: FaultSpec,
    /// Pace at the baud (true) or send at once (fast tests).
    pub paced: bool,
    /// Which module.
    pub sensor: SensorKind,
    /// A client whose port is at another baud gets garbage, as on a real line.
    pub strict_baud: bool,
    /// How long GenImg takes with a finger (None: 300 ms paced, 0 unpaced).
    pub capture_time: Option<Duration>,
    /// Library pages.
    pub library_size: u16,
    /// Defects of the sensor, applied to every frame it takes (none by default).
    pub defects: SensorDefects,
}

impl Default for FingerprintSimConfig {
    fn default() -> Self {
        Self {
            baud: 57_600,
            seed: 1,
            finger: FingerMode::None,
            faults: FaultSpec::none(),
            paced: true,
            sensor: SensorKind::Zfm256x288,
            strict_baud: true,
            capture_time: None,
            library_size: 200,
            defects: SensorDefects::none(),
        }
    }
}

/// Why a simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    /// The pseudo-terminal could not be set up.
    #[error(transparent)]
    Pty(#[from] PtyError),
    /// The thread could not be started.
    #[error("cannot start the simulator's thread: {0}")]
    Thread(#[source] std::io::Error),
}

/// A running simulated fingerprint module. Dropping it (or [`FingerprintSim::stop`]) ends its
/// thread and removes the symlink.
#[derive(Debug)]
pub struct FingerprintSim {
    control: SimControl,
    slave_path: PathBuf,
    port_path: PathBuf,
    thread: Option<JoinHandle<()>>,
}

impl FingerprintSim {
    /// Starts a module on a new pseudo-terminal.
    pub fn start(config: FingerprintSimConfig) -> Result<Self, SimError> {
        Self::start_on(config, None)
    }

    /// Starts a module on a new pseudo-terminal and makes `link` a symlink to its slave.
    pub fn start_linked(config: FingerprintSimConfig, link: &Path) -> Result<Self, SimError> {
        Self::start_on(config, Some(link))
    }

    fn start_on(config: FingerprintSimConfig, link: Option<&Path>) -> Result<Self, SimError> {
        if config.finger == FingerMode::Auto {
            // Grow the finger before the port appears: a module answers its first GenImg in a
            // capture's time (clients allow about a second), not in a synthesis's.
            let _ = crate::synth::fingerprint::Finger::from_seed(config.seed);
        }
        let settings = LineSettings {
            baud: config.baud,
            paced: config.paced,
            strict_baud: config.strict_baud,
            seed: config.seed,
            faults: config.faults.clone(),
        };
        let line = SimLine::open(link, settings)?;
        let (orders_tx, orders_rx) = mpsc::channel();
        let shared = Arc::new(Shared {
            finger: Mutex::new(FingerOnSensor {
                placed: None,
                auto: config.finger == FingerMode::Auto,
                auto_seed: config.seed,
                auto_count: 0,
                target: None,
            }),
            sensor: Mutex::new(DefectiveSensor::new(config.defects.clone(), config.seed)),
            sensor_size: (config.sensor.width(), config.sensor.height()),
            last_image: Mutex::new(None),
            counters: FirmwareCounters::default(),
            line: line.counters(),
            faults: line.fault_switch(),
            interrupt: line.interrupt_flag(),
            stop: AtomicBool::new(false),
            orders: Mutex::new(orders_tx),
        });
        let firmware = firmware::Firmware::new(&config, Arc::clone(&shared));
        let slave_path = line.slave_path().to_owned();
        let port_path = line.port_path().to_owned();
        tracing::info!(
            port = %port_path.display(),
            slave = %slave_path.display(),
            baud = config.baud,
            paced = config.paced,
            faults = %config.faults,
            defects = %config.defects,
            "fingerprint simulator started"
        );
        let thread_shared = Arc::clone(&shared);
        let thread = std::thread::Builder::new()
            .name("zfm-firmware".into())
            .spawn(move || server::serve(line, firmware, thread_shared, orders_rx))
            .map_err(SimError::Thread)?;
        Ok(Self {
            control: SimControl { shared },
            slave_path,
            port_path,
            thread: Some(thread),
        })
    }

    /// The path a driver opens: the symlink if there is one, else the slave.
    pub fn port_path(&self) -> &Path {
        &self.port_path
    }

    /// The pseudo-terminal's slave (`/dev/pts/N`).
    pub fn slave_path(&self) -> &Path {
        &self.slave_path
    }

    /// A handle to steer the module.
    pub fn control(&self) -> SimControl {
        self.control.clone()
    }

    /// Ends the thread and removes the symlink.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        use std::sync::atomic::Ordering;
        self.control.shared.stop.store(true, Ordering::SeqCst);
        self.control.shared.interrupt.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::warn!("the simulator's thread panicked");
        }
    }
}

impl Drop for FingerprintSim {
    fn drop(&mut self) {
        self.shutdown();
    }
}
