//! The `firmware-sim fingerprint` binary: starts, prints its slave path, makes the link, answers a
//! plain serial client, obeys its control socket, and cleans up on SIGTERM.

#![allow(clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::os::unix::net::UnixStream;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const GEN_IMG: [u8; 12] = [
    0xEF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x03, 0x01, 0x00, 0x05,
];

fn read_n(port: &mut serialport::TTYPort, n: usize) -> Vec<u8> {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut got = vec![0u8; n];
    let mut have = 0;
    while have < n && Instant::now() < deadline {
        if let Ok(k) = port.read(&mut got[have..]) {
            have += k;
        }
    }
    got.truncate(have);
    got
}

fn ask(control: &Path, order: &str) -> String {
    let mut stream = UnixStream::connect(control).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    stream.write_all(format!("{order}\n").as_bytes()).unwrap();
    let mut answer = String::new();
    BufReader::new(stream).read_line(&mut answer).unwrap();
    answer.trim().to_owned()
}

fn wait_exit(child: &mut std::process::Child, max: Duration) -> Option<std::process::ExitStatus> {
    let deadline = Instant::now() + max;
    while Instant::now() < deadline {
        if let Some(status) = child.try_wait().unwrap() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    None
}

#[test]
fn serves_a_serial_client_and_cleans_up_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("fingerprint");
    let control = dir.path().join("fingerprint.control");
    let mut child = Command::new(env!("CARGO_BIN_EXE_firmware-sim"))
        .args(["fingerprint", "--link"])
        .arg(&link)
        .args(["--seed", "3", "--finger", "none", "--unpaced"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut slave = String::new();
    stdout.read_line(&mut slave).unwrap();
    let slave = slave.trim();
    assert!(slave.starts_with("/dev/pts/"), "{slave:?}");
    assert_eq!(std::fs::read_link(&link).unwrap(), Path::new(slave));
    assert!(control.exists());

    let mut port = serialport::new(link.to_string_lossy(), 57_600)
        .timeout(Duration::from_millis(10))
        .open_native()
        .unwrap();
    // A ZFM (the default) sends no byte at power-up: the first bytes are GenImg's answer.
    port.write_all(&GEN_IMG).unwrap();
    assert_eq!(read_n(&mut port, 12)[9], 0x02, "no finger");

    assert_eq!(ask(&control, "place 42 1"), "ok");
    port.write_all(&GEN_IMG).unwrap();
    assert_eq!(read_n(&mut port, 12)[9], 0x00, "finger placed");
    assert_eq!(ask(&control, "lift"), "ok");
    port.write_all(&GEN_IMG).unwrap();
    assert_eq!(read_n(&mut port, 12)[9], 0x02, "finger lifted");
    assert_eq!(ask(&control, "auto on"), "ok");
    port.write_all(&GEN_IMG).unwrap();
    assert_eq!(read_n(&mut port, 12)[9], 0x00, "auto");
    let stats = ask(&control, "stats");
    assert!(stats.starts_with("ok bytes_sent="), "{stats}");
    assert!(stats.contains("captures=2"), "{stats}");
    assert!(ask(&control, "faults flip=2").starts_with("error:"));
    assert!(ask(&control, "wobble").starts_with("error:"));
    assert_eq!(ask(&control, "faults garbage=4"), "ok");
    assert_eq!(ask(&control, "power-cycle"), "ok");
    let boot = read_n(&mut port, 5);
    assert_eq!(
        boot.len(),
        4,
        "the garbage asked for, and no boot byte after it"
    );

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = wait_exit(&mut child, Duration::from_secs(5)).expect("exits on SIGTERM");
    assert!(exit.success(), "{exit:?}");
    assert!(std::fs::symlink_metadata(&link).is_err(), "link removed");
    assert!(
        std::fs::symlink_metadata(&control).is_err(),
        "socket removed"
    );
}

#[test]
fn refuses_a_bad_fault_spec() {
    let dir = tempfile::tempdir().unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_firmware-sim"))
        .args(["fingerprint", "--link"])
        .arg(dir.path().join("fp"))
        .args(["--faults", "flip=banana"])
        .output()
        .unwrap();
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("flip"));
}
