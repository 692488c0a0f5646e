//! The station key in a PKCS#11 token: ECDSA P-256, generated in the token, sensitive and not
//! extractable, so that the private key never leaves it. A copy of the disk holds no key; signing
//! needs the token and its PIN. Works with SoftHSM2 (tests, demo), `tpm2-pkcs11` (a TPM 2.0 chip)
//! or a smart-card HSM: `docs/station-token.md` says how a technician sets one up.

use std::{
    collections::HashMap,
    path::{Path, PathBuf},
    sync::{Mutex, OnceLock},
};

use cryptoki::{
    context::{CInitializeArgs, CInitializeFlags, Pkcs11},
    error::{Error as CkError, RvError},
    mechanism::Mechanism,
    object::{Attribute, AttributeType, KeyType, ObjectClass, ObjectHandle},
    session::{Session, UserType},
    slot::Slot,
    types::AuthPin,
};
use serde::{Deserialize, Serialize};

use super::{
    SealError,
    signer::{SIGNATURE_LENGTH, SignatureAlgorithm, Signer, StationPublicKey, verify},
};

/// DER of the P-256 curve's OID (1.2.840.10045.3.1.7), the `CKA_EC_PARAMS` of the key.
const P256_PARAMS: &[u8] = &[0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];

/// The environment variable holding the token's user PIN when the configuration names no file.
pub const PIN_VARIABLE: &str = "STATION_TOKEN_PIN";

/// Where the station's key is in a PKCS#11 token (`[identity] kind = "pkcs11"`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSettings {
    /// The token's PKCS#11 module, e.g. `/usr/lib/x86_64-linux-gnu/pkcs11/libtpm2_pkcs11.so`.
    pub module: PathBuf,
    /// The token's label, as set when it was initialised.
    pub token_label: String,
    /// The label of the station's key pair in the token.
    pub key_label: String,
    /// A file holding the user PIN (one line, mode 0600 or 0400, readable by the station's user
    /// only). Without it the PIN is read from `STATION_TOKEN_PIN`.
    #[serde(default)]
    pub pin_file: Option<PathBuf>,
}

/// What went wrong with the token.
#[derive(Debug, thiserror::Error)]
pub enum TokenError {
    /// The module could not be loaded or initialised.
    #[error("PKCS#11 module {module}: {source}")]
    Module {
        /// The module file.
        module: PathBuf,
        /// Why.
        source: CkError,
    },
    /// No token with this label is present.
    #[error("no PKCS#11 token labelled {0:?} is present (is the token plugged in, initialised?)")]
    NoToken(String),
    /// The token has no key pair with this label.
    #[error("token {token:?} has no station key labelled {key:?}")]
    NoKey {
        /// The token.
        token: String,
        /// The key label.
        key: String,
    },
    /// A key with this label exists already (creating a second one would be ambiguous).
    #[error("token {token:?} already holds a key labelled {key:?}")]
    KeyExists {
        /// The token.
        token: String,
        /// The key label.
        key: String,
    },
    /// The private key could leave the token: refused, the whole point is that it cannot.
    #[error(
        "the key {0:?} in the token is extractable or not sensitive: create a new one with `station token create-key`"
    )]
    Extractable(String),
    /// The PIN could not be read.
    #[error("token PIN: {0}")]
    Pin(String),
    /// A PKCS#11 call failed.
    #[error("PKCS#11 {what}: {source}")]
    Call {
        /// What the station was doing.
        what: &'static str,
        /// The token's answer.
        source: CkError,
    },
    /// The token's public key is not a P-256 point, or the pair does not sign and verify.
    #[error("the token's key is unusable: {0}")]
    BadKey(String),
}

pub(crate) fn call(what: &'static str) -> impl FnOnce(CkError) -> TokenError {
    move |source| TokenError::Call { what, source }
}

