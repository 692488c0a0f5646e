//! Test-side station: builds payloads and seals records independently of the station crate
//! (the `hpke` crate's sender side + ring Ed25519), and talks HTTP to a real central on loopback.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::path::Path;

use hpke::Serializable;
use hpke::aead::AesGcm256;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use serde_json::{Value, json};

mod database;
pub mod s3_server;
mod station_tls;
pub use database::*;
pub use station_tls::*;

pub const SUITE: &str = "DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM";

/// A station identity.
pub struct TestStation {
    pub id: String,
    pub key: Ed25519KeyPair,
    /// Its TLS identity once enrolled.
    pub tls: Option<TlsIdentity>,
}

impl TestStation {
    pub fn new(id: &str) -> Self {
        let doc = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new()).unwrap();
        Self {
            id: id.to_owned(),
            key: Ed25519KeyPair::from_pkcs8(doc.as_ref()).unwrap(),
            tls: None,
        }
    }

    pub fn public_key(&self) -> [u8; 32] {
        self.key.public_key().as_ref().try_into().unwrap()
    }
}

/// What goes into a test payload.
#[derive(Clone)]
pub struct PayloadSpec {
    pub record_id: String,
    pub station_id: String,
    pub pre_request: String,
    pub document_type: String,
    /// Finger positions captured (each gets a 192x192 view).
    pub fingers: Vec<u8>,
    pub exemption: Option<String>,
    /// Include a face record taken by camera.
    pub face: bool,
    /// `height_cm` as confirmed at the counter; absent when `None`, as in older records.
    pub height_cm: Option<u16>,
    /// `eye_colour`, any text (the central must refuse one not in the list); absent when `None`.
    pub eye_colour: Option<String>,
    /// `fingerprint_storage`, any text; absent when `None`, as in older records.
    pub fingerprint_storage: Option<String>,
    /// `paper_form`, as any JSON (the central must refuse a bad one); absent when `None`.
    pub paper_form: Option<Value>,
    /// `reason` as the clerk confirmed it; absent when `None`, as in records sealed before stamps.
    pub reason: Option<String>,
    /// `tax_stamp` as `(number, amount_cents)`; written only when `reason` is.
    pub tax_stamp: Option<(String, u32)>,
}

impl PayloadSpec {
    pub fn new(station_id: &str, pre_request: &str) -> Self {
        Self {
            record_id: uuid::Uuid::new_v4().to_string(),
            station_id: station_id.to_owned(),
            pre_request: pre_request.to_owned(),
            document_type: "cni".to_owned(),
            fingers: vec![2, 7],
            exemption: None,
            face: true,
            height_cm: None,
            eye_colour: None,
            fingerprint_storage: None,
            paper_form: None,
            reason: None,
            tax_stamp: None,
        }
    }

