//! Hot-plug: the watch notices a device's port vanishing and coming back within seconds.

use std::time::{Duration, Instant};

use drivers::discovery::{
    DeviceEvent, DeviceKind, DeviceWatch, DiscoveryOptions, PortCandidate, WatchOptions,
    WatchedPort, discover,
};
use firmware_sim::vc0706_firmware::{CameraSim, CameraSimConfig};
use firmware_sim::zfm_firmware::{FingerprintSim, FingerprintSimConfig};

fn next_event(watch: &DeviceWatch, within: Duration) -> Option<(DeviceEvent, Duration)> {
    let started = Instant::now();
    watch
        .events()
        .recv_timeout(within)
        .ok()
        .map(|e| (e, started.elapsed()))
}

fn unpaced_module(seed: u64) -> FingerprintSimConfig {
    FingerprintSimConfig {
        seed,
        paced: false,
        ..FingerprintSimConfig::default()
    }
}

#[test]
fn an_unplugged_module_is_gone_then_back_when_plugged_again() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let link = dir.path().join("empreintes");
    let port = link.to_string_lossy().into_owned();
    let sim =
        FingerprintSim::start_linked(unpaced_module(41), &link).unwrap_or_else(|e| panic!("{e}"));
    let watch = DeviceWatch::start(
        vec![WatchedPort::new(&port, Some(DeviceKind::Fingerprint))],
        WatchOptions {
            interval: Duration::from_millis(250),
            ..WatchOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(watch.ports()[0].present);
    assert!(
        next_event(&watch, Duration::from_millis(600)).is_none(),
        "no event while nothing changes"
    );

    sim.control().unplug().unwrap_or_else(|e| panic!("{e}"));
    let (event, after) =
        next_event(&watch, Duration::from_secs(3)).unwrap_or_else(|| panic!("no Gone event"));
    assert_eq!(event, DeviceEvent::Gone { port: port.clone() });
    eprintln!("gone noticed after {after:?}");
    assert!(!watch.ports()[0].present);

    // Plugged in again: a module on the same link.
    let again =
        FingerprintSim::start_linked(unpaced_module(42), &link).unwrap_or_else(|e| panic!("{e}"));
    let (event, after) =
        next_event(&watch, Duration::from_secs(3)).unwrap_or_else(|| panic!("no Back event"));
    assert_eq!(event, DeviceEvent::Back { port: port.clone() });
    eprintln!("back noticed after {after:?}");
    assert!(watch.ports()[0].present);
    let reports = discover(&[PortCandidate::path(&port)], &DiscoveryOptions::default());
    assert_eq!(reports[0].kind(), Some(DeviceKind::Fingerprint));
    drop(sim);
    drop(again);
    watch.stop();
}

#[test]
fn a_camera_stopped_and_a_port_added_later_are_both_reported() {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    let cam_link = dir.path().join("camera");
    let cam = CameraSim::start_linked(
        CameraSimConfig {
            paced: false,
            ..CameraSimConfig::default()
        },
        &cam_link,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let watch = DeviceWatch::start(
        vec![WatchedPort::new(
            cam_link.to_string_lossy(),
            Some(DeviceKind::Camera),
        )],
        WatchOptions {
            interval: Duration::from_millis(200),
            ..WatchOptions::default()
        },
    )
    .unwrap_or_else(|e| panic!("{e}"));
    // A port watched before it exists is "appeared" when it shows up, with the kind expected.
    let later = dir.path().join("empreintes");
    watch.watch(WatchedPort::new(
        later.to_string_lossy(),
        Some(DeviceKind::Fingerprint),
    ));
    // The watch takes the new port on its own thread: wait until it lists it (absent).
    let listed = Instant::now();
    while watch.ports().len() < 2 {
        assert!(listed.elapsed() < Duration::from_secs(3), "port not taken");
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(watch.ports().iter().any(|p| !p.present));
    let module =
        FingerprintSim::start_linked(unpaced_module(43), &later).unwrap_or_else(|e| panic!("{e}"));
    let (event, _) =
        next_event(&watch, Duration::from_secs(3)).unwrap_or_else(|| panic!("no Appeared"));
    assert_eq!(
        event,
        DeviceEvent::Appeared {
            port: later.to_string_lossy().into_owned(),
            kind: Some(DeviceKind::Fingerprint)
        }
    );
    cam.stop();
    let (event, _) =
        next_event(&watch, Duration::from_secs(3)).unwrap_or_else(|| panic!("no Gone"));
    assert_eq!(
        event,
        DeviceEvent::Gone {
            port: cam_link.to_string_lossy().into_owned()
        }
    );
    let ports = watch.ports();
    assert_eq!(ports.len(), 2);
    assert!(
        ports
            .iter()
            .any(|p| p.kind == Some(DeviceKind::Fingerprint) && p.present)
    );
    assert!(
        ports
            .iter()
            .any(|p| p.kind == Some(DeviceKind::Camera) && !p.present)
    );
    drop(module);
}
