//! How long the station's client certificate is valid, kept beside it when it is stored (the
//! station then needs no X.509 parser to know when to renew it).

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::files::write_private;
use super::{TrustError, TrustFiles};

/// The validity of the current certificate.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Validity {
    /// When the station received it, RFC 3339.
    pub received_at: String,
    /// When it stops being valid, RFC 3339.
    pub not_after: String,
}

fn validity_path(files: &TrustFiles) -> std::path::PathBuf {
    files.certificate.with_extension("validity.json")
}

/// Records the validity of a certificate just stored.
pub fn record_validity(files: &TrustFiles, not_after: &str) -> Result<(), TrustError> {
    let now = OffsetDateTime::now_utc();
    let validity = Validity {
        received_at: now.format(&Rfc3339).unwrap_or_default(),
        not_after: not_after.to_owned(),
    };
    let text = serde_json::to_vec_pretty(&validity).map_err(|e| TrustError::Key(e.to_string()))?;
    write_private(&validity_path(files), &text)
}

/// Whether less than a third of the certificate's validity is left at `now` (false when unknown).
pub fn is_due(files: &TrustFiles, now: OffsetDateTime) -> bool {
    let Ok(text) = std::fs::read(validity_path(files)) else {
        return false;
    };
    let Ok(validity) = serde_json::from_slice::<Validity>(&text) else {
        return false;
    };
    let (Ok(from), Ok(until)) = (
        OffsetDateTime::parse(&validity.received_at, &Rfc3339),
        OffsetDateTime::parse(&validity.not_after, &Rfc3339),
    ) else {
        return false;
    };
    until - now < (until - from) / 3
}
