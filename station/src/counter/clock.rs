//! Times as the counter uses them: a monotonic clock for step timings, Unix milliseconds for the
//! stores, and dates for people.

use std::time::Instant;

use time::{OffsetDateTime, macros::format_description};

/// Milliseconds on a monotonic clock that started with the core (step timings).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Monotonic(Instant);

impl Monotonic {
    pub(crate) fn start() -> Self {
        Self(Instant::now())
    }

    pub(crate) fn now_ms(self) -> u64 {
        u64::try_from(self.0.elapsed().as_millis()).unwrap_or(u64::MAX)
    }
}

/// `27/11/2026 10:42 UTC` for Unix milliseconds. The station keeps UTC: the `time` crate's local
/// offset is not enabled (it is unsound in multi-threaded programs on Unix).
pub(crate) fn for_people(unix_ms: i64) -> String {
    let format = format_description!("[day]/[month]/[year] [hour]:[minute] UTC");
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix_ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&format).ok())
        .unwrap_or_default()
}

/// An RFC 3339 time (a receipt's `received_at`) for people; the text itself when unreadable.
pub(crate) fn rfc3339_for_people(text: &str) -> String {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(|t| for_people(i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)))
        .unwrap_or_else(|_| text.to_owned())
}

/// Today's date `YYYY-MM-DD` (UTC), the key of the day's figures.
pub(crate) fn today() -> String {
    let format = format_description!("[year]-[month]-[day]");
    OffsetDateTime::now_utc()
        .format(&format)
        .unwrap_or_default()
}
