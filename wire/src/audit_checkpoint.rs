//! The station's latest audit checkpoint, carried by every record upload (header
//! [`AUDIT_CHECKPOINT`](crate::headers::AUDIT_CHECKPOINT)): the sequence number and SHA-256 of an
//! audit entry, signed with the station's key. The central keeps the last one it accepted from
//! each station and refuses an older one, so that an audit log whose tail was deleted together
//! with its checkpoints (which still verifies on the station) is caught at the next upload.

/// The message a checkpoint signs: shared, so that the station's audit verifier and the central
/// check the same bytes.
pub fn checkpoint_message(seq: u64, entry_hash_hex: &str) -> Vec<u8> {
    format!("dr-station audit checkpoint v1\n{seq}\n{entry_hash_hex}").into_bytes()
}

/// Error code of an upload whose checkpoint is older than (or differs from) the last one the
/// central accepted from the station.
pub const CHECKPOINT_REGRESSED: &str = "audit-checkpoint-regressed";
/// Error code of an upload without a checkpoint from a station that sent one before.
pub const CHECKPOINT_MISSING: &str = "audit-checkpoint-missing";
/// Error code of an upload whose checkpoint is not signed by the uploading station's key.
pub const BAD_CHECKPOINT_SIGNATURE: &str = "bad-checkpoint-signature";
/// Error code of an upload whose checkpoint header does not parse.
pub const MALFORMED_CHECKPOINT: &str = "malformed-checkpoint";

/// One checkpoint, as carried in the header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditCheckpoint {
    /// The audit entry's sequence number.
    pub seq: u64,
    /// Its SHA-256, hex.
    pub sha256: String,
    /// The station's signature over [`checkpoint_message`], hex.
    pub signature: String,
}

/// A header value that is not a checkpoint.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit checkpoint header: {0}")]
pub struct CheckpointHeaderError(pub &'static str);

fn is_hex(text: &str) -> bool {
    !text.is_empty()
        && text
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

impl AuditCheckpoint {
    /// The header value: `seq.sha256.signature` (decimal, hex, hex).
    pub fn to_header(&self) -> String {
        format!("{}.{}.{}", self.seq, self.sha256, self.signature)
    }

    /// Reads a header value written by [`AuditCheckpoint::to_header`].
    pub fn from_header(value: &str) -> Result<Self, CheckpointHeaderError> {
        let mut parts = value.trim().split('.');
        let (Some(seq), Some(sha256), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(CheckpointHeaderError("expected seq.sha256.signature"));
        };
        let seq = seq
            .parse()
            .map_err(|_| CheckpointHeaderError("the sequence number is not a number"))?;
        if sha256.len() != 64 || !is_hex(sha256) {
            return Err(CheckpointHeaderError(
                "the SHA-256 is not 64 lower-case hex digits",
            ));
        }
        if signature.len() > 256 || !is_hex(signature) {
            return Err(CheckpointHeaderError("the signature is not lower-case hex"));
        }
        Ok(Self {
            seq,
            sha256: sha256.to_owned(),
            signature: signature.to_owned(),
        })
    }

    /// The message its signature covers.
    pub fn message(&self) -> Vec<u8> {
        checkpoint_message(self.seq, &self.sha256)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_header_reads_back_and_nothing_else_does() {
        let checkpoint = AuditCheckpoint {
            seq: 32,
            sha256: "ab".repeat(32),
            signature: "cd".repeat(64),
        };
        assert_eq!(
            AuditCheckpoint::from_header(&checkpoint.to_header()),
            Ok(checkpoint)
        );
        for bad in [
            "",
            "32",
            "32.abc.cd",
            &format!("x.{}.cd", "ab".repeat(32)),
            &format!("-1.{}.cd", "ab".repeat(32)),
            &format!("32.{}.CD", "ab".repeat(32)),
            &format!("32.{}.cd.ef", "ab".repeat(32)),
        ] {
            assert!(AuditCheckpoint::from_header(bad).is_err(), "{bad:?}");
        }
    }
}
