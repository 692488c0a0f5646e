//! The framing parser reads bytes from the network before any signature is checked: it must never
//! panic, whatever it is given.
#![allow(missing_docs)]

use proptest::prelude::*;

proptest! {
    #[test]
    fn any_bytes_are_parsed_or_refused(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = wire::sealed::parse(&bytes);
    }

    #[test]
    fn any_tail_after_the_golden_header_is_parsed_or_refused(
        tail in proptest::collection::vec(any::<u8>(), 0..200),
    ) {
        let mut bytes = wire::golden::SEALED_HEADER.to_vec();
        bytes.extend_from_slice(&tail);
        if let Ok(parts) = wire::sealed::parse(&bytes) {
            prop_assert_eq!(parts.aad, wire::golden::SEALED_HEADER);
            prop_assert_eq!(parts.signature.len(), wire::sealed::SIGNATURE_LENGTH);
        }
    }
}
