//! Children under 12 give no fingerprints (docs/reference/counter-workflow.md item 4, décret
//! 2016-1460 as amended).

use time::{Date, format_description::well_known::Iso8601};

/// Age below which no finger is taken (docs/reference/counter-workflow.md: "Children under 12 are
/// exempt").
pub const FINGERPRINT_MIN_AGE: i32 = 12;

/// The manifest's `exemption` value for a child under 12.
pub use crate::record::manifest::UNDER_12;

/// Reads a `YYYY-MM-DD` date (the pre-request's birth date).
pub fn parse_date(text: &str) -> Option<Date> {
    Date::parse(text.trim(), &Iso8601::DATE).ok()
}

/// Completed years between `birth` and `on`. A birthday not yet reached this year does not count;
/// someone born on 29 February turns a year older on 1 March in common years (28 February is still
/// before their birthday, as the `(month, day)` comparison gives).
pub fn age_on(birth: Date, on: Date) -> i32 {
    let mut years = on.year() - birth.year();
    let before_birthday = (u8::from(on.month()), on.day()) < (u8::from(birth.month()), birth.day());
    if before_birthday {
        years -= 1;
    }
    years
}

/// Whether an applicant born on `birth` and enrolled on `enrolment` is exempt from fingerprints:
/// under 12 on the day of the enrolment, the 12th birthday itself not exempt.
pub fn is_under_12(birth: Date, enrolment: Date) -> bool {
    age_on(birth, enrolment) < FINGERPRINT_MIN_AGE
}
