//! PINs and passphrases, stored only as PBKDF2-HMAC-SHA256 hashes with a per-account salt (ring).

use std::num::NonZeroU32;

use ring::{
    pbkdf2,
    rand::{SecureRandom, SystemRandom},
};

use super::OperatorError;

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

/// Hashes a new secret with a fresh random salt.
pub fn hash_secret(secret: &str) -> Result<SecretHash, OperatorError> {
    check_strength(secret)?;
    let mut salt = vec![0u8; SALT_LEN];
    SystemRandom::new()
        .fill(&mut salt)
        .map_err(|_| OperatorError::Random)?;
    let mut hash = vec![0u8; HASH_LEN];
    pbkdf2::derive(
        pbkdf2::PBKDF2_HMAC_SHA256,
        iterations(ITERATIONS)?,
        &salt,
        secret.as_bytes(),
        &mut hash,
    );
    Ok(SecretHash {
        iterations: ITERATIONS,
        salt,
        hash,
    })
}

/// Whether `secret` matches `stored` (constant-time comparison inside ring). A stored hash with
/// fewer than [`MIN_ITERATIONS`] never matches, and neither does an over-long input.
pub fn verify_secret(secret: &str, stored: &SecretHash) -> bool {
    if stored.iterations < MIN_ITERATIONS || secret.chars().count() > MAX_SECRET_CHARS {
        return false;
    }
    let Ok(rounds) = iterations(stored.iterations) else {
        return false;
    };
    pbkdf2::verify(
        pbkdf2::PBKDF2_HMAC_SHA256,
        rounds,
        &stored.salt,
        secret.as_bytes(),
        &stored.hash,
    )
    .is_ok()
}

fn iterations(n: u32) -> Result<NonZeroU32, OperatorError> {
    NonZeroU32::new(n).ok_or(OperatorError::BadStoredHash)
}
