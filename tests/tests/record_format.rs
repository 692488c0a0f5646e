//! The sealed record and the ISO records, byte by byte against the layouts in docs/record-format.md
//! and docs/reference/iso19794-records.md; opened with the `hpke` crate.
//! `cargo test -p e2e-tests --test record_format -- --ignored --nocapture` prints the worked example
//! used in docs/record-format.md.

#![allow(clippy::unwrap_used)]

use hpke::{
    Deserializable, Serializable, aead::AesGcm256, kdf::HkdfSha256, kem::Kem as _,
    kem::X25519HkdfSha256,
};
use station::{
    record::{FaceImageRecord, FingerImageRecord, PayloadEntries},
    seal::{CentralKeys, ParsedRecord, Sealer, StationIdentity, sealed_record::INFO},
};
use station_demo::sample_record::{sample_payload, synthetic_finger};

struct Fixture {
    _dir: tempfile::TempDir,
    sealer: Sealer,
    identity: std::sync::Arc<StationIdentity>,
    central_sk: <X25519HkdfSha256 as hpke::kem::Kem>::PrivateKey,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let (sk, pk) = X25519HkdfSha256::derive_keypair(b"worked example central key seed!");
    let identity = std::sync::Arc::new(
        StationIdentity::load_or_create(&dir.path().join("keys/station.ed25519.p8")).unwrap(),
    );
    let sealer = Sealer {
        signer: identity.clone(),
        central: CentralKeys {
            record_public_key: pk.to_bytes().as_slice().try_into().unwrap(),
            receipt_public_key: [0; 32],
        },
        station_id: "mairie-lyon-03-p1".into(),
    };
    Fixture {
        _dir: dir,
        sealer,
        identity,
        central_sk: sk,
    }
}

const ID: &str = "0b7f3c52-8a51-4c1e-9d0a-3f6b2e1c4d5a";
const AT: &str = "2026-11-27T09:14:05Z";

#[test]
fn the_sealed_file_follows_the_layout_and_opens_with_the_hpke_crate() {
    let f = fixture();
    let payload = sample_payload(ID, "mairie-lyon-03-p1", "AB12CD34EF", AT, 3, true).unwrap();
    let sealed = f.sealer.seal(&payload).unwrap();
    let b = &sealed.bytes;
    assert_eq!(&b[..8], b"DRREC001");
    let header_len = u32::from_be_bytes(b[8..12].try_into().unwrap()) as usize;
    let header: serde_json::Value = serde_json::from_slice(&b[12..12 + header_len]).unwrap();
    assert_eq!(header["record_id"], ID);
    assert_eq!(header["station_id"], "mairie-lyon-03-p1");
    assert_eq!(header["created_at"], AT);
    assert_eq!(
        header["suite"],
        "DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-256-GCM"
    );
    assert_eq!(header["central_key_id"], f.sealer.central.key_id());
    // The signing key here is a development file key: Ed25519, named in the header.
    assert_eq!(header["signature_algorithm"], "Ed25519");
    assert_eq!(header.as_object().unwrap().len(), 6);
    let enc = &b[12 + header_len..12 + header_len + 32];
    let ct_len_at = 12 + header_len + 32;
    let ct_len = u32::from_be_bytes(b[ct_len_at..ct_len_at + 4].try_into().unwrap()) as usize;
    let ct = &b[ct_len_at + 4..ct_len_at + 4 + ct_len];
    assert_eq!(
        b.len(),
        ct_len_at + 4 + ct_len + 64,
        "nothing after the signature"
    );
    let signature = &b[b.len() - 64..];
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, f.identity.public_key())
        .verify(&b[..b.len() - 64], signature)
        .unwrap();

    let tar = hpke::single_shot_open::<AesGcm256, HkdfSha256, X25519HkdfSha256>(
        &hpke::OpModeR::Base,
        &f.central_sk,
        &<X25519HkdfSha256 as hpke::kem::Kem>::EncappedKey::from_bytes(enc).unwrap(),
        INFO,
        ct,
        &b[..12 + header_len],
    )
    .unwrap();
    let entries = PayloadEntries::parse(&tar).unwrap();
    assert_eq!(
        entries.names,
        [
            "manifest.json",
            "fingers.iso19794-4",
            "face.iso19794-5",
            "signature.iso19794-7",
            "signature.png"
        ]
    );
    // ustar magic in the first header block.
    assert_eq!(&tar[257..263], b"ustar\0");
    let manifest = entries.manifest.unwrap();
    assert_eq!(
        (manifest.pre_request.as_str(), manifest.format.as_str()),
        ("AB12CD34EF", "dr-station manifest v1")
    );

    // The aad binds the header: another header with the same ciphertext does not open.
    let mut other_aad = b[..12 + header_len].to_vec();
    let last = other_aad.len() - 3;
    other_aad[last] ^= 1;
    assert!(
        hpke::single_shot_open::<AesGcm256, HkdfSha256, X25519HkdfSha256>(
            &hpke::OpModeR::Base,
            &f.central_sk,
            &<X25519HkdfSha256 as hpke::kem::Kem>::EncappedKey::from_bytes(enc).unwrap(),
            INFO,
            ct,
            &other_aad,
        )
        .is_err()
    );
    let parsed = ParsedRecord::parse(b).unwrap();
    assert_eq!((parsed.enc, parsed.ciphertext), (enc, ct));
}

