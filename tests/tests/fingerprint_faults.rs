//! Each injected fault ends in a whole image or a typed error, on time.

use crate::fingerprint_support;

use std::time::{Duration, Instant};

use drivers::zfm::ZfmError;
use fingerprint_support::{assert_same_image, finger_deadline, start, unpaced, within};
use firmware_sim::pty::FaultSpec;
use firmware_sim::zfm_firmware::FingerprintSimConfig;

fn faults(spec: &str) -> FaultSpec {
    spec.parse().expect("fault spec")
}

#[test]
fn flipped_bits_are_caught_and_the_image_fetched_again() {
    let (sim, mut module) = start(unpaced(21));
    module.probe().expect("probe");
    module.wait_for_finger(finger_deadline()).expect("finger");
    // About 0.6 flips per image (320,000 bits) at 2e-6 a bit: about half the transfers are damaged.
    sim.control().set_faults(faults("flip=2e-6"));
    module.set_upload_attempts(20);
    let capture = module
        .upload_image(&mut |_| {})
        .expect("a clean transfer within 20");
    sim.control().set_faults(FaultSpec::none());
    assert_same_image(
        &capture.image,
        &sim.control().last_image_sent().expect("image"),
    );
    let counters = module.counters();
    assert_eq!(
        counters.upload_retries + 1,
        u64::from(capture.stats.attempts)
    );
}

#[test]
fn a_line_too_noisy_gives_a_typed_error_never_a_bad_image() {
    let (sim, mut module) = start(unpaced(22));
    module.probe().expect("probe");
    module.wait_for_finger(finger_deadline()).expect("finger");
    sim.control().set_faults(faults("flip=1e-3"));
    let limit = module.upload_time_limit();
    let started = Instant::now();
    let error = module.upload_image(&mut |_| {}).expect_err("too noisy");
    assert!(started.elapsed() <= limit);
    assert!(
        error.is_transfer_damage() || matches!(error, ZfmError::Timeout { .. }),
        "{error}"
    );
    fingerprint_support::quiet_line(&mut module);
}

#[test]
fn dropped_bytes_are_a_length_or_checksum_error_then_a_retry() {
    let (sim, mut module) = start(unpaced(23));
    module.probe().expect("probe");
    module.wait_for_finger(finger_deadline()).expect("finger");
    sim.control().set_faults(faults("drop=2e-5"));
    module.set_upload_attempts(20);
    let capture = module
        .upload_image(&mut |_| {})
        .expect("a whole transfer within 20");
    sim.control().set_faults(FaultSpec::none());
    assert_same_image(
        &capture.image,
        &sim.control().last_image_sent().expect("image"),
    );
}

#[test]
fn stalls_slow_the_transfer_but_the_image_arrives() {
    let (sim, mut module) = start(unpaced(24));
    module.probe().expect("probe");
    module.wait_for_finger(finger_deadline()).expect("finger");
    sim.control().set_faults(faults("stall=1e-4@300ms"));
    let capture = module
        .upload_image(&mut |_| {})
        .expect("stalls are survived");
    sim.control().set_faults(FaultSpec::none());
    assert_same_image(
        &capture.image,
        &sim.control().last_image_sent().expect("image"),
    );
}

#[test]
fn a_module_that_stops_answering_is_a_timeout_within_its_deadline() {
    let (sim, mut module) = start(FingerprintSimConfig {
        faults: faults("mute-after=3"),
        ..unpaced(25)
    });
    module.probe().expect("probe");
    let mut outcome = Ok(());
    let started = Instant::now();
    for _ in 0..6 {
        let call = Instant::now();
        outcome = module.handshake();
        // HandShake's own timeout is 1 s (plus line time).
        assert!(
            call.elapsed() < Duration::from_millis(1_200),
            "{:?}",
            call.elapsed()
        );
        if outcome.is_err() {
            break;
        }
    }
    let error = outcome.expect_err("the module went mute");
    assert!(
        matches!(
            error,
            ZfmError::Timeout {
                command: "HandShake"
            }
        ),
        "{error}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    drop(sim);
}

#[test]
fn a_hung_module_during_capture_is_a_timeout() {
    let (sim, mut module) = start(unpaced(26));
    module.probe().expect("probe");
    module.set_capture_timeout(Duration::from_secs(2));
    sim.control().hang().expect("hang");
    let started = Instant::now();
    let error = module
        .capture(within(10_000), &mut |_| {})
        .expect_err("hung");
    assert!(
        matches!(error, ZfmError::Timeout { command: "GenImg" }),
        "{error}"
    );
    assert!(started.elapsed() < Duration::from_millis(2_500));
}

#[test]
fn a_vanishing_port_is_port_gone() {
    let (sim, mut module) = start(FingerprintSimConfig {
        faults: faults("vanish-after=3"),
        ..unpaced(27)
    });
    module.probe().expect("probe");
    let mut last = Ok(());
    for _ in 0..6 {
        last = module.handshake();
        if last.is_err() {
            break;
        }
    }
    let error = last.expect_err("the port went away");
    assert!(matches!(error, ZfmError::PortGone { .. }), "{error}");
    drop(sim);
}

#[test]
fn unplugging_mid_transfer_is_port_gone() {
    let (sim, mut module) = start(FingerprintSimConfig {
        paced: true,
        baud: 57_600,
        ..unpaced(28)
    });
    module.probe().expect("probe");
    module.wait_for_finger(finger_deadline()).expect("finger");
    let control = sim.control();
    let unplugger = std::thread::spawn(move || {
        std::thread::sleep(Duration::from_millis(500));
        control.unplug().expect("unplug");
    });
    let mut received = 0;
    let error = module
        .upload_image(&mut |p| received = p.received)
        .expect_err("unplugged");
    unplugger.join().expect("unplugger");
    assert!(matches!(error, ZfmError::PortGone { .. }), "{error}");
    assert!(
        received > 0 && received < 36_864,
        "unplugged mid-way: {received}"
    );
}
