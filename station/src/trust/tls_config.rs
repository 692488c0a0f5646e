//! The TLS configuration of every connection to the central: rustls on ring, trusting only the
//! national CA the station was provisioned with (no public web roots: a certificate from any other
//! issuer, such as an intercepting proxy's, is refused), and presenting the station's client
//! certificate when it has one.

use std::sync::Arc;

use ureq::tls::{Certificate, ClientCert, RootCerts, TlsConfig};

use super::{ClientKey, TrustError, TrustFiles};

fn certificates(path: &std::path::Path) -> Result<Vec<Certificate<'static>>, TrustError> {
    let pem = TrustFiles::read(path)?;
    let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(&pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => Some(Ok(c)),
            Ok(_) => None,
            Err(e) => Some(Err(e)),
        })
        .collect::<Result<_, _>>()
        .map_err(|e| TrustError::Invalid {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
    if certs.is_empty() {
        return Err(TrustError::Invalid {
            path: path.to_path_buf(),
            reason: "no certificate in it".into(),
        });
    }
    Ok(certs)
}

fn builder(
    files: &TrustFiles,
    provider: Arc<rustls::crypto::CryptoProvider>,
) -> Result<ureq::tls::TlsConfigBuilder, TrustError> {
    Ok(TlsConfig::builder()
        .root_certs(RootCerts::Specific(Arc::new(certificates(&files.ca)?)))
        .unversioned_rustls_crypto_provider(provider))
}

/// Refuses anything but `https://`.
pub fn require_https(url: &str) -> Result<(), TrustError> {
    if url
        .get(..8)
        .is_some_and(|scheme| scheme.eq_ignore_ascii_case("https://"))
    {
        Ok(())
    } else {
        Err(TrustError::NotHttps(url.to_owned()))
    }
}

/// The configuration of a provisioned station: CA, client certificate and key (signing in its
/// token, when it is in one).
pub fn tls_config(files: &TrustFiles) -> Result<TlsConfig, TrustError> {
    let chain = certificates(&files.certificate)?;
    let key = ClientKey::load(&files.key, files.token.as_ref())?;
    Ok(builder(files, key.crypto_provider())?
        .client_cert(Some(ClientCert::new_with_certs(
            &chain,
            key.tls_private_key()?,
        )))
        .build())
}

/// The configuration used to enrol: the CA only (the enrolment code is the station's proof).
pub fn server_only(ca: &std::path::Path) -> Result<TlsConfig, TrustError> {
    let files = TrustFiles {
        ca: ca.to_path_buf(),
        certificate: Default::default(),
        key: Default::default(),
        token: None,
    };
    Ok(builder(&files, Arc::new(rustls::crypto::ring::default_provider()))?.build())
}
