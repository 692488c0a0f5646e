//! The routines a device worker runs for the technician while it has released its port: a
//! probe (discovery), a self-test with a live command log, a calibration. Each reports back to
//! the core on its channel; none touches the core's state.

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
        mpsc::Receiver,
    },
    time::{Duration, Instant},
};

use drivers::{
    calibration::{
        self, CalibrationError, CameraCalibration, FingerprintCalibration, calibrate_camera,
        measure_fingerprint,
    },
    diagnostics::{
        CommandLog, DeviceDiagnosis, DiagnoseOptions, ErrorCounters, LogEntry, diagnose_device_into,
    },
    discovery::{DeviceKind, DiscoveryOptions, PortReport, probe_port},
    fault::Fault,
    transport::SerialTransport,
    vc0706::Camera,
    zfm::{FingerprintModule, ZfmError},
};
use image::GrayImage;
use tracing::{info, warn};

use super::{
    report::Reporter,
    technician_view::{TargetPrompt, UniformityMap},
};
use crate::config::PortSettings;

/// Log lines the screens keep (the last ones).
pub(crate) const LOG_LINES: usize = 200;
/// How often the live log is sent to the core during a self-test.
const LOG_TICK: Duration = Duration::from_millis(200);
/// Frames of each target in a calibration from the screens (as `station calibrate`).
pub(crate) const CALIBRATION_FRAMES: usize = 8;
/// How long a calibration waits for the technician to lay a target.
const TECHNICIAN_WAIT: Duration = Duration::from_secs(600);
/// Blocks of the uniformity map: the 32 × 32 blocks of the uniformity measure
/// (drivers::calibration::limits::UNIFORMITY_BLOCK).
const MAP_BLOCK: u32 = calibration::limits::UNIFORMITY_BLOCK;

/// A routine lent a device's port: the worker drops its own connection, runs it, then reopens
/// the port. A routine never run (the worker was busy or gone) says so to the core.
pub(crate) struct Lent {
    job: Option<Box<dyn FnOnce() + Send>>,
    events: Option<Reporter<TechnicianReport>>,
}

impl std::fmt::Debug for Lent {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Lent")
    }
}

impl Lent {
    /// A routine reporting on `events` if it is dropped unrun.
    pub(crate) fn new(
        events: Reporter<TechnicianReport>,
        job: impl FnOnce() + Send + 'static,
    ) -> Self {
        Self {
            job: Some(Box::new(job)),
            events: Some(events),
        }
    }

    /// Nothing to run: the worker just reopens its port (a device plugged back in).
    pub(crate) fn reconnect() -> Self {
        Self {
            job: Some(Box::new(|| {})),
            events: None,
        }
    }

    /// Runs the routine on the worker's thread.
    pub(crate) fn run(mut self) {
        if let Some(job) = self.job.take() {
            job();
        }
    }
}

impl Drop for Lent {
    fn drop(&mut self) {
        if self.job.is_some()
            && let Some(events) = &self.events
        {
            events.offer(TechnicianReport::Failed(Failure::Busy));
        }
    }
}

/// What the technician's routines report to the core.
#[derive(Debug)]
pub(crate) enum TechnicianReport {
    /// Ports identified (`configured_for`: the device whose own port this is).
    Discovered {
        reports: Vec<PortReport>,
        configured_for: Option<DeviceKind>,
    },
    /// The live command log of a self-test under way (its last lines).
    LogLines {
        entries: Vec<LogEntry>,
        counters: ErrorCounters,
    },
    /// A self-test finished.
    Diagnosed(Box<DeviceDiagnosis>),
    /// The calibration waits for a target (`None`: it goes on by itself).
    Prompt(Option<TargetPrompt>),
    /// The fingerprint sensor was calibrated.
    SensorCalibrated(Box<SensorCalibrated>),
    /// The camera was calibrated.
    CameraCalibrated(Box<CameraCalibrated>),
    /// The routine failed.
    Failed(Failure),
}

/// Why a technician's routine stopped, for the core to say in the station's language.
#[derive(Debug)]
pub(crate) enum Failure {
    /// The worker was busy (a capture under way) and never ran the routine.
    Busy,
    /// The technician cancelled at a prompt, or did not answer it in time.
    Cancelled,
    /// The target asked for was not laid on the sensor before the wait ran out.
    NoTarget {
        target: TargetPrompt,
        waited: Duration,
    },
    /// A device failed.
    Device { device: DeviceKind, fault: Fault },
    /// No compression setting keeps the portrait within the size asked.
    PortraitTooLarge { target: u32, smallest: u32 },
    /// The frames taken could not be measured (too few, of different sizes).
    Measures(CalibrationError),
}

impl Failure {
    fn sensor(error: &ZfmError) -> Self {
        Self::Device {
            device: DeviceKind::Fingerprint,
            fault: Fault::from(error),
        }
    }

    fn camera(error: &drivers::vc0706::CameraError) -> Self {
        Self::Device {
            device: DeviceKind::Camera,
            fault: Fault::from(error),
        }
    }

