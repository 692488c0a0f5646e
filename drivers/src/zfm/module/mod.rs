//! The fingerprint module as a station sees it: [`FingerprintModule`], generic over the
//! [`Transport`], so the same code drives a USB adapter and a simulator's pseudo-terminal.

mod capture;
mod negotiate;
mod probe;
mod templates;

use std::time::{Duration, Instant};

pub use capture::{Capture, Progress, TransferStats};
pub use negotiate::Negotiation;
pub use probe::{PROBE_BAUDS, ProbeReport};

use super::command::{Command, Confirmation, GenImg, PacketSize};
use super::error::ZfmError;
use super::frame::{DEFAULT_ADDRESS, FrameReader, Packet, PacketKind};
use crate::discovery::DeviceKind;
use crate::transport::{CommandLabel, Transport};

/// ZFM / R305 / R307 / AS608 sensors: 256 × 288 pixels (reference, "Image upload").
pub const ZFM_SENSOR: (u32, u32) = (256, 288);

/// How a drained line is judged quiet before a command that follows a failure.
const QUIET_AFTER_FAILURE: Duration = Duration::from_millis(60);

/// The settings the driver and the module currently share.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ModuleSettings {
    /// Line speed in bits per second.
    pub baud: u32,
    /// Data packet payload size.
    pub packet_size: PacketSize,
    /// Sensor width in pixels.
    pub width: u32,
    /// Sensor height in pixels.
    pub height: u32,
}

impl Default for ModuleSettings {
    /// The factory defaults of a ZFM module: 57,600 baud, 128-byte packets, 256 × 288 sensor.
    fn default() -> Self {
        Self {
            baud: 57_600,
            packet_size: PacketSize::B128,
            width: ZFM_SENSOR.0,
            height: ZFM_SENSOR.1,
        }
    }
}

/// Running totals for diagnostics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModuleCounters {
    /// Commands sent.
    pub commands: u64,
    /// Whole UpImage transfers started.
    pub upload_attempts: u64,
    /// UpImage transfers repeated after a damaged one.
    pub upload_retries: u64,
    /// Bytes discarded while draining or resynchronising.
    pub discarded_bytes: u64,
}

/// A fingerprint module on a transport.
#[derive(Debug)]
pub struct FingerprintModule<T: Transport> {
    transport: T,
    reader: FrameReader,
    address: u32,
    password: u32,
    settings: ModuleSettings,
    /// Set after a failure that may leave stale bytes on the line: drained before the next command.
    dirty: bool,
    upload_attempts: u32,
    capture_timeout: Duration,
    counters: ModuleCounters,
}

impl<T: Transport> FingerprintModule<T> {
    /// A module at the factory address and password, assumed at factory settings until
    /// [`probe`](Self::probe) says otherwise.
    pub fn new(transport: T) -> Self {
        Self::with_credentials(transport, DEFAULT_ADDRESS, 0)
    }

    /// A module with a non-default address or password.
    pub fn with_credentials(transport: T, address: u32, password: u32) -> Self {
        let settings = ModuleSettings {
            baud: transport.baud(),
            ..ModuleSettings::default()
        };
        Self {
            transport,
            reader: FrameReader::new(address),
            address,
            password,
            settings,
            dirty: true,
            upload_attempts: 3,
            capture_timeout: GenImg.timeout(),
            counters: ModuleCounters::default(),
        }
    }

    /// How many times a damaged UpImage is attempted in all (at least 1; default 3).
    pub fn set_upload_attempts(&mut self, attempts: u32) {
        self.upload_attempts = attempts.max(1);
    }

    /// How long one GenImg may take to answer (default 2 s, the reference's common wait). A
    /// slower sensor, or a simulator synthesising on a loaded machine, may need more.
    pub fn set_capture_timeout(&mut self, timeout: Duration) {
        self.capture_timeout = timeout;
    }

    /// The settings in use.
    pub fn settings(&self) -> ModuleSettings {
        self.settings
    }

    /// Running totals.
    pub fn counters(&self) -> ModuleCounters {
        let mut counters = self.counters;
        counters.discarded_bytes += self.reader.stray_bytes();
        counters
    }

    /// The transport (for its byte counters).
    pub fn transport(&self) -> &T {
        &self.transport
    }

    /// Gives the transport back.
    pub fn into_transport(self) -> T {
        self.transport
    }

    /// Sends `command` and waits for its acknowledgement under the command's own timeout. The
    /// outer `Result` is the line (timeouts, damage, port gone), the inner one the module's
    /// verdict.
    pub fn send<C: Command>(
        &mut self,
        command: &C,
    ) -> Result<Result<C::Response, Confirmation>, ZfmError> {
        self.send_with_timeout(command, command.timeout())
    }

