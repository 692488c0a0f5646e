//! At confirm, the enrolment puts the minutiae of the kept finger images into the payload as
//! `fingers.iso19794-2`, in the order and positions of `fingers.iso19794-4`, and a later impression
//! of the same finger matches them.
#![allow(clippy::unwrap_used)]

use firmware_sim::synth::fingerprint::{Finger, Impression};
use station::checks::matching::{MATCH_THRESHOLD, compare, extract_image};
use station::enrolment::{Event, FingerImage, FingerPosition, Session, Step};
use station::record::{FingerImageRecord, FingerMinutiaeRecord, PayloadEntries};
use wire::fingerprint_storage::FingerprintStorage;

use crate::enrolment_support;
use enrolment_support::{loaded, photo, settings};

const LEFT_INDEX: u64 = 82_001;
const RIGHT_INDEX: u64 = 82_002;

fn impression(seed: u64, n: u32) -> image::GrayImage {
    Finger::from_seed(seed).impression(&Impression::from_seed(seed, n), 256, 288)
}

fn captured(quality: u8, seed: u64) -> Event {
    let image = impression(seed, 0);
    Event::FingerCaptured {
        quality,
        minutiae: 0,
        image: FingerImage {
            width: image.width(),
            height: image.height(),
            pixels: image.into_raw().into(),
        },
    }
}

#[test]
fn matching_minutiae_go_into_the_payload_at_confirm() {
    let mut session = Session::new(settings("2026-11-27"), 0);
    session.handle(loaded("1980-05-17"), 1_000).unwrap();
    session.handle(photo(true), 2_000).unwrap();
    session.handle(captured(70, LEFT_INDEX), 3_000).unwrap();
    assert_eq!(
        session.handle(captured(60, RIGHT_INDEX), 4_000).unwrap(),
        Step::Review
    );
    // The storage question (identity card with prints) is answered before the review is confirmed.
    if session.storage_question_asked() {
        session
            .answer_storage(FingerprintStorage::Kept)
            .expect("answered");
    }
    enrolment_support::sign_at_review(&mut session);
    let payload = session
        .confirm(
            "8d3c1f0e-8b1a-4c55-9f39-0a4f1c7f3b21",
            "2026-11-27T09:00:00Z",
            5_000,
        )
        .unwrap();
    let tar = payload.to_tar(1_795_770_000).unwrap();
    let entries = PayloadEntries::parse(&tar).unwrap();
    assert_eq!(
        entries.names,
        [
            "manifest.json",
            "fingers.iso19794-4",
            "face.iso19794-5",
            "fingers.iso19794-2",
            "signature.iso19794-7",
            "signature.png"
        ]
    );
    let images = FingerImageRecord::parse(entries.fingers.as_ref().unwrap()).unwrap();
    let minutiae = FingerMinutiaeRecord::parse(entries.minutiae.as_ref().unwrap()).unwrap();
    let image_positions: Vec<u8> = images.views.iter().map(|v| v.position).collect();
    let minutiae_positions: Vec<(u8, Option<u8>)> =
        minutiae.iter().map(|f| (f.position, f.quality)).collect();
    assert_eq!(image_positions, [7, 2]);
    assert_eq!(minutiae_positions, [(7, Some(70)), (2, Some(60))]);
    assert_eq!(FingerPosition::LeftIndex.iso_code(), minutiae[0].position);

    // The templates are those of the kept images: a later impression of each finger matches its
    // own and not the other.
    let left_later = extract_image(&impression(LEFT_INDEX, 2)).unwrap();
    let right_later = extract_image(&impression(RIGHT_INDEX, 2)).unwrap();
    assert!(compare(&left_later, &minutiae[0].template) >= MATCH_THRESHOLD);
    assert!(compare(&right_later, &minutiae[1].template) >= MATCH_THRESHOLD);
    assert!(compare(&left_later, &minutiae[1].template) < MATCH_THRESHOLD);

    // The central accepts the payload's minutiae record.
    let central = central::intake::iso19794_2::parse(entries.minutiae.as_ref().unwrap()).unwrap();
    assert_eq!(central.views.len(), 2);
}
