//! An intake whose commit lost to another central sharing the database (a replica): the in-process
//! locks serialise intakes within one central only, so two replicas can both pass the checks and
//! the database refuses the second commit. Its answer is then the one it would have had a moment
//! later: the same bytes get the receipt the winner issued, a pre-request or a stamp taken by
//! another record is refused as consumed or used.

use super::{CheckedRecord, Intake, IntakeError};
use crate::receipts::Receipt;
use crate::storage::DatabaseError;

impl Intake {
    /// The answer to `checked` when committing it failed with `error`.
    pub(super) async fn after_failed_commit(
        &self,
        checked: &CheckedRecord,
        error: DatabaseError,
    ) -> Result<Receipt, IntakeError> {
        if let DatabaseError::AlreadyConsumed(_) | DatabaseError::StampAlreadyUsed = &error {
            self.remove_refused_object(checked).await;
        }
        match error {
            DatabaseError::AlreadyReceived(_) => match self.db.receipt(&checked.record_id)? {
                Some(receipt) if receipt.sha256 == checked.sha256 => {
                    tracing::info!(record_id = %checked.record_id,
                        "record received at the same time by another central; its receipt");
                    Ok(receipt)
                }
                _ => Err(IntakeError::Conflict(checked.record_id.clone())),
            },
            DatabaseError::AlreadyConsumed(number) => {
                self.forget_minutiae(checked);
                Err(IntakeError::PreRequestConsumed(number))
            }
            DatabaseError::StampAlreadyUsed => Err(IntakeError::TaxStampUsed(
                checked
                    .tax_stamp
                    .as_ref()
                    .map(|stamp| stamp.number.to_string())
                    .unwrap_or_default(),
            )),
            other => Err(other.into()),
        }
    }

    /// Removes the object stored for `checked` before its commit was refused for a pre-request
    /// or a stamp that another record took: its receipt rolled back with the refusal (the receipt
    /// is written first in the same transaction, so no receipt of this record exists), and the
    /// same bytes can never be received now, so the object would stay in the bucket with nothing
    /// pointing at it. A failed removal leaves that orphan, logged; the refusal stands.
    async fn remove_refused_object(&self, checked: &CheckedRecord) {
        match self.store.remove(&checked.record_id).await {
            Ok(()) => tracing::info!(record_id = %checked.record_id,
                "record refused after it was stored (taken by another central at the same time); its object removed"),
            Err(error) => tracing::warn!(record_id = %checked.record_id, %error,
                "record refused after it was stored; its object could not be removed and is left without a receipt"),
        }
    }

    /// The answer to `checked` when its pre-request check failed with `error`: found consumed (or
    /// its stamp found used), it may be by this very record, committed by another central since this one looked for its
    /// receipt.
    pub(super) fn after_failed_check(
        &self,
        checked: &CheckedRecord,
        error: IntakeError,
    ) -> Result<Receipt, IntakeError> {
        if let IntakeError::PreRequestConsumed(_) | IntakeError::TaxStampUsed(_) = &error
            && let Some(receipt) = self.db.receipt(&checked.record_id)?
            && receipt.sha256 == checked.sha256
        {
            tracing::info!(record_id = %checked.record_id,
                "record received at the same time by another central; its receipt");
            return Ok(receipt);
        }
        Err(error)
    }

    /// Deletes the templates this record kept before its commit lost the pre-request to another
    /// record: they would never count (the number's templates are its consumer's), and prints
    /// are not kept without a reason. A failure is logged; the answer stays the refusal.
    fn forget_minutiae(&self, checked: &CheckedRecord) {
        let Some(store) = &self.templates else {
            return;
        };
        match store.delete_record(&checked.record_id) {
            Ok(0) => {}
            Ok(rows) => tracing::info!(record_id = %checked.record_id, rows,
                "templates of a record whose pre-request went to another record deleted"),
            Err(error) => tracing::warn!(record_id = %checked.record_id, %error,
                "templates of a record whose pre-request went to another record not deleted"),
        }
    }
}