    /// Sends `command`; a confirmation other than OK becomes [`ZfmError::Module`].
    pub fn execute<C: Command>(&mut self, command: &C) -> Result<C::Response, ZfmError> {
        self.send(command)?.map_err(|code| ZfmError::Module {
            command: C::NAME,
            code,
        })
    }

    /// [`send`](Self::send) with an explicit timeout (the line time of the exchange is added).
    pub fn send_with_timeout<C: Command>(
        &mut self,
        command: &C,
        timeout: Duration,
    ) -> Result<Result<C::Response, Confirmation>, ZfmError> {
        self.settle()?;
        let mut args = Vec::new();
        command.args(&mut args);
        let bytes = Packet::command(self.address, C::CODE, &args)
            .encode()
            .map_err(|e| ZfmError::Protocol {
                command: C::NAME,
                detail: e.to_string(),
            })?;
        // The command, and an answer of up to 64 bytes, must cross the line too.
        let deadline = Instant::now() + timeout + self.line_time(bytes.len() as u64 + 64);
        self.counters.commands += 1;
        self.transport
            .write_command(
                CommandLabel::command(DeviceKind::Fingerprint, C::NAME, C::CODE),
                &bytes,
            )
            .map_err(|e| self.failed(ZfmError::from_transport(C::NAME, e)))?;
        let packet = self
            .reader
            .next_packet(&mut self.transport, deadline)
            .map_err(|e| ZfmError::from_read(C::NAME, e));
        let packet = match packet {
            Ok(packet) => packet,
            Err(error) => return Err(self.failed(error)),
        };
        if packet.kind != PacketKind::Ack {
            return Err(self.failed(ZfmError::Protocol {
                command: C::NAME,
                detail: format!(
                    "expected an acknowledgement, got a {:?} packet",
                    packet.kind
                ),
            }));
        }
        let Some((&code, data)) = packet.payload.split_first() else {
            return Err(self.failed(ZfmError::Protocol {
                command: C::NAME,
                detail: "empty acknowledgement".to_owned(),
            }));
        };
        let confirmation = Confirmation::from_code(code);
        tracing::trace!(command = C::NAME, %confirmation, "acknowledged");
        if confirmation != Confirmation::Ok {
            return Ok(Err(confirmation));
        }
        command.parse(data).map(Ok).map_err(|e| ZfmError::Protocol {
            command: C::NAME,
            detail: e.to_string(),
        })
    }

    /// Notes that the line may hold stale bytes, and passes the error on.
    fn failed(&mut self, error: ZfmError) -> ZfmError {
        self.dirty = true;
        tracing::debug!(command = error.command(), kind = error.kind(), %error, "command failed");
        error
    }

    /// After a failure, let the line go quiet and forget what was buffered, so a late answer to
    /// the previous command is not taken for the next one's.
    fn settle(&mut self) -> Result<(), ZfmError> {
        self.settle_within(Duration::from_millis(1_000))
    }

    /// [`settle`](Self::settle), spending at most `max`.
    fn settle_within(&mut self, max: Duration) -> Result<(), ZfmError> {
        if self.dirty {
            self.drain(QUIET_AFTER_FAILURE.min(max), max)?;
        }
        Ok(())
    }

    /// Discards whatever the module is still sending (the rest of an abandoned image, late
    /// answers) until the line has been quiet for `quiet`, or `max` has passed. Returns the bytes
    /// discarded. Commands do this by themselves after a failure; this is for a caller that
    /// stops using the module after one.
    pub fn discard_incoming(&mut self, quiet: Duration, max: Duration) -> Result<usize, ZfmError> {
        self.drain(quiet, max)
    }

    /// Discards whatever arrives until the line is quiet (or `max` passes).
    fn drain(&mut self, quiet: Duration, max: Duration) -> Result<usize, ZfmError> {
        let pending = self.reader.pending();
        self.reader.clear();
        let drained = self
            .transport
            .drain(quiet, max)
            .map_err(|e| ZfmError::from_transport("drain", e))?;
        self.counters.discarded_bytes += (pending + drained) as u64;
        self.dirty = false;
        Ok(pending + drained)
    }

    /// Time `bytes` take on the line at the current baud (10 bits a byte: 8N1).
    pub fn line_time(&self, bytes: u64) -> Duration {
        line_time(bytes, self.transport.baud())
    }
}

/// Time `bytes` take on a line at `baud` (10 bits a byte: start, 8 data, stop).
pub fn line_time(bytes: u64, baud: u32) -> Duration {
    let baud = u64::from(baud.max(1));
    Duration::from_nanos(bytes.saturating_mul(10).saturating_mul(1_000_000_000) / baud)
}

#[cfg(test)]
mod tests;