    fn line(device: DeviceKind, error: &drivers::transport::TransportError) -> Self {
        Self::Device {
            device,
            fault: Fault::from(error),
        }
    }

    fn calibration(error: CalibrationError) -> Self {
        match error {
            CalibrationError::Fingerprint(e) => Self::sensor(&e),
            CalibrationError::Camera(e) => Self::camera(&e),
            CalibrationError::NoCompressionFits { target, smallest } => {
                Self::PortraitTooLarge { target, smallest }
            }
            other => Self::Measures(other),
        }
    }
}

/// A fingerprint calibration and the pictures of it the screens draw.
#[derive(Debug)]
pub(crate) struct SensorCalibrated {
    pub serial: String,
    pub calibration: FingerprintCalibration,
    pub uniformity: UniformityMap,
    pub blank_histogram: Vec<u32>,
    pub dark_histogram: Vec<u32>,
}

/// A camera calibration.
#[derive(Debug)]
pub(crate) struct CameraCalibrated {
    pub serial: String,
    pub calibration: CameraCalibration,
}

fn send(events: &Reporter<TechnicianReport>, report: TechnicianReport) {
    if !events.send(report) {
        warn!("counter core gone: technician report dropped");
    }
}

/// Identifies the device on `path` (read-only handshakes at every baud).
pub(crate) fn probe(path: String, kind: Option<DeviceKind>, events: &Reporter<TechnicianReport>) {
    let report = probe_port(&path, &DiscoveryOptions::default(), &AtomicBool::new(false));
    info!(port = %path, found = ?report.kind(), "port probed for the technician");
    send(
        events,
        TechnicianReport::Discovered {
            reports: vec![report],
            configured_for: kind,
        },
    );
}

/// Identifies the device on `path`, then self-tests it over a logged line, sending the log's
/// last lines to the core as it goes.
pub(crate) fn diagnose(path: &str, events: &Reporter<TechnicianReport>) {
    let options = DiagnoseOptions {
        log_entries: LOG_LINES,
        ..DiagnoseOptions::default()
    };
    let port = probe_port(path, &options.discovery, &AtomicBool::new(false));
    let log = CommandLog::default();
    let done = Arc::new(AtomicBool::new(false));
    let ticker = {
        let (log, done, events) = (log.clone(), Arc::clone(&done), events.clone());
        std::thread::Builder::new()
            .name("command log".into())
            .spawn(move || {
                while !done.load(Ordering::SeqCst) {
                    std::thread::sleep(LOG_TICK);
                    let entries = tail(log.entries());
                    // A tick the core has no room for is skipped: the next one has it all.
                    events.offer(TechnicianReport::LogLines {
                        entries,
                        counters: log.counters(),
                    });
                }
            })
    };
    let diagnosis = diagnose_device_into(port, &options, &log);
    done.store(true, Ordering::SeqCst);
    if let Ok(ticker) = ticker {
        let _ = ticker.join();
    }
    info!(port = %path, verdict = ?diagnosis.verdict(), "device diagnosed for the technician");
    send(events, TechnicianReport::Diagnosed(Box::new(diagnosis)));
}

fn tail(mut entries: Vec<LogEntry>) -> Vec<LogEntry> {
    let skip = entries.len().saturating_sub(LOG_LINES);
    entries.drain(..skip);
    entries
}

/// Asks the technician to lay a target and waits for the answer (false: cancelled or no
/// answer in time).
fn ask(
    events: &Reporter<TechnicianReport>,
    answers: &Receiver<bool>,
    prompt: TargetPrompt,
) -> bool {
    // An answer left from an earlier step does not count.
    while answers.try_recv().is_ok() {}
    send(events, TechnicianReport::Prompt(Some(prompt)));
    // No answer in time, or the core gone: cancelled.
    let answer = answers.recv_timeout(TECHNICIAN_WAIT).unwrap_or_default();
    send(events, TechnicianReport::Prompt(None));
    answer
}

/// Calibrates the fingerprint sensor on `port`: the technician lays the blank target, then the
/// dark one, confirming each on the screen; the sensor then waits up to `target_wait` for it.
pub(crate) fn calibrate_sensor(
    port: &PortSettings,
    frames: usize,
    target_wait: Duration,
    answers: &Receiver<bool>,
    events: &Reporter<TechnicianReport>,
) {
    let outcome = (|| -> Result<SensorCalibrated, Failure> {
        let path = port.path.to_string_lossy().into_owned();
        let line = SerialTransport::open(&path, port.baud)
            .map_err(|e| Failure::line(DeviceKind::Fingerprint, &e))?;
        let mut module = FingerprintModule::new(line);
        module.set_capture_timeout(target_wait);
        let found = module.probe().map_err(|e| Failure::sensor(&e))?;
        // As `station calibrate`: modules without ReadProdInfo are named by their port.
        let serial = found
            .product
            .as_ref()
            .map_or_else(|| format!("zfm@{path}"), |p| p.serial.clone());
        let mut laid = |target| {
            if ask(events, answers, target) {
                take_frames(&mut module, frames, target_wait, target)
            } else {
                Err(Failure::Cancelled)
            }
        };
        let blank = laid(TargetPrompt::LayBlankTarget)?;
        let flat = laid(TargetPrompt::LayFlatTarget)?;
        let calibration = measure_fingerprint(&blank, &flat).map_err(Failure::calibration)?;
        Ok(SensorCalibrated {
            serial,
            uniformity: uniformity_map(&blank),
            blank_histogram: histogram(&blank),
            dark_histogram: histogram(&flat),
            calibration,
        })
    })();
    match outcome {
        Ok(done) => send(events, TechnicianReport::SensorCalibrated(Box::new(done))),
        Err(failure) => send(events, TechnicianReport::Failed(failure)),
    }
}

