//! The golden files and the fixed values they were written from, for the tests of both sides
//! (feature `golden`, enabled only in dev-dependencies).
//!
//! The station's tests check that its writers produce these bytes from these values; the central's
//! tests check that its readers accept these bytes and read these values; this crate's tests check
//! that the bytes and the values agree. Changing a golden file therefore fails a test on each side
//! until the format change is made on purpose everywhere.

use std::collections::BTreeMap;

use crate::handover::{Decision, HandoverClaim, HandoverDecision, HandoverRequest};
use crate::manifest::{Device, Finger, FingerException, Manifest, Photo, Quality};
use crate::prerequest::{
    Applicant, Appointment, DocumentType, Parent, PreRequest, Reason, Sex, Status, StatusEntry,
};
use crate::{ErrorBody, Receipt, RecordHeader};

/// `golden/manifest.json`: [`manifest`] as the station writes it into the payload.
pub const MANIFEST_JSON: &[u8] = include_bytes!("../golden/manifest.json");
/// `golden/manifest_paper_form.json`: [`manifest_paper_form`], a record taken without a
/// pre-request from the typed paper form.
pub const MANIFEST_PAPER_FORM_JSON: &[u8] = include_bytes!("../golden/manifest_paper_form.json");
/// `golden/record_header.json`: [`record_header`] as it appears in the sealed file.
pub const RECORD_HEADER_JSON: &[u8] = include_bytes!("../golden/record_header.json");
/// `golden/sealed_header.bin`: the first bytes of a sealed file with [`record_header`] (magic,
/// header length, header), which are also the HPKE aad.
pub const SEALED_HEADER: &[u8] = include_bytes!("../golden/sealed_header.bin");
/// `golden/record_header_ed25519.json`: [`record_header_ed25519`], a header from before the
/// header named its signature algorithm (Ed25519), which the central still reads.
pub const RECORD_HEADER_ED25519_JSON: &[u8] =
    include_bytes!("../golden/record_header_ed25519.json");
/// `golden/sealed_header_ed25519.bin`: the first bytes of a sealed file with
/// [`record_header_ed25519`].
pub const SEALED_HEADER_ED25519: &[u8] = include_bytes!("../golden/sealed_header_ed25519.bin");
/// `golden/receipt.json`: [`receipt`] as the central answers it.
pub const RECEIPT_JSON: &[u8] = include_bytes!("../golden/receipt.json");
/// `golden/receipt_canonical.txt`: the string [`receipt`]'s signature covers.
pub const RECEIPT_CANONICAL: &[u8] = include_bytes!("../golden/receipt_canonical.txt");
/// `golden/prerequest.json`: [`pre_request`] as the central answers it.
pub const PRE_REQUEST_JSON: &[u8] = include_bytes!("../golden/prerequest.json");
/// `golden/tax_stamp_standing.json`: [`tax_stamp_standing`] as the central answers it.
pub const TAX_STAMP_STANDING_JSON: &[u8] = include_bytes!("../golden/tax_stamp_standing.json");
/// `golden/status.json`: [`status_answer`] as the central answers it.
pub const STATUS_JSON: &[u8] = include_bytes!("../golden/status.json");
/// `golden/handover_claim.json`: [`handover_claim`] as the station seals it.
pub const HANDOVER_CLAIM_JSON: &[u8] = include_bytes!("../golden/handover_claim.json");
/// `golden/handover_request.json`: [`handover_request`] as the station posts it.
pub const HANDOVER_REQUEST_JSON: &[u8] = include_bytes!("../golden/handover_request.json");
/// `golden/handover_request_signed.txt`: the string [`handover_request`]'s signature covers.
pub const HANDOVER_REQUEST_SIGNED: &[u8] = include_bytes!("../golden/handover_request_signed.txt");
/// `golden/handover_decision.json`: [`handover_decision`] as the central answers it.
pub const HANDOVER_DECISION_JSON: &[u8] = include_bytes!("../golden/handover_decision.json");
/// `golden/handover_decision_canonical.txt`: the string [`handover_decision`]'s signature covers.
pub const HANDOVER_DECISION_CANONICAL: &[u8] =
    include_bytes!("../golden/handover_decision_canonical.txt");
