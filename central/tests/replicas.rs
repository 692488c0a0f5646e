//! Exactly once between replicas: two handles on one database, as two centrals on one PostgreSQL
//! server (or two connections to one SQLite file), committing at the same moment. The in-process
//! locks of one central do not reach another, so the database alone must refuse the second.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::{Arc, Barrier};

use central::Receipt;
use central::storage::{Database, DatabaseError};

use crate::common::*;

fn receipt(record_id: &str) -> Receipt {
    Receipt {
        record_id: record_id.to_owned(),
        sha256: "ab".repeat(32),
        received_at: "2026-12-07T10:00:00Z".to_owned(),
        signature: "cd".repeat(32),
    }
}

/// Two handles ("replicas") on the database of a fresh data directory.
fn two_replicas() -> (tempfile::TempDir, Arc<Database>, Arc<Database>) {
    let dir = private_tempdir();
    let first = Arc::new(open_database(dir.path()).unwrap());
    let second = Arc::new(open_database(dir.path()).unwrap());
    (dir, first, second)
}

/// Runs `commit` on both replicas at the same moment; their answers, first replica's first.
fn at_once(
    replicas: [&Arc<Database>; 2],
    commit: impl Fn(&Database, usize) -> Result<(), DatabaseError> + Send + Sync + 'static,
) -> Vec<Result<(), DatabaseError>> {
    let barrier = Arc::new(Barrier::new(2));
    let commit = Arc::new(commit);
    let threads: Vec<_> = replicas
        .into_iter()
        .enumerate()
        .map(|(n, db)| {
            let (db, barrier, commit) = (Arc::clone(db), Arc::clone(&barrier), Arc::clone(&commit));
            std::thread::spawn(move || {
                barrier.wait();
                commit(&db, n)
            })
        })
        .collect();
    threads.into_iter().map(|t| t.join().unwrap()).collect()
}

#[test]
fn the_same_record_committed_on_two_replicas_at_once_gets_one_receipt() {
    let (_dir, first, second) = two_replicas();
    for round in 0..20 {
        let record_id = format!("00000000-0000-4000-8000-{round:012}");
        let number = format!("REPLIC{round:04}");
        let (id, n) = (record_id.clone(), number.clone());
        let answers = at_once([&first, &second], move |db, _| {
            db.commit_intake(&receipt(&id), "mairie-lyon-03-p1", &n, None)
        });
        let won = answers.iter().filter(|a| a.is_ok()).count();
        assert_eq!(won, 1, "round {round}: {answers:?}");
        assert!(
            answers
                .iter()
                .any(|a| matches!(a, Err(DatabaseError::AlreadyReceived(id)) if *id == record_id)),
            "round {round}: {answers:?}"
        );
        assert_eq!(
            first.receipt(&record_id).unwrap(),
            Some(receipt(&record_id))
        );
        assert_eq!(second.consumed_by(&number).unwrap(), Some(record_id));
    }
    assert_eq!(first.receipt_count().unwrap(), 20);
    assert_eq!(second.consumed_count().unwrap(), 20);
}

#[test]
fn one_pre_request_for_two_records_on_two_replicas_at_once_is_consumed_once() {
    let (_dir, first, second) = two_replicas();
    for round in 0..20 {
        let number = format!("REPLIC{round:04}");
        let n = number.clone();
        let answers = at_once([&first, &second], move |db, replica| {
            let record_id = format!("00000000-0000-4000-8{replica:03}-{round:012}");
            db.commit_intake(&receipt(&record_id), "mairie-lyon-03-p1", &n, None)
        });
        let won: Vec<usize> = (0..2).filter(|&r| answers[r].is_ok()).collect();
        assert_eq!(won.len(), 1, "round {round}: {answers:?}");
        let loser = 1 - won[0];
        assert!(
            matches!(&answers[loser], Err(DatabaseError::AlreadyConsumed(n)) if *n == number),
            "round {round}: {answers:?}"
        );
        // The loser's receipt rolled back with its consumption.
        let lost = format!("00000000-0000-4000-8{loser:03}-{round:012}");
        assert_eq!(first.receipt(&lost).unwrap(), None);
        let kept = format!("00000000-0000-4000-8{:03}-{round:012}", won[0]);
        assert_eq!(second.consumed_by(&number).unwrap(), Some(kept));
    }
    assert_eq!(first.receipt_count().unwrap(), 20);
}

#[test]
fn one_tax_stamp_for_two_records_on_two_replicas_at_once_pays_once() {
    let (_dir, first, second) = two_replicas();
    let answers = at_once([&first, &second], |db, replica| {
        let record_id = format!("00000000-0000-4000-8{replica:03}-000000000001");
        db.commit_intake(
            &receipt(&record_id),
            "mairie-lyon-03-p1",
            &format!("STAMPED{replica:03}"),
            Some("1234567890123456"),
        )
    });
    assert_eq!(
        answers.iter().filter(|a| a.is_ok()).count(),
        1,
        "{answers:?}"
    );
    assert!(
        answers
            .iter()
            .any(|a| matches!(a, Err(DatabaseError::StampAlreadyUsed))),
        "{answers:?}"
    );
    assert_eq!(first.receipt_count().unwrap(), 1);
    assert_eq!(second.consumed_count().unwrap(), 1);
}

