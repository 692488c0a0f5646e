//! Steering the simulated camera: who stands in front of it, the faults on its line, and the
//! power, from tests ([`CameraControl`]) and from a demo or a technician's shell
//! ([`ControlSocket`], a Unix socket at `<link>.control` taking text lines).

use std::io;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};

use super::scene::Applicant;
use crate::control_socket::{ControlSocket, Orders};
use crate::pty::{FaultSpec, FaultSwitch, LineCounters, LineStats};
use crate::synth::portrait::{Defect, Defects};
use crate::synth::qr_card::{Holder, QrCard, TooLong};
use crate::synth::sensor_defects::CameraDefects;

/// An order for the camera's thread.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Order {
    /// Stop answering until power-cycled.
    Hang,
    /// The port disappears for good.
    Unplug,
    /// Power off and on: 38,400 baud, boot text, stored settings applied.
    PowerCycle,
    /// Something moved in front of the camera.
    Motion,
}

/// Counts kept by the camera's firmware.
#[derive(Debug, Default)]
pub(crate) struct FirmwareCounters {
    pub frames_frozen: AtomicU64,
    pub chunks_served: AtomicU64,
    pub resets: AtomicU64,
    pub requests: AtomicU64,
}

/// What the simulated camera has done so far.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CameraSimStats {
    /// The line: bytes each way, faults injected.
    pub line: LineStats,
    /// Frames frozen (each one a capture's picture).
    pub frames_frozen: u64,
    /// Frame-buffer chunks sent.
    pub chunks_served: u64,
    /// Resets and power cycles.
    pub resets: u64,
    /// Requests answered.
    pub requests: u64,
}

/// A handle on a running simulated camera (cheap to clone, usable from any thread).
#[derive(Debug, Clone)]
pub struct CameraControl {
    orders: mpsc::Sender<Order>,
    faults: FaultSwitch,
    line: Arc<LineCounters>,
    interrupt: Arc<AtomicBool>,
    applicant: Arc<Mutex<Applicant>>,
    last_frame: Arc<Mutex<Option<Arc<Vec<u8>>>>>,
    /// The QR code the applicant holds up to the lens, if any.
    qr: Arc<Mutex<Option<Arc<QrCard>>>>,
    pub(crate) counters: Arc<FirmwareCounters>,
}

impl CameraControl {
    pub(crate) fn new(
        orders: mpsc::Sender<Order>,
        faults: FaultSwitch,
        line: Arc<LineCounters>,
        interrupt: Arc<AtomicBool>,
        applicant: Arc<Mutex<Applicant>>,
    ) -> Self {
        Self {
            orders,
            faults,
            line,
            interrupt,
            applicant,
            last_frame: Arc::new(Mutex::new(None)),
            qr: Arc::new(Mutex::new(None)),
            counters: Arc::new(FirmwareCounters::default()),
        }
    }

    /// Puts another applicant (or the same one, with other defects) in front of the camera; with
    /// motion detection on, the camera reports the movement.
    pub fn set_applicant(&self, seed: u64, defects: Defects) {
        {
            let mut applicant = self
                .applicant
                .lock()
                .unwrap_or_else(PoisonError::into_inner);
            applicant.seed = seed;
            applicant.defects = defects;
            applicant.grey_card = false;
        }
        self.order(Order::Motion);
    }

    /// The technician holds the grey card before the lens, until an applicant is set again.
    pub fn show_grey_card(&self) {
        self.applicant
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .grey_card = true;
        self.order(Order::Motion);
    }

    /// The applicant holds up a QR code holding `content` on `holder`, moving as a hand does,
    /// until [`CameraControl::hide_qr`].
    pub fn show_qr(&self, content: &str, holder: Holder) -> Result<(), TooLong> {
        let card = QrCard::new(content, holder)?;
        tracing::debug!(?holder, "QR code held up to the camera");
        *self.qr.lock().unwrap_or_else(PoisonError::into_inner) = Some(Arc::new(card));
        self.order(Order::Motion);
        Ok(())
    }

    /// The applicant puts the QR code away.
    pub fn hide_qr(&self) {
        *self.qr.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }

