//! The simulated camera's control socket, end to end over a pseudo-terminal (the technician's
//! `station camera capture`, signed in, is tested with the station's binary).

use crate::camera_support;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::time::Duration;

use firmware_sim::synth::portrait::{Defect, Defects};
use firmware_sim::vc0706_firmware::{CameraSim, control_socket};

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
