//! Sealed records over real HTTP to a real central on loopback: acceptance, receipts, idempotency,
//! and every way a record is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::common;

use central::VerifyReceipt;
use common::*;

fn sha256(bytes: &[u8]) -> String {
    hex::encode(ring::digest::digest(&ring::digest::SHA256, bytes))
}

fn stored(dir: &std::path::Path, record_id: &str) -> Option<Vec<u8>> {
    std::fs::read(dir.join(format!("records/{record_id}.drrec"))).ok()
}

#[test]
fn a_sealed_record_is_stored_exactly_and_receipted() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    let keys = central.public_keys().clone();
    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    let record = seal(&spec, &station, &keys);

    let answer = put_record(&central.url(), &spec.record_id, &record);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let receipt = receipt_of(&answer);
    assert_eq!(receipt.record_id, spec.record_id);
    assert_eq!(receipt.sha256, sha256(&record));
    receipt.verify(&keys.receipt_public_key).unwrap();
    assert_eq!(
        receipt.canonical_string(),
        format!(
            "dr-central receipt v1\nrecord_id={}\nsha256={}\nreceived_at={}\n",
            receipt.record_id, receipt.sha256, receipt.received_at
        )
    );
    // RFC 3339 UTC to the second.
    assert!(
        time::OffsetDateTime::parse(
            &receipt.received_at,
            &time::format_description::well_known::Rfc3339
        )
        .is_ok()
            && receipt.received_at.ends_with('Z'),
        "{}",
        receipt.received_at
    );
    // A receipt altered in any field no longer verifies.
    let mut forged = receipt.clone();
    forged.sha256 = sha256(b"other bytes");
    assert!(forged.verify(&keys.receipt_public_key).is_err());
    let mut forged = receipt.clone();
    forged.received_at = "2026-01-01T00:00:00Z".into();
    assert!(forged.verify(&keys.receipt_public_key).is_err());

    assert_eq!(stored(dir.path(), &spec.record_id).unwrap(), record);
    let status = get(
        &central.url(),
        "/api/status?application_ids=DEMO000001",
        Some("demo-token"),
    );
    assert_eq!(status.json()["DEMO000001"]["status"], "consumed");
    assert_eq!(central.receipt_count().unwrap(), 1);
}

#[test]
fn the_same_record_again_gets_the_same_receipt_and_other_bytes_get_409() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    let keys = central.public_keys().clone();
    let mut spec = PayloadSpec::new(&station.id, "DEMO000002");
    spec.document_type = "passport".into();
    let record = seal(&spec, &station, &keys);

    let first = put_record(&central.url(), &spec.record_id, &record);
    assert_eq!(first.status, 200, "{}", first.body);
    // The second copy comes in a later second, so a receipt made afresh would show it.
    let first_at = receipt_of(&first).received_at;
    while central::intake::now_rfc3339() <= first_at {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let again = put_record(&central.url(), &spec.record_id, &record);
    assert_eq!(again.status, 200, "{}", again.body);
    assert_eq!(
        receipt_of(&first),
        receipt_of(&again),
        "same receipt, same received_at"
    );

    // The same payload sealed again (fresh HPKE randomness): valid, but different bytes.
    let resealed = seal(&spec, &station, &keys);
    assert_ne!(resealed, record);
    let conflict = put_record(&central.url(), &spec.record_id, &resealed);
    assert_eq!(conflict.status, 409, "{}", conflict.body);
    assert_eq!(conflict.error_code(), "conflict");
    assert_eq!(
        stored(dir.path(), &spec.record_id).unwrap(),
        record,
        "first bytes kept"
    );
    assert_eq!(central.receipt_count().unwrap(), 1);
}

