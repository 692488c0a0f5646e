//! The live command log: a [`Transport`] wrapper that records every exchange on the line (the
//! command, the bytes each way, how long it took, how it ended) and keeps error counters since
//! the start, for the technician's screen and the diagnostic report.
//!
//! An exchange starts when bytes are written and collects what is read until the next write.
//! Reads with no write before them (a boot byte, a drain) are an exchange of their own.
//!
//! Each exchange is named by the driver that sent it: the fingerprint module and the camera write
//! their typed commands through [`Transport::write_command`], whose [`CommandLabel`] carries the
//! command's name and code. The log never works a name out from the bytes, so it names exactly
//! what the driver meant to send, including commands that share a code on the wire (the camera's
//! picture size and compression are both a `write data`).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::discovery::DeviceKind;
use crate::transport::{CommandLabel, Transport, TransportCounters, TransportError};
use crate::zfm::frame::{Decoded, FrameError, decode};

/// Bytes of each direction kept in an entry (the rest is counted, not shown).
pub const SHOWN_BYTES: usize = 24;
/// Entries kept by default (the oldest are dropped beyond).
pub const DEFAULT_CAPACITY: usize = 2_000;

/// The name of bytes read with no command before them (a boot byte, a late answer).
const INCOMING: &str = "(incoming)";
/// The name of bytes discarded while waiting for a quiet line.
const DRAIN: &str = "drain";
/// The name of bytes written with no command named ([`Transport::write_all`]).
const UNNAMED: &str = "(bytes)";

/// One exchange on the line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogEntry {
    /// Position in the log since it started (never reused, so a screen can ask for what is new).
    pub seq: u64,
    /// Milliseconds since the log started.
    pub at_ms: u64,
    /// The device's name for the command (`GenImg`, `get version`), as the driver that sent it
    /// named it; `data` for data packets, `(incoming)` for bytes read with no command before them,
    /// `drain` for discarded bytes, `(bytes)` for bytes written with no command named.
    pub command: String,
    /// The command's code on the wire (fingerprint instruction code, camera command byte), when
    /// the exchange is a command.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<u8>,
    /// The first bytes sent, in hex (empty when nothing was sent).
    pub sent_hex: String,
    /// Bytes sent.
    pub sent_len: usize,
    /// The first bytes received, in hex.
    pub received_hex: String,
    /// Bytes received.
    pub received_len: usize,
    /// From the write (or first read) to the last byte received or the failure, microseconds.
    pub duration_us: u64,
    /// `ok`, `timeout`, `checksum error`, `port gone`, or the input/output error.
    pub result: String,
}

/// Error counters since the log started.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorCounters {
    /// Commands written.
    pub commands: u64,
    /// Reads that reached their deadline without the bytes asked for (drains excluded: a quiet
    /// line is what they wait for).
    pub timeouts: u64,
    /// Fingerprint module packets received with a wrong checksum.
    pub checksum_errors: u64,
    /// Commands sent again, byte for byte, right after a failed exchange.
    pub retries: u64,
    /// Times the port was found gone (unplugged, hung up).
    pub port_gone: u64,
    /// Other input/output errors.
    pub io_errors: u64,
    /// Bytes written.
    pub bytes_sent: u64,
    /// Bytes read (drained bytes included).
    pub bytes_received: u64,
}

#[derive(Debug)]
struct Exchange {
    started: Instant,
    at_ms: u64,
    command: &'static str,
    code: Option<u8>,
    sent: Vec<u8>,
    sent_len: usize,
    received: Vec<u8>,
    received_len: usize,
    last_byte: Option<Instant>,
    result: Option<String>,
    /// The answers to fingerprint commands are checked as they arrive (their packets carry a
    /// checksum, the camera's do not): the bytes not yet decoded.
    zfm_pending: Option<Vec<u8>>,
}

impl Exchange {
    fn new(log_started: Instant, command: &'static str) -> Self {
        let now = Instant::now();
        Self {
            started: now,
            at_ms: millis(now.duration_since(log_started)),
            command,
            code: None,
            sent: Vec::new(),
            sent_len: 0,
            received: Vec::new(),
            received_len: 0,
            last_byte: None,
            result: None,
            zfm_pending: None,
        }
    }

    fn failed(&self) -> bool {
        self.result.as_deref().is_some_and(|r| r != "ok")
    }

