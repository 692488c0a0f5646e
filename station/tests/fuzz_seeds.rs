//! Writes the fuzz targets' seed corpus (`fuzz/corpus/TARGET/`) from real traffic and real files:
//! the fingerprint module's and the camera's answers recorded on the serial line while our drivers
//! talk to the simulators over pseudo-terminals, the records and the sealed file the station
//! writes, the wire crate's golden answers, a configuration the station writes. Run by hand when a
//! format changes (docs/fuzzing.md):
//! `cargo test -p station --test integration fuzz_seeds -- --ignored`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use drivers::transport::{
    CommandLabel, SerialTransport, Transport, TransportCounters, TransportError,
};
use drivers::vc0706::{Camera, CameraOptions};
use drivers::zfm::FingerprintModule;
use drivers::zfm::command::{CharBuffer, ReadIndexTable, ReadProdInfo, ReadSysPara, TemplateNum};
use firmware_sim::vc0706_firmware::CameraSim;
use firmware_sim::zfm_firmware::FingerprintSim;
use station::config::{Mode, StationConfig};
use station::record::PayloadEntries;
use station::seal::{CentralKeys, Sealer, StationIdentity};
use station_demo::sample_record::{sample_payload, synthetic_finger};

/// A line that keeps a copy of every byte read from and written to the device.
struct Recorded<T> {
    line: T,
    read: Tape,
    written: Tape,
}

impl<T: Transport> Transport for Recorded<T> {
    fn write_all(&mut self, bytes: &[u8]) -> Result<(), TransportError> {
        lock(&self.written).extend_from_slice(bytes);
        self.line.write_all(bytes)
    }

    fn write_command(&mut self, label: CommandLabel, bytes: &[u8]) -> Result<(), TransportError> {
        lock(&self.written).extend_from_slice(bytes);
        self.line.write_command(label, bytes)
    }