/// The station's key pair in a token, with a logged-in session.
pub struct TokenKey {
    session: Mutex<Session>,
    private: ObjectHandle,
    public: StationPublicKey,
    settings: TokenSettings,
}

impl std::fmt::Debug for TokenKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TokenKey")
            .field("token", &self.settings.token_label)
            .field("key", &self.settings.key_label)
            .field("public_key", &self.public.to_hex())
            .finish()
    }
}

/// One context per module for the whole process: PKCS#11 is initialised once per process, and a
/// second load of the same module would share (and could finalise) the first one's state.
fn module(path: &Path) -> Result<Pkcs11, TokenError> {
    static MODULES: OnceLock<Mutex<HashMap<PathBuf, Pkcs11>>> = OnceLock::new();
    let modules = MODULES.get_or_init(|| Mutex::new(HashMap::new()));
    let mut modules = modules
        .lock()
        .map_err(|_| TokenError::BadKey("module table poisoned".into()))?;
    if let Some(context) = modules.get(path) {
        return Ok(context.clone());
    }
    let fail = |source| TokenError::Module {
        module: path.to_path_buf(),
        source,
    };
    let context = Pkcs11::new(path).map_err(fail)?;
    match context.initialize(CInitializeArgs::new(CInitializeFlags::OS_LOCKING_OK)) {
        Ok(()) | Err(CkError::Pkcs11(RvError::CryptokiAlreadyInitialized, _)) => {}
        Err(e) => return Err(fail(e)),
    }
    modules.insert(path.to_path_buf(), context.clone());
    Ok(context)
}

/// The slot holding the token labelled `label`.
pub fn find_token(context: &Pkcs11, label: &str) -> Result<Slot, TokenError> {
    for slot in context
        .get_slots_with_initialized_token()
        .map_err(call("listing the tokens"))?
    {
        let info = context
            .get_token_info(slot)
            .map_err(call("reading a token's label"))?;
        if info.label().trim_end() == label {
            return Ok(slot);
        }
    }
    Err(TokenError::NoToken(label.to_owned()))
}

/// Reads the user PIN: from `pin_file` (which must be private to the station's user), else from
/// `STATION_TOKEN_PIN`.
fn read_pin(settings: &TokenSettings) -> Result<AuthPin, TokenError> {
    let pin = match &settings.pin_file {
        Some(file) => {
            use std::os::unix::fs::MetadataExt;
            let meta = std::fs::metadata(file)
                .map_err(|e| TokenError::Pin(format!("{}: {e}", file.display())))?;
            if meta.mode() & 0o077 != 0 {
                return Err(TokenError::Pin(format!(
                    "{} is readable by others than the station's user (expected mode 0600 or 0400)",
                    file.display()
                )));
            }
            std::fs::read_to_string(file)
                .map_err(|e| TokenError::Pin(format!("{}: {e}", file.display())))?
                .trim_end_matches(['\r', '\n'])
                .to_owned()
        }
        None => std::env::var(PIN_VARIABLE).map_err(|_| {
            TokenError::Pin(format!(
                "no pin_file in [identity] and {PIN_VARIABLE} is not set"
            ))
        })?,
    };
    if pin.is_empty() {
        return Err(TokenError::Pin("empty".into()));
    }
    Ok(AuthPin::from(pin))
}

/// Opens a session on the token and logs the user in (a token already logged in by another
/// session of this process is fine: PKCS#11 logs in per application, not per session).
pub(crate) fn open_session(
    settings: &TokenSettings,
    read_write: bool,
) -> Result<Session, TokenError> {
    let context = module(&settings.module)?;
    let slot = find_token(&context, &settings.token_label)?;
    let session = if read_write {
        context.open_rw_session(slot)
    } else {
        context.open_ro_session(slot)
    }
    .map_err(call("opening a session"))?;
    match session.login(UserType::User, Some(&read_pin(settings)?)) {
        Ok(()) | Err(CkError::Pkcs11(RvError::UserAlreadyLoggedIn, _)) => Ok(session),
        Err(e) => Err(TokenError::Call {
            what: "logging in (wrong PIN?)",
            source: e,
        }),
    }
}

