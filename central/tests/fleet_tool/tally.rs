//! What the fleet measured: each exchange's latency by kind, each record's time from sealing to
//! its verified receipt, and every failure by kind and cause, merged from the workers and printed
//! as percentiles and counts.

use std::collections::BTreeMap;
use std::time::Duration;

/// The exchanges a station makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Exchange {
    /// `GET /v1/pre-requests/{number}` when the applicant sits down.
    PreRequest,
    /// `POST /v1/announcements` ahead of the record.
    Announcement,
    /// `PUT /v1/records/{id}`, answered with a receipt.
    Upload,
    /// `GET /v1/handover/{number}` when an applicant collects a document.
    Handover,
}

impl Exchange {
    fn name(self) -> &'static str {
        match self {
            Self::PreRequest => "pre-request look-up",
            Self::Announcement => "announcement",
            Self::Upload => "record upload",
            Self::Handover => "handover look-up",
        }
    }
}

/// Latencies and failures of one worker, or of the whole fleet once merged.
#[derive(Default)]
pub struct Tally {
    /// Successful exchanges' latencies, microseconds.
    latencies: BTreeMap<Exchange, Vec<u64>>,
    /// Sealing to verified receipt, retries included, microseconds.
    delivery: Vec<u64>,
    /// Failures by exchange and cause (`503`, `transport: …`, `bad receipt`).
    failures: BTreeMap<(Exchange, String), u64>,
}

fn micros(d: Duration) -> u64 {
    u64::try_from(d.as_micros()).unwrap_or(u64::MAX)
}

fn percentile(sorted: &[u64], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    Duration::from_micros(sorted[rank.min(sorted.len() - 1)])
}

impl Tally {
    /// A successful exchange.
    pub fn ok(&mut self, exchange: Exchange, took: Duration) {
        self.latencies
            .entry(exchange)
            .or_default()
            .push(micros(took));
    }

    /// A failed exchange.
    pub fn failed(&mut self, exchange: Exchange, cause: impl Into<String>) {
        *self.failures.entry((exchange, cause.into())).or_default() += 1;
    }

    /// A record receipted `took` after it was sealed.
    pub fn delivered(&mut self, took: Duration) {
        self.delivery.push(micros(took));
    }

    /// Failures counted, all kinds.
    pub fn failure_count(&self) -> u64 {
        self.failures.values().sum()
    }

    /// Adds `other` to this one.
    pub fn merge(&mut self, other: Tally) {
        for (exchange, mut list) in other.latencies {
            self.latencies
                .entry(exchange)
                .or_default()
                .append(&mut list);
        }
        self.delivery.extend(other.delivery);
        for (key, n) in other.failures {
            *self.failures.entry(key).or_default() += n;
        }
    }

    /// The report's lines.
    pub fn lines(&mut self) -> Vec<String> {
        let mut out = Vec::new();
        let line = |name: &str, list: &mut Vec<u64>| {
            list.sort_unstable();
            format!(
                "  {name:<22} {:>7} ok   p50 {:>8.1} ms   p99 {:>8.1} ms   max {:>8.1} ms",
                list.len(),
                percentile(list, 50.0).as_secs_f64() * 1e3,
                percentile(list, 99.0).as_secs_f64() * 1e3,
                percentile(list, 100.0).as_secs_f64() * 1e3,
            )
        };
        for (exchange, list) in &mut self.latencies {
            out.push(line(exchange.name(), list));
        }
        out.push(line("sealed to receipt", &mut self.delivery));
        if self.failures.is_empty() {
            out.push("  failures: none".to_owned());
        }
        for ((exchange, cause), n) in &self.failures {
            out.push(format!(
                "  failures: {:<20} {n:>6}  {cause}",
                exchange.name()
            ));
        }
        out
    }
}
