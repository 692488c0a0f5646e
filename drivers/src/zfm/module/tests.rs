//! The module API over a real pseudo-terminal, against a small scripted device on the master side.
//! (The faithful simulator lives in `firmware-sim`; the end-to-end tests in `tests/` use it.)

use std::io::{Read, Write};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

use image::GrayImage;
use serialport::{SerialPort, TTYPort};

use super::*;
use crate::transport::SerialTransport;
use crate::zfm::command::PacketSize;
use crate::zfm::frame::{Decoded, decode};
use crate::zfm::image::pack_nibbles;

/// What the scripted device answers to one command: raw bytes (possibly damaged), or nothing.
type Script = Box<dyn FnMut(&Packet) -> Vec<u8> + Send>;

fn ack(payload: &[u8]) -> Vec<u8> {
    Packet {
        address: DEFAULT_ADDRESS,
        kind: PacketKind::Ack,
        payload: payload.to_vec(),
    }
    .encode()
    .expect("encode")
}

fn image_stream(image: &GrayImage, packet: usize) -> Vec<u8> {
    let packed = pack_nibbles(image);
    let chunks: Vec<&[u8]> = packed.chunks(packet).collect();
    let mut out = Vec::new();
    for (i, chunk) in chunks.iter().enumerate() {
        let kind = if i + 1 == chunks.len() {
            PacketKind::EndData
        } else {
            PacketKind::Data
        };
        Packet {
            address: DEFAULT_ADDRESS,
            kind,
            payload: chunk.to_vec(),
        }
        .encode_into(&mut out)
        .expect("encode");
    }
    out
}

fn sys_para(packet_code: u8, multiplier: u8) -> Vec<u8> {
    vec![
        0,
        0,
        0,
        9,
        0,
        200,
        0,
        3,
        0xFF,
        0xFF,
        0xFF,
        0xFF,
        0,
        packet_code,
        0,
        multiplier,
    ]
}

/// Serves `script` on the master until the host side closes.
fn device(mut master: TTYPort, mut script: Script) -> JoinHandle<()> {
    master
        .set_timeout(Duration::from_millis(20))
        .expect("timeout");
    thread::spawn(move || {
        let mut buf = Vec::new();
        let mut chunk = [0u8; 512];
        let stop = Instant::now() + Duration::from_secs(20);
        while Instant::now() < stop {
            match master.read(&mut chunk) {
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::TimedOut => continue,
                Err(_) => return,
            }
            loop {
                let step = decode(&buf, None);
                buf.drain(..step.consumed);
                match step.outcome {
                    Decoded::Packet(packet) => {
                        let reply = script(&packet);
                        if master.write_all(&reply).is_err() {
                            return;
                        }
                    }
                    Decoded::Corrupt(_) => {}
                    Decoded::NeedMore => break,
                }
            }
        }
    })
}

fn module_with(script: Script) -> (FingerprintModule<SerialTransport>, JoinHandle<()>, TTYPort) {
    let (master, slave) = TTYPort::pair().expect("pty");
    let path = slave.name().expect("path");
    let transport = SerialTransport::open(&path, 57_600).expect("open");
    (
        FingerprintModule::new(transport),
        device(master, script),
        slave,
    )
}

fn test_image(width: u32, height: u32, seed: u8) -> GrayImage {
    GrayImage::from_fn(width, height, |x, y| {
        image::Luma([((x * 7 + y * 13) as u8).wrapping_add(seed) & 0xF0 | 0x0F])
    })
}

/// A well-behaved module with a 64×32 sensor (so tests stay fast), 128-byte packets.
fn good_device(image: GrayImage, corrupt_first_uploads: usize) -> Script {
    let mut uploads = 0;
    Box::new(move |packet| match packet.payload.first() {
        Some(0x13) => ack(&[0]),
        Some(0x0F) => {
            let mut p = vec![0];
            p.extend(sys_para(2, 6));
            ack(&p)
        }
        Some(0x3C) => {
            let mut p = vec![0];
            p.extend(b"TESTMOD\0\0\0\0\0\0\0\0\0B001SN000001\x01\x00SENSOR  ");
            p.extend([0, 64, 0, 32, 0x06, 0, 0, 200]);
            ack(&p)
        }
        Some(0x01) => ack(&[0]),
        Some(0x0A) => {
            uploads += 1;
            let mut out = ack(&[0]);
            let mut stream = image_stream(&image, 128);
            if uploads <= corrupt_first_uploads {
                // A flipped bit in the middle of the third packet's payload.
                stream[2 * 139 + 50] ^= 0x10;
            }
            out.extend(stream);
            out
        }
        Some(0x03) => ack(&[0x08, 0, 0]),
        Some(0x1D) => ack(&[0, 0, 3]),
        _ => ack(&[0x01]),
    })
}

#[test]
fn probe_reads_parameters_and_product_info() {
    let (mut module, _device, _slave) = module_with(good_device(test_image(64, 32, 0), 0));
    let report = module.probe().expect("probe");
    assert_eq!(report.bauds_tried, vec![57_600]);
    assert_eq!(report.settings.packet_size, PacketSize::B128);
    assert_eq!((report.settings.width, report.settings.height), (64, 32));
    let product = report.product.expect("product info");
    assert_eq!(product.module_type, "TESTMOD");
    assert_eq!(report.parameters.library_size, 200);
    assert_eq!(report.parameters.baud(), 57_600);
    assert_eq!(report.parameters.packet_size, Some(PacketSize::B128));
}

