//! The one call enrolment makes: a payload in, a sealed record out.

use uuid::Uuid;

use super::{CentralKeys, SealError, SealedRecord, SharedSigner, record_header, seal_record};
use crate::record::Payload;

/// Seals payloads for one station to one central.
#[derive(Debug)]
pub struct Sealer {
    /// The station's signing key (in its token, or a file in development).
    pub signer: SharedSigner,
    /// The central's public keys.
    pub central: CentralKeys,
    /// The station id written in every header.
    pub station_id: String,
}

impl Sealer {
    /// Seals `payload`: the header takes the manifest's record id and creation time; the tar lives
    /// in a wiped buffer and is encrypted in the output.
    pub fn seal(&self, payload: &Payload) -> Result<SealedRecord, SealError> {
        // The id is signed into the header: one the central refuses makes the record undeliverable
        // for good, whatever the configuration says later.
        if !wire::station_id::is_valid(&self.station_id) {
            return Err(SealError::Malformed(format!(
                "station_id {:?} is not one the central accepts ({})",
                self.station_id,
                wire::station_id::RULE
            )));
        }
        let manifest = &payload.manifest;
        let record_id = Uuid::parse_str(&manifest.record_id)
            .map_err(|e| SealError::Malformed(format!("manifest record_id: {e}")))?;
        let created = time::OffsetDateTime::parse(
            &manifest.created_at,
            &time::format_description::well_known::Rfc3339,
        )
        .map_err(|e| SealError::Malformed(format!("manifest created_at: {e}")))?;
        if manifest.station_id != self.station_id {
            return Err(SealError::Malformed(
                "manifest station_id differs from the station's".into(),
            ));
        }
        let header = record_header(
            record_id,
            &self.station_id,
            created,
            &self.central.key_id(),
            self.signer.algorithm(),
        );
        let tar = payload
            .to_tar(u64::try_from(created.unix_timestamp()).unwrap_or(0))
            .map_err(|e| SealError::Malformed(e.to_string()))?;
        seal_record(
            &header,
            tar,
            &self.central.record_public_key,
            self.signer.as_ref(),
        )
    }
}

/// Now, as RFC 3339 UTC to the second (the format of `created_at`).
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.replace_nanosecond(0)
        .unwrap_or(now)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
