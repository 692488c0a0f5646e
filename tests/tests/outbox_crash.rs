//! Crash safety: the station worker (`enrol-test`: seal → enqueue → print `queued …` while the
//! uploader runs) is killed with SIGKILL at random points, restarted, and in the end every record
//! reported queued reached the central exactly once, the database is sound, and nothing that has a
//! receipt still holds sealed bytes.
//!
//! The worker is this test binary re-executed (`crash_worker`), so no separate binary is needed.

#![allow(clippy::unwrap_used)]

use crate::upload_support;

use std::{
    collections::{BTreeMap, BTreeSet},
    io::{BufRead, BufReader},
    process::{Command, Stdio},
    sync::mpsc,
    time::{Duration, Instant},
};

use nix::{sys::signal, unistd::Pid};
use rand::{Rng, SeedableRng};
use station::{
    outbox::{Outbox, RecordState},
    seal::sha256_hex,
    uplink::{Receipt, ReceiptCheck},
};
use station_demo::enrol_test::EnrolTestArgs;
use upload_support::*;

const WORKER_CONFIG: &str = "STATION_CRASH_WORKER_CONFIG";
const WORKER_COUNT: &str = "STATION_CRASH_WORKER_COUNT";

#[test]
#[ignore = "the crash test's child process; does nothing on its own"]
fn crash_worker() {
    let Ok(config) = std::env::var(WORKER_CONFIG) else {
        return;
    };
    let count = std::env::var(WORKER_COUNT).unwrap().parse().unwrap();
    let args = EnrolTestArgs {
        config: config.into(),
        count,
        prefix: "CK".into(),
        with_face: false,
        no_wait: false,
        timeout_s: 120,
    };
    if let Err(e) = station_demo::enrol_test::run(&args) {
        eprintln!("worker failed: {e:#}");
        std::process::exit(3);
    }
}

