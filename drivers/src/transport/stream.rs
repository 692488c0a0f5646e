//! Any `Read + Write` byte stream as a [`Transport`].

use std::io::{self, Read, Write};
use std::time::Instant;

use super::{Transport, TransportCounters, TransportError, write_allowance};

/// A generic byte stream (a Unix socket, a TCP connection, a test double) as a transport.
///
/// The stream must not block indefinitely: give it a read timeout (at most a few tens of
/// milliseconds, like [`super::POLL_INTERVAL`]) or make it non-blocking. `WouldBlock` and `TimedOut` mean "nothing yet" and the
/// read is retried after a short sleep until the deadline. The baud is only recorded (a stream has
/// no line speed) so line-time figures still make sense.
#[derive(Debug)]
pub struct StreamTransport<T> {
    stream: T,
    baud: u32,
    counters: TransportCounters,
}

/// How long to sleep when a non-blocking stream has nothing to give.
const IDLE_SLEEP: std::time::Duration = std::time::Duration::from_millis(1);

impl<T: Read + Write + Send> StreamTransport<T> {
    /// Wraps `stream`, recording `baud` as its nominal line speed.
    pub fn new(stream: T, baud: u32) -> Self {
        Self {
            stream,
            baud,
            counters: TransportCounters::default(),
        }
    }

    /// The wrapped stream.
    pub fn get_ref(&self) -> &T {
        &self.stream
    }

    /// Gives the stream back.
    pub fn into_inner(self) -> T {
        self.stream
    }
}

impl<T: Read + Write + Send> Transport for StreamTransport<T> {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        let deadline = Instant::now() + write_allowance(bytes.len(), self.baud);
        let mut sent = 0;
        while sent < bytes.len() {
            if Instant::now() >= deadline {
                return Err(TransportError::Timeout);
            }
            match self.stream.write(&bytes[sent..]) {
                Ok(0) => return Err(TransportError::PortGone),
                Ok(n) => {
                    sent += n;
                    self.counters.bytes_written += n as u64;
                }
                Err(e) if is_idle(&e) => std::thread::sleep(IDLE_SLEEP),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(TransportError::from_io(e)),
            }
        }
        match self.stream.flush() {
            Ok(()) => Ok(()),
            Err(e) => Err(TransportError::from_io(e)),
        }
    }

    fn read_some_by(&mut self, buf: &mut [u8], deadline: Instant) -> Result<usize, TransportError> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            let now = Instant::now();
            if now >= deadline {
                return Err(TransportError::Timeout);
            }
            match self.stream.read(buf) {
                Ok(0) => return Err(TransportError::PortGone),
                Ok(n) => {
                    self.counters.bytes_read += n as u64;
                    return Ok(n);
                }
                Err(e) if is_idle(&e) => {
                    std::thread::sleep(IDLE_SLEEP.min(deadline.saturating_duration_since(now)))
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(TransportError::from_io(e)),
            }
        }
    }

    fn set_baud(&mut self, baud: u32) -> Result<(), TransportError> {
        self.baud = baud;
        Ok(())
    }

    fn baud(&self) -> u32 {
        self.baud
    }

    fn counters(&self) -> TransportCounters {
        self.counters
    }
}

fn is_idle(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}
