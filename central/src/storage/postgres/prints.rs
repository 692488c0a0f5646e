//! The prints schedule: refusals and the purge log. Dates are RFC 3339 UTC text, as on SQLite, so
//! that text order is time order. A purge claims a record before it touches it (one conditional
//! `UPDATE`), so that two purges at once on two replicas do not both rewrite it; marking it
//! purged is conditional too, and the log's unique record refuses a second entry.

use super::{Postgres, connection};
use crate::prints::ScheduledDeletion;
use crate::storage::DatabaseError;

const COLUMNS: &str = "record_id, pre_request, delete_after, card_event, purged_at";

fn deletion(row: &tokio_postgres::Row) -> ScheduledDeletion {
    ScheduledDeletion {
        record_id: row.get(0),
        pre_request: row.get(1),
        delete_after: row.get(2),
        card_event: row.get(3),
        purged_at: row.get(4),
    }
}

impl Postgres {
    pub(crate) fn note_refusal(
        &self,
        record_id: &str,
        pre_request: &str,
        received_at: String,
        delete_after: String,
    ) -> Result<(), DatabaseError> {
        let (record_id, pre_request) = (record_id.to_owned(), pre_request.to_owned());
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            client
                .execute(
                    &client
                        .prepare_cached(
                            "INSERT INTO prints_refusals
                             (record_id, pre_request, received_at, delete_after)
                             VALUES ($1, $2, $3, $4) ON CONFLICT (record_id) DO NOTHING",
                        )
                        .await?,
                    &[&record_id, &pre_request, &received_at, &delete_after],
                )
                .await?;
            Ok(())
        })
    }

    /// Notes the card event on the refusals whose `column` is `key` (`record_id` or
    /// `pre_request`) and not heard of yet.
    pub(crate) fn card_event(
        &self,
        by_pre_request: bool,
        key: &str,
        event: &'static str,
        at: String,
        due: String,
    ) -> Result<(), DatabaseError> {
        let key = key.to_owned();
        self.run(move |pool| async move {
            let client = connection(&pool).await?;
            let sql = if by_pre_request {
                "UPDATE prints_refusals SET card_event = $2, card_event_at = $3,
                     delete_after = LEAST(delete_after, $4)
                 WHERE pre_request = $1 AND card_event IS NULL"
            } else {
                "UPDATE prints_refusals SET card_event = $2, card_event_at = $3,
                     delete_after = LEAST(delete_after, $4)
                 WHERE record_id = $1 AND card_event IS NULL"
            };
            client
                .execute(
                    &client.prepare_cached(sql).await?,
                    &[&key, &event, &at, &due],
                )
                .await?;
            Ok(())
        })
    }

    pub(crate) fn scheduled_deletion(
        &self,
        record_id: &str,
    ) -> Result<Option<ScheduledDeletion>, DatabaseError> {
        let record_id = record_id.to_owned();
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            let row = client
                .query_opt(
                    &client
                        .prepare_cached(&format!(
                            "SELECT {COLUMNS} FROM prints_refusals WHERE record_id = $1"
                        ))
                        .await?,
                    &[&record_id],
                )
                .await?;
            Ok(row.as_ref().map(deletion))
        })
    }

    pub(crate) fn due_deletions(
        &self,
        now: String,
    ) -> Result<Vec<ScheduledDeletion>, DatabaseError> {
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            let rows = client
                .query(
                    &client
                        .prepare_cached(&format!(
                            "SELECT {COLUMNS} FROM prints_refusals
                             WHERE purged_at IS NULL AND delete_after <= $1
                             ORDER BY delete_after, record_id"
                        ))
                        .await?,
                    &[&now],
                )
                .await?;
            Ok(rows.iter().map(deletion).collect())
        })
    }

    /// Takes `record_id` for a purge unless it is purged, or taken since `stale_before` by
    /// another; whether it was taken.
    pub(crate) fn claim_purge(
        &self,
        record_id: &str,
        now: String,
        stale_before: String,
    ) -> Result<bool, DatabaseError> {
        let record_id = record_id.to_owned();
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            let n = client
                .execute(
                    &client
                        .prepare_cached(
                            "UPDATE prints_refusals SET purging_since = $2
                             WHERE record_id = $1 AND purged_at IS NULL
                               AND (purging_since IS NULL OR purging_since < $3)",
                        )
                        .await?,
                    &[&record_id, &now, &stale_before],
                )
                .await?;
            Ok(n == 1)
        })
    }

    pub(crate) fn mark_purged(
        &self,
        record_id: &str,
        at: String,
        entries: String,
        template_rows: i64,
    ) -> Result<(), DatabaseError> {
        let record_id = record_id.to_owned();
        self.run(|pool| async move {
            let mut client = connection(&pool).await?;
            let tx = client.transaction().await?;
            let n = tx
                .execute(
                    &tx.prepare_cached(
                        "UPDATE prints_refusals SET purged_at = $2, purging_since = NULL
                         WHERE record_id = $1 AND purged_at IS NULL",
                    )
                    .await?,
                    &[&record_id, &at],
                )
                .await?;
            if n == 1 {
                tx.execute(
                    &tx.prepare_cached(
                        "INSERT INTO prints_purge_log (record_id, purged_at, entries, template_rows)
                         VALUES ($1, $2, $3, $4)",
                    )
                    .await?,
                    &[&record_id, &at, &entries, &template_rows],
                )
                .await?;
            }
            tx.commit().await?;
            Ok(())
        })
    }

    pub(crate) fn purge_log(&self) -> Result<Vec<(String, String, String, i64)>, DatabaseError> {
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            let rows = client
                .query(
                    &client
                        .prepare_cached(
                            "SELECT record_id, purged_at, entries, template_rows
                             FROM prints_purge_log ORDER BY id",
                        )
                        .await?,
                    &[],
                )
                .await?;
            Ok(rows
                .iter()
                .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3)))
                .collect())
        })
    }
}
