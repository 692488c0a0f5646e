//! Two replicas of the central, each with its own listener and its own database handle, on one
//! database (SQLite file, or PostgreSQL when the run has one) and one bucket of a real
//! S3-compatible server: the same record sent to both at the same moment gets one receipt and
//! one object; a pre-request taken by one cannot be taken by the other, and the record that lost
//! leaves no object behind in the bucket.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Barrier;

use crate::common::s3_server::S3Server;
use crate::common::*;

/// Two centrals on one data directory (the same keys), one database and one bucket, as two
/// replicas behind one address.
fn two_replicas(s3: &S3Server) -> (tempfile::TempDir, [central::RunningCentral; 2], TestStation) {
    let dir = private_tempdir();
    let (first, station) = start_with(s3.central_config(dir.path()));
    let second = central::Central::start(s3.central_config(dir.path())).unwrap();
    use_identity(&second.url(), station.tls.as_ref().unwrap());
    (dir, [first, second], station)
}

/// Sends `records[n]` to `replicas[n]`, both at the same moment; their answers in that order.
fn at_once(replicas: &[central::RunningCentral; 2], records: [(&str, &[u8]); 2]) -> Vec<Answer> {
    let barrier = Barrier::new(2);
    std::thread::scope(|s| {
        let handles: Vec<_> = replicas
            .iter()
            .zip(records)
            .map(|(replica, (id, record))| {
                let (barrier, url) = (&barrier, replica.url());
                s.spawn(move || {
                    barrier.wait();
                    put_record(&url, id, record)
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, bytes))
}

#[test]
fn the_same_record_sent_to_two_replicas_at_once_gets_one_receipt_and_one_object() {
    let s3 = S3Server::start();
    let (_dir, replicas, station) = two_replicas(&s3);
    let keys = replicas[0].public_keys().clone();
    let mut sent = Vec::new();
    for round in 0..6 {
        let spec = PayloadSpec::new(&station.id, &format!("TESTSD{round:04}"));
        let record = seal(&spec, &station, &keys);
        let answers = at_once(
            &replicas,
            [(&spec.record_id, &record), (&spec.record_id, &record)],
        );
        // Both answer the one receipt: the replica that lost the race reads the winner's.
        for answer in &answers {
            assert_eq!(answer.status, 200, "round {round}: {answers:?}");
        }
        let receipt = receipt_of(&answers[0]);
        assert_eq!(receipt, receipt_of(&answers[1]), "round {round}");
        assert_eq!(receipt.sha256, sha256_hex(&record), "round {round}");
        sent.push((format!("records/{}.drrec", spec.record_id), record));
    }
    // One object per record, holding the bytes its receipt is for, and nothing else.
    sent.sort();
    let objects = s3.objects();
    let names =
        |list: &[(String, Vec<u8>)]| list.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&objects), names(&sent));
    assert!(
        objects == sent,
        "each object holds the bytes its receipt is for"
    );
    // One receipt row per record, whichever replica counts.
    assert_eq!(replicas[0].receipt_count().unwrap(), 6);
    assert_eq!(replicas[1].receipt_count().unwrap(), 6);
    assert_eq!(replicas[1].consumed_count().unwrap(), 6);
}

#[test]
fn a_pre_request_taken_by_one_replica_cannot_be_taken_by_the_other() {
    let s3 = S3Server::start();
    let (_dir, replicas, station) = two_replicas(&s3);
    let keys = replicas[0].public_keys().clone();
    let mut kept = Vec::new();
    for round in 0..6 {
        // Two records (two sessions, two stations' worth of mistakes) for one pre-request.
        let number = format!("TESTSE{round:04}");
        let records: Vec<(String, Vec<u8>)> = (0..2)
            .map(|_| {
                let spec = PayloadSpec::new(&station.id, &number);
                (spec.record_id.clone(), seal(&spec, &station, &keys))
            })
            .collect();
        let answers = at_once(
            &replicas,
            [
                (&records[0].0, &records[0].1),
                (&records[1].0, &records[1].1),
            ],
        );
        let won: Vec<usize> = (0..2).filter(|&n| answers[n].status == 200).collect();
        assert_eq!(won.len(), 1, "round {round}: {answers:?}");
        let lost = 1 - won[0];
        assert_eq!(answers[lost].status, 422, "round {round}: {answers:?}");
        assert_eq!(answers[lost].error_code(), "prerequest-consumed");
        let (id, record) = &records[won[0]];
        kept.push((format!("records/{id}.drrec"), record.clone()));
    }
    // The winners' records only: a record refused gets no receipt, so its object must not stay.
    kept.sort();
    let objects = s3.objects();
    let names =
        |list: &[(String, Vec<u8>)]| list.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    assert_eq!(names(&objects), names(&kept));
    assert!(objects == kept, "the objects hold the winners' bytes");
    assert_eq!(replicas[0].receipt_count().unwrap(), 6);
    assert_eq!(replicas[1].consumed_count().unwrap(), 6);
}
