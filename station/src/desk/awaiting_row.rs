//! A record waiting for a supervisor as the queue screen lists it: its case reference, what the
//! exception is in the clerk's language, how long it has waited.

use rust_i18n::t;

use super::{texts::Texts, view::AwaitingRow};
use crate::outbox::review::{AwaitingRecord, ExceptionKind};

/// The queue screen's row for a waiting record, `now` in ms since the epoch.
pub(crate) fn awaiting_row(record: &AwaitingRecord, texts: &Texts, now: i64) -> AwaitingRow {
    let l = texts.language.code();
    let exceptions = record
        .exceptions
        .kinds()
        .map(|kind| match kind {
            ExceptionKind::FingerMissing => t!("counter.approval.finger_missing", locale = l),
            ExceptionKind::BelowThreshold => t!("counter.approval.below_threshold", locale = l),
            ExceptionKind::PaperPhoto => t!("counter.approval.paper_photo", locale = l),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let minutes = now.saturating_sub(record.queued_at_ms).max(0) / 60_000;
    let waited = if minutes < 60 {
        t!("counter.approval.minutes", locale = l, n = minutes)
    } else if minutes < 48 * 60 {
        t!("counter.approval.hours", locale = l, n = minutes / 60)
    } else {
        t!("counter.approval.days", locale = l, n = minutes / (24 * 60))
    };
    AwaitingRow {
        case_reference: wire::case_reference::case_reference(&record.record_id),
        record_id: record.record_id.clone(),
        exceptions,
        waited: waited.into_owned(),
    }
}
