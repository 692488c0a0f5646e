//! Receipts, consumed pre-requests, used tax stamps and paper forms. Exactly once rests on the
//! primary keys, as on SQLite: whichever replica commits second breaks one and its whole
//! transaction rolls back, so a record gets one receipt and a pre-request or a stamp serves one
//! record, whatever the isolation level.

use super::{Postgres, connection, count, unique_violation};
use crate::receipts::Receipt;
use crate::storage::DatabaseError;

impl Postgres {
    pub(crate) fn receipt(&self, record_id: &str) -> Result<Option<Receipt>, DatabaseError> {
        self.one_row(
            "SELECT record_id, sha256, received_at, signature FROM receipts WHERE record_id = $1",
            record_id,
            |row| Receipt {
                record_id: row.get(0),
                sha256: row.get(1),
                received_at: row.get(2),
                signature: row.get(3),
            },
        )
    }

    pub(crate) fn consumed_by(&self, number: &str) -> Result<Option<String>, DatabaseError> {
        self.one_text("SELECT record_id FROM consumed WHERE number = $1", number)
    }

    pub(crate) fn tax_stamp_used_by(&self, number: &str) -> Result<Option<String>, DatabaseError> {
        self.one_text(
            "SELECT record_id FROM tax_stamps_used WHERE number = $1",
            number,
        )
    }

    pub(crate) fn paper_form(&self, record_id: &str) -> Result<Option<String>, DatabaseError> {
        self.one_text(
            "SELECT paper_form FROM paper_forms WHERE record_id = $1",
            record_id,
        )
    }

    pub(crate) fn receipt_count(&self) -> Result<u64, DatabaseError> {
        self.count("SELECT count(*) FROM receipts")
    }

    pub(crate) fn consumed_count(&self) -> Result<u64, DatabaseError> {
        self.count("SELECT count(*) FROM consumed")
    }

    pub(crate) fn commit_intake(
        &self,
        receipt: &Receipt,
        station_id: &str,
        pre_request: &str,
        tax_stamp: Option<&str>,
    ) -> Result<(), DatabaseError> {
        let receipt = receipt.clone();
        let (station_id, pre_request) = (station_id.to_owned(), pre_request.to_owned());
        let tax_stamp = tax_stamp.map(str::to_owned);
        self.run(|pool| async move {
            let mut client = connection(&pool).await?;
            let tx = client.transaction().await?;
            insert_receipt(&tx, &receipt, &station_id, &pre_request).await?;
            tx.execute(
                &tx.prepare_cached(
                    "INSERT INTO consumed (number, record_id, consumed_at) VALUES ($1, $2, $3)",
                )
                .await?,
                &[&pre_request, &receipt.record_id, &receipt.received_at],
            )
            .await
            .map_err(|e| match unique_violation(&e) {
                Some(_) => DatabaseError::AlreadyConsumed(pre_request.clone()),
                None => e.into(),
            })?;
            if let Some(number) = &tax_stamp {
                insert_stamp_use(&tx, number, &receipt).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    pub(crate) fn commit_paper_intake(
        &self,
        receipt: &Receipt,
        station_id: &str,
        paper_form_json: &str,
        tax_stamp: Option<&str>,
    ) -> Result<(), DatabaseError> {
        let receipt = receipt.clone();
        let (station_id, form) = (station_id.to_owned(), paper_form_json.to_owned());
        let tax_stamp = tax_stamp.map(str::to_owned);
        self.run(|pool| async move {
            let mut client = connection(&pool).await?;
            let tx = client.transaction().await?;
            insert_receipt(&tx, &receipt, &station_id, wire::paper_form::NO_PRE_REQUEST).await?;
            tx.execute(
                &tx.prepare_cached(
                    "INSERT INTO paper_forms (record_id, station_id, paper_form, received_at)
                 VALUES ($1, $2, $3, $4)",
                )
                .await?,
                &[&receipt.record_id, &station_id, &form, &receipt.received_at],
            )
            .await?;
            if let Some(number) = &tax_stamp {
                insert_stamp_use(&tx, number, &receipt).await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    /// One text column of at most one row, looked up by one text key.
    pub(crate) fn one_text(
        &self,
        sql: &'static str,
        key: &str,
    ) -> Result<Option<String>, DatabaseError> {
        self.one_row(sql, key, |row| row.get(0))
    }

    /// At most one row looked up by one text key, read by `read`.
    pub(crate) fn one_row<T: Send + 'static>(
        &self,
        sql: &'static str,
        key: &str,
        read: fn(&tokio_postgres::Row) -> T,
    ) -> Result<Option<T>, DatabaseError> {
        let key = key.to_owned();
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            Ok(client
                .query_opt(&client.prepare_cached(sql).await?, &[&key])
                .await?
                .map(|row| read(&row)))
        })
    }

    fn count(&self, sql: &'static str) -> Result<u64, DatabaseError> {
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            let n: i64 = client
                .query_one(&client.prepare_cached(sql).await?, &[])
                .await?
                .get(0);
            Ok(count(n))
        })
    }
}

async fn insert_receipt(
    tx: &deadpool_postgres::Transaction<'_>,
    receipt: &Receipt,
    station_id: &str,
    pre_request: &str,
) -> Result<(), DatabaseError> {
    tx.execute(
        &tx.prepare_cached("INSERT INTO receipts (record_id, sha256, received_at, signature, station_id, pre_request)
         VALUES ($1, $2, $3, $4, $5, $6)").await?,
        &[
            &receipt.record_id,
            &receipt.sha256,
            &receipt.received_at,
            &receipt.signature,
            &station_id,
            &pre_request,
        ],
    )
    .await
    .map_err(|e| match unique_violation(&e) {
        Some(_) => DatabaseError::AlreadyReceived(receipt.record_id.clone()),
        None => e.into(),
    })?;
    Ok(())
}

/// Marks a tax stamp used by the record, in the receipt's transaction: a stamp used already (by a
/// record another replica took meanwhile) fails the whole intake.
async fn insert_stamp_use(
    tx: &deadpool_postgres::Transaction<'_>,
    number: &str,
    receipt: &Receipt,
) -> Result<(), DatabaseError> {
    tx.execute(
        &tx.prepare_cached(
            "INSERT INTO tax_stamps_used (number, record_id, used_at) VALUES ($1, $2, $3)",
        )
        .await?,
        &[&number, &receipt.record_id, &receipt.received_at],
    )
    .await
    .map_err(|e| match unique_violation(&e) {
        Some(_) => DatabaseError::StampAlreadyUsed,
        None => e.into(),
    })?;
    Ok(())
}
