//! Taking a still picture: freeze, frame length, the frame chunk by chunk, JPEG check, resume.

use std::time::{Duration, Instant};

use image::RgbImage;

use super::chunk::CHUNK_FRAMING;
use super::{Camera, Verify, line_time};
use crate::transport::Transport;
use crate::vc0706::command::{FrameAction, FrameControl, FrameLength, ImageSize};
use crate::vc0706::error::CameraError;
use crate::vc0706::picture::{PictureProblem, check_jpeg};

/// The largest frame length we believe: a 640×480 JPEG at the lowest compression stays far
/// below this; anything larger is a garbled length field.
pub const MAX_FRAME_LEN: u32 = 4 * 1024 * 1024;

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

impl<T: Transport> Camera<T> {
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

    /// Freezes, steps or resumes the frame buffer.
    pub fn frame_control(&mut self, action: FrameAction) -> Result<(), CameraError> {
        self.send(&FrameControl(action))
    }

    /// The length of the JPEG in the (frozen) frame buffer.
    pub fn frame_length(&mut self) -> Result<u32, CameraError> {
        self.send(&FrameLength)
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
}
