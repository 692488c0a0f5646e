//! The handover (remise): the central decides whether the live finger is the applicant's, and the
//! reference templates never leave it.
//!
//! 1. The station extracts the live finger's minutiae and writes a [`HandoverClaim`] (the ISO/IEC
//!    19794-2 record of that one finger, the pre-request number, the finger position, a fresh random
//!    nonce, its station id and the time), seals it to the central's record key with HPKE (the
//!    records' suite, info [`HPKE_INFO`], aad [`sealed_aad`]) and signs [`request_signed_string`]
//!    with its station key: a [`HandoverRequest`], `POST` to [`HANDOVER_ROUTE`](crate::paths::HANDOVER_ROUTE).
//! 2. The central checks the signature, opens the claim, refuses a nonce it has seen, a time out of
//!    its window, and too many attempts; compares with the template it holds; and answers a
//!    [`HandoverDecision`] signed with its receipt key over [`HandoverDecision::canonical_string`].
//! 3. The station checks that signature and every field against what it asked before it shows a
//!    pass.

use serde::{Deserialize, Serialize};

/// HPKE `info` of a sealed claim: distinct from the records', so a claim cannot pass for a record
/// or the reverse.
pub const HPKE_INFO: &[u8] = b"dr-station handover v1";

/// First line of the string a station signs for a request.
pub const REQUEST_DOMAIN: &str = "dr-station handover request v1";

/// First line of the string the central signs for a decision.
pub const DECISION_DOMAIN: &str = "dr-central handover decision v1";

/// Bytes of randomness in a nonce (256 bits, written as 64 lower-case hex digits): far more than
/// any station will ever draw, so two honest requests never share one.
pub const NONCE_BYTES: usize = 32;

/// ISO/IEC 19794 finger position "unknown finger": the clerk did not say which finger the applicant
/// presents, so the central compares it with each enrolled finger and keeps the best.
pub const ANY_FINGER: u8 = 0;

/// The `error` code of the 404 answer when no record with minutiae was received for the number.
pub const NO_TEMPLATES: &str = "no-templates";
/// The `error` code of the 409 answer to a request whose nonce the central has already seen.
pub const REPLAYED: &str = "replayed-request";
/// The `error` code of the 401 answer to a request whose time is out of the central's window.
pub const STALE: &str = "stale-request";
/// The `error` code of the 429 answer when the number or the station has had too many attempts.
pub const TOO_MANY_ATTEMPTS: &str = "too-many-attempts";
/// The `error` code of the 400 answer when the claim does not open or does not read.
pub const CANNOT_OPEN: &str = "cannot-open";

/// Where a file stands for its handover, as the central sees it: asked before any finger is read,
/// so that a number with no file does not take the applicant's finger for nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SubjectState {
    /// No pre-request and no record with this number.
    Unknown,
    /// The pre-request exists but no record for it has arrived yet.
    NotReceived,
    /// The record arrived without fingerprints (a child under 12, fingers that could not be taken):
    /// identity is checked on papers only.
    NoFingerprints,
    /// The record arrived with fingerprints: `fingers` lists them.
    Ready,
}

/// The answer of `GET` [`HANDOVER_SUBJECT_ROUTE`](crate::paths::HANDOVER_SUBJECT_ROUTE). It says
/// which fingers were enrolled, never their templates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoverSubject {
    /// The pre-request number, canonical.
    pub number: String,
    /// Where the file stands.
    pub state: SubjectState,
    /// ISO finger positions enrolled, in the order they were taken (the first is the one to ask
    /// for); empty unless `state` is [`SubjectState::Ready`].
    pub fingers: Vec<u8>,
}

