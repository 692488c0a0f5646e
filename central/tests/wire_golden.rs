//! The central against the wire crate's golden files: it reads the station's golden bytes as the
//! expected values, and answers with exactly the golden bytes over HTTP.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use central::intake::{manifest::Manifest, payload, sealed};
use central::{Central, PreRequestSource, VerifyReceipt};
use wire::golden;

/// The golden header followed by placeholder enc, ciphertext and signature: well framed, not
/// signed by anyone.
fn framed_golden_record() -> Vec<u8> {
    framed(golden::SEALED_HEADER)
}

fn framed(header: &[u8]) -> Vec<u8> {
    let mut bytes = header.to_vec();
    bytes.extend_from_slice(&[0x11; sealed::ENC_LENGTH]);
    bytes.extend_from_slice(&20u32.to_be_bytes());
    bytes.extend_from_slice(&[0x22; 20]);
    bytes.extend_from_slice(&[0x33; sealed::SIGNATURE_LENGTH]);
    bytes
}

#[test]
fn a_header_from_before_the_signature_algorithm_reads_as_ed25519() {
    let bytes = framed(golden::SEALED_HEADER_ED25519);
    let parts = sealed::parse(&bytes).unwrap();
    assert_eq!(parts.aad.len(), 12 + 268);
    assert_eq!(parts.header, golden::record_header_ed25519());
    assert_eq!(
        parts.header.signature_algorithm(),
        wire::sealed::SignatureAlgorithm::Ed25519
    );
}

#[test]
fn the_golden_sealed_header_reads_as_its_values() {
    let bytes = framed_golden_record();
    let parts = sealed::parse(&bytes).unwrap();
    assert_eq!(parts.aad, golden::SEALED_HEADER);
    assert_eq!(parts.aad.len(), 12 + 268 + 42);
    let h = &parts.header;
    assert_eq!(
        h.signature_algorithm(),
        wire::sealed::SignatureAlgorithm::EcdsaP256Sha256
    );
    assert_eq!(h.record_id, "0b7f3c52-8a51-4c1e-9d0a-3f6b2e1c4d5a");
    assert_eq!(h.station_id, "mairie-lyon-03-p1");
    assert_eq!(h.created_at, "2026-11-27T09:14:05Z");
    assert_eq!(h.suite, sealed::SUITE);
    assert_eq!(
        h.central_key_id,
        "abbd47892333356581d856391a444d379920d192b599f38895acdd951160fe96"
    );
    assert_eq!(parts.enc, &[0x11; 32]);
    assert_eq!(parts.ciphertext, &[0x22; 20]);
    assert_eq!(parts.signed.len(), bytes.len() - 64);
    // The central key id is the SHA-256 of the record public key, as the central computes it.
    let public: [u8; 32] = hex::decode(golden::CENTRAL_RECORD_PUBLIC_KEY)
        .unwrap()
        .try_into()
        .unwrap();
    assert_eq!(central::keys::central_key_id(&public), h.central_key_id);
}

