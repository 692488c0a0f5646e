//! Reading one chunk of the frozen frame: re-read when it comes back misaligned, late or
//! refused, read again until two reads agree when the frame's two reads differ, and fence off
//! late answers.

use std::time::{Duration, Instant};

use super::{Camera, CaptureStats, auto_chunk_len, line_time};
use crate::transport::{Transport, TransportError};
use crate::vc0706::command::{CameraStatus, Command, GetVersion, ReadFrameBuffer};
use crate::vc0706::error::CameraError;
use crate::vc0706::frame::{ChunkScan, scan_chunk};

/// Scheduling slack added to every chunk's expected line time.
const CHUNK_SLACK: Duration = Duration::from_millis(150);
/// Once nearly all of a chunk has arrived, a silence this long (plus 20 byte-times) means bytes
/// were lost: the chunk is re-read rather than waited for until its deadline.
const CHUNK_GAP: Duration = Duration::from_millis(60);
/// A chunk this many bytes short of whole when the line falls silent has lost bytes.
const LOST_BYTES_TOLERATED: usize = 16;
/// Bytes a chunk costs on the way back beyond its data: header and trailer.
pub(super) const CHUNK_FRAMING: u64 = 10;

/// Why one read of a chunk failed (internal: retried, then turned into a [`CameraError`]).
enum ChunkFailure {
    Misaligned,
    Silent,
    Refused(u8),
    Line(TransportError),
}

impl<T: Transport> Camera<T> {
    /// The chunk length used at the current speed.
    pub fn chunk_len(&self) -> u32 {
        let chosen = self
            .options
            .chunk_len
            .unwrap_or_else(|| auto_chunk_len(self.line.baud()));
        (chosen / 4 * 4).max(4)
    }

    /// Reads one chunk again until two of its reads agree on its first `wanted` bytes, counting
    /// the reads already `seen` (a chunk the two reads of the frame gave differently).
    pub(super) fn read_chunk_until_two_agree(
        &mut self,
        address: u32,
        length: u32,
        wanted: u32,
        mut seen: Vec<Vec<u8>>,
        deadline: Instant,
        stats: &mut CaptureStats,
    ) -> Result<Vec<u8>, CameraError> {
        // Reads until two agree: on a noisy line a read or two more than the single-read budget.
        let attempts = self.options.chunk_attempts.max(2) + 2;
        let more = attempts.saturating_sub(u32::try_from(seen.len()).unwrap_or(u32::MAX));
        for _ in 0..more {
            let mut data = self.read_chunk(address, length, deadline, stats)?;
            data.truncate(wanted as usize);
            if seen.contains(&data) {
                return Ok(data);
            }
            stats.chunk_retries += 1;
            tracing::debug!(device = "vc0706", address, "chunk read differently");
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
    pub(super) fn read_chunk(
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
}