    fn entry(&self, seq: u64) -> LogEntry {
        let end = match (&self.result, self.last_byte) {
            (None, Some(last)) => last,
            _ => Instant::now(),
        };
        LogEntry {
            seq,
            at_ms: self.at_ms,
            command: self.command.to_owned(),
            code: self.code,
            sent_hex: hex(&self.sent),
            sent_len: self.sent_len,
            received_hex: hex(&self.received),
            received_len: self.received_len,
            duration_us: u64::try_from(end.duration_since(self.started).as_micros())
                .unwrap_or(u64::MAX),
            result: self.result.clone().unwrap_or_else(|| "ok".to_owned()),
        }
    }
}

#[derive(Debug)]
struct LogState {
    started: Instant,
    entries: VecDeque<LogEntry>,
    capacity: usize,
    next_seq: u64,
    counters: ErrorCounters,
    current: Option<Exchange>,
    /// The last finished exchange's bytes and whether it failed: a retry repeats them.
    last_sent: Option<(Vec<u8>, bool)>,
}

impl LogState {
    fn finish_current(&mut self) {
        if let Some(exchange) = self.current.take() {
            let entry = exchange.entry(self.next_seq);
            self.next_seq += 1;
            if exchange.sent_len > 0 {
                self.last_sent = Some((exchange.sent.clone(), exchange.failed()));
            }
            if self.entries.len() >= self.capacity {
                self.entries.pop_front();
            }
            self.entries.push_back(entry);
        }
    }

    fn current_or_incoming(&mut self) -> &mut Exchange {
        let started = self.started;
        self.current
            .get_or_insert_with(|| Exchange::new(started, INCOMING))
    }
}

/// A shared handle on a command log (cheap to clone; every clone sees the same log).
#[derive(Debug, Clone)]
pub struct CommandLog {
    state: Arc<Mutex<LogState>>,
}

impl Default for CommandLog {
    fn default() -> Self {
        Self::with_capacity(DEFAULT_CAPACITY)
    }
}

impl CommandLog {
    /// An empty log starting now, keeping the last `capacity` entries.
    pub fn with_capacity(capacity: usize) -> Self {
        Self {
            state: Arc::new(Mutex::new(LogState {
                started: Instant::now(),
                entries: VecDeque::new(),
                capacity: capacity.max(1),
                next_seq: 0,
                counters: ErrorCounters::default(),
                current: None,
                last_sent: None,
            })),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut LogState) -> R) -> R {
        // A panic elsewhere while logging leaves the log usable: it holds plain data.
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut state)
    }

    /// Every entry kept, oldest first, the exchange under way last.
    pub fn entries(&self) -> Vec<LogEntry> {
        self.entries_since(0)
    }

    /// Entries with `seq >= from` (a screen passes the last `seq` it showed, plus one). The
    /// exchange under way is included, with the `seq` it will keep.
    pub fn entries_since(&self, from: u64) -> Vec<LogEntry> {
        self.with(|state| {
            let mut entries: Vec<LogEntry> = state
                .entries
                .iter()
                .filter(|e| e.seq >= from)
                .cloned()
                .collect();
            if let Some(current) = &state.current
                && state.next_seq >= from
            {
                entries.push(current.entry(state.next_seq));
            }
            entries
        })
    }

    /// The counters since the log started.
    pub fn counters(&self) -> ErrorCounters {
        self.with(|state| state.counters)
    }

    /// Closes the exchange under way (e.g. at the end of a self-test), so it appears finished.
    pub fn finish(&self) {
        self.with(LogState::finish_current);
    }

    /// Records a write: `label` is what the driver said it was sending (`None` for bytes written
    /// with no command named).
    fn wrote(
        &self,
        label: Option<CommandLabel>,
        bytes: &[u8],
        outcome: &Result<(), TransportError>,
    ) {
        self.with(|state| {
            state.finish_current();
            let mut exchange = Exchange::new(state.started, label.map_or(UNNAMED, |l| l.name));
            exchange.code = label.and_then(|l| l.code);
            exchange.sent = bytes[..bytes.len().min(SHOWN_BYTES)].to_vec();
            exchange.sent_len = bytes.len();
            if label.is_some_and(|l| l.device == DeviceKind::Fingerprint) {
                exchange.zfm_pending = Some(Vec::new());
            }
            let repeated = state
                .last_sent
                .as_ref()
                .is_some_and(|(sent, failed)| *failed && sent.as_slice() == exchange.sent);
            state.counters.commands += 1;
            if repeated {
                state.counters.retries += 1;
            }
            if outcome.is_ok() {
                state.counters.bytes_sent += bytes.len() as u64;
            }
            state.current = Some(exchange);
            if let Err(error) = outcome {
                note_failure(state, error);
            }
        });
    }

    fn read(&self, bytes: &[u8]) {
        self.with(|state| {
            state.counters.bytes_received += bytes.len() as u64;
            let exchange = state.current_or_incoming();
            let room = SHOWN_BYTES.saturating_sub(exchange.received.len());
            exchange
                .received
                .extend_from_slice(&bytes[..bytes.len().min(room)]);
            exchange.received_len += bytes.len();
            exchange.last_byte = Some(Instant::now());
            let mut bad = 0;
            if let Some(pending) = exchange.zfm_pending.as_mut() {
                pending.extend_from_slice(bytes);
                loop {
                    let step = decode(pending, None);
                    pending.drain(..step.consumed.min(pending.len()));
                    match step.outcome {
                        Decoded::NeedMore => break,
                        Decoded::Corrupt(FrameError::Checksum { .. }) => bad += 1,
                        Decoded::Corrupt(_) | Decoded::Packet(_) => {}
                    }
                }
            }
            if bad > 0 {
                exchange.result = Some("checksum error".to_owned());
                state.counters.checksum_errors += bad;
            }
        });
    }

    fn read_failed(&self, error: &TransportError) {
        self.with(|state| {
            state.current_or_incoming();
            note_failure(state, error);
        });
    }

    fn drained(&self, discarded: usize, elapsed: Duration) {
        if discarded == 0 {
            return;
        }
        self.with(|state| {
            state.finish_current();
            state.counters.bytes_received += discarded as u64;
            let mut exchange = Exchange::new(state.started, DRAIN);
            exchange.received_len = discarded;
            exchange.started = Instant::now()
                .checked_sub(elapsed)
                .unwrap_or(exchange.started);
            state.current = Some(exchange);
            state.finish_current();
        });
    }
}

