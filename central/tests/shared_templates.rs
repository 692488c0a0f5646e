//! The handover templates and the prints schedule shared by replicas: two handles on one database
//! (two centrals on one PostgreSQL server, or on one data directory's SQLite files) storing the
//! templates of one number, and purging at once. The in-process locks of one central do not reach
//! another, so the database alone decides: the templates that count are those of the record that
//! consumed the number, and each refused record is purged and logged once. Also: the
//! `templates.sqlite` and `prints.sqlite` of a data directory written before keep every row.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Barrier};

use central::Receipt;
use central::prints::PrintsSchedule;
use central::storage::{Database, DatabaseChoice, DatabaseError};
use central::templates::TemplateStore;
use central::templates::sealing::TemplateKey;
use time::OffsetDateTime;

use crate::common::*;

const STATION: &str = "mairie-lyon-03-p1";

fn receipt(record_id: &str) -> Receipt {
    Receipt {
        record_id: record_id.to_owned(),
        sha256: "ab".repeat(32),
        received_at: "2026-12-07T10:00:00Z".to_owned(),
        signature: "cd".repeat(32),
    }
}

/// One replica: its database handle and its template store on it.
struct Replica {
    db: Arc<Database>,
    templates: TemplateStore,
}

fn replica(dir: &std::path::Path) -> Replica {
    let db = Arc::new(open_database(dir).unwrap());
    let templates = TemplateStore::open_beside(Arc::clone(&db), dir).unwrap();
    Replica { db, templates }
}

/// Minutiae told apart by `seed` (the store keeps bytes; they need not parse here).
fn minutiae(seed: u8) -> Vec<u8> {
    let mut bytes = fmr_2011(&[2, 7], 12);
    let last = bytes.len() - 1;
    bytes[last] = seed;
    bytes
}

/// Every stored minutiae value as the database holds it.
fn raw_minutiae(dir: &std::path::Path) -> Vec<Vec<u8>> {
    match database_for(dir) {
        DatabaseChoice::Sqlite => {
            let conn = rusqlite::Connection::open(dir.join("templates.sqlite")).unwrap();
            let mut statement = conn.prepare("SELECT minutiae FROM templates").unwrap();
            statement
                .query_map([], |row| row.get(0))
                .unwrap()
                .collect::<Result<_, _>>()
                .unwrap()
        }
        DatabaseChoice::Postgres(url) => std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async {
                let (client, connection) = tokio_postgres::connect(&url, tokio_postgres::NoTls)
                    .await
                    .unwrap();
                tokio::spawn(connection);
                client
                    .query("SELECT minutiae FROM templates", &[])
                    .await
                    .unwrap()
                    .iter()
                    .map(|row| row.get(0))
                    .collect()
            })
        })
        .join()
        .unwrap(),
    }
}

#[test]
fn a_number_stored_by_two_records_keeps_the_templates_of_the_one_that_consumed_it() {
    let dir = private_tempdir();
    let (first, second) = (replica(dir.path()), replica(dir.path()));
    // Each replica keeps its record's templates before its receipt, as intake does; the second
    // writes last, and its commit loses the number.
    let (winner, loser) = (
        uuid::Uuid::new_v4().to_string(),
        uuid::Uuid::new_v4().to_string(),
    );
    first
        .templates
        .put("DEMO000001", &winner, STATION, &minutiae(1))
        .unwrap();
    second
        .templates
        .put("DEMO000001", &loser, STATION, &minutiae(2))
        .unwrap();
    first
        .db
        .commit_intake(&receipt(&winner), STATION, "DEMO000001", None)
        .unwrap();
    assert!(matches!(
        second
            .db
            .commit_intake(&receipt(&loser), STATION, "DEMO000001", None),
        Err(DatabaseError::AlreadyConsumed(_))
    ));
    for replica in [&first, &second] {
        let kept = replica.templates.get("DEMO000001").unwrap().expect("kept");
        assert_eq!(kept.record_id, winner);
        assert_eq!(kept.minutiae, minutiae(1));
    }
    // A number no record consumed has no templates that count.
    second
        .templates
        .put("C0GKUKXJ32", &loser, STATION, &minutiae(3))
        .unwrap();
    assert_eq!(first.templates.get("C0GKUKXJ32").unwrap(), None);
    // Never in clear in the database.
    let needle = &minutiae(1)[20..44];
    let raw = raw_minutiae(dir.path());
    assert_eq!(raw.len(), 3);
    assert!(
        raw.iter()
            .all(|m| TemplateKey::is_sealed(m) && !m.windows(needle.len()).any(|w| w == needle))
    );
}