#[test]
fn concurrent_deliveries_of_one_record_are_stored_once() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    let keys = central.public_keys().clone();
    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    let record = seal(&spec, &station, &keys);
    let url = central.url();
    let receipts: Vec<central::Receipt> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..8)
            .map(|_| s.spawn(|| receipt_of(&put_record(&url, &spec.record_id, &record))))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    assert!(receipts.windows(2).all(|w| w[0] == w[1]));
    assert_eq!(central.receipt_count().unwrap(), 1);
}

#[test]
fn concurrent_records_for_one_pre_request_get_one_receipt() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    let keys = central.public_keys().clone();
    let url = central.url();
    let records: Vec<(String, Vec<u8>)> = (0..8)
        .map(|_| {
            let spec = PayloadSpec::new(&station.id, "DEMO000001");
            (spec.record_id.clone(), seal(&spec, &station, &keys))
        })
        .collect();
    let answers: Vec<Answer> = std::thread::scope(|s| {
        let handles: Vec<_> = records
            .iter()
            .map(|(id, r)| s.spawn(|| put_record(&url, id, r)))
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let accepted = answers.iter().filter(|a| a.status == 200).count();
    assert_eq!(accepted, 1, "{answers:?}");
    assert!(
        answers
            .iter()
            .filter(|a| a.status != 200)
            .all(|a| a.status == 422 && a.error_code() == "prerequest-consumed"),
        "{answers:?}"
    );
    assert_eq!(central.receipt_count().unwrap(), 1);
}

#[test]
fn unknown_station_and_wrong_key_are_401() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    let keys = central.public_keys().clone();

    let stranger = TestStation::new("mairie-inconnue-01");
    let spec = PayloadSpec::new(&stranger.id, "DEMO000001");
    let answer = put_record(
        &central.url(),
        &spec.record_id,
        &seal(&spec, &stranger, &keys),
    );
    assert_eq!(answer.status, 401, "{}", answer.body);
    assert_eq!(answer.error_code(), "unknown-station");

    // A registered station id, signed by another key.
    let impostor = TestStation {
        id: station.id.clone(),
        key: TestStation::new("x").key,
        tls: None,
    };
    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    let answer = put_record(
        &central.url(),
        &spec.record_id,
        &seal(&spec, &impostor, &keys),
    );
    assert_eq!(answer.status, 401, "{}", answer.body);
    assert_eq!(answer.error_code(), "bad-signature");
    assert!(stored(dir.path(), &spec.record_id).is_none());
    assert_eq!(central.receipt_count().unwrap(), 0);
}

#[test]
fn a_tampered_byte_anywhere_is_refused() {
    let dir = crate::common::private_tempdir();
    // Over a thousand refusals in a few seconds: more than a station's request rate allows.
    let mut config = crate::common::config(dir.path());
    config.limits.request_burst = 100_000;
    let (central, station) = start_with(config);
    let keys = central.public_keys().clone();
    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    let record = seal(&spec, &station, &keys);
    let header_end = 12 + u32::from_be_bytes(record[8..12].try_into().unwrap()) as usize;

    // Every byte of the framing, header, enc, lengths and signature; every 7th of the ciphertext.
    let positions: Vec<usize> = (0..record.len())
        .filter(|i| *i < header_end + 36 || *i >= record.len() - 64 || i % 7 == 0)
        .collect();
    let mut refusals = std::collections::BTreeMap::<(u16, String), usize>::new();
    for &i in &positions {
        let mut tampered = record.clone();
        tampered[i] ^= 0x01 << (i % 8);
        let answer = put_record(&central.url(), &spec.record_id, &tampered);
        assert!(
            answer.status == 400 || answer.status == 401,
            "byte {i}: {} {}",
            answer.status,
            answer.body
        );
        *refusals
            .entry((answer.status, answer.error_code()))
            .or_default() += 1;
    }
    assert!(stored(dir.path(), &spec.record_id).is_none());
    assert_eq!(central.receipt_count().unwrap(), 0);
    assert!(positions.len() > 300, "{} positions", positions.len());
    assert!(
        refusals.contains_key(&(401, "bad-signature".into())),
        "{refusals:?}"
    );

    // A truncated or extended record is refused too.
    for bad in [
        &record[..record.len() - 1],
        &[record.as_slice(), &[0]].concat()[..],
    ] {
        let answer = put_record(&central.url(), &spec.record_id, bad);
        assert_eq!(answer.status, 400, "{}", answer.body);
    }
    // The untouched record still goes through.
    assert_eq!(
        put_record(&central.url(), &spec.record_id, &record).status,
        200
    );
}

