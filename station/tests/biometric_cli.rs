//! The command-line captures of biometric images, run as the binary against the simulated module
//! on a real pseudo-terminal: refused without an operator's PIN (and for a clerk), audited with
//! one, and the image written sealed to the national service unless `--plain` is asked.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::process::Output;

use firmware_sim::zfm_firmware::{FingerMode, FingerprintSim, FingerprintSimConfig};

use crate::signed_cli::{CLERK, TECHNICIAN, as_operator, audited, run_with_pin, station_config};

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

#[test]
fn a_handover_without_a_counter_pin_is_refused_and_reads_no_finger() {
    let dir = tempfile::tempdir().unwrap();
    let sim = sim();
    let handover = |extra: &[String], pin: &str| {
        let mut args: Vec<&std::ffi::OsStr> = vec!["handover".as_ref()];
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        args.extend(
            ["--number", "AB12CD34EF", "--wait", "5", "--port"]
                .iter()
                .map(std::ffi::OsStr::new),
        );
        args.push(sim.port_path().as_os_str());
        run_with_pin(&args, pin)
    };

    // No operator at all: refused by the command line itself.
    let bare = handover(&[], "");
    assert_eq!(bare.status.code(), Some(2), "checked for nobody");

    let config = station_config(dir.path());
    // A wrong PIN.
    let wrong = handover(&as_operator(&config, CLERK.0), "000000");
    assert_eq!(wrong.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&wrong.stderr).contains("connexion refusée"),
        "{}",
        String::from_utf8_lossy(&wrong.stderr)
    );
    assert_eq!(audited(&config, "%sign-in-refused%agent.martin%"), 1);
    // A technician, with the right PIN: the handover is a counter task.
    let technician = handover(&as_operator(&config, TECHNICIAN.0), TECHNICIAN.1);
    assert_eq!(technician.status.code(), Some(2));
    assert_eq!(
        audited(&config, "%command-refused%tech.dupont%handover%"),
        1
    );
    // No check was made, no finger read, for any of them.
    assert_eq!(audited(&config, "%handover-%"), 0);
    assert_eq!(audited(&config, "%command-run%"), 0);
    assert!(
        sim.control().last_image_sent().is_none(),
        "the finger was read"
    );
}

#[test]
fn a_receipt_reprint_without_a_counter_pin_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("recu.pdf");
    let record = uuid::Uuid::new_v4().to_string();
    let reprint = |extra: &[String], pin: &str| {
        let mut args: Vec<&std::ffi::OsStr> = vec!["receipt".as_ref(), "--record".as_ref()];
        args.push(record.as_ref());
        args.push("--out".as_ref());
        args.push(out.as_os_str());
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        run_with_pin(&args, pin)
    };

    let bare = reprint(&[], "");
    assert!(!bare.status.success(), "reprinted for nobody");
    let config = station_config(dir.path());
    let wrong = reprint(&as_operator(&config, CLERK.0), "000000");
    assert!(!wrong.status.success());
    assert_eq!(audited(&config, "%sign-in-refused%agent.martin%"), 1);
    let technician = reprint(&as_operator(&config, TECHNICIAN.0), TECHNICIAN.1);
    assert!(!technician.status.success());
    assert_eq!(audited(&config, "%command-refused%tech.dupont%receipt%"), 1);
    assert!(!out.exists(), "a receipt was written for nobody");
    assert_eq!(audited(&config, "%command-run%"), 0);
}