#[test]
fn templates_stored_on_two_replicas_at_once_are_the_consumers_on_both() {
    let dir = private_tempdir();
    let replicas = [Arc::new(replica(dir.path())), Arc::new(replica(dir.path()))];
    for round in 0..10u8 {
        let number = format!("SHARED{round:04}");
        let records = [
            uuid::Uuid::new_v4().to_string(),
            uuid::Uuid::new_v4().to_string(),
        ];
        let barrier = Arc::new(Barrier::new(2));
        let answers: Vec<Result<(), DatabaseError>> = (0..2)
            .map(|n| {
                let (replica, barrier) = (Arc::clone(&replicas[n]), Arc::clone(&barrier));
                let (number, record) = (number.clone(), records[n].clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    let seed = round * 2 + u8::try_from(n).unwrap();
                    replica
                        .templates
                        .put(&number, &record, STATION, &minutiae(seed))?;
                    // The same record's templates kept again (a retried upload): one row.
                    replica
                        .templates
                        .put(&number, &record, STATION, &minutiae(seed))?;
                    replica
                        .db
                        .commit_intake(&receipt(&record), STATION, &number, None)
                })
            })
            .collect::<Vec<_>>()
            .into_iter()
            .map(|t| t.join().unwrap())
            .collect();
        let won: Vec<usize> = (0..2).filter(|n| answers[*n].is_ok()).collect();
        assert_eq!(won.len(), 1, "round {round}: {answers:?}");
        let winner = won[0];
        for replica in &replicas {
            let kept = replica.templates.get(&number).unwrap().expect("kept");
            assert_eq!(kept.record_id, records[winner], "round {round}");
            assert_eq!(
                kept.minutiae,
                minutiae(round * 2 + u8::try_from(winner).unwrap())
            );
        }
    }
    assert_eq!(replicas[0].templates.count().unwrap(), 10);
    assert_eq!(raw_minutiae(dir.path()).len(), 20, "one row per record");
}

#[test]
fn two_purges_at_once_purge_each_refused_record_once() {
    let dir = private_tempdir();
    // A central's keys and database; the records themselves are not in the store, which the
    // purge notes and goes on (their templates are deleted all the same).
    let (central, _station) = start(dir.path());
    central.stop();
    let db = Arc::new(open_database(dir.path()).unwrap());
    let schedule = PrintsSchedule::open_beside(&db, dir.path()).unwrap();
    let templates = TemplateStore::open_beside(Arc::clone(&db), dir.path()).unwrap();
    let long_ago = OffsetDateTime::now_utc() - time::Duration::days(400);
    let mut refused: Vec<String> = (0..12).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    for (n, record) in refused.iter().enumerate() {
        let number = format!("PURGE{n:05}");
        schedule.note_refusal(record, &number, long_ago).unwrap();
        templates
            .put(
                &number,
                record,
                STATION,
                &minutiae(u8::try_from(n).unwrap()),
            )
            .unwrap();
    }
    let barrier = Arc::new(Barrier::new(2));
    let purges: Vec<_> = (0..2)
        .map(|_| {
            let (barrier, dir) = (Arc::clone(&barrier), dir.path().to_path_buf());
            std::thread::spawn(move || {
                let runtime = tokio::runtime::Runtime::new().unwrap();
                let database = database_for(&dir);
                barrier.wait();
                runtime
                    .block_on(central::prints::purge::purge_data_dir(
                        &dir,
                        &database,
                        OffsetDateTime::now_utc(),
                    ))
                    .unwrap()
                    .purged
            })
        })
        .collect();
    let purged: Vec<Vec<String>> = purges.into_iter().map(|t| t.join().unwrap()).collect();
    let mut all: Vec<String> = purged.concat();
    all.sort();
    refused.sort();
    assert_eq!(all, refused, "each record by one purge: {purged:?}");
    let log = schedule.purge_log().unwrap();
    assert_eq!(log.len(), refused.len(), "{log:?}");
    assert!(log.iter().all(|entry| entry.3 == 1), "{log:?}");
    assert!(raw_minutiae(dir.path()).is_empty());
    assert!(schedule.due(OffsetDateTime::now_utc()).unwrap().is_empty());
}

