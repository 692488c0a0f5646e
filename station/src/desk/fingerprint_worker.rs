//! The fingerprint module's worker thread: it owns the driver, finds the module, waits for a
//! finger when asked, brings the image home with progress, scores it, and reports back. The core
//! never touches the serial line.

use std::{
    path::PathBuf,
    sync::mpsc::{Receiver, SyncSender, TryRecvError, sync_channel},
    thread::JoinHandle,
    time::{Duration, Instant},
};

use drivers::{transport::SerialTransport, zfm::FingerprintModule};
use image::GrayImage;
use tracing::{debug, info, warn};
use zeroize::Zeroize;

use super::report::Reporter;
use crate::{
    calibration::FlatFieldStore,
    checks::quality::{self, Feedback},
    config::PortSettings,
    record::manifest::Device,
};

/// How often a wait for a finger looks for a cancel order.
const CANCEL_POLL: Duration = Duration::from_millis(1_000);
/// After a wait slice ends, a GenImg answer may still be on its way (a capture takes ~300 ms on a
/// real module): drain it, or it would land in the middle of the image transfer that follows.
const LATE_ANSWER_QUIET: Duration = Duration::from_millis(30);
const LATE_ANSWER_MAX: Duration = Duration::from_millis(800);
/// Progress reports per image (the screens need no more).
const PROGRESS_STEPS: usize = 20;

/// What the core asks of the worker.
#[derive(Debug)]
pub(crate) enum FingerOrder {
    /// Wait up to `timeout` for a finger, then read and score it.
    Capture {
        /// How long to wait for the finger.
        timeout: Duration,
    },
    /// Stop waiting for a finger.
    Cancel,
    /// Release the port for a technician's routine, run it, then reopen the port.
    Lend(super::technician_jobs::Lent),
}

/// A finger read and scored.
pub(crate) struct FingerCapture {
    /// The image at the sensor's size.
    pub image: GrayImage,
    /// Quality 0..=100.
    pub quality: u8,
    /// Minutiae the quality check found (breaks ties between captures of the same quality).
    pub minutiae: u32,
    /// Advice from the quality check.
    pub feedback: Vec<Feedback>,
    /// The image transfer on the serial line (UpImage to the last packet).
    pub transfer: Duration,
    /// What the transfer's bytes cost at the line speed.
    pub line_time: Duration,
    /// Waiting for the finger (the applicant's time, not the machine's).
    pub waited: Duration,
    /// The quality check.
    pub quality_time: Duration,
}

impl std::fmt::Debug for FingerCapture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FingerCapture")
            .field("size", &self.image.dimensions())
            .field("quality", &self.quality)
            .field("transfer", &self.transfer)
            .finish_non_exhaustive()
    }
}

impl Drop for FingerCapture {
    fn drop(&mut self) {
        // The pixels are biometric data: wipe them wherever this capture ends up dropped.
        let mut pixels = std::mem::take(&mut self.image).into_raw();
        pixels.zeroize();
    }
}

/// What the worker reports.
#[derive(Debug)]
pub(crate) enum FingerReport {
    /// The module answers.
    Ready {
        /// Its port.
        port: PathBuf,
        /// Model and serial, for the manifest.
        device: Device,
    },
    /// The module cannot be used.
    Problem {
        /// Its port, if configured.
        port: Option<PathBuf>,
        /// Technical detail (logs, technician).
        detail: String,
    },
    /// A finger is on the sensor; its image is being read.
    Reading,
    /// Image transfer progress, with the image as far as it has arrived.
    Progress {
        /// 0.0..=1.0.
        fraction: f32,
        /// The rows received, the rest white.
        arrived: super::Picture,
    },
    /// The finger was read and scored.
    Captured(Box<FingerCapture>),
    /// Nobody placed a finger in time.
    NoFinger,
    /// The wait was cancelled.
    Cancelled,
    /// The capture failed.
    Failed(String),
}

/// The running worker; dropping it stops the thread after its current step.
#[derive(Debug)]
pub(crate) struct FingerprintWorker {
    orders: Option<SyncSender<FingerOrder>>,
    thread: Option<JoinHandle<()>>,
}

impl FingerprintWorker {
    /// Starts the worker for the module at `port` (or one that reports the module missing).
    pub(crate) fn start(
        port: Option<PortSettings>,
        events: Reporter<FingerReport>,
        flat_field: FlatFieldStore,
    ) -> std::io::Result<Self> {
        let (orders, inbox) = sync_channel(4);
        let thread = std::thread::Builder::new()
            .name("fingerprint".into())
            .spawn(move || run(port, &inbox, &events, &flat_field))?;
        Ok(Self {
            orders: Some(orders),
            thread: Some(thread),
        })
    }

