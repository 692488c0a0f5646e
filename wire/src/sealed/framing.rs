//! Splitting a sealed record into its parts. Nothing cryptographic is checked here.

use super::{ENC_LENGTH, MAGIC, MAX_HEADER_LENGTH, RecordHeader, SIGNATURE_LENGTH};

/// A sealed record split into its parts, borrowing the bytes.
#[derive(Debug)]
pub struct SealedParts<'a> {
    /// The parsed header.
    pub header: RecordHeader,
    /// Magic, header length and header JSON as received: the HPKE aad.
    pub aad: &'a [u8],
    /// The HPKE encapsulated key.
    pub enc: &'a [u8],
    /// The HPKE ciphertext, tag included, without its length prefix.
    pub ciphertext: &'a [u8],
    /// Every byte before the signature: what the station signed.
    pub signed: &'a [u8],
    /// The station's signature (64 bytes, of the header's algorithm).
    pub signature: &'a [u8],
}

/// Why the framing was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FramingError {
    /// The first 8 bytes are not `DRREC001`.
    #[error("the record does not start with DRREC001")]
    Magic,
    /// A length runs past the end, or bytes are left over.
    #[error("the record framing is inconsistent: {0}")]
    Length(String),
    /// The header is not the expected JSON.
    #[error("the record header is not valid: {0}")]
    Header(String),
}

fn take<'a>(
    bytes: &'a [u8],
    at: &mut usize,
    n: usize,
    what: &str,
) -> Result<&'a [u8], FramingError> {
    let end = at
        .checked_add(n)
        .filter(|end| *end <= bytes.len())
        .ok_or_else(|| {
            FramingError::Length(format!(
                "{what} needs {n} bytes at offset {at}, the record has {}",
                bytes.len()
            ))
        })?;
    let part = &bytes[*at..end];
    *at = end;
    Ok(part)
}

fn take_u32(bytes: &[u8], at: &mut usize, what: &str) -> Result<usize, FramingError> {
    let raw = take(bytes, at, 4, what)?;
    let value = u32::from_be_bytes([raw[0], raw[1], raw[2], raw[3]]);
    usize::try_from(value).map_err(|_| FramingError::Length(format!("{what} {value} too large")))
}

/// Splits a sealed record into its parts; never panics on any input.
pub fn parse(bytes: &[u8]) -> Result<SealedParts<'_>, FramingError> {
    let mut at = 0;
    if take(bytes, &mut at, MAGIC.len(), "magic")? != MAGIC {
        return Err(FramingError::Magic);
    }
    let header_length = take_u32(bytes, &mut at, "header length")?;
    if header_length > MAX_HEADER_LENGTH {
        return Err(FramingError::Length(format!(
            "header length {header_length} exceeds {MAX_HEADER_LENGTH}"
        )));
    }
    let header_bytes = take(bytes, &mut at, header_length, "header")?;
    let aad = &bytes[..at];
    let enc = take(bytes, &mut at, ENC_LENGTH, "enc")?;
    let ciphertext_length = take_u32(bytes, &mut at, "ciphertext length")?;
    let ciphertext = take(bytes, &mut at, ciphertext_length, "ciphertext")?;
    let signed = &bytes[..at];
    let signature = take(bytes, &mut at, SIGNATURE_LENGTH, "signature")?;
    if at != bytes.len() {
        return Err(FramingError::Length(format!(
            "{} bytes after the signature",
            bytes.len() - at
        )));
    }
    let header_text = std::str::from_utf8(header_bytes)
        .map_err(|e| FramingError::Header(format!("not UTF-8: {e}")))?;
    let header: RecordHeader =
        serde_json::from_str(header_text).map_err(|e| FramingError::Header(e.to_string()))?;
    Ok(SealedParts {
        header,
        aad,
        enc,
        ciphertext,
        signed,
        signature,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_or_foreign_input_is_refused_without_panicking() {
        for bytes in [
            &b""[..],
            b"DRREC00",
            b"DRREC002\0\0\0\0",
            b"DRREC001\xff\xff\xff\xff",
        ] {
            assert!(parse(bytes).is_err(), "{bytes:?}");
        }
    }

    #[test]
    fn trailing_bytes_are_refused() {
        let header = RecordHeader {
            record_id: "r".into(),
            station_id: "s".into(),
            created_at: "t".into(),
            suite: super::super::SUITE.into(),
            central_key_id: "k".into(),
            signature_algorithm: None,
        };
        let mut bytes = header.aad().expect("short header");
        bytes.extend_from_slice(&[0; ENC_LENGTH]);
        bytes.extend_from_slice(&3u32.to_be_bytes());
        bytes.extend_from_slice(b"abc");
        bytes.extend_from_slice(&[0; SIGNATURE_LENGTH]);
        let parts = parse(&bytes).expect("well framed");
        assert_eq!(parts.ciphertext, b"abc");
        assert_eq!(parts.header, header);
        bytes.push(0);
        assert!(matches!(parse(&bytes), Err(FramingError::Length(_))));
    }
}