/// What the station seals to the central: JSON, then HPKE. It carries a biometric template, so a
/// side keeping it in memory wipes it after use.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoverClaim {
    /// The pre-request number, canonical (upper case).
    pub number: String,
    /// ISO finger position presented, or [`ANY_FINGER`].
    pub finger: u8,
    /// [`NONCE_BYTES`] random bytes, lower-case hex, drawn for this request only.
    pub nonce: String,
    /// The station that asks (the same as the request's, which its signature covers).
    pub station_id: String,
    /// When the station asked, RFC 3339 UTC.
    pub requested_at: String,
    /// The live finger's ISO/IEC 19794-2:2011 record (one representation), lower-case hex.
    pub template: String,
}

impl std::fmt::Debug for HandoverClaim {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HandoverClaim")
            .field("number", &self.number)
            .field("finger", &self.finger)
            .field("nonce", &self.nonce)
            .field("station_id", &self.station_id)
            .field("requested_at", &self.requested_at)
            .field("template_hex_digits", &self.template.len())
            .finish()
    }
}

/// The body of `POST /v1/handover`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoverRequest {
    /// The registered station id, whose key signed the request.
    pub station_id: String,
    /// HPKE encapsulated key, 64 hex digits.
    pub enc: String,
    /// The sealed [`HandoverClaim`] (AES-256-GCM ciphertext with its tag), hex.
    pub ciphertext: String,
    /// The station's signature over [`request_signed_string`], hex.
    pub signature: String,
}

/// The HPKE aad of a claim: the request domain and the station id, so a claim sealed by one
/// station cannot be put under another's signature.
pub fn sealed_aad(station_id: &str) -> Vec<u8> {
    format!("{REQUEST_DOMAIN}\n{station_id}").into_bytes()
}

/// The string a station signs: [`REQUEST_DOMAIN`] and each field but the signature, `name=value`,
/// each line ending with `\n`.
pub fn request_signed_string(station_id: &str, enc: &str, ciphertext: &str) -> String {
    format!("{REQUEST_DOMAIN}\nstation_id={station_id}\nenc={enc}\nciphertext={ciphertext}\n")
}

impl HandoverRequest {
    /// [`request_signed_string`] of this request.
    pub fn signed_string(&self) -> String {
        request_signed_string(&self.station_id, &self.enc, &self.ciphertext)
    }
}

/// The central's decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Decision {
    /// The live finger is the applicant's: score at or above the threshold.
    Match,
    /// It is not: score below the threshold.
    NoMatch,
}

impl Decision {
    /// The word in the canonical string and the JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Match => "match",
            Self::NoMatch => "no-match",
        }
    }
}

/// The answer to a handover request (200), signed by the central's receipt key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HandoverDecision {
    /// The pre-request number asked.
    pub number: String,
    /// The request's nonce.
    pub nonce: String,
    /// The station that asked.
    pub station_id: String,
    /// The finger position asked (or [`ANY_FINGER`]).
    pub finger: u8,
    /// The enrolled finger the live one was compared with (the best one when any was asked).
    pub compared_finger: u8,
    /// The comparison score, 0–1000.
    pub score: u32,
    /// The threshold the score was held against.
    pub threshold: u32,
    /// The decision.
    pub decision: Decision,
    /// When the central decided, RFC 3339 UTC to the second.
    pub decided_at: String,
    /// Ed25519 by the receipt key over [`Self::canonical_string`], 128 hex digits.
    pub signature: String,
}

impl HandoverDecision {
    /// What the signature covers: [`DECISION_DOMAIN`] and each field but the signature,
    /// `name=value`, each line ending with `\n` (example in `golden/handover_decision_canonical.txt`).
    pub fn canonical_string(&self) -> String {
        format!(
            "{DECISION_DOMAIN}\nnumber={}\nnonce={}\nstation_id={}\nfinger={}\ncompared_finger={}\n\
             score={}\nthreshold={}\ndecision={}\ndecided_at={}\n",
            self.number,
            self.nonce,
            self.station_id,
            self.finger,
            self.compared_finger,
            self.score,
            self.threshold,
            self.decision.as_str(),
            self.decided_at
        )
    }
}
