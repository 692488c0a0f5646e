//! Handover attempts. The nonce's unique constraint refuses a replay on any replica; the rate
//! limits count under the number's and the station's locks, so that two attempts at once on two
//! replicas cannot both pass a limit.

use super::{Postgres, connection, count, lock_class, lock_key, unique_violation};
use crate::handover::{Attempt, MAX_PER_NUMBER, MAX_PER_STATION};
use crate::storage::DatabaseError;

/// How the start of an attempt was recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Begun {
    /// Recorded as pending, with its row id.
    Started(i64),
    /// Its nonce was seen before: nothing recorded.
    Replayed,
    /// Over a limit: recorded as refused, with why.
    Refused(String),
}

/// One attempt as it starts.
pub(crate) struct NewAttempt {
    pub at: i64,
    pub at_text: String,
    pub since: i64,
    pub station_id: String,
    pub number: String,
    pub finger: i32,
    pub nonce: String,
}

impl Postgres {
    pub(crate) fn begin_attempt(&self, attempt: NewAttempt) -> Result<Begun, DatabaseError> {
        self.run(|pool| async move {
            let mut client = connection(&pool).await?;
            let tx = client.transaction().await?;
            lock_key(&tx, lock_class::HANDOVER_NUMBER, &attempt.number).await?;
            lock_key(&tx, lock_class::HANDOVER_STATION, &attempt.station_id).await?;
            let seen = tx
                .query_opt(
                    &tx.prepare_cached("SELECT 1 FROM handover_attempts WHERE nonce = $1")
                        .await?,
                    &[&attempt.nonce],
                )
                .await?;
            if seen.is_some() {
                return Ok(Begun::Replayed);
            }
            let by_number: i64 = tx
                .query_one(
                    &tx.prepare_cached(
                        "SELECT count(*) FROM handover_attempts WHERE number = $1 AND at > $2
                     AND outcome != 'too-many-attempts'",
                    )
                    .await?,
                    &[&attempt.number, &attempt.since],
                )
                .await?
                .get(0);
            let by_station: i64 = tx
                .query_one(
                    &tx.prepare_cached(
                        "SELECT count(*) FROM handover_attempts WHERE station_id = $1 AND at > $2
                     AND outcome != 'too-many-attempts'",
                    )
                    .await?,
                    &[&attempt.station_id, &attempt.since],
                )
                .await?
                .get(0);
            let refused = if count(by_number) >= u64::from(MAX_PER_NUMBER) {
                Some(format!(
                    "pre-request {} has had {MAX_PER_NUMBER} handover attempts in the last hour",
                    attempt.number
                ))
            } else if count(by_station) >= u64::from(MAX_PER_STATION) {
                Some(format!(
                    "station {} has made {MAX_PER_STATION} handover attempts in the last hour",
                    attempt.station_id
                ))
            } else {
                None
            };
            let outcome = if refused.is_some() {
                "too-many-attempts"
            } else {
                "pending"
            };
            let inserted = tx
                .query_one(
                    &tx.prepare_cached(
                        "INSERT INTO handover_attempts
                     (at, at_text, station_id, number, finger, nonce, outcome)
                     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
                    )
                    .await?,
                    &[
                        &attempt.at,
                        &attempt.at_text,
                        &attempt.station_id,
                        &attempt.number,
                        &attempt.finger,
                        &attempt.nonce,
                        &outcome,
                    ],
                )
                .await;
            let id: i64 = match inserted {
                Ok(row) => row.get(0),
                // The same nonce on two numbers and two stations at once: not under one lock.
                Err(e) if unique_violation(&e).is_some() => return Ok(Begun::Replayed),
                Err(e) => return Err(e.into()),
            };
            tx.commit().await?;
            Ok(match refused {
                Some(detail) => Begun::Refused(detail),
                None => Begun::Started(id),
            })
        })
    }

    pub(crate) fn finish_attempt(
        &self,
        id: i64,
        score: Option<u32>,
        outcome: &'static str,
    ) -> Result<(), DatabaseError> {
        let score = score.map(i64::from);
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            client
                .execute(
                    &client
                        .prepare_cached(
                            "UPDATE handover_attempts SET score = $1, outcome = $2 WHERE id = $3",
                        )
                        .await?,
                    &[&score, &outcome, &id],
                )
                .await?;
            Ok(())
        })
    }

    pub(crate) fn all_attempts(&self) -> Result<Vec<Attempt>, DatabaseError> {
        self.run(|pool| async move {
            let client = connection(&pool).await?;
            let rows = client
                .query(
                    &client
                        .prepare_cached(
                            "SELECT at_text, station_id, number, finger, score, outcome
                     FROM handover_attempts ORDER BY id",
                        )
                        .await?,
                    &[],
                )
                .await?;
            rows.into_iter()
                .map(|row| {
                    let finger: i32 = row.get(3);
                    let score: Option<i64> = row.get(4);
                    Ok(Attempt {
                        at: row.get(0),
                        station_id: row.get(1),
                        number: row.get(2),
                        finger: u8::try_from(finger)
                            .map_err(|_| DatabaseError::Corrupt(format!("finger {finger}")))?,
                        score: score.and_then(|s| u32::try_from(s).ok()),
                        outcome: row.get(5),
                    })
                })
                .collect()
        })
    }
}
