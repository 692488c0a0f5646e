//! Probing and negotiation: the real driver against the simulated module over a pseudo-terminal.

use crate::fingerprint_support;

use drivers::zfm::command::PacketSize;
use fingerprint_support::{finger_deadline, start, unpaced};
use firmware_sim::pty::FaultSpec;

#[test]
fn probe_finds_a_factory_module_at_57600() {
    let (_sim, mut module) = start(unpaced(1));
    let report = module.probe().expect("probe");
    assert_eq!(report.bauds_tried, vec![57_600]);
    assert_eq!(report.settings.baud, 57_600);
    assert_eq!(report.parameters.baud(), 57_600);
    assert_eq!(report.parameters.system_id, 9);
    assert_eq!((report.settings.width, report.settings.height), (256, 288));
}

#[test]
fn probe_finds_a_module_left_at_another_baud() {
    let (_sim, mut module) = start(firmware_sim::zfm_firmware::FingerprintSimConfig {
        baud: 19_200,
        ..unpaced(2)
    });
    let report = module.probe().expect("probe");
    assert_eq!(report.settings.baud, 19_200);
    assert_eq!(report.bauds_tried.last(), Some(&19_200));
    assert!(report.bauds_tried.len() > 1, "57,600 was tried first");
    assert_eq!(report.parameters.baud(), 19_200);
    // And it really talks there.
    module.wait_for_finger(finger_deadline()).expect("finger");
}

#[test]
fn probe_survives_boot_garbage() {
    let (_sim, mut module) = start(firmware_sim::zfm_firmware::FingerprintSimConfig {
        faults: "garbage=64".parse::<FaultSpec>().expect("spec"),
        ..unpaced(3)
    });
    let report = module.probe().expect("probe");
    assert_eq!(report.settings.baud, 57_600);
}

#[test]
fn negotiation_reaches_115200_and_256_byte_packets() {
    let (sim, mut module) = start(unpaced(4));
    module.probe().expect("probe");
    let negotiation = module.negotiate_fastest().expect("negotiate");
    assert!(negotiation.refused.is_empty(), "{:?}", negotiation.refused);
    assert!(negotiation.restarted);
    assert_eq!(negotiation.after.baud, 115_200);
    assert_eq!(negotiation.after.packet_size, PacketSize::B256);
    // The module confirms it, and an image comes through at the new settings.
    let params = module
        .execute(&drivers::zfm::command::ReadSysPara)
        .expect("parameters");
    assert_eq!(params.baud(), 115_200);
    assert_eq!(params.packet_size, Some(PacketSize::B256));
    let capture = module
        .capture(finger_deadline(), &mut |_| {})
        .expect("capture at negotiated settings");
    assert_eq!(capture.stats.packet_size, 256);
    assert_eq!(capture.stats.baud, 115_200);
    let sent = sim.control().last_image_sent().expect("sim sent an image");
    fingerprint_support::assert_same_image(&capture.image, &sent);
    // A new probe (e.g. the station restarting) finds it at once at 115,200.
    let again = module.probe().expect("probe again");
    assert_eq!(again.settings.baud, 115_200);
}

#[test]
fn negotiation_does_not_wait_for_a_ready_byte_a_zfm_never_sends() {
    // A ZFM / R30x sends no byte when it restarts; an R503 sends 0x55. Both restart in tens of
    // milliseconds here, so neither should cost the station the ready byte's whole timeout.
    for sensor in [
        firmware_sim::zfm_firmware::SensorKind::Zfm256x288,
        firmware_sim::zfm_firmware::SensorKind::R503_192x192,
    ] {
        let (_sim, mut module) = start(firmware_sim::zfm_firmware::FingerprintSimConfig {
            sensor,
            ..unpaced(7)
        });
        module.probe().expect("probe");
        let started = std::time::Instant::now();
        let negotiation = module.negotiate_fastest().expect("negotiate");
        let took = started.elapsed();
        assert!(negotiation.restarted);
        assert_eq!(negotiation.after.baud, 115_200, "{sensor:?}");
        assert!(
            took < std::time::Duration::from_millis(700),
            "{sensor:?}: negotiation took {took:?}"
        );
    }
}

#[test]
fn negotiation_twice_changes_nothing_the_second_time() {
    let (_sim, mut module) = start(unpaced(5));
    module.probe().expect("probe");
    module.negotiate_fastest().expect("negotiate");
    let second = module.negotiate_fastest().expect("negotiate again");
    assert!(!second.restarted);
    assert_eq!(second.before, second.after);
}

#[test]
fn a_refused_baud_falls_back_cleanly() {
    // The R503 documents only N in {1, 2, 4, 6, 12}: 105,600 (N = 11) is not among them.
    let (sim, mut module) = start(firmware_sim::zfm_firmware::FingerprintSimConfig {
        sensor: firmware_sim::zfm_firmware::SensorKind::R503_192x192,
        ..unpaced(6)
    });
    module.probe().expect("probe");
    let negotiation = module
        .negotiate(105_600, PacketSize::B256)
        .expect("negotiation does not fail");
    let settings = module.settings();
    let params = module
        .execute(&drivers::zfm::command::ReadSysPara)
        .expect("module still answers");
    assert_eq!(params.baud(), settings.baud, "{negotiation:?}");
    if settings.baud != 105_600 {
        assert!(!negotiation.refused.is_empty());
    }
    let capture = module
        .capture(finger_deadline(), &mut |_| {})
        .expect("capture");
    assert_eq!(capture.image.dimensions(), (192, 192));
    let sent = sim.control().last_image_sent().expect("image");
    fingerprint_support::assert_same_image(&capture.image, &sent);
}

#[test]
fn nobody_at_the_port_is_not_found() {
    let (sim, mut module) = start(unpaced(7));
    sim.control().hang().expect("hang");
    let error = module
        .probe_bauds(&[57_600, 115_200])
        .expect_err("hung module");
    assert_eq!(error.kind(), "not-found", "{error}");
}
