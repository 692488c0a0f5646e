//! Announcements: the first one of a record id stays. `INSERT … ON CONFLICT DO NOTHING` first,
//! then the stored row is read and compared, so that two replicas given the same announcement at
//! once both answer from the one row that won.

use wire::announcement::RecordAnnouncement;

use super::{Postgres, connection};
use crate::storage::{AnnouncementStored, DatabaseError, MissingRecord};

impl Postgres {
    pub(crate) fn store_announcement(
        &self,
        announcement: &RecordAnnouncement,
        sealed_at: &str,
        announced_at: &str,
    ) -> Result<AnnouncementStored, DatabaseError> {
        let a = announcement.clone();
        let (sealed_at, announced_at) = (sealed_at.to_owned(), announced_at.to_owned());
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            let inserted = client
                .execute(
                    &client.prepare_cached("INSERT INTO announcements
                     (record_id, station_id, sha256, pre_request, sealed_at, signature, announced_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $7)
                     ON CONFLICT (record_id) DO NOTHING").await?,
                    &[
                        &a.record_id,
                        &a.station_id,
                        &a.sha256,
                        &a.pre_request,
                        &sealed_at,
                        &a.signature,
                        &announced_at,
                    ],
                )
                .await?;
            if inserted == 1 {
                return Ok(AnnouncementStored::New);
            }
            let row = client
                .query_one(
                    &client.prepare_cached("SELECT station_id, sha256, pre_request, sealed_at FROM announcements
                     WHERE record_id = $1").await?,
                    &[&a.record_id],
                )
                .await?;
            let stored: (String, String, String, String) =
                (row.get(0), row.get(1), row.get(2), row.get(3));
            Ok(
                if stored == (a.station_id, a.sha256, a.pre_request, sealed_at) {
                    AnnouncementStored::Again
                } else {
                    AnnouncementStored::Conflict
                },
            )
        })
    }

    pub(crate) fn missing_records(
        &self,
        sealed_before: &str,
    ) -> Result<Vec<MissingRecord>, DatabaseError> {
        let sealed_before = sealed_before.to_owned();
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            let rows = client
                .query(
                    &client
                        .prepare_cached(
                            "SELECT a.record_id, a.station_id, a.pre_request, a.sealed_at, a.sha256
                     FROM announcements a LEFT JOIN receipts r ON r.record_id = a.record_id
                     WHERE r.record_id IS NULL AND a.sealed_at <= $1
                     ORDER BY a.sealed_at, a.record_id",
                        )
                        .await?,
                    &[&sealed_before],
                )
                .await?;
            Ok(rows
                .into_iter()
                .map(|row| MissingRecord {
                    record_id: row.get(0),
                    station_id: row.get(1),
                    pre_request: row.get(2),
                    sealed_at: row.get(3),
                    sha256: row.get(4),
                })
                .collect())
        })
    }

    pub(crate) fn oldest_missing(&self, station_id: &str) -> Result<Option<String>, DatabaseError> {
        let station_id = station_id.to_owned();
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            let row = client
                .query_one(
                    &client
                        .prepare_cached(
                            "SELECT min(a.sealed_at)
                     FROM announcements a LEFT JOIN receipts r ON r.record_id = a.record_id
                     WHERE r.record_id IS NULL AND a.station_id = $1",
                        )
                        .await?,
                    &[&station_id],
                )
                .await?;
            Ok(row.get(0))
        })
    }
}
