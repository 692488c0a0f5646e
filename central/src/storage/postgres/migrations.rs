//! PostgreSQL's schema, step for step the SQLite one (`storage::database`): the same tables and
//! constraints, so that the same version number means the same schema on both. Each step is kept
//! as written once released; a change is a new step.
//!
//! Several replicas may start at once on an empty database: the whole migration runs in one
//! transaction that first takes an advisory lock, so one replica migrates while the others wait,
//! then find the schema current and change nothing. A failed step rolls every step back.

use deadpool_postgres::Pool;

use super::{connection, lock_class, lock_key};
use crate::storage::DatabaseError;
use crate::storage::database::SCHEMA_VERSION;

/// The handover attempts' schema version (SQLite keeps them in a file of their own).
pub const HANDOVER_SCHEMA_VERSION: i64 = 1;

/// The handover templates' schema version (SQLite keeps them in `templates.sqlite`).
pub const TEMPLATES_SCHEMA_VERSION: i64 = 1;

/// The prints schedule's schema version (SQLite keeps it in `prints.sqlite`).
pub const PRINTS_SCHEMA_VERSION: i64 = 1;

const VERSIONS: &str = "
CREATE TABLE IF NOT EXISTS schema_versions (
    component TEXT PRIMARY KEY NOT NULL,
    version   BIGINT NOT NULL
);
";

/// The central's state, steps 1 to 7 as on SQLite.
const CENTRAL: [&str; 7] = [
    "
CREATE TABLE stations (
    station_id TEXT PRIMARY KEY NOT NULL,
    public_key BYTEA NOT NULL CHECK (length(public_key) = 32),
    added_at   TEXT NOT NULL
);
CREATE TABLE receipts (
    record_id   TEXT PRIMARY KEY NOT NULL,
    sha256      TEXT NOT NULL,
    received_at TEXT NOT NULL,
    signature   TEXT NOT NULL,
    station_id  TEXT NOT NULL,
    pre_request TEXT NOT NULL
);
CREATE TABLE consumed (
    number      TEXT PRIMARY KEY NOT NULL,
    record_id   TEXT NOT NULL,
    consumed_at TEXT NOT NULL
);
",
    // Keys with their algorithm: Ed25519 (32 bytes) or ECDSA P-256 (65 bytes).
    "
CREATE TABLE stations_2 (
    station_id TEXT PRIMARY KEY NOT NULL,
    algorithm  TEXT NOT NULL CHECK (algorithm IN ('Ed25519', 'ECDSA-P256-SHA256')),
    public_key BYTEA NOT NULL CHECK (
        (algorithm = 'Ed25519' AND length(public_key) = 32)
        OR (algorithm = 'ECDSA-P256-SHA256' AND length(public_key) = 65)),
    added_at   TEXT NOT NULL
);
INSERT INTO stations_2 (station_id, algorithm, public_key, added_at)
    SELECT station_id, 'Ed25519', public_key, added_at FROM stations;
DROP TABLE stations;
ALTER TABLE stations_2 RENAME TO stations;
",
    // Enrolment codes, certificates by fingerprint, town halls and revocations.
    "
ALTER TABLE stations ADD COLUMN town_hall TEXT;
ALTER TABLE stations ADD COLUMN revoked_at TEXT;
CREATE TABLE certificates (
    fingerprint TEXT PRIMARY KEY NOT NULL,
    serial      TEXT NOT NULL,
    station_id  TEXT NOT NULL REFERENCES stations (station_id),
    issued_at   TEXT NOT NULL,
    not_after   TEXT NOT NULL,
    replaced_at TEXT
);
CREATE INDEX certificates_by_station ON certificates (station_id);
CREATE TABLE enrolment_codes (
    code_hash  TEXT PRIMARY KEY NOT NULL,
    station_id TEXT NOT NULL,
    town_hall  TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at    TEXT
);
",
    // Records announced when sealed.
    "
CREATE TABLE announcements (
    record_id    TEXT PRIMARY KEY NOT NULL,
    station_id   TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    pre_request  TEXT NOT NULL,
    sealed_at    TEXT NOT NULL,
    signature    TEXT NOT NULL,
    announced_at TEXT NOT NULL
);
CREATE INDEX announcements_by_station ON announcements (station_id, sealed_at);
",
    // The last audit checkpoint accepted from each station.
    "
CREATE TABLE audit_checkpoints (
    station_id  TEXT PRIMARY KEY NOT NULL,
    seq         BIGINT NOT NULL,
    sha256      TEXT NOT NULL,
    signature   TEXT NOT NULL,
    accepted_at TEXT NOT NULL
);
",
    // Paper forms of records taken without a pre-request.
    "
CREATE TABLE paper_forms (
    record_id   TEXT PRIMARY KEY NOT NULL,
    station_id  TEXT NOT NULL,
    paper_form  TEXT NOT NULL,
    received_at TEXT NOT NULL
);
",
    // Tax stamps used: the primary key keeps one stamp from paying for two records.
    "
CREATE TABLE tax_stamps_used (
    number    TEXT PRIMARY KEY NOT NULL CHECK (length(number) = 16),
    record_id TEXT NOT NULL,
    used_at   TEXT NOT NULL
);
",
];