/// `templates.sqlite` and `prints.sqlite` as the central wrote them before they moved beside the
/// rest of its state (one template row per number; no purge claims).
const TEMPLATES_BEFORE: &str = "
CREATE TABLE templates (
    number     TEXT PRIMARY KEY NOT NULL,
    record_id  TEXT NOT NULL,
    station_id TEXT NOT NULL,
    stored_at  TEXT NOT NULL,
    minutiae   BLOB NOT NULL
);
";
const PRINTS_BEFORE: &str = "
CREATE TABLE refusals (
    record_id     TEXT PRIMARY KEY NOT NULL,
    pre_request   TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    card_event    TEXT,
    card_event_at TEXT,
    delete_after  TEXT NOT NULL,
    purged_at     TEXT
);
CREATE TABLE purge_log (
    id             INTEGER PRIMARY KEY,
    record_id      TEXT NOT NULL,
    purged_at      TEXT NOT NULL,
    entries        TEXT NOT NULL,
    template_rows  INTEGER NOT NULL
);
INSERT INTO refusals VALUES ('r-due', 'DEMO000002', '2025-01-01T10:00:00Z', NULL, NULL,
    '2026-01-01T10:00:00Z', NULL);
INSERT INTO refusals VALUES ('r-done', 'DEMO000003', '2024-01-01T10:00:00Z', 'issued',
    '2024-02-01T10:00:00Z', '2024-05-01T10:00:00Z', '2024-05-02T03:00:00Z');
INSERT INTO purge_log (record_id, purged_at, entries, template_rows)
    VALUES ('r-done', '2024-05-02T03:00:00Z', 'fingers.iso19794-4', 1);
";

#[test]
fn the_template_and_prints_files_of_an_earlier_central_keep_every_row() {
    let dir = private_tempdir();
    let data = dir.path();
    // The central's database, with the two numbers consumed by their records.
    let db = Arc::new(Database::open(data).unwrap());
    db.commit_intake(&receipt("r-sealed"), STATION, "DEMO000001", None)
        .unwrap();
    db.commit_intake(&receipt("r-clear"), STATION, "DEMO000004", None)
        .unwrap();
    // One row sealed with the template key, one in clear (from before the key).
    let key = TemplateKey::load_or_create(data).unwrap();
    let sealed = key.seal("DEMO000001", "r-sealed", &minutiae(1)).unwrap();
    {
        let conn = rusqlite::Connection::open(data.join("templates.sqlite")).unwrap();
        conn.execute_batch(TEMPLATES_BEFORE).unwrap();
        conn.execute(
            "INSERT INTO templates VALUES ('DEMO000001', 'r-sealed', ?1, '2025-01-01T10:00:00Z', ?2)",
            rusqlite::params![STATION, sealed],
        )
        .unwrap();
        conn.execute(
            "INSERT INTO templates VALUES ('DEMO000004', 'r-clear', ?1, '2025-01-01T10:00:00Z', ?2)",
            rusqlite::params![STATION, minutiae(4)],
        )
        .unwrap();
        let conn = rusqlite::Connection::open(data.join("prints.sqlite")).unwrap();
        conn.execute_batch(PRINTS_BEFORE).unwrap();
    }
    make_private(data);

    let templates = TemplateStore::open_beside(Arc::clone(&db), data).unwrap();
    let kept = templates.get("DEMO000001").unwrap().expect("sealed row");
    assert_eq!(
        (kept.record_id.as_str(), kept.minutiae),
        ("r-sealed", minutiae(1))
    );
    let kept = templates.get("DEMO000004").unwrap().expect("clear row");
    assert_eq!(
        (kept.record_id.as_str(), kept.minutiae),
        ("r-clear", minutiae(4))
    );
    assert_eq!(templates.count().unwrap(), 2);
    // The clear row is sealed now; the file holds no minutiae in clear.
    let file = std::fs::read(data.join("templates.sqlite")).unwrap();
    let needle = &minutiae(4)[20..44];
    assert!(!file.windows(needle.len()).any(|w| w == needle));
    // Opened again: nothing to migrate, the same rows.
    drop(templates);
    let templates = TemplateStore::open_beside(Arc::clone(&db), data).unwrap();
    assert_eq!(templates.count().unwrap(), 2);

    let schedule = PrintsSchedule::open(data).unwrap();
    let due = schedule.due(OffsetDateTime::now_utc()).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(
        (due[0].record_id.as_str(), due[0].pre_request.as_str()),
        ("r-due", "DEMO000002")
    );
    let done = schedule.get("r-done").unwrap().expect("kept");
    assert_eq!(done.card_event.as_deref(), Some("issued"));
    assert_eq!(done.purged_at.as_deref(), Some("2024-05-02T03:00:00Z"));
    assert_eq!(
        schedule.purge_log().unwrap(),
        vec![(
            "r-done".to_owned(),
            "2024-05-02T03:00:00Z".to_owned(),
            "fingers.iso19794-4".to_owned(),
            1
        )]
    );
    // The purge claim is there for the row that is due, and not for the one purged.
    assert!(schedule.claim("r-due").unwrap());
    assert!(!schedule.claim("r-due").unwrap(), "held by the first claim");
    assert!(!schedule.claim("r-done").unwrap());
}
