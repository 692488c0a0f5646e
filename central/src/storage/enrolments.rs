//! The tables behind enrolment and revocation: one-time enrolment codes (kept hashed), the
//! certificates issued to stations (by fingerprint), and each station's town hall and revocation.

use rusqlite::{OptionalExtension, params};

use wire::sealed::StationPublicKey;

use super::{Database, DatabaseError};

/// An enrolment code as stored (the code itself is never kept, only its hash).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredCode {
    /// The station the code enrols.
    pub station_id: String,
    /// The town hall it belongs to.
    pub town_hall: String,
    /// RFC 3339 UTC.
    pub expires_at: String,
    /// When it was used, if it was.
    pub used_at: Option<String>,
}

/// What a client certificate is worth now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CertificateStanding {
    /// The station's current certificate, station not revoked.
    Current {
        /// The station.
        station_id: String,
        /// Its town hall (empty for a station registered before enrolment codes, which is then
        /// shown no pre-request until it is re-keyed with one).
        town_hall: String,
    },
    /// The station was revoked.
    Revoked {
        /// The station.
        station_id: String,
    },
    /// A newer certificate replaced this one (re-key, renewal).
    Replaced {
        /// The station.
        station_id: String,
    },
    /// Not a certificate this central issued to an enrolled station.
    Unknown,
}

/// A station as `central stations list` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StationListing {
    /// Station id.
    pub station_id: String,
    /// Town hall (`meeting_point_id`); empty for a station registered before enrolment codes.
    pub town_hall: String,
    /// Record-signing public key, with its algorithm.
    pub public_key: StationPublicKey,
    /// When it was (re-)enrolled.
    pub added_at: String,
    /// When it was revoked, if it was.
    pub revoked_at: Option<String>,
    /// Serial and end of validity of its current certificate.
    pub certificate: Option<(String, String)>,
}

/// The certificate given at enrolment or renewal, as it is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateRow<'a> {
    /// Hex SHA-256 of the DER bytes.
    pub fingerprint: &'a str,
    /// Hex serial.
    pub serial: &'a str,
    /// End of validity, RFC 3339.
    pub not_after: &'a str,
}

