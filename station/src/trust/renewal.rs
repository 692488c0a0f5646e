//! Renewing the client certificate before it expires: when less than a third of its validity is
//! left, the station makes a new key and sends a CSR over its current certificate; the central
//! answers with a new certificate and refuses the old one from then on.

use std::time::Duration;

use time::OffsetDateTime;

use super::enrol::{Provisioned, post_json};
use super::files::write_private;
use super::tls_config::require_https;
use super::validity::{is_due, record_validity};
use super::{ClientKey, TrustError, TrustFiles, tls_config};

/// Renews the certificate now: new key, CSR over the current certificate, new files stored.
pub fn renew(central_url: &str, files: &TrustFiles) -> Result<Provisioned, TrustError> {
    let base = central_url.trim_end_matches('/');
    require_https(base)?;
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .tls_config(tls_config(files)?)
        // At the desk's start: a central out of reach must not hold the clerk up for long.
        .timeout_connect(Some(Duration::from_secs(2)))
        .timeout_global(Some(Duration::from_secs(10)))
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let key = ClientKey::generate(&files.key, files.token.as_ref())?;
    let request = wire::provisioning::RenewRequest {
        csr_pem: key.csr_pem("station")?,
    };
    let answer: Provisioned = match post_json(
        &agent,
        &format!("{base}{}", wire::paths::RENEW_ROUTE),
        &request,
    ) {
        Ok(answer) => answer,
        Err(e) => {
            key.discard();
            return Err(e);
        }
    };
    let previous = ClientKey::load(&files.key, files.token.as_ref()).ok();
    // Key first, then certificate: a crash between the two leaves a pair that does not match,
    // which the central refuses, and the station is re-keyed with a code, as after a lost key.
    key.store()?;
    write_private(&files.certificate, answer.certificate_pem.as_bytes())?;
    record_validity(files, &answer.not_after)?;
    if let Some(previous) = previous {
        previous.discard();
    }
    tracing::info!(not_after = answer.not_after, "station certificate renewed");
    Ok(answer)
}

/// Renews if due; a failure is logged and the current certificate kept (it is still valid).
pub fn renew_if_due(central_url: &str, files: &TrustFiles) {
    if !is_due(files, OffsetDateTime::now_utc()) && !key_leaves_a_file(files) {
        return;
    }
    if let Err(e) = renew(central_url, files) {
        tracing::warn!(error = %e, "certificate renewal failed; will try again");
    }
}

/// Whether the station's TLS key is still a file although the station key is in a token (a
/// station moved to a token): renewing makes the new key in the token.
fn key_leaves_a_file(files: &TrustFiles) -> bool {
    files.token.is_some()
        && std::fs::read(&files.key)
            .is_ok_and(|bytes| !bytes.starts_with(super::token_key::REFERENCE_PREFIX.as_bytes()))
}
