//! The test station's side of mutual TLS: it enrols through the real enrolment endpoint with a code
//! from the central, and talks to it with its client certificate; the agent of the station enrolled
//! by `start` is kept per central URL, so that the tests keep addressing a central by its URL.

use std::collections::BTreeMap;
use std::net::TcpStream;
use std::sync::{Arc, Mutex};

use rcgen::{CertificateParams, KeyPair, PKCS_ECDSA_P256_SHA256};
use ureq::tls::{Certificate, ClientCert, PrivateKey, RootCerts, TlsConfig};

/// The town hall every test station belongs to.
pub const TOWN_HALL: &str = "69382-02";

/// A station's TLS identity after enrolment.
#[derive(Clone)]
pub struct TlsIdentity {
    pub ca_pem: String,
    pub cert_pem: String,
    pub key_pem: String,
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A ureq agent trusting only `ca_pem`, with a client certificate if given.
pub fn tls_agent(ca_pem: &str, identity: Option<(&str, &str)>) -> ureq::Agent {
    let ca = Certificate::from_pem(ca_pem.as_bytes()).unwrap();
    let client_cert = identity.map(|(cert, key)| {
        ClientCert::new_with_certs(
            &[Certificate::from_pem(cert.as_bytes()).unwrap()],
            PrivateKey::from_pem(key.as_bytes()).unwrap(),
        )
    });
    let tls = TlsConfig::builder()
        .root_certs(RootCerts::Specific(Arc::new(vec![ca])))
        .client_cert(client_cert)
        .unversioned_rustls_crypto_provider(provider())
        .build();
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(std::time::Duration::from_secs(30)))
        .tls_config(tls)
        .build()
        .new_agent()
}

/// A new P-256 key and a CSR for it (PEM).
pub fn key_and_csr() -> (String, String) {
    let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256).unwrap();
    let csr = CertificateParams::default()
        .serialize_request(&key)
        .unwrap()
        .pem()
        .unwrap();
    (key.serialize_pem(), csr)
}

/// POSTs an enrolment to `base`; returns the status and body.
pub fn post_enrolment(
    base: &str,
    ca_pem: &str,
    code: &str,
    csr_pem: &str,
    signing_key: impl Into<wire::sealed::StationPublicKey>,
) -> super::Answer {
    let signing_key = signing_key.into();
    let body = serde_json::to_vec(&wire::provisioning::EnrolRequest {
        code: code.to_owned(),
        csr_pem: csr_pem.to_owned(),
        signing_public_key: signing_key.to_hex(),
        signing_algorithm: Some(signing_key.algorithm),
    })
    .unwrap();
    post_enrolment_body(base, ca_pem, &body)
}

/// POSTs an enrolment request's bytes to `base`, as they are.
pub fn post_enrolment_body(base: &str, ca_pem: &str, body: &[u8]) -> super::Answer {
    let mut response = tls_agent(ca_pem, None)
        .post(&format!("{base}{}", wire::paths::ENROL_ROUTE))
        .header("content-type", "application/json")
        .send(body)
        .expect("HTTPS exchange");
    super::Answer {
        status: response.status().as_u16(),
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

/// Redeems `code` for a station whose record-signing key is `signing_key` (a raw 32-byte key is
/// Ed25519).
pub fn redeem(
    central: &central::RunningCentral,
    code: &str,
    signing_key: impl Into<wire::sealed::StationPublicKey>,
) -> TlsIdentity {
    let (key_pem, csr) = key_and_csr();
    let answer = post_enrolment(&central.url(), central.ca_pem(), code, &csr, signing_key);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let enrolled: wire::provisioning::EnrolAnswer = serde_json::from_str(&answer.body).unwrap();
    TlsIdentity {
        ca_pem: enrolled.ca_pem,
        cert_pem: enrolled.certificate_pem,
        key_pem,
    }
}

/// Enrols station `station_id` (new) and returns its identity.
pub fn enrol(
    central: &central::RunningCentral,
    station_id: &str,
    signing_key: impl Into<wire::sealed::StationPublicKey>,
) -> TlsIdentity {
    let code = central.enrol_station(station_id, TOWN_HALL).unwrap().code;
    redeem(central, &code, signing_key)
}

impl TlsIdentity {
    /// An agent presenting this identity.
    pub fn agent(&self) -> ureq::Agent {
        tls_agent(&self.ca_pem, Some((&self.cert_pem, &self.key_pem)))
    }

    /// A raw TLS stream to `addr` presenting this identity, for hand-written HTTP.
    pub fn stream(
        &self,
        addr: std::net::SocketAddr,
    ) -> rustls::StreamOwned<rustls::ClientConnection, TcpStream> {
        use rustls::pki_types::pem::PemObject;
        use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
        let mut roots = rustls::RootCertStore::empty();
        roots
            .add(CertificateDer::from_pem_slice(self.ca_pem.as_bytes()).unwrap())
            .unwrap();
        let config = rustls::ClientConfig::builder_with_provider(provider())
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_client_auth_cert(
                vec![CertificateDer::from_pem_slice(self.cert_pem.as_bytes()).unwrap()],
                PrivateKeyDer::from_pem_slice(self.key_pem.as_bytes()).unwrap(),
            )
            .unwrap();
        let connection = rustls::ClientConnection::new(
            Arc::new(config),
            ServerName::IpAddress(addr.ip().into()),
        )
        .unwrap();
        rustls::StreamOwned::new(connection, TcpStream::connect(addr).unwrap())
    }
}

/// A raw TLS stream to `addr` trusting `ca_pem` and presenting no client certificate, as an
/// unenrolled client (or an attacker) would.
pub fn anonymous_stream(
    ca_pem: &str,
    addr: std::net::SocketAddr,
) -> rustls::StreamOwned<rustls::ClientConnection, TcpStream> {
    use rustls::pki_types::pem::PemObject;
    use rustls::pki_types::{CertificateDer, ServerName};
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(ca_pem.as_bytes()).unwrap())
        .unwrap();
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_no_client_auth();
    let connection =
        rustls::ClientConnection::new(Arc::new(config), ServerName::IpAddress(addr.ip().into()))
            .unwrap();
    rustls::StreamOwned::new(connection, TcpStream::connect(addr).unwrap())
}

static AGENTS: Mutex<BTreeMap<String, ureq::Agent>> = Mutex::new(BTreeMap::new());

/// Makes `identity` the one used by [`super::put_record`] and [`super::get`] for `base`.
pub fn use_identity(base: &str, identity: &TlsIdentity) {
    AGENTS
        .lock()
        .unwrap()
        .insert(base.to_owned(), identity.agent());
}

/// The agent kept for `base`.
pub fn agent_for(base: &str) -> ureq::Agent {
    AGENTS
        .lock()
        .unwrap()
        .get(base)
        .cloned()
        .unwrap_or_else(|| panic!("no station enrolled for {base}: call common::start"))
}