#[test]
fn replicas_starting_together_on_an_empty_database_migrate_once() {
    // Eight at once: the migration lock lets one create the schema, the others find it done.
    let dir = private_tempdir();
    let path = dir.path().to_owned();
    let choice = database_for(&path);
    let barrier = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let (path, choice, barrier) = (path.clone(), choice.clone(), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                Database::open_with(&path, &choice).map(|_| ())
            })
        })
        .collect();
    for thread in threads {
        thread.join().unwrap().unwrap();
    }
    let db = open_database(&path).unwrap();
    assert_eq!(db.receipt_count().unwrap(), 0);
}

/// Two centrals on one data directory (the same keys) and one database, as two replicas behind
/// one address.
fn two_centrals() -> (
    tempfile::TempDir,
    central::RunningCentral,
    central::RunningCentral,
    TestStation,
) {
    let dir = private_tempdir();
    let (first, station) = start(dir.path());
    let second = central::Central::start(config(dir.path())).unwrap();
    let identity = station.tls.as_ref().unwrap();
    use_identity(&second.url(), identity);
    (dir, first, second, station)
}

#[test]
fn the_same_record_sent_to_two_replicas_at_once_gets_one_receipt() {
    let (_dir, first, second, station) = two_centrals();
    let keys = first.public_keys().clone();
    let urls = [first.url(), second.url()];
    for round in 0..6 {
        let spec = PayloadSpec::new(&station.id, &format!("TESTRA{round:04}"));
        let record = seal(&spec, &station, &keys);
        let barrier = Barrier::new(2);
        let answers: Vec<Answer> = std::thread::scope(|s| {
            let handles: Vec<_> = urls
                .iter()
                .map(|url| {
                    let (barrier, record, id) = (&barrier, &record, &spec.record_id);
                    s.spawn(move || {
                        barrier.wait();
                        put_record(url, id, record)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        // Both answer the receipt: the one that lost the race reads the winner's.
        for answer in &answers {
            assert_eq!(answer.status, 200, "round {round}: {answers:?}");
        }
        assert_eq!(
            receipt_of(&answers[0]),
            receipt_of(&answers[1]),
            "round {round}"
        );
    }
    assert_eq!(first.receipt_count().unwrap(), 6);
    assert_eq!(second.receipt_count().unwrap(), 6);
}

#[test]
fn one_pre_request_sent_to_two_replicas_at_once_is_consumed_once() {
    let (dir, first, second, station) = two_centrals();
    let keys = first.public_keys().clone();
    let urls = [first.url(), second.url()];
    for round in 0..6 {
        let number = format!("TESTRB{round:04}");
        let records: Vec<(String, Vec<u8>)> = (0..2)
            .map(|_| {
                let spec = PayloadSpec::new(&station.id, &number);
                (spec.record_id.clone(), seal(&spec, &station, &keys))
            })
            .collect();
        let barrier = Barrier::new(2);
        let answers: Vec<Answer> = std::thread::scope(|s| {
            let handles: Vec<_> = urls
                .iter()
                .zip(&records)
                .map(|(url, (id, record))| {
                    let barrier = &barrier;
                    s.spawn(move || {
                        barrier.wait();
                        put_record(url, id, record)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        let accepted = answers.iter().filter(|a| a.status == 200).count();
        assert_eq!(accepted, 1, "round {round}: {answers:?}");
        assert!(
            answers
                .iter()
                .filter(|a| a.status != 200)
                .all(|a| a.status == 422 && a.error_code() == "prerequest-consumed"),
            "round {round}: {answers:?}"
        );
    }
    assert_eq!(first.receipt_count().unwrap(), 6);
    // One record file per receipt: a record refused after it was stored leaves no file behind.
    let files = std::fs::read_dir(dir.path().join("records"))
        .unwrap()
        .count();
    assert_eq!(files, 6);
}

#[test]
fn replicas_starting_together_on_one_data_directory_all_start() {
    // Each central issues itself a server certificate at start and writes it into the shared keys
    // directory: replicas started by one script start together.
    let dir = private_tempdir();
    drop(start(dir.path()).0);
    for round in 0..10 {
        let barrier = Barrier::new(4);
        let started: Vec<_> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    let barrier = &barrier;
                    let config = config(dir.path());
                    s.spawn(move || {
                        barrier.wait();
                        central::Central::start(config)
                    })
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        for central in started {
            let central = central.unwrap_or_else(|e| panic!("round {round}: {e}"));
            central.stop();
        }
    }
}
