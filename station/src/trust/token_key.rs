//! The TLS client key in the station's token: an ECDSA P-256 pair made in the token (as the
//! record-signing key is), which signs the TLS handshakes and the certificate requests from
//! inside it. The data directory keeps only a reference to it (`pkcs11:object=LABEL`), so that a
//! copy of the disk opens no TLS session as the station.
//!
//! rustls gets the key through a crypto provider whose key loader answers with the token's key
//! whatever key bytes ureq hands it; rcgen gets it as a remote signing key.

use std::{
    collections::HashMap,
    path::PathBuf,
    sync::{Arc, Mutex, OnceLock},
};

use rustls::{
    SignatureAlgorithm, SignatureScheme,
    crypto::{CryptoProvider, KeyProvider},
    pki_types::{PrivateKeyDer, SubjectPublicKeyInfoDer, alg_id},
    sign::{Signer as TlsSigner, SigningKey, public_key_to_spki},
};

use crate::seal::{Signer, TokenKey, TokenSettings};

/// What a key file holds when the key is in the token: this prefix and the key's label.
pub const REFERENCE_PREFIX: &str = "pkcs11:object=";

/// ECDSA's DER form (SEQUENCE of two INTEGERs) from the token's r ‖ s, as TLS and X.509 carry it.
pub fn ecdsa_der(raw: &[u8; 64]) -> Vec<u8> {
    fn integer(bytes: &[u8]) -> Vec<u8> {
        let start = bytes
            .iter()
            .position(|b| *b != 0)
            .unwrap_or(bytes.len() - 1);
        let trimmed = &bytes[start..];
        let mut out = vec![0x02];
        let pad = trimmed[0] & 0x80 != 0;
        out.push(u8::try_from(trimmed.len() + usize::from(pad)).unwrap_or(0));
        if pad {
            out.push(0);
        }
        out.extend_from_slice(trimmed);
        out
    }
    let (r, s) = raw.split_at(32);
    let body = [integer(r), integer(s)].concat();
    let mut out = vec![0x30, u8::try_from(body.len()).unwrap_or(0)];
    out.extend_from_slice(&body);
    out
}

fn sign_der(key: &TokenKey, message: &[u8]) -> Option<Vec<u8>> {
    match key.sign_message(message) {
        Ok(raw) => Some(ecdsa_der(&raw)),
        Err(e) => {
            tracing::warn!(error = %e, "the token did not sign for TLS");
            None
        }
    }
}

/// The key as rcgen signs a certificate request with it.
pub(crate) struct CsrKey<'a>(pub &'a TokenKey);

impl rcgen::PublicKeyData for CsrKey<'_> {
    fn der_bytes(&self) -> &[u8] {
        &self.0.station_key().bytes
    }

    fn algorithm(&self) -> &'static rcgen::SignatureAlgorithm {
        &rcgen::PKCS_ECDSA_P256_SHA256
    }
}

impl rcgen::SigningKey for CsrKey<'_> {
    fn sign(&self, msg: &[u8]) -> Result<Vec<u8>, rcgen::Error> {
        sign_der(self.0, msg).ok_or(rcgen::Error::RemoteKeyError)
    }
}

/// The key as rustls signs a handshake with it.
#[derive(Debug)]
struct HandshakeKey(Arc<TokenKey>);

impl SigningKey for HandshakeKey {
    fn choose_scheme(&self, offered: &[SignatureScheme]) -> Option<Box<dyn TlsSigner>> {
        offered
            .contains(&SignatureScheme::ECDSA_NISTP256_SHA256)
            .then(|| Box::new(HandshakeSigner(Arc::clone(&self.0))) as Box<dyn TlsSigner>)
    }

    fn public_key(&self) -> Option<SubjectPublicKeyInfoDer<'_>> {
        Some(public_key_to_spki(
            &alg_id::ECDSA_P256,
            &self.0.station_key().bytes,
        ))
    }

    fn algorithm(&self) -> SignatureAlgorithm {
        SignatureAlgorithm::ECDSA
    }
}

#[derive(Debug)]
struct HandshakeSigner(Arc<TokenKey>);

impl TlsSigner for HandshakeSigner {
    fn sign(&self, message: &[u8]) -> Result<Vec<u8>, rustls::Error> {
        sign_der(&self.0, message)
            .ok_or_else(|| rustls::Error::General("the token did not sign".into()))
    }

