//! Steering a running fingerprint simulator from tests and from the control channel:
//! place and lift a finger, auto mode, faults, power, hang, unplug; and what it has done so far.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::Duration;

use image::GrayImage;

use super::sensor::FingerOnSensor;
use crate::pty::{FaultSpec, FaultSwitch, LineCounters, LineStats};
use crate::synth::sensor_defects::{DefectLayout, DefectiveSensor, SensorDefects, Target};

/// An order carried out by the simulator's thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// Power off and on: settings stored in flash come into force, an R503 sends 0x55.
    PowerCycle,
    /// Stop answering until power-cycled.
    Hang,
    /// The port disappears for good.
    Unplug,
}

/// Counts kept by the firmware.
#[derive(Debug, Default)]
pub(crate) struct FirmwareCounters {
    pub commands_served: AtomicU64,
    pub captures: AtomicU64,
    pub images_sent: AtomicU64,
    pub restarts: AtomicU64,
    pub bad_packets: AtomicU64,
}

/// State shared by the simulator's thread and its control handles.
#[derive(Debug)]
pub(crate) struct Shared {
    pub finger: Mutex<FingerOnSensor>,
    pub sensor: Mutex<DefectiveSensor>,
    pub sensor_size: (u32, u32),
    pub last_image: Mutex<Option<GrayImage>>,
    pub counters: FirmwareCounters,
    pub line: Arc<LineCounters>,
    pub faults: FaultSwitch,
    pub interrupt: Arc<AtomicBool>,
    pub stop: AtomicBool,
    pub orders: Mutex<mpsc::Sender<(Order, mpsc::Sender<()>)>>,
}

impl Shared {
    pub(crate) fn finger(&self) -> std::sync::MutexGuard<'_, FingerOnSensor> {
        self.finger.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn sensor(&self) -> std::sync::MutexGuard<'_, DefectiveSensor> {
        self.sensor.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// What the simulated module has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SimStats {
    /// Bytes sent to the client (after faults).
    pub bytes_sent: u64,
    /// Bytes received from the client.
    pub bytes_received: u64,
    /// Commands answered.
    pub commands_served: u64,
    /// Faults injected on the line (flipped bits, dropped bytes, stalls, garbage bytes).
    pub faults_injected: u64,
    /// Images captured (GenImg with a finger).
    pub captures: u64,
    /// Images uploaded (UpImage).
    pub images_sent: u64,
    /// Restarts (SoftRst and power cycles, not the first start).
    pub restarts: u64,
    /// Packets refused for a bad checksum.
    pub bad_packets: u64,
    /// The line's counters in detail.
    pub line: LineStats,
}

/// Why an order to the simulator could not be carried out.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ControlError {
    /// The simulator has stopped (or its port is gone).
    #[error("the simulator is not running")]
    NotRunning,
}

/// A handle on a running fingerprint simulator (cheap to clone, usable from any thread).
#[derive(Debug, Clone)]
pub struct SimControl {
    pub(crate) shared: Arc<Shared>,
}

impl SimControl {
    /// Lays impression `impression` of finger `finger_seed` on the glass; it stays until lifted.
    pub fn place_finger(&self, finger_seed: u64, impression: u32) {
        tracing::debug!(finger_seed, impression, "finger placed");
        {
            let mut on_glass = self.shared.finger();
            on_glass.placed = Some((finger_seed, impression));
            on_glass.target = None;
        }
        warm_up(finger_seed);
    }

    /// Lifts the finger (and any calibration target).
    pub fn lift_finger(&self) {
        tracing::debug!("finger lifted");
        let mut on_glass = self.shared.finger();
        on_glass.placed = None;
        on_glass.target = None;
    }

    /// Lays a calibration target on the glass (in place of any finger): GenImg succeeds and the
    /// image is the target as the sensor, defects included, sees it; it has no ridges, so Img2Tz
    /// refuses it. It stays until lifted ([`SimControl::lift_finger`]).
    pub fn place_target(&self, target: Target) {
        tracing::debug!(target = target.name(), "calibration target placed");
        let mut on_glass = self.shared.finger();
        on_glass.placed = None;
        on_glass.target = Some(target);
    }

