//! A station's signed request for a pre-request's templates. Stations authenticate as they do on
//! intake: with the Ed25519 key registered for their station id (stations.rs), here over a short
//! message naming the number, the station and the time, so a signature is good for one number,
//! one station and a few minutes only.

use crate::storage::{Database, DatabaseError};

/// How far the request's time may be from the central's clock.
pub const MAX_CLOCK_SKEW: time::Duration = time::Duration::minutes(5);

pub use wire::handover::signed_message;

/// What the request headers say.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoverRequest {
    /// `x-station-id`.
    pub station_id: String,
    /// `x-station-time`, RFC 3339.
    pub time: String,
    /// `x-station-signature`, 128 hex digits.
    pub signature: String,
}

/// Why a request was refused.
#[derive(Debug, thiserror::Error)]
pub enum RequestError {
    /// A header is missing or not shaped as agreed.
    #[error("malformed request: {0}")]
    Malformed(String),
    /// The station id is not registered.
    #[error("station {0:?} is not registered")]
    UnknownStation(String),
    /// The signature does not verify with the station's key.
    #[error("the station signature does not verify")]
    BadSignature,
    /// The request time is too far from the central's clock.
    #[error("request time {0} is more than 5 minutes from the central's clock")]
    Stale(String),
    /// The central's database failed.
    #[error(transparent)]
    Database(#[from] DatabaseError),
}

impl HandoverRequest {
    /// Checks the request for `number` (canonical) against the registered stations at `now`.
    pub fn verify(
        &self,
        db: &Database,
        number: &str,
        now: time::OffsetDateTime,
    ) -> Result<(), RequestError> {
        let key = db
            .station_key(&self.station_id)?
            .ok_or_else(|| RequestError::UnknownStation(self.station_id.clone()))?;
        let signature = hex::decode(&self.signature)
            .ok()
            .filter(|s| s.len() == 64)
            .ok_or_else(|| RequestError::Malformed("x-station-signature: 128 hex digits".into()))?;
        if !crate::stations::verify_signature(
            &key,
            &signed_message(number, &self.station_id, &self.time),
            &signature,
        ) {
            return Err(RequestError::BadSignature);
        }
        let at =
            time::OffsetDateTime::parse(&self.time, &time::format_description::well_known::Rfc3339)
                .map_err(|_| RequestError::Malformed("x-station-time: RFC 3339".into()))?;
        if (at - now).abs() > MAX_CLOCK_SKEW {
            return Err(RequestError::Stale(self.time.clone()));
        }
        Ok(())
    }
}