#[test]
fn the_golden_manifest_reads_as_its_values_and_passes_the_manifest_checks() {
    let m: Manifest = serde_json::from_slice(golden::MANIFEST_JSON).unwrap();
    assert_eq!(m, golden::manifest());
    assert_eq!(m.format, "dr-station manifest v1");
    assert_eq!(m.case_reference, "CT7E-NMFP-FWHP");
    assert_eq!(m.operator, "agent.test");
    assert_eq!(m.document_type, "cni");
    let positions: Vec<(u8, u8, u32, bool)> = m
        .fingers
        .iter()
        .map(|f| (f.position, f.quality.score, f.attempts, f.below_threshold))
        .collect();
    assert_eq!(positions, [(2, 72, 1, false), (7, 38, 3, true)]);
    assert_eq!(m.finger_exceptions[0].position, 3);
    assert_eq!(m.photo.as_ref().unwrap().source, "camera");
    assert_eq!(m.timings_ms["fingers"], 41_250);
    assert_eq!(m.exemption, None);

    // Through the intake's payload reader: the manifest passes its checks, and the payload is then
    // refused only for the finger record this test leaves out.
    let mut tar = tar::Builder::new(Vec::new());
    let mut header = tar::Header::new_ustar();
    header.set_size(golden::MANIFEST_JSON.len() as u64);
    header.set_mode(0o600);
    header.set_entry_type(tar::EntryType::Regular);
    tar.append_data(&mut header, payload::MANIFEST_ENTRY, golden::MANIFEST_JSON)
        .unwrap();
    let tar = tar.into_inner().unwrap();
    let error = payload::check(&tar, golden::RECORD_ID, golden::STATION_ID).unwrap_err();
    assert!(
        error.0.contains("no fingers.iso19794-4"),
        "refused for another reason: {error}"
    );
}

#[test]
fn the_golden_receipt_verifies_with_its_key() {
    let receipt: central::Receipt = serde_json::from_slice(golden::RECEIPT_JSON).unwrap();
    assert_eq!(receipt, golden::receipt());
    assert_eq!(
        receipt.canonical_string().as_bytes(),
        golden::RECEIPT_CANONICAL
    );
    let key: [u8; 32] = hex::decode(golden::RECEIPT_PUBLIC_KEY)
        .unwrap()
        .try_into()
        .unwrap();
    receipt.verify(&key).unwrap();
    let mut forged = receipt.clone();
    forged.received_at = "2026-11-27T09:20:42Z".into();
    assert!(forged.verify(&key).is_err());
}

#[test]
fn the_central_reads_the_golden_handover_request_and_claim() {
    use ring::signature::KeyPair as _;
    let request: wire::handover::HandoverRequest =
        serde_json::from_slice(golden::HANDOVER_REQUEST_JSON).unwrap();
    assert_eq!(request, golden::handover_request());
    assert_eq!(
        request.signed_string().as_bytes(),
        golden::HANDOVER_REQUEST_SIGNED
    );
    // Signed by the golden station key, as the central checks it.
    let station =
        ring::signature::Ed25519KeyPair::from_seed_unchecked(&golden::STATION_KEY_SEED).unwrap();
    let registered: [u8; 32] = station.public_key().as_ref().try_into().unwrap();
    assert!(central::stations::verify_signature(
        &registered.into(),
        golden::HANDOVER_REQUEST_SIGNED,
        &hex::decode(&request.signature).unwrap(),
    ));
    let claim: wire::handover::HandoverClaim =
        serde_json::from_slice(golden::HANDOVER_CLAIM_JSON).unwrap();
    assert_eq!(claim, golden::handover_claim());
    // The claim's template reads with the shared matcher's reader, and with the central's own
    // intake parser.
    let bytes = hex::decode(&claim.template).unwrap();
    let fingers = fingerprint::FingerMinutiaeRecord::parse(&bytes).unwrap();
    assert_eq!(fingers.len(), 1);
    assert_eq!((fingers[0].position, fingers[0].template.len()), (7, 3));
    central::intake::iso19794_2::parse(&bytes).unwrap();
}

fn body(response: Result<ureq::http::Response<ureq::Body>, ureq::Error>) -> (u16, Vec<u8>) {
    let mut response = response.unwrap();
    let status = response.status().as_u16();
    (status, response.body_mut().read_to_vec().unwrap())
}

