//! Exactly once between replicas: two handles on one database, as two centrals on one PostgreSQL
//! server (or two connections to one SQLite file), committing at the same moment. The in-process
//! locks of one central do not reach another, so the database alone must refuse the second.

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
