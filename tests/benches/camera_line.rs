//! Benchmark: time to capture a 640×480 JPEG from the simulated camera, paced at the baud, over a
//! real pseudo-terminal, divided by the line time of the same capture (10 bits a byte), at 38,400
//! and 115,200 baud. Goal ≤ 1.10. The baselines are computed in the same run from the bytes that
//! crossed the line: `wire` counts every byte the camera sent during the capture (chunk framing
//! included), `jpeg` only the picture's own bytes (the floor no driver can beat).
//!
//! Both ways of trusting the bytes are measured: `Decode` reads each chunk once (line-rate) and
//! walks the JPEG strictly before decoding it, `ReadTwice` (the default for a kept photo) reads each
//! chunk twice to catch flipped bits. A single read is not safe on a line that flips bits: the
//! strict walk still lets 61 % of single-bit flips through (`drivers::vc0706::Verify`).
//!
//! `cargo bench -p e2e-tests --bench camera_line`

use std::time::Duration;

use drivers::transport::{SerialTransport, Transport};
use drivers::vc0706::{
    Baud, Camera, CameraOptions, FrameAction, ImageSize, Settings, Verify, line_time,
};
use firmware_sim::vc0706_firmware::{CameraSim, CameraSimConfig};

const CAPTURES: u32 = 2;
const PREVIEW_FRAMES: u32 = 6;

fn main() -> anyhow::Result<()> {
    println!(
        "{:>7} {:>10} {:>6} {:>8} {:>9} {:>10} {:>10} {:>10} {:>8} {:>8}",
        "baud",
        "verify",
        "chunk",
        "jpeg B",
        "wire B",
        "capture",
        "wire line",
        "jpeg line",
        "÷ wire",
        "÷ jpeg"
    );
    for (baud, verify) in [
        (Baud::B38400, Verify::Decode),
        (Baud::B38400, Verify::ReadTwice),
        (Baud::B115200, Verify::Decode),
        (Baud::B115200, Verify::ReadTwice),
    ] {
        let sim = CameraSim::start(CameraSimConfig {
            seed: 42,
            paced: true,
            ..CameraSimConfig::default()
        })?;
        let path = sim.port_path().to_string_lossy().into_owned();
        let options = CameraOptions {
            verify,
            ..CameraOptions::default()
        };
        let mut camera = Camera::with_options(SerialTransport::open(&path, 38_400)?, options);
        camera.configure(&Settings {
            size: ImageSize::Vga,
            compression: 0x36,
            baud,
        })?;
        // The simulator renders and encodes the applicant at the first freeze; a real camera's
        // frame is already in its buffer. Step once so that the timed captures measure the line.
        camera.frame_control(FrameAction::Step)?;
        camera.frame_control(FrameAction::Resume)?;
        for _ in 0..CAPTURES {
            let before = camera.transport().counters();
            let photo = camera.capture(&mut |_| {})?;
            let after = camera.transport().counters();
            let received = after.bytes_read - before.bytes_read;
            let capture = photo.stats.elapsed;
            let wire = line_time(received, baud.bits_per_second());
            let jpeg = line_time(photo.jpeg.len() as u64, baud.bits_per_second());
            println!(
                "{:>7} {:>10} {:>6} {:>8} {:>9} {:>10} {:>10} {:>10} {:>8.3} {:>8.3}",
                baud.bits_per_second(),
                format!("{verify:?}"),
                photo.stats.chunk_len,
                photo.jpeg.len(),
                received,
                ms(capture),
                ms(wire),
                ms(jpeg),
                capture.as_secs_f64() / wire.as_secs_f64(),
                capture.as_secs_f64() / jpeg.as_secs_f64(),
            );
        }
        sim.stop();
    }
    // Live preview for the clerk's screen: frames a second at 115,200 baud.
    for size in [ImageSize::Qqvga, ImageSize::Qvga] {
        let sim = CameraSim::start(CameraSimConfig {
            seed: 42,
            paced: true,
            ..CameraSimConfig::default()
        })?;
        let path = sim.port_path().to_string_lossy().into_owned();
        let mut camera = Camera::new(SerialTransport::open(&path, 38_400)?);
        camera.configure(&Settings::preview(size))?;
        camera.frame_control(FrameAction::Step)?;
        camera.frame_control(FrameAction::Resume)?;
        let mut bytes = 0usize;
        let mut shown = 0u32;
        let stats = camera.preview(&mut |photo| {
            bytes = photo.jpeg.len();
            shown += 1;
            shown < PREVIEW_FRAMES
        })?;
        println!(
            "preview {size} at 115200 baud: {} frames of ~{bytes} bytes in {} → {:.2} frames/s ({} dropped)",
            stats.frames,
            ms(stats.elapsed),
            f64::from(stats.frames) / stats.elapsed.as_secs_f64(),
            stats.dropped
        );
        sim.stop();
    }
    Ok(())
}

fn ms(d: Duration) -> String {
    format!("{:.0} ms", d.as_secs_f64() * 1e3)
}