fn find_one(
    session: &Session,
    class: ObjectClass,
    label: &str,
) -> Result<Option<ObjectHandle>, TokenError> {
    let found = session
        .find_objects(&[
            Attribute::Class(class),
            Attribute::KeyType(KeyType::EC),
            Attribute::Label(label.as_bytes().to_vec()),
        ])
        .map_err(call("looking for the key"))?;
    Ok(found.first().copied())
}

/// The 65-byte uncompressed point from `CKA_EC_POINT`, which PKCS#11 wraps in a DER OCTET STRING
/// (some tokens give it bare).
fn point_of(ec_point: &[u8]) -> Result<Vec<u8>, TokenError> {
    let point = match ec_point {
        [0x04, 0x41, rest @ ..] if rest.len() == 65 => rest,
        bare if bare.len() == 65 => bare,
        other => {
            return Err(TokenError::BadKey(format!(
                "CKA_EC_POINT of {} bytes is not an uncompressed P-256 point",
                other.len()
            )));
        }
    };
    StationPublicKey::new(SignatureAlgorithm::EcdsaP256Sha256, point.to_vec())
        .map(|k| k.bytes)
        .map_err(|e| TokenError::BadKey(e.to_string()))
}

fn public_key_of(session: &Session, handle: ObjectHandle) -> Result<StationPublicKey, TokenError> {
    let attributes = session
        .get_attributes(handle, &[AttributeType::EcPoint])
        .map_err(call("reading the public key"))?;
    let point = attributes
        .into_iter()
        .find_map(|a| match a {
            Attribute::EcPoint(p) => Some(p),
            _ => None,
        })
        .ok_or_else(|| TokenError::BadKey("no CKA_EC_POINT".into()))?;
    Ok(StationPublicKey {
        algorithm: SignatureAlgorithm::EcdsaP256Sha256,
        bytes: point_of(&point)?,
    })
}

impl TokenKey {
    /// Opens the station key in the token: logs in, finds the pair by its label, refuses a
    /// private key that could be extracted, and signs and verifies once to prove the pair is whole.
    pub fn open(settings: &TokenSettings) -> Result<Self, TokenError> {
        let session = open_session(settings, false)?;
        let no_key = || TokenError::NoKey {
            token: settings.token_label.clone(),
            key: settings.key_label.clone(),
        };
        let private = find_one(&session, ObjectClass::PRIVATE_KEY, &settings.key_label)?
            .ok_or_else(no_key)?;
        let public_handle =
            find_one(&session, ObjectClass::PUBLIC_KEY, &settings.key_label)?.ok_or_else(no_key)?;
        let flags = session
            .get_attributes(
                private,
                &[AttributeType::Sensitive, AttributeType::Extractable],
            )
            .map_err(call("reading the key's attributes"))?;
        let kept_in = flags.iter().all(|a| match a {
            Attribute::Sensitive(s) => *s,
            Attribute::Extractable(e) => !*e,
            _ => true,
        }) && flags.len() == 2;
        if !kept_in {
            return Err(TokenError::Extractable(settings.key_label.clone()));
        }
        let public = public_key_of(&session, public_handle)?;
        let key = Self {
            session: Mutex::new(session),
            private,
            public,
            settings: settings.clone(),
        };
        let probe = b"station key self-check";
        let signature = key.sign_in_token(probe)?;
        verify(&key.public, probe, &signature).map_err(|_| {
            TokenError::BadKey("the private and public keys of this label do not match".into())
        })?;
        tracing::info!(token = %settings.token_label, key = %settings.key_label, "station key opened in its token");
        Ok(key)
    }

