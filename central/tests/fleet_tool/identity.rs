//! A simulated station's identity, made as a real one is: a record-signing key (Ed25519) and a
//! TLS key of its own, a one-time enrolment code issued by the central's operator (here through
//! the same library call as `central stations enrol`), and the certificate the central issues for
//! the station's CSR over `POST /v1/provisioning/enrol`, through the load balancer.

use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use ureq::tls::{Certificate, ClientCert, PrivateKey, RootCerts, TlsConfig};

use super::plan;

/// Hours an enrolment code stays usable: the fleet redeems it at once.
const CODE_HOURS: u32 = 1;
/// Enrolment attempts before the fleet gives up on a station (an anonymous caller is rate-limited).
const ENROL_ATTEMPTS: u32 = 20;
/// A connection kept after a request this long at most: a station talks in short bursts (look-up,
/// announcement and upload) minutes apart, and thousands of idle connections would fill the
/// centrals' connection limit for nothing.
const IDLE_CONNECTION: Duration = Duration::from_secs(2);
/// Longest exchange before the station gives up and retries later.
const EXCHANGE_TIMEOUT: Duration = Duration::from_secs(30);

/// An enrolled simulated station.
pub struct StationIdentity {
    /// Its place in the plan.
    pub index: usize,
    /// Station id.
    pub id: String,
    /// Record-signing key.
    pub signing: Ed25519KeyPair,
    /// HTTPS agent presenting the station's certificate, trusting only the national CA.
    pub agent: ureq::Agent,
    /// The central's HPKE public key, as provisioning gave it.
    pub record_public_key: [u8; 32],
    /// The central's receipt-signing public key, as provisioning gave it.
    pub receipt_public_key: [u8; 32],
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// An agent trusting `ca_pem`, presenting `(certificate, key)` when given.
pub fn agent(ca_pem: &str, identity: Option<(&str, &str)>) -> anyhow::Result<ureq::Agent> {
    let ca = Certificate::from_pem(ca_pem.as_bytes()).context("national CA")?;
    let client_cert = match identity {
        Some((cert, key)) => Some(ClientCert::new_with_certs(
            &[Certificate::from_pem(cert.as_bytes()).context("station certificate")?],
            PrivateKey::from_pem(key.as_bytes()).context("station TLS key")?,
        )),
        None => None,
    };
    let tls = TlsConfig::builder()
        .root_certs(RootCerts::Specific(Arc::new(vec![ca])))
        .client_cert(client_cert)
        .unversioned_rustls_crypto_provider(provider())
        .build();
    Ok(ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(EXCHANGE_TIMEOUT))
        .max_idle_connections_per_host(1)
        .max_idle_age(IDLE_CONNECTION)
        .tls_config(tls)
        .build()
        .new_agent())
}

fn hex32(text: &str, what: &str) -> anyhow::Result<[u8; 32]> {
    let bytes = hex::decode(text).with_context(|| format!("{what} is not hex"))?;
    bytes
        .try_into()
        .map_err(|_| anyhow::anyhow!("{what} is not 32 bytes"))
}

/// Enrols station `index` of the plan through `base`: code from `db`, CSR answered with a
/// certificate. Retries what a technician would retry (a refused connection, 429, 5xx).
pub fn enrol(
    index: usize,
    base: &str,
    ca_pem: &str,
    db: &central::storage::Database,
) -> anyhow::Result<StationIdentity> {
    let id = plan::station_id(index);
    let town_hall = plan::town_hall(index);
    let rng = SystemRandom::new();
    let pkcs8 =
        Ed25519KeyPair::generate_pkcs8(&rng).map_err(|_| anyhow::anyhow!("key generation"))?;
    let signing =
        Ed25519KeyPair::from_pkcs8(pkcs8.as_ref()).map_err(|_| anyhow::anyhow!("signing key"))?;
    let tls_key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256)?;
    let csr_pem = rcgen::CertificateParams::default()
        .serialize_request(&tls_key)?
        .pem()?;
    let public: [u8; 32] = signing
        .public_key()
        .as_ref()
        .try_into()
        .context("Ed25519 public key")?;
    let signing_key = wire::sealed::StationPublicKey::from(public);
    let code = central::enrolment::enrol(db, &id, &town_hall, CODE_HOURS)
        .with_context(|| format!("enrolment code for {id}"))?
        .code;
    let body = serde_json::to_vec(&wire::provisioning::EnrolRequest {
        code,
        csr_pem,
        signing_public_key: signing_key.to_hex(),
        signing_algorithm: Some(signing_key.algorithm),
    })?;
    let anonymous = agent(ca_pem, None)?;
    let url = format!("{base}{}", wire::paths::ENROL_ROUTE);
    let mut last = String::new();
    for attempt in 0..ENROL_ATTEMPTS {
        if attempt > 0 {
            std::thread::sleep(Duration::from_millis(200 * u64::from(attempt.min(10))));
        }
        let mut response = match anonymous
            .post(&url)
            .header("content-type", "application/json")
            .send(&body[..])
        {
            Ok(r) => r,
            Err(e) => {
                last = e.to_string();
                continue;
            }
        };
        let status = response.status().as_u16();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        if status == 429 || status >= 500 {
            last = format!("{status} {text}");
            continue;
        }
        if status != 200 {
            bail!("enrolment of {id} refused: {status} {text}");
        }
        let answer: wire::provisioning::EnrolAnswer =
            serde_json::from_str(&text).context("enrolment answer")?;
        let key_pem = tls_key.serialize_pem();
        return Ok(StationIdentity {
            index,
            agent: agent(&answer.ca_pem, Some((&answer.certificate_pem, &key_pem)))?,
            record_public_key: hex32(&answer.record_public_key, "record public key")?,
            receipt_public_key: hex32(&answer.receipt_public_key, "receipt public key")?,
            id,
            signing,
        });
    }
    bail!("enrolment of {id} failed {ENROL_ATTEMPTS} times, last: {last}")
}
