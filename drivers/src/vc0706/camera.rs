//! The camera as the station uses it: reset, settings, capture (freeze → length → chunks →
//! check → resume), preview, motion detection. Generic over the [`Transport`], so the same code
//! drives a USB-serial adapter or the simulator's pseudo-terminal.
//!
//! Sequence and failure modes from `docs/reference/vc0706-camera-protocol.md`.

use std::time::{Duration, Instant};

use image::RgbImage;

use super::command::{
    Baud, CameraStatus, Command, FrameAction, FrameControl, FrameLength, GetImageSize, GetVersion,
    ImageSize, MOTION_DETECTED, MotionControl, ReadFrameBuffer, Reset, SetBaud, SetCompression,
    SetImageSize, SetMotionDetection,
};
use super::error::CameraError;
use super::frame::{ChunkScan, DEFAULT_SERIAL, Reply, ReplyScan, Request, scan_chunk, scan_reply};
use super::picture::{PictureProblem, check_jpeg};
use crate::transport::{Transport, TransportError};

/// The compression byte the camera ships with (Adafruit's default, 0x36).
pub const DEFAULT_COMPRESSION: u8 = 0x36;
/// The largest frame length we believe: a 640×480 JPEG at the lowest compression stays far
/// below this; anything larger is a garbled length field.
pub const MAX_FRAME_LEN: u32 = 4 * 1024 * 1024;
/// How long the boot text may take after a reset (it is about 70 bytes, 20 ms at 38,400 baud,
/// printed once the chip has restarted; the reference advises ~200 ms before configuring).
pub const BOOT_TIMEOUT: Duration = Duration::from_millis(1_500);
/// The last line of the boot text.
const BOOT_END: &[u8] = b"Init end\r\n";
/// Scheduling slack added to every chunk's expected line time.
const CHUNK_SLACK: Duration = Duration::from_millis(150);
/// Once nearly all of a chunk has arrived, a silence this long (plus 20 byte-times) means bytes
/// were lost: the chunk is re-read rather than waited for until its deadline.
const CHUNK_GAP: Duration = Duration::from_millis(60);
/// A chunk this many bytes short of whole when the line falls silent has lost bytes.
const LOST_BYTES_TOLERATED: usize = 16;
/// Bytes a chunk costs on the way back beyond its data: header and trailer.
const CHUNK_FRAMING: u64 = 10;
/// The most stray bytes a reply may hide behind before the line is declared garbled.
const MAX_STRAY: usize = 4_096;

/// Time `bytes` take on a line at `baud` (10 bits a byte: start, 8 data, stop).
pub fn line_time(bytes: u64, baud: u32) -> Duration {
    let baud = u64::from(baud.max(1));
    Duration::from_micros(bytes.saturating_mul(10_000_000) / baud)
}

/// The chunk length chosen for a baud when none is set: about 150 ms of line per chunk, so that
/// the 10 framing bytes and the turnaround cost a few per cent, and a re-read stays cheap.
/// A multiple of 32, between 32 and 4,096 bytes.
pub fn auto_chunk_len(baud: u32) -> u32 {
    let bytes = u64::from(baud) * 15 / 100 / 10;
    (bytes / 32 * 32).clamp(32, 4_096) as u32
}

/// How the bytes of a frame are trusted.
///
/// The VC0706 protocol carries no checksum, and a JPEG decoder does not notice most flipped bits
/// in the compressed data (it decodes to other, plausible pixels). Measured on 400 single-bit
/// flips anywhere in 640×480 portrait JPEGs (`scan::flips` test): markers, size and the `image`
/// decoder let 395 through; adding the strict walk of [`super::scan`] still lets 243 through (61 %),
/// the flips that land in a coefficient's magnitude bits, which JPEG leaves unchecked. A single
/// read cannot be made safe, so a second read stays the default for a picture that is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verify {
    /// Check every chunk's header and trailer, then the JPEG's markers, decode and size. Catches
    /// lost and added bytes, stalls and garbled framing, not flipped bits inside the JPEG data.
    /// Line-rate: for previews, or a line known to be clean.
    Decode,
    /// As [`Verify::Decode`], and every chunk is read twice and compared (a third read breaks a
    /// tie). Twice the line time; catches flipped bits. The default.
    #[default]
    ReadTwice,
}