#[test]
fn header_checks_wrong_central_key_id_mismatch_suite() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    let keys = central.public_keys().clone();
    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    let url = central.url();

    let mut header = HeaderSpec::new(&spec.record_id, &station.id, &"ab".repeat(32));
    let answer = put_record(
        &url,
        &spec.record_id,
        &seal_with_header(
            &header.json(),
            &keys.record_public_key,
            &station.key,
            &spec.tar(),
        ),
    );
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (400, "unknown-central-key"),
        "{}",
        answer.body
    );

    // Sealed to another central's key but naming ours: cannot be opened.
    header.central_key_id = keys.central_key_id.clone();
    let other = crate::common::private_tempdir();
    let other_keys = central::public_keys(other.path()).unwrap();
    let answer = put_record(
        &url,
        &spec.record_id,
        &seal_with_header(
            &header.json(),
            &other_keys.record_public_key,
            &station.key,
            &spec.tar(),
        ),
    );
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (400, "cannot-open"),
        "{}",
        answer.body
    );

    let other_id = uuid::Uuid::new_v4().to_string();
    let answer = put_record(&url, &other_id, &seal(&spec, &station, &keys));
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (400, "record-id-mismatch"),
        "{}",
        answer.body
    );

    let mut bad_suite = HeaderSpec::new(&spec.record_id, &station.id, &keys.central_key_id);
    bad_suite.suite = "DHKEM(X25519, HKDF-SHA256), HKDF-SHA256, AES-128-GCM".into();
    let answer = put_record(
        &url,
        &spec.record_id,
        &seal_with_header(
            &bad_suite.json(),
            &keys.record_public_key,
            &station.key,
            &spec.tar(),
        ),
    );
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (400, "unsupported-suite"),
        "{}",
        answer.body
    );

    let mut bad_date = HeaderSpec::new(&spec.record_id, &station.id, &keys.central_key_id);
    bad_date.created_at = "yesterday".into();
    let answer = put_record(
        &url,
        &spec.record_id,
        &seal_with_header(
            &bad_date.json(),
            &keys.record_public_key,
            &station.key,
            &spec.tar(),
        ),
    );
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (400, "malformed-record"),
        "{}",
        answer.body
    );

    let answer = put_record(&url, "not-a-uuid", &seal(&spec, &station, &keys));
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (400, "malformed-record-id"),
        "{}",
        answer.body
    );
    let v1 = "6f1c1f4e-8b9a-1f0e-9d3c-2a1b0c9d8e7f";
    let answer = put_record(&url, v1, &seal(&spec, &station, &keys));
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (400, "malformed-record-id"),
        "{}",
        answer.body
    );

    // A header that is signed but not JSON.
    let answer = put_record(
        &url,
        &spec.record_id,
        &seal_with_header(
            b"{not json",
            &keys.record_public_key,
            &station.key,
            &spec.tar(),
        ),
    );
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (400, "malformed-record"),
        "{}",
        answer.body
    );
    assert_eq!(central.receipt_count().unwrap(), 0);
}

/// Seals arbitrary payload bytes for `spec`'s id and expects a 422 with `code`.
fn expect_422(
    central: &central::RunningCentral,
    station: &TestStation,
    record_id: &str,
    payload: &[u8],
    code: &str,
    why: &str,
) {
    let keys = central.public_keys();
    let header = HeaderSpec::new(record_id, &station.id, &keys.central_key_id);
    let record = seal_with_header(
        &header.json(),
        &keys.record_public_key,
        &station.key,
        payload,
    );
    let answer = put_record(&central.url(), record_id, &record);
    assert_eq!(answer.status, 422, "{why}: {}", answer.body);
    assert_eq!(answer.error_code(), code, "{why}: {}", answer.body);
}

