//! Records taken without a pre-request: the civil status the clerk typed from the paper form is
//! kept beside the receipt, since no pre-request in the catalogue holds it. No pre-request is
//! consumed; the tax stamp is, as on the other path.

use rusqlite::{OptionalExtension, params};

use super::{Database, DatabaseError};
use crate::receipts::Receipt;

impl Database {
    /// Records the receipt of a record taken from the paper form, keeps the typed form (JSON, as
    /// checked at intake) and marks its tax stamp (if any) used, in one transaction: a stamp
    /// already used fails it whole. No pre-request is marked consumed.
    pub fn commit_paper_intake(
        &self,
        receipt: &Receipt,
        station_id: &str,
        paper_form_json: &str,
        tax_stamp: Option<&str>,
    ) -> Result<(), DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.commit_paper_intake(receipt, station_id, paper_form_json, tax_stamp);
        }
        self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            super::database::insert_receipt(
                &tx,
                receipt,
                station_id,
                wire::paper_form::NO_PRE_REQUEST,
            )?;
            tx.execute(
                "INSERT INTO paper_forms (record_id, station_id, paper_form, received_at)
                 VALUES (?1, ?2, ?3, ?4)",
                params![
                    receipt.record_id,
                    station_id,
                    paper_form_json,
                    receipt.received_at
                ],
            )?;
            if let Some(number) = tax_stamp {
                super::tax_stamps::insert_use(&tx, number, receipt)?;
            }
            tx.commit()?;
            Ok(())
        })
    }

    /// The typed paper form (JSON) kept for a record, if it was taken without a pre-request.
    pub fn paper_form(&self, record_id: &str) -> Result<Option<String>, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.paper_form(record_id);
        }
        self.with(|c| {
            Ok(c.query_row(
                "SELECT paper_form FROM paper_forms WHERE record_id = ?1",
                params![record_id],
                |row| row.get(0),
            )
            .optional()?)
        })
    }

    /// How many pre-requests are marked consumed (a record from the paper form consumes none).
    pub fn consumed_count(&self) -> Result<u64, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.consumed_count();
        }
        self.with(|c| {
            let n: i64 = c.query_row("SELECT count(*) FROM consumed", [], |row| row.get(0))?;
            Ok(u64::try_from(n).unwrap_or(0))
        })
    }
}