    /// Sends an order; false when the worker is gone or busy with too many orders.
    pub(crate) fn order(&self, order: FingerOrder) -> bool {
        self.orders
            .as_ref()
            .is_some_and(|o| o.try_send(order).is_ok())
    }

    /// Stops the thread and waits for it.
    pub(crate) fn stop(&mut self) {
        self.orders = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for FingerprintWorker {
    fn drop(&mut self) {
        self.stop();
    }
}

fn report(events: &Reporter<FingerReport>, report: FingerReport) -> bool {
    events.send(report)
}

fn run(
    port: Option<PortSettings>,
    inbox: &Receiver<FingerOrder>,
    events: &Reporter<FingerReport>,
    flat_field: &FlatFieldStore,
) {
    let Some(port) = port else {
        report(
            events,
            FingerReport::Problem {
                port: None,
                detail: "no fingerprint module configured".into(),
            },
        );
        // Nothing to drive: answer orders until the core stops.
        while let Ok(order) = inbox.recv() {
            if let FingerOrder::Lend(lent) = order {
                lent.run();
            } else if matches!(order, FingerOrder::Capture { .. }) {
                report(events, FingerReport::Failed("no fingerprint module".into()));
            }
        }
        return;
    };
    let mut module = match open(&port) {
        Ok((module, device)) => {
            report(
                events,
                FingerReport::Ready {
                    port: port.path.clone(),
                    device,
                },
            );
            Some(module)
        }
        Err(detail) => {
            warn!(device = "fingerprint", port = %port.path.display(), %detail, "fingerprint module not found");
            report(
                events,
                FingerReport::Problem {
                    port: Some(port.path.clone()),
                    detail,
                },
            );
            None
        }
    };
    while let Ok(order) = inbox.recv() {
        let order = match order {
            FingerOrder::Lend(lent) => {
                // The technician's routine opens the port itself: close ours, reopen after.
                drop(module.take());
                lent.run();
                module = match open(&port) {
                    Ok((m, device)) => {
                        report(
                            events,
                            FingerReport::Ready {
                                port: port.path.clone(),
                                device,
                            },
                        );
                        Some(m)
                    }
                    Err(detail) => {
                        report(
                            events,
                            FingerReport::Problem {
                                port: Some(port.path.clone()),
                                detail,
                            },
                        );
                        None
                    }
                };
                continue;
            }
            other => other,
        };
        let FingerOrder::Capture { timeout } = order else {
            continue;
        };
        if module.is_none() {
            // Try again: the clerk may have plugged it back in.
            match open(&port) {
                Ok((m, device)) => {
                    report(
                        events,
                        FingerReport::Ready {
                            port: port.path.clone(),
                            device,
                        },
                    );
                    module = Some(m);
                }
                Err(detail) => {
                    report(events, FingerReport::Failed(detail));
                    continue;
                }
            }
        }
        let Some(m) = module.as_mut() else { continue };
        let outcome = capture(m, timeout, inbox, events, flat_field);
        let stop = outcome.is_none();
        if let Some(Err(Broken(detail))) = outcome {
            // A line that broke mid-capture is reopened at the next capture.
            report(
                events,
                FingerReport::Problem {
                    port: Some(port.path.clone()),
                    detail: detail.clone(),
                },
            );
            report(events, FingerReport::Failed(detail));
            module = None;
        }
        if stop {
            return;
        }
    }
}

/// The line or the module broke: reopen before the next capture.
struct Broken(String);

fn open(port: &PortSettings) -> Result<(FingerprintModule<SerialTransport>, Device), String> {
    let path = port.path.to_string_lossy();
    let line = SerialTransport::open(&path, port.baud).map_err(|e| e.to_string())?;
    let mut module = FingerprintModule::new(line);
    let found = module.probe().map_err(|e| e.to_string())?;
    if let Err(e) = module.negotiate_fastest() {
        // The module still works at the speed it was found at.
        warn!(device = "fingerprint", error = %e, "settings negotiation failed");
    }
    let settings = module.settings();
    info!(
        device = "fingerprint",
        baud = settings.baud,
        packet = settings.packet_size.bytes(),
        "fingerprint module ready"
    );
    let device = match &found.product {
        Some(p) => Device {
            kind: "fingerprint".into(),
            model: p.module_type.clone(),
            firmware: format!("{}.{}", p.hardware_version.0, p.hardware_version.1),
            serial: p.serial.clone(),
        },
        None => Device {
            kind: "fingerprint".into(),
            model: "ZFM/R30x".into(),
            firmware: "unknown".into(),
            serial: "unknown".into(),
        },
    };
    Ok((module, device))
}

/// One capture. `None` when the core is gone; `Some(Err)` when the module must be reopened.
fn capture(
    module: &mut FingerprintModule<SerialTransport>,
    timeout: Duration,
    inbox: &Receiver<FingerOrder>,
    events: &Reporter<FingerReport>,
    flat_field: &FlatFieldStore,
) -> Option<Result<(), Broken>> {
    let started = Instant::now();
    let deadline = started + timeout;
    loop {
        match inbox.try_recv() {
            Ok(FingerOrder::Cancel) => {
                return report(events, FingerReport::Cancelled).then_some(Ok(()));
            }
            // A technician's routine waits for no capture: dropped, it says the module is busy.
            Ok(FingerOrder::Capture { .. } | FingerOrder::Lend(_)) => {}
            Err(TryRecvError::Disconnected) => return None,
            Err(TryRecvError::Empty) => {}
        }
        let now = Instant::now();
        if now >= deadline {
            return report(events, FingerReport::NoFinger).then_some(Ok(()));
        }
        match module.wait_for_finger((now + CANCEL_POLL).min(deadline)) {
            Ok(()) => break,
            Err(drivers::zfm::ZfmError::NoFinger { .. }) => {
                if let Err(e) = module.discard_incoming(LATE_ANSWER_QUIET, LATE_ANSWER_MAX) {
                    return Some(Err(Broken(e.to_string())));
                }
            }
            Err(e) => return Some(Err(Broken(e.to_string()))),
        }
    }
    let waited = started.elapsed();
    if !report(events, FingerReport::Reading) {
        return None;
    }
    let mut last_step = 0usize;
    let (width, height) = (module.settings().width, module.settings().height);
    let mut stop_asked = false;
    let mut core_gone = false;
    let transfer_started = Instant::now();
    let outcome = module.upload_image(&mut |p| {
        // The module streams the image to its end whatever we do: a stop asked meanwhile is
        // noted here and the image is dropped when it has arrived, so the line stays in step.
        match inbox.try_recv() {
            Ok(FingerOrder::Cancel) => stop_asked = true,
            Ok(FingerOrder::Capture { .. } | FingerOrder::Lend(_)) | Err(TryRecvError::Empty) => {}
            Err(TryRecvError::Disconnected) => core_gone = true,
        }
        if p.total == 0 || stop_asked {
            return;
        }
        let step = p.received * PROGRESS_STEPS / p.total;
        if step != last_step {
            last_step = step;
            // Never block the line for the screens: a dropped progress report is harmless.
            if let Some(arrived) = drivers::zfm::image::expand_partial(p.packed, width, height) {
                let shown = super::picture::from_grey(&arrived);
                arrived.into_raw().zeroize();
                let _ = events.offer(FingerReport::Progress {
                    fraction: p.received as f32 / p.total as f32,
                    arrived: shown,
                });
            }
        }
    });
    let transfer_wall = transfer_started.elapsed();
    if core_gone {
        return None;
    }
    if stop_asked {
        // Nothing is scored; the image, if it arrived whole, is wiped.
        match outcome {
            Ok(mut captured) => std::mem::take(&mut captured.image).into_raw().zeroize(),
            Err(e) if !e.is_transfer_damage() => return Some(Err(Broken(e.to_string()))),
            Err(_) => {}
        }
        debug!(
            device = "fingerprint",
            "capture stopped during the transfer"
        );
        return report(events, FingerReport::Cancelled).then_some(Ok(()));
    }
    let mut captured = match outcome {
        Ok(c) => c,
        Err(e) if e.is_transfer_damage() => {
            return report(events, FingerReport::Failed(e.to_string())).then_some(Ok(()));
        }
        Err(e) => return Some(Err(Broken(e.to_string()))),
    };
    // The sensor's calibration (flat-field correction), when one is stored for it.
    flat_field.apply(&mut captured.image);
    let checked = Instant::now();
    let assessed = quality::assess(&captured.image);
    let quality_time = checked.elapsed();
    let (quality, minutiae, feedback) = match assessed {
        Ok(r) => (r.score, r.measures.minutiae_count, r.feedback),
        Err(e) => {
            warn!(device = "fingerprint", error = %e, "quality not assessed");
            (0, 0, Vec::new())
        }
    };
    debug!(
        device = "fingerprint",
        quality,
        transfer_ms = transfer_wall.as_millis() as u64,
        "finger read"
    );
    let capture = FingerCapture {
        quality,
        minutiae,
        feedback,
        transfer: captured.stats.elapsed,
        line_time: captured.stats.line_time(),
        waited,
        quality_time,
        image: captured.image,
    };
    report(events, FingerReport::Captured(Box::new(capture))).then_some(Ok(()))
}
