//! Handover (remise): the central decides, and the reference templates never leave it. The station
//! extracts the live finger's template, seals it to the central with the number, the finger, a
//! fresh nonce and its id, signs the request ([`request`]), posts it, and accepts the answer only
//! when the central's signature and every field agree with what it asked ([`decision`]). Before
//! that, [`subject`] asks which fingers the file holds, so no finger is read for a number with no
//! file. See
//! docs/central-api.md, `POST /v1/handover`.

pub mod decision;
pub mod request;
pub mod subject;

use super::{CentralClient, PreRequestNumber, UplinkError};
use crate::checks::matching::Template;
use crate::seal::{CentralKeys, SealError, Signer};

pub use decision::{DecisionError, check_decision};
pub use request::{Asked, SealedRequest, seal_request};
pub use subject::handover_subject;

/// Who asks and whom: the central, the station's id and key to sign with, and the central's keys
/// (the claim is sealed to its record key; its decisions are signed with its receipt key).
#[derive(Debug, Clone, Copy)]
pub struct HandoverClient<'a> {
    /// The central.
    pub central: &'a CentralClient,
    /// The station id registered at the central.
    pub station_id: &'a str,
    /// The station's signing key (the one that signs its records; in its token on a production
    /// station).
    pub identity: &'a dyn Signer,
    /// The central's public keys, from provisioning.
    pub central_keys: &'a CentralKeys,
}

/// The central's decision, once checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandoverOutcome {
    /// The live finger is the applicant's.
    pub matched: bool,
    /// The comparison score.
    pub score: u32,
    /// The threshold the central held it against.
    pub threshold: u32,
    /// ISO position code of the enrolled finger it was compared with.
    pub position: Option<u8>,
}

/// Why a handover check could not be made (as opposed to a finger that does not match). None of
/// these is a pass.
#[derive(Debug, thiserror::Error)]
pub enum HandoverError {
    /// The central could not be asked, or refused for a reason of its own.
    #[error(transparent)]
    Uplink(#[from] UplinkError),
    /// The central holds no template for this pre-request (or this finger of it).
    #[error("the central holds no fingerprints for this pre-request")]
    NoReference,
    /// The document was enrolled at another town hall, where it is to be handed over.
    #[error("the document was enrolled for another town hall: {0}")]
    OtherTownHall(String),
    /// Too many attempts for this number or by this station in the last hour.
    #[error("too many handover attempts: {0}")]
    TooManyAttempts(String),
    /// The central says it has seen this request before: someone replayed it, or it travelled twice.
    #[error("the central saw this request before (replay)")]
    Replayed,
    /// The answer is not a decision the central signed for this very request.
    #[error("the central's answer is refused: {0}")]
    Decision(#[from] DecisionError),
    /// The claim could not be sealed to the central's key (a bad configured key, the random source).
    #[error("the request could not be sealed: {0}")]
    Seal(#[from] SealError),
    /// The live template could not be written as an ISO/IEC 19794-2 record.
    #[error("the live template: {0}")]
    Template(#[from] fingerprint::iso19794_2::RecordError),
}

/// The handover check: seals the live finger's template for `number` and `finger` (ISO position,
/// or `wire::handover::ANY_FINGER`), asks the central, and checks its signed decision. Logs the
/// outcome (score and decision, never the minutiae).
pub fn verify(
    client: &HandoverClient<'_>,
    number: &PreRequestNumber,
    finger: u8,
    live: &Template,
) -> Result<HandoverOutcome, HandoverError> {
    let sealed = seal_request(client, number, finger, live)?;
    let body = serde_json::to_vec(&sealed.request)
        .map_err(|e| SealError::Malformed(format!("handover request: {e}")))?;
    let answer = match client.central.post_handover(&body) {
        Ok(answer) => answer,
        Err(UplinkError::Status {
            status,
            code,
            detail,
        }) => {
            return Err(refusal(status, code, detail));
        }
        Err(other) => return Err(other.into()),
    };
    let decision: wire::handover::HandoverDecision = serde_json::from_slice(&answer)
        .map_err(|e| DecisionError::Malformed(format!("not a decision: {e}")))?;
    let outcome = check_decision(
        &decision,
        &sealed.asked,
        &client.central_keys.receipt_public_key,
        time::OffsetDateTime::now_utc(),
    )?;
    tracing::info!(station_id = client.station_id, matched = outcome.matched,
        score = outcome.score, threshold = outcome.threshold, finger,
        compared_finger = ?outcome.position, live_minutiae = live.len(),
        "handover decided by the central");
    Ok(outcome)
}

/// The central's refusals that the station tells apart.
fn refusal(status: u16, code: String, detail: String) -> HandoverError {
    use wire::handover as codes;
    match (status, code.as_str()) {
        (404, codes::NO_TEMPLATES) => HandoverError::NoReference,
        (429, _) => HandoverError::TooManyAttempts(detail),
        (409, codes::REPLAYED) => HandoverError::Replayed,
        (403, wire::town_hall::OTHER_TOWN_HALL) => HandoverError::OtherTownHall(detail),
        _ => UplinkError::Status {
            status,
            code,
            detail,
        }
        .into(),
    }
}

#[cfg(test)]
mod tests {
    use super::{HandoverError, refusal};

    #[test]
    fn another_town_halls_document_is_told_apart_from_a_refused_station() {
        let elsewhere = refusal(403, wire::town_hall::OTHER_TOWN_HALL.into(), String::new());
        assert!(
            matches!(elsewhere, HandoverError::OtherTownHall(_)),
            "{elsewhere:?}"
        );
        let revoked = refusal(403, "station-revoked".into(), String::new());
        assert!(matches!(revoked, HandoverError::Uplink(_)), "{revoked:?}");
    }
}
