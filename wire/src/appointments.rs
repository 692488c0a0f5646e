//! A day's appointments at one town hall, as a mobile kit fetches them before leaving: the
//! pre-requests booked for the asking station's town hall on that date that are still usable. The
//! kit enrols from them offline for the day.

use serde::{Deserialize, Serialize};

use crate::prerequest::{PreRequest, Status};

/// The query parameter of the day (`YYYY-MM-DD`, the appointment's local date).
pub const DATE_QUERY_PARAMETER: &str = "date";

/// Error code of a day that is not `YYYY-MM-DD`.
pub const BAD_DATE: &str = "malformed-date";

/// At most this many pre-requests in one day's answer: a kit's day is a few dozen visits, and the
/// answer must fit the station's limit on a JSON answer.
pub const MAX_PER_DAY: usize = 200;

/// The answer of the day's appointments.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DayAppointments {
    /// The asking station's town hall (`meeting_point_id`).
    pub town_hall: String,
    /// The day asked for, `YYYY-MM-DD`.
    pub date: String,
    /// The usable pre-requests with an appointment there that day, by number.
    pub pre_requests: Vec<PreRequest>,
}

/// Whether `text` is a calendar day written `YYYY-MM-DD` (digits in place; month 01–12, day 01–31).
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' || !digits(0..4) || !digits(5..7) {
        return false;
    }
    if !digits(8..10) {
        return false;
    }
    let month = (b[5] - b'0') * 10 + (b[6] - b'0');
    let day = (b[8] - b'0') * 10 + (b[9] - b'0');
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// Whether `pre_request` has an appointment at `town_hall` on `date` (the date part of the
/// appointment's RFC 3339 time, which the appointment software writes in local time).
pub fn booked_on(pre_request: &PreRequest, town_hall: &str, date: &str) -> bool {
    !town_hall.is_empty()
        && pre_request
            .appointments
            .iter()
            .any(|a| a.meeting_point_id == town_hall && a.appointment_date.get(..10) == Some(date))
}

/// Whether a kit may still enrol from `pre_request`: only a validated one (a consumed, expired or
/// declared one would be refused at intake anyway).
pub fn usable(pre_request: &PreRequest) -> bool {
    pre_request.status == Status::Validated
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert!(is_date("2026-12-14"));
        for bad in [
            "",
            "2026-12-1",
            "2026-13-01",
            "2026-00-10",
            "2026-12-32",
            "20261214",
            "2026/12/14",
            "２０２６-12-14",
        ] {
            assert!(!is_date(bad), "{bad}");
        }
    }
}