/// `golden/error.json`: [`error_body`] as the central answers it.
pub const ERROR_JSON: &[u8] = include_bytes!("../golden/error.json");
/// `golden/enrol_request.json`: [`enrol_request`] as a station sends it.
pub const ENROL_REQUEST_JSON: &[u8] = include_bytes!("../golden/enrol_request.json");
/// `golden/enrol_request_p256.json`: [`enrol_request_p256`] as a station with a token sends it.
pub const ENROL_REQUEST_P256_JSON: &[u8] = include_bytes!("../golden/enrol_request_p256.json");
/// The ECDSA P-256 signing key (uncompressed point, hex) of [`enrol_request_p256`].
pub const ENROL_P256_PUBLIC_KEY: &str = "04a1bfbe60dfe8881d90a2083d0e0b7c18795366cdcde31789f41a29c870a946de97b3cf6951a9ed0fed9055bf159fd408a1084386d20986861f5ae99698d96c07";

/// `golden/announcement_batch.json`: [`announcement_batch`] as a station posts it.
pub const ANNOUNCEMENT_BATCH_JSON: &[u8] = include_bytes!("../golden/announcement_batch.json");
/// `golden/announcement_signed.txt`: the string the announcement of [`announcement_batch`] signs.
pub const ANNOUNCEMENT_SIGNED: &[u8] = include_bytes!("../golden/announcement_signed.txt");

/// `golden/signature.iso19794-7`: [`signature`] as the station writes it into the payload.
pub const SIGNATURE_RECORD: &[u8] = include_bytes!("../golden/signature.iso19794-7");

/// `golden/audit_checkpoint_header.txt`: [`audit_checkpoint`] as the upload header carries it.
pub const AUDIT_CHECKPOINT_HEADER: &[u8] = include_bytes!("../golden/audit_checkpoint_header.txt");

/// A PKCS#10 request for an ECDSA P-256 key (`CN=station`), as a station's CSR is shaped.
pub const ENROL_CSR_PEM: &str = "-----BEGIN CERTIFICATE REQUEST-----\nMIHMMHQCAQAwEjEQMA4GA1UEAwwHc3RhdGlvbjBZMBMGByqGSM49AgEGCCqGSM49\nAwEHA0IABHgDKI62CIW78vyqX/I2Jiqu4tVTXYqpdKn9w2dqHRCpbuP0s2ps2BlI\nuRi4w6JdKzZz4ThFDIYgicmR/GkLIZ+gADAKBggqhkjOPQQDAgNIADBFAiEAtj94\nNE6EbpqU8Kkt0vy8X2Ixbx3PyF5rET3y5N35l3wCIFPTML8lE0fWe31094MhnI5M\n8MqCK3tr+kgYmjYzColU\n-----END CERTIFICATE REQUEST-----\n";

/// The record of the golden files (the same as docs/record-format.md's worked example).
pub const RECORD_ID: &str = "0b7f3c52-8a51-4c1e-9d0a-3f6b2e1c4d5a";
/// The station of the golden files.
pub const STATION_ID: &str = "mairie-lyon-03-p1";
/// The creation time of the golden record.
pub const CREATED_AT: &str = "2026-11-27T09:14:05Z";
/// The pre-request of the golden record.
pub const PRE_REQUEST: &str = "AB12CD34EF";
/// The central's X25519 record public key in the golden record (hex).
pub const CENTRAL_RECORD_PUBLIC_KEY: &str =
    "d720170182d58399f7a289ff8b9ce64d470578271c2d150967e2b0deba181a29";