/// How the camera driver reads frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CameraOptions {
    /// Bytes per chunk (rounded down to a multiple of 4); `None` chooses from the baud
    /// ([`auto_chunk_len`]).
    pub chunk_len: Option<u32>,
    /// How much the bytes of a frame are checked.
    pub verify: Verify,
    /// Reads of one chunk before giving up on it (misaligned, silent or unstable).
    pub chunk_attempts: u32,
    /// Reads of the whole frozen frame when the JPEG is refused.
    pub picture_attempts: u32,
}

impl Default for CameraOptions {
    fn default() -> Self {
        Self {
            chunk_len: None,
            verify: Verify::ReadTwice,
            chunk_attempts: 4,
            picture_attempts: 2,
        }
    }
}

/// The settings the camera takes at reset: picture size and compression (stored, applied at the
/// next reset), then the line speed (applied at once, lost at the next reset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Picture size.
    pub size: ImageSize,
    /// Compression byte: higher means smaller, coarser JPEGs.
    pub compression: u8,
    /// Line speed after configuration.
    pub baud: Baud,
}

impl Settings {
    /// The photo kept in the record: 640×480, default compression, 115,200 baud.
    pub fn capture() -> Self {
        Self {
            size: ImageSize::Vga,
            compression: DEFAULT_COMPRESSION,
            baud: Baud::B115200,
        }
    }

    /// A live preview at `size` (160×120 or 320×240), default compression, 115,200 baud.
    pub fn preview(size: ImageSize) -> Self {
        Self {
            size,
            ..Self::capture()
        }
    }
}

/// What [`Camera::probe`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeReport {
    /// The speed the camera answered at.
    pub baud: u32,
    /// Its version text.
    pub version: String,
}

/// What [`Camera::configure`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigReport {
    /// The settings now in force.
    pub settings: Settings,
    /// The boot text the reset printed (drained, never mistaken for a reply).
    pub boot_text: String,
    /// The version text read back at the new speed.
    pub version: String,
    /// How long the whole configuration took.
    pub elapsed: Duration,
}

/// Progress of a frame transfer, reported after every chunk.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CaptureProgress {
    /// JPEG bytes received so far.
    pub received: u32,
    /// JPEG bytes in the frame.
    pub total: u32,
}

/// Figures of one capture, for the technician and the benchmark.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CaptureStats {
    /// JPEG bytes in the frame.
    pub frame_len: u32,
    /// Bytes per chunk.
    pub chunk_len: u32,
    /// Chunks read successfully (each counted once, whatever the verification).
    pub chunks: u32,
    /// Chunk reads repeated because a chunk was misaligned, silent or read differently.
    pub chunk_retries: u32,
    /// Whole-frame re-reads because the JPEG was refused.
    pub picture_retries: u32,
    /// Bytes received from the camera during the transfer (all chunks, framing and retries).
    pub bytes_received: u64,
    /// Bytes sent to the camera during the transfer.
    pub bytes_sent: u64,
    /// Line speed of the transfer.
    pub baud: u32,
    /// Time of the transfer (frame length → last chunk).
    pub transfer: Duration,
    /// Time of the whole capture (freeze → resume, JPEG check included).
    pub elapsed: Duration,
}

impl CaptureStats {
    /// The line time of the bytes received during the transfer (10 bits a byte).
    pub fn line_time(&self) -> Duration {
        line_time(self.bytes_received, self.baud)
    }

    /// The line time of the JPEG alone: the floor no driver can beat.
    pub fn jpeg_line_time(&self) -> Duration {
        line_time(u64::from(self.frame_len), self.baud)
    }
}

