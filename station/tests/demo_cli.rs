//! `station demo` as a newcomer runs it: the environment comes up, the technician commands work
//! against it, and SIGTERM (as Ctrl-C) ends it and removes the device links.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

fn station() -> Command {
    Command::new(env!("CARGO_BIN_EXE_station"))
}

#[test]
fn demo_serves_the_devices_and_central_then_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("demo");
    let mut demo = station()
        .args(["demo", "--headless", "--unpaced", "--data-dir"])
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

    let png = dir.path().join("print.png");
    let capture = station()
        .args(["fingerprint", "capture", "--port"])
        .arg(&fingerprint)
        .arg("--out")
        .arg(&png)
        .output()
        .unwrap();
    assert!(capture.status.success(), "{capture:?}");
    let image = image::open(&png).unwrap();
    assert_eq!((image.width(), image.height()), (256, 288));

    let status = station()
        .args(["outbox", "--config"])
        .arg(data.join("station").join("station.toml"))
        .arg("status")
        .output()
        .unwrap();
    assert!(status.status.success(), "{status:?}");
    assert!(String::from_utf8_lossy(&status.stdout).contains("integrity=ok"));

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
    let out = station()
        .args(["demo", "--unpaced", "--data-dir"])
        .arg(&data)
        .env_remove("DISPLAY")
        .env_remove("WAYLAND_DISPLAY")
        .env_remove("WAYLAND_SOCKET")
        .output()
        .unwrap();
    assert!(!out.status.success(), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("aucun écran"), "{stderr}");
    assert!(stderr.contains("station demo --headless"), "{stderr}");
    assert!(stderr.contains("xvfb-run"), "{stderr}");
    assert!(!stderr.contains("winit"), "no library error: {stderr}");
    // Nothing was started: no central, no device links, no data directory.
    assert!(
        !data.exists(),
        "the demo started before checking the screen"
    );
    assert!(started.elapsed() < Duration::from_secs(10));
}
