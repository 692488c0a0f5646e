//! Handover templates. The key is the pre-request number and the record together: two records of
//! one number stored at once on two replicas (each stores its templates before its receipt
//! commits) both keep their row, and the one that counts is the row of the record that consumed
//! the number, which the `consumed` table's primary key has decided. The minutiae arrive sealed
//! with the template key ([`crate::templates::sealing`]): this table never sees them in clear.

use super::{Postgres, connection, count};
use crate::storage::DatabaseError;

/// One stored row, its minutiae still sealed.
pub(crate) struct SealedRow {
    pub record_id: String,
    pub station_id: String,
    pub sealed: Vec<u8>,
}

impl Postgres {
    pub(crate) fn put_template(
        &self,
        number: &str,
        record_id: &str,
        station_id: &str,
        stored_at: &str,
        sealed: Vec<u8>,
    ) -> Result<(), DatabaseError> {
        let (number, record_id) = (number.to_owned(), record_id.to_owned());
        let (station_id, stored_at) = (station_id.to_owned(), stored_at.to_owned());
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            client
                .execute(
                    &client
                        .prepare_cached(
                            "INSERT INTO templates (number, record_id, station_id, stored_at, minutiae)
                             VALUES ($1, $2, $3, $4, $5)
                             ON CONFLICT (number, record_id) DO UPDATE SET
                                 station_id = EXCLUDED.station_id,
                                 stored_at = EXCLUDED.stored_at,
                                 minutiae = EXCLUDED.minutiae",
                        )
                        .await?,
                    &[&number, &record_id, &station_id, &stored_at, &sealed],
                )
                .await?;
            Ok(())
        })
    }

    /// The row of the record that consumed `number`, if it kept templates.
    pub(crate) fn template(&self, number: &str) -> Result<Option<SealedRow>, DatabaseError> {
        let number = number.to_owned();
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            let row = client
                .query_opt(
                    &client
                        .prepare_cached(
                            "SELECT t.record_id, t.station_id, t.minutiae
                             FROM templates t
                             JOIN consumed c ON c.number = t.number AND c.record_id = t.record_id
                             WHERE t.number = $1",
                        )
                        .await?,
                    &[&number],
                )
                .await?;
            Ok(row.map(|row| SealedRow {
                record_id: row.get(0),
                station_id: row.get(1),
                sealed: row.get(2),
            }))
        })
    }

    pub(crate) fn delete_templates_of(&self, record_id: &str) -> Result<usize, DatabaseError> {
        let record_id = record_id.to_owned();
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            let n = client
                .execute(
                    &client
                        .prepare_cached("DELETE FROM templates WHERE record_id = $1")
                        .await?,
                    &[&record_id],
                )
                .await?;
            Ok(usize::try_from(n).unwrap_or(usize::MAX))
        })
    }

    pub(crate) fn template_count(&self) -> Result<u64, DatabaseError> {
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            let n: i64 = client
                .query_one(
                    &client
                        .prepare_cached("SELECT count(DISTINCT number) FROM templates")
                        .await?,
                    &[],
                )
                .await?
                .get(0);
            Ok(count(n))
        })
    }
}