/// A picture accepted from the camera.
#[derive(Debug, Clone)]
pub struct Photo {
    /// The JPEG exactly as the camera sent it (FF D8 … FF D9).
    pub jpeg: Vec<u8>,
    /// The decoded picture.
    pub image: RgbImage,
    /// How the capture went.
    pub stats: CaptureStats,
}

/// Counts of a preview run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PreviewStats {
    /// Frames shown.
    pub frames: u32,
    /// Frames dropped because their JPEG was refused.
    pub dropped: u32,
    /// Time of the run.
    pub elapsed: Duration,
}

/// Why one read of a chunk failed (internal: retried, then turned into a [`CameraError`]).
enum ChunkFailure {
    Misaligned,
    Silent,
    Refused(u8),
    Line(TransportError),
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

    /// The chunk length used at the current speed.
    pub fn chunk_len(&self) -> u32 {
        let chosen = self
            .options
            .chunk_len
            .unwrap_or_else(|| auto_chunk_len(self.line.baud()));
        (chosen / 4 * 4).max(4)
    }

    /// The longest a capture of a `frame_len`-byte frame may take, retries included: what
    /// [`Camera::capture`] holds itself to, after the frame length is known.
    pub fn capture_budget(&self, frame_len: u32) -> Duration {
        let chunk = u64::from(self.chunk_len());
        let chunks = u64::from(frame_len).div_ceil(chunk).max(1);
        let reads = match self.options.verify {
            Verify::Decode => 1,
            Verify::ReadTwice => 2,
        } * u64::from(self.options.picture_attempts.max(1));
        let wire = chunks * (chunk + CHUNK_FRAMING) * reads;
        line_time(wire, self.line.baud()) * 2 + Duration::from_secs(5)
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
            .write_all(&request.to_bytes())
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

    /// Finds the camera's speed: tries the line's current speed, then every speed the camera
    /// has, asking for the version at each.
    pub fn probe(&mut self) -> Result<ProbeReport, CameraError> {
        let mut candidates = vec![self.line.baud()];
        for baud in [Baud::DEFAULT]
            .into_iter()
            .chain(Baud::ALL)
            .map(Baud::bits_per_second)
        {
            if !candidates.contains(&baud) {
                candidates.push(baud);
            }
        }
        for baud in candidates {
            self.line
                .set_baud(baud)
                .map_err(|e| CameraError::from_transport(GetVersion::NAME, e))?;
            self.line
                .drain(Duration::from_millis(20), Duration::from_millis(300))
                .map_err(|e| CameraError::from_transport(GetVersion::NAME, e))?;
            match self.send(&GetVersion) {
                Ok(version) => {
                    tracing::info!(device = "vc0706", baud, %version, "camera found");
                    return Ok(ProbeReport { baud, version });
                }
                Err(CameraError::PortGone) => return Err(CameraError::PortGone),
                Err(CameraError::Line { command, source }) => {
                    return Err(CameraError::Line { command, source });
                }
                Err(error) => {
                    tracing::debug!(device = "vc0706", baud, %error, "no answer at this speed");
                }
            }
        }
        Err(CameraError::Timeout {
            command: GetVersion::NAME,
        })
    }

    /// Resets the camera: it answers at the current speed, restarts at 38,400 baud and prints
    /// its boot text, which is read and drained here so that it is never taken for a reply.
    /// Returns the boot text.
    pub fn reset(&mut self) -> Result<String, CameraError> {
        self.send(&Reset)?;
        let name = Reset::NAME;
        self.line
            .set_baud(Baud::DEFAULT.bits_per_second())
            .map_err(|e| CameraError::from_transport(name, e))?;
        self.size = None;
        let deadline = Instant::now() + BOOT_TIMEOUT;
        let mut boot = Vec::new();
        let mut scratch = [0u8; 128];
        while !boot.windows(BOOT_END.len()).any(|w| w == BOOT_END) && boot.len() < MAX_STRAY {
            match self.line.read_some_by(&mut scratch, deadline) {
                Ok(n) => boot.extend_from_slice(&scratch[..n]),
                Err(TransportError::Timeout) => {
                    tracing::warn!(
                        device = "vc0706",
                        bytes = boot.len(),
                        "no end of boot text after reset"
                    );
                    break;
                }
                Err(e) => return Err(CameraError::from_transport(name, e)),
            }
        }
        // Whatever follows the boot text (noise, a second banner) is drained too.
        self.line
            .drain(Duration::from_millis(30), Duration::from_millis(300))
            .map_err(|e| CameraError::from_transport(name, e))?;
        Ok(String::from_utf8_lossy(&boot).trim().to_owned())
    }

    /// The firmware's version text.
    pub fn version(&mut self) -> Result<String, CameraError> {
        self.send(&GetVersion)
    }

    /// Changes the line speed: the camera answers at the old speed, then both ends switch and
    /// the new speed is checked with a version request. A reset returns the camera to 38,400.
    pub fn set_baud(&mut self, baud: Baud) -> Result<(), CameraError> {
        self.send(&SetBaud(baud))?;
        self.line
            .set_baud(baud.bits_per_second())
            .map_err(|e| CameraError::from_transport(SetBaud::NAME, e))?;
        self.line
            .drain(Duration::from_millis(10), Duration::from_millis(100))
            .map_err(|e| CameraError::from_transport(SetBaud::NAME, e))?;
        let mut last = None;
        for _ in 0..2 {
            match self.send(&GetVersion) {
                Ok(_) => return Ok(()),
                Err(CameraError::PortGone) => return Err(CameraError::PortGone),
                Err(error) => last = Some(error),
            }
        }
        Err(last.unwrap_or(CameraError::Timeout {
            command: SetBaud::NAME,
        }))
    }

    /// The picture size stored in the camera (the size in force, if no write since the last
    /// reset).
    pub fn image_size(&mut self) -> Result<ImageSize, CameraError> {
        self.send(&GetImageSize)?
            .map_err(|unknown| CameraError::SizeMismatch {
                expected: ImageSize::Vga.code(),
                found: unknown.0,
            })
    }

    /// Stores a picture size; it applies at the next reset.
    pub fn set_image_size(&mut self, size: ImageSize) -> Result<(), CameraError> {
        self.send(&SetImageSize(size))
    }

    /// Stores a compression byte; it applies at the next reset.
    pub fn set_compression(&mut self, compression: u8) -> Result<(), CameraError> {
        self.send(&SetCompression(compression))
    }

    /// Freezes, steps or resumes the frame buffer.
    pub fn frame_control(&mut self, action: FrameAction) -> Result<(), CameraError> {
        self.send(&FrameControl(action))
    }

    /// The length of the JPEG in the (frozen) frame buffer.
    pub fn frame_length(&mut self) -> Result<u32, CameraError> {
        self.send(&FrameLength)
    }

    /// Puts settings in force: size and compression are stored, the camera is reset (they apply
    /// then, and the boot text is drained), the size is read back, and the speed is raised.
    pub fn configure(&mut self, settings: &Settings) -> Result<ConfigReport, CameraError> {
        let started = Instant::now();
        self.set_image_size(settings.size)?;
        self.set_compression(settings.compression)?;
        let boot_text = self.reset()?;
        let size = self.image_size()?;
        if size != settings.size {
            return Err(CameraError::SizeMismatch {
                expected: settings.size.code(),
                found: size.code(),
            });
        }
        self.size = Some(size);
        if settings.baud != Baud::DEFAULT {
            self.set_baud(settings.baud)?;
        }
        let version = self.version()?;
        tracing::info!(
            device = "vc0706",
            size = %settings.size,
            compression = settings.compression,
            baud = settings.baud.bits_per_second(),
            "camera configured"
        );
        Ok(ConfigReport {
            settings: *settings,
            boot_text,
            version,
            elapsed: started.elapsed(),
        })
    }

    /// Takes a picture: freeze, frame length, the frame chunk by chunk, JPEG check, resume.
    /// The frame is resumed whatever happened; the first error is the one returned.
    pub fn capture(
        &mut self,
        progress: &mut dyn FnMut(CaptureProgress),
    ) -> Result<Photo, CameraError> {
        let started = Instant::now();
        self.frame_control(FrameAction::StopCurrent)?;
        let outcome = self.read_frozen(progress);
        let resumed = match &outcome {
            Err(CameraError::PortGone) => Ok(()),
            _ => self.frame_control(FrameAction::Resume),
        };
        let mut photo = outcome?;
        resumed?;
        photo.stats.elapsed = started.elapsed();
        Ok(photo)
    }

    fn read_frozen(
        &mut self,
        progress: &mut dyn FnMut(CaptureProgress),
    ) -> Result<Photo, CameraError> {
        let transfer_started = Instant::now();
        let before = self.line.counters();
        let frame_len = self.frame_length()?;
        if frame_len == 0 || frame_len > MAX_FRAME_LEN {
            return Err(CameraError::FrameLength { length: frame_len });
        }
        let deadline = Instant::now() + self.capture_budget(frame_len);
        let expected = self.size.map(ImageSize::dimensions);
        let mut stats = CaptureStats {
            frame_len,
            chunk_len: self.chunk_len(),
            baud: self.line.baud(),
            ..CaptureStats::default()
        };
        let mut problem = PictureProblem::NoStart;
        for attempt in 1..=self.options.picture_attempts.max(1) {
            let jpeg = self.read_frame(frame_len, deadline, &mut stats, progress)?;
            match check_jpeg(&jpeg, expected) {
                Ok(image) => {
                    let after = self.line.counters();
                    stats.bytes_received = after.bytes_read - before.bytes_read;
                    stats.bytes_sent = after.bytes_written - before.bytes_written;
                    stats.transfer = transfer_started.elapsed();
                    return Ok(Photo { jpeg, image, stats });
                }
                Err(refused) => {
                    tracing::warn!(device = "vc0706", attempt, problem = %refused, "picture refused");
                    problem = refused;
                    stats.picture_retries += 1;
                }
            }
        }
        Err(CameraError::Picture { problem })
    }

    /// Reads `frame_len` bytes of the frozen frame, chunk by chunk, with full 32-bit addresses.
    fn read_frame(
        &mut self,
        frame_len: u32,
        deadline: Instant,
        stats: &mut CaptureStats,
        progress: &mut dyn FnMut(CaptureProgress),
    ) -> Result<Vec<u8>, CameraError> {
        let chunk = self.chunk_len();
        let mut jpeg = Vec::with_capacity(frame_len as usize);
        let mut address = 0u32;
        while address < frame_len {
            // The last chunk is rounded up to a multiple of 4 too; its tail is cut off.
            let wanted = (frame_len - address).min(chunk);
            let length = wanted.div_ceil(4) * 4;
            let data = match self.options.verify {
                Verify::Decode => self.read_chunk(address, length, deadline, stats)?,
                Verify::ReadTwice => self.read_chunk_twice(address, length, deadline, stats)?,
            };
            jpeg.extend_from_slice(&data[..wanted as usize]);
            stats.chunks += 1;
            address += wanted;
            progress(CaptureProgress {
                received: address,
                total: frame_len,
            });
        }
        Ok(jpeg)
    }

    /// Reads one chunk until two reads agree (a third read breaks a tie).
    fn read_chunk_twice(
        &mut self,
        address: u32,
        length: u32,
        deadline: Instant,
        stats: &mut CaptureStats,
    ) -> Result<Vec<u8>, CameraError> {
        let mut seen: Vec<Vec<u8>> = Vec::new();
        // Reads until two agree: on a noisy line a read or two more than the single-read budget.
        let attempts = self.options.chunk_attempts.max(2) + 2;
        for _ in 0..attempts {
            let data = self.read_chunk(address, length, deadline, stats)?;
            if seen.contains(&data) {
                return Ok(data);
            }
            if !seen.is_empty() {
                stats.chunk_retries += 1;
                tracing::debug!(device = "vc0706", address, "chunk read differently");
            }
            seen.push(data);
        }
        Err(CameraError::Unstable { address, attempts })
    }

    /// Reads one chunk, re-reading it from the same address when it comes back misaligned or
    /// late, up to the configured number of attempts. A re-read is asked for at once, without
    /// draining: a late answer to an earlier read of the same address is as good as the new one
    /// (the frame is frozen), and the scan passes over anything broken. Once a chunk is accepted
    /// after a re-read, a fence (a version request, answered in order after every outstanding
    /// read) swallows the answers still on their way, so that none is taken for the next chunk.
    fn read_chunk(
        &mut self,
        address: u32,
        length: u32,
        deadline: Instant,
        stats: &mut CaptureStats,
    ) -> Result<Vec<u8>, CameraError> {
        let name = ReadFrameBuffer::NAME;
        let request = ReadFrameBuffer {
            address,
            length,
            delay: 0,
        };
        let attempts = self.options.chunk_attempts.max(1);
        let mut outstanding = 0u32;
        let mut last = ChunkFailure::Silent;
        for attempt in 1..=attempts {
            if Instant::now() >= deadline {
                break;
            }
            if attempt > 1 {
                stats.chunk_retries += 1;
            }
            self.write_request(name, ReadFrameBuffer::CODE, &request.args())?;
            outstanding += 1;
            let chunk_deadline = (Instant::now()
                + line_time(u64::from(length) + CHUNK_FRAMING, self.line.baud()) * 3 / 2
                + CHUNK_SLACK)
                .min(deadline);
            match self.receive_chunk(length as usize, chunk_deadline) {
                Ok(data) => {
                    if outstanding > 1 {
                        self.fence(
                            u64::from(outstanding - 1) * (u64::from(length) + CHUNK_FRAMING),
                        )?;
                    }
                    return Ok(data);
                }
                Err(ChunkFailure::Line(e)) => return Err(CameraError::from_transport(name, e)),
                Err(failure) => {
                    tracing::debug!(
                        device = "vc0706",
                        address,
                        attempt,
                        misaligned = matches!(failure, ChunkFailure::Misaligned),
                        refused = matches!(failure, ChunkFailure::Refused(_)),
                        "chunk to re-read"
                    );
                    last = failure;
                }
            }
        }
        // A refusal is asked again too: a flipped bit in a chunk's header looks like one (its
        // data follows, and is passed over); a real refusal comes back every time.
        Err(match last {
            ChunkFailure::Misaligned => CameraError::Misaligned { address, attempts },
            ChunkFailure::Refused(status) => CameraError::Camera {
                command: name,
                status: CameraStatus::from_code(status),
            },
            _ => CameraError::Timeout { command: name },
        })
    }

    /// Sends a version request and reads up to its answer, discarding everything before it: up
    /// to `pending` bytes of late chunks may be on their way.
    fn fence(&mut self, pending: u64) -> Result<(), CameraError> {
        self.write_request(GetVersion::NAME, GetVersion::CODE, &GetVersion.args())?;
        let deadline =
            Instant::now() + line_time(pending, self.line.baud()) * 3 / 2 + GetVersion.timeout();
        self.read_reply(GetVersion::NAME, GetVersion::CODE, deadline)
            .map(|_| ())
    }

    /// Receives one chunk's header, data and trailer. A silence once most of the chunk is in
    /// means a byte was lost: the chunk is given up at once rather than at its deadline. A
    /// silence earlier in the chunk may be a stall, which is waited out until the deadline.
    fn receive_chunk(&mut self, length: usize, deadline: Instant) -> Result<Vec<u8>, ChunkFailure> {
        let gap = CHUNK_GAP + line_time(20, self.line.baud());
        let whole = length + CHUNK_FRAMING as usize;
        let mut buf: Vec<u8> = Vec::with_capacity(whole + 16);
        let mut scratch = vec![0u8; (whole + 16).min(8_192)];
        let mut received_any = false;
        let mut received = 0usize;
        loop {
            let waiting = match scan_chunk(&buf, self.serial, length) {
                ChunkScan::Found { data, .. } => return Ok(buf[data].to_vec()),
                ChunkScan::Refused { status, .. } => return Err(ChunkFailure::Refused(status)),
                ChunkScan::NeedMore { skipped, waiting } => {
                    buf.drain(..skipped);
                    waiting
                }
            };
            // Nearly all of a chunk in, then silence: bytes were lost. Or a chunk's worth of bytes
            // in and no header waiting: its header or trailer was damaged.
            let nearly_whole = if waiting > 0 {
                waiting + LOST_BYTES_TOLERATED >= whole
            } else {
                received + LOST_BYTES_TOLERATED >= whole
            };
            let wait_until = if nearly_whole {
                deadline.min(Instant::now() + gap)
            } else {
                deadline
            };
            match self.line.read_some_by(&mut scratch, wait_until) {
                Ok(n) => {
                    received_any = true;
                    received += n;
                    buf.extend_from_slice(&scratch[..n]);
                }
                Err(TransportError::Timeout) if received_any => {
                    return Err(ChunkFailure::Misaligned);
                }
                Err(TransportError::Timeout) => return Err(ChunkFailure::Silent),
                Err(e) => return Err(ChunkFailure::Line(e)),
            }
        }
    }

    /// Captures frames in a loop for a live display until `on_frame` returns `false`. Frames
    /// whose JPEG is refused are dropped and counted; any other failure ends the preview.
    /// Preview frames are read once ([`Verify::Decode`]): they are only shown, never kept, and
    /// the next frame replaces a damaged one. Configure a preview size first
    /// ([`Settings::preview`]).
    pub fn preview(
        &mut self,
        on_frame: &mut dyn FnMut(&Photo) -> bool,
    ) -> Result<PreviewStats, CameraError> {
        let kept = self.options.verify;
        self.options.verify = Verify::Decode;
        let outcome = self.preview_loop(on_frame);
        self.options.verify = kept;
        outcome
    }

    fn preview_loop(
        &mut self,
        on_frame: &mut dyn FnMut(&Photo) -> bool,
    ) -> Result<PreviewStats, CameraError> {
        let started = Instant::now();
        let mut stats = PreviewStats::default();
        loop {
            match self.capture(&mut |_| {}) {
                Ok(photo) => {
                    stats.frames += 1;
                    if !on_frame(&photo) {
                        stats.elapsed = started.elapsed();
                        return Ok(stats);
                    }
                }
                Err(CameraError::Picture { problem }) => {
                    tracing::debug!(device = "vc0706", %problem, "preview frame dropped");
                    stats.dropped += 1;
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Turns motion detection on (the camera then sends a notice when the scene moves) or off.
    pub fn set_motion_detection(&mut self, on: bool) -> Result<(), CameraError> {
        if on {
            self.send(&MotionControl)?;
        }
        self.send(&SetMotionDetection(on))
    }

    /// Waits for the camera's "motion detected" notice until `deadline`: `true` if it came.
    pub fn wait_for_motion(&mut self, deadline: Instant) -> Result<bool, CameraError> {
        match self.read_reply("motion detected", MOTION_DETECTED, deadline) {
            Ok(_) => Ok(true),
            Err(CameraError::Timeout { .. }) => Ok(false),
            Err(error) => Err(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_length_follows_the_baud() {
        assert_eq!(auto_chunk_len(38_400), 576);
        assert_eq!(auto_chunk_len(115_200), 1_728);
        assert_eq!(auto_chunk_len(9_600), 128);
        assert_eq!(auto_chunk_len(1), 32);
        assert_eq!(line_time(11_520, 115_200), Duration::from_secs(1));
    }
}
