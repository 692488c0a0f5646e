//! Stations, their certificates and enrolment codes. Using a code is one `UPDATE … WHERE used_at
//! IS NULL`: PostgreSQL locks the row, and a second replica's update waits, then finds it used.

use wire::sealed::StationPublicKey;

use super::{Postgres, connection};
use crate::storage::database::stored_key;
use crate::storage::{
    CertificateRow, CertificateStanding, DatabaseError, StationListing, StoredCode,
};

impl Postgres {
    pub(crate) fn station_key(
        &self,
        station_id: &str,
    ) -> Result<Option<StationPublicKey>, DatabaseError> {
        self.one_row(
            "SELECT algorithm, public_key FROM stations WHERE station_id = $1",
            station_id,
            |row| (row.get::<_, String>(0), row.get(1)),
        )?
        .map(|(algorithm, key)| stored_key(station_id, &algorithm, key))
        .transpose()
    }

    pub(crate) fn add_enrolment_code(
        &self,
        code_hash: &str,
        station_id: &str,
        town_hall: &str,
        created_at: &str,
        expires_at: &str,
    ) -> Result<(), DatabaseError> {
        let values = [code_hash, station_id, town_hall, created_at, expires_at].map(str::to_owned);
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            let [a, b, c, d, e] = &values;
            client
                .execute(
                    &client
                        .prepare_cached(
                            "INSERT INTO enrolment_codes
                     (code_hash, station_id, town_hall, created_at, expires_at)
                     VALUES ($1, $2, $3, $4, $5)",
                        )
                        .await?,
                    &[a, b, c, d, e],
                )
                .await?;
            Ok(())
        })
    }

    pub(crate) fn enrolment_code(
        &self,
        code_hash: &str,
    ) -> Result<Option<StoredCode>, DatabaseError> {
        self.one_row(
            "SELECT station_id, town_hall, expires_at, used_at FROM enrolment_codes
             WHERE code_hash = $1",
            code_hash,
            |row| StoredCode {
                station_id: row.get(0),
                town_hall: row.get(1),
                expires_at: row.get(2),
                used_at: row.get(3),
            },
        )
    }

    pub(crate) fn complete_enrolment(
        &self,
        code_hash: &str,
        now: &str,
        station: (&str, &str, &StationPublicKey),
        certificate: &CertificateRow<'_>,
    ) -> Result<bool, DatabaseError> {
        let (code_hash, now) = (code_hash.to_owned(), now.to_owned());
        let (station_id, town_hall) = (station.0.to_owned(), station.1.to_owned());
        let (algorithm, key) = (station.2.algorithm.name(), station.2.bytes.to_vec());
        let certificate = OwnedCertificate::from(certificate);
        self.run(|pool| async move {
            let mut client = connection(&pool).await?;
            let tx = client.transaction().await?;
            let used = tx
                .execute(
                    &tx.prepare_cached(
                        "UPDATE enrolment_codes SET used_at = $2
                     WHERE code_hash = $1 AND used_at IS NULL AND expires_at > $2",
                    )
                    .await?,
                    &[&code_hash, &now],
                )
                .await?;
            // The station's row is locked for the rest of the transaction, so that a revocation
            // at the same moment comes wholly before or wholly after.
            let revoked: Option<Option<String>> = tx
                .query_opt(
                    &tx.prepare_cached(
                        "SELECT revoked_at FROM stations WHERE station_id = $1 FOR UPDATE",
                    )
                    .await?,
                    &[&station_id],
                )
                .await?
                .map(|row| row.get(0));
            if used != 1 || matches!(revoked, Some(Some(_))) {
                return Ok(false);
            }
            tx.execute(
                &tx.prepare_cached(
                    "INSERT INTO stations (station_id, algorithm, public_key, added_at, town_hall)
                 VALUES ($1, $2, $3, $4, $5)
                 ON CONFLICT (station_id)
                 DO UPDATE SET algorithm = $2, public_key = $3, added_at = $4, town_hall = $5",
                )
                .await?,
                &[&station_id, &algorithm, &key, &now, &town_hall],
            )
            .await?;
            replace_and_record(&tx, &station_id, &now, &certificate).await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    pub(crate) fn renew_certificate(
        &self,
        station_id: &str,
        now: &str,
        certificate: &CertificateRow<'_>,
    ) -> Result<(), DatabaseError> {
        let (station_id, now) = (station_id.to_owned(), now.to_owned());
        let certificate = OwnedCertificate::from(certificate);
        self.run(|pool| async move {
            let mut client = connection(&pool).await?;
            let tx = client.transaction().await?;
            replace_and_record(&tx, &station_id, &now, &certificate).await?;
            tx.commit().await?;
            Ok(())
        })
    }

    pub(crate) fn certificate_standing(
        &self,
        fingerprint: &str,
    ) -> Result<CertificateStanding, DatabaseError> {
        let fingerprint = fingerprint.to_owned();
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            let row = client
                .query_opt(
                    &client.prepare_cached("SELECT c.station_id, c.replaced_at, s.revoked_at, coalesce(s.town_hall, '')
                     FROM certificates c JOIN stations s ON s.station_id = c.station_id
                     WHERE c.fingerprint = $1").await?,
                    &[&fingerprint],
                )
                .await?;
            let row: Option<(String, Option<String>, Option<String>, String)> =
                row.map(|row| (row.get(0), row.get(1), row.get(2), row.get(3)));
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

    pub(crate) fn station_town_hall(
        &self,
        station_id: &str,
    ) -> Result<Option<String>, DatabaseError> {
        self.one_text(
            "SELECT coalesce(town_hall, '') FROM stations WHERE station_id = $1",
            station_id,
        )
    }

    pub(crate) fn station_revoked(&self, station_id: &str) -> Result<Option<bool>, DatabaseError> {
        let station_id = station_id.to_owned();
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            let row = client
                .query_opt(
                    &client
                        .prepare_cached("SELECT revoked_at FROM stations WHERE station_id = $1")
                        .await?,
                    &[&station_id],
                )
                .await?;
            Ok(row.map(|row| row.get::<_, Option<String>>(0).is_some()))
        })
    }

    pub(crate) fn revoke_station(
        &self,
        station_id: &str,
        now: &str,
    ) -> Result<bool, DatabaseError> {
        let (station_id, now) = (station_id.to_owned(), now.to_owned());
        self.run(|pool| async move {
            let mut client = connection(&pool).await?;
            let tx = client.transaction().await?;
            let changed = tx
                .execute(
                    &tx.prepare_cached("UPDATE stations SET revoked_at = coalesce(revoked_at, $2) WHERE station_id = $1").await?,
                    &[&station_id, &now],
                )
                .await?;
            // Codes not yet used would enrol it again.
            tx.execute(
                &tx.prepare_cached("UPDATE enrolment_codes SET used_at = $2 WHERE station_id = $1 AND used_at IS NULL").await?,
                &[&station_id, &now],
            )
            .await?;
            tx.commit().await?;
            Ok(changed == 1)
        })
    }

    pub(crate) fn station_listing(&self) -> Result<Vec<StationListing>, DatabaseError> {
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            let rows = client
                .query(
                    &client.prepare_cached("SELECT s.station_id, coalesce(s.town_hall, ''), s.algorithm, s.public_key,
                            s.added_at, s.revoked_at, c.serial, c.not_after
                     FROM stations s
                     LEFT JOIN certificates c
                         ON c.station_id = s.station_id AND c.replaced_at IS NULL
                     ORDER BY s.station_id").await?,
                    &[],
                )
                .await?;
            let mut out = Vec::with_capacity(rows.len());
            for row in rows {
                let station_id: String = row.get(0);
                let public_key = stored_key(&station_id, row.get(2), row.get(3))?;
                let serial: Option<String> = row.get(6);
                let not_after: Option<String> = row.get(7);
                out.push(StationListing {
                    town_hall: row.get(1),
                    public_key,
                    added_at: row.get(4),
                    revoked_at: row.get(5),
                    certificate: serial.zip(not_after),
                    station_id,
                });
            }
            Ok(out)
        })
    }
}

/// A [`CertificateRow`] that can cross into the database task.
struct OwnedCertificate {
    fingerprint: String,
    serial: String,
    not_after: String,
}

impl From<&CertificateRow<'_>> for OwnedCertificate {
    fn from(row: &CertificateRow<'_>) -> Self {
        Self {
            fingerprint: row.fingerprint.to_owned(),
            serial: row.serial.to_owned(),
            not_after: row.not_after.to_owned(),
        }
    }
}

async fn replace_and_record(
    tx: &deadpool_postgres::Transaction<'_>,
    station_id: &str,
    now: &str,
    certificate: &OwnedCertificate,
) -> Result<(), DatabaseError> {
    tx.execute(
        &tx.prepare_cached("UPDATE certificates SET replaced_at = $2 WHERE station_id = $1 AND replaced_at IS NULL").await?,
        &[&station_id, &now],
    )
    .await?;
    tx.execute(
        &tx.prepare_cached(
            "INSERT INTO certificates (fingerprint, serial, station_id, issued_at, not_after)
         VALUES ($1, $2, $3, $4, $5)",
        )
        .await?,
        &[
            &certificate.fingerprint,
            &certificate.serial,
            &station_id,
            &now,
            &certificate.not_after,
        ],
    )
    .await?;
    Ok(())
}