fn note_failure(state: &mut LogState, error: &TransportError) {
    let result = match error {
        TransportError::Timeout => {
            state.counters.timeouts += 1;
            "timeout".to_owned()
        }
        TransportError::PortGone => {
            state.counters.port_gone += 1;
            "port gone".to_owned()
        }
        other => {
            state.counters.io_errors += 1;
            other.to_string()
        }
    };
    if let Some(exchange) = state.current.as_mut() {
        // The first failure of an exchange is the one that tells.
        if !exchange.failed() {
            exchange.result = Some(result);
        }
    }
}

/// A transport that records every exchange in a [`CommandLog`].
#[derive(Debug)]
pub struct Logged<T> {
    inner: T,
    log: CommandLog,
}

impl<T: Transport> Logged<T> {
    /// Wraps `inner`, recording into `log`.
    pub fn new(inner: T, log: CommandLog) -> Self {
        Self { inner, log }
    }

    /// The log this transport records into.
    pub fn log(&self) -> &CommandLog {
        &self.log
    }

    /// Gives the wrapped transport back.
    pub fn into_inner(self) -> T {
        self.log.finish();
        self.inner
    }
}

impl<T: Transport> Transport for Logged<T> {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        let outcome = self.inner.write_all(bytes);
        self.log.wrote(None, bytes, &outcome);
        outcome
    }

    fn write_command(&mut self, label: CommandLabel, bytes: &[u8]) -> Result<(), TransportError> {
        let outcome = self.inner.write_command(label, bytes);
        self.log.wrote(Some(label), bytes, &outcome);
        outcome
    }

    fn read_some_by(&mut self, buf: &mut [u8], deadline: Instant) -> Result<usize, TransportError> {
        match self.inner.read_some_by(buf, deadline) {
            Ok(n) => {
                self.log.read(&buf[..n.min(buf.len())]);
                Ok(n)
            }
            Err(error) => {
                self.log.read_failed(&error);
                Err(error)
            }
        }
    }

    fn drain(&mut self, quiet: Duration, max: Duration) -> Result<usize, TransportError> {
        let started = Instant::now();
        let outcome = self.inner.drain(quiet, max);
        match &outcome {
            Ok(discarded) => self.log.drained(*discarded, started.elapsed()),
            Err(error) => self.log.read_failed(error),
        }
        outcome
    }

    fn set_baud(&mut self, baud: u32) -> Result<(), TransportError> {
        self.inner.set_baud(baud)
    }

    fn baud(&self) -> u32 {
        self.inner.baud()
    }

    fn counters(&self) -> TransportCounters {
        self.inner.counters()
    }
}

