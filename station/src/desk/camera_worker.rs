//! The camera's worker thread: it owns the VC0706 driver, runs the live preview at a modest rate,
//! takes the photo when asked, runs the compliance checks on it and cuts the portrait, and
//! reports back. The core never touches the serial line. The same preview, larger, looks for the
//! pre-request's QR code in each frame when asked; the frames are only ever in memory.

use std::{
    path::PathBuf,
    sync::mpsc::{Receiver, RecvTimeoutError, SyncSender, sync_channel},
    thread::JoinHandle,
    time::{Duration, Instant},
};

use drivers::{
    transport::SerialTransport,
    vc0706::{Camera, ImageSize, Settings},
};
use image::RgbImage;
use tracing::{debug, info, warn};
use zeroize::Zeroizing;

use super::{picture, report::Reporter, view::Picture};
use crate::uplink::prerequest_qr::{self, QrProblem};
use crate::{
    checks::photo::{self, PhotoError, PhotoReport},
    config::PortSettings,
    enrolment::CheckedPhoto,
    record::{FacePortrait, FaceSource, RecordError, manifest::Device},
};

/// Preview frames at most this often: enough for the applicant to place their face, little
/// enough to leave the line and the core alone.
const PREVIEW_PERIOD: Duration = Duration::from_millis(250);
/// The preview's picture size (the fastest the camera has).
const PREVIEW_SIZE: ImageSize = ImageSize::Qqvga;
/// The preview's size while it looks for a QR code: at 160×120 a pre-request's code held at arm's
/// length has under 3 pixels a module, too few to decode; at 320×240 it has about 5.
const QR_PREVIEW_SIZE: ImageSize = ImageSize::Qvga;
/// JPEG quality of the portrait put into the face record (as `checks::photo::face_record`).
const PORTRAIT_JPEG_QUALITY: u8 = 90;

/// What the core asks of the camera.
#[derive(Debug)]
pub(crate) enum CameraOrder {
    /// Start sending preview frames.
    StartPreview,
    /// Start the preview and look for the pre-request's QR code in each frame.
    ReadQrCode,
    /// Stop the preview.
    StopPreview,
    /// Take the photo, check it and report it.
    Capture,
    /// Release the port for a technician's routine, run it, then reopen the port.
    Lend(super::technician_jobs::Lent),
}

/// A photo taken and checked.
pub(crate) struct PhotoTaken {
    /// What the screens show (the full frame).
    pub picture: Picture,
    /// The checks.
    pub report: PhotoReport,
    /// The portrait for the record, when compliant.
    pub checked: CheckedPhoto,
    /// That portrait as the screens draw it (35×45 mm), when compliant.
    pub kept: Option<Picture>,
    /// The frame's transfer on the serial line.
    pub transfer: Duration,
    /// What the frame's bytes cost at the line speed.
    pub line_time: Duration,
    /// Checks, cut and JPEG encoding.
    pub checks_time: Duration,
}

impl std::fmt::Debug for PhotoTaken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PhotoTaken")
            .field("compliant", &self.checked.compliant)
            .field("transfer", &self.transfer)
            .finish_non_exhaustive()
    }
}