impl Database {
    /// Keeps a new enrolment code's hash.
    pub fn add_enrolment_code(
        &self,
        code_hash: &str,
        station_id: &str,
        town_hall: &str,
        created_at: &str,
        expires_at: &str,
    ) -> Result<(), DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.add_enrolment_code(code_hash, station_id, town_hall, created_at, expires_at);
        }
        self.with(|c| {
            c.execute(
                "INSERT INTO enrolment_codes (code_hash, station_id, town_hall, created_at, expires_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
                params![code_hash, station_id, town_hall, created_at, expires_at],
            )?;
            Ok(())
        })
    }

    /// An enrolment code by its hash.
    pub fn enrolment_code(&self, code_hash: &str) -> Result<Option<StoredCode>, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.enrolment_code(code_hash);
        }
        self.with(|c| {
            Ok(c.query_row(
                "SELECT station_id, town_hall, expires_at, used_at FROM enrolment_codes
                 WHERE code_hash = ?1",
                params![code_hash],
                |row| {
                    Ok(StoredCode {
                        station_id: row.get(0)?,
                        town_hall: row.get(1)?,
                        expires_at: row.get(2)?,
                        used_at: row.get(3)?,
                    })
                },
            )
            .optional()?)
        })
    }

    /// Uses a code, in one transaction: marks it used (only if it still is unused and unexpired
    /// at `now`), registers the station's signing key and town hall (a revoked station is refused,
    /// never reinstated), replaces its previous certificates and records the new one. Returns
    /// false, changing nothing, if the code was used or expired meanwhile or the station was
    /// revoked.
    pub fn complete_enrolment(
        &self,
        code_hash: &str,
        now: &str,
        station: (&str, &str, &StationPublicKey),
        certificate: &CertificateRow<'_>,
    ) -> Result<bool, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.complete_enrolment(code_hash, now, station, certificate);
        }
        let (station_id, town_hall, public_key) = station;
        self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            // Unused and unexpired, checked again here: another request may have used it, or it
            // may have expired, since it was read (times are all RFC 3339 UTC to the second, so
            // they compare as text).
            let used = tx.execute(
                "UPDATE enrolment_codes SET used_at = ?2
                 WHERE code_hash = ?1 AND used_at IS NULL AND expires_at > ?2",
                params![code_hash, now],
            )?;
            let revoked: Option<Option<String>> = tx
                .query_row(
                    "SELECT revoked_at FROM stations WHERE station_id = ?1",
                    params![station_id],
                    |row| row.get(0),
                )
                .optional()?;
            if used != 1 || matches!(revoked, Some(Some(_))) {
                return Ok(false);
            }
            tx.execute(
                "INSERT INTO stations (station_id, algorithm, public_key, added_at, town_hall)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (station_id)
                 DO UPDATE SET algorithm = ?2, public_key = ?3, added_at = ?4, town_hall = ?5",
                params![
                    station_id,
                    public_key.algorithm.name(),
                    public_key.bytes.as_slice(),
                    now,
                    town_hall
                ],
            )?;
            replace_and_record(&tx, station_id, now, certificate)?;
            tx.commit()?;
            Ok(true)
        })
    }

    /// Records a renewed certificate for a station, replacing its others.
    pub fn renew_certificate(
        &self,
        station_id: &str,
        now: &str,
        certificate: &CertificateRow<'_>,
    ) -> Result<(), DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.renew_certificate(station_id, now, certificate);
        }
        self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            replace_and_record(&tx, station_id, now, certificate)?;
            tx.commit()?;
            Ok(())
        })
    }

    /// What a certificate is worth now (checked on every request).
    pub fn certificate_standing(
        &self,
        fingerprint: &str,
    ) -> Result<CertificateStanding, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.certificate_standing(fingerprint);
        }
        self.with(|c| {
            let row: Option<(String, Option<String>, Option<String>, String)> = c
                .query_row(
                    "SELECT c.station_id, c.replaced_at, s.revoked_at, coalesce(s.town_hall, '')
                     FROM certificates c JOIN stations s ON s.station_id = c.station_id
                     WHERE c.fingerprint = ?1",
                    params![fingerprint],
                    |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?)),
                )
                .optional()?;
            Ok(match row {
                None => CertificateStanding::Unknown,
                Some((station_id, _, Some(_), _)) => CertificateStanding::Revoked { station_id },
                Some((station_id, Some(_), None, _)) => {
                    CertificateStanding::Replaced { station_id }
                }
                Some((station_id, None, None, town_hall)) => CertificateStanding::Current {
                    station_id,
                    town_hall,
                },
            })
        })
    }

    /// The town hall a station is enrolled for (empty for one registered before enrolment codes),
    /// or `None` for a station not enrolled.
    pub fn station_town_hall(&self, station_id: &str) -> Result<Option<String>, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.station_town_hall(station_id);
        }
        self.with(|c| {
            Ok(c.query_row(
                "SELECT coalesce(town_hall, '') FROM stations WHERE station_id = ?1",
                params![station_id],
                |row| row.get(0),
            )
            .optional()?)
        })
    }

    /// Whether a station is enrolled, and if so whether it was revoked.
    pub fn station_revoked(&self, station_id: &str) -> Result<Option<bool>, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.station_revoked(station_id);
        }
        self.with(|c| {
            let row: Option<Option<String>> = c
                .query_row(
                    "SELECT revoked_at FROM stations WHERE station_id = ?1",
                    params![station_id],
                    |row| row.get(0),
                )
                .optional()?;
            Ok(row.map(|revoked| revoked.is_some()))
        })
    }

    /// Revokes a station; false if it is not enrolled. Its records stay valid.
    pub fn revoke_station(&self, station_id: &str, now: &str) -> Result<bool, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.revoke_station(station_id, now);
        }
        self.with(|c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let changed = tx.execute(
                "UPDATE stations SET revoked_at = coalesce(revoked_at, ?2) WHERE station_id = ?1",
                params![station_id, now],
            )?;
            // Codes not yet used would enrol it again.
            tx.execute(
                "UPDATE enrolment_codes SET used_at = ?2 WHERE station_id = ?1 AND used_at IS NULL",
                params![station_id, now],
            )?;
            tx.commit()?;
            Ok(changed == 1)
        })
    }

    /// Every station with its current certificate, sorted by id.
    pub fn station_listing(&self) -> Result<Vec<StationListing>, DatabaseError> {
        if let Some(pg) = self.postgres() {
            return pg.station_listing();
        }
        self.with(|c| {
            let mut statement = c.prepare(
                "SELECT s.station_id, coalesce(s.town_hall, ''), s.algorithm, s.public_key, s.added_at,
                        s.revoked_at,
                        c.serial, c.not_after
                 FROM stations s
                 LEFT JOIN certificates c ON c.station_id = s.station_id AND c.replaced_at IS NULL
                 ORDER BY s.station_id",
            )?;
            let rows = statement.query_map([], |row| {
                Ok((
                    row.get::<_, String>(0)?,
                    row.get::<_, String>(1)?,
                    row.get::<_, String>(2)?,
                    row.get::<_, Vec<u8>>(3)?,
                    row.get::<_, String>(4)?,
                    row.get::<_, Option<String>>(5)?,
                    row.get::<_, Option<String>>(6)?,
                    row.get::<_, Option<String>>(7)?,
                ))
            })?;
            let mut out = Vec::new();
            for row in rows {
                let (station_id, town_hall, algorithm, key, added_at, revoked_at, serial, not_after) =
                    row?;
                let public_key = super::database::stored_key(&station_id, &algorithm, key)?;
                out.push(StationListing {
                    station_id,
                    town_hall,
                    public_key,
                    added_at,
                    revoked_at,
                    certificate: serial.zip(not_after),
                });
            }
            Ok(out)
        })
    }
}

fn replace_and_record(
    tx: &rusqlite::Transaction<'_>,
    station_id: &str,
    now: &str,
    certificate: &CertificateRow<'_>,
) -> Result<(), DatabaseError> {
    tx.execute(
        "UPDATE certificates SET replaced_at = ?2 WHERE station_id = ?1 AND replaced_at IS NULL",
        params![station_id, now],
    )?;
    tx.execute(
        "INSERT INTO certificates (fingerprint, serial, station_id, issued_at, not_after)
         VALUES (?1, ?2, ?3, ?4, ?5)",
        params![
            certificate.fingerprint,
            certificate.serial,
            station_id,
            now,
            certificate.not_after
        ],
    )?;
    Ok(())
}
