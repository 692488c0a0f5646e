//! The tax stamp at intake: a record whose documents cost a fee carries a stamp the central knows,
//! not used by another record, worth the fee on the day the record was sealed. Checked whether or
//! not the station could check it at the counter: offline, the station may seal with the stamp
//! unchecked, and this check is then the only one. A refused record is not received, so its stamp
//! stays unused (the record stays in the station's outbox, as any record the central refuses).

use wire::prerequest::{DocumentType, Reason};
use wire::tax_stamp::{Day, amount_due_cents};

use super::{CheckedRecord, Intake, IntakeError};

/// What the fee is reckoned from: the pre-request's or the paper form's document, reason and birth
/// date (the record's own `reason`, as the clerk confirmed it, wins over the reason given here).
pub(super) struct FeeBasis<'a> {
    pub document_type: DocumentType,
    pub reason: Reason,
    /// `YYYY-MM-DD`.
    pub birth_date: &'a str,
    /// A record with neither `reason` nor `tax_stamp` is let through: it was sealed by a station
    /// from before stamps. Only for records with a pre-request: a station that types the paper
    /// form always asks for the stamp, so such a record lacks one.
    pub older_station_exempt: bool,
}

impl Intake {
    /// Checks the record's stamp against the fee and the register; `Ok` when it may be used.
    pub(super) fn check_tax_stamp(
        &self,
        checked: &CheckedRecord,
        basis: FeeBasis<'_>,
    ) -> Result<(), IntakeError> {
        if basis.older_station_exempt && checked.reason.is_none() && checked.tax_stamp.is_none() {
            return Ok(());
        }
        let reason = checked.reason.unwrap_or(basis.reason);
        let (Some(birth), Some(day)) = (
            Day::parse(basis.birth_date),
            day_before(&checked.created_at),
        ) else {
            return Err(IntakeError::Internal(format!(
                "dates of record {} cannot be read for its fee",
                checked.record_id
            )));
        };
        let due = amount_due_cents(basis.document_type, reason, birth, day);
        let Some(stamp) = &checked.tax_stamp else {
            if due == 0 {
                return Ok(());
            }
            return Err(IntakeError::TaxStampMissing { due_cents: due });
        };
        let number = stamp.number.as_str();
        let used_here = self.db.tax_stamp_used_by(number)?.is_some();
        let Some(standing) = self.tax_stamps.standing(&stamp.number, used_here) else {
            tracing::warn!(record_id = %checked.record_id, station_id = %checked.station_id,
                checked_at_counter = stamp.checked_at_counter, "record with an unknown tax stamp");
            return Err(IntakeError::TaxStampUnknown(number.to_owned()));
        };
        if standing.used {
            tracing::warn!(record_id = %checked.record_id, station_id = %checked.station_id,
                checked_at_counter = stamp.checked_at_counter, "record with a used tax stamp");
            return Err(IntakeError::TaxStampUsed(number.to_owned()));
        }
        if standing.amount_cents < due {
            return Err(IntakeError::TaxStampTooLow {
                amount_cents: standing.amount_cents,
                due_cents: due,
            });
        }
        Ok(())
    }
}

/// The day before the UTC day of `created_at`. The station reckons the fee on its local day, which
/// is never earlier than that (offsets are within ±14 h), and a fee never falls as the applicant
/// gets older: a stamp worth the fee on that day is never refused for a fee the counter did not
/// ask, wherever the town hall is. The cost is a day's leniency at a 15th or 18th birthday.
fn day_before(created_at: &str) -> Option<Day> {
    let time =
        time::OffsetDateTime::parse(created_at, &time::format_description::well_known::Rfc3339)
            .ok()?;
    let day = time.to_offset(time::UtcOffset::UTC).date().previous_day()?;
    Some(Day {
        year: day.year(),
        month: u8::from(day.month()),
        day: day.day(),
    })
}

#[cfg(test)]
mod tests {
    use super::day_before;
    use wire::tax_stamp::Day;

    #[test]
    fn the_fee_is_reckoned_on_the_day_before_the_utc_day() {
        assert_eq!(
            day_before("2026-03-01T00:30:00+01:00"),
            Some(Day {
                year: 2026,
                month: 2,
                day: 27
            })
        );
        assert_eq!(
            day_before("2026-01-01T10:00:00Z"),
            Some(Day {
                year: 2025,
                month: 12,
                day: 31
            })
        );
        assert_eq!(day_before("hier"), None);
    }
}
