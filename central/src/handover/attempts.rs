//! Every handover attempt that opened, in its own SQLite file (`DATA/handover.sqlite`), or in the
//! central's PostgreSQL database beside its other state: time, station, number, finger, nonce,
//! score, outcome. The nonce column is unique, which is what refuses
//! a replayed request; the counts over the last hour are the rate limits.

use std::path::Path;
use std::sync::Mutex;

use rusqlite::{Connection, OptionalExtension, params};
use time::OffsetDateTime;
use wire::handover::Decision;

use super::{HandoverError, OpenedClaim};
use crate::storage::postgres::Postgres;
use crate::storage::postgres::handover_attempts::{Begun, NewAttempt};
use crate::storage::{Database, DatabaseError};

/// Name of the file inside the data directory.
pub const ATTEMPTS_FILE: &str = "handover.sqlite";

/// Most attempts for one pre-request number in an hour. An applicant whose finger is dry or badly
/// placed may need two or three tries; five leaves room for that, while someone trying several
/// people's fingers against one stolen number gets five chances an hour, not thousands.
pub const MAX_PER_NUMBER: u32 = 5;

/// Most attempts by one station in an hour. A counter hands over at most a document every minute or
/// so; sixty an hour is a busy counter's pace, and stops a stolen station key from being used to try
/// finger after finger against the whole file.
pub const MAX_PER_STATION: u32 = 60;

/// The window both limits count over.
pub const LIMIT_WINDOW: time::Duration = time::Duration::hours(1);

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS attempts (
    id          INTEGER PRIMARY KEY,
    at          INTEGER NOT NULL,
    at_text     TEXT NOT NULL,
    station_id  TEXT NOT NULL,
    number      TEXT NOT NULL,
    finger      INTEGER NOT NULL,
    nonce       TEXT NOT NULL UNIQUE,
    score       INTEGER,
    outcome     TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS attempts_by_number ON attempts (number, at);
CREATE INDEX IF NOT EXISTS attempts_by_station ON attempts (station_id, at);
";

/// How an attempt ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Being compared (an attempt left so by a crash still counts towards the limits).
    Pending,
    /// Compared and decided.
    Decided(Decision),
    /// No template held for the number or the finger.
    NoTemplates,
    /// Refused: too many attempts.
    TooManyAttempts,
    /// The central failed before deciding.
    Failed,
}

impl Outcome {
    /// The word kept in the table.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pending => "pending",
            Self::Decided(decision) => decision.as_str(),
            Self::NoTemplates => "no-templates",
            Self::TooManyAttempts => "too-many-attempts",
            Self::Failed => "failed",
        }
    }
}

/// One recorded attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// When, RFC 3339 UTC.
    pub at: String,
    /// The station.
    pub station_id: String,
    /// The pre-request number.
    pub number: String,
    /// The finger asked.
    pub finger: u8,
    /// The score, when compared.
    pub score: Option<u32>,
    /// How it ended ([`Outcome::as_str`]).
    pub outcome: String,
}

/// An attempt being made: its row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttemptId(i64);

/// The attempts table; cheap to share behind an `Arc`.
#[derive(Debug)]
pub struct AttemptLog {
    conn: Option<Mutex<Connection>>,
    postgres: Option<Postgres>,
}

impl AttemptLog {
    /// Opens (creating if needed) `DATA/handover.sqlite`.
    pub fn open(data_dir: &Path) -> Result<Self, DatabaseError> {
        let conn = crate::storage::database::open_private(&data_dir.join(ATTEMPTS_FILE))?;
        conn.execute_batch(SCHEMA)?;
        Ok(Self {
            conn: Some(Mutex::new(conn)),
            postgres: None,
        })
    }

    /// Where `db` is: its PostgreSQL database when it is on one (every replica must see every
    /// attempt for the limits and the replay check to hold), else `DATA/handover.sqlite`.
    pub fn open_beside(db: &Database, data_dir: &Path) -> Result<Self, DatabaseError> {
        match db.postgres() {
            Some(postgres) => Ok(Self {
                conn: None,
                postgres: Some(postgres.clone()),
            }),
            None => Self::open(data_dir),
        }
    }

