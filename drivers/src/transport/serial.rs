//! A real serial port (or a pseudo-terminal's slave) as a [`Transport`].

use std::io::{self, Read, Write};
use std::time::{Duration, Instant};

use serialport::{DataBits, FlowControl, Parity, SerialPort, StopBits};

use super::{POLL_INTERVAL, Transport, TransportCounters, TransportError, write_allowance};

/// A serial port opened 8N1, no flow control, exclusive (a second opener is refused).
pub struct SerialTransport {
    port: Box<dyn SerialPort>,
    baud: u32,
    name: String,
    counters: TransportCounters,
}

impl std::fmt::Debug for SerialTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SerialTransport")
            .field("name", &self.name)
            .field("baud", &self.baud)
            .field("counters", &self.counters)
            .finish()
    }
}

impl SerialTransport {
    /// Opens `path` (e.g. `/dev/ttyUSB0`, or a simulator's `/dev/pts/N` or its symlink) at `baud`,
    /// 8N1, no flow control, exclusive access.
    pub fn open(path: &str, baud: u32) -> Result<Self, TransportError> {
        let builder = serialport::new(path, baud)
            .data_bits(DataBits::Eight)
            .parity(Parity::None)
            .stop_bits(StopBits::One)
            .flow_control(FlowControl::None)
            .timeout(POLL_INTERVAL);
        #[cfg(unix)]
        let builder = builder.exclusive(true);
        let port = builder.open().map_err(|source| TransportError::Open {
            path: path.to_owned(),
            source,
        })?;
        tracing::debug!(port = path, baud, "serial port opened");
        Ok(Self::from_port(port, baud))
    }

    /// Wraps a port opened elsewhere (e.g. one end of `serialport::TTYPort::pair()` in a test).
    pub fn from_port(port: Box<dyn SerialPort>, baud: u32) -> Self {
        let name = port.name().unwrap_or_else(|| "(unnamed port)".to_owned());
        Self {
            port,
            baud,
            name,
            counters: TransportCounters::default(),
        }
    }

    /// The port's name as the operating system gives it (a path on Unix).
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Transport for SerialTransport {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        let deadline = Instant::now() + write_allowance(bytes.len(), self.baud);
        let mut sent = 0;
        while sent < bytes.len() {
            let now = Instant::now();
            if now >= deadline {
                return Err(TransportError::Timeout);
            }
            set_poll_timeout(self.port.as_mut(), deadline - now)?;
            match self.port.write(&bytes[sent..]) {
                Ok(0) => return Err(TransportError::PortGone),
                Ok(n) => {
                    sent += n;
                    self.counters.bytes_written += n as u64;
                }
                Err(e) if is_retryable(&e) => continue,
                Err(e) => return Err(TransportError::from_io(e)),
            }
        }
        Ok(())
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
            set_poll_timeout(self.port.as_mut(), deadline - now)?;
            match self.port.read(buf) {
                // A TTY reports end of file only when the other side has hung up.
                Ok(0) => return Err(TransportError::PortGone),
                Ok(n) => {
                    self.counters.bytes_read += n as u64;
                    return Ok(n);
                }
                Err(e) if is_retryable(&e) => continue,
                Err(e) => return Err(TransportError::from_io(e)),
            }
        }
    }

    fn set_baud(&mut self, baud: u32) -> Result<(), TransportError> {
        self.port
            .set_baud_rate(baud)
            .map_err(|e| TransportError::from_io(e.into()))?;
        tracing::debug!(port = %self.name, baud, "baud changed");
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

/// Each wait on the port lasts at most [`POLL_INTERVAL`] and never beyond the deadline.
fn set_poll_timeout(port: &mut dyn SerialPort, remaining: Duration) -> Result<(), TransportError> {
    port.set_timeout(remaining.min(POLL_INTERVAL))
        .map_err(|e| TransportError::from_io(e.into()))
}

/// A poll that timed out or was interrupted just means "nothing yet": the deadline decides.
fn is_retryable(error: &io::Error) -> bool {
    matches!(
        error.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock | io::ErrorKind::Interrupted
    )
}