/// The header's `central_key_id`: SHA-256 of the 32 bytes of [`CENTRAL_RECORD_PUBLIC_KEY`].
pub const CENTRAL_KEY_ID: &str = "abbd47892333356581d856391a444d379920d192b599f38895acdd951160fe96";
/// A test-only Ed25519 seed of the central's receipt key that signed [`receipt`].
pub const RECEIPT_KEY_SEED: [u8; 32] = [0x52; 32];
/// The public half of [`RECEIPT_KEY_SEED`] (hex).
pub const RECEIPT_PUBLIC_KEY: &str =
    "2012cb90ca60e8e5d8daf66e2272d2233e0486d557e8c66141ed8920177d7eb7";
/// A test-only Ed25519 seed of the station key that signed [`handover_request`].
pub const STATION_KEY_SEED: [u8; 32] = [0x53; 32];
/// The nonce of the golden handover.
pub const HANDOVER_NONCE: &str = "6b1f0c9e2d4a87e35f10b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f607";
/// The live finger's ISO/IEC 19794-2:2011 record in the golden claim: left index (7), quality 72,
/// 256 × 288 at 197 px/cm, three minutiae (ending at (100, 120) angle 64 quality 80, bifurcation at
/// (150, 200) angle 200 quality 60, ending at (60, 240) angle 10 quality 45).
pub const HANDOVER_TEMPLATE_HEX: &str = "464d5200303330000000004800010000000039ffffffffffffffffff0000000000014800000000070000c500c500010001206003406400784050809600c8c83c403c00f00a2d0000";

/// The golden handover claim (what is sealed).
pub fn handover_claim() -> HandoverClaim {
    HandoverClaim {
        number: PRE_REQUEST.into(),
        finger: 7,
        nonce: HANDOVER_NONCE.into(),
        station_id: STATION_ID.into(),
        requested_at: "2026-12-02T14:03:27Z".into(),
        template: HANDOVER_TEMPLATE_HEX.into(),
    }
}

/// The golden handover request: short stand-ins for `enc` and the ciphertext (HPKE is randomised, so
/// a real sealing has no fixed bytes), signed with [`STATION_KEY_SEED`].
pub fn handover_request() -> HandoverRequest {
    HandoverRequest {
        station_id: STATION_ID.into(),
        enc: "1f".repeat(32),
        ciphertext: "c0ffee00".repeat(8),
        signature: "005d47565b4ee78687d93686bc1a15e9f3e85fa7cf25a767a733546fab6602875f681032015ea468a00cd146a815c66b6a997a3fbf80a3eaed694c1405e14e0e".into(),
    }
}

/// The golden announcement batch: the golden record announced, signed with [`STATION_KEY_SEED`].
pub fn announcement_batch() -> crate::announcement::AnnouncementBatch {
    crate::announcement::AnnouncementBatch {
        announcements: vec![crate::announcement::RecordAnnouncement {
            record_id: RECORD_ID.into(),
            station_id: STATION_ID.into(),
            sha256: "3b08f927b32ef1554f63e2dfa9b75f0936cc4a9a7b4f95074a7ab28673195ecc".into(),
            pre_request: PRE_REQUEST.into(),
            sealed_at: CREATED_AT.into(),
            signature: "b10c9c2fe8b9868941f8acffd6846e04b9eae23ac88387480dede1227bda5ca1551f907224877d99c9238f68356d9c5d47a3ac013c367e142b1538fd8f0cb406".into(),
        }],
    }
}

/// The golden audit checkpoint: entry 32 of a station's audit log, signed with
/// [`STATION_KEY_SEED`].
pub fn audit_checkpoint() -> crate::audit_checkpoint::AuditCheckpoint {
    crate::audit_checkpoint::AuditCheckpoint {
        seq: 32,
        sha256: "9c1185a5c5e9fc54612808977ee8f548b2258d31f0a9f8b3b1d5b8b1a4b59cd4".into(),
        signature: "85e2cb36302aa62a2ead760d22fd6d7265c47233d08f53ae31687b49f02b0813c585369dc0c00929ab70847caf6b412e37f934506023a977be9c0a48ca52a90f".into(),
    }
}

