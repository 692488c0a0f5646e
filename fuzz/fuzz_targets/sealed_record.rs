//! A sealed record's framing and header: the wire crate's split (the central's intake) and the
//! station's stricter reading of its own outbox files.
#![no_main]

use libfuzzer_sys::fuzz_target;
use station::seal::sealed_record::ParsedRecord;

fuzz_target!(|data: &[u8]| {
    let framed = wire::sealed::parse(data);
    if let Ok(parts) = &framed {
        assert!(
            parts.aad.len() <= parts.signed.len(),
            "aad longer than the signed bytes"
        );
        assert_eq!(parts.signed.len() + parts.signature.len(), data.len());
        // What the central does next with the header before any key is looked up.
        let _ = parts.header.signature_algorithm();
    }
    let parsed = ParsedRecord::parse(data);
    // The station's reading is stricter, never looser.
    if parsed.is_ok() {
        assert!(
            framed.is_ok(),
            "the station read a record the framing refuses"
        );
    }
});