fn hex(bytes: &[u8]) -> String {
    let mut text = String::with_capacity(bytes.len() * 3);
    for (i, byte) in bytes.iter().enumerate() {
        if i > 0 {
            text.push(' ');
        }
        text.push_str(&format!("{byte:02X}"));
    }
    text
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::io::{self, Read, Write};

    use super::*;
    use crate::transport::StreamTransport;
    use crate::vc0706::Camera;
    use crate::zfm::command::{Command, GenImg};
    use crate::zfm::{FingerprintModule, ZfmError};

    /// Replays canned answers: each write is answered by the next one.
    struct Canned {
        answers: VecDeque<Vec<u8>>,
        ready: VecDeque<u8>,
    }

    impl Read for Canned {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.ready.is_empty() {
                return Err(io::ErrorKind::WouldBlock.into());
            }
            let n = buf.len().min(self.ready.len());
            for slot in buf.iter_mut().take(n) {
                *slot = self.ready.pop_front().unwrap();
            }
            Ok(n)
        }
    }

    impl Write for Canned {
        fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
            if let Some(answer) = self.answers.pop_front() {
                self.ready.extend(answer);
            }
            Ok(buf.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn line(answers: Vec<Vec<u8>>) -> Logged<StreamTransport<Canned>> {
        let canned = Canned {
            answers: answers.into(),
            ready: VecDeque::new(),
        };
        Logged::new(StreamTransport::new(canned, 57_600), CommandLog::default())
    }

    const GEN_IMG: [u8; 12] = [
        0xEF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x03, 0x01, 0x00, 0x05,
    ];
    const ACK_OK: [u8; 12] = [
        0xEF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x03, 0x00, 0x00, 0x0A,
    ];

    fn gen_img() -> CommandLabel {
        CommandLabel::command(DeviceKind::Fingerprint, GenImg::NAME, GenImg::CODE)
    }

    #[test]
    fn an_exchange_records_command_bytes_and_result() {
        let mut line = line(vec![ACK_OK.to_vec()]);
        line.write_command(gen_img(), &GEN_IMG).unwrap();
        let mut buf = [0u8; 12];
        let deadline = Instant::now() + Duration::from_millis(200);
        line.read_exact_by(&mut buf, deadline).unwrap();
        let entries = line.log().entries();
        assert_eq!(entries.len(), 1);
        assert_eq!(entries[0].command, "GenImg");
        assert_eq!(entries[0].code, Some(0x01));
        assert_eq!(entries[0].sent_hex, "EF 01 FF FF FF FF 01 00 03 01 00 05");
        assert_eq!(entries[0].received_len, 12);
        assert_eq!(entries[0].result, "ok");
        let counters = line.log().counters();
        assert_eq!((counters.commands, counters.bytes_sent), (1, 12));
        assert_eq!(counters.bytes_received, 12);
    }

    #[test]
    fn timeouts_checksum_errors_and_retries_are_counted() {
        let mut damaged = ACK_OK.to_vec();
        damaged[11] ^= 0x40;
        let mut line = line(vec![Vec::new(), damaged, ACK_OK.to_vec()]);
        let short = || Instant::now() + Duration::from_millis(30);
        let mut buf = [0u8; 12];
        line.write_command(gen_img(), &GEN_IMG).unwrap();
        assert!(matches!(
            line.read_exact_by(&mut buf, short()),
            Err(TransportError::Timeout)
        ));
        line.write_command(gen_img(), &GEN_IMG).unwrap();
        line.read_exact_by(&mut buf, short()).unwrap();
        line.write_command(gen_img(), &GEN_IMG).unwrap();
        line.read_exact_by(&mut buf, short()).unwrap();
        line.log().finish();
        let entries = line.log().entries();
        let named: Vec<(&str, &str)> = entries
            .iter()
            .map(|e| (e.command.as_str(), e.result.as_str()))
            .collect();
        assert_eq!(
            named,
            [
                ("GenImg", "timeout"),
                ("GenImg", "checksum error"),
                ("GenImg", "ok")
            ],
            "a failed command keeps its name"
        );
        let counters = line.log().counters();
        assert_eq!(counters.timeouts, 1);
        assert_eq!(counters.checksum_errors, 1);
        assert_eq!(counters.retries, 2, "each repeat followed a failure");
    }

    #[test]
    fn a_screen_asks_only_for_what_is_new() {
        let mut line = line(vec![ACK_OK.to_vec(), ACK_OK.to_vec()]);
        let mut buf = [0u8; 12];
        let deadline = || Instant::now() + Duration::from_millis(200);
        line.write_command(gen_img(), &GEN_IMG).unwrap();
        line.read_exact_by(&mut buf, deadline()).unwrap();
        let first = line.log().entries();
        let get_version = CommandLabel::command(DeviceKind::Camera, "get version", 0x11);
        line.write_command(get_version, &[0x56, 0x00, 0x11, 0x00])
            .unwrap();
        let next = line.log().entries_since(first[0].seq + 1);
        assert_eq!(next.len(), 1);
        assert_eq!(next[0].command, "get version");
        assert_eq!(next[0].code, Some(0x11));
    }

    #[test]
    fn the_name_is_the_one_the_driver_gave_not_read_from_the_bytes() {
        let mut line = line(Vec::new());
        // Two camera commands with the same code on the wire (write data, 0x31).
        let size = CommandLabel::command(DeviceKind::Camera, "set image size", 0x31);
        line.write_command(
            size,
            &[0x56, 0x00, 0x31, 0x05, 0x04, 0x01, 0x00, 0x19, 0x11],
        )
        .unwrap();
        let compression = CommandLabel::command(DeviceKind::Camera, "set compression", 0x31);
        line.write_command(
            compression,
            &[0x56, 0x00, 0x31, 0x05, 0x01, 0x01, 0x12, 0x04, 0x36],
        )
        .unwrap();
        line.write_command(CommandLabel::data(DeviceKind::Fingerprint), &[0xEF, 0x01])
            .unwrap();
        // Bytes written with no command named stay unnamed, whatever they look like.
        line.write_all(&GEN_IMG).unwrap();
        line.log().finish();
        let named: Vec<(String, Option<u8>)> = line
            .log()
            .entries()
            .into_iter()
            .map(|e| (e.command, e.code))
            .collect();
        assert_eq!(
            named,
            [
                ("set image size".to_owned(), Some(0x31)),
                ("set compression".to_owned(), Some(0x31)),
                ("data".to_owned(), None),
                ("(bytes)".to_owned(), None),
            ]
        );
    }

    #[test]
    fn the_drivers_name_what_they_send_even_when_it_fails() {
        let get_version = [0x76, 0x00, 0x11, 0x00, 0x0B]
            .into_iter()
            .chain(*b"VC0703 1.00")
            .collect();
        // The module's GenImg answered, then unanswered; the camera's get version answered.
        let line = line(vec![ACK_OK.to_vec(), Vec::new(), get_version]);
        let log = line.log().clone();
        let mut module = FingerprintModule::new(line);
        let short = Duration::from_millis(50);
        assert!(matches!(
            module.send_with_timeout(&GenImg, short),
            Ok(Ok(()))
        ));
        assert!(matches!(
            module.send_with_timeout(&GenImg, short),
            Err(ZfmError::Timeout { .. })
        ));
        let mut camera = Camera::new(module.into_transport());
        assert_eq!(camera.version().unwrap(), "VC0703 1.00");
        log.finish();
        let named: Vec<(String, Option<u8>, String)> = log
            .entries()
            .into_iter()
            .filter(|e| e.command != "drain")
            .map(|e| (e.command, e.code, e.result))
            .collect();
        assert_eq!(
            named,
            [
                ("GenImg".to_owned(), Some(0x01), "ok".to_owned()),
                ("GenImg".to_owned(), Some(0x01), "timeout".to_owned()),
                ("get version".to_owned(), Some(0x11), "ok".to_owned()),
            ]
        );
    }

    #[test]
    fn the_report_json_carries_the_code_and_reads_entries_without_one() {
        let mut line = line(vec![ACK_OK.to_vec()]);
        line.write_command(gen_img(), &GEN_IMG).unwrap();
        line.log().finish();
        let entry = line.log().entries().remove(0);
        let json = serde_json::to_string(&entry).unwrap();
        assert!(json.contains(r#""command":"GenImg","code":1,"#), "{json}");
        let mut older: serde_json::Value = serde_json::from_str(&json).unwrap();
        older.as_object_mut().unwrap().remove("code");
        let read: LogEntry = serde_json::from_value(older).unwrap();
        assert_eq!((read.command.as_str(), read.code), ("GenImg", None));
    }
}
