//! The device's end of the serial line: reads what the client sends, sends paced bytes with the
//! faults in force, notices the client opening and closing the port, and can vanish.

use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serialport::SerialPort;

use super::injector::{FaultSwitch, Injector};
use super::pacing::{Pacer, chunk_bytes, sleep_until};
use super::stats::{LineCounters, LineStats};
use super::{FaultSpec, Pty, PtyError};

/// A UART receiver tolerates a few percent of baud error; beyond this the bytes are garbage.
const BAUD_TOLERANCE: f64 = 0.03;

/// How long the pseudo-terminal's buffer may stay full (the client not reading) before what the
/// device sends is lost, as a receiver's overrun loses it.
const OVERRUN_AFTER: Duration = Duration::from_secs(1);

/// Most bytes handed to the pseudo-terminal in one write. The master is a blocking descriptor: a
/// write larger than the room left in the slave's input buffer would block until the client reads,
/// which it may never do. Each write is preceded by a poll for room (serialport's `write`), and with
/// room for at least one byte the kernel takes a piece this small whole (it allocates its buffers
/// in pieces of 256 bytes and more), so the device never blocks on a client that stopped reading.
const WRITE_PIECE: usize = 256;

/// How long after a client opens the port before pending boot output is sent: the client needs a
/// moment to put the port in raw mode, and a module needs ~50 ms to start (reference,
/// docs/reference/zfm-fingerprint-protocol.md, "At power-up (~50 ms init)").
const SETTLE_AFTER_OPEN: Duration = Duration::from_millis(50);

/// How a device's line behaves.
#[derive(Debug, Clone)]
pub struct LineSettings {
    /// The device's baud at power-up.
    pub baud: u32,
    /// Pace what is sent at the baud (10 bits a byte); false sends at once, for fast tests.
    pub paced: bool,
    /// When the client's port is set to another baud than the device's, what each side receives is
    /// garbage, as on a real line (a pseudo-terminal would otherwise carry it intact).
    pub strict_baud: bool,
    /// Seed of the fault dice.
    pub seed: u64,
    /// Faults in force at start.
    pub faults: FaultSpec,
}

impl Default for LineSettings {
    fn default() -> Self {
        Self {
            baud: 57_600,
            paced: true,
            strict_baud: true,
            seed: 0,
            faults: FaultSpec::none(),
        }
    }
}

/// What a read found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Received {
    /// This many bytes were put at the start of the buffer.
    Bytes(usize),
    /// The client has the port open but sent nothing within the wait.
    Idle,
    /// No client has the port open.
    NoClient,
}

/// What the device does with a command it has just received, given the faults in force.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CommandFate {
    /// Answer it.
    Answer,
    /// Say nothing: the device has hung (`mute-after`).
    Mute,
    /// The port has just disappeared (`vanish-after`).
    Vanish,
}

/// Why the line could not do what was asked.
#[derive(Debug, thiserror::Error)]
pub enum LineError {
    /// The port is gone (unplugged, or `vanish-after`).
    #[error("the port is gone")]
    Gone,
    /// The owner asked the line to stop what it was doing (power cycle, unplug, stop).
    #[error("interrupted")]
    Interrupted,
    /// The pseudo-terminal failed.
    #[error("pseudo-terminal I/O: {0}")]
    Io(#[from] io::Error),
}

/// The device's end of one serial line.
#[derive(Debug)]
pub struct SimLine {
    pty: Option<Pty>,
    slave_path: PathBuf,
    port_path: PathBuf,
    pacer: Pacer,
    paced: bool,
    strict_baud: bool,
    faults: FaultSwitch,
    faults_seen: u64,
    injector: Injector,
    counters: Arc<LineCounters>,
    abort: Arc<AtomicBool>,
    client_present: bool,
    pending_boot: Option<Vec<u8>>,
    commands_since_boot: u32,
    muted: bool,
    last_received_at: Option<Instant>,
}

impl SimLine {
    /// The device's end of `pty`.
    pub fn new(pty: Pty, settings: LineSettings) -> Self {
        let slave_path = pty.slave_path().to_owned();
        let port_path = pty.port_path().to_owned();
        Self {
            pty: Some(pty),
            slave_path,
            port_path,
            pacer: Pacer::new(settings.baud),
            paced: settings.paced,
            strict_baud: settings.strict_baud,
            faults: FaultSwitch::new(settings.faults),
            faults_seen: 0,
            injector: Injector::new(settings.seed),
            counters: Arc::new(LineCounters::default()),
            abort: Arc::new(AtomicBool::new(false)),
            client_present: false,
            pending_boot: None,
            commands_since_boot: 0,
            muted: false,
            last_received_at: None,
        }
    }