    /// Creates the station's key pair in the token (a technician's step at installation): ECDSA
    /// P-256, generated inside the token, private key sensitive and not extractable. Refused if a
    /// key with this label exists. Returns the public key to register with the central.
    pub fn create(settings: &TokenSettings) -> Result<StationPublicKey, TokenError> {
        let session = open_session(settings, true)?;
        if find_one(&session, ObjectClass::PRIVATE_KEY, &settings.key_label)?.is_some()
            || find_one(&session, ObjectClass::PUBLIC_KEY, &settings.key_label)?.is_some()
        {
            return Err(TokenError::KeyExists {
                token: settings.token_label.clone(),
                key: settings.key_label.clone(),
            });
        }
        let label = settings.key_label.as_bytes().to_vec();
        let (public, _private) = session
            .generate_key_pair(
                &Mechanism::EccKeyPairGen,
                &[
                    Attribute::Token(true),
                    Attribute::Private(false),
                    Attribute::Verify(true),
                    Attribute::EcParams(P256_PARAMS.to_vec()),
                    Attribute::Label(label.clone()),
                ],
                &[
                    Attribute::Token(true),
                    Attribute::Private(true),
                    Attribute::Sensitive(true),
                    Attribute::Extractable(false),
                    Attribute::Sign(true),
                    Attribute::Label(label),
                ],
            )
            .map_err(call("generating the key pair"))?;
        let key = public_key_of(&session, public)?;
        tracing::info!(token = %settings.token_label, key = %settings.key_label, "station key created in its token");
        Ok(key)
    }

    /// Destroys the key pair labelled `settings.key_label` in the token (a TLS key a renewal
    /// replaced). Nothing to do when there is none.
    pub fn destroy(settings: &TokenSettings) -> Result<(), TokenError> {
        let session = open_session(settings, true)?;
        for class in [ObjectClass::PRIVATE_KEY, ObjectClass::PUBLIC_KEY] {
            if let Some(handle) = find_one(&session, class, &settings.key_label)? {
                session
                    .destroy_object(handle)
                    .map_err(call("destroying a key"))?;
            }
        }
        Ok(())
    }

    /// ECDSA in the token over SHA-256 of `message`, hashed here: the token gets 32 bytes, not the
    /// whole record (CKM_ECDSA, which TPM 2.0 tokens and smart cards all offer).
    fn sign_in_token(&self, message: &[u8]) -> Result<[u8; SIGNATURE_LENGTH], TokenError> {
        let digest = ring::digest::digest(&ring::digest::SHA256, message);
        let session = self
            .session
            .lock()
            .map_err(|_| TokenError::BadKey("session poisoned".into()))?;
        let signature = session
            .sign(&Mechanism::Ecdsa, self.private, digest.as_ref())
            .map_err(call("signing"))?;
        <[u8; SIGNATURE_LENGTH]>::try_from(signature.as_slice()).map_err(|_| {
            TokenError::BadKey(format!(
                "the token answered a signature of {} bytes, expected r ‖ s ({SIGNATURE_LENGTH})",
                signature.len()
            ))
        })
    }
}

impl Signer for TokenKey {
    fn station_key(&self) -> &StationPublicKey {
        &self.public
    }

    fn sign_message(&self, message: &[u8]) -> Result<[u8; SIGNATURE_LENGTH], SealError> {
        self.sign_in_token(message)
            .map_err(|e| SealError::Token(Box::new(e)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_point_is_read_wrapped_or_bare_and_nothing_else() {
        let mut point = vec![0x04];
        point.extend_from_slice(&[7; 64]);
        let mut wrapped = vec![0x04, 0x41];
        wrapped.extend_from_slice(&point);
        assert_eq!(point_of(&wrapped).ok(), Some(point.clone()));
        assert_eq!(point_of(&point).ok(), Some(point.clone()));
        assert!(point_of(&point[..64]).is_err());
        assert!(point_of(&[]).is_err());
    }
}
