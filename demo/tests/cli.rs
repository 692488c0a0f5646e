//! `station-demo` as a newcomer runs it: the environment comes up, the technician commands work
//! against it, and SIGTERM (as Ctrl-C) ends it and removes the device links; its self-test runs
//! complete enrolments on the simulated station.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

fn demo() -> Command {
    Command::new(env!("CARGO_BIN_EXE_station-demo"))
}

/// A technician's `station …` command, run in this process.
fn station(args: &[&std::ffi::OsStr]) -> ExitCode {
    let mut line = vec![std::ffi::OsStr::new("station")];
    line.extend_from_slice(args);
    station::cli::execute(line)
}

#[test]
fn demo_serves_the_devices_and_central_then_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let mut demo = demo()
        .args(["--headless", "--unpaced", "--data-dir"])
        .arg(&data)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = demo.stdout.take().unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut banner = String::new();
    while !banner.contains("Ctrl-C pour arrêter") {
        let line = rx
            .recv_timeout(deadline.saturating_duration_since(Instant::now()))
            .expect("the demo printed its welcome");
        banner.push_str(&line);
        banner.push('\n');
    }
    assert!(banner.contains("DEMO000001"), "{banner}");
    let fingerprint = data.join("fingerprint");
    let camera = data.join("camera");
    assert!(fingerprint.exists() && camera.exists(), "device links made");

    // `station fingerprint capture` against the demo's module needs an operator's PIN on standard
    // input, which this in-process run has not: the signed-in capture is tested with the station's
    // binary and the simulated module (`station/tests/biometric_cli.rs`).
    let config = data.join("station").join("station.toml");
    let outbox = station::outbox::Outbox::open(
        &station::config::StationConfig::load_in(&config, station::config::Mode::Development)
            .unwrap()
            .outbox_path(),
    )
    .unwrap();
    assert_eq!(
        outbox.integrity_check().unwrap(),
        "ok",
        "the demo's outbox is sound"
    );

    let killed = Command::new("kill")
        .args(["-TERM", &demo.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let ended = loop {
        if let Some(status) = demo.try_wait().unwrap() {
            break status;
        }
        assert!(
            Instant::now() < deadline,
            "the demo did not stop on SIGTERM"
        );
        std::thread::sleep(Duration::from_millis(50));
    };
    assert!(ended.success(), "{ended:?}");
    assert!(
        !fingerprint.exists() && !camera.exists(),
        "device links removed on exit"
    );
}

#[test]
fn demo_without_a_display_says_what_to_run_before_starting_anything() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let started = Instant::now();
    let out = demo()
        .args(["--unpaced", "--data-dir"])
        .arg(&data)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .unwrap();
    assert!(!out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("aucun écran"), "{stderr}");
    assert!(stderr.contains("station-demo --headless"), "{stderr}");
    assert!(stderr.contains("xvfb-run"), "{stderr}");
    assert!(!stderr.contains("winit"), "no library error: {stderr}");
    // Nothing was started: no central, no device links, no data directory.
    assert!(
        !data.exists(),
        "the demo started before checking the screen"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}

#[test]
fn selftest_runs_three_enrolments_against_the_simulators() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = demo()
        .args(["selftest", "--count", "3", "--data-dir"])
        .arg(dir.path())
        .output()
        .expect("run station-demo selftest");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout.matches(" ok  TEST").count(), 3, "{stdout}");
    assert!(stdout.contains("médianes sur 3"), "{stdout}");
    let station_dir = dir.path().join("station");
    let verified = station(&[
        "audit".as_ref(),
        "verify".as_ref(),
        "--data-dir".as_ref(),
        station_dir.as_os_str(),
    ]);
    assert_eq!(verified, ExitCode::SUCCESS);
    assert!(Path::new(&station_dir).join("counter.sqlite").exists());
}
