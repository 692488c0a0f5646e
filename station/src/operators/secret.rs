//! PINs and passphrases, stored only as PBKDF2-HMAC-SHA256 with a per-account salt (ring), the
//! output keyed by the accounts' secret in the token ([`PinKey`]): offline, without the token, a
//! stored hash tests no guess at all.

use std::num::NonZeroU32;

use ring::{
    pbkdf2,
    rand::{SecureRandom, SystemRandom},
};

use zeroize::Zeroizing;

use super::{OperatorError, PinKey};

/// PBKDF2 iterations for new hashes (at least 100,000, the floor below; OWASP's 2023 advice for
/// PBKDF2-HMAC-SHA256 is 600,000, too slow for a counter PC at sign-in, so we take 210,000).
pub const ITERATIONS: u32 = 210_000;
/// Fewest iterations a stored hash may have and still be trusted.
pub const MIN_ITERATIONS: u32 = 100_000;
/// Salt length in bytes.
pub const SALT_LEN: usize = 16;
/// Hash length in bytes (SHA-256 output).
pub const HASH_LEN: usize = 32;
/// Shortest PIN or passphrase accepted.
pub const MIN_SECRET_CHARS: usize = 6;
/// Longest PIN or passphrase accepted (bounds the hashing work an input can cause).
pub const MAX_SECRET_CHARS: usize = 128;

/// A stored hash: iterations, salt, PBKDF2 output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretHash {
    /// PBKDF2 iterations.
    pub iterations: u32,
    /// Per-account random salt.
    pub salt: Vec<u8>,
    /// The derived bytes.
    pub hash: Vec<u8>,
}

/// Checks a new PIN or passphrase's length.
pub fn check_strength(secret: &str) -> Result<(), OperatorError> {
    let chars = secret.chars().count();
    if !(MIN_SECRET_CHARS..=MAX_SECRET_CHARS).contains(&chars) {
        return Err(OperatorError::WeakSecret {
            min: MIN_SECRET_CHARS,
            max: MAX_SECRET_CHARS,
        });
    }
    Ok(())
}

/// Hashes a new secret for the account `name` with a fresh random salt: PBKDF2 here, then the
/// result keyed by `key` (in the token): the stored hash is useless to whoever lacks the token.
pub fn hash_secret(secret: &str, name: &str, key: &PinKey) -> Result<SecretHash, OperatorError> {
    check_strength(secret)?;
    let mut salt = vec![0u8; SALT_LEN];
    SystemRandom::new()
        .fill(&mut salt)
        .map_err(|_| OperatorError::Random)?;
    let derived = derive(secret, &salt, ITERATIONS)?;
    Ok(SecretHash {
        iterations: ITERATIONS,
        hash: keyed(name, derived.as_ref(), key)?.to_vec(),
        salt,
    })
}

/// Whether `secret` matches `stored` for the account `name` (the tag compared in constant time,
/// in the token). A stored hash with fewer than [`MIN_ITERATIONS`] never matches, and neither
/// does an over-long input.
pub fn verify_secret(
    secret: &str,
    name: &str,
    stored: &SecretHash,
    key: &PinKey,
) -> Result<bool, OperatorError> {
    if stored.iterations < MIN_ITERATIONS || secret.chars().count() > MAX_SECRET_CHARS {
        return Ok(false);
    }
    let derived = derive(secret, &stored.salt, stored.iterations)?;
    key.verify(&keyed_message(name, derived.as_ref()), &stored.hash)
}

/// The PBKDF2 output, wiped when dropped.
fn derive(
    secret: &str,
    salt: &[u8],
    rounds: u32,
) -> Result<Zeroizing<[u8; HASH_LEN]>, OperatorError> {
    let mut out = Zeroizing::new([0u8; HASH_LEN]);
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        iterations(rounds)?,
        salt,
        secret.as_bytes(),
        out.as_mut(),
    );
    Ok(out)
}

/// The stored hash of a PBKDF2 output: its HMAC under the accounts' key, bound to the account's
/// name. Also how rows hashed before the key existed are moved to it (their stored bytes are the
/// PBKDF2 output).
pub(crate) fn keyed(name: &str, derived: &[u8], key: &PinKey) -> Result<[u8; 32], OperatorError> {
    key.mac(&keyed_message(name, derived))
}

fn keyed_message(name: &str, derived: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut message = Zeroizing::new(Vec::with_capacity(64 + name.len()));
    message.extend_from_slice(b"station operator PIN v2\0");
    message.extend_from_slice(&u32::try_from(name.len()).unwrap_or(u32::MAX).to_be_bytes());
    message.extend_from_slice(name.as_bytes());
    message.extend_from_slice(derived);
    message
}

fn iterations(n: u32) -> Result<NonZeroU32, OperatorError> {
    NonZeroU32::new(n).ok_or(OperatorError::BadStoredHash)
}