    /// The QR code held up to the lens, if any.
    pub fn qr(&self) -> Option<Arc<QrCard>> {
        self.qr
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Puts the camera's own defects (colour cast, defocus) in force from the next frame.
    pub fn set_lens(&self, lens: CameraDefects) {
        tracing::debug!(lens = %lens, "camera defects set");
        self.applicant
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .lens = lens;
    }

    /// Who stands in front of the camera.
    pub fn applicant(&self) -> Applicant {
        *self
            .applicant
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Puts faults in force from the next byte sent (command counts start again).
    pub fn set_faults(&self, faults: FaultSpec) {
        self.faults.set(faults);
    }

    /// The faults in force.
    pub fn faults(&self) -> FaultSpec {
        self.faults.get()
    }

    /// The camera stops answering until power-cycled, as a hung module does.
    pub fn hang(&self) {
        self.order(Order::Hang);
    }

    /// The port disappears (the driver's reads fail with a hang-up), as when the USB adapter is
    /// pulled out. There is no coming back.
    pub fn unplug(&self) {
        self.order(Order::Unplug);
        self.interrupt();
    }

    /// Power off and on: the camera returns to 38,400 baud and prints its boot text.
    pub fn power_cycle(&self) {
        self.order(Order::PowerCycle);
        self.interrupt();
    }

    /// Something moves in front of the camera (reported only when motion detection is on).
    pub fn trigger_motion(&self) {
        self.order(Order::Motion);
    }

    /// The JPEG of the frame most recently frozen: exactly the bytes a capture must return.
    pub fn last_frame_sent(&self) -> Option<Vec<u8>> {
        self.last_frame
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_ref()
            .map(|frame| frame.as_ref().clone())
    }

    pub(crate) fn record_frame(&self, frame: &Arc<Vec<u8>>) {
        *self
            .last_frame
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = Some(Arc::clone(frame));
        self.counters.frames_frozen.fetch_add(1, Ordering::Relaxed);
    }

    /// What the camera has done so far.
    pub fn stats(&self) -> CameraSimStats {
        CameraSimStats {
            line: self.line.snapshot(),
            frames_frozen: self.counters.frames_frozen.load(Ordering::Relaxed),
            chunks_served: self.counters.chunks_served.load(Ordering::Relaxed),
            resets: self.counters.resets.load(Ordering::Relaxed),
            requests: self.counters.requests.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn interrupt(&self) {
        self.interrupt.store(true, Ordering::SeqCst);
    }

    fn order(&self, order: Order) {
        // The camera's thread is gone only once the simulator stops: nothing left to steer.
        let _ = self.orders.send(order);
    }

    /// Carries out one text command of the control channel:
    /// `applicant <seed> [defect,defect…]`, `faults <spec>`, `hang`, `unplug`, `power-cycle`,
    /// `motion`, `camera-defects <spec>` (e.g. `cast=1.2:1:0.8,defocus=2`), `grey-card`,
    /// `qr paper|phone <content>` (the rest of the line, spaces included), `qr none`.
    pub fn apply_line(&self, line: &str) -> Result<(), String> {
        if let Some(rest) = line.trim().strip_prefix("qr ") {
            return match rest.trim().split_once(' ') {
                _ if rest.trim() == "none" => {
                    self.hide_qr();
                    Ok(())
                }
                Some(("paper", content)) => self
                    .show_qr(content.trim(), Holder::Paper)
                    .map_err(|e| e.to_string()),
                Some(("phone", content)) => self
                    .show_qr(content.trim(), Holder::Phone)
                    .map_err(|e| e.to_string()),
                _ => Err(format!(
                    "{line:?}: qr paper <content>, qr phone <content> or qr none"
                )),
            };
        }
        let mut words = line.split_whitespace();
        match (words.next(), words.next(), words.next(), words.next()) {
            (Some("applicant"), Some(seed), defects, None) => {
                let seed = seed
                    .parse::<u64>()
                    .map_err(|_| format!("{seed:?} is not a seed (a whole number)"))?;
                let defects = match defects {
                    None | Some("none") => Defects::none(),
                    Some(list) => list
                        .split(',')
                        .map(str::parse::<Defect>)
                        .collect::<Result<Defects, _>>()
                        .map_err(|e| e.to_string())?,
                };
                self.set_applicant(seed, defects);
                Ok(())
            }
            (Some("faults"), spec, None, None) => {
                let spec = spec
                    .unwrap_or("none")
                    .parse::<FaultSpec>()
                    .map_err(|e| e.to_string())?;
                self.set_faults(spec);
                Ok(())
            }
            (Some("camera-defects"), spec, None, None) => {
                let spec = spec
                    .unwrap_or("none")
                    .parse::<CameraDefects>()
                    .map_err(|e| e.to_string())?;
                self.set_lens(spec);
                Ok(())
            }
            (Some("grey-card"), None, ..) => {
                self.show_grey_card();
                Ok(())
            }
            (Some("hang"), None, ..) => {
                self.hang();
                Ok(())
            }
            (Some("unplug"), None, ..) => {
                self.unplug();
                Ok(())
            }
            (Some("power-cycle"), None, ..) => {
                self.power_cycle();
                Ok(())
            }
            (Some("motion"), None, ..) => {
                self.trigger_motion();
                Ok(())
            }
            _ => Err(format!(
                "unknown command {line:?} (applicant <seed> [defects], faults <spec>, camera-defects <spec>, grey-card, qr paper|phone <content>, qr none, hang, unplug, power-cycle, motion)"
            )),
        }
    }
}

/// The control channel: a Unix socket taking one command per line ([`CameraControl::apply_line`]),
/// answering `ok` or `error: …`. Removed when dropped.
pub fn control_socket(path: &Path, control: CameraControl) -> io::Result<ControlSocket> {
    let orders: Orders = Box::new(move |line| control.apply_line(line).map(|()| "ok".to_owned()));
    ControlSocket::start(path, "vc0706-sim-control", orders)
}
