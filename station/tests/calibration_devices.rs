//! Calibration end to end: the drivers' calibration routines drive the simulated fingerprint
//! module and camera over real pseudo-terminals (unpaced), with defects injected at start or on
//! the control socket; results are checked against the simulator's ground truth, stored in a
//! real SQLite history and read back; the stored flat field corrects later captures.

use std::time::{Duration, Instant};

use drivers::calibration::{
    CameraStep, FingerprintStep, calibrate_camera, calibrate_fingerprint, limits, measure_grey_card,
};
use drivers::transport::SerialTransport;
use drivers::vc0706::Camera;
use drivers::zfm::FingerprintModule;
use firmware_sim::synth::portrait::Defects;
use firmware_sim::synth::sensor_defects::{CameraDefects, SensorDefects, Target, grey_card};
use firmware_sim::vc0706_firmware::{CameraSim, CameraSimConfig, quality_for};
use firmware_sim::zfm_firmware::{FingerMode, FingerprintSim, FingerprintSimConfig, socket};
use image::GrayImage;
use station::calibration::{
    CalibrationHistory, DeviceKind, FlatFieldStore, camera_measures_json, fingerprint_measures_json,
};
use time::OffsetDateTime;

fn fingerprint_sim(defects: &str) -> (FingerprintSim, FingerprintModule<SerialTransport>) {
    let sim = FingerprintSim::start(FingerprintSimConfig {
        seed: 77,
        paced: false,
        finger: FingerMode::None,
        defects: defects.parse::<SensorDefects>().expect("defects"),
        ..FingerprintSimConfig::default()
    })
    .expect("simulator starts");
    let path = sim.port_path().to_string_lossy().into_owned();
    let line = SerialTransport::open(&path, 57_600).expect("port opens");
    let mut module = FingerprintModule::new(line);
    module.set_capture_timeout(Duration::from_secs(30));
    module.probe().expect("module found");
    (sim, module)
}

/// Mean absolute difference between two images of one size, grey levels.
fn mean_difference(a: &GrayImage, b: &GrayImage) -> f64 {
    let sum: f64 = a
        .as_raw()
        .iter()
        .zip(b.as_raw())
        .map(|(&x, &y)| f64::from(x.abs_diff(y)))
        .sum();
    sum / a.as_raw().len() as f64
}

#[test]
fn calibration_of_a_defective_fingerprint_sensor_end_to_end() {
    let (sim, mut module) = fingerprint_sim("none");
    let control = sim.control();
    // Defects set at run time, on the control socket, as a technician's shell would.
    socket::obey(
        "defects vignetting=0.4,noise=3,dead=12,stuck=5,dirty=40@120x90",
        &control,
    )
    .expect("defects order");
    let mut steps = Vec::new();
    let result = calibrate_fingerprint(&mut module, 5, &mut |step| {
        steps.push(step);
        match step {
            FingerprintStep::LayBlankTarget => {
                socket::obey("target blank", &control).expect("target order");
            }
            FingerprintStep::LayFlatTarget => control.place_target(Target::Flat),
            FingerprintStep::Done => control.lift_finger(),
        }
    })
    .expect("calibrated");
    assert_eq!(
        steps,
        [
            FingerprintStep::LayBlankTarget,
            FingerprintStep::LayFlatTarget,
            FingerprintStep::Done
        ]
    );
    assert_eq!(control.stats().images_sent, 10);
    let truth = control.defect_layout();
    let m = &result.measures;
    assert_eq!(m.bad_pixels.dead, truth.dead);
    assert_eq!(m.bad_pixels.stuck, truth.stuck);
    let patch = truth.dirty.expect("a patch");
    let residue = m.residue.first().expect("residue found");
    let distance = ((residue.x - f64::from(patch.x)).powi(2)
        + (residue.y - f64::from(patch.y)).powi(2))
    .sqrt();
    assert!(distance < 20.0, "residue at {residue:?}, patch {patch:?}");
    assert!(!result.verdict.pass());
    for failed in ["bad_pixels", "residue_regions", "uniformity_light"] {
        assert!(
            !result.verdict.check(failed).expect("checked").pass,
            "{failed}"
        );
    }

    // Stored in a real SQLite history, read back by serial number.
    let dir = tempfile::tempdir().expect("temp dir");
    let path = CalibrationHistory::default_path(dir.path());
    let history = CalibrationHistory::open(&path).expect("history opens");
    let id = history
        .record(
            "SN-77",
            DeviceKind::Fingerprint,
            OffsetDateTime::now_utc(),
            &fingerprint_measures_json(&result),
            result.verdict.pass(),
            Some(&result.flat_field),
        )
        .expect("stored");
    drop(history);
    let history = CalibrationHistory::open(&path).expect("history reopens");
    assert_eq!(
        history.latest_flat_field("SN-77").expect("read"),
        Some(result.flat_field.clone())
    );
    assert_eq!(history.latest_flat_field("other").expect("read"), None);
    let entries = history.history("SN-77").expect("history");
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].id, id);
    assert!(!entries[0].pass && entries[0].has_flat_field);
    assert_eq!(
        entries[0].measures["dead_pixels"].as_array().map(Vec::len),
        Some(12)
    );

    // The capture path applies the stored correction: the defective sensor's capture, corrected,
    // is much closer to what a perfect sensor sees of the same finger than the raw capture is.
    let store = FlatFieldStore::load(&history, "SN-77").expect("store");
    control.place_finger(5, 0);
    let take = |module: &mut FingerprintModule<SerialTransport>| {
        module
            .capture(Instant::now() + Duration::from_secs(60), &mut |_| {})
            .expect("finger captured")
            .image
    };
    let mut capture = take(&mut module);
    let raw = capture.clone();
    assert!(store.apply(&mut capture));
    control.set_defects(SensorDefects::none());
    let perfect = take(&mut module);
    let (raw_error, corrected_error) = (
        mean_difference(&raw, &perfect),
        mean_difference(&capture, &perfect),
    );
    println!("mean |capture − perfect sensor|: raw {raw_error:.1}, corrected {corrected_error:.1}");
    assert!(
        corrected_error < raw_error / 2.0,
        "raw {raw_error:.1}, corrected {corrected_error:.1}"
    );
}

