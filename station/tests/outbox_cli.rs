//! `station outbox …` as a process: its output read by a reader that stops early, and the read-only
//! subcommands leaving the running station's outbox as it is (no crash recovery behind its back).

use std::process::Stdio;

use station::outbox::{Outbox, RecordState};

use crate::cli_station::CliStation;

#[test]
fn status_into_a_closed_pipe_ends_quietly() {
    let station = CliStation::new("");
    std::fs::create_dir_all(station.data_dir()).expect("data dir");
    drop(Outbox::open(&station.outbox_path()).expect("outbox"));
    // A pipe whose reader is gone before the station writes: what `| head -1` leaves behind.
    let (reader, writer) = nix::unistd::pipe().expect("pipe");
    drop(reader);
    let out = station
        .outbox("status")
        .stdout(Stdio::from(writer))
        .stderr(Stdio::piped())
        .output()
        .expect("run station");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("Broken pipe"), "{stderr}");
    assert!(out.status.success(), "{:?} {stderr}", out.status);
}

/// A sealed record for the outbox (its bytes matter only to the uploader, not run here).
fn record() -> station::seal::SealedRecord {
    station::seal::SealedRecord {
        record_id: uuid::Uuid::new_v4(),
        bytes: vec![7; 1000],
    }
}

#[test]
fn status_and_list_leave_the_running_uploaders_record_alone() {
    let station = CliStation::new("");
    std::fs::create_dir_all(station.data_dir()).expect("data dir");
    // The running station: owns the outbox and is sending the one record.
    let owner = Outbox::open(&station.outbox_path()).expect("outbox");
    let r = record();
    owner.enqueue(&r, None).expect("enqueue");
    assert_eq!(owner.claim_due(1).expect("claim").len(), 1);
    let id = r.record_id.to_string();
    for subcommand in ["status", "list"] {
        let out = station.outbox(subcommand).output().expect("run station");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success(),
            "{subcommand}: {stdout} {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(
            owner.record(&id).expect("read").map(|s| s.state),
            Some(RecordState::Sending),
            "`outbox {subcommand}` put the record being sent back in the queue"
        );
    }
    let status = station.outbox("status").output().expect("run station");
    assert!(
        String::from_utf8_lossy(&status.stdout).contains("sending=1"),
        "{}",
        String::from_utf8_lossy(&status.stdout)
    );
}

#[test]
fn the_next_owner_recovers_after_the_first_is_gone() {
    let station = CliStation::new("");
    std::fs::create_dir_all(station.data_dir()).expect("data dir");
    let r = record();
    let id = r.record_id.to_string();
    {
        let first = Outbox::open(&station.outbox_path()).expect("outbox");
        first.enqueue(&r, None).expect("enqueue");
        assert_eq!(first.claim_due(1).expect("claim").len(), 1);
        // A second opening while the first owns it: it must not take the claim back.
        let second = Outbox::open(&station.outbox_path()).expect("second");
        assert_eq!(
            second.record(&id).expect("read").map(|s| s.state),
            Some(RecordState::Sending)
        );
    }
    // The owner is gone (a crash releases its lock the same way): the next one recovers.
    let next = Outbox::open(&station.outbox_path()).expect("outbox");
    assert_eq!(
        next.record(&id).expect("read").map(|s| s.state),
        Some(RecordState::Queued)
    );
}

/// An outbox an older version left (a station updated while switched off): the read-only
/// commands cannot migrate it behind a station that may be starting, and must say so instead of
/// failing on a column the older schema does not have.
#[test]
fn an_outbox_of_an_older_version_is_named_as_such() {
    let station = CliStation::new("");
    std::fs::create_dir_all(station.data_dir()).expect("data dir");
    let migrations = station::outbox::database::MIGRATIONS;
    let older = migrations.len() - 1;
    let mut conn = rusqlite::Connection::open(station.outbox_path()).expect("outbox file");
    station::outbox::database::migrate(&mut conn, &migrations[..older]).expect("older schema");
    drop(conn);
    for subcommand in ["status", "list"] {
        let out = station.outbox(subcommand).output().expect("run station");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "{subcommand} succeeded on an older outbox"
        );
        assert!(!stderr.contains("no such column"), "{subcommand}: {stderr}");
        assert!(
            stderr.contains(&format!("version {older}")) && stderr.contains("start the station"),
            "{subcommand}: {stderr}"
        );
    }
}
