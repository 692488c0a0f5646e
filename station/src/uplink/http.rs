//! The HTTPS client to the central (ureq 3, rustls on ring): mutual TLS with the station's
//! certificate, only the provisioned national CA trusted, `http://` refused; short timeouts, no
//! redirects, bodies read with size limits, every status handled by us.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use wire::ErrorBody;

use super::UplinkError;
use crate::trust::{TrustFiles, tls_config};

/// Largest JSON answer we read (receipts, statuses, pre-requests are a few hundred bytes).
pub const MAX_JSON_ANSWER: u64 = 64 * 1024;

/// Timeouts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HttpSettings {
    /// TCP (and TLS) connection, ms.
    pub connect_timeout_ms: u64,
    /// Whole pre-request call, ms (integrators of the ANTS API use 4 s).
    pub lookup_timeout_ms: u64,
    /// Whole upload call, ms.
    pub upload_timeout_ms: u64,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            connect_timeout_ms: 2_000,
            lookup_timeout_ms: 4_000,
            upload_timeout_ms: 30_000,
        }
    }
}

/// A client for one central.
#[derive(Debug, Clone)]
pub struct CentralClient {
    pub(crate) base_url: String,
    pub(crate) token: String,
    /// The agents, or why there are none (not https, station not provisioned): every request then
    /// fails with that reason, so that building a client never fails and the reason is shown where
    /// the central is needed.
    agents: Result<(ureq::Agent, ureq::Agent), String>,
}

fn agent(connect_ms: u64, total_ms: u64, tls: &ureq::tls::TlsConfig) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_connect(Some(Duration::from_millis(connect_ms)))
        .timeout_global(Some(Duration::from_millis(total_ms)))
        .http_status_as_error(false)
        .max_redirects(0)
        .tls_config(tls.clone())
        .build()
        .into()
}

/// The TLS error under a ureq error, whether ureq reports it directly or inside an I/O error.
fn tls_error(error: &ureq::Error) -> Option<&rustls::Error> {
    match error {
        ureq::Error::Rustls(e) => Some(e),
        ureq::Error::Io(e) => e.get_ref()?.downcast_ref::<rustls::Error>(),
        _ => None,
    }
}

/// A transport failure in words a technician can act on: a central that does not prove itself
/// with the provisioned CA (a proxy or another server in the way) is named as such.
pub fn describe_transport(error: &ureq::Error) -> String {
    match tls_error(error) {
        Some(rustls::Error::InvalidCertificate(reason)) => format!(
            "the server did not prove itself as the national service (its certificate is not from \
             the CA this station was provisioned with: {reason:?}); a proxy or another server may be \
             in the way"
        ),
        Some(rustls::Error::AlertReceived(alert)) => format!(
            "the central refused this station's TLS certificate ({alert:?}): is the station \
             provisioned with this central?"
        ),
        _ => error.to_string(),
    }
}

pub(crate) fn transport(error: ureq::Error) -> UplinkError {
    match tls_error(&error) {
        Some(rustls::Error::InvalidCertificate(_)) => {
            UplinkError::UntrustedCentral(describe_transport(&error))
        }
        _ => UplinkError::Transport(describe_transport(&error)),
    }
}

impl CentralClient {
    /// A client for the central at `base_url` (`https://host:port`), with the station's trust
    /// files and the pre-request token (the ANTS header, not the station's authentication).
    pub fn new(base_url: &str, token: &str, settings: HttpSettings, trust: &TrustFiles) -> Self {
        let base_url = base_url.trim_end_matches('/').to_owned();
        let agents = crate::trust::tls_config::require_https(&base_url)
            .and_then(|()| tls_config(trust))
            .map(|tls| {
                (
                    agent(
                        settings.connect_timeout_ms,
                        settings.lookup_timeout_ms,
                        &tls,
                    ),
                    agent(
                        settings.connect_timeout_ms,
                        settings.upload_timeout_ms,
                        &tls,
                    ),
                )
            })
            .map_err(|e| e.to_string());
        if let Err(reason) = &agents {
            tracing::warn!(
                central = base_url,
                reason,
                "no usable connection to the central"
            );
        }
        Self {
            base_url,
            token: token.to_owned(),
            agents,
        }
    }

    fn lookup(&self) -> Result<&ureq::Agent, UplinkError> {
        self.agents
            .as_ref()
            .map(|(lookup, _)| lookup)
            .map_err(|reason| UplinkError::Trust(reason.clone()))
    }

    fn upload(&self) -> Result<&ureq::Agent, UplinkError> {
        self.agents
            .as_ref()
            .map(|(_, upload)| upload)
            .map_err(|reason| UplinkError::Trust(reason.clone()))
    }

