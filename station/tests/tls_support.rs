//! Trust for tests whose station talks to a stand-in rather than a central: a national CA made
//! with the central's own code, a server certificate from it for 127.0.0.1, and a station whose
//! trust files hold that CA and a client certificate from it.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::net::TcpStream;
use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use station::trust::{ClientKey, TrustFiles};

/// A server stream after its handshake.
pub type ServerStream = rustls::StreamOwned<rustls::ServerConnection, TcpStream>;

/// Makes the CA under `dir/ca` and a provisioned station's trust files under `dir/station`;
/// returns the station's files and a server configuration the station trusts.
pub fn test_trust(dir: &Path) -> (TrustFiles, Arc<rustls::ServerConfig>) {
    let ca = central::trust::NationalCa::load_or_create(&dir.join("ca")).unwrap();
    let files = TrustFiles::under(&dir.join("station"));
    let key = ClientKey::generate(&files.key, None).unwrap();
    key.store().unwrap();
    let issued = ca
        .issue_station(
            &key.csr_pem("test").unwrap(),
            "mairie-test-01-p1",
            "69382-02",
            time::Duration::days(1),
        )
        .unwrap();
    std::fs::write(&files.ca, ca.cert_pem()).unwrap();
    std::fs::write(&files.certificate, issued.pem).unwrap();
    let (cert, key) = ca.server_certificate(&["127.0.0.1".to_owned()]).unwrap();
    let server = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(
        vec![CertificateDer::from_pem_slice(cert.as_bytes()).unwrap()],
        PrivateKeyDer::from_pem_slice(key.as_bytes()).unwrap(),
    )
    .unwrap();
    (files, Arc::new(server))
}

/// Completes the server side of a handshake.
pub fn accept(tcp: TcpStream, config: &Arc<rustls::ServerConfig>) -> ServerStream {
    let mut stream =
        rustls::StreamOwned::new(rustls::ServerConnection::new(config.clone()).unwrap(), tcp);
    while stream.conn.is_handshaking() {
        stream.conn.complete_io(&mut stream.sock).unwrap();
    }
    stream
}
