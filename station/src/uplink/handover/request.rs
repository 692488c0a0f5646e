//! The handover request: the live finger's ISO/IEC 19794-2 record, the number, the finger, a fresh
//! random nonce, the station id and the time, as JSON sealed to the central's record key (HPKE, the
//! records' suite), then signed with the station's key (`wire::handover`). What was asked is kept
//! to check the decision against.

use ring::rand::{SecureRandom, SystemRandom};
use wire::handover::{HandoverClaim, HandoverRequest, NONCE_BYTES};
use zeroize::Zeroizing;

use super::{HandoverClient, HandoverError};
use crate::checks::matching::{FingerMinutiaeRecord, FingerMinutiaeView, Template};
use crate::seal::{SealError, hpke, now_rfc3339};
use crate::uplink::PreRequestNumber;

/// What the station asked: every field the decision must echo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asked {
    /// The canonical pre-request number.
    pub number: String,
    /// The finger position asked.
    pub finger: u8,
    /// The nonce, lower-case hex.
    pub nonce: String,
    /// This station's id.
    pub station_id: String,
}

/// A request ready to post, and what it asked.
#[derive(Debug, Clone)]
pub struct SealedRequest {
    /// The body of `POST /v1/handover`.
    pub request: HandoverRequest,
    /// What the decision must echo.
    pub asked: Asked,
}

/// A fresh nonce: [`NONCE_BYTES`] from the system's random source, lower-case hex.
pub fn fresh_nonce() -> Result<String, SealError> {
    let mut bytes = [0u8; NONCE_BYTES];
    SystemRandom::new()
        .fill(&mut bytes)
        .map_err(|_| SealError::Crypto("random nonce"))?;
    Ok(hex::encode(bytes))
}

/// Seals and signs a handover request for `live`, presented as `finger` of `number`.
pub fn seal_request(
    client: &HandoverClient<'_>,
    number: &PreRequestNumber,
    finger: u8,
    live: &Template,
) -> Result<SealedRequest, HandoverError> {
    // No quality for a live finger at handover: the record's quality block says 0 ("not stated").
    let record = Zeroizing::new(FingerMinutiaeRecord::encode(&[FingerMinutiaeView {
        position: finger,
        quality: 0,
        template: live,
    }])?);
    let asked = Asked {
        number: number.as_str().to_owned(),
        finger,
        nonce: fresh_nonce()?,
        station_id: client.station_id.to_owned(),
    };
    let claim = HandoverClaim {
        number: asked.number.clone(),
        finger,
        nonce: asked.nonce.clone(),
        station_id: asked.station_id.clone(),
        requested_at: now_rfc3339(),
        template: hex::encode(&*record),
    };
    let mut sealed = Zeroizing::new(
        serde_json::to_vec(&claim)
            .map_err(|e| SealError::Malformed(format!("handover claim: {e}")))?,
    );
    // The claim's own copy of the template (hex) is wiped here; the sealed buffer is ciphertext
    // once sealed.
    let mut claim = claim;
    zeroize::Zeroize::zeroize(&mut claim.template);
    let (enc, tag) = hpke::seal_in_place(
        &client.central_keys.record_public_key,
        wire::handover::HPKE_INFO,
        &wire::handover::sealed_aad(client.station_id),
        &mut sealed,
    )?;
    sealed.extend_from_slice(&tag);
    let mut request = HandoverRequest {
        station_id: client.station_id.to_owned(),
        enc: hex::encode(enc),
        ciphertext: hex::encode(&*sealed),
        signature: String::new(),
    };
    request.signature = hex::encode(
        client
            .identity
            .sign_message(request.signed_string().as_bytes())?,
    );
    Ok(SealedRequest { request, asked })
}
