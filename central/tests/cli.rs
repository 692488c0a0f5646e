//! The `central` binary: keys, stations add, serve.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::common;

use std::process::Command;

use common::*;

const BIN: &str = env!("CARGO_BIN_EXE_central");

#[test]
fn keys_prints_the_public_halves_and_stations_add_registers() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().to_str().unwrap();
    let out = Command::new(BIN)
        .args(["keys", "--data", data])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let keys = central::public_keys(dir.path()).unwrap();
    assert_eq!(
        text,
        format!(
            "record_public_key={}\nreceipt_public_key={}\n",
            hex::encode(keys.record_public_key),
            hex::encode(keys.receipt_public_key)
        )
    );

    let station = TestStation::new("mairie-lyon-03-p1");
    let out = Command::new(BIN)
        .args([
            "stations",
            "add",
            "--data",
            data,
            "--station-id",
            &station.id,
            "--public-key",
        ])
        .arg(hex::encode(station.public_key()))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let out = Command::new(BIN)
        .args(["stations", "list", "--data", data])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed = String::from_utf8(out.stdout).unwrap();
    assert!(
        listed.starts_with(&format!(
            "{} {} ",
            station.id,
            hex::encode(station.public_key())
        )),
        "{listed}"
    );
    assert_eq!(listed.lines().count(), 1);

    // Bad inputs are refused with a message and a failing exit code.
    for args in [
        vec![
            "--station-id",
            "mairie lyon",
            "--public-key",
            &"00".repeat(32),
        ],
        vec!["--station-id", "ok", "--public-key", "abcd"],
        vec!["--station-id", "ok", "--public-key", &"zz".repeat(32)],
    ] {
        let out = Command::new(BIN)
            .args(["stations", "add", "--data", data])
            .args(&args)
            .output()
            .unwrap();
        assert!(!out.status.success(), "{args:?}");
        assert!(!out.stderr.is_empty());
    }

    // The server started by the binary accepts the station registered by the binary.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut child = Command::new(BIN)
        .args([
            "serve",
            "--listen",
            &format!("127.0.0.1:{port}"),
            "--data",
            data,
            "--token",
            "t0k",
        ])
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let url = format!("http://127.0.0.1:{port}");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(
            std::time::Instant::now() < deadline,
            "central did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    let answer = put_record(&url, &spec.record_id, &seal(&spec, &station, &keys));
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(
        get(&url, "/api/status?application_ids=DEMO000001", Some("t0k")).status,
        200
    );
    assert_eq!(
        get(
            &url,
            "/api/status?application_ids=DEMO000001",
            Some("demo-token")
        )
        .status,
        401
    );

    // SIGTERM ends it cleanly.
    nix_kill(child.id());
    let status = child.wait().unwrap();
    assert!(status.success(), "{status:?}");
}

fn nix_kill(pid: u32) {
    let out = Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .output()
        .unwrap();
    assert!(out.status.success());
}