    fn conn(&self) -> Result<std::sync::MutexGuard<'_, Connection>, DatabaseError> {
        self.conn
            .as_ref()
            .ok_or_else(|| DatabaseError::Pool("not an SQLite database".into()))?
            .lock()
            .map_err(|_| DatabaseError::Poisoned)
    }

    fn begin_on_postgres(
        postgres: &Postgres,
        claim: &OpenedClaim,
        now: OffsetDateTime,
    ) -> Result<AttemptId, HandoverError> {
        let begun = postgres.begin_attempt(NewAttempt {
            at: now.unix_timestamp(),
            at_text: now
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
            since: (now - LIMIT_WINDOW).unix_timestamp(),
            station_id: claim.station_id.clone(),
            number: claim.number.clone(),
            finger: i32::from(claim.finger),
            nonce: claim.nonce.clone(),
        })?;
        match begun {
            Begun::Started(id) => Ok(AttemptId(id)),
            Begun::Replayed => {
                tracing::warn!(station_id = %claim.station_id, pre_request = %claim.number,
                    "handover request replayed");
                Err(HandoverError::Replayed)
            }
            Begun::Refused(detail) => {
                tracing::warn!(station_id = %claim.station_id, pre_request = %claim.number,
                    %detail, "handover attempt refused: rate limit");
                Err(HandoverError::TooManyAttempts(detail))
            }
        }
    }

    /// Records the start of an attempt, in one step with its checks so that two requests at once
    /// cannot both pass a limit or share a nonce: a nonce seen before is a replay; over a limit, the
    /// attempt is recorded as refused.
    pub fn begin(
        &self,
        claim: &OpenedClaim,
        now: OffsetDateTime,
    ) -> Result<AttemptId, HandoverError> {
        if let Some(postgres) = &self.postgres {
            return Self::begin_on_postgres(postgres, claim, now);
        }
        let mut conn = self.conn()?;
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(DatabaseError::from)?;
        let seen: Option<i64> = tx
            .query_row(
                "SELECT id FROM attempts WHERE nonce = ?1",
                params![claim.nonce],
                |row| row.get(0),
            )
            .optional()
            .map_err(DatabaseError::from)?;
        if seen.is_some() {
            tracing::warn!(station_id = %claim.station_id, pre_request = %claim.number,
                "handover request replayed");
            return Err(HandoverError::Replayed);
        }
        let since = (now - LIMIT_WINDOW).unix_timestamp();
        let count = |column: &str, value: &str| -> Result<u32, DatabaseError> {
            let n: i64 = tx.query_row(
                &format!(
                    "SELECT count(*) FROM attempts WHERE {column} = ?1 AND at > ?2 \
                     AND outcome != 'too-many-attempts'"
                ),
                params![value, since],
                |row| row.get(0),
            )?;
            Ok(u32::try_from(n).unwrap_or(u32::MAX))
        };
        let refused = if count("number", &claim.number)? >= MAX_PER_NUMBER {
            Some(format!(
                "pre-request {} has had {MAX_PER_NUMBER} handover attempts in the last hour",
                claim.number
            ))
        } else if count("station_id", &claim.station_id)? >= MAX_PER_STATION {
            Some(format!(
                "station {} has made {MAX_PER_STATION} handover attempts in the last hour",
                claim.station_id
            ))
        } else {
            None
        };
        let outcome = if refused.is_some() {
            Outcome::TooManyAttempts
        } else {
            Outcome::Pending
        };
        tx.execute(
            "INSERT INTO attempts (at, at_text, station_id, number, finger, nonce, outcome)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                now.unix_timestamp(),
                now.format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                claim.station_id,
                claim.number,
                claim.finger,
                claim.nonce,
                outcome.as_str()
            ],
        )
        .map_err(DatabaseError::from)?;
        let id = tx.last_insert_rowid();
        tx.commit().map_err(DatabaseError::from)?;
        match refused {
            Some(detail) => {
                tracing::warn!(station_id = %claim.station_id, pre_request = %claim.number,
                    %detail, "handover attempt refused: rate limit");
                Err(HandoverError::TooManyAttempts(detail))
            }
            None => Ok(AttemptId(id)),
        }
    }

    /// Records how attempt `id` ended.
    pub fn finish(
        &self,
        id: AttemptId,
        score: Option<u32>,
        outcome: Outcome,
    ) -> Result<(), DatabaseError> {
        if let Some(postgres) = &self.postgres {
            return postgres.finish_attempt(id.0, score, outcome.as_str());
        }
        let conn = self.conn()?;
        conn.execute(
            "UPDATE attempts SET score = ?1, outcome = ?2 WHERE id = ?3",
            params![score, outcome.as_str(), id.0],
        )?;
        Ok(())
    }

    /// Every attempt, oldest first (for an inspector, and the tests).
    pub fn all(&self) -> Result<Vec<Attempt>, DatabaseError> {
        if let Some(postgres) = &self.postgres {
            return postgres.all_attempts();
        }
        let conn = self.conn()?;
        let mut statement = conn.prepare(
            "SELECT at_text, station_id, number, finger, score, outcome FROM attempts ORDER BY id",
        )?;
        let rows = statement.query_map([], |row| {
            Ok(Attempt {
                at: row.get(0)?,
                station_id: row.get(1)?,
                number: row.get(2)?,
                finger: row.get(3)?,
                score: row.get(4)?,
                outcome: row.get(5)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claim(station: &str, number: &str, nonce: u32) -> OpenedClaim {
        OpenedClaim {
            number: number.into(),
            finger: 0,
            nonce: format!("{nonce:064x}"),
            station_id: station.into(),
            requested_at: "2026-12-02T14:03:27Z".into(),
            template: fingerprint::Template {
                width: 256,
                height: 288,
                resolution_ppcm: fingerprint::RESOLUTION_500_PPI,
                minutiae: Vec::new(),
            },
        }
    }

    fn log() -> (tempfile::TempDir, AttemptLog) {
        let dir = tempfile::tempdir().expect("temporary directory");
        let log = AttemptLog::open(dir.path()).expect("opens");
        (dir, log)
    }

    #[test]
    fn a_nonce_is_taken_once() {
        let (_dir, log) = log();
        let now = OffsetDateTime::now_utc();
        assert!(log.begin(&claim("s1", "AB12CD34EF", 1), now).is_ok());
        assert!(matches!(
            log.begin(&claim("s2", "QQQQQQQQQQ", 1), now),
            Err(HandoverError::Replayed)
        ));
    }

    #[test]
    fn the_per_number_limit_counts_the_last_hour() {
        let (_dir, log) = log();
        let long_ago = OffsetDateTime::now_utc() - time::Duration::hours(2);
        for n in 0..MAX_PER_NUMBER {
            let id = log
                .begin(&claim("s1", "AB12CD34EF", n), long_ago)
                .expect("under the limit");
            log.finish(id, Some(10), Outcome::Decided(Decision::NoMatch))
                .expect("recorded");
        }
        let now = OffsetDateTime::now_utc();
        for n in 0..MAX_PER_NUMBER {
            assert!(log.begin(&claim("s1", "AB12CD34EF", 100 + n), now).is_ok());
        }
        assert!(matches!(
            log.begin(&claim("s2", "AB12CD34EF", 200), now),
            Err(HandoverError::TooManyAttempts(_))
        ));
        // Another number is not held back by this one.
        assert!(log.begin(&claim("s2", "QQQQQQQQQQ", 201), now).is_ok());
        let all = log.all().expect("reads");
        assert_eq!(all.len(), 2 * MAX_PER_NUMBER as usize + 2);
        assert_eq!(all[0].score, Some(10));
        assert_eq!(all[0].outcome, "no-match");
        assert_eq!(
            all[2 * MAX_PER_NUMBER as usize].outcome,
            "too-many-attempts"
        );
    }

    #[test]
    fn the_per_station_limit_holds_across_numbers() {
        let (_dir, log) = log();
        let now = OffsetDateTime::now_utc();
        for n in 0..MAX_PER_STATION {
            let number = format!("AB{n:08}");
            assert!(log.begin(&claim("s1", &number, n), now).is_ok());
        }
        assert!(matches!(
            log.begin(&claim("s1", "ZZ00000000", 999), now),
            Err(HandoverError::TooManyAttempts(detail)) if detail.contains("station s1")
        ));
        assert!(log.begin(&claim("s2", "ZZ00000000", 1000), now).is_ok());
    }
}