    /// Puts sensor defects in force from the next capture (the sensor keeps its age).
    pub fn set_defects(&self, defects: SensorDefects) {
        tracing::debug!(defects = %defects, "sensor defects set");
        self.shared.sensor().set_defects(defects);
    }

    /// The sensor defects in force.
    pub fn defects(&self) -> SensorDefects {
        self.shared.sensor().defects().clone()
    }

    /// Where the defects lie on this module's sensor: the ground truth a calibration is checked
    /// against.
    pub fn defect_layout(&self) -> DefectLayout {
        let (width, height) = self.shared.sensor_size;
        self.shared.sensor().layout(width, height)
    }

    /// Auto mode: a finger (the simulator's seed) is on the glass at every GenImg, a new
    /// impression each time, unless one has been placed by hand.
    pub fn set_auto(&self, on: bool) {
        self.shared.finger().auto = on;
    }

    /// Puts new faults in force on the line.
    pub fn set_faults(&self, faults: FaultSpec) {
        self.shared.faults.set(faults);
    }

    /// The faults in force.
    pub fn faults(&self) -> FaultSpec {
        self.shared.faults.get()
    }

    fn order(&self, order: Order) -> Result<(), ControlError> {
        let (done_tx, done_rx) = mpsc::channel();
        {
            let orders = self
                .shared
                .orders
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            orders
                .send((order, done_tx))
                .map_err(|_| ControlError::NotRunning)?;
        }
        // Cut short whatever the module is sending (an image takes seconds).
        self.shared.interrupt.store(true, Ordering::SeqCst);
        done_rx
            .recv_timeout(Duration::from_secs(5))
            .map_err(|_| ControlError::NotRunning)
    }

    /// Powers the module off and on: what it was sending is cut, stored settings (baud, packet
    /// size) come into force, the buffers are cleared, the library is kept, and an R503 sends 0x55
    /// (a ZFM nothing).
    /// Returns once the module has started again.
    pub fn power_cycle(&self) -> Result<(), ControlError> {
        self.order(Order::PowerCycle)
    }

    /// The module stops answering (it still reads) until power-cycled.
    pub fn hang(&self) -> Result<(), ControlError> {
        self.order(Order::Hang)
    }

    /// The port disappears: the client's reads fail, the symlink is removed; the simulator stops.
    pub fn unplug(&self) -> Result<(), ControlError> {
        self.order(Order::Unplug)
    }

    /// The last image sent by UpImage, as the host must rebuild it (nibble n → n × 17).
    pub fn last_image_sent(&self) -> Option<GrayImage> {
        self.shared
            .last_image
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// What the module has done so far.
    pub fn stats(&self) -> SimStats {
        let line = self.shared.line.snapshot();
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        let counters = &self.shared.counters;
        SimStats {
            bytes_sent: line.bytes_sent,
            bytes_received: line.bytes_received,
            commands_served: get(&counters.commands_served),
            faults_injected: line.faults_injected(),
            captures: get(&counters.captures),
            images_sent: get(&counters.images_sent),
            restarts: get(&counters.restarts),
            bad_packets: get(&counters.bad_packets),
            line,
        }
    }

    /// Whether the simulator's thread is still serving.
    pub fn is_running(&self) -> bool {
        !self.shared.stop.load(Ordering::SeqCst)
    }
}

/// Draws a finger's identity in the background, so that the first capture of it takes a capture's
/// time rather than a synthesis's (the identity is cached by the synthesiser).
pub(crate) fn warm_up(finger_seed: u64) {
    let spawned = std::thread::Builder::new()
        .name("finger-warm-up".into())
        .spawn(move || {
            let _ = crate::synth::fingerprint::Finger::from_seed(finger_seed);
        });
    if let Err(e) = spawned {
        tracing::debug!(error = %e, "no warm-up thread");
    }
}