/// Why the camera could not be used or the photo not taken: the core decides from the kind what
/// the clerk reads; the detail goes to the log.
#[derive(Debug, thiserror::Error)]
pub(crate) enum CameraFault {
    /// The serial line could not be opened or broke.
    #[error("serial line: {0}")]
    Line(#[from] drivers::transport::TransportError),
    /// The camera answered wrongly or not at all.
    #[error("camera: {0}")]
    Camera(#[from] drivers::vc0706::CameraError),
    /// The camera could not be found when the photo was asked.
    #[error("camera not found")]
    NotFound,
    /// The preview gave no frame.
    #[error("no preview frame")]
    NoFrame,
    /// The photo could not be checked.
    #[error("photo checks: {0}")]
    Checks(#[from] PhotoError),
    /// The portrait could not be cut or encoded for the record.
    #[error("portrait: {0}")]
    Portrait(#[from] RecordError),
}

impl CameraFault {
    /// Whether the device itself failed, rather than the checks of the picture it gave.
    pub(crate) fn is_device(&self) -> bool {
        matches!(
            self,
            Self::Line(_) | Self::Camera(_) | Self::NotFound | Self::NoFrame
        )
    }

    /// Whether the camera's picture stopped before its end (after every re-read): the clerk is told
    /// the photo is incomplete, not that the camera failed.
    pub(crate) fn is_incomplete_picture(&self) -> bool {
        use drivers::vc0706::{CameraError, PictureProblem, scan::ScanProblem};
        matches!(
            self,
            Self::Camera(CameraError::Picture {
                problem: PictureProblem::NoEnd
                    | PictureProblem::Irregular(ScanProblem::Truncated | ScanProblem::Marker(0xD9))
            })
        )
    }
}

/// What the camera worker reports.
#[derive(Debug)]
pub(crate) enum CameraReport {
    /// The camera answers.
    Ready {
        /// Its port.
        port: PathBuf,
        /// For the manifest.
        device: Device,
    },
    /// The camera cannot be used.
    Problem {
        /// Its port.
        port: PathBuf,
        /// Why.
        fault: CameraFault,
    },
    /// A preview frame.
    Frame(Picture),
    /// A QR code was decoded in a preview frame: the pre-request number it names, or why it names
    /// none. Frames where no code decodes are not reported.
    QrCode(Result<crate::uplink::PreRequestNumber, QrProblem>),
    /// A photo taken and checked.
    Photo(Box<PhotoTaken>),
    /// The photo could not be taken.
    Failed(CameraFault),
}

/// The running camera worker; dropping it stops the thread after its current frame.
#[derive(Debug)]
pub(crate) struct CameraWorker {
    orders: Option<SyncSender<CameraOrder>>,
    thread: Option<JoinHandle<()>>,
}

impl CameraWorker {
    /// Starts the worker for the camera at `port`.
    pub(crate) fn start(
        port: PortSettings,
        events: Reporter<CameraReport>,
    ) -> std::io::Result<Self> {
        let (orders, inbox) = sync_channel(4);
        let thread = std::thread::Builder::new()
            .name("camera".into())
            .spawn(move || run(&port, &inbox, &events))?;
        Ok(Self {
            orders: Some(orders),
            thread: Some(thread),
        })
    }

    /// Sends an order; false when the worker is gone or has too many orders waiting.
    pub(crate) fn order(&self, order: CameraOrder) -> bool {
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

impl Drop for CameraWorker {
    fn drop(&mut self) {
        self.stop();
    }
}

fn report(events: &Reporter<CameraReport>, report: CameraReport) -> bool {
    events.send(report)
}

fn run(port: &PortSettings, inbox: &Receiver<CameraOrder>, events: &Reporter<CameraReport>) {
    let mut camera: Option<Camera<SerialTransport>> = None;
    let mut previewing = false;
    // The preview looks for the pre-request's QR code (the photo step's does not).
    let mut reading_qr = false;
    let connect = |camera: &mut Option<Camera<SerialTransport>>| -> bool {
        if camera.is_some() {
            return true;
        }
        match open(port) {
            Ok((c, device)) => {
                *camera = Some(c);
                report(
                    events,
                    CameraReport::Ready {
                        port: port.path.clone(),
                        device,
                    },
                )
            }
            Err(fault) => {
                warn!(device = "vc0706", port = %port.path.display(), %fault, "camera not found");
                report(
                    events,
                    CameraReport::Problem {
                        port: port.path.clone(),
                        fault,
                    },
                );
                false
            }
        }
    };
    connect(&mut camera);
    let mut last_frame = Instant::now() - PREVIEW_PERIOD;
    loop {
        let order = if previewing {
            let wait = PREVIEW_PERIOD.saturating_sub(last_frame.elapsed());
            match inbox.recv_timeout(wait) {
                Ok(order) => Some(order),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match inbox.recv() {
                Ok(order) => Some(order),
                Err(_) => return,
            }
        };
        match order {
            Some(CameraOrder::StartPreview) => {
                reading_qr = false;
                previewing = connect(&mut camera);
            }
            Some(CameraOrder::ReadQrCode) => {
                reading_qr = true;
                previewing = connect(&mut camera);
            }
            Some(CameraOrder::StopPreview) => previewing = false,
            Some(CameraOrder::Lend(lent)) => {
                // The technician's routine opens the port itself: close ours, reopen after.
                previewing = false;
                camera = None;
                lent.run();
                connect(&mut camera);
            }
            Some(CameraOrder::Capture) => {
                previewing = false;
                if !connect(&mut camera) {
                    report(events, CameraReport::Failed(CameraFault::NotFound));
                    continue;
                }
                let Some(c) = camera.as_mut() else { continue };
                match take_photo(c) {
                    Ok(taken) => {
                        if !report(events, CameraReport::Photo(Box::new(taken))) {
                            return;
                        }
                    }
                    Err(fault) => {
                        warn!(device = "vc0706", %fault, "photo not taken");
                        camera = None;
                        report(events, CameraReport::Failed(fault));
                    }
                }
            }
            None => {
                let Some(c) = camera.as_mut() else {
                    previewing = false;
                    continue;
                };
                last_frame = Instant::now();
                match preview_frame(c, reading_qr) {
                    Ok((frame, code)) => {
                        // A frame the core has no room for is simply skipped; a code read is not.
                        if !events.offer(CameraReport::Frame(frame)) {
                            return;
                        }
                        if let Some(code) = code
                            && !report(events, CameraReport::QrCode(code))
                        {
                            return;
                        }
                    }
                    Err(fault) => {
                        debug!(device = "vc0706", %fault, "preview frame lost");
                        previewing = false;
                        camera = None;
                        report(
                            events,
                            CameraReport::Problem {
                                port: port.path.clone(),
                                fault,
                            },
                        );
                    }
                }
            }
        }
    }
}

fn open(port: &PortSettings) -> Result<(Camera<SerialTransport>, Device), CameraFault> {
    let path = port.path.to_string_lossy();
    let line = SerialTransport::open(&path, port.baud)?;
    let mut camera = Camera::new(line);
    let found = camera.probe()?;
    camera.configure(&Settings::capture())?;
    info!(device = "vc0706", version = %found.version, baud = camera.baud(), "camera ready");
    Ok((
        camera,
        Device {
            kind: "camera".into(),
            model: "VC0706".into(),
            firmware: found.version,
            serial: "unknown".into(),
        },
    ))
}

/// One preview frame for the screens and, when `reading_qr`, what a QR code decoded in it says
/// (None: no code decoded in this frame, blurred, cut or absent). The frame itself is dropped.
type PreviewFrame = (
    Picture,
    Option<Result<crate::uplink::PreRequestNumber, QrProblem>>,
);

fn preview_frame(
    camera: &mut Camera<SerialTransport>,
    reading_qr: bool,
) -> Result<PreviewFrame, CameraFault> {
    let size = if reading_qr {
        QR_PREVIEW_SIZE
    } else {
        PREVIEW_SIZE
    };
    if camera.size() != Some(size) {
        camera.configure(&Settings::preview(size))?;
    }
    let mut frame = None;
    camera.preview(&mut |photo| {
        let code = reading_qr.then(|| {
            let started = Instant::now();
            let code = prerequest_qr::number_in_picture(&image::imageops::grayscale(&photo.image));
            debug!(
                device = "vc0706",
                decode_ms = started.elapsed().as_millis() as u64,
                found = !matches!(code, Err(QrProblem::Unreadable)),
                "preview frame searched for a QR code"
            );
            code
        });
        let code = code.filter(|c| !matches!(c, Err(QrProblem::Unreadable)));
        frame = Some((picture::from_rgb(&photo.image), code));
        false
    })?;
    frame.ok_or(CameraFault::NoFrame)
}

fn take_photo(camera: &mut Camera<SerialTransport>) -> Result<PhotoTaken, CameraFault> {
    let started = Instant::now();
    if camera.size() != Some(ImageSize::Vga) {
        camera.configure(&Settings::capture())?;
    }
    let configured = started.elapsed();
    // The frame is read twice (the line has no checksum): the checks run on the first read while
    // the second is on the line, and are kept only if the second read confirms every byte.
    std::thread::scope(|scope| {
        let mut early = None;
        let taken = camera.capture_with_first_read(&mut |_| {}, &mut |jpeg, image| {
            let (jpeg, image) = (jpeg.to_vec(), image.clone());
            early = Some(scope.spawn(move || (jpeg, examine(&image))));
        })?;
        let captured = started.elapsed();
        let early = early.and_then(|checker| checker.join().ok());
        let overlapped = early.as_ref().is_some_and(|(jpeg, _)| *jpeg == taken.jpeg);
        let examined = match early {
            Some((jpeg, examined)) if jpeg == taken.jpeg => examined,
            _ => examine(&taken.image),
        }?;
        debug!(
            device = "vc0706",
            configure_ms = configured.as_millis() as u64,
            capture_ms = (captured - configured).as_millis() as u64,
            after_ms = (started.elapsed() - captured).as_millis() as u64,
            overlapped,
            "photo's wait"
        );
        Ok(PhotoTaken {
            picture: examined.picture,
            kept: examined.kept,
            report: examined.report,
            checked: examined.checked,
            transfer: taken.stats.transfer,
            line_time: taken.stats.line_time(),
            checks_time: examined.time,
        })
    })
}

/// What the station makes of a frame: the checks, the record's portrait, the pictures shown.
struct Examined {
    report: PhotoReport,
    checked: CheckedPhoto,
    kept: Option<Picture>,
    picture: Picture,
    time: Duration,
}

fn examine(image: &RgbImage) -> Result<Examined, CameraFault> {
    let started = Instant::now();
    let report = photo::check(image)?;
    let checked = checked_photo(image, &report)?;
    let kept = if checked.compliant {
        picture::from_jpeg(&checked.jpeg)
    } else {
        None
    };
    Ok(Examined {
        picture: picture::from_rgb(image),
        kept,
        report,
        checked,
        time: started.elapsed(),
    })
}

/// The portrait as it goes into the record (cut to 35×45 mm when compliant), with each check's
/// result for the manifest.
fn checked_photo(image: &RgbImage, report: &PhotoReport) -> Result<CheckedPhoto, CameraFault> {
    let checks = report
        .checks
        .iter()
        .map(|c| {
            serde_json::json!({
                "check": c.id.code(),
                "value": c.value,
                "passed": c.passed,
            })
        })
        .collect();
    let compliant = report.compliant();
    let cut = if compliant {
        photo::portrait(image, report)?
    } else {
        image.clone()
    };
    let portrait = FacePortrait::from_rgb(&cut, PORTRAIT_JPEG_QUALITY, FaceSource::Camera)?;
    Ok(CheckedPhoto {
        jpeg: Zeroizing::new(portrait.jpeg),
        width: portrait.width,
        height: portrait.height,
        colour_space: portrait.colour_space,
        compliant,
        checks,
    })
}
