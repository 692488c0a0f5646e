//! Opening a handover request: the station's signature first (over the sealed bytes, so nothing is
//! opened for a station that is not registered), then HPKE with the record key, then the claim's
//! fields, each checked for shape.

use hpke::Deserializable;
use hpke::aead::AesGcm256;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use time::OffsetDateTime;
use wire::handover::{HandoverClaim, HandoverRequest, NONCE_BYTES};
use zeroize::Zeroizing;

use super::HandoverError;
use crate::keys::CentralKeys;
use crate::prerequests::normalise;
use crate::stations::verify_signature;
use crate::storage::Database;

/// Largest sealed claim read, bytes: one finger of 150 minutiae is about 1 KB of record, 2 KB of
/// hex; the rest is a few short fields.
pub const MAX_CLAIM_BYTES: usize = 16 * 1024;

/// A claim opened and checked for shape. The template is wiped when dropped.
#[derive(Debug)]
pub struct OpenedClaim {
    /// The canonical pre-request number.
    pub number: String,
    /// ISO finger position asked, or `wire::handover::ANY_FINGER`.
    pub finger: u8,
    /// The nonce, lower-case hex.
    pub nonce: String,
    /// The station, the same inside and outside the seal.
    pub station_id: String,
    /// When the station asked, as it wrote it.
    pub requested_at: String,
    /// The live finger's minutiae.
    pub template: fingerprint::Template,
}

fn malformed(what: impl Into<String>) -> HandoverError {
    HandoverError::Malformed(what.into())
}

impl OpenedClaim {
    /// Checks the signature of `request` with its station's registered key, opens the claim and
    /// reads it.
    pub fn open(
        request: &HandoverRequest,
        keys: &CentralKeys,
        db: &Database,
    ) -> Result<Self, HandoverError> {
        let station_key = db
            .station_key(&request.station_id)?
            .ok_or_else(|| HandoverError::UnknownStation(request.station_id.clone()))?;
        let signature =
            hex::decode(&request.signature).map_err(|_| malformed("signature: not hex"))?;
        if !verify_signature(&station_key, request.signed_string().as_bytes(), &signature) {
            return Err(HandoverError::BadSignature);
        }
        let enc = hex::decode(&request.enc).map_err(|_| malformed("enc: not hex"))?;
        if request.ciphertext.len() > 2 * MAX_CLAIM_BYTES {
            return Err(malformed(format!(
                "ciphertext over {MAX_CLAIM_BYTES} bytes"
            )));
        }
        let ciphertext =
            hex::decode(&request.ciphertext).map_err(|_| malformed("ciphertext: not hex"))?;
        let enc = <X25519HkdfSha256 as hpke::Kem>::EncappedKey::from_bytes(&enc)
            .map_err(|_| HandoverError::CannotOpen)?;
        let plaintext = hpke::single_shot_open::<AesGcm256, HkdfSha256, X25519HkdfSha256>(
            &hpke::OpModeR::Base,
            keys.record_private(),
            &enc,
            wire::handover::HPKE_INFO,
            &ciphertext,
            &wire::handover::sealed_aad(&request.station_id),
        )
        .map(Zeroizing::new)
        .map_err(|_| HandoverError::CannotOpen)?;
        let claim: HandoverClaim =
            serde_json::from_slice(&plaintext).map_err(|e| malformed(format!("claim: {e}")))?;
        let claim = Zeroizing::new(ClaimText(claim));
        Self::read(&claim.0, &request.station_id)
    }

    fn read(claim: &HandoverClaim, signed_by: &str) -> Result<Self, HandoverError> {
        if claim.station_id != signed_by {
            return Err(malformed(
                "the sealed station id is not the one that signed the request",
            ));
        }
        let number =
            normalise(&claim.number).map_err(|e| HandoverError::BadNumber(e.to_string()))?;
        if number != claim.number {
            return Err(HandoverError::BadNumber(
                "not in canonical (upper-case) form".into(),
            ));
        }
        let nonce_ok = claim.nonce.len() == 2 * NONCE_BYTES
            && claim
                .nonce
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
        if !nonce_ok {
            return Err(malformed(format!(
                "nonce: {NONCE_BYTES} bytes as lower-case hex"
            )));
        }
        if claim.finger > 10 {
            return Err(malformed(format!(
                "finger position {} (0 to 10)",
                claim.finger
            )));
        }
        let record = Zeroizing::new(
            hex::decode(&claim.template).map_err(|_| malformed("template: not hex"))?,
        );
        let mut fingers = fingerprint::FingerMinutiaeRecord::parse(&record)
            .map_err(|e| malformed(format!("template: {e}")))?;
        if fingers.len() != 1 {
            return Err(malformed("template: one finger representation expected"));
        }
        let live = fingers.remove(0);
        Ok(Self {
            number,
            finger: claim.finger,
            nonce: claim.nonce.clone(),
            station_id: claim.station_id.clone(),
            requested_at: claim.requested_at.clone(),
            template: live.template,
        })
    }

    /// The request time.
    pub fn requested_at(&self) -> Result<OffsetDateTime, HandoverError> {
        OffsetDateTime::parse(
            &self.requested_at,
            &time::format_description::well_known::Rfc3339,
        )
        .map_err(|_| malformed("requested_at: RFC 3339"))
    }
}

/// The claim as read from JSON, its template's hex wiped when dropped.
struct ClaimText(HandoverClaim);

impl zeroize::Zeroize for ClaimText {
    fn zeroize(&mut self) {
        self.0.template.zeroize();
    }
}
