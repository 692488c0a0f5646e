//! The command-line captures of biometric images, run as the binary against the simulated module
//! on a real pseudo-terminal: refused without an operator's PIN (and for a clerk), audited with
//! one, and the image written sealed to the national service unless `--plain` is asked.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use firmware_sim::zfm_firmware::{FingerMode, FingerprintSim, FingerprintSimConfig};
use station::operators::{LockoutPolicy, Operators, Role};

const TECHNICIAN: (&str, &str) = ("tech.dupont", "135790");
const CLERK: (&str, &str) = ("agent.martin", "246810");

/// A station configuration with a supervisor, a technician and a clerk.
fn station_config(dir: &Path) -> PathBuf {
    let data = dir.join("station");
    station::files::create_private_dir(&data).unwrap();
    let path = dir.join("station.toml");
    std::fs::write(
        &path,
        format!(
            "data_dir = {:?}\nstation_id = \"mairie-cli-02\"\n\n[central]\nurl = \"https://127.0.0.1:9\"\n\
             token = \"t\"\nrecord_public_key = {:?}\nreceipt_public_key = {:?}\n",
            data.display().to_string(),
            hex::encode([9u8; 32]),
            hex::encode([7u8; 32])
        ),
    )
    .unwrap();
    let config =
        station::config::StationConfig::load_in(&path, station::config::Mode::Development).unwrap();
    let operators = Operators::open_station(&config, LockoutPolicy::default()).unwrap();
    let chef = operators
        .create_first_supervisor("chef", "918273", 1)
        .unwrap();
    operators
        .create(&chef, TECHNICIAN.0, Role::Technician, TECHNICIAN.1, 1)
        .unwrap();
    operators
        .create(&chef, CLERK.0, Role::Clerk, CLERK.1, 1)
        .unwrap();
    path
}

/// The station binary with `args`, `pin` typed on its standard input.
fn run_with_pin(args: &[&std::ffi::OsStr], pin: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_station"))
        .env(station::config::Mode::VARIABLE, "1")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let _ = child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{pin}\n").as_bytes());
    child.wait_with_output().unwrap()
}

/// `station COMMAND… --port PORT --out OUT EXTRA…` with `pin` on standard input.
fn capture_with(command: &[&str], port: &Path, out: &Path, extra: &[&str], pin: &str) -> Output {
    let mut args: Vec<&std::ffi::OsStr> = command.iter().map(|a| a.as_ref()).collect();
    args.extend([
        "--port".as_ref(),
        port.as_os_str(),
        "--out".as_ref(),
        out.as_os_str(),
    ]);
    args.extend(extra.iter().map(std::ffi::OsStr::new));
    run_with_pin(&args, pin)
}

fn capture(port: &Path, out: &Path, extra: &[&str], pin: &str) -> Output {
    capture_with(
        &["fingerprint", "capture", "--wait", "30"],
        port,
        out,
        extra,
        pin,
    )
}

fn audited(config: &Path, pattern: &str) -> i64 {
    let data = config.parent().unwrap().join("station");
    rusqlite::Connection::open(data.join("audit.sqlite"))
        .unwrap()
        .query_row(
            "SELECT count(*) FROM audit WHERE event LIKE ?1",
            [pattern],
            |r| r.get(0),
        )
        .unwrap()
}

fn sim() -> FingerprintSim {
    let sim = FingerprintSim::start(FingerprintSimConfig {
        paced: false,
        finger: FingerMode::None,
        ..FingerprintSimConfig::default()
    })
    .unwrap();
    sim.control().place_finger(83_001, 0);
    sim
}

#[test]
fn a_fingerprint_capture_without_a_technician_pin_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim();
    let out = dir.path().join("print.png");

    // No operator at all.
    let bare = capture(sim.port_path(), &out, &[], "");
    assert!(!bare.status.success(), "captured for nobody");
    assert!(!out.exists(), "an image was written for nobody");

    let config = station_config(dir.path());
    let as_who = |who: &str| {
        vec![
            "--config".to_owned(),
            config.display().to_string(),
            "--operator".to_owned(),
            who.to_owned(),
        ]
    };
    // A wrong PIN.
    let args = as_who(TECHNICIAN.0);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let wrong = capture(sim.port_path(), &out, &args, "000000");
    assert!(!wrong.status.success());
    assert!(!out.exists());
    assert_eq!(audited(&config, "%sign-in-refused%tech.dupont%"), 1);
    // A clerk, with the right PIN: not their role.
    let args = as_who(CLERK.0);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let clerk = capture(sim.port_path(), &out, &args, CLERK.1);
    assert!(!clerk.status.success());
    assert!(!out.exists());
    assert_eq!(audited(&config, "%command-refused%agent.martin%"), 1);
}

