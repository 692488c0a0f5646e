//! Deadline-bounded byte transport shared by every device driver.
//!
//! A driver never calls a blocking `read_exact`: serialport's timeout applies per call, so a
//! `read_exact` over a trickling line can wait far longer than intended (see
//! `docs/reference/zfm-fingerprint-protocol.md`, "Behaviour worth emulating and surviving").
//! Instead every read takes an absolute [`Instant`] deadline and is made of short polls
//! ([`POLL_INTERVAL`]) repeated until the bytes arrive or the deadline passes.
//!
//! Two implementations: [`SerialTransport`] (a serial port or pseudo-terminal, opened 8N1 and
//! exclusive) and [`StreamTransport`] (any `Read + Write` byte stream, for tests and tools).

mod error;
mod ports;
mod serial;
mod stream;

use std::time::{Duration, Instant};

use crate::discovery::DeviceKind;

pub use error::TransportError;
pub use ports::{PortInfo, list_ports};
pub use serial::SerialTransport;
pub use stream::StreamTransport;

/// The longest single wait inside a deadline-bounded read: short enough that a deadline is kept
/// to within a few milliseconds, long enough not to spin.
pub const POLL_INTERVAL: Duration = Duration::from_millis(20);

/// Bytes moved through a transport since it was opened, for diagnostics and line-time figures.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TransportCounters {
    /// Bytes handed to the line by [`Transport::write_all`].
    pub bytes_written: u64,
    /// Bytes taken from the line by any read, drained bytes included.
    pub bytes_read: u64,
}

/// What a driver is writing, told to the transport along with the bytes: the command as the
/// driver's typed request names it. A line that records its traffic (the diagnostic command log)
/// names each exchange from this, rather than decoding the bytes back into a name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandLabel {
    /// The device the bytes are for.
    pub device: DeviceKind,
    /// The command's name as the device's manual writes it (`GenImg`, `read frame buffer`), or
    /// [`CommandLabel::DATA`] for the data packets that follow a command.
    pub name: &'static str,
    /// The command's code on the wire (instruction or command byte); `None` for data packets.
    pub code: Option<u8>,
}

impl CommandLabel {
    /// The name of data packets sent after a command (the image of a DownImage).
    pub const DATA: &'static str = "data";

    /// The command `name`, code `code`, for `device`.
    pub fn command(device: DeviceKind, name: &'static str, code: u8) -> Self {
        Self {
            device,
            name,
            code: Some(code),
        }
    }

    /// Data packets for `device`, following a command.
    pub fn data(device: DeviceKind) -> Self {
        Self {
            device,
            name: Self::DATA,
            code: None,
        }
    }
}

/// A byte line to a device with reads bounded by a deadline.
///
/// Implementors provide [`write_all`](Transport::write_all), [`read_some_by`](Transport::read_some_by),
/// the baud accessors and the counters; exact reads and draining are built on top.
pub trait Transport: Send {
    /// Writes every byte, or fails. A write that cannot progress is bounded too (it fails with
    /// [`TransportError::Timeout`] rather than hanging on a wedged line).
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), TransportError>;

    /// Writes the bytes of one command (or of the data packets that follow one), labelled with
    /// what they are. Drivers write commands through this, so that a line recording its traffic
    /// knows which command each exchange is; any other line just writes the bytes.
    fn write_command(&mut self, label: CommandLabel, bytes: &[u8]) -> Result<(), TransportError> {
        let _ = label;
        self.write_all(bytes)
    }

    /// Reads at least one byte (up to `buf.len()`) unless the deadline passes first, in which case
    /// it fails with [`TransportError::Timeout`]. An empty `buf` returns `Ok(0)` at once.
    fn read_some_by(&mut self, buf: &mut [u8], deadline: Instant) -> Result<usize, TransportError>;

    /// Fills `buf` completely before `deadline`, or fails with [`TransportError::Timeout`] (the
    /// bytes already read are consumed and lost: the caller resynchronises).
    fn read_exact_by(&mut self, buf: &mut [u8], deadline: Instant) -> Result<(), TransportError> {
        let mut filled = 0;
        while filled < buf.len() {
            filled += self.read_some_by(&mut buf[filled..], deadline)?;
        }
        Ok(())
    }

    /// Discards incoming bytes until the line has been quiet for `quiet`, or `max` has elapsed.
    /// Returns how many bytes were discarded. Used after power-up, reset and baud change.
    fn drain(&mut self, quiet: Duration, max: Duration) -> Result<usize, TransportError> {
        let started = Instant::now();
        let hard_stop = started + max;
        let mut discarded = 0;
        let mut scratch = [0u8; 256];
        loop {
            let now = Instant::now();
            if now >= hard_stop {
                return Ok(discarded);
            }
            let wait_until = (now + quiet).min(hard_stop);
            match self.read_some_by(&mut scratch, wait_until) {
                Ok(n) => discarded += n,
                Err(TransportError::Timeout) => return Ok(discarded),
                Err(other) => return Err(other),
            }
        }
    }

    /// Changes the line speed on our side (the device changes its own on its own terms).
    fn set_baud(&mut self, baud: u32) -> Result<(), TransportError>;

    /// The current line speed on our side, in bits per second.
    fn baud(&self) -> u32;

    /// Bytes written and read so far.
    fn counters(&self) -> TransportCounters;
}

impl<T: Transport + ?Sized> Transport for Box<T> {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        (**self).write_all(bytes)
    }
    fn write_command(&mut self, label: CommandLabel, bytes: &[u8]) -> Result<(), TransportError> {
        (**self).write_command(label, bytes)
    }
    fn read_some_by(&mut self, buf: &mut [u8], deadline: Instant) -> Result<usize, TransportError> {
        (**self).read_some_by(buf, deadline)
    }
    fn read_exact_by(&mut self, buf: &mut [u8], deadline: Instant) -> Result<(), TransportError> {
        (**self).read_exact_by(buf, deadline)
    }
    fn drain(&mut self, quiet: Duration, max: Duration) -> Result<usize, TransportError> {
        (**self).drain(quiet, max)
    }
    fn set_baud(&mut self, baud: u32) -> Result<(), TransportError> {
        (**self).set_baud(baud)
    }
    fn baud(&self) -> u32 {
        (**self).baud()
    }
    fn counters(&self) -> TransportCounters {
        (**self).counters()
    }
}

/// Time a write of `len` bytes may take at `baud` (10 bits a byte), doubled, plus a second of
/// slack for scheduling: the bound [`Transport::write_all`] implementations use.
pub(crate) fn write_allowance(len: usize, baud: u32) -> Duration {
    let baud = u64::from(baud.max(1));
    let line_ms = (len as u64).saturating_mul(10_000) / baud;
    Duration::from_millis(line_ms.saturating_mul(2).saturating_add(1_000))
}

#[cfg(test)]
mod tests;
