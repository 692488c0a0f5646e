//! The VC0706 driver against the simulated camera over a pseudo-terminal, on a clean line:
//! every size, compression, baud change, a frame over 64 KB, preview, motion, probing.

use crate::camera_support;

use std::time::{Duration, Instant};

use drivers::vc0706::{Baud, CameraOptions, FrameAction, ImageSize, Settings};
use firmware_sim::synth::portrait::Portrait;
use firmware_sim::synth::portrait::{Defect, Defects};
use firmware_sim::vc0706_firmware::CameraSimConfig;

use camera_support::{config, start, start_with};

#[test]
fn captures_at_every_size_are_the_jpegs_the_camera_sent() {
    let (sim, mut camera) = start(11, "");
    for size in ImageSize::ALL {
        let report = camera
            .configure(&Settings {
                size,
                compression: 0x36,
                baud: Baud::B115200,
            })
            .unwrap_or_else(|e| panic!("configure {size}: {e}"));
        assert!(
            report.boot_text.ends_with("Init end"),
            "{:?}",
            report.boot_text
        );
        assert_eq!(report.version, "VC0703 1.00");
        let mut last_progress = None;
        let photo = camera
            .capture(&mut |p| last_progress = Some(p))
            .unwrap_or_else(|e| panic!("capture {size}: {e}"));
        assert_eq!(photo.image.dimensions(), size.dimensions());
        assert_eq!(Some(photo.jpeg.clone()), sim.control().last_frame_sent());
        let progress = last_progress.unwrap_or_else(|| panic!("no progress reported"));
        assert_eq!(progress.received, progress.total);
        assert_eq!(progress.total as usize, photo.jpeg.len());
        assert_eq!(photo.stats.chunk_retries, 0);
        // The picture is the applicant: compare with the renderer's own pixels.
        let (w, h) = size.dimensions();
        let truth = Portrait::from_seed(11).render(&Defects::none(), w, h);
        let mean_error: f64 = truth
            .pixels()
            .zip(photo.image.pixels())
            .map(|(a, b)| (0..3).map(|c| f64::from(a[c].abs_diff(b[c]))).sum::<f64>() / 3.0)
            .sum::<f64>()
            / f64::from(w * h);
        assert!(mean_error < 8.0, "{size}: mean error {mean_error}");
    }
}

#[test]
fn compression_trades_size_for_quality_and_a_frame_over_64_kb_is_read_whole() {
    let (sim, mut camera) = start(12, "");
    let mut lengths = Vec::new();
    for compression in [0x00u8, 0x36, 0xC0] {
        camera
            .configure(&Settings {
                size: ImageSize::Vga,
                compression,
                baud: Baud::B115200,
            })
            .unwrap_or_else(|e| panic!("configure: {e}"));
        let photo = camera
            .capture(&mut |_| {})
            .unwrap_or_else(|e| panic!("capture at compression {compression}: {e}"));
        assert_eq!(Some(photo.jpeg.clone()), sim.control().last_frame_sent());
        lengths.push(photo.jpeg.len());
    }
    assert!(
        lengths[0] > lengths[1] && lengths[1] > lengths[2],
        "{lengths:?}"
    );
    // Compression 0 at 640×480 needs addresses past 16 bits: a driver sending only 16 bits of
    // address would read the start of the frame again and the JPEG would not end with FF D9.
    assert!(lengths[0] > 65_536, "frame of {} bytes", lengths[0]);
}

