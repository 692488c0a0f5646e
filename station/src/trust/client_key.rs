//! The station's TLS client key (ECDSA P-256), made on the station and never sent anywhere: only
//! a CSR for it is. In production it is made in the station's token (`token_key.rs`) and the key
//! file under `keys/` holds only its label; in development (`[identity] kind = "file"`) it is a
//! 0600 PEM file. Everything that loads or uses the key goes through this type.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

use rcgen::{CertificateParams, DistinguishedName, DnType, KeyPair, PKCS_ECDSA_P256_SHA256};
use rustls::crypto::CryptoProvider;
use zeroize::Zeroizing;

use super::TrustError;
use super::files::{TrustFiles, write_private};
use super::token_key::{self, CsrKey, PLACEHOLDER_PEM, REFERENCE_PREFIX};
use crate::seal::{TokenKey, TokenSettings};

/// The station's TLS client key.
pub struct ClientKey {
    kind: Kind,
    path: PathBuf,
}

enum Kind {
    /// Development: the key in memory, from a PEM file.
    File(KeyPair),
    /// The key in the token, by its label.
    Token {
        key: Arc<TokenKey>,
        provider: Arc<CryptoProvider>,
        settings: TokenSettings,
        label: String,
    },
}

impl std::fmt::Debug for ClientKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut out = f.debug_struct("ClientKey");
        out.field("path", &self.path);
        if let Kind::Token { label, .. } = &self.kind {
            out.field("token_key", label);
        }
        out.finish_non_exhaustive()
    }
}

fn token_error(e: crate::seal::TokenError) -> TrustError {
    TrustError::Key(e.to_string())
}

impl ClientKey {
    /// A new key, not yet stored (it is stored once the central has certified it): in the token
    /// when one is given, under a label of its own (a renewal makes a new pair beside the old).
    pub fn generate(path: &Path, token: Option<&TokenSettings>) -> Result<Self, TrustError> {
        let kind = match token {
            None => Kind::File(
                KeyPair::generate_for(&PKCS_ECDSA_P256_SHA256)
                    .map_err(|e| TrustError::Key(e.to_string()))?,
            ),
            Some(settings) => {
                let mut suffix = [0u8; 6];
                ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut suffix)
                    .map_err(|_| TrustError::Key("system random generator failed".into()))?;
                let label = format!("{}.tls.{}", settings.key_label, hex::encode(suffix));
                TokenKey::create(&TokenSettings {
                    key_label: label.clone(),
                    ..settings.clone()
                })
                .map_err(token_error)?;
                let (key, provider) = token_key::open(settings, &label).map_err(token_error)?;
                Kind::Token {
                    key,
                    provider,
                    settings: settings.clone(),
                    label,
                }
            }
        };
        Ok(Self {
            kind,
            path: path.to_path_buf(),
        })
    }

    /// Loads the stored key: the token's key the file names, or a development PEM key.
    pub fn load(path: &Path, token: Option<&TokenSettings>) -> Result<Self, TrustError> {
        let bytes = Zeroizing::new(TrustFiles::read(path)?);
        let invalid = |reason: String| TrustError::Invalid {
            path: path.to_path_buf(),
            reason,
        };
        let text = std::str::from_utf8(&bytes).map_err(|e| invalid(e.to_string()))?;
        if let Some(label) = text.trim().strip_prefix(REFERENCE_PREFIX) {
            let settings = token.ok_or_else(|| {
                invalid("the TLS key is in a PKCS#11 token but [identity] names none".into())
            })?;
            let (key, provider) = token_key::open(settings, label).map_err(token_error)?;
            return Ok(Self {
                kind: Kind::Token {
                    key,
                    provider,
                    settings: settings.clone(),
                    label: label.to_owned(),
                },
                path: path.to_path_buf(),
            });
        }
        let key = KeyPair::from_pem(text).map_err(|e| invalid(e.to_string()))?;
        if token.is_some() {
            // A station moved to a token keeps its file key until the next renewal, which makes
            // the new key in the token (`renewal::renew_if_due` renews it at the next start).
            tracing::warn!(path = %path.display(), "the TLS client key is still a file: it moves into the token at the next renewal");
        }
        Ok(Self {
            kind: Kind::File(key),
            path: path.to_path_buf(),
        })
    }

    /// Whether the key is in a token.
    pub fn is_in_token(&self) -> bool {
        matches!(self.kind, Kind::Token { .. })
    }

    /// Stores the key (mode 0600): the PEM of a development key, the label of a token key.
    pub fn store(&self) -> Result<(), TrustError> {
        let text = Zeroizing::new(match &self.kind {
            Kind::File(key) => key.serialize_pem(),
            Kind::Token { label, .. } => format!("{REFERENCE_PREFIX}{label}\n"),
        });
        write_private(&self.path, text.as_bytes())
    }

    /// Removes a token key from its token (after a renewal replaced it, or an enrolment that did
    /// not go through). Nothing to do for a file key: its file is overwritten.
    pub fn discard(self) {
        if let Kind::Token {
            settings, label, ..
        } = self.kind
        {
            let settings = TokenSettings {
                key_label: label.clone(),
                ..settings
            };
            if let Err(e) = TokenKey::destroy(&settings) {
                tracing::warn!(error = %e, key = label, "old TLS key left in the token");
            }
        }
    }

    /// A PKCS#10 certificate signing request for this key (PEM); the central puts the station id
    /// in the certificate whatever the request names.
    pub fn csr_pem(&self, station_hint: &str) -> Result<String, TrustError> {
        let mut params = CertificateParams::default();
        let mut name = DistinguishedName::new();
        name.push(DnType::CommonName, station_hint);
        params.distinguished_name = name;
        match &self.kind {
            Kind::File(key) => params.serialize_request(key),
            Kind::Token { key, .. } => params.serialize_request(&CsrKey(key)),
        }
        .and_then(|csr| csr.pem())
        .map_err(|e| TrustError::Key(e.to_string()))
    }

    /// The key as the TLS client presents it (for a token key, a placeholder that
    /// [`ClientKey::crypto_provider`]'s key loader answers with the token's key).
    pub fn tls_private_key(&self) -> Result<ureq::tls::PrivateKey<'static>, TrustError> {
        let pem = Zeroizing::new(match &self.kind {
            Kind::File(key) => key.serialize_pem(),
            Kind::Token { .. } => PLACEHOLDER_PEM.to_owned(),
        });
        ureq::tls::PrivateKey::from_pem(pem.as_bytes()).map_err(|e| TrustError::Invalid {
            path: self.path.clone(),
            reason: e.to_string(),
        })
    }

    /// The crypto provider for TLS with this key: ring's, with the token's key loader for a
    /// token key.
    pub fn crypto_provider(&self) -> Arc<CryptoProvider> {
        match &self.kind {
            Kind::File(_) => Arc::new(rustls::crypto::ring::default_provider()),
            Kind::Token { provider, .. } => Arc::clone(provider),
        }
    }
}