#[test]
fn an_image_arrives_whole_with_progress_and_figures() {
    let image = test_image(64, 32, 3);
    let (mut module, _device, _slave) = module_with(good_device(image.clone(), 0));
    module.probe().expect("probe");
    let mut seen = Vec::new();
    let capture = module
        .capture(Instant::now() + Duration::from_secs(2), &mut |p| {
            seen.push(p.received)
        })
        .expect("capture");
    let expected = GrayImage::from_fn(64, 32, |x, y| {
        image::Luma([(image.get_pixel(x, y)[0] >> 4) * 17])
    });
    assert_eq!(capture.image, expected);
    assert_eq!(seen, vec![0, 128, 256, 384, 512, 640, 768, 896, 1024]);
    // 12 + 12 + 8 packets × (128 + 11).
    assert_eq!(capture.stats.bytes_on_wire, 24 + 8 * 139);
    assert_eq!(capture.stats.attempts, 1);
}

#[test]
fn a_damaged_image_is_fetched_again() {
    let image = test_image(64, 32, 9);
    let (mut module, _device, _slave) = module_with(good_device(image, 2));
    module.probe().expect("probe");
    let capture = module.upload_image(&mut |_| {}).expect("third attempt");
    assert_eq!(capture.stats.attempts, 3);
    assert_eq!(module.counters().upload_retries, 2);
}

#[test]
fn a_persistently_damaged_image_is_a_typed_checksum_error() {
    let (mut module, _device, _slave) = module_with(good_device(test_image(64, 32, 1), 10));
    module.probe().expect("probe");
    module.set_upload_attempts(2);
    let error = module
        .upload_image(&mut |_| {})
        .expect_err("always damaged");
    assert!(
        matches!(
            error,
            ZfmError::Checksum {
                command: "UpImage",
                ..
            }
        ),
        "{error:?}"
    );
}

#[test]
fn refusals_keep_their_meaning_and_command() {
    let (mut module, _device, _slave) = module_with(good_device(test_image(64, 32, 1), 0));
    assert_eq!(module.match_buffers().expect("match"), None);
    assert_eq!(module.template_count().expect("count"), 3);
    let error = module.empty_library().expect_err("refused");
    assert!(matches!(
        error,
        ZfmError::Module {
            command: "Empty",
            code: Confirmation::PacketReceiveError
        }
    ));
}

#[test]
fn a_silent_module_times_out_on_time_and_probe_reports_not_found() {
    let (mut module, _device, _slave) = module_with(Box::new(|_| Vec::new()));
    let started = Instant::now();
    let error = module
        .execute(&crate::zfm::command::TemplateNum)
        .expect_err("silent");
    let elapsed = started.elapsed();
    assert!(matches!(
        error,
        ZfmError::Timeout {
            command: "TemplateNum"
        }
    ));
    assert!(elapsed < Duration::from_millis(1_300), "{elapsed:?}");
    let error = module.probe_bauds(&[57_600, 115_200]).expect_err("nobody");
    assert!(matches!(error, ZfmError::NotFound { ref tried } if tried == &[57_600, 115_200]));
}

#[test]
fn no_finger_until_the_deadline() {
    let (mut module, _device, _slave) = module_with(Box::new(|p: &Packet| {
        if p.payload.first() == Some(&0x01) {
            ack(&[0x02])
        } else {
            ack(&[0])
        }
    }));
    let started = Instant::now();
    let error = module
        .wait_for_finger(started + Duration::from_millis(300))
        .expect_err("no finger");
    assert!(matches!(error, ZfmError::NoFinger { .. }));
    let elapsed = started.elapsed();
    assert!((Duration::from_millis(300)..Duration::from_millis(400)).contains(&elapsed));
}

#[test]
fn a_vanished_port_is_port_gone() {
    let (master, slave) = TTYPort::pair().expect("pty");
    let path = slave.name().expect("path");
    let transport = SerialTransport::open(&path, 57_600).expect("open");
    let mut module = FingerprintModule::new(transport);
    drop(master);
    drop(slave);
    let error = module
        .execute(&crate::zfm::command::HandShake)
        .expect_err("gone");
    assert!(matches!(error, ZfmError::PortGone { .. }), "{error:?}");
}

#[test]
fn line_time_is_ten_bits_a_byte() {
    assert_eq!(line_time(5_760, 57_600), Duration::from_secs(1));
    assert_eq!(line_time(40_056, 57_600).as_millis(), 6_954);
}

#[test]
fn a_damaged_sys_para_answer_is_asked_again() {
    let good = good_device(test_image(64, 32, 0), 0);
    let mut inner = good;
    let mut damaged = 0;
    let script: Script = Box::new(move |packet| {
        let mut answer = inner(packet);
        if packet.payload.first() == Some(&0x0F) && damaged == 0 {
            // One flipped bit in the parameters: the checksum no longer matches.
            damaged += 1;
            answer[12] ^= 0x04;
        }
        answer
    });
    let (mut module, _device, _slave) = module_with(script);
    let report = module
        .probe()
        .expect("a second ReadSysPara after a damaged answer");
    assert_eq!(report.parameters.library_size, 200);
    assert_eq!(report.settings.packet_size, PacketSize::B128);
}
