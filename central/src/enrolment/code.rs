//! Enrolment codes: 16 characters of Crockford's base32 (80 random bits), shown in groups of four
//! for a technician to read out or type; only their SHA-256 is kept.

use ring::rand::{SecureRandom, SystemRandom};

/// Crockford's alphabet: no I, L, O, U, so that a code read aloud or copied by hand survives.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A new code, e.g. `7K2M-QX4D-9TNB-R0WE`; `None` if the system random source failed.
pub fn new_code() -> Option<String> {
    let mut bytes = [0u8; 16];
    SystemRandom::new().fill(&mut bytes).ok()?;
    let mut out = String::with_capacity(19);
    for (i, byte) in bytes.iter().enumerate() {
        if i > 0 && i % 4 == 0 {
            out.push('-');
        }
        out.push(char::from(ALPHABET[usize::from(byte & 0x1f)]));
    }
    Some(out)
}

/// The code as it is hashed: upper case, without the dashes and spaces a person may add or drop.
pub fn normalise(code: &str) -> String {
    code.chars()
        .filter(|c| !matches!(c, '-' | ' '))
        .map(|c| c.to_ascii_uppercase())
        .collect()
}

/// Hex SHA-256 of the normalised code: what the database keeps.
pub fn hash(code: &str) -> String {
    hex::encode(ring::digest::digest(
        &ring::digest::SHA256,
        normalise(code).as_bytes(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_differ_and_hash_the_same_however_typed() {
        let a = new_code().expect("random");
        let b = new_code().expect("random");
        assert_ne!(a, b);
        assert_eq!(a.len(), 19);
        assert_eq!(hash(&a), hash(&a.to_lowercase().replace('-', " ")));
    }
}
