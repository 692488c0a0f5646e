//! `station outbox …` as a process: its output read by a reader that stops early.

use std::process::Stdio;

use station::outbox::Outbox;

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
