//! `station audit verify` as a process: passes on a clean log, fails with the broken entry named.

use std::{process::Command, sync::Arc};

use station::{
    audit::{AuditEvent, AuditLog},
    seal::identity::StationIdentity,
};

fn verify(dir: &std::path::Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_station"))
        // Test configurations live in temporary directories the test (and so the station) may write.
        .env(station::config::Mode::VARIABLE, "1")
        .args(["audit", "verify", "--data-dir"])
        .arg(dir)
        .output()
        .expect("run station")
}

#[test]
fn audit_verify_passes_then_detects_an_edit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let identity = Arc::new(
        StationIdentity::load_or_create(&StationIdentity::default_path(dir.path()))
            .expect("identity"),
    );
    let path = AuditLog::default_path(dir.path());
    let log = AuditLog::open(&path, identity, 4).expect("open");
    for i in 0..10 {
        log.append(
            "chef",
            &AuditEvent::ConfigurationChanged {
                setting: format!("quality_threshold_{i}"),
            },
            1_795_770_000_000 + i,
        )
        .expect("append");
    }
    drop(log);
    let ok = verify(dir.path());
    let stdout = String::from_utf8_lossy(&ok.stdout);
    assert!(
        ok.status.success(),
        "{stdout} {}",
        String::from_utf8_lossy(&ok.stderr)
    );
    assert!(
        stdout.contains("audit ok: 10 entries, 2 signed checkpoints, 2 entries after"),
        "{stdout}"
    );

    rusqlite::Connection::open(&path)
        .expect("raw")
        .execute("UPDATE audit SET at_ms = at_ms + 1 WHERE seq = 6", [])
        .expect("edit");
    let bad = verify(dir.path());
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(!bad.status.success());
    assert!(stderr.contains("broken at entry 6"), "{stderr}");

    let empty = tempfile::tempdir().expect("tempdir");
    assert!(
        !verify(empty.path()).status.success(),
        "no log is not a pass"
    );
}
