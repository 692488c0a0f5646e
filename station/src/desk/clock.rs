//! Times as the counter uses them: a monotonic clock for step timings, Unix milliseconds for the
//! stores, and dates for people in the station's time zone.

use std::time::Instant;

use time::{Date, OffsetDateTime, UtcOffset, macros::format_description};

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

/// The station's offset from UTC at `unix_ms`: the computer's time zone (`TZ`, else
/// `/etc/localtime`), as the town hall sets it (Europe/Paris in metropolitan France,
/// Indian/Reunion or America/Cayenne overseas). Read through chrono, whose reader is sound in a
/// threaded program (the `time` crate's local offset is not, on Unix, and stays disabled). UTC
/// when the zone cannot be read.
pub(crate) fn local_offset(unix_ms: i64) -> UtcOffset {
    use chrono::{Offset, TimeZone};
    chrono::Local
        .timestamp_millis_opt(unix_ms)
        .single()
        .and_then(|t| UtcOffset::from_whole_seconds(t.offset().fix().local_minus_utc()).ok())
        .unwrap_or(UtcOffset::UTC)
}

/// `27/11/2026 10:42` for Unix milliseconds, in the station's local time.
pub(crate) fn for_people(unix_ms: i64) -> String {
    for_people_at(unix_ms, local_offset(unix_ms))
}

/// `27/11/2026 10:42` for Unix milliseconds at a given offset from UTC.
pub(crate) fn for_people_at(unix_ms: i64, offset: UtcOffset) -> String {
    let format = format_description!("[day]/[month]/[year] [hour]:[minute]");
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix_ms) * 1_000_000)
        .ok()
        .and_then(|t| t.to_offset(offset).format(&format).ok())
        .unwrap_or_default()
}

/// Today's date in the station's local time (an applicant's age, the enrolment date).
pub(crate) fn local_date() -> Date {
    let now = OffsetDateTime::now_utc();
    let ms = i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
    now.to_offset(local_offset(ms)).date()
}

/// An RFC 3339 time (a receipt's `received_at`) for people; the text itself when unreadable.
pub(crate) fn rfc3339_for_people(text: &str) -> String {
    OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339)
        .map(|t| for_people(i64::try_from(t.unix_timestamp_nanos() / 1_000_000).unwrap_or(0)))
        .unwrap_or_else(|_| text.to_owned())
}

/// Today's date `YYYY-MM-DD` in the station's local time, the key of the day's figures.
pub(crate) fn today() -> String {
    let format = format_description!("[year]-[month]-[day]");
    local_date().format(&format).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::offset;

    #[test]
    fn dates_for_people_are_in_the_given_offset() {
        // 2026-11-27 09:42 UTC.
        let ms = 1_795_772_520_000;
        assert_eq!(for_people_at(ms, offset!(UTC)), "27/11/2026 09:42");
        assert_eq!(for_people_at(ms, offset!(+1)), "27/11/2026 10:42");
        assert_eq!(for_people_at(ms, offset!(+4)), "27/11/2026 13:42");
        assert_eq!(for_people_at(ms, offset!(-3)), "27/11/2026 06:42");
        assert_eq!(for_people_at(ms, offset!(+14:30)), "28/11/2026 00:12");
    }
}