#[test]
fn a_fingerprint_capture_with_a_pin_is_audited_and_sealed_unless_plain() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim();
    let config = station_config(dir.path());
    let config_text = config.display().to_string();
    let signed = ["--config", config_text.as_str(), "--operator", TECHNICIAN.0];

    let sealed_out = dir.path().join("print.sealed");
    let sealed = capture(sim.port_path(), &sealed_out, &signed, TECHNICIAN.1);
    assert!(
        sealed.status.success(),
        "{}",
        String::from_utf8_lossy(&sealed.stderr)
    );
    let bytes = std::fs::read(&sealed_out).unwrap();
    assert!(
        image::load_from_memory(&bytes).is_err(),
        "the image is in clear"
    );
    station::seal::ParsedRecord::parse(&bytes).expect("a sealed record");
    assert_eq!(
        audited(&config, "%command-run%tech.dupont%fingerprint capture%"),
        1
    );
    assert_eq!(
        audited(&config, "%biometric-export%tech.dupont%\"encrypted\":true%"),
        1
    );

    sim.control().place_finger(83_001, 1);
    let plain_out = dir.path().join("print.png");
    let mut plain_args = signed.to_vec();
    plain_args.push("--plain");
    let plain = capture(sim.port_path(), &plain_out, &plain_args, TECHNICIAN.1);
    assert!(plain.status.success());
    assert!(
        String::from_utf8_lossy(&plain.stderr).contains("EN CLAIR"),
        "no warning"
    );
    let image = image::open(&plain_out).unwrap();
    assert_eq!((image.width(), image.height()), (256, 288));
    assert_eq!(
        audited(&config, "%biometric-export%\"encrypted\":false%"),
        1
    );
}

/// `station camera capture` as the binary, with `extra` arguments and `pin` on standard input.
fn camera_capture(port: &Path, out: &Path, extra: &[&str], pin: &str) -> Output {
    capture_with(
        &["camera", "capture", "--size", "320x240"],
        port,
        out,
        extra,
        pin,
    )
}

#[test]
fn a_camera_capture_signed_in_writes_the_jpeg_the_camera_sent() {
    use firmware_sim::vc0706_firmware::{CameraSim, CameraSimConfig};
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("camera");
    let sim = CameraSim::start_linked(
        CameraSimConfig {
            seed: 31,
            paced: false,
            ..CameraSimConfig::default()
        },
        &link,
    )
    .unwrap();
    let config = station_config(dir.path());
    let config_text = config.display().to_string();
    let plain = [
        "--config",
        config_text.as_str(),
        "--operator",
        TECHNICIAN.0,
        "--plain",
    ];

    // Without an operator, the camera is not touched.
    let out = dir.path().join("photo.jpg");
    let bare = camera_capture(&link, &out, &[], "");
    assert!(!bare.status.success(), "captured for nobody");
    assert!(!out.exists());
    assert_eq!(sim.control().last_frame_sent(), None);

    let taken = camera_capture(&link, &out, &plain, TECHNICIAN.1);
    assert!(
        taken.status.success(),
        "{}",
        String::from_utf8_lossy(&taken.stderr)
    );
    let saved = std::fs::read(&out).unwrap();
    assert_eq!(Some(saved.clone()), sim.control().last_frame_sent());
    let picture = image::load_from_memory(&saved).unwrap();
    assert_eq!((picture.width(), picture.height()), (320, 240));
    assert_eq!(
        audited(&config, "%command-run%tech.dupont%camera capture%"),
        1
    );

    // A speed the camera does not have is refused.
    let mut bad_speed = plain.to_vec();
    bad_speed.extend(["--baud", "12345"]);
    let refused = camera_capture(
        &link,
        &dir.path().join("other.jpg"),
        &bad_speed,
        TECHNICIAN.1,
    );
    assert!(!refused.status.success());
    assert!(!dir.path().join("other.jpg").exists());
    sim.stop();
}
