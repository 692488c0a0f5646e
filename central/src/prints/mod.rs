//! The applicant's refusal that their fingerprints be kept (identity card, since 2021): the prints
//! arrive with the record (they went on the card's chip) and the central deletes them at most
//! [`AFTER_CARD`] after the card is issued or refused, keeping the rest of the record.
//!
//! The central does not make cards, so the day the card is issued or refused reaches it from
//! outside: a matched handover (the card given at the counter) or `central prints card-issued` /
//! `card-refused` run by the production side. Neither may ever come (a card never collected, a
//! production system that does not call), so every refusal also gets a date [`CEILING`] after
//! intake, and the earlier of the two applies: prints never stay forever.
//! `central prints purge` deletes what is due ([`purge`]).

pub mod purge;
pub mod remainder;
pub mod schedule;

pub use schedule::{CardEvent, PrintsSchedule, ScheduledDeletion};

/// How long after the card is issued or refused the prints may stay (the legal maximum).
pub const AFTER_CARD: time::Duration = time::Duration::days(90);

/// How long after intake the prints of a refusal stay at most, whatever is heard of the card: a
/// card not collected within three months of its production is destroyed at the town hall, and
/// production takes weeks, so a year after intake every card has been issued or refused well more
/// than [`AFTER_CARD`] before, and the handover (which compares the live finger with the kept
/// minutiae) is long over.
pub const CEILING: time::Duration = time::Duration::days(365);
