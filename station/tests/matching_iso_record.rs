//! The ISO/IEC 19794-2:2011 minutiae record (fingerprint/src/iso19794_2.rs): what is written reads back
//! to the same templates and scores, the central's independent reader accepts it, and no input
//! makes the reader panic.
#![allow(clippy::unwrap_used)]

use firmware_sim::synth::fingerprint::{Finger, Impression};
use proptest::prelude::*;
use station::checks::matching::{
    MATCH_THRESHOLD, Minutia, MinutiaKind, Template, compare, extract_image,
};
use station::record::{FingerImageForMinutiae, FingerMinutiaeRecord, FingerMinutiaeView};

fn sim_template(seed: u64, n: u32) -> Template {
    let image = Finger::from_seed(seed).impression(&Impression::from_seed(seed, n), 256, 288);
    extract_image(&image).unwrap()
}

#[test]
fn matching_record_round_trips_and_scores_the_same() {
    let right = sim_template(90_001, 0);
    let left = sim_template(90_002, 0);
    assert!(right.len() >= 20 && left.len() >= 20, "{right:?} {left:?}");
    let bytes = FingerMinutiaeRecord::encode(&[
        FingerMinutiaeView {
            position: 2,
            quality: 71,
            template: &right,
        },
        FingerMinutiaeView {
            position: 7,
            quality: 55,
            template: &left,
        },
    ])
    .unwrap();
    assert_eq!(&bytes[..8], b"FMR\x00030\x00");
    assert_eq!(
        u32::from_be_bytes(bytes[8..12].try_into().unwrap()) as usize,
        bytes.len()
    );

    let back = FingerMinutiaeRecord::parse(&bytes).unwrap();
    assert_eq!(back.len(), 2);
    assert_eq!((back[0].position, back[0].quality), (2, Some(71)));
    assert_eq!((back[1].position, back[1].quality), (7, Some(55)));
    assert_eq!(back[0].template, right);
    assert_eq!(back[1].template, left);

    // A later impression of the right index scores the same against the record as against the
    // template it was made from.
    let probe = sim_template(90_001, 2);
    assert_eq!(compare(&probe, &back[0].template), compare(&probe, &right));
    assert!(compare(&probe, &back[0].template) >= MATCH_THRESHOLD);

    // The central's own reader (written separately, from the same reference) agrees.
    let central = central::intake::iso19794_2::parse(&bytes).unwrap();
    assert_eq!(central.edition, 2011);
    assert_eq!(central.views.len(), 2);
    assert_eq!(central.views[0].position, 2);
    assert_eq!(central.views[0].minutiae, right.len());
    assert_eq!(central.views[1].minutiae, left.len());
}

#[test]
fn matching_record_has_both_minutia_kinds_and_bounded_fields() {
    let t = sim_template(90_003, 1);
    let endings = t
        .minutiae
        .iter()
        .filter(|m| m.kind == MinutiaKind::RidgeEnding)
        .count();
    let bifurcations = t
        .minutiae
        .iter()
        .filter(|m| m.kind == MinutiaKind::Bifurcation)
        .count();
    assert!(
        endings > 0 && bifurcations > 0,
        "{endings} / {bifurcations}"
    );
    assert_eq!((t.width, t.height, t.resolution_ppcm), (256, 288, 197));
    for m in &t.minutiae {
        assert!(m.x < 256 && m.y < 288 && m.quality <= 100, "{m:?}");
    }
}

#[test]
fn matching_encode_images_skips_unusable_images() {
    let usable = Finger::from_seed(90_004).impression(&Impression::from_seed(90_004, 0), 256, 288);
    let tiny = image::GrayImage::new(8, 8);
    let bytes = FingerMinutiaeRecord::encode_images(&[
        FingerImageForMinutiae {
            position: 2,
            quality: 60,
            image: &tiny,
        },
        FingerImageForMinutiae {
            position: 3,
            quality: 60,
            image: &usable,
        },
    ])
    .unwrap()
    .unwrap();
    let back = FingerMinutiaeRecord::parse(&bytes).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].position, 3);
    assert_eq!(
        FingerMinutiaeRecord::encode_images(&[FingerImageForMinutiae {
            position: 2,
            quality: 60,
            image: &tiny,
        }])
        .unwrap(),
        None
    );
}

#[test]
fn matching_record_refuses_what_it_cannot_state() {
    let too_many = Template {
        width: 256,
        height: 288,
        resolution_ppcm: 197,
        minutiae: vec![
            Minutia {
                x: 1,
                y: 1,
                angle: 0,
                kind: MinutiaKind::RidgeEnding,
                quality: 50,
            };
            256
        ],
    };
    let view = |template| FingerMinutiaeView {
        position: 2,
        quality: 50,
        template,
    };
    assert!(FingerMinutiaeRecord::encode(&[view(&too_many)]).is_err());
    assert!(FingerMinutiaeRecord::encode(&[]).is_err());
    let empty = Template {
        minutiae: Vec::new(),
        ..too_many.clone()
    };
    let bytes = FingerMinutiaeRecord::encode(&[view(&empty)]).unwrap();
    assert_eq!(
        FingerMinutiaeRecord::parse(&bytes).unwrap()[0].template,
        empty
    );
}

#[test]
fn matching_record_truncated_anywhere_is_refused() {
    let t = sim_template(90_005, 0);
    let bytes = FingerMinutiaeRecord::encode(&[FingerMinutiaeView {
        position: 4,
        quality: 80,
        template: &t,
    }])
    .unwrap();
    for len in 0..bytes.len() {
        assert!(
            FingerMinutiaeRecord::parse(&bytes[..len]).is_err(),
            "accepted {len} of {} bytes",
            bytes.len()
        );
    }
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(FingerMinutiaeRecord::parse(&longer).is_err());
}

proptest! {
    #[test]
    fn matching_record_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = FingerMinutiaeRecord::parse(&bytes);
    }

    #[test]
    fn matching_record_reader_never_panics_on_damaged_records(
        flips in proptest::collection::vec((0usize..2000, any::<u8>()), 1..8)
    ) {
        let t = Template {
            width: 256,
            height: 288,
            resolution_ppcm: 197,
            minutiae: (0..20u16)
                .map(|i| Minutia {
                    x: i * 11,
                    y: i * 13,
                    angle: (i * 37) as u8,
                    kind: if i % 2 == 0 { MinutiaKind::RidgeEnding } else { MinutiaKind::Bifurcation },
                    quality: (i * 5) as u8,
                })
                .collect(),
        };
        let mut bytes = FingerMinutiaeRecord::encode(&[FingerMinutiaeView {
            position: 2,
            quality: 50,
            template: &t,
        }])
        .unwrap();
        for (at, value) in flips {
            let len = bytes.len();
            bytes[at % len] = value;
        }
        let _ = FingerMinutiaeRecord::parse(&bytes);
    }

    #[test]
    fn matching_compare_never_panics_on_any_template(
        raw in proptest::collection::vec((0u16..300, 0u16..300, any::<u8>(), 0u8..3, 0u8..=100), 0..80)
    ) {
        let t = Template {
            width: 300,
            height: 300,
            resolution_ppcm: 197,
            minutiae: raw
                .iter()
                .map(|(x, y, angle, kind, quality)| Minutia {
                    x: *x,
                    y: *y,
                    angle: *angle,
                    kind: MinutiaKind::from_iso_code(*kind).unwrap(),
                    quality: *quality,
                })
                .collect(),
        };
        let score = compare(&t, &t);
        prop_assert!(t.len() >= 10 || score == 0);
    }
}