    pub fn manifest(&self) -> Value {
        let names = |p: u8| match p {
            2 => "right-index",
            7 => "left-index",
            3 => "right-middle",
            8 => "left-middle",
            _ => "other",
        };
        let mut manifest = json!({
            "format": "dr-station manifest v1",
            "record_id": self.record_id,
            "case_reference": wire::case_reference::case_reference(&self.record_id),
            "station_id": self.station_id,
            "created_at": "2026-11-27T07:00:00Z",
            "pre_request": self.pre_request,
            "document_type": self.document_type,
            "operator": "agent-0042",
            "devices": [
                {"kind": "fingerprint", "model": "ZFM-20", "firmware": "sim-1.0", "serial": "FP-0001"},
                {"kind": "camera", "model": "VC0706", "firmware": "sim-1.0", "serial": "CAM-0001"}
            ],
            "photo": if self.face { json!({"source": "camera", "checks": ["exposure", "background"]}) } else { json!({"source": "paper", "checks": []}) },
            "fingers": self.fingers.iter().map(|p| json!({
                "position": p, "name": names(*p),
                "quality": {"score": 72, "algorithm": "test", "version": "1"},
                "attempts": 1, "below_threshold": false
            })).collect::<Vec<_>>(),
            "finger_exceptions": [],
            "exemption": self.exemption,
            "timings_ms": {"fingers": 5400, "photo": 2100}
        });
        // Every record says whether the applicant signed: a child under 12 does not, and the test
        // applicants otherwise "cannot sign" (a signed record needs its files: see signature.rs).
        manifest["signature"] = if self.exemption.as_deref() == Some("under-12") {
            json!({"exemption": "under-12"})
        } else {
            json!({"exemption": "cannot-sign", "reason": "test applicant without a pad"})
        };
        if let Some(cm) = self.height_cm {
            manifest["height_cm"] = json!(cm);
        }
        if let Some(colour) = &self.eye_colour {
            manifest["eye_colour"] = json!(colour);
        }
        if let Some(answer) = &self.fingerprint_storage {
            manifest["fingerprint_storage"] = json!(answer);
        }
        if let Some(form) = &self.paper_form {
            manifest["paper_form"] = form.clone();
        }
        if let Some(reason) = &self.reason {
            manifest["reason"] = json!(reason);
            manifest["tax_stamp"] = match &self.tax_stamp {
                Some((number, cents)) => {
                    json!({"number": number, "amount_cents": cents, "checked_at_counter": true})
                }
                None => Value::Null,
            };
        }
        manifest
    }

    /// The ustar payload.
    pub fn tar(&self) -> Vec<u8> {
        let mut entries = vec![(
            "manifest.json".to_owned(),
            serde_json::to_vec(&self.manifest()).unwrap(),
        )];
        if !self.fingers.is_empty() {
            let views: Vec<(u8, u16, u16)> = self.fingers.iter().map(|p| (*p, 192, 192)).collect();
            entries.push(("fingers.iso19794-4".to_owned(), fir(&views)));
        }
        if self.face {
            entries.push(("face.iso19794-5".to_owned(), fac(240, 320)));
        }
        tar_of(&entries)
    }
}

/// A ustar archive of `(name, bytes)` entries.
pub fn tar_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut header = tar::Header::new_ustar();
        header.set_path(name).unwrap();
        header.set_size(data.len() as u64);
        header.set_mode(0o600);
        header.set_mtime(1_795_000_000);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        builder.append(&header, data.as_slice()).unwrap();
    }
    builder.into_inner().unwrap()
}

