//! Provisioning a station (docs/central-api.md, "Provisioning a station"): the station sends its
//! enrolment code, a certificate signing request for its TLS key and its record-signing public key;
//! the central answers with the station's certificate and the national CA.

use serde::{Deserialize, Serialize};

/// `POST /v1/provisioning/enrol`: what the station sends, over server-authenticated TLS.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolRequest {
    /// The one-time enrolment code given by `central stations enrol`.
    pub code: String,
    /// PKCS#10 certificate signing request for the station's TLS key (PEM, ECDSA P-256).
    pub csr_pem: String,
    /// The station's record-signing public key in hex: 64 digits for Ed25519, 130 for the
    /// uncompressed ECDSA P-256 point of a key in a token.
    pub signing_public_key: String,
    /// The algorithm of `signing_public_key`. Absent from requests of stations built before keys
    /// had algorithms, which were all Ed25519: left out when `None`, so that those requests read
    /// back unchanged. New stations always name it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signing_algorithm: Option<crate::sealed::SignatureAlgorithm>,
}

impl EnrolRequest {
    /// The algorithm of the signing key: as named, or Ed25519 for a request that names none.
    pub fn signing_algorithm(&self) -> crate::sealed::SignatureAlgorithm {
        self.signing_algorithm
            .unwrap_or(crate::sealed::SignatureAlgorithm::Ed25519)
    }

    /// The signing key with its algorithm, checked for the algorithm's length and form.
    pub fn signing_key(
        &self,
    ) -> Result<crate::sealed::StationPublicKey, crate::sealed::BadPublicKey> {
        crate::sealed::StationPublicKey::from_hex(
            self.signing_algorithm(),
            &self.signing_public_key,
        )
    }
}

/// The central's answer to a good enrolment (200).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnrolAnswer {
    /// The station id the code was bound to (the station writes it into its configuration).
    pub station_id: String,
    /// The town hall the code was bound to (ANTS `meeting_point_id`).
    pub town_hall: String,
    /// The station's client certificate (PEM), issued by the national CA.
    pub certificate_pem: String,
    /// The national CA certificate (PEM).
    pub ca_pem: String,
    /// When the certificate stops being valid (RFC 3339).
    pub not_after: String,
    /// The central's HPKE X25519 public key records are sealed to, 64 hex digits.
    pub record_public_key: String,
    /// The central's Ed25519 receipt public key, 64 hex digits.
    pub receipt_public_key: String,
}

/// `POST /v1/certificate/renew`: a new CSR, sent over the station's current (still valid) client
/// certificate; the answer is an [`EnrolAnswer`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RenewRequest {
    /// PKCS#10 certificate signing request for the station's new TLS key (PEM, ECDSA P-256).
    pub csr_pem: String,
}
