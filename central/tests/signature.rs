//! The applicant's signature at intake: a record with the signature's ISO/IEC 19794-7 record and
//! picture is taken; a corrupted record, a dot, a blank picture, a signature from a child under
//! 12 or a manifest that disagrees with the record is refused with a sentence saying so; "cannot
//! sign" with a reason is taken; a record with no signature entry at all is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use serde_json::{Value, json};
use wire::signature::{PenSample, Signature, SignatureEntry};

use crate::common::{self, *};

/// What to put in the payload beside the usual spec.
struct Signed {
    entry: Option<Value>,
    record: Option<Vec<u8>>,
    png: Option<Vec<u8>>,
}

fn signed_by(signature: &Signature) -> Signed {
    Signed {
        entry: Some(serde_json::to_value(SignatureEntry::signed(signature)).unwrap()),
        record: Some(wire::signature::write(signature).unwrap()),
        png: Some(common::png(500, 200)),
    }
}

fn sent(
    central: &central::RunningCentral,
    station: &TestStation,
    spec: &PayloadSpec,
    signed: &Signed,
) -> Answer {
    let mut manifest = spec.manifest();
    match &signed.entry {
        Some(entry) => manifest["signature"] = entry.clone(),
        None => {
            manifest.as_object_mut().map(|m| m.remove("signature"));
        }
    }
    let mut entries = vec![(
        "manifest.json".to_owned(),
        serde_json::to_vec(&manifest).unwrap(),
    )];
    if !spec.fingers.is_empty() {
        let views: Vec<(u8, u16, u16)> = spec.fingers.iter().map(|p| (*p, 192, 192)).collect();
        entries.push(("fingers.iso19794-4".to_owned(), fir(&views)));
    }
    if spec.face {
        entries.push(("face.iso19794-5".to_owned(), fac(240, 320)));
    }
    if let Some(record) = &signed.record {
        entries.push(("signature.iso19794-7".to_owned(), record.clone()));
    }
    if let Some(png) = &signed.png {
        entries.push(("signature.png".to_owned(), png.clone()));
    }
    let keys = central.public_keys();
    let header = HeaderSpec::new(&spec.record_id, &station.id, &keys.central_key_id);
    let record = seal_with_header(
        &header.json(),
        &keys.record_public_key,
        &station.key,
        &tar_of(&entries),
    );
    put_record(&central.url(), &spec.record_id, &record)
}

fn refused_saying(answer: &Answer, words: &str) {
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (422, "invalid-payload"),
        "{}",
        answer.body
    );
    assert!(
        answer.body.contains(words),
        "{words:?} not in {}",
        answer.body
    );
}

#[test]
fn a_signed_record_is_taken_and_a_corrupted_signature_is_refused() {
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    let spec = || PayloadSpec::new(&station.id, "DEMO000001");
    let good = signed_by(&wire::golden::signature());

    let mut truncated = signed_by(&wire::golden::signature());
    if let Some(record) = truncated.record.as_mut() {
        record.pop();
    }
    refused_saying(
        &sent(&central, &station, &spec(), &truncated),
        "ISO/IEC 19794-7",
    );

    let mut not_sdi = signed_by(&wire::golden::signature());
    if let Some(record) = not_sdi.record.as_mut() {
        record[0] = b'X';
    }
    refused_saying(&sent(&central, &station, &spec(), &not_sdi), "SDI");

    let dot = Signature {
        strokes: vec![
            (0..30)
                .map(|i| PenSample {
                    x: 500,
                    y: 200,
                    t_ms: i * 16,
                    pressure: None,
                })
                .collect(),
        ],
    };
    refused_saying(&sent(&central, &station, &spec(), &signed_by(&dot)), "dot");

    let blank = Signed {
        png: Some({
            let white = image::GrayImage::from_pixel(500, 200, image::Luma([255]));
            let mut out = std::io::Cursor::new(Vec::new());
            white.write_to(&mut out, image::ImageFormat::Png).unwrap();
            out.into_inner()
        }),
        ..signed_by(&wire::golden::signature())
    };
    refused_saying(&sent(&central, &station, &spec(), &blank), "blank");

    let no_picture = Signed {
        png: None,
        ..signed_by(&wire::golden::signature())
    };
    refused_saying(
        &sent(&central, &station, &spec(), &no_picture),
        "signature.png",
    );

    let mut wrong_count = signed_by(&wire::golden::signature());
    if let Some(entry) = wrong_count.entry.as_mut() {
        entry["points"] = json!(3);
    }
    refused_saying(&sent(&central, &station, &spec(), &wrong_count), "differs");

    let unlisted = Signed {
        entry: None,
        ..signed_by(&wire::golden::signature())
    };
    refused_saying(
        &sent(&central, &station, &spec(), &unlisted),
        "no signature entry",
    );
    assert_eq!(central.receipt_count().unwrap(), 0);

    let answer = sent(&central, &station, &spec(), &good);
    assert_eq!(answer.status, 200, "{}", answer.body);
    assert_eq!(central.receipt_count().unwrap(), 1);
}

#[test]
fn a_child_under_12_does_not_sign_and_cannot_sign_needs_a_reason() {
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    let child = || {
        let mut spec = PayloadSpec::new(&station.id, "DEMO000001");
        spec.fingers = Vec::new();
        spec.exemption = Some("under-12".to_owned());
        spec
    };
    let signing_child = signed_by(&wire::golden::signature());
    refused_saying(
        &sent(&central, &station, &child(), &signing_child),
        "under 12",
    );

    let adult_waived_as_child = Signed {
        entry: Some(serde_json::to_value(SignatureEntry::under_12()).unwrap()),
        record: None,
        png: None,
    };
    let adult = PayloadSpec::new(&station.id, "DEMO000001");
    refused_saying(
        &sent(&central, &station, &adult, &adult_waived_as_child),
        "under 12",
    );

    let no_reason = Signed {
        entry: Some(json!({"exemption": "cannot-sign", "reason": "  "})),
        record: None,
        png: None,
    };
    refused_saying(&sent(&central, &station, &adult, &no_reason), "reason");
    assert_eq!(central.receipt_count().unwrap(), 0);

    let answer = sent(&central, &station, &child(), &adult_waived_as_child);
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[test]
fn cannot_sign_with_a_reason_is_taken_and_a_record_without_a_signature_is_refused() {
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    let cannot = Signed {
        entry: Some(
            serde_json::to_value(SignatureEntry::cannot_sign("bras dans le plâtre")).unwrap(),
        ),
        record: None,
        png: None,
    };
    let answer = sent(
        &central,
        &station,
        &PayloadSpec::new(&station.id, "DEMO000001"),
        &cannot,
    );
    assert_eq!(answer.status, 200, "{}", answer.body);

    // Neither a signature nor the clerk's "cannot sign" (nor the under-12 exemption): the file
    // would lack what the title needs, so the record is refused with its own code.
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    let unsigned = Signed {
        entry: None,
        record: None,
        png: None,
    };
    let answer = sent(
        &central,
        &station,
        &PayloadSpec::new(&station.id, "DEMO000001"),
        &unsigned,
    );
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (422, "signature-missing"),
        "{}",
        answer.body
    );
    assert_eq!(central.receipt_count().unwrap(), 0);
}