    fn read_some_by(&mut self, buf: &mut [u8], deadline: Instant) -> Result<usize, TransportError> {
        let n = self.line.read_some_by(buf, deadline)?;
        lock(&self.read).extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn set_baud(&mut self, baud: u32) -> Result<(), TransportError> {
        self.line.set_baud(baud)
    }

    fn baud(&self) -> u32 {
        self.line.baud()
    }

    fn counters(&self) -> TransportCounters {
        self.line.counters()
    }
}

fn lock(bytes: &Mutex<Vec<u8>>) -> std::sync::MutexGuard<'_, Vec<u8>> {
    bytes
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Takes what was recorded since the last call.
fn take(bytes: &Mutex<Vec<u8>>) -> Vec<u8> {
    std::mem::take(&mut *lock(bytes))
}

/// Bytes a [`Recorded`] line saw, shared with the test that reads them.
type Tape = Arc<Mutex<Vec<u8>>>;

/// Opens the port, recording: the line, the bytes it reads, the bytes it writes.
fn recorded(path: &Path, baud: u32) -> (Recorded<SerialTransport>, Tape, Tape) {
    let line =
        SerialTransport::open(path.to_str().expect("utf-8 path"), baud).expect("open the port");
    let read = Arc::new(Mutex::new(Vec::new()));
    let written = Arc::new(Mutex::new(Vec::new()));
    let recorded = Recorded {
        line,
        read: Arc::clone(&read),
        written: Arc::clone(&written),
    };
    (recorded, read, written)
}

fn corpus(target: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    std::fs::create_dir_all(&dir).expect("create the corpus folder");
    dir
}

/// Seeds stay small: a fuzzer mutates a few KB far faster than a whole image upload.
const MAX_SEED: usize = 8 * 1024;

fn write(target: &str, name: &str, bytes: &[u8]) {
    let bytes = &bytes[..bytes.len().min(MAX_SEED)];
    std::fs::write(corpus(target).join(name), bytes).expect("write a seed");
}

fn write_whole(target: &str, name: &str, bytes: &[u8]) {
    std::fs::write(corpus(target).join(name), bytes).expect("write a seed");
}

#[test]
#[ignore = "writes fuzz/corpus: run by hand when a format changes"]
fn fuzz_seeds_are_written_from_real_traffic_and_files() {
    fingerprint_module_answers();
    camera_answers_and_picture();
    records_and_sealed_file();
    central_answers();
    configuration();
}

fn fingerprint_module_answers() {
    let sim = FingerprintSim::start(firmware_sim::zfm_firmware::FingerprintSimConfig {
        paced: false,
        finger: firmware_sim::zfm_firmware::FingerMode::Auto,
        ..Default::default()
    })
    .expect("simulator starts");
    let (line, read, _) = recorded(sim.port_path(), 57_600);
    let mut module = FingerprintModule::new(line);
    module.set_capture_timeout(Duration::from_secs(30));
    // The first byte of a zfm_frame input chooses whether the address is checked (odd: it is).
    let seed = |name: &str, answer: Vec<u8>| {
        let mut input = vec![1];
        input.extend_from_slice(&answer);
        write("zfm_frame", name, &input);
    };
    module.probe().expect("probe");
    seed("probe", take(&read));
    module.execute(&ReadSysPara).expect("ReadSysPara");
    seed("read_sys_para", take(&read));
    let _ = module.execute(&ReadProdInfo);
    seed("read_prod_info", take(&read));
    module.execute(&TemplateNum).expect("TemplateNum");
    seed("template_num", take(&read));
    module
        .execute(&ReadIndexTable { page: 0 })
        .expect("ReadIndexTable");
    seed("read_index_table", take(&read));
    module.random_code().expect("GetRandomCode");
    seed("get_random_code", take(&read));
    module
        .capture(Instant::now() + Duration::from_secs(60), &mut |_| {})
        .expect("capture");
    // The acknowledgement and the first data packets of the image upload.
    seed("capture_and_upload", take(&read));
    module.image_to_template(CharBuffer::One).expect("Img2Tz");
    seed("img2tz", take(&read));
    let _ = module.search(CharBuffer::One, 0, 100);
    seed("search", take(&read));
    drop(module);
    sim.stop();
}

fn camera_answers_and_picture() {
    let sim = CameraSim::start(firmware_sim::vc0706_firmware::CameraSimConfig {
        paced: false,
        ..Default::default()
    })
    .expect("simulator starts");
    let (line, read, written) = recorded(sim.port_path(), 38_400);
    let mut camera = Camera::with_options(line, CameraOptions::default());
    // The first byte of a vc0706_frame input: serial 0, and chunks of (byte >> 2) × 64 bytes.
    let seed = |name: &str, answer: Vec<u8>| {
        let mut input = vec![8 << 2];
        input.extend_from_slice(&answer);
        write("vc0706_frame", name, &input);
    };
    camera.probe().expect("probe");
    seed("probe", take(&read));
    camera.version().expect("version");
    seed("version", take(&read));
    write(
        "vc0706_frame",
        "requests",
        &[&[0u8][..], &take(&written)].concat(),
    );
    let photo = camera.capture(&mut |_| {}).expect("capture");
    seed("capture", take(&read));
    write_whole("jpeg_walk", "camera_vga.jpg", &photo.jpeg);
    let small = image::DynamicImage::ImageRgb8(station_demo::sample_record::synthetic_portrait(3));
    let mut jpeg = Vec::new();
    small
        .write_to(
            &mut std::io::Cursor::new(&mut jpeg),
            image::ImageFormat::Jpeg,
        )
        .expect("encode a JPEG");
    write_whole("jpeg_walk", "portrait_120x160.jpg", &jpeg);
    drop(camera);
    sim.stop();
}

fn records_and_sealed_file() {
    let payload = sample_payload(
        wire::golden::RECORD_ID,
        wire::golden::STATION_ID,
        wire::golden::PRE_REQUEST,
        wire::golden::CREATED_AT,
        3,
        true,
    )
    .expect("sample payload");
    let tar = payload.to_tar(0).expect("tar");
    write_whole("payload_tar", "fingers_and_face.tar", &tar);
    let entries = PayloadEntries::parse(&tar).expect("read back");
    let fingers = entries.fingers.expect("fingers");
    let face = entries.face.expect("face");
    write_whole("iso19794_4", "two_index_fingers", &fingers);
    write_whole("iso19794_5", "camera_portrait", &face);

    let finger = synthetic_finger(11, 256, 288);
    let template = station::checks::matching::extract(finger.as_raw(), 256, 288).expect("minutiae");
    let minutiae =
        station::record::FingerMinutiaeRecord::encode(&[station::record::FingerMinutiaeView {
            position: 2,
            quality: 70,
            template: &template,
        }])
        .expect("minutiae record");
    write_whole("iso19794_2", "one_finger", &minutiae);

    let dir = tempfile::tempdir().expect("temporary folder");
    let identity = StationIdentity::load_or_create(&dir.path().join("station.ed25519.p8"))
        .expect("station key");
    let mut record_public_key = [0; 32];
    hex::decode_to_slice(
        wire::golden::CENTRAL_RECORD_PUBLIC_KEY,
        &mut record_public_key,
    )
    .expect("golden key");
    let sealer = Sealer {
        signer: Arc::new(identity),
        central: CentralKeys {
            record_public_key,
            receipt_public_key: [0; 32],
        },
        station_id: wire::golden::STATION_ID.into(),
    };
    // Without the face, the sealed file stays a few KB.
    let small = sample_payload(
        wire::golden::RECORD_ID,
        wire::golden::STATION_ID,
        wire::golden::PRE_REQUEST,
        wire::golden::CREATED_AT,
        4,
        false,
    )
    .expect("sample payload");
    let sealed = sealer.seal(&small).expect("seal");
    write_whole("sealed_record", "fingers_only.drrec", &sealed.bytes);
    write_whole(
        "sealed_record",
        "golden_header_p256",
        wire::golden::SEALED_HEADER,
    );
    write_whole(
        "sealed_record",
        "golden_header_ed25519",
        wire::golden::SEALED_HEADER_ED25519,
    );
}

fn central_answers() {
    write_whole("receipt", "golden", wire::golden::RECEIPT_JSON);
    write_whole("receipt", "error", wire::golden::ERROR_JSON);
    write_whole(
        "prerequest",
        "golden_pre_request",
        wire::golden::PRE_REQUEST_JSON,
    );
    write_whole("prerequest", "golden_status", wire::golden::STATUS_JSON);
}

fn configuration() {
    let mut config = StationConfig::new(PathBuf::from("/var/lib/station"), Mode::Production);
    config.station_id = wire::golden::STATION_ID.into();
    config.central.url = "https://central.example.fr:8443".into();
    config.central.record_public_key = wire::golden::CENTRAL_RECORD_PUBLIC_KEY.into();
    config.central.receipt_public_key = wire::golden::RECEIPT_PUBLIC_KEY.into();
    let text = config.to_toml();
    StationConfig::from_toml(&text, Path::new("station.toml"), Mode::Production)
        .expect("the station reads back what it writes");
    write_whole(
        "station_config",
        "written_by_the_station.toml",
        text.as_bytes(),
    );
}
