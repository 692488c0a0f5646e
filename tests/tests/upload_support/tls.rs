//! TLS for the test stand-ins between a station and its central (the fault-injecting proxy, the
//! scripted server): they present a server certificate from the central's own CA, as a load
//! balancer in front of the central would, and the proxy goes on to the central with the station's
//! own certificate, so that the central still sees the station.
#![allow(clippy::unwrap_used)]

use std::net::{SocketAddr, TcpStream};
use std::path::Path;
use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use rustls::{ClientConnection, ServerConnection, StreamOwned};
use station::trust::TrustFiles;

pub type ServerStream = StreamOwned<ServerConnection, TcpStream>;
pub type ClientStream = StreamOwned<ClientConnection, TcpStream>;

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

/// A server configuration with a certificate for 127.0.0.1 from the CA of the central whose data
/// directory is `central_dir`.
pub fn server_config(central_dir: &Path) -> Arc<rustls::ServerConfig> {
    let ca = central::trust::NationalCa::load_or_create(central_dir).unwrap();
    let (cert, key) = ca.server_certificate(&["127.0.0.1".to_owned()]).unwrap();
    let config = rustls::ServerConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![CertificateDer::from_pem_slice(cert.as_bytes()).unwrap()],
            PrivateKeyDer::from_pem_slice(key.as_bytes()).unwrap(),
        )
        .unwrap();
    Arc::new(config)
}

/// A client configuration presenting the station's certificate under `station_dir`, trusting its
/// CA; `None` while the station is not provisioned.
pub fn station_client_config(station_dir: &Path) -> Option<Arc<rustls::ClientConfig>> {
    let files = TrustFiles::under(station_dir);
    let ca = std::fs::read(&files.ca).ok()?;
    let cert = std::fs::read(&files.certificate).ok()?;
    let key = std::fs::read(&files.key).ok()?;
    let mut roots = rustls::RootCertStore::empty();
    roots.add(CertificateDer::from_pem_slice(&ca).ok()?).ok()?;
    let config = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .ok()?
        .with_root_certificates(roots)
        .with_client_auth_cert(
            vec![CertificateDer::from_pem_slice(&cert).ok()?],
            PrivateKeyDer::from_pem_slice(&key).ok()?,
        )
        .ok()?;
    Some(Arc::new(config))
}

/// Completes a server-side handshake on an accepted connection.
pub fn accept(tcp: TcpStream, config: &Arc<rustls::ServerConfig>) -> Option<ServerStream> {
    let mut stream = StreamOwned::new(ServerConnection::new(config.clone()).ok()?, tcp);
    while stream.conn.is_handshaking() {
        stream.conn.complete_io(&mut stream.sock).ok()?;
    }
    Some(stream)
}

/// Connects to `addr` and completes a client-side handshake.
pub fn connect(addr: SocketAddr, config: &Arc<rustls::ClientConfig>) -> Option<ClientStream> {
    let name = ServerName::IpAddress(addr.ip().into());
    let tcp = TcpStream::connect(addr).ok()?;
    let mut stream = StreamOwned::new(ClientConnection::new(config.clone(), name).ok()?, tcp);
    while stream.conn.is_handshaking() {
        stream.conn.complete_io(&mut stream.sock).ok()?;
    }
    Some(stream)
}