#[test]
fn the_central_answers_with_the_golden_bytes() {
    let dir = crate::common::private_tempdir();
    let catalogue = dir.path().join("prerequests.json");
    std::fs::write(
        &catalogue,
        [&b"["[..], golden::PRE_REQUEST_JSON, b"]"].concat(),
    )
    .unwrap();
    let mut config = crate::common::config(dir.path().join("data"));
    config.prerequests = PreRequestSource::File(catalogue);
    config.ants_status = true;
    config.ants_token = Some("demo-token".into());
    let running = Central::start(config).unwrap();
    let identity = crate::common::enrol(&running, golden::STATION_ID, [7u8; 32]);
    let agent = identity.agent();
    let url = running.url();
    let token = "demo-token";

    let (status, pre) = body(
        agent
            .get(format!(
                "{url}{}",
                wire::paths::pre_request(golden::PRE_REQUEST)
            ))
            .header(wire::headers::TOKEN, token)
            .call(),
    );
    assert_eq!(status, 200);
    assert_eq!(
        String::from_utf8(pre).unwrap(),
        String::from_utf8(golden::PRE_REQUEST_JSON.to_vec()).unwrap()
    );

    let (status, answer) = body(
        agent
            .get(format!(
                "{url}{}&application_ids=QQQQQQQQQQ",
                wire::paths::status(golden::PRE_REQUEST)
            ))
            .header(wire::headers::TOKEN, token)
            .call(),
    );
    assert_eq!(status, 200);
    assert_eq!(
        String::from_utf8(answer).unwrap(),
        String::from_utf8(golden::STATUS_JSON.to_vec()).unwrap()
    );

    // A well-framed record from a registered station whose signature does not verify.
    let other_key = [9u8; 32];
    let code = running.rekey_station(golden::STATION_ID).unwrap().code;
    let agent = crate::common::redeem(&running, &code, other_key).agent();
    let (status, error) = body(
        agent
            .put(format!("{url}{}", wire::paths::record(golden::RECORD_ID)))
            .header("content-type", "application/octet-stream")
            .send(&framed_golden_record()[..]),
    );
    assert_eq!(status, 401);
    assert_eq!(
        String::from_utf8(error).unwrap(),
        String::from_utf8(golden::ERROR_JSON.to_vec()).unwrap()
    );
    running.stop();
}

#[test]
fn the_central_redeems_the_golden_enrolment_requests() {
    use wire::sealed::SignatureAlgorithm;
    let dir = crate::common::private_tempdir();
    let running = Central::start(crate::common::config(dir.path())).unwrap();
    let goldens = [
        (
            golden::ENROL_REQUEST_JSON,
            golden::enrol_request(),
            SignatureAlgorithm::Ed25519,
        ),
        (
            golden::ENROL_REQUEST_P256_JSON,
            golden::enrol_request_p256(),
            SignatureAlgorithm::EcdsaP256Sha256,
        ),
    ];
    for (n, (bytes, expected, algorithm)) in goldens.into_iter().enumerate() {
        let request: wire::provisioning::EnrolRequest = serde_json::from_slice(bytes).unwrap();
        assert_eq!(request, expected);
        // The golden code was never issued here: the same bytes with a code this central issued.
        let station_id = format!("{}-{n}", golden::STATION_ID);
        let code = running
            .enrol_station(&station_id, crate::common::TOWN_HALL)
            .unwrap()
            .code;
        let text = std::str::from_utf8(bytes)
            .unwrap()
            .replace(&request.code, &code);
        let answer =
            crate::common::post_enrolment_body(&running.url(), running.ca_pem(), text.as_bytes());
        assert_eq!(answer.status, 200, "{}", answer.body);
        let enrolled: wire::provisioning::EnrolAnswer = serde_json::from_str(&answer.body).unwrap();
        assert_eq!(enrolled.station_id, station_id);
        // Registered with the algorithm the request names (none named: Ed25519).
        let db = crate::common::open_database(running.data_dir()).unwrap();
        let listed = central::enrolment::list(&db).unwrap();
        let station = listed.iter().find(|s| s.station_id == station_id).unwrap();
        assert_eq!(station.public_key.algorithm, algorithm);
        assert_eq!(station.public_key.to_hex(), request.signing_public_key);
    }
    running.stop();
}

