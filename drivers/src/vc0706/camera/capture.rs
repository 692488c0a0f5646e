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
    /// JPEG bytes received so far in this read of the frame.
    pub received: u32,
    /// JPEG bytes in the frame.
    pub total: u32,
    /// Which read of the frame this is (1, then 2 when the frame is read twice).
    pub read: u32,
    /// Reads of the whole frame planned (2 with [`Verify::ReadTwice`], else 1).
    pub reads: u32,
}

impl CaptureProgress {
    /// The share of the transfer done, all reads together (0 to 1).
    pub fn fraction(&self) -> f64 {
        let whole = f64::from(self.total.max(1)) * f64::from(self.reads.max(1));
        (f64::from(self.read.saturating_sub(1)) * f64::from(self.total) + f64::from(self.received))
            / whole
    }
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
        self.capture_with_first_read(progress, &mut |_, _| {})
    }

    /// As [`Camera::capture`], and hands the first read of the frame to `first_read` (its JPEG
    /// bytes and decoded picture, when it decodes) as soon as it is in, while the second read is
    /// still on the line: the caller can start its own work on it. Those bytes are not confirmed:
    /// the caller uses what it made of them only if they equal the returned [`Photo::jpeg`].
    /// With [`Verify::Decode`] there is no second read and nothing is handed over.
    pub fn capture_with_first_read(
        &mut self,
        progress: &mut dyn FnMut(CaptureProgress),
        first_read: &mut dyn FnMut(&[u8], &RgbImage),
    ) -> Result<Photo, CameraError> {
        let started = Instant::now();
        self.frame_control(FrameAction::StopCurrent)?;
        let outcome = self.read_frozen(progress, first_read);
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
        first_read: &mut dyn FnMut(&[u8], &RgbImage),
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
            let mut transfer = Transfer {
                frame_len,
                deadline,
                stats: &mut stats,
                progress: &mut *progress,
            };
            let (jpeg, decoded) = match self.options.verify {
                Verify::Decode => (self.read_frame_once(&mut transfer, 1, 1)?, None),
                Verify::ReadTwice => self.read_frame_twice(&mut transfer, expected, first_read)?,
            };
            let checked = match decoded {
                Some(image) => Ok(image),
                None => check_jpeg(&jpeg, expected),
            };
            match checked {
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

    /// Reads `frame_len` bytes of the frozen frame once, chunk by chunk, with full 32-bit
    /// addresses.
    fn read_frame_once(
        &mut self,
        transfer: &mut Transfer<'_>,
        read: u32,
        reads: u32,
    ) -> Result<Vec<u8>, CameraError> {
        let mut jpeg = Vec::with_capacity(transfer.frame_len as usize);
        for (address, length, wanted) in self.chunks(transfer.frame_len) {
            let data = self.read_chunk(address, length, transfer.deadline, transfer.stats)?;
            jpeg.extend_from_slice(&data[..wanted as usize]);
            if read == 1 {
                transfer.stats.chunks += 1;
            }
            (transfer.progress)(CaptureProgress {
                received: address + wanted,
                total: transfer.frame_len,
                read,
                reads,
            });
        }
        Ok(jpeg)
    }

    /// Reads the frozen frame twice, the whole frame after the whole frame, and keeps a chunk only
    /// when two of its reads agree (a chunk read differently is read again until two agree). The
    /// first read is handed to `first_read` in between, decoded, so that work on it overlaps the
    /// second read; its decoded picture is returned too when the second read confirms every byte.
    fn read_frame_twice(
        &mut self,
        transfer: &mut Transfer<'_>,
        expected: Option<(u32, u32)>,
        first_read: &mut dyn FnMut(&[u8], &RgbImage),
    ) -> Result<(Vec<u8>, Option<RgbImage>), CameraError> {
        let first = self.read_frame_once(transfer, 1, 2)?;
        let decoded = check_jpeg(&first, expected).ok();
        if let Some(image) = &decoded {
            first_read(&first, image);
        }
        let mut jpeg = Vec::with_capacity(first.len());
        let mut confirmed = true;
        for (address, length, wanted) in self.chunks(transfer.frame_len) {
            let again = self.read_chunk(address, length, transfer.deadline, transfer.stats)?;
            let start = address as usize;
            let end = start + wanted as usize;
            // Only the frame's own bytes are compared (the last chunk's padding is not kept).
            let data = if again[..wanted as usize] == first[start..end] {
                again[..wanted as usize].to_vec()
            } else {
                confirmed = false;
                transfer.stats.chunk_retries += 1;
                tracing::debug!(device = "vc0706", address, "chunk read differently");
                let seen = vec![
                    first[start..end].to_vec(),
                    again[..wanted as usize].to_vec(),
                ];
                self.read_chunk_until_two_agree(
                    address,
                    length,
                    wanted,
                    seen,
                    transfer.deadline,
                    transfer.stats,
                )?
            };
            jpeg.extend_from_slice(&data);
            (transfer.progress)(CaptureProgress {
                received: address + wanted,
                total: transfer.frame_len,
                read: 2,
                reads: 2,
            });
        }
        Ok((jpeg, decoded.filter(|_| confirmed)))
    }

    /// The chunks of a `frame_len`-byte frame: address, length asked (a multiple of 4) and bytes
    /// kept (the last chunk is rounded up to a multiple of 4 too; its tail is cut off).
    fn chunks(&self, frame_len: u32) -> impl Iterator<Item = (u32, u32, u32)> + use<T> {
        let chunk = self.chunk_len();
        (0..frame_len.div_ceil(chunk)).map(move |i| {
            let address = i * chunk;
            let wanted = (frame_len - address).min(chunk);
            (address, wanted.div_ceil(4) * 4, wanted)
        })
    }
}

/// One frame transfer's fixed parts and counters, passed through the reads.
struct Transfer<'a> {
    frame_len: u32,
    deadline: Instant,
    stats: &'a mut CaptureStats,
    progress: &'a mut dyn FnMut(CaptureProgress),
}