#[test]
fn settings_apply_only_after_reset_and_reset_returns_to_38400() {
    let (sim, mut camera) = start(13, "");
    camera
        .configure(&Settings::preview(ImageSize::Qqvga))
        .unwrap_or_else(|e| panic!("configure: {e}"));
    assert_eq!(camera.baud(), 115_200);
    // Storing a size changes nothing until the next reset.
    camera
        .set_image_size(ImageSize::Qvga)
        .unwrap_or_else(|e| panic!("set size: {e}"));
    let photo = camera
        .capture(&mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(photo.image.dimensions(), (160, 120));
    let boot = camera.reset().unwrap_or_else(|e| panic!("reset: {e}"));
    assert!(boot.contains("VC0703"), "{boot:?}");
    assert_eq!(camera.baud(), 38_400);
    assert_eq!(camera.image_size().ok(), Some(ImageSize::Qvga));
    camera
        .set_baud(Baud::B57600)
        .unwrap_or_else(|e| panic!("57600: {e}"));
    let photo = camera
        .capture(&mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(photo.image.dimensions(), (320, 240));
    assert_eq!(photo.stats.baud, 57_600);
    assert!(sim.control().stats().resets >= 2);
}

#[test]
fn probe_finds_a_camera_left_at_another_speed() {
    let config = CameraSimConfig {
        baud: 115_200,
        ..config(14, "")
    };
    let (_sim, mut camera) = start_with(config, 38_400, CameraOptions::default());
    let found = camera.probe().unwrap_or_else(|e| panic!("probe: {e}"));
    assert_eq!(found.baud, 115_200);
    assert_eq!(found.version, "VC0703 1.00");
}

#[test]
fn preview_loops_small_frames_and_follows_the_applicant() {
    let (sim, mut camera) = start(15, "");
    camera
        .configure(&Settings::preview(ImageSize::Qqvga))
        .unwrap_or_else(|e| panic!("configure: {e}"));
    let control = sim.control();
    let mut frames = Vec::new();
    let stats = camera
        .preview(&mut |photo| {
            frames.push(photo.jpeg.clone());
            if frames.len() == 2 {
                control.set_applicant(99, Defects::only(Defect::UnderExposed));
            }
            frames.len() < 4
        })
        .unwrap_or_else(|e| panic!("preview: {e}"));
    assert_eq!(stats.frames, 4);
    assert_eq!(stats.dropped, 0);
    assert_eq!(frames[0], frames[1], "a still scene gives the same frame");
    assert_ne!(frames[1], frames[3], "a new applicant gives a new frame");
}

#[test]
fn motion_detection_reports_a_new_applicant() {
    let (sim, mut camera) = start(16, "");
    camera
        .set_motion_detection(true)
        .unwrap_or_else(|e| panic!("motion on: {e}"));
    let quiet = camera
        .wait_for_motion(Instant::now() + Duration::from_millis(200))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!quiet, "no motion before anyone moves");
    sim.control().set_applicant(17, Defects::none());
    let seen = camera
        .wait_for_motion(Instant::now() + Duration::from_secs(2))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(seen);
    // A notice that arrives unasked, between two commands, is not taken for a reply.
    sim.control().trigger_motion();
    std::thread::sleep(Duration::from_millis(100));
    let photo = camera
        .capture(&mut |_| {})
        .unwrap_or_else(|e| panic!("capture behind a motion notice: {e}"));
    assert_eq!(Some(photo.jpeg), sim.control().last_frame_sent());
    camera
        .set_motion_detection(false)
        .unwrap_or_else(|e| panic!("motion off: {e}"));
    sim.control().set_applicant(18, Defects::none());
    let after = camera
        .wait_for_motion(Instant::now() + Duration::from_millis(300))
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(!after, "motion detection is off");
}

#[test]
fn step_and_resume_and_the_camera_refuses_reading_a_live_buffer() {
    let (_sim, mut camera) = start(19, "");
    camera
        .configure(&Settings::preview(ImageSize::Qqvga))
        .unwrap_or_else(|e| panic!("configure: {e}"));
    // Without a freeze there is no frame to measure.
    assert!(matches!(
        camera.frame_length(),
        Err(drivers::vc0706::CameraError::Camera { .. })
    ));
    camera
        .frame_control(FrameAction::Step)
        .unwrap_or_else(|e| panic!("step: {e}"));
    assert!(camera.frame_length().unwrap_or(0) > 0);
    camera
        .frame_control(FrameAction::Resume)
        .unwrap_or_else(|e| panic!("resume: {e}"));
}

#[test]
fn chunk_sizes_are_multiples_of_four_and_cover_odd_frame_lengths() {
    let (sim, mut camera) = start_with(
        config(20, ""),
        38_400,
        CameraOptions {
            chunk_len: Some(30), // rounded down to 28
            ..CameraOptions::default()
        },
    );
    camera
        .configure(&Settings::preview(ImageSize::Qqvga))
        .unwrap_or_else(|e| panic!("configure: {e}"));
    assert_eq!(camera.chunk_len(), 28);
    let photo = camera
        .capture(&mut |_| {})
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(Some(photo.jpeg.clone()), sim.control().last_frame_sent());
    assert_eq!(photo.stats.chunks as usize, photo.jpeg.len().div_ceil(28));
}

#[test]
fn a_chunk_the_camera_refuses_is_reported_with_its_status() {
    // The simulated chip sends at most 8 KiB a read (the real limit is undocumented).
    let (_sim, mut camera) = start_with(
        config(21, ""),
        38_400,
        CameraOptions {
            chunk_len: Some(16_384),
            ..CameraOptions::default()
        },
    );
    camera
        .configure(&Settings::capture())
        .unwrap_or_else(|e| panic!("configure: {e}"));
    let outcome = camera.capture(&mut |_| {});
    assert!(
        matches!(
            outcome,
            Err(drivers::vc0706::CameraError::Camera {
                command: "read frame buffer",
                status: drivers::vc0706::CameraStatus::DataFormat
            })
        ),
        "{outcome:?}"
    );
    // The frame was resumed: the next capture with a usable chunk works.
    camera.options_mut().chunk_len = None;
    assert!(camera.capture(&mut |_| {}).is_ok());
}