    /// Creates a pair (and the symlink, if given) and the device's end of it.
    pub fn open(link: Option<&Path>, settings: LineSettings) -> Result<Self, PtyError> {
        let pty = match link {
            Some(link) => Pty::open_linked(link)?,
            None => Pty::open()?,
        };
        Ok(Self::new(pty, settings))
    }

    /// The slave (`/dev/pts/N`).
    pub fn slave_path(&self) -> &Path {
        &self.slave_path
    }

    /// The path to give a client: the symlink if any, else the slave.
    pub fn port_path(&self) -> &Path {
        &self.port_path
    }

    /// A handle to change the faults while the device runs.
    pub fn fault_switch(&self) -> FaultSwitch {
        self.faults.clone()
    }

    /// The live counters (shared).
    pub fn counters(&self) -> Arc<LineCounters> {
        Arc::clone(&self.counters)
    }

    /// A snapshot of the counters.
    pub fn stats(&self) -> LineStats {
        self.counters.snapshot()
    }

    /// A flag another thread sets to make a send or wait in progress return
    /// [`LineError::Interrupted`]; the owner clears it with [`SimLine::clear_interrupt`].
    pub fn interrupt_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.abort)
    }

    /// Clears the interrupt flag.
    pub fn clear_interrupt(&self) {
        self.abort.store(false, Ordering::SeqCst);
    }

    /// The device's current baud.
    pub fn baud(&self) -> u32 {
        self.pacer.baud()
    }

    /// Changes the device's baud from the next byte (the firmware calls this when a new setting
    /// takes effect, i.e. at restart).
    pub fn set_baud(&mut self, baud: u32) {
        tracing::debug!(baud, "line baud changed");
        self.pacer.set_baud(baud);
    }

    /// Whether the line paces what it sends.
    pub fn is_paced(&self) -> bool {
        self.paced
    }

    /// Whether the port still exists.
    pub fn is_gone(&self) -> bool {
        self.pty.is_none()
    }

    /// Whether a client had the port open at the last read or write.
    pub fn client_present(&self) -> bool {
        self.client_present
    }

    /// The baud the client has set on its end of the pseudo-terminal (the master reports the slave's
    /// settings), if it can be read.
    pub fn client_baud(&self) -> Option<u32> {
        self.pty.as_ref()?.master_ref().baud_rate().ok()
    }

    /// The ratio client baud ÷ device baud when they differ beyond a UART's tolerance.
    fn baud_mismatch(&self) -> Option<f64> {
        if !self.strict_baud {
            return None;
        }
        let client = f64::from(self.client_baud()?);
        let device = f64::from(self.pacer.baud());
        if device <= 0.0 || client <= 0.0 {
            return None;
        }
        let ratio = client / device;
        ((ratio - 1.0).abs() > BAUD_TOLERANCE).then_some(ratio)
    }

    /// What a receiver at the wrong baud makes of `bytes`: about `ratio` random bytes for each.
    fn garble(&mut self, bytes: &[u8], ratio: f64) -> Vec<u8> {
        LineCounters::add(&self.counters.baud_mismatches, 1);
        // Whole-number arithmetic on the count keeps this deterministic for a given seed.
        let count = ((bytes.len() as f64) * ratio.clamp(0.1, 4.0)).round() as usize;
        self.injector.garbage(count)
    }

    fn refresh_faults(&mut self) -> FaultSpec {
        let (spec, generation) = self.faults.snapshot();
        if generation != self.faults_seen {
            self.faults_seen = generation;
            self.commands_since_boot = 0;
        }
        spec
    }

    fn note_client(&mut self, present: bool) {
        if present == self.client_present {
            return;
        }
        self.client_present = present;
        if present {
            LineCounters::add(&self.counters.client_opens, 1);
            tracing::debug!(port = %self.port_path.display(), "client opened the port");
        } else {
            tracing::debug!(port = %self.port_path.display(), "client closed the port");
        }
    }

    /// Waits up to `wait` for bytes from the client. Boot output held while no client was there
    /// is sent when one opens the port.
    pub fn read(&mut self, buf: &mut [u8], wait: Duration) -> Result<Received, LineError> {
        let Some(pty) = self.pty.as_mut() else {
            return Err(LineError::Gone);
        };
        let master = pty.master();
        master
            .set_timeout(wait.max(Duration::from_millis(1)))
            .map_err(io::Error::from)?;
        let outcome = match master.read(buf) {
            Ok(0) => Received::NoClient,
            Ok(n) => Received::Bytes(n),
            Err(e) if e.kind() == io::ErrorKind::TimedOut => Received::Idle,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Received::Idle,
            // No slave open: poll reports a hang-up (BrokenPipe) and read gives EIO.
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe || e.raw_os_error() == Some(5) => {
                Received::NoClient
            }
            Err(e) if e.kind() == io::ErrorKind::Other => Received::NoClient,
            Err(e) => return Err(LineError::Io(e)),
        };
        match outcome {
            Received::NoClient => {
                self.note_client(false);
                // A hang-up is reported at once: do not spin.
                self.interruptible_sleep(wait.min(Duration::from_millis(10)))?;
            }
            Received::Bytes(n) => {
                self.note_client(true);
                self.last_received_at = Some(Instant::now());
                LineCounters::add(&self.counters.bytes_received, n as u64);
                if let Some(ratio) = self.baud_mismatch() {
                    // The device's UART makes garbage of bytes sent at another baud.
                    let junk = self.garble(&buf[..n], 1.0 / ratio);
                    let kept = junk.len().min(n);
                    buf[..kept].copy_from_slice(&junk[..kept]);
                    self.deliver_pending_boot()?;
                    return Ok(Received::Bytes(kept));
                }
                self.deliver_pending_boot()?;
            }
            Received::Idle => {
                self.note_client(true);
                self.deliver_pending_boot()?;
            }
        }
        Ok(outcome)
    }

    fn deliver_pending_boot(&mut self) -> Result<(), LineError> {
        if let Some(boot) = self.pending_boot.take() {
            self.interruptible_sleep(SETTLE_AFTER_OPEN)?;
            self.send_raw(&boot)?;
        }
        Ok(())
    }

    /// Power-up: the transmit schedule is cleared, the command count starts again, a hung device
    /// answers again, and `boot` (e.g. the R50x's 0x55) is sent, preceded by the `garbage` fault's
    /// random bytes. If no client has the port open, the boot output waits for one (as a USB
    /// adapter's FIFO keeps what the module sent before the port was opened).
    pub fn power_up(&mut self, boot: &[u8]) -> Result<(), LineError> {
        let spec = self.refresh_faults();
        self.pacer.reset();
        self.commands_since_boot = 0;
        self.muted = false;
        let garbage = usize::try_from(spec.garbage_at_boot).unwrap_or(0);
        let mut output = self.injector.garbage(garbage);
        LineCounters::add(&self.counters.garbage_bytes, garbage as u64);
        output.extend_from_slice(boot);
        if output.is_empty() {
            self.pending_boot = None;
            return Ok(());
        }
        if self.client_present {
            self.pending_boot = None;
            self.send_raw(&output)
        } else {
            self.pending_boot = Some(output);
            Ok(())
        }
    }

    /// Counts a command received and says whether to answer it (`mute-after`, `vanish-after`).
    pub fn command_received(&mut self) -> CommandFate {
        LineCounters::add(&self.counters.commands, 1);
        let spec = self.refresh_faults();
        if self.pty.is_none() {
            return CommandFate::Vanish;
        }
        if self.muted {
            return CommandFate::Mute;
        }
        self.commands_since_boot = self.commands_since_boot.saturating_add(1);
        if spec
            .vanish_after
            .is_some_and(|n| self.commands_since_boot > n)
        {
            tracing::info!(
                commands = self.commands_since_boot - 1,
                "fault: the port vanishes"
            );
            self.unplug();
            return CommandFate::Vanish;
        }
        if spec
            .mute_after
            .is_some_and(|n| self.commands_since_boot > n)
        {
            tracing::info!(
                commands = self.commands_since_boot - 1,
                "fault: the device stops answering"
            );
            self.muted = true;
            return CommandFate::Mute;
        }
        CommandFate::Answer
    }

    /// Closes the master: the client's reads fail (EIO / hang-up) and the symlink goes, as when a
    /// USB adapter is pulled out. There is no coming back: a new line is needed.
    pub fn unplug(&mut self) {
        if let Some(pty) = self.pty.take() {
            tracing::info!(port = %pty.port_path().display(), "port unplugged");
            drop(pty);
        }
        self.client_present = false;
    }

    /// Sends `bytes` with the faults in force, paced at the baud when the line is paced.
    pub fn send(&mut self, bytes: &[u8]) -> Result<(), LineError> {
        self.send_raw(bytes)
    }

    fn send_raw(&mut self, bytes: &[u8]) -> Result<(), LineError> {
        if self.pty.is_none() {
            return Err(LineError::Gone);
        }
        let spec = self.refresh_faults();
        let mismatch = self.baud_mismatch();
        let chunk = if self.paced {
            chunk_bytes(self.pacer.baud())
        } else {
            usize::MAX
        };
        let mut burst = self.pacer.begin(Instant::now(), self.last_received_at);
        let mut out: Vec<u8> = Vec::with_capacity(bytes.len().min(chunk));
        let mut slots = 0u64;
        for &byte in bytes {
            if self.abort.load(Ordering::SeqCst) {
                self.pacer.end(&burst, slots);
                return Err(LineError::Interrupted);
            }
            if self.injector.stall(&spec) {
                LineCounters::add(&self.counters.stalls, 1);
                if self.paced {
                    self.wait_until(burst.due(slots))?;
                }
                self.write_out(&mut out, mismatch)?;
                burst.stall(spec.stall_length);
                if !self.paced {
                    self.interruptible_sleep(spec.stall_length)?;
                }
            }
            slots += 1;
            if self.injector.drop(&spec) {
                LineCounters::add(&self.counters.bytes_dropped, 1);
            } else {
                let (byte, flipped) = self.injector.flip(&spec, byte);
                LineCounters::add(&self.counters.bits_flipped, u64::from(flipped));
                out.push(byte);
            }
            if out.len() >= chunk {
                self.wait_until(burst.due(slots))?;
                self.write_out(&mut out, mismatch)?;
            }
        }
        if self.paced {
            self.wait_until(burst.due(slots))?;
        }
        self.write_out(&mut out, mismatch)?;
        self.pacer.end(&burst, slots);
        Ok(())
    }

    /// Hands `out` to the pseudo-terminal and empties it. Bytes sent while no client has the port
    /// open are lost, as on a real line.
    fn write_out(&mut self, out: &mut Vec<u8>, mismatch: Option<f64>) -> Result<(), LineError> {
        if out.is_empty() {
            return Ok(());
        }
        let data = match mismatch {
            Some(ratio) => self.garble(out, ratio),
            None => std::mem::take(out),
        };
        out.clear();
        let mut written = 0;
        let mut progress_at = Instant::now();
        while written < data.len() {
            if self.abort.load(Ordering::SeqCst) {
                return Err(LineError::Interrupted);
            }
            let Some(pty) = self.pty.as_mut() else {
                return Err(LineError::Gone);
            };
            let master = pty.master();
            master
                .set_timeout(Duration::from_millis(20))
                .map_err(io::Error::from)?;
            let piece = &data[written..data.len().min(written + WRITE_PIECE)];
            match master.write(piece) {
                Ok(n) => {
                    written += n;
                    progress_at = Instant::now();
                    LineCounters::add(&self.counters.bytes_sent, n as u64);
                    self.note_client(true);
                }
                // The client is not reading and the pseudo-terminal's buffer is full. A real
                // receiver would overrun: after a while without progress, the rest is lost.
                Err(e) if e.kind() == io::ErrorKind::TimedOut => {
                    if progress_at.elapsed() >= OVERRUN_AFTER {
                        let lost = (data.len() - written) as u64;
                        tracing::debug!(lost, "client not reading: bytes lost");
                        LineCounters::add(&self.counters.bytes_lost, lost);
                        break;
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(_) => {
                    // Hang-up (no client): the rest is lost.
                    let lost = (data.len() - written) as u64;
                    LineCounters::add(&self.counters.bytes_lost, lost);
                    self.note_client(false);
                    break;
                }
            }
        }
        Ok(())
    }

    fn wait_until(&self, when: Instant) -> Result<(), LineError> {
        loop {
            if self.abort.load(Ordering::SeqCst) {
                return Err(LineError::Interrupted);
            }
            let now = Instant::now();
            if now >= when {
                return Ok(());
            }
            let slice = (when - now).min(Duration::from_millis(20));
            sleep_until(now + slice);
        }
    }

    /// Sleeps for `length`, returning early with [`LineError::Interrupted`] if interrupted.
    pub fn interruptible_sleep(&self, length: Duration) -> Result<(), LineError> {
        self.wait_until(Instant::now() + length)
    }
}
