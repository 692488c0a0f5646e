//! Counters of what went over one line, readable from any thread while the device runs.

use std::sync::atomic::{AtomicU64, Ordering};

/// Live counters of one line (shared with the control handle).
#[derive(Debug, Default)]
pub struct LineCounters {
    pub(crate) bytes_sent: AtomicU64,
    pub(crate) bytes_received: AtomicU64,
    pub(crate) bytes_lost: AtomicU64,
    pub(crate) bits_flipped: AtomicU64,
    pub(crate) bytes_dropped: AtomicU64,
    pub(crate) stalls: AtomicU64,
    pub(crate) garbage_bytes: AtomicU64,
    pub(crate) baud_mismatches: AtomicU64,
    pub(crate) client_opens: AtomicU64,
    pub(crate) commands: AtomicU64,
}

/// A snapshot of a line's counters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LineStats {
    /// Bytes handed to the client (after faults).
    pub bytes_sent: u64,
    /// Bytes received from the client.
    pub bytes_received: u64,
    /// Bytes the device sent while no client had the port open (lost, as on a real line).
    pub bytes_lost: u64,
    /// Bits inverted by the `flip` fault.
    pub bits_flipped: u64,
    /// Bytes removed by the `drop` fault.
    pub bytes_dropped: u64,
    /// Stalls inserted by the `stall` fault.
    pub stalls: u64,
    /// Random bytes sent at boot by the `garbage` fault.
    pub garbage_bytes: u64,
    /// Bursts garbled because the client's baud differed from the device's.
    pub baud_mismatches: u64,
    /// Times a client opened the port.
    pub client_opens: u64,
    /// Commands the device was given (answered or not).
    pub commands: u64,
}

impl LineStats {
    /// Faults injected, all kinds together (flipped bits, dropped bytes, stalls, garbage bytes).
    pub fn faults_injected(&self) -> u64 {
        self.bits_flipped + self.bytes_dropped + self.stalls + self.garbage_bytes
    }
}

impl LineCounters {
    pub(crate) fn add(counter: &AtomicU64, n: u64) {
        counter.fetch_add(n, Ordering::Relaxed);
    }

    /// A snapshot.
    pub fn snapshot(&self) -> LineStats {
        let get = |c: &AtomicU64| c.load(Ordering::Relaxed);
        LineStats {
            bytes_sent: get(&self.bytes_sent),
            bytes_received: get(&self.bytes_received),
            bytes_lost: get(&self.bytes_lost),
            bits_flipped: get(&self.bits_flipped),
            bytes_dropped: get(&self.bytes_dropped),
            stalls: get(&self.stalls),
            garbage_bytes: get(&self.garbage_bytes),
            baud_mismatches: get(&self.baud_mismatches),
            client_opens: get(&self.client_opens),
            commands: get(&self.commands),
        }
    }
}