/// Handover attempts: the unique nonce refuses a replay.
const HANDOVER: [&str; 1] = ["
CREATE TABLE handover_attempts (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at          BIGINT NOT NULL,
    at_text     TEXT NOT NULL,
    station_id  TEXT NOT NULL,
    number      TEXT NOT NULL,
    finger      INTEGER NOT NULL,
    nonce       TEXT NOT NULL UNIQUE,
    score       BIGINT,
    outcome     TEXT NOT NULL
);
CREATE INDEX handover_attempts_by_number ON handover_attempts (number, at);
CREATE INDEX handover_attempts_by_station ON handover_attempts (station_id, at);
"];

/// Handover templates, by number and record (`templates.sqlite`'s version 1): the minutiae column
/// holds what the template key sealed, never the minutiae in clear.
const TEMPLATES: [&str; 1] = ["
CREATE TABLE templates (
    number     TEXT NOT NULL,
    record_id  TEXT NOT NULL,
    station_id TEXT NOT NULL,
    stored_at  TEXT NOT NULL,
    minutiae   BYTEA NOT NULL,
    PRIMARY KEY (number, record_id)
);
CREATE INDEX templates_by_record ON templates (record_id);
"];

/// The prints schedule (`prints.sqlite`'s version 1, its tables named for the component): one
/// entry in the log per record, whatever purges run at once.
const PRINTS: [&str; 1] = ["
CREATE TABLE prints_refusals (
    record_id     TEXT PRIMARY KEY NOT NULL,
    pre_request   TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    card_event    TEXT,
    card_event_at TEXT,
    delete_after  TEXT NOT NULL,
    purged_at     TEXT,
    purging_since TEXT
);
CREATE INDEX prints_refusals_by_pre_request ON prints_refusals (pre_request);
CREATE INDEX prints_refusals_due ON prints_refusals (delete_after) WHERE purged_at IS NULL;
CREATE TABLE prints_purge_log (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    record_id     TEXT NOT NULL UNIQUE,
    purged_at     TEXT NOT NULL,
    entries       TEXT NOT NULL,
    template_rows BIGINT NOT NULL
);
"];

/// Brings every component's schema up to date, in one transaction under the migration lock.
pub(super) async fn run(pool: Pool) -> Result<(), DatabaseError> {
    let mut client = connection(&pool).await?;
    let tx = client.transaction().await?;
    lock_key(&tx, lock_class::MIGRATIONS, "schema").await?;
    tx.batch_execute(VERSIONS).await?;
    let central = step(&tx, "central", &CENTRAL).await?;
    let handover = step(&tx, "handover", &HANDOVER).await?;
    let templates = step(&tx, "templates", &TEMPLATES).await?;
    let prints = step(&tx, "prints", &PRINTS).await?;
    tx.commit().await?;
    if [central, handover, templates, prints]
        .iter()
        .any(|(before, after)| before != after)
    {
        tracing::info!(
            central_from = central.0,
            central_to = central.1,
            handover_from = handover.0,
            handover_to = handover.1,
            templates_from = templates.0,
            templates_to = templates.1,
            prints_from = prints.0,
            prints_to = prints.1,
            "PostgreSQL schema migrated"
        );
    }
    debug_assert_eq!(central.1, SCHEMA_VERSION);
    debug_assert_eq!(handover.1, HANDOVER_SCHEMA_VERSION);
    debug_assert_eq!(templates.1, TEMPLATES_SCHEMA_VERSION);
    debug_assert_eq!(prints.1, PRINTS_SCHEMA_VERSION);
    Ok(())
}

/// Applies the steps of `component` not yet applied; returns the versions before and after.
async fn step(
    tx: &deadpool_postgres::Transaction<'_>,
    component: &str,
    steps: &[&str],
) -> Result<(i64, i64), DatabaseError> {
    let known = i64::try_from(steps.len()).unwrap_or(i64::MAX);
    let before: i64 = tx
        .query_opt(
            "SELECT version FROM schema_versions WHERE component = $1",
            &[&component],
        )
        .await?
        .map(|row| row.get(0))
        .unwrap_or(0);
    if before > known {
        return Err(DatabaseError::TooNew(before));
    }
    for (done, sql) in steps
        .iter()
        .enumerate()
        .skip(usize::try_from(before).unwrap_or(0))
    {
        tx.batch_execute(sql).await?;
        let version = i64::try_from(done + 1).unwrap_or(i64::MAX);
        tx.execute(
            "INSERT INTO schema_versions (component, version) VALUES ($1, $2)
             ON CONFLICT (component) DO UPDATE SET version = EXCLUDED.version",
            &[&component, &version],
        )
        .await?;
    }
    Ok((before, known))
}