#[test]
fn malformed_payloads_are_422() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    let id = spec.record_id.clone();
    let manifest = serde_json::to_vec(&spec.manifest()).unwrap();
    let fingers = fir(&[(2, 192, 192), (7, 192, 192)]);
    let face = fac(240, 320);
    let entries = |m: &[u8], f: &[u8], c: &[u8]| {
        tar_of(&[
            ("manifest.json".into(), m.to_vec()),
            ("fingers.iso19794-4".into(), f.to_vec()),
            ("face.iso19794-5".into(), c.to_vec()),
        ])
    };
    let good = entries(&manifest, &fingers, &face);
    assert_eq!(good, spec.tar());

    expect_422(
        &central,
        &station,
        &id,
        b"not a tar at all",
        "invalid-payload",
        "not a tar",
    );
    expect_422(
        &central,
        &station,
        &id,
        &good[..good.len() - 512 * 3],
        "invalid-payload",
        "truncated tar",
    );
    let mut bad_checksum = good.clone();
    bad_checksum[0] ^= 0x20;
    expect_422(
        &central,
        &station,
        &id,
        &bad_checksum,
        "invalid-payload",
        "tar header checksum",
    );
    expect_422(
        &central,
        &station,
        &id,
        &tar_of(&[("fingers.iso19794-4".into(), fingers.clone())]),
        "invalid-payload",
        "no manifest",
    );
    expect_422(
        &central,
        &station,
        &id,
        &tar_of(&[
            ("manifest.json".into(), manifest.clone()),
            ("notes.txt".into(), b"x".to_vec()),
        ]),
        "invalid-payload",
        "unknown entry",
    );
    expect_422(
        &central,
        &station,
        &id,
        &tar_of(&[
            ("manifest.json".into(), manifest.clone()),
            ("manifest.json".into(), manifest.clone()),
        ]),
        "invalid-payload",
        "duplicate entry",
    );
    expect_422(
        &central,
        &station,
        &id,
        &entries(b"{\"format\":", &fingers, &face),
        "invalid-payload",
        "manifest not JSON",
    );

    let with = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut m = spec.manifest();
        edit(&mut m);
        entries(&serde_json::to_vec(&m).unwrap(), &fingers, &face)
    };
    expect_422(
        &central,
        &station,
        &id,
        &with(&|m| m["format"] = "v2".into()),
        "invalid-payload",
        "format",
    );
    expect_422(
        &central,
        &station,
        &id,
        &with(&|m| m["record_id"] = uuid::Uuid::new_v4().to_string().into()),
        "invalid-payload",
        "manifest record id",
    );
    expect_422(
        &central,
        &station,
        &id,
        &with(&|m| m["station_id"] = "elsewhere".into()),
        "invalid-payload",
        "manifest station",
    );
    expect_422(
        &central,
        &station,
        &id,
        &with(&|m| m["case_reference"] = "AAAA-AAAA-AAAA".into()),
        "invalid-payload",
        "case reference not the record's",
    );
    expect_422(
        &central,
        &station,
        &id,
        &with(&|m| m["pre_request"] = "DEMO-0001".into()),
        "invalid-payload",
        "malformed number",
    );
    expect_422(
        &central,
        &station,
        &id,
        &with(&|m| m["document_type"] = "permis".into()),
        "invalid-payload",
        "document type",
    );
    expect_422(
        &central,
        &station,
        &id,
        &with(&|m| m["fingers"][1]["position"] = 3.into()),
        "invalid-payload",
        "positions differ from ISO",
    );
    expect_422(
        &central,
        &station,
        &id,
        &with(&|m| m["fingers"][0]["quality"]["score"] = 140.into()),
        "invalid-payload",
        "quality range",
    );
    expect_422(
        &central,
        &station,
        &id,
        &with(&|m| m["exemption"] = "under-12".into()),
        "invalid-payload",
        "exempt with fingers",
    );
    expect_422(
        &central,
        &station,
        &id,
        &with(&|m| {
            m.as_object_mut().unwrap().remove("devices");
        }),
        "invalid-payload",
        "missing field",
    );
    expect_422(
        &central,
        &station,
        &id,
        &tar_of(&[
            ("manifest.json".into(), manifest.clone()),
            ("face.iso19794-5".into(), face.clone()),
        ]),
        "invalid-payload",
        "fingers listed, no record",
    );
    expect_422(
        &central,
        &station,
        &id,
        &tar_of(&[
            ("manifest.json".into(), manifest.clone()),
            ("fingers.iso19794-4".into(), fingers.clone()),
        ]),
        "invalid-payload",
        "camera photo, no face record",
    );

    // ISO records: lengths, magic, codes.
    let mutate = |bytes: &[u8], at: usize, value: u8| {
        let mut b = bytes.to_vec();
        b[at] = value;
        b
    };
    expect_422(
        &central,
        &station,
        &id,
        &entries(&manifest, &mutate(&fingers, 0, b'X'), &face),
        "invalid-payload",
        "FIR magic",
    );
    expect_422(
        &central,
        &station,
        &id,
        &entries(
            &manifest,
            &mutate(&fingers, 13, fingers[13].wrapping_add(1)),
            &face,
        ),
        "invalid-payload",
        "FIR record length",
    );
    expect_422(
        &central,
        &station,
        &id,
        &entries(&manifest, &[fingers.as_slice(), &[0]].concat(), &face),
        "invalid-payload",
        "FIR trailing byte",
    );
    expect_422(
        &central,
        &station,
        &id,
        &entries(&manifest, &fingers[..fingers.len() - 1], &face),
        "invalid-payload",
        "FIR truncated",
    );
    expect_422(
        &central,
        &station,
        &id,
        &entries(&manifest, &mutate(&fingers, 29, 2), &face),
        "invalid-payload",
        "FIR not PNG",
    );
    expect_422(
        &central,
        &station,
        &id,
        &entries(&manifest, &mutate(&fingers, 32 + 4, 11), &face),
        "invalid-payload",
        "FIR position 11",
    );
    expect_422(
        &central,
        &station,
        &id,
        &entries(
            &manifest,
            &mutate(&fingers, 32 + 3, fingers[35].wrapping_add(1)),
            &face,
        ),
        "invalid-payload",
        "FIR view length",
    );
    expect_422(
        &central,
        &station,
        &id,
        &entries(&manifest, &mutate(&fingers, 32 + 10, 191), &face),
        "invalid-payload",
        "FIR width vs PNG",
    );
    expect_422(
        &central,
        &station,
        &id,
        &entries(
            &manifest,
            &fir(&[(2, 192, 192), (7, 192, 192), (7, 192, 192)]),
            &face,
        ),
        "invalid-payload",
        "FIR duplicate view",
    );
    expect_422(
        &central,
        &station,
        &id,
        &entries(&manifest, &fingers, &mutate(&face, 2, b'X')),
        "invalid-payload",
        "FAC magic",
    );
    expect_422(
        &central,
        &station,
        &id,
        &entries(
            &manifest,
            &fingers,
            &mutate(&face, 11, face[11].wrapping_add(1)),
        ),
        "invalid-payload",
        "FAC length",
    );
    expect_422(
        &central,
        &station,
        &id,
        &entries(&manifest, &fingers, &face[..face.len() - 1]),
        "invalid-payload",
        "FAC truncated",
    );
    expect_422(
        &central,
        &station,
        &id,
        &entries(&manifest, &fingers, &mutate(&face, face.len() - 1, 0)),
        "invalid-payload",
        "FAC JPEG end",
    );
    // Minutiae: valid records of both editions pass the payload check (the pre-request is used
    // at the end, so check them through the library); a stray position or a bad length is refused.
    let with_minutiae = |m: &[u8]| {
        tar_of(&[
            ("manifest.json".into(), manifest.clone()),
            ("fingers.iso19794-4".into(), fingers.clone()),
            ("face.iso19794-5".into(), face.clone()),
            ("fingers.iso19794-2".into(), m.to_vec()),
        ])
    };
    for good in [fmr_2011(&[2, 7], 20), fmr_2005(&[7], 20)] {
        central::intake::payload::check(&with_minutiae(&good), &id, &station.id).unwrap();
    }
    expect_422(
        &central,
        &station,
        &id,
        &with_minutiae(&fmr_2011(&[2, 3], 20)),
        "invalid-payload",
        "minutiae for a finger not listed",
    );
    let mut bad_length = fmr_2011(&[2, 7], 20);
    bad_length[11] ^= 1;
    expect_422(
        &central,
        &station,
        &id,
        &with_minutiae(&bad_length),
        "invalid-payload",
        "minutiae record length",
    );

    // Images that do not decode, or whose size differs from the header.
    let mut broken_png = fingers.clone();
    let idat = broken_png.windows(4).position(|w| w == b"IDAT").unwrap();
    for b in &mut broken_png[idat + 8..idat + 24] {
        *b ^= 0x5A;
    }
    expect_422(
        &central,
        &station,
        &id,
        &entries(&manifest, &broken_png, &face),
        "invalid-payload",
        "PNG data corrupt",
    );
    let rgb_png = {
        let mut out = std::io::Cursor::new(Vec::new());
        image::RgbImage::new(192, 192)
            .write_to(&mut out, image::ImageFormat::Png)
            .unwrap();
        out.into_inner()
    };
    let mut colour = fingers.clone();
    let first_png = 32 + 14;
    let first_len = png(192, 192).len();
    colour.splice(first_png..first_png + first_len, rgb_png.iter().copied());
    let total = colour.len() as u64;
    colour[8..14].copy_from_slice(&total.to_be_bytes()[2..8]);
    colour[32..36].copy_from_slice(&((14 + rgb_png.len()) as u32).to_be_bytes());
    expect_422(
        &central,
        &station,
        &id,
        &entries(&manifest, &colour, &face),
        "invalid-payload",
        "colour PNG",
    );
    expect_422(
        &central,
        &station,
        &id,
        &entries(
            &manifest,
            &fingers,
            &fac_with_image(240, 320, &jpeg(200, 320)),
        ),
        "invalid-payload",
        "JPEG size differs from header",
    );
    // Starts and ends like a JPEG, holds no frame (a decoder tolerates truncated scans, so the
    // damage must be structural to be seen).
    let mut broken_jpeg = vec![0xFF, 0xD8];
    broken_jpeg.extend_from_slice(&[0x42; 300]);
    broken_jpeg.extend_from_slice(&[0xFF, 0xD9]);
    expect_422(
        &central,
        &station,
        &id,
        &entries(&manifest, &fingers, &fac_with_image(240, 320, &broken_jpeg)),
        "invalid-payload",
        "JPEG without a frame",
    );

    assert_eq!(central.receipt_count().unwrap(), 0);
    assert!(stored(dir.path(), &id).is_none());
    // The pre-request is still usable after all those refusals.
    let ok = put_record(
        &central.url(),
        &id,
        &seal(&spec, &station, central.public_keys()),
    );
    assert_eq!(ok.status, 200, "{}", ok.body);
}

