//! Line time: a UART sends 10 bits a byte (start, 8 data, stop), so a byte leaves every
//! 10 / baud seconds. A pseudo-terminal ignores the baud, so the simulator keeps the schedule itself.
//!
//! The schedule is absolute: byte k of a burst that starts at T is due at T + (k + 1) × 10 / baud,
//! and the writer sleeps until that instant rather than for a duration, so the error of each sleep
//! never accumulates. Back-to-back bursts continue one schedule (the line is busy until the last
//! byte has left), as a UART's transmit buffer does.

use std::time::{Duration, Instant};

/// Bits on the wire for one byte in 8N1: start bit, eight data bits, stop bit.
pub const BITS_PER_BYTE: u64 = 10;

/// The time `bytes` take on the wire at `baud`.
pub fn line_time(bytes: u64, baud: u32) -> Duration {
    if baud == 0 {
        return Duration::ZERO;
    }
    let nanos = u128::from(bytes) * u128::from(BITS_PER_BYTE) * 1_000_000_000 / u128::from(baud);
    Duration::from_nanos(u64::try_from(nanos).unwrap_or(u64::MAX))
}

/// How many bytes to hand to the pseudo-terminal at once when paced: about 2 ms of line time,
/// short enough for a reader to see the bytes arrive steadily, long enough to keep syscalls few.
pub fn chunk_bytes(baud: u32) -> usize {
    usize::try_from(u64::from(baud) / BITS_PER_BYTE / 500)
        .unwrap_or(1)
        .max(1)
}

/// A burst asked for within this time after the previous one ended continues its schedule.
const BACK_TO_BACK: Duration = Duration::from_millis(10);

/// The transmit schedule of one line.
#[derive(Debug, Clone)]
pub struct Pacer {
    baud: u32,
    /// When the line has finished sending what it was given (None: idle since creation).
    busy_until: Option<Instant>,
}

/// One burst being sent: when its first byte started and how far it has been delayed by stalls.
#[derive(Debug, Clone, Copy)]
pub struct Burst {
    start: Instant,
    stalled: Duration,
    baud: u32,
}

impl Pacer {
    /// A line at `baud`, idle.
    pub fn new(baud: u32) -> Self {
        Self {
            baud,
            busy_until: None,
        }
    }

    /// The current baud.
    pub fn baud(&self) -> u32 {
        self.baud
    }

    /// Changes the baud for the bursts that follow.
    pub fn set_baud(&mut self, baud: u32) {
        self.baud = baud;
    }

    /// Forgets what was in flight (after a reset, nothing is left in the transmit buffer).
    pub fn reset(&mut self) {
        self.busy_until = None;
    }

    /// Starts a burst now, or when the previous one ends if the line is still busy. A burst never
    /// starts before `not_before` (when the command it answers was received).
    pub fn begin(&self, now: Instant, not_before: Option<Instant>) -> Burst {
        let start = match self.busy_until {
            // Still busy, or asked again so soon after that a firmware would have refilled its
            // transmit buffer in time: the schedule goes on, so that the sender's own delays (sleep
            // overshoot, syscalls, a loaded machine's scheduling) do not add up burst after burst.
            Some(busy) if busy + BACK_TO_BACK > now => match not_before {
                Some(received) if received > busy => received.min(now),
                _ => busy,
            },
            _ => now,
        };
        Burst {
            start,
            stalled: Duration::ZERO,
            baud: self.baud,
        }
    }

    /// Records that `burst` has sent `bytes` bytes: the line is busy until the last has left.
    pub fn end(&mut self, burst: &Burst, bytes: u64) {
        self.busy_until = Some(burst.due(bytes));
    }
}

impl Burst {
    /// The instant the `count`-th byte of the burst (1-based) has fully left the line.
    pub fn due(&self, count: u64) -> Instant {
        self.start + self.stalled + line_time(count, self.baud)
    }

    /// Delays everything still to be sent by `length` (the line went quiet).
    pub fn stall(&mut self, length: Duration) {
        self.stalled += length;
    }
}

/// Sleeps until `when` (returns at once if it has passed).
pub fn sleep_until(when: Instant) {
    let now = Instant::now();
    if when > now {
        std::thread::sleep(when - now);
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn ten_bits_a_byte() {
        // 10 kB at 115,200 baud: 0.868 s on the wire.
        let t = line_time(10_000, 115_200);
        assert_eq!(t.as_micros(), 868_055);
        // The reference's figure: 40,056 bytes at 57,600 baud = 6.95 s.
        assert_eq!(line_time(40_056, 57_600).as_millis(), 6954);
        assert_eq!(line_time(5, 0), Duration::ZERO);
    }

    #[test]
    fn back_to_back_bursts_share_one_schedule() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(9600);
        let first = pacer.begin(t0, None);
        pacer.end(&first, 12);
        // Asked to send again 1 ms later, the line is still busy with the first burst (12.5 ms).
        let second = pacer.begin(t0 + Duration::from_millis(1), None);
        assert_eq!(second.due(0), t0 + line_time(12, 9600));
        // Long after, a new burst starts when asked.
        let later = t0 + Duration::from_secs(1);
        assert_eq!(pacer.begin(later, None).due(0), later);
    }

    #[test]
    fn a_reply_never_starts_before_its_command_arrived() {
        let t0 = Instant::now();
        let mut pacer = Pacer::new(115_200);
        let first = pacer.begin(t0, None);
        pacer.end(&first, 12);
        let ended = first.due(12);
        // A command received 3 ms after the line went quiet, answered at once.
        let received = ended + Duration::from_millis(3);
        let reply = pacer.begin(received + Duration::from_micros(50), Some(received));
        assert_eq!(reply.due(0), received);
        // Without anything received in between, a burst follows on.
        assert_eq!(
            pacer.begin(ended + Duration::from_millis(3), None).due(0),
            ended
        );
    }

    #[test]
    fn a_stall_delays_the_rest() {
        let t0 = Instant::now();
        let pacer = Pacer::new(115_200);
        let mut burst = pacer.begin(t0, None);
        burst.stall(Duration::from_millis(300));
        assert_eq!(
            burst.due(1),
            t0 + Duration::from_millis(300) + line_time(1, 115_200)
        );
    }

    #[test]
    fn chunks_are_about_two_milliseconds() {
        assert_eq!(chunk_bytes(115_200), 23);
        assert_eq!(chunk_bytes(9600), 1);
        assert_eq!(chunk_bytes(0), 1);
    }
}
