//! The central's parsers never panic, whatever the bytes, and refuse every truncation.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::common;

use central::intake::{iso19794_2, iso19794_4, iso19794_5, payload, sealed};
use proptest::prelude::*;

static FINGERS: std::sync::LazyLock<Vec<u8>> =
    std::sync::LazyLock::new(|| common::fir(&[(2, 300, 400), (7, 300, 400)]));
static FACE: std::sync::LazyLock<Vec<u8>> = std::sync::LazyLock::new(|| common::fac(480, 640));
static TAR: std::sync::LazyLock<Vec<u8>> =
    std::sync::LazyLock::new(|| common::PayloadSpec::new("s", "DEMO000001").tar());

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn sealed_framing_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        let _ = sealed::parse(&bytes);
        let mut with_magic = b"DRREC001".to_vec();
        with_magic.extend_from_slice(&bytes);
        let _ = sealed::parse(&with_magic);
    }

    #[test]
    fn finger_record_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = iso19794_4::parse(&bytes);
        let mut with_magic = b"FIR\x00010\x00".to_vec();
        with_magic.extend_from_slice(&bytes);
        let _ = iso19794_4::parse(&with_magic);
    }

    #[test]
    fn face_record_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = iso19794_5::parse(&bytes);
        let mut with_magic = b"FAC\x00010\x00".to_vec();
        with_magic.extend_from_slice(&bytes);
        let _ = iso19794_5::parse(&with_magic);
    }

    #[test]
    fn minutiae_parser_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = iso19794_2::parse(&bytes);
        for version in [&b" 20\x00"[..], &b"030\x00"[..]] {
            let mut with_magic = b"FMR\x00".to_vec();
            with_magic.extend_from_slice(version);
            with_magic.extend_from_slice(&((bytes.len() + 12) as u32).to_be_bytes());
            with_magic.extend_from_slice(&bytes);
            let _ = iso19794_2::parse(&with_magic);
        }
    }

    #[test]
    fn corrupted_minutiae_records_never_panic(at in 0usize..4096, value in any::<u8>()) {
        for record in [common::fmr_2011(&[2, 7], 12), common::fmr_2005(&[2, 7], 12)] {
            let mut r = record.clone();
            let i = at % r.len();
            r[i] = value;
            let result = iso19794_2::parse(&r);
            if (8..12).contains(&i) && value != record[i] {
                prop_assert!(result.is_err());
            }
        }
    }

    #[test]
    fn tar_reader_never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = payload::read_entries(&bytes);
    }

    /// Random single-byte corruptions of valid records: never a panic; a length byte changed is
    /// always refused.
    #[test]
    fn corrupted_valid_records_never_panic(at in 0usize..4096, value in any::<u8>()) {
        let fingers = &*FINGERS;
        let face = &*FACE;
        let mut f = fingers.clone();
        let i = at % f.len();
        f[i] = value;
        let result = iso19794_4::parse(&f);
        if (8..14).contains(&i) && value != fingers[i] {
            prop_assert!(result.is_err());
        }
        let mut c = face.clone();
        let j = at % c.len();
        c[j] = value;
        let result = iso19794_5::parse(&c);
        if (8..12).contains(&j) && value != face[j] {
            prop_assert!(result.is_err());
        }
        let mut t = TAR.clone();
        let k = at % t.len();
        t[k] = value;
        let _ = payload::read_entries(&t);
    }
}

#[test]
fn every_truncation_of_a_valid_record_is_refused() {
    let fingers = common::fir(&[(2, 300, 400), (7, 300, 400)]);
    assert!(iso19794_4::parse(&fingers).is_ok());
    for n in 0..fingers.len() {
        assert!(iso19794_4::parse(&fingers[..n]).is_err(), "FIR cut at {n}");
    }
    let face = common::fac(480, 640);
    assert!(iso19794_5::parse(&face).is_ok());
    for n in 0..face.len() {
        assert!(iso19794_5::parse(&face[..n]).is_err(), "FAC cut at {n}");
    }
}

#[test]
fn minutiae_records_of_both_editions_parse_and_truncations_are_refused() {
    for (record, edition) in [
        (common::fmr_2011(&[2, 7], 30), 2011),
        (common::fmr_2005(&[2, 7], 30), 2005),
    ] {
        let parsed = iso19794_2::parse(&record).unwrap();
        assert_eq!(parsed.edition, edition);
        assert_eq!(
            parsed
                .views
                .iter()
                .map(|v| (v.position, v.minutiae))
                .collect::<Vec<_>>(),
            vec![(2, 30), (7, 30)]
        );
        for n in 0..record.len() {
            assert!(
                iso19794_2::parse(&record[..n]).is_err(),
                "{edition} cut at {n}"
            );
        }
    }
    // A minutia outside the image, a reserved type, a duplicate representation.
    let mut outside = common::fmr_2011(&[2], 1);
    let x_at = outside.len() - 2 - 6;
    outside[x_at] = 0x7F;
    assert!(iso19794_2::parse(&outside).is_err());
    let mut reserved = common::fmr_2005(&[2], 1);
    let t_at = 24 + 4;
    reserved[t_at] |= 0xC0;
    assert!(iso19794_2::parse(&reserved).is_err());
    let twice = common::fmr_2005(&[2, 2], 1);
    assert!(iso19794_2::parse(&twice).is_err());
}

#[test]
fn parsed_fields_are_the_written_ones() {
    let record = iso19794_4::parse(&common::fir(&[(2, 300, 400), (7, 256, 360)])).unwrap();
    assert_eq!(record.views.len(), 2);
    assert_eq!(
        (
            record.views[0].position,
            record.views[0].width,
            record.views[0].height
        ),
        (2, 300, 400)
    );
    assert_eq!(
        (
            record.views[1].position,
            record.views[1].width,
            record.views[1].height
        ),
        (7, 256, 360)
    );
    assert_eq!(record.image_resolution, (500, 500));
    assert_eq!(record.compression, iso19794_4::COMPRESSION_PNG);
    let face = iso19794_5::parse(&common::fac(480, 640)).unwrap();
    assert_eq!((face.images[0].width, face.images[0].height), (480, 640));
}
