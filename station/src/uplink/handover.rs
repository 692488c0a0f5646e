//! Handover (remise): fetch the reference templates of a pre-request from the central
//! (`GET /v1/handover/{number}/templates`, signed with the station key as records are; see
//! docs/central-api.md), compare the live finger with each, and wipe the reference.

use zeroize::Zeroizing;

use super::{CentralClient, PreRequestNumber, UplinkError};
use crate::checks::matching::{MATCH_THRESHOLD, Prepared, Template};
use crate::record::{FingerMinutiaeRecord, RecordError};
use crate::seal::{StationIdentity, now_rfc3339};
use wire::handover::signed_message;

/// Largest templates answer read: ten fingers of 150 minutiae take about 10 KB.
pub const MAX_TEMPLATES_ANSWER: u64 = 256 * 1024;

/// Who asks: the central, and the station's id and key to sign with.
#[derive(Debug, Clone, Copy)]
pub struct HandoverClient<'a> {
    /// The central.
    pub central: &'a CentralClient,
    /// The station id registered at the central.
    pub station_id: &'a str,
    /// The station's signing key (the one that signs its records).
    pub identity: &'a StationIdentity,
}

/// The result of a handover check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HandoverOutcome {
    /// The live finger matches one of the applicant's enrolled fingers.
    pub matched: bool,
    /// The best score over the enrolled fingers.
    pub score: u32,
    /// ISO position code of the enrolled finger that scored best.
    pub position: Option<u8>,
}

/// Why a handover check could not be made (as opposed to a finger that does not match).
#[derive(Debug, thiserror::Error)]
pub enum HandoverError {
    /// The central could not be asked, or refused.
    #[error(transparent)]
    Uplink(#[from] UplinkError),
    /// The central has no templates for this pre-request (no record with minutiae received).
    #[error("the central holds no fingerprints for this pre-request")]
    NoReference,
    /// The reference record does not read.
    #[error("reference templates: {0}")]
    Record(#[from] RecordError),
}

/// Fetches the ISO/IEC 19794-2 record kept for `number`; the bytes are wiped when dropped.
pub fn fetch_templates(
    client: &HandoverClient<'_>,
    number: &PreRequestNumber,
) -> Result<Zeroizing<Vec<u8>>, HandoverError> {
    let time = now_rfc3339();
    let signature =
        client
            .identity
            .sign(&signed_message(number.as_str(), client.station_id, &time));
    let url = format!(
        "{}{}",
        client.central.base_url,
        wire::paths::handover_templates(number.as_str())
    );
    let mut response = client
        .central
        .lookup_agent()?
        .get(&url)
        .header(wire::headers::STATION_ID, client.station_id)
        .header(wire::headers::STATION_TIME, &time)
        .header(wire::headers::STATION_SIGNATURE, hex::encode(signature))
        .call()
        .map_err(super::http::transport)?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_TEMPLATES_ANSWER)
        .read_to_vec()
        .map(Zeroizing::new)
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => {
                UplinkError::Malformed(format!("answer over {MAX_TEMPLATES_ANSWER} bytes"))
            }
            other => UplinkError::Transport(other.to_string()),
        })?;
    if status == 200 {
        return Ok(body);
    }
    let (code, detail) = match serde_json::from_slice::<wire::ErrorBody>(&body) {
        Ok(e) => {
            let detail = e.detail_text();
            (e.error, detail)
        }
        Err(_) => (String::new(), String::new()),
    };
    if status == 404 && code == wire::handover::NO_TEMPLATES {
        return Err(HandoverError::NoReference);
    }
    Err(UplinkError::Status {
        status,
        code,
        detail,
    }
    .into())
}

/// The best score of `live` over the fingers of a minutiae record.
pub fn best_match(reference: &[u8], live: &Template) -> Result<HandoverOutcome, RecordError> {
    let fingers = FingerMinutiaeRecord::parse(reference)?;
    let live = Prepared::new(live);
    let best = fingers
        .iter()
        .map(|finger| {
            let score = live.compare(&Prepared::new(&finger.template));
            (finger.position, score)
        })
        .max_by_key(|(_, score)| *score);
    // `fingers` (each template in it, and each one's cylinders) is wiped when dropped.
    Ok(match best {
        Some((position, score)) => HandoverOutcome {
            matched: score >= MATCH_THRESHOLD,
            score,
            position: Some(position),
        },
        None => HandoverOutcome {
            matched: false,
            score: 0,
            position: None,
        },
    })
}

/// The handover check: fetch the applicant's reference templates, compare the live finger with
/// each, wipe the reference, log the outcome (score and decision, no minutiae).
pub fn verify(
    client: &HandoverClient<'_>,
    number: &PreRequestNumber,
    live: &Template,
) -> Result<HandoverOutcome, HandoverError> {
    let reference = fetch_templates(client, number)?;
    let outcome = best_match(&reference, live);
    drop(reference);
    let outcome = outcome?;
    tracing::info!(station_id = client.station_id, matched = outcome.matched,
        score = outcome.score, threshold = MATCH_THRESHOLD, finger = ?outcome.position,
        live_minutiae = live.len(), "handover fingerprint check");
    Ok(outcome)
}