// Every life ends in `wait()` (after exit or SIGKILL); only a failing assertion skips it.
#[allow(clippy::zombie_processes)]
fn run_crash_cycles(records: u64, seed: u64) {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "CK", records + 10);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    let exe = std::env::current_exe().unwrap();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    let mut reported: BTreeMap<String, String> = BTreeMap::new();
    let (mut kills, mut lives) = (0u32, 0u32);
    let started = Instant::now();
    loop {
        lives += 1;
        assert!(lives < 2_000, "the worker never finished");
        // Each life seals up to a few more records then waits for the uploads; most are killed
        // before that, while sealing, committing or uploading.
        let cap = records.min(reported.len() as u64 + rng.random_range(1..10));
        let mut child = Command::new(&exe)
            .args([
                "--exact",
                "outbox_crash::crash_worker",
                "--ignored",
                "--nocapture",
                "--test-threads=1",
                "-q",
            ])
            .env(WORKER_CONFIG, &station.config_path)
            // The test wrote the configuration in a temporary directory: development mode.
            .env(station::config::Mode::VARIABLE, "1")
            .env(WORKER_COUNT, cap.to_string())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let _ = tx.send(line);
            }
        });
        // A random kill point, tied to the worker's own progress rather than to the clock (a fast
        // machine would otherwise finish most lives before any kill): after the k-th `queued` line
        // of this life (k = 0: during start-up), wait a few hundred microseconds more, then SIGKILL —
        // so deaths land while sealing, committing, printing or uploading. About one life in seven runs
        // to its end, which is what finishes the test.
        let new_records = cap.saturating_sub(reported.len() as u64);
        let plan = rng.random_bool(0.85).then(|| {
            // Before the last new record (a worker that already sealed some of this life's records
            // in a killed life prints fewer lines than that).
            let k = rng.random_range(0..new_records.max(1));
            let delay = if k == 0 {
                Duration::from_micros(rng.random_range(0..30_000))
            } else {
                Duration::from_micros(rng.random_range(0..4_000))
            };
            (k, delay)
        });
        let life_started = Instant::now();
        let mut lines = Vec::new();
        let mut seen = 0u64;
        let mut kill_at: Option<Instant> = None;
        let mut exited = None;
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                exited = Some(status);
                break;
            }
            for line in rx.try_iter() {
                if line.starts_with("queued ") {
                    seen += 1;
                }
                lines.push(line);
            }
            if let Some((k, delay)) = plan
                && kill_at.is_none()
                && seen >= k
            {
                kill_at = Some(Instant::now() + delay);
            }
            if kill_at.is_some_and(|at| Instant::now() >= at) {
                break;
            }
            assert!(
                life_started.elapsed() < Duration::from_secs(120),
                "a worker life outlived 120 s"
            );
            std::thread::sleep(Duration::from_micros(200));
        }
        if exited.is_none() {
            signal::kill(Pid::from_raw(child.id() as i32), signal::Signal::SIGKILL).unwrap();
            child.wait().unwrap();
            kills += 1;
        }
        reader.join().unwrap();
        lines.extend(rx.try_iter());
        let mut drained = false;
        for line in lines {
            if let Some(rest) = line.strip_prefix("queued ") {
                let mut parts = rest.split_whitespace();
                let (id, number) = (
                    parts.next().unwrap().to_owned(),
                    parts.next().unwrap().to_owned(),
                );
                assert!(
                    reported.insert(id, number).is_none(),
                    "a record reported twice"
                );
            } else if line == "drained" {
                drained = true;
            }
        }
        if let Some(status) = exited {
            assert!(status.success(), "worker failed: {status}");
            if drained && cap == records {
                break;
            }
        }
    }
    eprintln!(
        "crash test: {records} records, {lives} worker lives, {kills} SIGKILLs, {:.1} s",
        started.elapsed().as_secs_f32()
    );
    assert!(
        kills >= 15 && lives >= 25,
        "too few kills ({kills}) or lives ({lives}) to mean anything"
    );

    // The database is sound and fully drained.
    let conn = rusqlite::Connection::open(station.config.outbox_path()).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let unpurged: i64 = conn
        .query_row(
            "SELECT count(*) FROM records JOIN sealed_records USING (seq) WHERE receipt IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let left: i64 = conn
        .query_row("SELECT count(*) FROM sealed_records", [], |r| r.get(0))
        .unwrap();
    assert_eq!(left, 0, "sealed bytes left after the drain");
    assert_eq!(
        unpurged, 0,
        "a record with a receipt still holds sealed bytes"
    );
    drop(conn);
    let outbox = Outbox::open(&station.config.outbox_path()).unwrap();
    let all = outbox.list().unwrap();
    assert_eq!(
        all.len() as u64,
        records,
        "one record per index, none sealed twice"
    );
    let numbers: BTreeSet<_> = reported.values().collect();
    assert_eq!(numbers.len(), reported.len(), "a pre-request used twice");

    // Every record reported queued reached the central once, with a receipt that verifies and
    // states the hash of the bytes the central stored.
    let ids: BTreeSet<_> = all.iter().map(|r| r.record_id.clone()).collect();
    for id in reported.keys() {
        assert!(
            ids.contains(id),
            "record {id} reported queued is not in the outbox"
        );
    }
    for r in &all {
        assert_eq!(
            r.state,
            RecordState::Purged,
            "record {} not purged",
            r.record_id
        );
        let receipt = Receipt::parse(r.receipt.as_deref().unwrap().as_bytes()).unwrap();
        let stored =
            stored_record(central.data_dir(), &r.record_id).expect("stored at the central");
        receipt
            .verify(
                &station.sealer.central.receipt_public_key,
                &r.record_id,
                &sha256_hex(&stored),
            )
            .unwrap();
    }
    assert_eq!(
        central.receipt_count().unwrap(),
        records,
        "the central holds exactly the station's records"
    );
}

#[test]
fn sigkill_at_random_points_loses_nothing_and_duplicates_nothing() {
    run_crash_cycles(120, 0x5eed);
}

#[test]
#[ignore = "soak: about ten times the CI version"]
fn sigkill_soak() {
    let seed = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    eprintln!("seed {seed}");
    run_crash_cycles(1_200, seed);
}
