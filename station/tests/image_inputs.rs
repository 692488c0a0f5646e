//! Images from outside the station's devices: a camera JPEG cut at 90 % is refused as incomplete
//! (not judged as a photo with a grey band), and a 20,000 × 20,000 image is refused from its header,
//! quickly and in little memory, by `station photo check`, `fingerprint quality` and `fingerprint
//! match` run as processes.

use std::{
    path::{Path, PathBuf},
    process::{Command, Output},
    time::{Duration, Instant},
};

use firmware_sim::{
    synth::{portrait::Defects, sensor_defects::CameraDefects},
    vc0706_firmware::scene::{Applicant, Scene},
};

/// A clean VGA frame as the simulated camera encodes it.
fn camera_jpeg() -> Vec<u8> {
    let applicant = Applicant {
        seed: 7,
        defects: Defects::default(),
        lens: CameraDefects::none(),
        grey_card: false,
    };
    Scene::default()
        .frame(applicant, 640, 480, 80)
        .expect("camera frame")
        .to_vec()
}

/// Runs `station ARGS` and measures its peak resident memory (`VmHWM`, read from /proc just before
/// the process is reaped) and its time.
fn run_measured(args: &[&std::ffi::OsStr]) -> (Output, u64, Duration) {
    let started = Instant::now();
    let child = Command::new(env!("CARGO_BIN_EXE_station"))
        .env(station::config::Mode::VARIABLE, "1")
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run station");
    let status_path = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    // Until the process exits (a zombie still has its status file, without memory lines).
    while let Ok(text) = std::fs::read_to_string(&status_path) {
        if let Some(kb) = text
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak_kb = peak_kb.max(kb);
        }
        let exited = text
            .lines()
            .any(|l| l.starts_with("State:") && l.contains('Z'));
        if exited || started.elapsed() > Duration::from_secs(60) {
            break;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    let output = child.wait_with_output().expect("wait");
    (output, peak_kb * 1024, started.elapsed())
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write");
    path
}

#[test]
fn a_camera_jpeg_cut_at_90_percent_is_an_incomplete_photo() {
    let dir = tempfile::tempdir().expect("tempdir");
    let jpeg = camera_jpeg();
    let cut = &jpeg[..jpeg.len() * 9 / 10];
    // The library refuses it as incomplete…
    let Err(refused) = station::checks::photo::check_encoded(cut) else {
        panic!("a photo cut at 90 % was checked as a photo");
    };
    assert!(refused.to_string().contains("incomplete"), "{refused}");
    // …and so does the command, with the clerk's sentence, while the whole frame reads.
    let whole = write(dir.path(), "whole.jpg", &jpeg);
    let path = write(dir.path(), "cut.jpg", cut);
    let (out, _, _) = run_measured(&["photo".as_ref(), "check".as_ref(), path.as_os_str()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(2), "{stdout} {stderr}");
    assert!(stderr.contains("photo incomplète"), "{stderr}");
    assert!(!stdout.contains("conforme"), "{stdout}");
    let (out, _, _) = run_measured(&["photo".as_ref(), "check".as_ref(), whole.as_os_str()]);
    assert_ne!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_png_without_its_end_is_an_incomplete_photo() {
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_pixel(
        640,
        480,
        image::Rgb([200, 190, 180]),
    ))
    .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
    .expect("png");
    let cut = &png[..png.len() * 9 / 10];
    let Err(refused) = station::checks::photo::check_encoded(cut) else {
        panic!("a photo cut at 90 % was checked as a photo");
    };
    assert!(refused.to_string().contains("incomplete"), "{refused}");
}

/// A valid PNG of `side × side` black grey pixels: a few megabytes of deflate (each code repeats
/// 258 zeros) that inflate to `side × (side + 1)` bytes, what a decoder allocates for.
fn png_bomb(side: u32) -> Vec<u8> {
    fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
        out.extend_from_slice(&u32::try_from(data.len()).expect("len").to_be_bytes());
        let mut crc_input = kind.to_vec();
        crc_input.extend_from_slice(data);
        out.extend_from_slice(&crc_input);
        out.extend_from_slice(&crc32(&crc_input).to_be_bytes());
    }
    let mut out = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&side.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
    chunk(&mut out, b"IHDR", &ihdr);
    let total = u64::from(side) * (u64::from(side) + 1);
    chunk(&mut out, b"IDAT", &zeros_zlib(total));
    chunk(&mut out, b"IEND", &[]);
    out
}

/// A zlib stream of `n` zero bytes: one fixed-Huffman block, a literal zero then matches of 258 at
/// distance 1.
fn zeros_zlib(n: u64) -> Vec<u8> {
    struct Bits {
        out: Vec<u8>,
        byte: u8,
        used: u32,
    }
    impl Bits {
        fn bit(&mut self, b: u8) {
            self.byte |= b << self.used;
            self.used += 1;
            if self.used == 8 {
                self.out.push(self.byte);
                self.byte = 0;
                self.used = 0;
            }
        }
        /// A Huffman code, most significant bit first.
        fn code(&mut self, value: u32, length: u32) {
            for i in (0..length).rev() {
                self.bit(((value >> i) & 1) as u8);
            }
        }
    }
    let mut bits = Bits {
        out: vec![0x78, 0x01],
        byte: 0,
        used: 0,
    };
    // BFINAL = 1, BTYPE = 01 (fixed Huffman), least significant bit first.
    bits.bit(1);
    bits.bit(1);
    bits.bit(0);
    // Literal 0: 8-bit code 0x30.
    bits.code(0x30, 8);
    let rest = n - 1;
    for _ in 0..rest / 258 {
        // Length 258: symbol 285, 8-bit code 0xC5; distance 1: 5-bit code 0.
        bits.code(0xC5, 8);
        bits.code(0, 5);
    }
    for _ in 0..rest % 258 {
        bits.code(0x30, 8);
    }
    // End of block: symbol 256, 7-bit code 0.
    bits.code(0, 7);
    if bits.used > 0 {
        bits.out.push(bits.byte);
    }
    // Adler-32 of n zeros: a = 1, b = n × 1.
    let b = u32::try_from(n % 65_521).expect("small");
    bits.out.extend_from_slice(&((b << 16) | 1).to_be_bytes());
    bits.out
}

fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for &b in bytes {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A baseline JPEG header claiming `side × side`, then a scan: the frame header is what counts.
fn jpeg_bomb(side: u16) -> Vec<u8> {
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 50)
        .encode_image(&image::GrayImage::from_pixel(16, 16, image::Luma([128])))
        .expect("jpeg");
    // Rewrite the SOF0's height and width.
    let at = jpeg
        .windows(2)
        .position(|w| w == [0xFF, 0xC0])
        .expect("frame header");
    jpeg[at + 5..at + 7].copy_from_slice(&side.to_be_bytes());
    jpeg[at + 7..at + 9].copy_from_slice(&side.to_be_bytes());
    jpeg
}

/// The bars: refused, within a second, under 100 MB of peak memory.
const MAX_SECONDS: f64 = 1.0;
const MAX_PEAK_BYTES: u64 = 100 * 1024 * 1024;

#[test]
fn image_bombs_are_refused_from_their_header() {
    let dir = tempfile::tempdir().expect("tempdir");
    let png = write(dir.path(), "bomb.png", &png_bomb(20_000));
    let jpeg = write(dir.path(), "bomb.jpg", &jpeg_bomb(20_000));
    let good_print = PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/quality/SFinGe_Test01.pgm"
    ));
    let runs: Vec<(&str, Vec<&std::ffi::OsStr>)> = vec![
        (
            "photo check png",
            vec!["photo".as_ref(), "check".as_ref(), png.as_os_str()],
        ),
        (
            "photo check jpeg",
            vec!["photo".as_ref(), "check".as_ref(), jpeg.as_os_str()],
        ),
        (
            "fingerprint quality png",
            vec!["fingerprint".as_ref(), "quality".as_ref(), png.as_os_str()],
        ),
        (
            "fingerprint quality jpeg",
            vec!["fingerprint".as_ref(), "quality".as_ref(), jpeg.as_os_str()],
        ),
        (
            "fingerprint match png",
            vec![
                "fingerprint".as_ref(),
                "match".as_ref(),
                png.as_os_str(),
                good_print.as_os_str(),
            ],
        ),
    ];
    let mut figures = Vec::new();
    for (name, args) in runs {
        let (out, peak, took) = run_measured(&args);
        // `fingerprint quality` prints each file's error on its line of stdout.
        let stderr = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        figures.push(format!(
            "{name}: exit {:?}, {:.0} ms, peak {:.1} MB",
            out.status.code(),
            took.as_secs_f64() * 1000.0,
            peak as f64 / 1_048_576.0
        ));
        assert!(!out.status.success(), "{name}: accepted");
        assert!(stderr.contains("20000×20000"), "{name}: {stderr}");
        assert!(!stderr.contains("panicked"), "{name}: {stderr}");
        assert!(peak <= MAX_PEAK_BYTES, "{name}: peak {peak} bytes");
        assert!(took.as_secs_f64() <= MAX_SECONDS, "{name}: {took:?}");
    }
    // The figures for the closing note (`--nocapture`).
    println!("{}", figures.join("\n"));
}
