//! Back online: the queued records' waits are cut short. After a long outage (a mobile kit's day
//! away, a night without network) each record's next try was pushed minutes ahead by the backoff;
//! once the central answers again there is no reason to make the clerk wait for those minutes.

use rusqlite::params;

use super::{Outbox, OutboxError};

impl Outbox {
    /// Makes every queued record due at `now_ms`; returns how many were waiting for later.
    pub fn retry_now(&self, now_ms: i64) -> Result<usize, OutboxError> {
        self.with_conn(|conn| {
            Ok(conn
                .prepare_cached(
                    "UPDATE records SET next_attempt_at_ms = ?1
                     WHERE state = 'queued' AND next_attempt_at_ms > ?1",
                )?
                .execute(params![now_ms])?)
        })
    }
}
