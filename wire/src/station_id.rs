//! The form of a station id, checked by the central when it registers a station and by the station
//! before its id goes into a signed record header: an id the central would refuse, once signed
//! into records, makes them undeliverable for good.

/// The longest station id.
pub const MAX_LEN: usize = 64;

/// What a station id may hold, for error messages.
pub const RULE: &str = "1 to 64 characters among A-Z a-z 0-9 . _ -";

/// Whether `id` is a station id the central registers: 1 to [`MAX_LEN`] characters among
/// `A-Z a-z 0-9 . _ -`.
pub fn is_valid(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_the_central_registers() {
        assert!(is_valid("mairie-lyon-03-p1"));
        assert!(is_valid("a.b_c-9"));
        assert!(!is_valid(""));
        assert!(!is_valid("mairie lyon"));
        assert!(!is_valid("mairie\u{7}"));
        assert!(!is_valid("mairié"));
        assert!(!is_valid(&"x".repeat(MAX_LEN + 1)));
    }
}
