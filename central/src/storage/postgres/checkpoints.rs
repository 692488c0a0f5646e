//! Audit checkpoints: compared with the last one and moved forward under the station's lock, so
//! that two uploads at once on two replicas cannot both pass on a stale comparison.

use wire::audit_checkpoint::AuditCheckpoint;

use super::{Postgres, connection, lock_class, lock_key};
use crate::storage::{CheckpointVerdict, DatabaseError};

impl Postgres {
    pub(crate) fn accept_checkpoint(
        &self,
        station_id: &str,
        checkpoint: &AuditCheckpoint,
        seq: i64,
        now: &str,
    ) -> Result<CheckpointVerdict, DatabaseError> {
        let (station_id, now) = (station_id.to_owned(), now.to_owned());
        let (sha256, signature) = (checkpoint.sha256.clone(), checkpoint.signature.clone());
        self.run(|pool| async move {
            let mut client = connection(&pool).await?;
            let tx = client.transaction().await?;
            lock_key(&tx, lock_class::CHECKPOINT, &station_id).await?;
            let last: Option<(i64, String)> = tx
                .query_opt(
                    &tx.prepare_cached(
                        "SELECT seq, sha256 FROM audit_checkpoints WHERE station_id = $1",
                    )
                    .await?,
                    &[&station_id],
                )
                .await?
                .map(|row| (row.get(0), row.get(1)));
            let regressed = |last_seq: i64| CheckpointVerdict::Regressed {
                last_seq: u64::try_from(last_seq).unwrap_or(0),
            };
            let verdict = match last {
                Some((last_seq, _)) if seq < last_seq => regressed(last_seq),
                Some((last_seq, hash)) if seq == last_seq && hash != sha256 => regressed(last_seq),
                Some((last_seq, _)) if seq == last_seq => CheckpointVerdict::Accepted,
                _ => {
                    tx.execute(
                        &tx.prepare_cached(
                            "INSERT INTO audit_checkpoints
                         (station_id, seq, sha256, signature, accepted_at)
                         VALUES ($1, $2, $3, $4, $5)
                         ON CONFLICT (station_id) DO UPDATE SET seq = $2, sha256 = $3,
                             signature = $4, accepted_at = $5",
                        )
                        .await?,
                        &[&station_id, &seq, &sha256, &signature, &now],
                    )
                    .await?;
                    CheckpointVerdict::Accepted
                }
            };
            tx.commit().await?;
            Ok(verdict)
        })
    }

    pub(crate) fn has_checkpoint(&self, station_id: &str) -> Result<bool, DatabaseError> {
        let station_id = station_id.to_owned();
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            Ok(client
                .query_opt(
                    &client
                        .prepare_cached("SELECT 1 FROM audit_checkpoints WHERE station_id = $1")
                        .await?,
                    &[&station_id],
                )
                .await?
                .is_some())
        })
    }
}