#[test]
fn the_central_keeps_the_golden_announcements_and_reads_the_golden_checkpoint() {
    use ring::signature::KeyPair as _;
    let station =
        ring::signature::Ed25519KeyPair::from_seed_unchecked(&golden::STATION_KEY_SEED).unwrap();
    let registered: [u8; 32] = station.public_key().as_ref().try_into().unwrap();
    let checkpoint = wire::audit_checkpoint::AuditCheckpoint::from_header(
        std::str::from_utf8(golden::AUDIT_CHECKPOINT_HEADER).unwrap(),
    )
    .unwrap();
    assert_eq!(checkpoint, golden::audit_checkpoint());
    assert!(central::stations::verify_signature(
        &registered.into(),
        &checkpoint.message(),
        &hex::decode(&checkpoint.signature).unwrap(),
    ));

    let dir = crate::common::private_tempdir();
    let running = Central::start(crate::common::config(dir.path())).unwrap();
    let identity = crate::common::enrol(&running, golden::STATION_ID, registered);
    let (status, answer) = body(
        identity
            .agent()
            .post(format!(
                "{}{}",
                running.url(),
                wire::paths::ANNOUNCEMENTS_ROUTE
            ))
            .header("content-type", "application/json")
            .send(golden::ANNOUNCEMENT_BATCH_JSON),
    );
    assert_eq!(status, 200, "{}", String::from_utf8_lossy(&answer));
    let answer: wire::announcement::AnnouncementAnswer = serde_json::from_slice(&answer).unwrap();
    assert_eq!(answer.recorded, [golden::RECORD_ID]);
    running.stop();
}

#[test]
fn the_central_reads_the_golden_signature_record_and_the_manifest_entry_that_lists_it() {
    let m: Manifest = serde_json::from_slice(golden::MANIFEST_JSON).unwrap();
    let entry = m
        .signature
        .as_ref()
        .expect("the golden manifest lists a signature");
    assert_eq!(entry.format.as_deref(), Some("ISO/IEC 19794-7:2007"));
    let parsed = wire::signature::parse(golden::SIGNATURE_RECORD).unwrap();
    assert_eq!(parsed.signature, golden::signature());
    assert_eq!(entry.points, u32::try_from(parsed.points).ok());
    // A picture with ink, as the station draws one.
    let picture = image::GrayImage::from_fn(500, 200, |x, y| {
        image::Luma([if (x + y) % 50 < 3 { 0 } else { 255 }])
    });
    let mut png = std::io::Cursor::new(Vec::new());
    picture.write_to(&mut png, image::ImageFormat::Png).unwrap();
    central::intake::signature::check(&m, Some(golden::SIGNATURE_RECORD), Some(png.get_ref()))
        .unwrap();
    let mut cut = golden::SIGNATURE_RECORD.to_vec();
    cut.truncate(cut.len() - 3);
    let error = central::intake::signature::check(&m, Some(&cut), Some(png.get_ref())).unwrap_err();
    assert!(error.0.contains("ISO/IEC 19794-7"), "{error}");
}

#[test]
fn the_golden_paper_form_manifest_is_taken_for_its_form_by_the_central_parser() {
    let m: Manifest = serde_json::from_slice(golden::MANIFEST_PAPER_FORM_JSON).unwrap();
    assert_eq!(m, golden::manifest_paper_form());
    match central::intake::paper_form::taken_for(&m, "2026-12-07").unwrap() {
        central::intake::paper_form::TakenFor::PaperForm(form) => {
            assert_eq!(form.applicant.surname, "Ait Ouaziz");
            assert_eq!(form.cerfa, "12101*03");
        }
        other => panic!("read as {other:?}"),
    }
    // The same manifest with a pre-request number is refused: a record is one or the other.
    let mut both = m.clone();
    both.pre_request = golden::PRE_REQUEST.into();
    assert!(central::intake::paper_form::taken_for(&both, "2026-12-07").is_err());
}