#[test]
fn finger_record_bytes_match_the_reference_layout() {
    let payload = sample_payload(ID, "s", "AB12CD34EF", AT, 5, false).unwrap();
    let r = payload.fingers.as_deref().unwrap();
    assert_eq!(&r[0..8], b"FIR\x00010\x00");
    let total = u64::from_be_bytes([0, 0, r[8], r[9], r[10], r[11], r[12], r[13]]);
    assert_eq!(
        total as usize,
        r.len(),
        "6-byte record length counts the whole record"
    );
    assert_eq!(
        u16::from_be_bytes([r[14], r[15]]),
        0,
        "capture device not reported"
    );
    assert_eq!(
        u16::from_be_bytes([r[16], r[17]]),
        31,
        "acquisition level 31"
    );
    assert_eq!(r[18], 2, "two views");
    assert_eq!(r[19], 1, "pixels per inch");
    for at in [20, 22, 24, 26] {
        assert_eq!(u16::from_be_bytes([r[at], r[at + 1]]), 500);
    }
    assert_eq!(
        (r[28], r[29], r[30], r[31]),
        (8, 5, 0, 0),
        "8 bits, PNG, reserved"
    );
    let view_len = u32::from_be_bytes(r[32..36].try_into().unwrap()) as usize;
    assert_eq!(
        (r[36], r[37], r[38], r[39], r[40]),
        (2, 1, 1, 72, 0),
        "right index, 1 of 1, quality 72, live plain"
    );
    assert_eq!(
        (
            u16::from_be_bytes([r[41], r[42]]),
            u16::from_be_bytes([r[43], r[44]]),
            r[45]
        ),
        (256, 288, 0)
    );
    assert_eq!(&r[46..50], b"\x89PNG");
    let second = 32 + view_len;
    assert_eq!(r[second + 4], 7, "left index");
    let png = image::load_from_memory(&r[46..32 + view_len])
        .unwrap()
        .to_luma8();
    assert_eq!(png, synthetic_finger(10, 256, 288));
    let parsed = FingerImageRecord::parse(r).unwrap();
    assert_eq!(
        parsed.views.iter().map(|v| v.position).collect::<Vec<_>>(),
        [2, 7]
    );
}

#[test]
fn face_record_bytes_match_the_reference_layout() {
    let payload = sample_payload(ID, "s", "AB12CD34EF", AT, 5, true).unwrap();
    let r = payload.face.as_deref().unwrap();
    assert_eq!(&r[0..8], b"FAC\x00010\x00");
    assert_eq!(
        u32::from_be_bytes(r[8..12].try_into().unwrap()) as usize,
        r.len()
    );
    assert_eq!(u16::from_be_bytes([r[12], r[13]]), 1);
    assert_eq!(
        u32::from_be_bytes(r[14..18].try_into().unwrap()) as usize,
        r.len() - 14
    );
    assert_eq!(u16::from_be_bytes([r[18], r[19]]), 0, "no feature points");
    let info = 14 + 20;
    assert_eq!((r[info], r[info + 1]), (1, 0), "full frontal, JPEG");
    assert_eq!(
        (
            u16::from_be_bytes([r[info + 2], r[info + 3]]),
            u16::from_be_bytes([r[info + 4], r[info + 5]])
        ),
        (120, 160)
    );
    assert_eq!(
        (r[info + 6], r[info + 7]),
        (1, 2),
        "RGB24, digital still camera"
    );
    assert_eq!(&r[info + 12..info + 14], &[0xFF, 0xD8]);
    assert_eq!(&r[r.len() - 2..], &[0xFF, 0xD9]);
    let parsed = FaceImageRecord::parse(r).unwrap();
    assert_eq!(
        image::load_from_memory(&parsed.image_data).unwrap().width(),
        120
    );
}

#[test]
#[ignore = "prints the worked example for docs/record-format.md"]
fn print_worked_example() {
    let f = fixture();
    let payload = sample_payload(ID, "mairie-lyon-03-p1", "AB12CD34EF", AT, 3, true).unwrap();
    let tar = payload.to_tar(0).unwrap();
    let sealed = f.sealer.seal(&payload).unwrap();
    let b = &sealed.bytes;
    let hl = u32::from_be_bytes(b[8..12].try_into().unwrap()) as usize;
    println!(
        "manifest.json:\n{}",
        serde_json::to_string_pretty(&payload.manifest).unwrap()
    );
    println!(
        "fingers.iso19794-4: {} bytes, first 60: {}",
        payload.fingers.as_ref().unwrap().len(),
        hex::encode(&payload.fingers.as_ref().unwrap()[..60])
    );
    println!(
        "face.iso19794-5: {} bytes, first 48: {}",
        payload.face.as_ref().unwrap().len(),
        hex::encode(&payload.face.as_ref().unwrap()[..48])
    );
    println!("tar: {} bytes", tar.len());
    println!(
        "central record public key: {}",
        hex::encode(f.sealer.central.record_public_key)
    );
    println!("sealed: {} bytes", b.len());
    println!("magic+len: {}", hex::encode(&b[..12]));
    println!(
        "header ({hl} bytes): {}",
        String::from_utf8_lossy(&b[12..12 + hl])
    );
    println!("enc: {}", hex::encode(&b[12 + hl..44 + hl]));
    println!("ct len: {}", hex::encode(&b[44 + hl..48 + hl]));
    println!("ct first 16: {}", hex::encode(&b[48 + hl..64 + hl]));
    println!("signature: {}", hex::encode(&b[b.len() - 64..]));
    println!("sha256: {}", sealed.sha256_hex());
}
