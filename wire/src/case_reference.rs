//! The case reference a person reads out: twelve characters in three groups (`KXH7-3MPA-RTW9`),
//! derived from the record id, so that the receipt, its reprint, the manifest and the national side
//! all give the same one without storing it. The record id (a 36-character UUID) stays the key.

use ring::digest;

/// Characters that cannot be mistaken for one another, read aloud or on paper: no 0/O/Q, 1/I/L,
/// 2/Z, 5/S, 8/B, 6/G.
const ALPHABET: &[u8; 23] = b"ACDEFHJKMNPRTUVWXY34679";
/// Characters in the reference (without its dashes): about 54 bits.
const LENGTH: usize = 12;
/// Characters per group.
const GROUP: usize = 4;

/// The reference of the record `record_id`.
pub fn case_reference(record_id: &str) -> String {
    let hash = digest::digest(&digest::SHA256, record_id.as_bytes());
    let mut out = String::with_capacity(LENGTH + LENGTH / GROUP);
    // One character from each 64-bit slice (4 slices of the 32-byte hash, 3 characters each):
    // the modulo's bias is below 2⁻⁵⁹.
    for (i, chunk) in hash.as_ref().chunks_exact(8).enumerate() {
        let mut value = u64::from_be_bytes(chunk.try_into().unwrap_or([0; 8]));
        for j in 0..LENGTH / 4 {
            let n = i * (LENGTH / 4) + j;
            if n > 0 && n.is_multiple_of(GROUP) {
                out.push('-');
            }
            let index = (value % ALPHABET.len() as u64) as usize;
            out.push(char::from(ALPHABET[index]));
            value /= ALPHABET.len() as u64;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twelve_unambiguous_characters_in_three_groups() {
        let r = case_reference("f565ca5b-44d0-4d36-9cb9-e88f1ce6fc8b");
        assert_eq!(r.len(), 14, "{r}");
        let groups: Vec<&str> = r.split('-').collect();
        assert_eq!(groups.len(), 3, "{r}");
        assert!(groups.iter().all(|g| g.len() == 4));
        assert!(
            r.bytes()
                .filter(|&b| b != b'-')
                .all(|b| ALPHABET.contains(&b)),
            "{r}"
        );
    }

    #[test]
    fn the_same_record_gives_the_same_reference_and_others_differ() {
        let a = case_reference("f565ca5b-44d0-4d36-9cb9-e88f1ce6fc8b");
        assert_eq!(a, case_reference("f565ca5b-44d0-4d36-9cb9-e88f1ce6fc8b"));
        let mut seen = std::collections::BTreeSet::new();
        for n in 0..10_000 {
            assert!(seen.insert(case_reference(&format!("record-{n}"))));
        }
    }
}
