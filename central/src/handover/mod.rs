//! The handover (remise) decided here: a registered station seals the live finger's template to the
//! central with the pre-request number, the finger, a fresh nonce and its id, and signs the request
//! (`wire::handover`). The central opens it, refuses a replay, a stale request or too many
//! attempts, compares with the template it holds using the matcher the station shares
//! (`fingerprint`), records the attempt, and answers a decision signed with its receipt key. The
//! reference templates never leave the central.

pub mod attempts;
pub mod claim;
pub mod decision;

use time::OffsetDateTime;
use wire::handover::{Decision, HandoverDecision, HandoverRequest};

pub use attempts::{Attempt, AttemptLog, MAX_PER_NUMBER, MAX_PER_STATION, Outcome};
pub use claim::OpenedClaim;

use crate::keys::CentralKeys;
use crate::storage::{Database, DatabaseError};
use crate::templates::TemplateStore;

/// How far a request's time may be from the central's clock: enough for a station's clock drift,
/// short enough that a request cannot be kept to be played later (its nonce stops a replay within).
pub const MAX_CLOCK_SKEW: time::Duration = time::Duration::minutes(5);

/// Why a handover request was refused (no decision is signed for any of these).
#[derive(Debug, thiserror::Error)]
pub enum HandoverError {
    /// The body, a hex field or the claim's content is not shaped as agreed.
    #[error("malformed request: {0}")]
    Malformed(String),
    /// The pre-request number is not 10 letters or digits.
    #[error("pre-request number: {0}")]
    BadNumber(String),
    /// The station id is not registered.
    #[error("station {0:?} is not registered")]
    UnknownStation(String),
    /// The signature does not verify with the station's key.
    #[error("the station signature does not verify")]
    BadSignature,
    /// The claim does not open with the central's key (sealed to another key, or damaged).
    #[error("the sealed claim does not open with this central's key")]
    CannotOpen,
    /// The request time is too far from the central's clock.
    #[error("request time {0} is more than 5 minutes from the central's clock")]
    Stale(String),
    /// This nonce was seen before: the request is a replay.
    #[error("this request was already received (nonce seen before)")]
    Replayed,
    /// Too many attempts for the number or by the station in the last hour.
    #[error("{0}")]
    TooManyAttempts(String),
    /// The document was enrolled by a station of another town hall than the asking station's.
    #[error("pre-request {0} was enrolled for another town hall")]
    OtherTownHall(String),
    /// No template is held for this number (or this finger of it).
    #[error("{0}")]
    NoTemplates(String),
    /// The central's database failed.
    #[error(transparent)]
    Database(#[from] DatabaseError),
}

/// What the check needs of the central.
#[derive(Debug, Clone, Copy)]
pub struct Handover<'a> {
    /// Private keys: the record key opens claims, the receipt key signs decisions.
    pub keys: &'a CentralKeys,
    /// Registered stations.
    pub db: &'a Database,
    /// Reference templates.
    pub templates: &'a TemplateStore,
    /// Attempts, nonces and rate limits.
    pub attempts: &'a AttemptLog,
    /// The asking station's town hall: it hands over only documents enrolled there.
    pub town_hall: &'a str,
}

impl Handover<'_> {
    /// Checks `request` at `now` and decides. Every request that opened within the time window is
    /// recorded with its nonce, refused or not; earlier refusals (unknown station, bad signature,
    /// unopenable, stale) and replays are logged only, since they name nothing trustworthy.
    pub fn decide(
        &self,
        request: &HandoverRequest,
        now: OffsetDateTime,
    ) -> Result<HandoverDecision, HandoverError> {
        let claim = OpenedClaim::open(request, self.keys, self.db)?;
        let requested_at = claim.requested_at()?;
        if (requested_at - now).abs() > MAX_CLOCK_SKEW {
            return Err(HandoverError::Stale(claim.requested_at.clone()));
        }
        let stored = self.templates.get(&claim.number)?;
        if let Some(stored) = &stored {
            let enrolled_at = self
                .db
                .station_town_hall(&stored.station_id)?
                .unwrap_or_default();
            if enrolled_at.is_empty() || enrolled_at != self.town_hall {
                tracing::warn!(station_id = %claim.station_id, pre_request = %claim.number,
                    town_hall = self.town_hall, "handover of another town hall's document refused");
                return Err(HandoverError::OtherTownHall(claim.number.clone()));
            }
        }
        let attempt = self.attempts.begin(&claim, now)?;
        let enrolled = match stored {
            Some(stored) => {
                fingerprint::FingerMinutiaeRecord::parse(&stored.minutiae).map_err(|e| {
                    // The record was checked at intake, so this is the store's fault, not the station's.
                    DatabaseError::Corrupt(format!("templates of {}: {e}", claim.number))
                })
            }
            None => Ok(Vec::new()),
        };
        let enrolled = match enrolled {
            Ok(enrolled) => enrolled,
            Err(e) => {
                self.attempts.finish(attempt, None, Outcome::Failed)?;
                return Err(e.into());
            }
        };
        let Some(best) = fingerprint::best_match(&enrolled, &claim.template, claim.finger) else {
            self.attempts.finish(attempt, None, Outcome::NoTemplates)?;
            return Err(HandoverError::NoTemplates(if enrolled.is_empty() {
                format!(
                    "no record with minutiae was received for pre-request {}",
                    claim.number
                )
            } else {
                format!(
                    "finger {} was not enrolled for pre-request {}",
                    claim.finger, claim.number
                )
            }));
        };
        let decision = if best.matched {
            Decision::Match
        } else {
            Decision::NoMatch
        };
        self.attempts
            .finish(attempt, Some(best.score), Outcome::Decided(decision))?;
        tracing::info!(station_id = %claim.station_id, pre_request = %claim.number,
            finger = claim.finger, compared_finger = best.position, score = best.score,
            threshold = best.threshold, decision = decision.as_str(), "handover decided");
        Ok(decision::issue(
            self.keys,
            &claim,
            best.position,
            best.score,
            best.threshold,
            decision,
            now,
        ))
    }
}
