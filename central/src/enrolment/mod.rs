//! Enrolling stations (docs/central-api.md, "Provisioning a station"): a technician asks the central
//! for a one-time code bound to one station id and one town hall; the station redeems it with a CSR
//! for its TLS key and its record-signing public key, and gets its client certificate. Re-keying is
//! a new code for an enrolled station; revocation refuses the station at once on every endpoint.

pub mod code;

use std::path::Path;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use crate::keys::PublicKeys;
use crate::stations::{StationError, check_station_id};
use crate::storage::{CertificateRow, Database, DatabaseError, StationListing};
use crate::trust::{AuthorityError, NationalCa};

/// How long a code stays usable unless told otherwise.
pub const DEFAULT_CODE_HOURS: u32 = 24;
/// How long a station's certificate is valid; the station renews it when a third is left.
pub const STATION_CERT_DAYS: i64 = 90;

/// Why a code could not be issued or redeemed, or a station managed.
#[derive(Debug, thiserror::Error)]
pub enum EnrolmentError {
    /// A station id or key is malformed.
    #[error(transparent)]
    Station(#[from] StationError),
    /// `enrol` for a station already enrolled (use `rekey`).
    #[error("station {0} is already enrolled: use `central stations rekey` for a new certificate")]
    AlreadyEnrolled(String),
    /// `rekey` or `revoke` for a station never enrolled.
    #[error("station {0} is not enrolled")]
    NotEnrolled(String),
    /// The station was revoked: it cannot be enrolled again under the same id.
    #[error("station {0} was revoked")]
    Revoked(String),
    /// The town hall id is empty or too long.
    #[error("town hall id {0:?}: use 1 to 64 characters among A-Z a-z 0-9 . _ -")]
    BadTownHall(String),
    /// The code is not one this central issued.
    #[error("unknown enrolment code")]
    UnknownCode,
    /// The code was used already.
    #[error("this enrolment code was already used")]
    CodeUsed,
    /// The code expired.
    #[error("this enrolment code expired at {0}")]
    CodeExpired(String),
    /// The CA could not sign, or the CSR was refused.
    #[error(transparent)]
    Authority(#[from] AuthorityError),
    /// The database failed.
    #[error(transparent)]
    Database(#[from] DatabaseError),
    /// The system random source failed.
    #[error("the system random source failed")]
    Random,
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&Rfc3339)
        .unwrap_or_default()
}

fn check_town_hall(id: &str) -> Result<(), EnrolmentError> {
    // Same alphabet as station ids: it goes into the certificate and the logs.
    check_station_id(id).map_err(|_| EnrolmentError::BadTownHall(id.into()))
}

/// A code issued for a station.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IssuedCode {
    /// The code, to give to the technician at the station (shown once, never stored).
    pub code: String,
    /// When it stops being accepted, RFC 3339.
    pub expires_at: String,
}

fn issue_code(
    db: &Database,
    station_id: &str,
    town_hall: &str,
    valid_hours: u32,
) -> Result<IssuedCode, EnrolmentError> {
    let code = code::new_code().ok_or(EnrolmentError::Random)?;
    let now = OffsetDateTime::now_utc();
    let expires_at = rfc3339(now + time::Duration::hours(i64::from(valid_hours)));
    db.add_enrolment_code(
        &code::hash(&code),
        station_id,
        town_hall,
        &rfc3339(now),
        &expires_at,
    )?;
    tracing::info!(station_id, town_hall, expires_at, "enrolment code issued");
    Ok(IssuedCode { code, expires_at })
}

/// A one-time code that enrols a new station `station_id` of `town_hall`.
pub fn enrol(
    db: &Database,
    station_id: &str,
    town_hall: &str,
    valid_hours: u32,
) -> Result<IssuedCode, EnrolmentError> {
    check_station_id(station_id)?;
    check_town_hall(town_hall)?;
    match db.station_revoked(station_id)? {
        Some(true) => return Err(EnrolmentError::Revoked(station_id.into())),
        Some(false) => return Err(EnrolmentError::AlreadyEnrolled(station_id.into())),
        None => {}
    }
    issue_code(db, station_id, town_hall, valid_hours)
}

/// A one-time code that gives an enrolled station a new certificate (and signing key); the old
/// certificate is refused from the moment the new one is issued.
///
/// `town_hall` moves the station to another town hall; a station registered before enrolment codes
/// existed has none and must be given one here.
pub fn rekey(
    db: &Database,
    station_id: &str,
    town_hall: Option<&str>,
    valid_hours: u32,
) -> Result<IssuedCode, EnrolmentError> {
    check_station_id(station_id)?;
    let listing = db
        .station_listing()?
        .into_iter()
        .find(|s| s.station_id == station_id)
        .ok_or_else(|| EnrolmentError::NotEnrolled(station_id.into()))?;
    if listing.revoked_at.is_some() {
        return Err(EnrolmentError::Revoked(station_id.into()));
    }
    let town_hall = town_hall.unwrap_or(&listing.town_hall);
    check_town_hall(town_hall)?;
    issue_code(db, station_id, town_hall, valid_hours)
}

/// Revokes a station: every request over any of its certificates is refused from now on.
pub fn revoke(db: &Database, station_id: &str) -> Result<(), EnrolmentError> {
    check_station_id(station_id)?;
    if !db.revoke_station(station_id, &rfc3339(OffsetDateTime::now_utc()))? {
        return Err(EnrolmentError::NotEnrolled(station_id.into()));
    }
    tracing::warn!(station_id, "station revoked");
    Ok(())
}

/// Every station.
pub fn list(db: &Database) -> Result<Vec<StationListing>, EnrolmentError> {
    Ok(db.station_listing()?)
}

/// Redeems a code: checks it, signs the station's certificate, registers the station.
pub fn redeem(
    db: &Database,
    ca: &NationalCa,
    keys: &PublicKeys,
    request: &wire::provisioning::EnrolRequest,
) -> Result<wire::provisioning::EnrolAnswer, EnrolmentError> {
    let code_hash = code::hash(&request.code);
    let stored = db
        .enrolment_code(&code_hash)?
        .ok_or(EnrolmentError::UnknownCode)?;
    if stored.used_at.is_some() {
        return Err(EnrolmentError::CodeUsed);
    }
    let now = OffsetDateTime::now_utc();
    let expires = OffsetDateTime::parse(&stored.expires_at, &Rfc3339)
        .map_err(|e| DatabaseError::Corrupt(format!("code expiry: {e}")))?;
    if now >= expires {
        return Err(EnrolmentError::CodeExpired(stored.expires_at));
    }
    let public_key = request
        .signing_key()
        .map_err(|e| StationError::BadKey(e.to_string()))?;
    let issued = ca.issue_station(
        &request.csr_pem,
        &stored.station_id,
        &stored.town_hall,
        time::Duration::days(STATION_CERT_DAYS),
    )?;
    let row = CertificateRow {
        fingerprint: &issued.fingerprint,
        serial: &issued.serial,
        not_after: &issued.not_after,
    };
    let done = db.complete_enrolment(
        &code_hash,
        &rfc3339(now),
        (&stored.station_id, &stored.town_hall, &public_key),
        &row,
    )?;
    if !done {
        // Used by a concurrent request, expired since it was read, or the station was revoked.
        let used = db
            .enrolment_code(&code_hash)?
            .is_some_and(|code| code.used_at.is_some());
        return Err(match db.station_revoked(&stored.station_id)? {
            Some(true) => EnrolmentError::Revoked(stored.station_id),
            _ if used => EnrolmentError::CodeUsed,
            _ => EnrolmentError::CodeExpired(stored.expires_at),
        });
    }
    tracing::info!(
        station_id = stored.station_id,
        town_hall = stored.town_hall,
        serial = issued.serial,
        algorithm = %public_key.algorithm,
        "station enrolled"
    );
    Ok(wire::provisioning::EnrolAnswer {
        station_id: stored.station_id,
        town_hall: stored.town_hall,
        certificate_pem: issued.pem,
        ca_pem: ca.cert_pem().to_owned(),
        not_after: issued.not_after,
        record_public_key: hex::encode(keys.record_public_key),
        receipt_public_key: hex::encode(keys.receipt_public_key),
    })
}

/// Renews the certificate of `station_id` (already authenticated by its current certificate).
pub fn renew(
    db: &Database,
    ca: &NationalCa,
    keys: &PublicKeys,
    station_id: &str,
    csr_pem: &str,
) -> Result<wire::provisioning::EnrolAnswer, EnrolmentError> {
    let listing = db
        .station_listing()?
        .into_iter()
        .find(|s| s.station_id == station_id)
        .ok_or_else(|| EnrolmentError::NotEnrolled(station_id.into()))?;
    let issued = ca.issue_station(
        csr_pem,
        station_id,
        &listing.town_hall,
        time::Duration::days(STATION_CERT_DAYS),
    )?;
    db.renew_certificate(
        station_id,
        &rfc3339(OffsetDateTime::now_utc()),
        &CertificateRow {
            fingerprint: &issued.fingerprint,
            serial: &issued.serial,
            not_after: &issued.not_after,
        },
    )?;
    tracing::info!(
        station_id,
        serial = issued.serial,
        "station certificate renewed"
    );
    Ok(wire::provisioning::EnrolAnswer {
        station_id: station_id.to_owned(),
        town_hall: listing.town_hall,
        certificate_pem: issued.pem,
        ca_pem: ca.cert_pem().to_owned(),
        not_after: issued.not_after,
        record_public_key: hex::encode(keys.record_public_key),
        receipt_public_key: hex::encode(keys.receipt_public_key),
    })
}

/// Opens the database of a central's data directory for the `central stations` commands (the
/// server may be running).
pub fn open_database(data_dir: &Path) -> Result<Database, EnrolmentError> {
    open_database_with(data_dir, &crate::storage::DatabaseChoice::Sqlite)
}

/// As [`open_database`], on the database chosen (`--database`).
pub fn open_database_with(
    data_dir: &Path,
    choice: &crate::storage::DatabaseChoice,
) -> Result<Database, EnrolmentError> {
    crate::storage::private::create_dir(data_dir)
        .map_err(|e| StationError::DataDir(data_dir.display().to_string(), e))?;
    Ok(Database::open_with(data_dir, choice)?)
}