    fn scheme(&self) -> SignatureScheme {
        SignatureScheme::ECDSA_NISTP256_SHA256
    }
}

/// Answers every key load with the token's key: ureq only carries key bytes, and the bytes it
/// carries for a token key are a placeholder.
#[derive(Debug)]
struct TokenKeyLoader(Arc<TokenKey>);

impl KeyProvider for TokenKeyLoader {
    fn load_private_key(
        &self,
        _placeholder: PrivateKeyDer<'static>,
    ) -> Result<Arc<dyn SigningKey>, rustls::Error> {
        Ok(Arc::new(HandshakeKey(Arc::clone(&self.0))))
    }
}

/// What ureq carries in place of a token key: a PEM block whose bytes say "the private key is in
/// the PKCS#11 token" (never parsed as a key: the loader above ignores them).
pub const PLACEHOLDER_PEM: &str = "-----BEGIN PRIVATE KEY-----\n\
dGhlIHByaXZhdGUga2V5IGlzIGluIHRoZSBQS0NTIzExIHRva2Vu\n\
-----END PRIVATE KEY-----\n";

type Opened = (Arc<TokenKey>, Arc<CryptoProvider>);
/// A TLS key by its token's module, its token's label and its own label.
type KeyId = (PathBuf, String, String);

/// The TLS key `label` of the token `settings` names, and ring's crypto provider with a key loader
/// that answers with it. Opened once per process and key: each client of the central would
/// otherwise open a token session of its own, and rustls wants its key loader for the whole
/// process (a `'static` reference, made here once per key).
pub fn open(settings: &TokenSettings, label: &str) -> Result<Opened, crate::seal::TokenError> {
    static OPENED: OnceLock<Mutex<HashMap<KeyId, Opened>>> = OnceLock::new();
    let table = OPENED.get_or_init(|| Mutex::new(HashMap::new()));
    let mut table = table
        .lock()
        .map_err(|_| crate::seal::TokenError::BadKey("TLS key table poisoned".into()))?;
    let id = (
        settings.module.clone(),
        settings.token_label.clone(),
        label.to_owned(),
    );
    if let Some(opened) = table.get(&id) {
        return Ok(opened.clone());
    }
    let key = Arc::new(TokenKey::open(&TokenSettings {
        key_label: label.to_owned(),
        ..settings.clone()
    })?);
    let loader: &'static TokenKeyLoader = Box::leak(Box::new(TokenKeyLoader(Arc::clone(&key))));
    let provider = Arc::new(CryptoProvider {
        key_provider: loader,
        ..rustls::crypto::ring::default_provider()
    });
    table.insert(id, (Arc::clone(&key), Arc::clone(&provider)));
    Ok((key, provider))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn signatures_take_their_der_form() {
        let mut raw = [0u8; 64];
        raw[31] = 5;
        raw[32] = 0x80;
        let der = ecdsa_der(&raw);
        // r = 5 (one byte), s = 0x80 followed by 31 zero bytes (a zero byte first: it is positive).
        assert_eq!(&der[..5], &[0x30, 3 + 2 + 33, 0x02, 0x01, 0x05]);
        assert_eq!(&der[5..8], &[0x02, 33, 0x00]);
        assert_eq!(der.len(), 2 + 3 + 2 + 33);
        // ring reads what it makes.
        let rng = ring::rand::SystemRandom::new();
        let pkcs8 = ring::signature::EcdsaKeyPair::generate_pkcs8(
            &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            &rng,
        )
        .unwrap();
        let fixed = ring::signature::EcdsaKeyPair::from_pkcs8(
            &ring::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
            pkcs8.as_ref(),
            &rng,
        )
        .unwrap();
        use ring::signature::KeyPair;
        let signature = fixed.sign(&rng, b"m").unwrap();
        let mut raw = [0u8; 64];
        raw.copy_from_slice(signature.as_ref());
        let public = ring::signature::UnparsedPublicKey::new(
            &ring::signature::ECDSA_P256_SHA256_ASN1,
            fixed.public_key().as_ref(),
        );
        assert!(public.verify(b"m", &ecdsa_der(&raw)).is_ok());
    }
}