/// A real 8-bit greyscale PNG with a ridge-like pattern.
pub fn png(width: u16, height: u16) -> Vec<u8> {
    let img = image::GrayImage::from_fn(u32::from(width), u32::from(height), |x, y| {
        image::Luma([if (x * 3 + y) % 9 < 4 { 40 } else { 230 }])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// A real baseline JPEG (RGB).
pub fn jpeg(width: u16, height: u16) -> Vec<u8> {
    let img = image::RgbImage::from_fn(u32::from(width), u32::from(height), |x, y| {
        image::Rgb([200, (x % 256) as u8, (y % 256) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Jpeg).unwrap();
    out.into_inner()
}

/// A real 8-bit greyscale PNG of one uniform black, encoded as fast as PNG allows: an image far
/// too large for the central (8000 × 8000 decodes to 64 MB) made in milliseconds instead of the
/// seconds the ridge pattern takes at that size, and a few kilobytes to seal and upload.
pub fn blank_png(width: u16, height: u16) -> Vec<u8> {
    use image::ImageEncoder;
    use image::codecs::png::{CompressionType, FilterType, PngEncoder};
    let pixels = vec![0u8; usize::from(width) * usize::from(height)];
    let mut out = Vec::new();
    PngEncoder::new_with_quality(&mut out, CompressionType::Fast, FilterType::NoFilter)
        .write_image(
            &pixels,
            u32::from(width),
            u32::from(height),
            image::ExtendedColorType::L8,
        )
        .unwrap();
    out
}

/// An ISO/IEC 19794-4:2005 record, PNG, 500 ppi, one view per position.
pub fn fir(views: &[(u8, u16, u16)]) -> Vec<u8> {
    let views: Vec<_> = views
        .iter()
        .map(|&(position, w, h)| (position, w, h, png(w, h)))
        .collect();
    fir_of(&views)
}

/// The same record around the given PNG streams: `(position, width, height, png)`.
pub fn fir_of(views: &[(u8, u16, u16, Vec<u8>)]) -> Vec<u8> {
    let mut body = Vec::new();
    for (position, w, h, image) in views {
        body.extend_from_slice(&((14 + image.len()) as u32).to_be_bytes());
        body.extend_from_slice(&[*position, 1, 1, 80, 0]);
        body.extend_from_slice(&w.to_be_bytes());
        body.extend_from_slice(&h.to_be_bytes());
        body.push(0);
        body.extend_from_slice(image);
    }
    let total = (32 + body.len()) as u64;
    let mut out = b"FIR\x00010\x00".to_vec();
    out.extend_from_slice(&total.to_be_bytes()[2..8]);
    out.extend_from_slice(&0u16.to_be_bytes()); // device
    out.extend_from_slice(&31u16.to_be_bytes()); // level
    out.push(views.len() as u8);
    out.push(1); // ppi
    for _ in 0..4 {
        out.extend_from_slice(&500u16.to_be_bytes());
    }
    out.push(8);
    out.push(5); // PNG
    out.extend_from_slice(&[0, 0]);
    out.extend_from_slice(&body);
    out
}

/// A greyscale PNG with a ridge pattern and noise: compresses like a real fingerprint (tens of KB),
/// not like a flat test card. `seed` varies the noise.
pub fn noisy_png(width: u32, height: u32, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761).max(1);
    let img = image::GrayImage::from_fn(width, height, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let ridge = if (x * 3 + y * 2) % 9 < 4 { 60 } else { 210 };
        image::Luma([(ridge + (state % 40)) as u8])
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png).unwrap();
    out.into_inner()
}

/// An ISO/IEC 19794-5:2005 record holding a real JPEG.
pub fn fac(width: u16, height: u16) -> Vec<u8> {
    fac_with_image(width, height, &jpeg(width, height))
}

/// An ISO/IEC 19794-5:2005 record around the given JPEG bytes, header saying `width`×`height`.
pub fn fac_with_image(width: u16, height: u16, jpeg: &[u8]) -> Vec<u8> {
    let data_length = (20 + 12 + jpeg.len()) as u32;
    let mut out = b"FAC\x00010\x00".to_vec();
    out.extend_from_slice(&(14 + data_length).to_be_bytes());
    out.extend_from_slice(&1u16.to_be_bytes());
    out.extend_from_slice(&data_length.to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes()); // feature points
    out.extend_from_slice(&[2, 0, 0]); // gender, eyes, hair
    out.extend_from_slice(&[0, 0, 0]); // feature mask
    out.extend_from_slice(&1u16.to_be_bytes()); // neutral
    out.extend_from_slice(&[0; 6]); // pose
    out.extend_from_slice(&[1, 0]); // full frontal, JPEG
    out.extend_from_slice(&width.to_be_bytes());
    out.extend_from_slice(&height.to_be_bytes());
    out.extend_from_slice(&[1, 2]); // RGB24, digital camera
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(jpeg);
    out
}

/// Header fields of a test record.
pub struct HeaderSpec {
    pub record_id: String,
    pub station_id: String,
    pub created_at: String,
    pub suite: String,
    pub central_key_id: String,
}

impl HeaderSpec {
    pub fn new(record_id: &str, station_id: &str, central_key_id: &str) -> Self {
        Self {
            record_id: record_id.to_owned(),
            station_id: station_id.to_owned(),
            created_at: "2026-11-27T07:00:00Z".to_owned(),
            suite: SUITE.to_owned(),
            central_key_id: central_key_id.to_owned(),
        }
    }

    pub fn json(&self) -> Vec<u8> {
        serde_json::to_vec(&json!({
            "record_id": self.record_id,
            "station_id": self.station_id,
            "created_at": self.created_at,
            "suite": self.suite,
            "central_key_id": self.central_key_id,
        }))
        .unwrap()
    }
}

/// Seals `payload` as docs/record-format.md lays it out, with the hpke crate's sender and ring's
/// Ed25519.
pub fn seal_with_header(
    header_json: &[u8],
    record_public_key: &[u8; 32],
    signer: &Ed25519KeyPair,
    payload: &[u8],
) -> Vec<u8> {
    let mut out = b"DRREC001".to_vec();
    out.extend_from_slice(&(header_json.len() as u32).to_be_bytes());
    out.extend_from_slice(header_json);
    let aad = out.clone();
    let pk = <X25519HkdfSha256 as hpke::Kem>::PublicKey::from_bytes(record_public_key).unwrap();
    let (enc, ciphertext) = hpke::single_shot_seal::<AesGcm256, HkdfSha256, X25519HkdfSha256>(
        &hpke::OpModeS::Base,
        &pk,
        b"dr-station record v1",
        payload,
        &aad,
    )
    .unwrap();
    out.extend_from_slice(&enc.to_bytes());
    out.extend_from_slice(&(ciphertext.len() as u32).to_be_bytes());
    out.extend_from_slice(&ciphertext);
    let signature = signer.sign(&out);
    out.extend_from_slice(signature.as_ref());
    out
}

use hpke::Deserializable;

/// Seals a payload spec for a central.
pub fn seal(spec: &PayloadSpec, station: &TestStation, keys: &central::PublicKeys) -> Vec<u8> {
    let header = HeaderSpec::new(&spec.record_id, &station.id, &keys.central_key_id);
    seal_with_header(
        &header.json(),
        &keys.record_public_key,
        &station.key,
        &spec.tar(),
    )
}

/// Re-signs a record whose signed part was modified.
pub fn resign(record: &mut [u8], signer: &Ed25519KeyPair) {
    let n = record.len() - 64;
    let signature = signer.sign(&record[..n]);
    record[n..].copy_from_slice(signature.as_ref());
}

/// An HTTP answer.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub body: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    pub fn error_code(&self) -> String {
        self.json()["error"].as_str().unwrap_or_default().to_owned()
    }
}

fn answer(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> Answer {
    let mut response = response.expect("HTTP exchange");
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    Answer { status, body }
}

pub fn put_record(base: &str, record_id: &str, bytes: &[u8]) -> Answer {
    answer(
        agent_for(base)
            .put(&format!("{base}/v1/records/{record_id}"))
            .header("content-type", "application/octet-stream")
            .send(bytes),
    )
}

pub fn get(base: &str, path: &str, token: Option<&str>) -> Answer {
    let mut request = agent_for(base).get(&format!("{base}{path}"));
    if let Some(token) = token {
        request = request.header("x-rdv-opt-auth-token", token);
    }
    answer(request.call())
}

/// A temporary directory only its owner may enter (0700), as the central wants its data directory:
/// `tempfile::tempdir` gives the process's default mode.
pub fn private_tempdir() -> tempfile::TempDir {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    dir
}

/// What an operator does to a data directory written by a central from before private modes:
/// takes every permission away from group and others (`chmod -R go= DIR`).
pub fn make_private(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            make_private(&path);
        }
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode & 0o700)).unwrap();
    }
}

