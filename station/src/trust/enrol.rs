//! `station provision`: the station makes its TLS key, sends a CSR, its record-signing public key
//! and the one-time code to the central over TLS checked against the CA it was given, and stores the
//! certificate it gets back. The code is the station's only proof here; the CA file is the
//! technician's, brought with the code.

use std::path::Path;
use std::time::Duration;

use super::files::write_private;
use super::tls_config::{require_https, server_only};
use super::{ClientKey, TrustError, TrustFiles};

/// What the central said when it enrolled the station.
pub type Provisioned = wire::provisioning::EnrolAnswer;

/// Enrols this station with the central at `central_url` using `code`; `ca_pem_file` is the
/// national CA certificate handed over with the code. On success the CA, the new key and the
/// certificate are in `files` (mode 0600) and the central's answer is returned.
pub fn provision(
    central_url: &str,
    ca_pem_file: &Path,
    code: &str,
    files: &TrustFiles,
    signing_key: &wire::sealed::StationPublicKey,
) -> Result<Provisioned, TrustError> {
    let base = central_url.trim_end_matches('/');
    require_https(base)?;
    let ca_pem = TrustFiles::read(ca_pem_file)?;
    let key = ClientKey::generate(&files.key, files.token.as_ref())?;
    let request = wire::provisioning::EnrolRequest {
        code: code.trim().to_owned(),
        csr_pem: key.csr_pem("station")?,
        signing_public_key: signing_key.to_hex(),
        signing_algorithm: Some(signing_key.algorithm),
    };
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(server_only(ca_pem_file)?)
        .timeout_global(Some(Duration::from_secs(30)))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let answer: Provisioned = match post_json(
        &agent,
        &format!("{base}{}", wire::paths::ENROL_ROUTE),
        &request,
    ) {
        Ok(answer) => answer,
        Err(e) => {
            // A key made in the token for an enrolment that did not go through is removed.
            key.discard();
            return Err(e);
        }
    };
    // The CA given by the technician is the one kept, whatever the answer says: the station trusts
    // what it was handed, not what the network told it.
    write_private(&files.ca, &ca_pem)?;
    // The key this one replaces (a re-enrolment), if it was in the token, goes from it.
    let previous = ClientKey::load(&files.key, files.token.as_ref()).ok();
    key.store()?;
    if let Some(previous) = previous {
        previous.discard();
    }
    write_private(&files.certificate, answer.certificate_pem.as_bytes())?;
    super::validity::record_validity(files, &answer.not_after)?;
    tracing::info!(
        station_id = answer.station_id,
        town_hall = answer.town_hall,
        not_after = answer.not_after,
        "station provisioned"
    );
    Ok(answer)
}

/// POSTs `body` as JSON and reads a JSON answer, turning refusals into [`TrustError::Refused`].
pub(crate) fn post_json<T: serde::de::DeserializeOwned>(
    agent: &ureq::Agent,
    url: &str,
    body: &impl serde::Serialize,
) -> Result<T, TrustError> {
    let bytes = serde_json::to_vec(body).map_err(|e| TrustError::Key(e.to_string()))?;
    let mut response = agent
        .post(url)
        .header("content-type", "application/json")
        .send(&bytes[..])
        .map_err(|e| TrustError::Transport(crate::uplink::http::describe_transport(&e)))?;
    let status = response.status().as_u16();
    let text = response
        .body_mut()
        .with_config()
        .limit(crate::uplink::http::MAX_JSON_ANSWER)
        .read_to_string()
        .map_err(|e| TrustError::Transport(e.to_string()))?;
    if status != 200 {
        let detail = serde_json::from_str::<wire::ErrorBody>(&text)
            .map(|e| format!("{} {}", e.error, e.detail_text()))
            .unwrap_or_else(|_| text.chars().take(200).collect());
        return Err(TrustError::Refused(format!("{status} {detail}")));
    }
    serde_json::from_str(&text).map_err(|e| TrustError::Refused(format!("answer: {e}")))
}

/// Why a station configuration could not be provisioned.
#[derive(Debug, thiserror::Error)]
pub enum ProvisionError {
    /// The TLS side.
    #[error(transparent)]
    Trust(#[from] TrustError),
    /// The station's record-signing identity.
    #[error(transparent)]
    Identity(#[from] crate::seal::SealError),
}

/// Provisions the station described by `config` (its data directory and `central.url`) with
/// `code`: creates its record-signing identity if needed, enrols, and returns the configuration
/// updated with the station id and the central's public keys the central answered with.
pub fn provision_config(
    mut config: crate::config::StationConfig,
    ca_pem_file: &Path,
    code: &str,
) -> Result<(crate::config::StationConfig, Provisioned), ProvisionError> {
    // The key the records will be signed with, whichever `[identity]` names: a token's ECDSA
    // P-256 key, or the development file key (Ed25519, created here at first use).
    let signer = config.signer()?;
    let answer = provision(
        &config.central.url,
        ca_pem_file,
        code,
        &config.trust_files(),
        signer.station_key(),
    )?;
    config.station_id.clone_from(&answer.station_id);
    config
        .central
        .record_public_key
        .clone_from(&answer.record_public_key);
    config
        .central
        .receipt_public_key
        .clone_from(&answer.receipt_public_key);
    Ok((config, answer))
}