/// The golden decision for [`handover_claim`], signed with [`RECEIPT_KEY_SEED`].
pub fn handover_decision() -> HandoverDecision {
    HandoverDecision {
        number: PRE_REQUEST.into(),
        nonce: HANDOVER_NONCE.into(),
        station_id: STATION_ID.into(),
        finger: 7,
        compared_finger: 7,
        score: 412,
        threshold: 55,
        decision: Decision::Match,
        decided_at: "2026-12-02T14:03:28Z".into(),
        signature: "991f23cc2b8117304053cd6e578599bdab2f74fde023a7cf64b99185ecd9da8e4875e21e99a2ebb9fff156d92a8a2e3fc184b1a6de5526f5f0f7273ff2fc640b".into(),
    }
}

/// The enrolment request of the golden files: a code, a CSR, the station's Ed25519 signing key,
/// as stations sent it before the request named the key's algorithm (none named means Ed25519).
pub fn enrol_request() -> crate::provisioning::EnrolRequest {
    crate::provisioning::EnrolRequest {
        code: "7K2M-QX4D-9TNB-R0WE".to_owned(),
        csr_pem: ENROL_CSR_PEM.to_owned(),
        signing_public_key: "8f1c0e3b5a7d9f2e4c6b8a0d1e3f5a7c9b2d4e6f8a0c1e3d5b7f9a2c4e6d8b0f"
            .to_owned(),
        signing_algorithm: None,
    }
}

/// The enrolment request of a station whose signing key is in a token (ECDSA P-256), which names
/// the algorithm.
pub fn enrol_request_p256() -> crate::provisioning::EnrolRequest {
    crate::provisioning::EnrolRequest {
        code: "7K2M-QX4D-9TNB-R0WE".to_owned(),
        csr_pem: ENROL_CSR_PEM.to_owned(),
        signing_public_key: ENROL_P256_PUBLIC_KEY.to_owned(),
        signing_algorithm: Some(crate::sealed::SignatureAlgorithm::EcdsaP256Sha256),
    }
}

/// The golden record's tax stamp: an identity card after theft costs 25 €.
pub fn tax_stamp() -> crate::tax_stamp::TaxStamp {
    crate::tax_stamp::TaxStamp {
        number: crate::tax_stamp::StampNumber::read("4417 2093 8815 6602")
            .unwrap_or_else(|e| panic!("golden stamp number: {e}")),
        amount_cents: crate::tax_stamp::CNI_LOSS_OR_THEFT_CENTS,
        checked_at_counter: true,
    }
}

/// What the central answers about the golden stamp before a record uses it.
pub fn tax_stamp_standing() -> crate::tax_stamp::StampStanding {
    let stamp = tax_stamp();
    crate::tax_stamp::StampStanding {
        number: stamp.number,
        amount_cents: stamp.amount_cents,
        used: false,
    }
}

