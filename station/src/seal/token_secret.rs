//! A secret key in the station's token for HMAC-SHA256 (`CKM_SHA256_HMAC`): generic secret,
//! generated in the token, sensitive and not extractable. The operators' PIN hashes and account
//! rows are keyed by it, so that an image of the disk without the token cannot test a single PIN
//! guess nor forge an account or lockout row. SoftHSM2, `tpm2-pkcs11` and smart-card HSMs all
//! offer the mechanism.

use std::sync::Mutex;

use cryptoki::{
    error::{Error as CkError, RvError},
    mechanism::Mechanism,
    object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle},
    session::Session,
    types::Ulong,
};

use super::token::{TokenError, TokenSettings, call, open_session};

/// Length of the HMAC key and of its tags (SHA-256).
pub const TAG_LENGTH: usize = 32;

/// An HMAC key held in the token, with a logged-in session.
pub struct TokenSecret {
    session: Mutex<Session>,
    key: ObjectHandle,
    label: String,
}

impl std::fmt::Debug for TokenSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenSecret")
            .field("label", &self.label)
            .finish_non_exhaustive()
    }
}

fn find_secret(session: &Session, label: &str) -> Result<Option<ObjectHandle>, TokenError> {
    let found = session
        .find_objects(&[
            Attribute::Class(ObjectClass::SECRET_KEY),
            Attribute::KeyType(KeyType::GENERIC_SECRET),
            Attribute::Label(label.as_bytes().to_vec()),
        ])
        .map_err(call("looking for the secret key"))?;
    Ok(found.first().copied())
}

impl TokenSecret {
    /// Opens the secret labelled `label` in the token `settings` names, creating it when the token
    /// has none. Returns whether it was created now: the caller's data keyed by an earlier secret
    /// (or by none) can be told apart from data forged since, only at that moment.
    pub fn open_or_create(
        settings: &TokenSettings,
        label: &str,
    ) -> Result<(Self, bool), TokenError> {
        let session = open_session(settings, true)?;
        let (key, created) = match find_secret(&session, label)? {
            Some(key) => (key, false),
            None => {
                let key = session
                    .generate_key(
                        &Mechanism::GenericSecretKeyGen,
                        &[
                            Attribute::Class(ObjectClass::SECRET_KEY),
                            Attribute::KeyType(KeyType::GENERIC_SECRET),
                            // TAG_LENGTH bytes: SHA-256's block-sized key needs no more.
                            Attribute::ValueLen(Ulong::new(32)),
                            Attribute::Token(true),
                            Attribute::Private(true),
                            Attribute::Sensitive(true),
                            Attribute::Extractable(false),
                            Attribute::Sign(true),
                            Attribute::Verify(true),
                            Attribute::Label(label.as_bytes().to_vec()),
                        ],
                    )
                    .map_err(call("generating the secret key"))?;
                tracing::info!(token = %settings.token_label, key = label, "secret key created in the token");
                (key, true)
            }
        };
        let flags = session
            .get_attributes(key, &[AttributeType::Sensitive, AttributeType::Extractable])
            .map_err(call("reading the secret key's attributes"))?;
        let kept_in = flags.len() == 2
            && flags.iter().all(|a| match a {
                Attribute::Sensitive(s) => *s,
                Attribute::Extractable(e) => !*e,
                _ => true,
            });
        if !kept_in {
            return Err(TokenError::Extractable(label.to_owned()));
        }
        Ok((
            Self {
                session: Mutex::new(session),
                key,
                label: label.to_owned(),
            },
            created,
        ))
    }

    fn session(&self) -> Result<std::sync::MutexGuard<'_, Session>, TokenError> {
        self.session
            .lock()
            .map_err(|_| TokenError::BadKey("session poisoned".into()))
    }

    /// HMAC-SHA256 of `message`, computed in the token.
    pub fn mac(&self, message: &[u8]) -> Result<[u8; TAG_LENGTH], TokenError> {
        let tag = self
            .session()?
            .sign(&Mechanism::Sha256Hmac, self.key, message)
            .map_err(call("computing an HMAC"))?;
        <[u8; TAG_LENGTH]>::try_from(tag.as_slice()).map_err(|_| {
            TokenError::BadKey(format!("the token answered an HMAC of {} bytes", tag.len()))
        })
    }

    /// Whether `tag` is the HMAC of `message`, compared inside the token.
    pub fn verify(&self, message: &[u8], tag: &[u8]) -> Result<bool, TokenError> {
        if tag.len() != TAG_LENGTH {
            return Ok(false);
        }
        match self
            .session()?
            .verify(&Mechanism::Sha256Hmac, self.key, message, tag)
        {
            Ok(()) => Ok(true),
            Err(CkError::Pkcs11(RvError::SignatureInvalid | RvError::SignatureLenRange, _)) => {
                Ok(false)
            }
            Err(e) => Err(TokenError::Call {
                what: "checking an HMAC",
                source: e,
            }),
        }
    }
}