/// A central on loopback with the demo pre-requests and one enrolled station, whose TLS identity
/// `put_record` and `get` use.
pub fn start(dir: &Path) -> (central::RunningCentral, TestStation) {
    start_with(config(dir))
}

/// As [`start`], on SQLite whatever the run's database: for the tests of the SQLite files
/// themselves (their modes, their older schemas).
pub fn start_sqlite(dir: &Path) -> (central::RunningCentral, TestStation) {
    start_with(central::CentralConfig::new(dir))
}

/// As [`start`], with a configuration.
pub fn start_with(config: central::CentralConfig) -> (central::RunningCentral, TestStation) {
    let running = central::Central::start(config).unwrap();
    let mut station = TestStation::new("mairie-lyon-03-p1");
    let identity = enrol(&running, &station.id, station.public_key());
    use_identity(&running.url(), &identity);
    station.tls = Some(identity);
    (running, station)
}

pub fn receipt_of(answer: &Answer) -> central::Receipt {
    serde_json::from_str(&answer.body)
        .unwrap_or_else(|e| panic!("not a receipt ({e}): {}", answer.body))
}

/// An ISO/IEC 19794-2:2011 minutiae record, one representation per position, 6-byte minutiae.
pub fn fmr_2011(positions: &[u8], minutiae: u8) -> Vec<u8> {
    let mut body = Vec::new();
    for (i, position) in positions.iter().enumerate() {
        let mut rep = Vec::new();
        rep.extend_from_slice(&[0xFF; 9]); // no capture date
        rep.push(14); // capacitive
        rep.extend_from_slice(&[0, 0, 0, 0]);
        rep.push(1); // one quality block
        rep.extend_from_slice(&[72, 0, 0x0F, 0, 1]);
        rep.push(*position);
        rep.push(i as u8 % 16);
        rep.extend_from_slice(&197u16.to_be_bytes());
        rep.extend_from_slice(&197u16.to_be_bytes());
        rep.push(0);
        rep.extend_from_slice(&300u16.to_be_bytes());
        rep.extend_from_slice(&400u16.to_be_bytes());
        rep.push(0x60);
        rep.push(minutiae);
        for m in 0..u16::from(minutiae) {
            rep.extend_from_slice(&((1 << 14) | (10 + m)).to_be_bytes());
            rep.extend_from_slice(&(20 + m).to_be_bytes());
            rep.push((m * 7) as u8);
            rep.push(60);
        }
        rep.extend_from_slice(&0u16.to_be_bytes());
        body.extend_from_slice(&((4 + rep.len()) as u32).to_be_bytes());
        body.extend_from_slice(&rep);
    }
    let mut out = b"FMR\x00030\x00".to_vec();
    out.extend_from_slice(&((15 + body.len()) as u32).to_be_bytes());
    out.extend_from_slice(&(positions.len() as u16).to_be_bytes());
    out.push(0);
    out.extend_from_slice(&body);
    out
}

/// An ISO/IEC 19794-2:2005 minutiae record, one view per position, no extended data.
pub fn fmr_2005(positions: &[u8], minutiae: u8) -> Vec<u8> {
    let mut body = Vec::new();
    for position in positions {
        body.extend_from_slice(&[*position, 0x00, 70, minutiae]);
        for m in 0..u16::from(minutiae) {
            body.extend_from_slice(&((2 << 14) | (30 + m)).to_be_bytes());
            body.extend_from_slice(&(40 + m).to_be_bytes());
            body.push(m as u8);
            body.push(50);
        }
        body.extend_from_slice(&0u16.to_be_bytes());
    }
    let mut out = b"FMR\x00 20\x00".to_vec();
    out.extend_from_slice(&((24 + body.len()) as u32).to_be_bytes());
    out.extend_from_slice(&0u16.to_be_bytes());
    out.extend_from_slice(&300u16.to_be_bytes());
    out.extend_from_slice(&400u16.to_be_bytes());
    out.extend_from_slice(&197u16.to_be_bytes());
    out.extend_from_slice(&197u16.to_be_bytes());
    out.push(positions.len() as u8);
    out.push(0);
    out.extend_from_slice(&body);
    out
}