/// `frames` captures of the target the technician said is laid, each waited for up to `wait`.
fn take_frames(
    module: &mut FingerprintModule<SerialTransport>,
    frames: usize,
    wait: Duration,
    target: TargetPrompt,
) -> Result<Vec<GrayImage>, Failure> {
    (0..frames)
        .map(|_| {
            module
                .capture(Instant::now() + wait, &mut |_| {})
                .map(|c| c.image)
                .map_err(|error| match error {
                    ZfmError::NoFinger { waited } => Failure::NoTarget { target, waited },
                    other => Failure::sensor(&other),
                })
        })
        .collect()
}

/// Mean of the frames per block, divided by the mean of the whole frame.
fn uniformity_map(frames: &[GrayImage]) -> UniformityMap {
    let Some(first) = frames.first() else {
        return UniformityMap::default();
    };
    let (width, height) = first.dimensions();
    let columns = width.div_ceil(MAP_BLOCK);
    let rows = height.div_ceil(MAP_BLOCK);
    let mut sums = vec![0f64; (columns * rows) as usize];
    let mut counts = vec![0u64; sums.len()];
    for frame in frames.iter().filter(|f| f.dimensions() == (width, height)) {
        for (x, y, p) in frame.enumerate_pixels() {
            let cell = ((y / MAP_BLOCK) * columns + x / MAP_BLOCK) as usize;
            sums[cell] += f64::from(p.0[0]);
            counts[cell] += 1;
        }
    }
    let total: f64 = sums.iter().sum();
    let count: u64 = counts.iter().sum();
    let mean = if count == 0 {
        0.0
    } else {
        total / count as f64
    };
    let values = sums
        .iter()
        .zip(&counts)
        .map(|(s, c)| {
            if *c == 0 || mean <= 0.0 {
                0.0
            } else {
                (s / *c as f64 / mean) as f32
            }
        })
        .collect();
    UniformityMap {
        columns,
        rows,
        values,
    }
}

/// Histogram of the frames' mean image, 256 grey levels.
fn histogram(frames: &[GrayImage]) -> Vec<u32> {
    let mut bins = vec![0u32; 256];
    let Some(first) = frames.first() else {
        return bins;
    };
    let same: Vec<&GrayImage> = frames
        .iter()
        .filter(|f| f.dimensions() == first.dimensions())
        .collect();
    let n = same.len() as u32;
    for i in 0..first.as_raw().len() {
        let sum: u32 = same.iter().map(|f| u32::from(f.as_raw()[i])).sum();
        let level = (sum + n / 2) / n.max(1);
        bins[level.min(255) as usize] += 1;
    }
    bins
}

/// Calibrates the camera on `port` (the technician holds the grey card before starting).
pub(crate) fn calibrate_lens(port: &PortSettings, events: &Reporter<TechnicianReport>) {
    let outcome = (|| -> Result<CameraCalibrated, Failure> {
        let path = port.path.to_string_lossy().into_owned();
        let line = SerialTransport::open(&path, port.baud)
            .map_err(|e| Failure::line(DeviceKind::Camera, &e))?;
        let mut camera = Camera::new(line);
        camera.probe().map_err(|e| Failure::camera(&e))?;
        let calibration = calibrate_camera(
            &mut camera,
            calibration::limits::PORTRAIT_TARGET_BYTES,
            &mut |_| {},
        )
        .map_err(Failure::calibration)?;
        // As `station calibrate camera`: the VC0706 has no serial number.
        Ok(CameraCalibrated {
            serial: format!("vc0706@{path}"),
            calibration,
        })
    })();
    match outcome {
        Ok(done) => send(events, TechnicianReport::CameraCalibrated(Box::new(done))),
        Err(failure) => send(events, TechnicianReport::Failed(failure)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uniformity_map_shows_a_dark_corner() {
        let mut frame = GrayImage::from_pixel(64, 64, image::Luma([200]));
        for y in 0..32 {
            for x in 0..32 {
                frame.put_pixel(x, y, image::Luma([100]));
            }
        }
        let map = uniformity_map(&[frame.clone(), frame]);
        assert_eq!((map.columns, map.rows), (2, 2));
        assert!(
            map.values[0] < 0.7 && map.values[3] > 1.1,
            "{:?}",
            map.values
        );
        let bins = histogram(&[GrayImage::from_pixel(4, 4, image::Luma([7]))]);
        assert_eq!(bins[7], 16);
        assert_eq!(bins.iter().sum::<u32>(), 16);
    }
}