    /// `PUT /v1/records/{record_id}`; returns the 200 answer's body (the receipt, not yet checked).
    pub fn put_record(&self, record_id: &str, sealed: &[u8]) -> Result<Vec<u8>, UplinkError> {
        self.put_record_with_checkpoint(record_id, sealed, None)
    }

    /// `PUT /v1/records/{record_id}` carrying the station's latest audit checkpoint.
    pub fn put_record_with_checkpoint(
        &self,
        record_id: &str,
        sealed: &[u8],
        checkpoint: Option<&wire::audit_checkpoint::AuditCheckpoint>,
    ) -> Result<Vec<u8>, UplinkError> {
        let url = format!("{}{}", self.base_url, wire::paths::record(record_id));
        let mut request = self
            .upload()?
            .put(&url)
            .header("content-type", "application/octet-stream");
        if let Some(checkpoint) = checkpoint {
            request = request.header(wire::headers::AUDIT_CHECKPOINT, checkpoint.to_header());
        }
        let response = request.send(sealed).map_err(transport)?;
        read_answer(response)
    }

    /// `POST /v1/announcements`; returns the 200 answer's body.
    pub fn post_announcements(&self, batch_json: &[u8]) -> Result<Vec<u8>, UplinkError> {
        let url = format!("{}{}", self.base_url, wire::paths::ANNOUNCEMENTS_ROUTE);
        let response = self
            .upload()?
            .post(&url)
            .header("content-type", "application/json")
            .send(batch_json)
            .map_err(transport)?;
        read_answer(response)
    }

    /// `GET /v1/health`: whether the national service answers, and answers as itself.
    pub fn health(&self) -> Result<(), UplinkError> {
        let body = self.get_json(wire::paths::HEALTH_ROUTE)?;
        let answer: serde_json::Value = serde_json::from_slice(&body)
            .map_err(|e| UplinkError::Malformed(format!("health answer: {e}")))?;
        if answer.get("status").and_then(|s| s.as_str()) == Some("ok") {
            Ok(())
        } else {
            Err(UplinkError::Malformed(format!("health answer: {answer}")))
        }
    }

    /// `POST /v1/handover` with a sealed and signed handover request, over the station's
    /// certificate; returns the 200 body (the decision, not yet checked). A comparison on the
    /// central takes a few milliseconds, so the lookup's timeout serves.
    pub fn post_handover(&self, request_json: &[u8]) -> Result<Vec<u8>, UplinkError> {
        let url = format!("{}{}", self.base_url, wire::paths::HANDOVER_ROUTE);
        let response = self
            .lookup()?
            .post(&url)
            .header("content-type", "application/json")
            .send(request_json)
            .map_err(transport)?;
        read_answer(response)
    }

    /// A GET (with the ANTS token when one is configured); returns the 200 body.
    pub(crate) fn get_json(&self, path_and_query: &str) -> Result<Vec<u8>, UplinkError> {
        let url = format!("{}{path_and_query}", self.base_url);
        let mut request = self.lookup()?.get(&url);
        // Only for a central that also checks the ANTS header; the certificate authenticates.
        if !self.token.is_empty() {
            request = request.header(wire::headers::TOKEN, &self.token);
        }
        let response = request.call().map_err(transport)?;
        read_answer(response)
    }
}

fn read_answer(mut response: ureq::http::Response<ureq::Body>) -> Result<Vec<u8>, UplinkError> {
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .with_config()
        .limit(MAX_JSON_ANSWER)
        .read_to_vec()
        .map_err(|e| match e {
            ureq::Error::BodyExceedsLimit(_) => {
                UplinkError::Malformed(format!("answer over {MAX_JSON_ANSWER} bytes"))
            }
            other => UplinkError::Transport(other.to_string()),
        });
    if status == 200 {
        return body;
    }
    let body = body.unwrap_or_default();
    if status == 401 {
        // The ANTS-shaped 401 on lookups; on intake our JSON error says which (station or token).
        if let Ok(e) = serde_json::from_slice::<ErrorBody>(&body)
            && !e.error.is_empty()
        {
            return Err(UplinkError::Status {
                status,
                detail: e.detail_text(),
                code: e.error,
            });
        }
        return Err(UplinkError::Unauthorized);
    }
    let (code, detail) = match serde_json::from_slice::<ErrorBody>(&body) {
        Ok(e) => {
            let detail = e.detail_text();
            (e.error, detail)
        }
        Err(_) => (
            String::new(),
            String::from_utf8_lossy(&body[..body.len().min(200)]).into_owned(),
        ),
    };
    Err(UplinkError::Status {
        status,
        code,
        detail,
    })
}