/// The manifest of the golden record.
pub fn manifest() -> Manifest {
    Manifest {
        format: crate::manifest::MANIFEST_FORMAT.into(),
        record_id: RECORD_ID.into(),
        case_reference: "CT7E-NMFP-FWHP".into(),
        station_id: STATION_ID.into(),
        created_at: CREATED_AT.into(),
        pre_request: PRE_REQUEST.into(),
        document_type: DocumentType::Cni.as_str().into(),
        operator: "agent.test".into(),
        devices: vec![
            Device {
                kind: "fingerprint".into(),
                model: "ZFM-20 (simulated)".into(),
                firmware: "0x0001".into(),
                serial: "SIM-0001".into(),
            },
            Device {
                kind: "camera".into(),
                model: "VC0706 (simulated)".into(),
                firmware: "v1.00".into(),
                serial: "SIM-CAM-0001".into(),
            },
        ],
        photo: Some(Photo {
            source: crate::manifest::PHOTO_FROM_CAMERA.into(),
            checks: vec![serde_json::json!({"id": "face-count", "passed": true, "value": 1})],
        }),
        fingers: vec![
            Finger {
                position: 2,
                name: "right-index".into(),
                quality: Quality {
                    score: 72,
                    algorithm: "station-quality".into(),
                    version: "1".into(),
                },
                attempts: 1,
                below_threshold: false,
            },
            Finger {
                position: 7,
                name: "left-index".into(),
                quality: Quality {
                    score: 38,
                    algorithm: "station-quality".into(),
                    version: "1".into(),
                },
                attempts: 3,
                below_threshold: true,
            },
        ],
        finger_exceptions: vec![FingerException {
            position: 3,
            reason: "bandaged".into(),
        }],
        exemption: None,
        height_cm: Some(168),
        eye_colour: Some(crate::physical::EyeColour::Noisette),
        signature: Some(crate::signature::SignatureEntry::signed(&signature())),
        fingerprint_storage: Some(crate::fingerprint_storage::FingerprintStorage::Refused),
        paper_form: None,
        reason: Some(Reason::Theft),
        tax_stamp: Some(tax_stamp()),
        timings_ms: BTreeMap::from([
            ("fingers".to_owned(), 41_250),
            ("photo".to_owned(), 12_004),
            ("review".to_owned(), 9_870),
        ]),
    }
}

/// The manifest of a passport record taken without a pre-request: the clerk typed the paper form,
/// which the manifest carries; the applicant's height and eye colour are those confirmed.
pub fn manifest_paper_form() -> Manifest {
    let applicant = Applicant {
        surname: "Ait Ouaziz".into(),
        given_names: "Lounès".into(),
        birth_date: "1976-03-03".into(),
        birth_place: "Tizi Ouzou (Algérie)".into(),
        sex: Sex::M,
        address: "28 rue Pasteur, 69007 Lyon".into(),
        parents: Vec::new(),
        height_cm: Some(176),
        eye_colour: Some(crate::physical::EyeColour::Marron),
    };
    Manifest {
        pre_request: crate::paper_form::NO_PRE_REQUEST.into(),
        document_type: DocumentType::Passport.as_str().into(),
        height_cm: applicant.height_cm,
        eye_colour: applicant.eye_colour,
        paper_form: Some(crate::paper_form::PaperForm {
            cerfa: crate::paper_form::CERFA_PASSPORT.into(),
            document_type: DocumentType::Passport,
            reason: Reason::Renewal,
            applicant,
        }),
        // A passport alone: no storage question. The station takes no fee on this path yet, so
        // the record says no reason and carries no stamp.
        fingerprint_storage: None,
        reason: None,
        tax_stamp: None,
        ..manifest()
    }
}

/// The header of the golden record, signed by a station key in a token (ECDSA P-256).
pub fn record_header() -> RecordHeader {
    RecordHeader {
        signature_algorithm: Some(crate::sealed::SignatureAlgorithm::EcdsaP256Sha256),
        ..record_header_ed25519()
    }
}

/// The golden record's header as stations wrote it before the header named its signature
/// algorithm: no `signature_algorithm`, which means Ed25519.
pub fn record_header_ed25519() -> RecordHeader {
    RecordHeader {
        record_id: RECORD_ID.into(),
        station_id: STATION_ID.into(),
        created_at: CREATED_AT.into(),
        suite: crate::sealed::SUITE.into(),
        central_key_id: CENTRAL_KEY_ID.into(),
        signature_algorithm: None,
    }
}

