//! The outbox as the clerk sees it: counts, the most recent records with their receipt times, and
//! "has my file been sent?". Read through a separate read-only connection to the outbox file
//! (WAL lets it read while the uploader writes); the outbox's own API stays the only writer.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::{
    clock,
    texts::Texts,
    view::{OutboxRow, OutboxView, SearchAnswer},
};
use crate::{
    outbox::{Outbox, OutboxError, SharedNumberKey, now_ms, number_tag},
    uplink::{PreRequestNumber, Receipt, ReceiptCheck},
};

/// Rows shown on the queue screen.
pub const RECENT_ROWS: usize = 50;

/// A read-only view of the outbox file.
#[derive(Debug)]
pub(crate) struct OutboxReader {
    conn: Connection,
    /// Hashes the number the clerk types, to find records acknowledged since (which keep only
    /// the number's tag).
    number_key: Option<SharedNumberKey>,
}

struct RawRow {
    record_id: String,
    pre_request: Option<String>,
    state: String,
    queued_at_ms: i64,
    receipt: Option<String>,
}

impl OutboxReader {
    /// Opens the outbox file read-only (it must exist: open the [`Outbox`] first); `number_key`
    /// is the station's secret the outbox hashes numbers with.
    pub(crate) fn open(
        path: &Path,
        number_key: Option<SharedNumberKey>,
    ) -> Result<Self, OutboxError> {
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        conn.busy_timeout(std::time::Duration::from_secs(2))?;
        Ok(Self { conn, number_key })
    }

    fn rows(&self, sql: &str, param: &[&str]) -> Result<Vec<RawRow>, OutboxError> {
        let mut stmt = self.conn.prepare_cached(sql)?;
        let map = |r: &rusqlite::Row<'_>| {
            Ok(RawRow {
                record_id: r.get(0)?,
                pre_request: r.get(1)?,
                state: r.get(2)?,
                queued_at_ms: r.get(3)?,
                receipt: r.get(4)?,
            })
        };
        let rows = stmt
            .query_map(rusqlite::params_from_iter(param), map)?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Counts, recent rows and the freeze message.
    pub(crate) fn view(
        &self,
        outbox: &Outbox,
        limits: &crate::outbox::FreezeLimits,
        texts: &Texts,
    ) -> Result<OutboxView, OutboxError> {
        let status = outbox.status()?;
        let recent = self
            .rows(
                &format!(
                    "SELECT record_id, pre_request, state, queued_at_ms, receipt FROM records
                     ORDER BY seq DESC LIMIT {RECENT_ROWS}"
                ),
                &[],
            )?
            .into_iter()
            .map(|r| row(r, texts))
            .collect();
        let now = now_ms();
        let awaiting = outbox
            .awaiting_approval()?
            .iter()
            .map(|record| super::awaiting_row::awaiting_row(record, texts, now))
            .collect();
        Ok(OutboxView {
            awaiting,
            queued: status.queued,
            sending: status.sending,
            acknowledged: status.acknowledged + status.purged,
            recent,
            frozen: limits
                .check(&status, now_ms())
                .err()
                .map(|f| texts.frozen(&f)),
        })
    }

    /// "Has my file been sent?" for a number typed by the clerk.
    pub(crate) fn search(&self, typed: &str, texts: &Texts) -> Result<SearchAnswer, OutboxError> {
        let Ok(number) = PreRequestNumber::parse(typed) else {
            return Ok(SearchAnswer {
                pre_request: typed.trim().to_owned(),
                answer: texts.bad_number(),
                rows: Vec::new(),
            });
        };
        // A record not yet acknowledged keeps its number; one acknowledged keeps its tag.
        let tag = match &self.number_key {
            Some(key) => Some(number_tag::tag(key.as_ref(), number.as_str())?),
            None => None,
        };
        let raw = self.rows(
            "SELECT record_id, pre_request, state, queued_at_ms, receipt FROM records
             WHERE pre_request = ?1 OR pre_request_mac = ?2 ORDER BY seq DESC",
            &[number.as_str(), tag.as_deref().unwrap_or("")],
        )?;
        let answer = match raw.first() {
            None => texts.search_none(number.as_str()),
            Some(r) => match r.state.as_str() {
                "acknowledged" | "purged" => {
                    texts.search_received(&receipt_time(r.receipt.as_deref()).unwrap_or_default())
                }
                "sending" => texts.search_sending(),
                "awaiting_approval" => {
                    texts.search_awaiting_approval(&clock::for_people(r.queued_at_ms))
                }
                "rejected" => texts.search_rejected(),
                _ => texts.search_waiting(&clock::for_people(r.queued_at_ms)),
            },
        };
        Ok(SearchAnswer {
            pre_request: number.as_str().to_owned(),
            answer,
            // A row found by its tag shows the number the clerk typed (it is theirs to see).
            rows: raw
                .into_iter()
                .map(|r| RawRow {
                    pre_request: r.pre_request.or_else(|| Some(number.as_str().to_owned())),
                    ..r
                })
                .map(|r| row(r, texts))
                .collect(),
        })
    }
}

fn receipt_time(receipt: Option<&str>) -> Option<String> {
    let receipt = Receipt::parse(receipt?.as_bytes()).ok()?;
    Some(clock::rfc3339_for_people(&receipt.received_at))
}

fn row(r: RawRow, texts: &Texts) -> OutboxRow {
    OutboxRow {
        state: texts.record_state(&r.state),
        queued_at: clock::for_people(r.queued_at_ms),
        receipt_at: receipt_time(r.receipt.as_deref()),
        record_id: r.record_id,
        pre_request: r.pre_request,
    }
}
