//! The day's figures: one row per sealed enrolment and step, in a small SQLite file next to the
//! outbox (`counter.sqlite`). Only durations, a record id and the day: no applicant data, no
//! biometric data. The home screen's "today" and the medians per step come from here.

use std::{collections::BTreeMap, path::Path, sync::Mutex};

use rusqlite::{Connection, params};

use super::view::TodayView;
use crate::outbox::{OutboxError, database};

/// The schema (same pragma and migration code as the outbox).
const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE step_timings (
    record_id  TEXT NOT NULL,
    day        TEXT NOT NULL,
    step       TEXT NOT NULL,
    ms         INTEGER NOT NULL,
    PRIMARY KEY (record_id, step)
);
CREATE INDEX step_timings_day ON step_timings (day);
"#];

/// The store of step timings.
#[derive(Debug)]
pub(crate) struct Today {
    conn: Mutex<Connection>,
}

impl Today {
    /// The file's place under the data directory.
    pub(crate) fn default_path(data_dir: &Path) -> std::path::PathBuf {
        data_dir.join("counter.sqlite")
    }

    /// Opens (or creates) the store.
    pub(crate) fn open(path: &Path) -> Result<Self, OutboxError> {
        let mut conn = database::open_private(path)?;
        database::apply_pragmas(&conn)?;
        database::migrate(&mut conn, MIGRATIONS)?;
        Ok(Self {
            conn: Mutex::new(conn),
        })
    }

    /// Records one sealed enrolment's step timings on `day` (`YYYY-MM-DD`).
    pub(crate) fn record(
        &self,
        record_id: &str,
        day: &str,
        steps: &BTreeMap<String, u64>,
    ) -> Result<(), OutboxError> {
        let mut conn = self.conn.lock().map_err(|_| OutboxError::Poisoned)?;
        let tx = conn.transaction()?;
        for (step, ms) in steps {
            tx.execute(
                "INSERT OR REPLACE INTO step_timings (record_id, day, step, ms) VALUES (?1, ?2, ?3, ?4)",
                params![record_id, day, step, i64::try_from(*ms).unwrap_or(i64::MAX)],
            )?;
        }
        tx.commit()?;
        Ok(())
    }

    /// Enrolments sealed on `day` and the median of each step.
    pub(crate) fn summary(&self, day: &str) -> Result<TodayView, OutboxError> {
        let conn = self.conn.lock().map_err(|_| OutboxError::Poisoned)?;
        let enrolments: i64 = conn.query_row(
            "SELECT count(DISTINCT record_id) FROM step_timings WHERE day = ?1",
            [day],
            |r| r.get(0),
        )?;
        let mut by_step: BTreeMap<String, Vec<u64>> = BTreeMap::new();
        let mut stmt = conn.prepare_cached("SELECT step, ms FROM step_timings WHERE day = ?1")?;
        let rows = stmt.query_map([day], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (step, ms) = row?;
            by_step
                .entry(step)
                .or_default()
                .push(u64::try_from(ms).unwrap_or(0));
        }
        Ok(TodayView {
            enrolments: u32::try_from(enrolments).unwrap_or(u32::MAX),
            median_ms: by_step
                .into_iter()
                .map(|(step, mut values)| (step, median(&mut values)))
                .collect(),
        })
    }
}

/// The median (the lower middle for an even count); 0 for none.
pub fn median(values: &mut [u64]) -> u64 {
    if values.is_empty() {
        return 0;
    }
    values.sort_unstable();
    values[(values.len() - 1) / 2]
}
