//! The sealed-record framing (magic, header, enc, ciphertext, signature), shared with the station
//! through the wire crate; the central's checks and its own HPKE open are in `mod.rs`.

pub use wire::sealed::{
    ENC_LENGTH, FramingError, HPKE_INFO, MAGIC, MAX_HEADER_LENGTH, RecordHeader, SIGNATURE_LENGTH,
    SUITE, SealedParts as SealedRecord, parse,
};
