//! The station's TLS client key (ECDSA P-256), made on the station and never sent anywhere: only
//! a CSR for it is. Kept for now as a 0600 PEM file under `keys/`; everything that loads or uses
//! the key goes through this type, so that the key can move into a hardware token without the
//! callers changing.

use std::path::{Path, PathBuf};

use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, PKCS_ECDSA_P256_SHA256};
use zeroize::Zeroizing;

use super::TrustError;
use super::files::{TrustFiles, write_private};

/// The station's TLS client key.
pub struct ClientKey {
    key: KeyPair,
    path: PathBuf,
}

impl std::fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientKey")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl ClientKey {
    /// A new key, not yet stored (it is stored once the central has certified it).
    pub fn generate(path: &Path) -> Result<Self, TrustError> {
        let key = KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)
            .map_err(|e| TrustError::Key(e.to_string()))?;
        Ok(Self {
            key,
            path: path.to_path_buf(),
        })
    }

    /// Loads the stored key.
    pub fn load(path: &Path) -> Result<Self, TrustError> {
        let pem = Zeroizing::new(TrustFiles::read(path)?);
        let text = std::str::from_utf8(&pem).map_err(|e| TrustError::Invalid {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        let key = KeyPair::from_pem(text).map_err(|e| TrustError::Invalid {
            path: path.to_path_buf(),
            reason: e.to_string(),
        })?;
        Ok(Self {
            key,
            path: path.to_path_buf(),
        })
    }

    /// Stores the key (mode 0600).
    pub fn store(&self) -> Result<(), TrustError> {
        let pem = Zeroizing::new(self.key.serialize_pem());
        write_private(&self.path, pem.as_bytes())
    }

    /// A PKCS#10 certificate signing request for this key (PEM); the central puts the station id
    /// in the certificate whatever the request names.
    pub fn csr_pem(&self, station_hint: &str) -> Result<String, TrustError> {
        let mut params = CertificateParams::default();
        let mut name = DistinguishedName::new();
        name.push(DnType::CommonName, station_hint);
        params.distinguished_name = name;
        params
            .serialize_request(&self.key)
            .and_then(|csr| csr.pem())
            .map_err(|e| TrustError::Key(e.to_string()))
    }

    /// The key as the TLS client presents it.
    pub fn tls_private_key(&self) -> Result<ureq::tls::PrivateKey<'static>, TrustError> {
        let pem = Zeroizing::new(self.key.serialize_pem());
        ureq::tls::PrivateKey::from_pem(pem.as_bytes()).map_err(|e| TrustError::Invalid {
            path: self.path.clone(),
            reason: e.to_string(),
        })
    }
}
