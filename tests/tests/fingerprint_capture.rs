//! Captures and templates: the real driver against the simulated module over a pseudo-terminal.

use crate::fingerprint_support;

use drivers::zfm::command::CharBuffer;
use fingerprint_support::{assert_same_image, finger_deadline, start, unpaced, within};
use firmware_sim::zfm_firmware::{FingerMode, FingerprintSimConfig, SensorKind};

#[test]
fn several_fingers_arrive_pixel_for_pixel() {
    let (sim, mut module) = start(unpaced(11));
    module.probe().expect("probe");
    let control = sim.control();
    let mut previous: Option<image::GrayImage> = None;
    for (finger, impression) in [(101, 0), (102, 0), (103, 1), (101, 2)] {
        control.place_finger(finger, impression);
        let mut last_progress = None;
        let capture = module
            .capture(finger_deadline(), &mut |p| {
                last_progress = Some((p.received, p.total, p.packed.len()))
            })
            .expect("capture");
        let sent = control.last_image_sent().expect("image sent");
        assert_same_image(&capture.image, &sent);
        assert_eq!(capture.image.dimensions(), (256, 288));
        let (received, total, lent) = last_progress.expect("progress reported");
        assert_eq!((received, total), (36_864, 36_864));
        assert_eq!(
            lent, received,
            "the bytes received are lent with the progress"
        );
        // 128-byte packets: 12 + 12 + 288 × 139 = 40,056 bytes (reference, "Image upload").
        assert_eq!(capture.stats.bytes_on_wire, 40_056);
        if let Some(previous) = &previous {
            assert_ne!(
                previous, &capture.image,
                "each finger gives a different image"
            );
        }
        previous = Some(capture.image);
    }
}

#[test]
fn an_r503_sends_its_192_by_192_image() {
    let (sim, mut module) = start(FingerprintSimConfig {
        sensor: SensorKind::R503_192x192,
        ..unpaced(12)
    });
    let report = module.probe().expect("probe");
    assert!(report.product.is_some(), "an R503 answers ReadProdInfo");
    assert_eq!((report.settings.width, report.settings.height), (192, 192));
    let capture = module
        .capture(finger_deadline(), &mut |_| {})
        .expect("capture");
    assert_same_image(
        &capture.image,
        &sim.control().last_image_sent().expect("image"),
    );
}

#[test]
fn no_finger_is_reported_at_the_deadline() {
    let (sim, mut module) = start(FingerprintSimConfig {
        finger: FingerMode::None,
        ..unpaced(13)
    });
    module.probe().expect("probe");
    let started = std::time::Instant::now();
    let error = module.wait_for_finger(within(600)).expect_err("no finger");
    assert_eq!(error.kind(), "no-finger");
    assert!(started.elapsed() < std::time::Duration::from_millis(700));
    // Then a finger arrives.
    sim.control().place_finger(7, 0);
    module
        .wait_for_finger(finger_deadline())
        .expect("finger now");
}

#[test]
fn the_same_finger_matches_and_another_does_not() {
    let (sim, mut module) = start(FingerprintSimConfig {
        finger: FingerMode::None,
        ..unpaced(14)
    });
    module.probe().expect("probe");
    let control = sim.control();
    module.empty_library().expect("empty");
    assert_eq!(module.template_count().expect("count"), 0);

    // Enrol finger 500 from two impressions, store it at page 3.
    control.place_finger(500, 0);
    module.wait_for_finger(finger_deadline()).expect("finger");
    module
        .image_to_template(CharBuffer::One)
        .expect("features 1");
    control.place_finger(500, 1);
    module.wait_for_finger(finger_deadline()).expect("finger");
    module
        .image_to_template(CharBuffer::Two)
        .expect("features 2");
    assert!(
        module.match_buffers().expect("match").is_some(),
        "same finger matches"
    );
    module.register_model().expect("combine");
    module.store(CharBuffer::One, 3).expect("store");
    assert_eq!(module.template_count().expect("count"), 1);
    assert_eq!(module.used_pages(0).expect("index"), vec![3]);

    // A third impression of the same finger is found at page 3.
    control.place_finger(500, 2);
    module.wait_for_finger(finger_deadline()).expect("finger");
    module.image_to_template(CharBuffer::One).expect("features");
    let hit = module.search(CharBuffer::One, 0, 100).expect("search");
    assert_eq!(hit.map(|h| h.page), Some(3));

    // Another finger neither matches nor is found.
    control.place_finger(777, 0);
    module.wait_for_finger(finger_deadline()).expect("finger");
    module.image_to_template(CharBuffer::Two).expect("features");
    assert_eq!(
        module.search(CharBuffer::Two, 0, 100).expect("search"),
        None
    );
    module.load(CharBuffer::One, 3).expect("load");
    assert_eq!(
        module.match_buffers().expect("match"),
        None,
        "different fingers"
    );

    module.delete(3, 1).expect("delete");
    assert_eq!(module.template_count().expect("count"), 0);
}

#[test]
fn housekeeping_commands_answer() {
    let (_sim, mut module) = start(FingerprintSimConfig {
        sensor: SensorKind::R503_192x192,
        ..unpaced(15)
    });
    module.probe().expect("probe");
    module.handshake().expect("handshake");
    module.check_sensor().expect("sensor ok");
    let a = module.random_code().expect("random");
    let b = module.random_code().expect("random");
    assert_ne!(a, b);
    module
        .set_led(drivers::zfm::command::AuraLedConfig {
            control: drivers::zfm::command::LedControl::Breathing,
            speed: 100,
            colour: drivers::zfm::command::LedColour::Blue,
            count: 0,
        })
        .expect("led");
    module.soft_reset().expect("reset");
    module.handshake().expect("answers after reset");
}