#[test]
fn pre_request_rules_at_intake() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    let keys = central.public_keys().clone();
    let url = central.url();
    let catalogue = central::Catalogue::demo().unwrap();
    let with_status = |s: &str| {
        catalogue
            .iter()
            .find(|p| serde_json::to_value(p.status).unwrap() == s)
            .unwrap_or_else(|| panic!("demo has a {s} pre-request"))
            .clone()
    };

    for (status, code) in [
        ("expired", "prerequest-not-validated"),
        ("declared", "prerequest-not-validated"),
        ("unknown", "prerequest-not-validated"),
        ("consumed", "prerequest-consumed"),
    ] {
        let entry = with_status(status);
        let mut spec = PayloadSpec::new(&station.id, &entry.number);
        spec.document_type = entry.document_type.as_str().into();
        let answer = put_record(&url, &spec.record_id, &seal(&spec, &station, &keys));
        assert_eq!(
            (answer.status, answer.error_code().as_str()),
            (422, code),
            "{status}: {}",
            answer.body
        );
    }
    let spec = PayloadSpec::new(&station.id, "ZZZZZZZZZ9");
    let answer = put_record(&url, &spec.record_id, &seal(&spec, &station, &keys));
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (422, "unknown-prerequest"),
        "{}",
        answer.body
    );

    let mut spec = PayloadSpec::new(&station.id, "DEMO000001");
    spec.document_type = "passport".into();
    let answer = put_record(&url, &spec.record_id, &seal(&spec, &station, &keys));
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (422, "document-type-mismatch"),
        "{}",
        answer.body
    );

    // Lower case in the manifest is the same number; a second record for it is refused.
    let first = PayloadSpec::new(&station.id, "demo000001");
    assert_eq!(
        put_record(&url, &first.record_id, &seal(&first, &station, &keys)).status,
        200
    );
    let second = PayloadSpec::new(&station.id, "DEMO000001");
    let answer = put_record(&url, &second.record_id, &seal(&second, &station, &keys));
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (422, "prerequest-consumed"),
        "{}",
        answer.body
    );

    // A child under 12: no fingers, no finger record, exemption given.
    let mut child = PayloadSpec::new(&station.id, "DEMO000003");
    child.fingers.clear();
    child.exemption = Some("under-12".into());
    let answer = put_record(&url, &child.record_id, &seal(&child, &station, &keys));
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[test]
fn oversized_body_is_413_json() {
    let dir = crate::common::private_tempdir();
    let (central, _station) = start(dir.path());
    let id = uuid::Uuid::new_v4().to_string();
    let big = vec![0u8; central::server::MAX_RECORD_BYTES + 1];
    let answer = put_record(&central.url(), &id, &big);
    assert_eq!(answer.status, 413, "{}", answer.body);
    assert_eq!(answer.error_code(), "too-large");
    // Exactly at the limit is read (and refused for what it is, not for its size).
    let at_limit = vec![0u8; central::server::MAX_RECORD_BYTES];
    let answer = put_record(&central.url(), &id, &at_limit);
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (400, "malformed-record")
    );
}

#[test]
fn a_signed_record_with_an_8000_pixel_finger_image_is_refused() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    // A validly signed record whose finger "image" is 8000 × 8000: no finger sensor makes one,
    // and decoding it would take 64 MB for nothing.
    let tar = tar_of(&[
        (
            "manifest.json".into(),
            serde_json::to_vec(&spec.manifest()).unwrap(),
        ),
        (
            "fingers.iso19794-4".into(),
            fir_of(&[
                (2, 8000, 8000, blank_png(8000, 8000)),
                (7, 192, 192, png(192, 192)),
            ]),
        ),
        ("face.iso19794-5".into(), fac(240, 320)),
    ]);
    let started = std::time::Instant::now();
    expect_422(
        &central,
        &station,
        &spec.record_id,
        &tar,
        "invalid-payload",
        "an 8000 x 8000 finger image",
    );
    assert_eq!(central.receipt_count().unwrap(), 0);
    eprintln!("refused in {:?}", started.elapsed());
}