/// The receipt for the golden record, signed with [`RECEIPT_KEY_SEED`].
pub fn receipt() -> Receipt {
    Receipt {
        record_id: RECORD_ID.into(),
        sha256: "3b08f927b32ef1554f63e2dfa9b75f0936cc4a9a7b4f95074a7ab28673195ecc".into(),
        received_at: "2026-11-27T09:20:41Z".into(),
        signature: "30d259281dac4f0d2c43c6ff28f6bfd4a7dd2944d16b71eef2b2afbc99db7279fbc114a8ad32aa0ba25f468e582486cb66d5afea43d48f007ea28d81dcbd9e01".into(),
    }
}

/// The golden pre-request (accents, two parents, one appointment).
pub fn pre_request() -> PreRequest {
    PreRequest {
        number: PRE_REQUEST.into(),
        status: Status::Validated,
        document_type: DocumentType::CniAndPassport,
        reason: Reason::CivilStatusChange,
        applicant: Applicant {
            surname: "Dupont-Moretti".into(),
            given_names: "Gaëlle Renée".into(),
            birth_date: "1988-05-19".into(),
            birth_place: "Villeurbanne (69)".into(),
            sex: Sex::F,
            address: "27 cours Émile Zola, 69100 Villeurbanne".into(),
            parents: vec![
                Parent {
                    surname: "Thomas".into(),
                    given_names: "Nadia".into(),
                },
                Parent {
                    surname: "Dupont-Moretti".into(),
                    given_names: "Gérard".into(),
                },
            ],
            height_cm: Some(168),
            eye_colour: Some(crate::physical::EyeColour::Noisette),
        },
        appointments: vec![appointment()],
    }
}

fn appointment() -> Appointment {
    Appointment {
        meeting_point: "Mairie du 2e arrondissement de Lyon".into(),
        meeting_point_id: "69382-02".into(),
        appointment_date: "2026-12-01T09:00:00+01:00".into(),
        management_url: "https://rdv.mairie-lyon.example/rendez-vous/1000".into(),
    }
}

/// The golden status answer: the golden pre-request, and a number the service does not know.
pub fn status_answer() -> BTreeMap<String, StatusEntry> {
    BTreeMap::from([
        (
            PRE_REQUEST.to_owned(),
            StatusEntry {
                status: Status::Validated,
                appointments: vec![appointment()],
            },
        ),
        (
            "QQQQQQQQQQ".to_owned(),
            StatusEntry {
                status: Status::Unknown,
                appointments: Vec::new(),
            },
        ),
    ])
}

/// The golden error answer.
pub fn error_body() -> ErrorBody {
    ErrorBody::new("bad-signature", "the station signature does not verify")
}

/// The golden signature: two strokes with the pen's force, a loop then an underline, sampled every
/// 16 ms (a window's 60 Hz), every value computed with integers so that it is the same everywhere.
pub fn signature() -> crate::signature::Signature {
    use crate::signature::{PenSample, Signature};
    // A rough loop: 24 points around (300, 200) on a diamond-ish path with a drift to the right.
    let mut first = Vec::new();
    for i in 0..24u16 {
        let phase = i % 8;
        let (dx, dy): (i32, i32) = match phase {
            0 => (0, -80),
            1 => (56, -56),
            2 => (80, 0),
            3 => (56, 56),
            4 => (0, 80),
            5 => (-56, 56),
            6 => (-80, 0),
            _ => (-56, -56),
        };
        let x = 200 + i32::from(i) * 12 + dx;
        let y = 200 + dy;
        first.push(PenSample {
            x: u16::try_from(x).unwrap_or(0),
            y: u16::try_from(y).unwrap_or(0),
            t_ms: u32::from(i) * 16,
            pressure: Some(20_000 + i * 500),
        });
    }
    // An underline, slightly rising, 200 ms after the loop ends.
    let second = (0..10u16)
        .map(|i| PenSample {
            x: 150 + i * 50,
            y: 330 - i * 3,
            t_ms: 23 * 16 + 200 + u32::from(i) * 16,
            pressure: Some(30_000 - i * 1_000),
        })
        .collect();
    Signature {
        strokes: vec![first, second],
    }
}
