//! The tax stamp at intake: a record whose documents cost a fee carries a stamp the central knows,
//! not used by another record, worth the fee on the day the record was sealed. Checked whether or
//! not the station could check it at the counter: offline, the station may seal with the stamp
//! unchecked, and this check is then the only one. A refused record is not received, so its stamp
//! stays unused (the clerk is told by the station's queue and calls the applicant back).

use wire::prerequest::PreRequest;
use wire::tax_stamp::{Day, amount_due_cents};

use super::{CheckedRecord, Intake, IntakeError};

impl Intake {
    /// Checks the record's stamp against the fee and the register; `Ok` when it may be used.
    pub(super) fn check_tax_stamp(
        &self,
        checked: &CheckedRecord,
        entry: &PreRequest,
    ) -> Result<(), IntakeError> {
        // A record from a station that did not ask for stamps carries neither field: it was
        // sealed under the rules before the fee was checked here.
        if checked.reason.is_none() && checked.tax_stamp.is_none() {
            return Ok(());
        }
        let reason = checked.reason.unwrap_or(entry.reason);
        let (Some(birth), Some(day)) = (
            Day::parse(&entry.applicant.birth_date),
            Day::parse(&checked.created_at),
        ) else {
            return Err(IntakeError::Internal(format!(
                "dates of record {} cannot be read for its fee",
                checked.record_id
            )));
        };
        let due = amount_due_cents(entry.document_type, reason, birth, day);
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