#[test]
fn calibration_of_a_clean_fingerprint_sensor_passes_and_history_grows() {
    let (sim, mut module) = fingerprint_sim("");
    let control = sim.control();
    let dir = tempfile::tempdir().expect("temp dir");
    let history =
        CalibrationHistory::open(&CalibrationHistory::default_path(dir.path())).expect("opens");
    for _ in 0..2 {
        let result = calibrate_fingerprint(&mut module, 3, &mut |step| match step {
            FingerprintStep::LayBlankTarget => control.place_target(Target::Blank),
            FingerprintStep::LayFlatTarget => control.place_target(Target::Flat),
            FingerprintStep::Done => control.lift_finger(),
        })
        .expect("calibrated");
        assert!(
            result.verdict.pass(),
            "{:?}",
            result.verdict.failures().collect::<Vec<_>>()
        );
        history
            .record(
                "SN-1",
                DeviceKind::Fingerprint,
                OffsetDateTime::now_utc(),
                &fingerprint_measures_json(&result),
                true,
                Some(&result.flat_field),
            )
            .expect("stored");
    }
    let entries = history.history("SN-1").expect("history");
    assert_eq!(entries.len(), 2);
    assert!(entries[0].id < entries[1].id && entries.iter().all(|e| e.pass));
    // A target has no ridges: the module refuses to extract features from it.
    control.place_target(Target::Blank);
    module
        .wait_for_finger(Instant::now() + Duration::from_secs(30))
        .expect("target imaged");
    assert!(
        module
            .image_to_template(drivers::zfm::command::CharBuffer::One)
            .is_err()
    );
}

fn camera_sim(lens: &str) -> (CameraSim, Camera<SerialTransport>) {
    let sim = CameraSim::start(CameraSimConfig {
        seed: 12,
        paced: false,
        lens: lens.parse::<CameraDefects>().expect("camera defects"),
        ..CameraSimConfig::default()
    })
    .expect("camera starts");
    let path = sim.port_path().to_string_lossy().into_owned();
    let line = SerialTransport::open(&path, 38_400).expect("port opens");
    let mut camera = Camera::new(line);
    camera.probe().expect("camera found");
    (sim, camera)
}

#[test]
fn calibration_of_the_camera_end_to_end() {
    for (lens, pass) in [("", true), ("cast=1.25:1:0.8,defocus=3", false)] {
        let (sim, mut camera) = camera_sim(lens);
        let control = sim.control();
        let result =
            calibrate_camera(
                &mut camera,
                limits::PORTRAIT_TARGET_BYTES,
                &mut |step| match step {
                    CameraStep::ShowGreyCard => control.show_grey_card(),
                    CameraStep::ShowPortrait => control.set_applicant(12, Defects::none()),
                    CameraStep::Done => {}
                },
            )
            .expect("calibrated");
        let m = &result.measures;
        println!(
            "lens {lens:?}: exposure {:.1}, R/G {:.3}, B/G {:.3}, sharpness {:.0}, compression 0x{:02X} → {} bytes in {} tries",
            m.exposure,
            m.red_ratio,
            m.blue_ratio,
            m.sharpness,
            result.compression.compression,
            result.compression.frame_len,
            result.compression.tries
        );
        assert_eq!(m.verdict.pass(), pass, "{:?}", m.verdict);
        if !pass {
            assert!(m.red_ratio > 1.15 && m.blue_ratio < 0.85);
            assert!(!m.verdict.check("sharpness").expect("checked").pass);
        }
        assert!(result.compression.frame_len <= limits::PORTRAIT_TARGET_BYTES);
        // The setting is left in force: the next portrait is within the target.
        let photo = camera.capture(&mut |_| {}).expect("portrait");
        assert!(photo.jpeg.len() as u32 <= limits::PORTRAIT_TARGET_BYTES);
        let json = camera_measures_json(&result);
        assert_eq!(json["compression"], result.compression.compression);
    }
}

/// The sharpness limit sits between a focused camera and one 2 px out of focus, as measured on
/// the simulator's card through its JPEG at the default compression.
#[test]
fn calibration_sharpness_falls_with_defocus() {
    let mut values = Vec::new();
    for defocus in [0.0, 1.0, 2.0, 3.0] {
        let lens: CameraDefects = format!("defocus={defocus}").parse().expect("lens");
        let mut card = grey_card(640, 480);
        lens.apply(&mut card);
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality_for(0x36))
            .encode_image(&card)
            .expect("encoded");
        let seen = image::load_from_memory(&jpeg).expect("decoded").to_rgb8();
        let sharpness = measure_grey_card(&seen).sharpness;
        println!("defocus {defocus} px: sharpness {sharpness:.0}");
        values.push(sharpness);
    }
    assert!(values.windows(2).all(|w| w[0] > w[1]));
    assert!(values[1] >= limits::MIN_SHARPNESS && values[2] < limits::MIN_SHARPNESS);
}
