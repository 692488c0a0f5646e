//! The camera as the station uses it: [`Camera`], generic over the [`Transport`], so the same
//! code drives a USB-serial adapter or the simulator's pseudo-terminal. One file per idea:
//! `options` (how frames are read), `probe` (finding the camera's speed), `settings` (reset,
//! picture size, compression, line speed), `capture` (freeze → length → chunks → check →
//! resume), `chunk` (reading one chunk of the frame), `preview` (frames in a loop for a live
//! display) and `motion` (motion detection).
//!
//! Sequence and failure modes from `docs/reference/vc0706-camera-protocol.md`.

mod capture;
mod chunk;
mod motion;
mod options;
mod preview;
mod probe;
mod settings;

use std::time::{Duration, Instant};

pub use capture::{CaptureProgress, CaptureStats, MAX_FRAME_LEN, Photo};
pub use options::{CameraOptions, Verify, auto_chunk_len};
pub use preview::PreviewStats;
pub use probe::ProbeReport;
pub use settings::{
    BOOT_TIMEOUT, ConfigReport, DEFAULT_COMPRESSION, PORTRAIT_COMPRESSION, PORTRAIT_FRAME_BYTES,
    Settings,
};

use super::command::{CameraStatus, Command, ImageSize};
use super::error::CameraError;
use super::frame::{DEFAULT_SERIAL, Reply, ReplyScan, Request, scan_reply};
use crate::discovery::DeviceKind;
use crate::transport::{CommandLabel, Transport};

/// The most stray bytes a reply may hide behind before the line is declared garbled.
const MAX_STRAY: usize = 4_096;

/// Time `bytes` take on a line at `baud` (10 bits a byte: start, 8 data, stop).
pub fn line_time(bytes: u64, baud: u32) -> Duration {
    let baud = u64::from(baud.max(1));
    Duration::from_micros(bytes.saturating_mul(10_000_000) / baud)
}

/// A VC0706 camera on a transport.
pub struct Camera<T: Transport> {
    line: T,
    serial: u8,
    options: CameraOptions,
    size: Option<ImageSize>,
}

impl<T: Transport> std::fmt::Debug for Camera<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Camera")
            .field("baud", &self.line.baud())
            .field("serial", &self.serial)
            .field("options", &self.options)
            .field("size", &self.size)
            .finish()
    }
}

impl<T: Transport> Camera<T> {
    /// A camera on `line`, assumed to listen at the line's current baud (see [`Camera::probe`]).
    pub fn new(line: T) -> Self {
        Self::with_options(line, CameraOptions::default())
    }

    /// A camera with explicit read options.
    pub fn with_options(line: T, options: CameraOptions) -> Self {
        Self {
            line,
            serial: DEFAULT_SERIAL,
            options,
            size: None,
        }
    }

    /// The read options, to change between captures.
    pub fn options_mut(&mut self) -> &mut CameraOptions {
        &mut self.options
    }

    /// The transport (for its counters).
    pub fn transport(&self) -> &T {
        &self.line
    }

    /// Gives the transport back.
    pub fn into_transport(self) -> T {
        self.line
    }

    /// The line speed in use, in bits per second.
    pub fn baud(&self) -> u32 {
        self.line.baud()
    }

    /// The picture size in force, once known (after [`Camera::configure`] or
    /// [`Camera::image_size`] following a reset).
    pub fn size(&self) -> Option<ImageSize> {
        self.size
    }

    /// Sends one command and returns its answer, within the command's own deadline.
    pub fn send<C: Command>(&mut self, command: &C) -> Result<C::Response, CameraError> {
        self.write_request(C::NAME, C::CODE, &command.args())?;
        let deadline = Instant::now() + command.timeout();
        let reply = self.read_reply(C::NAME, C::CODE, deadline)?;
        if reply.status != 0 {
            return Err(CameraError::Camera {
                command: C::NAME,
                status: CameraStatus::from_code(reply.status),
            });
        }
        command
            .parse(&reply.data)
            .map_err(|source| CameraError::Frame {
                command: C::NAME,
                source,
            })
    }

    fn write_request(
        &mut self,
        name: &'static str,
        code: u8,
        args: &[u8],
    ) -> Result<(), CameraError> {
        let mut request = Request::new(code, args).map_err(|source| CameraError::Frame {
            command: name,
            source,
        })?;
        request.serial = self.serial;
        tracing::trace!(device = "vc0706", command = name, "request");
        self.line
            .write_command(
                CommandLabel::command(DeviceKind::Camera, name, code),
                &request.to_bytes(),
            )
            .map_err(|e| CameraError::from_transport(name, e))
    }

    /// Reads until the reply to `code` arrives, skipping boot text, motion notices and noise.
    fn read_reply(
        &mut self,
        name: &'static str,
        code: u8,
        deadline: Instant,
    ) -> Result<Reply, CameraError> {
        let mut buf: Vec<u8> = Vec::with_capacity(64);
        let mut scratch = [0u8; 256];
        let mut stray = 0usize;
        loop {
            match scan_reply(&buf, self.serial, code) {
                ReplyScan::Found { skipped, reply, .. } => {
                    if stray + skipped > 0 {
                        tracing::debug!(
                            device = "vc0706",
                            command = name,
                            stray = stray + skipped,
                            "stray bytes before the reply"
                        );
                    }
                    return Ok(reply);
                }
                ReplyScan::NeedMore { skipped } => {
                    buf.drain(..skipped);
                    stray += skipped;
                }
            }
            if stray > MAX_STRAY {
                return Err(CameraError::Timeout { command: name });
            }
            let n = self
                .line
                .read_some_by(&mut scratch, deadline)
                .map_err(|e| CameraError::from_transport(name, e))?;
            buf.extend_from_slice(&scratch[..n]);
        }
    }
}
