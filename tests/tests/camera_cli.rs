//! The technician's `station camera capture` and the simulator's control socket, end to end over a
//! pseudo-terminal.

use crate::camera_support;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use drivers::vc0706::ImageSize;
use firmware_sim::synth::portrait::{Defect, Defects};
use firmware_sim::vc0706_firmware::{CameraSim, control_socket};
use station::cli::camera::{CameraAction, CameraArgs, CaptureArgs, VerifyArg};

#[test]
fn station_camera_capture_saves_the_jpeg_the_camera_sent() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let link = dir.path().join("camera");
    let sim = CameraSim::start_linked(camera_support::config(31, ""), &link)
        .unwrap_or_else(|e| panic!("start: {e}"));
    let out = dir.path().join("photo.jpg");
    let args = CameraArgs {
        action: CameraAction::Capture(CaptureArgs {
            port: link.to_string_lossy().into_owned(),
            out: out.clone(),
            size: ImageSize::Qvga,
            baud: 115_200,
            compression: 0x36,
            chunk: None,
            verify: VerifyArg::ReadTwice,
        }),
    };
    station::cli::camera::run(&args).unwrap_or_else(|e| panic!("capture: {e:#}"));
    let saved = std::fs::read(&out).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(Some(saved.clone()), sim.control().last_frame_sent());
    let picture = image::load_from_memory(&saved).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!((picture.width(), picture.height()), (320, 240));

    // A speed the camera does not have is refused before touching the port.
    let bad = CameraArgs {
        action: CameraAction::Capture(CaptureArgs {
            port: link.to_string_lossy().into_owned(),
            out,
            size: ImageSize::Qvga,
            baud: 12_345,
            compression: 0x36,
            chunk: None,
            verify: VerifyArg::Decode,
        }),
    };
    assert!(station::cli::camera::run(&bad).is_err());
    sim.stop();
    assert!(
        !link.exists(),
        "the link is removed when the simulator stops"
    );
}

#[test]
fn control_socket_steers_the_camera() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let sim =
        CameraSim::start(camera_support::config(32, "")).unwrap_or_else(|e| panic!("start: {e}"));
    let control = sim.control();
    let path = dir.path().join("camera.control");
    let socket = control_socket(&path, control.clone()).unwrap_or_else(|e| panic!("socket: {e}"));
    let stream = UnixStream::connect(&path).unwrap_or_else(|e| panic!("connect: {e}"));
    stream
        .set_read_timeout(Some(Duration::from_secs(2)))
        .unwrap_or_else(|e| panic!("{e}"));
    let mut writer = stream.try_clone().unwrap_or_else(|e| panic!("{e}"));
    let mut reader = BufReader::new(stream);
    let mut ask = |line: &str| {
        writeln!(writer, "{line}").unwrap_or_else(|e| panic!("{e}"));
        let mut answer = String::new();
        reader
            .read_line(&mut answer)
            .unwrap_or_else(|e| panic!("{e}"));
        answer.trim().to_owned()
    };
    assert_eq!(ask("applicant 77 tilted,side-shadow"), "ok");
    assert_eq!(control.applicant().seed, 77);
    assert_eq!(
        control.applicant().defects,
        [Defect::Tilted, Defect::SideShadow]
            .into_iter()
            .collect::<Defects>()
    );
    assert_eq!(ask("faults drop=1e-4,garbage=8"), "ok");
    assert_eq!(control.faults().garbage_at_boot, 8);
    assert!(ask("applicant 5 freckles").starts_with("error:"));
    assert!(ask("faults flip=7").starts_with("error:"));
    assert!(ask("dance").starts_with("error:"));
    assert_eq!(ask("faults none"), "ok");
    assert!(control.faults().is_clean());
    drop(socket);
    assert!(!path.exists(), "the socket file is removed");
}
