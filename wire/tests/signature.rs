//! The ISO/IEC 19794-7 signature record: written and read back, refused when malformed (never a
//! panic), and the shape rules that refuse a dot or a line.

use proptest::prelude::*;
use wire::signature::{
    PAD_WIDTH, PenSample, Refusal, Signature, SignatureEntry, assess, parse, write,
};

fn stroke(points: &[(u16, u16)], t0: u32, pressure: Option<u16>) -> Vec<PenSample> {
    points
        .iter()
        .enumerate()
        .map(|(i, (x, y))| PenSample {
            x: *x,
            y: *y,
            t_ms: t0 + 16 * u32::try_from(i).unwrap_or(0),
            pressure,
        })
        .collect()
}

/// A zigzag across the pad: a signature by every rule.
fn zigzag(pressure: Option<u16>) -> Signature {
    let points: Vec<(u16, u16)> = (0..30u16)
        .map(|i| (100 + i * 20, if i % 2 == 0 { 120 } else { 260 }))
        .collect();
    Signature {
        strokes: vec![stroke(&points, 0, pressure)],
    }
}

#[test]
fn a_signature_without_pressure_round_trips_without_the_force_channel() {
    let signature = zigzag(None);
    let bytes = write(&signature).expect("writes");
    let read = parse(&bytes).expect("reads");
    assert_eq!(read.signature, signature);
    assert_eq!(read.channel_names(), ["x", "y", "t", "s"]);
    assert!(!read.pressure);
    assert_eq!(read.points, 31, "30 pen-down samples and one pen-up mark");
    assert_eq!(&bytes[..8], b"SDI\0 10\0");
}

#[test]
fn several_strokes_come_back_as_drawn() {
    let mut signature = zigzag(Some(40_000));
    signature.strokes.push(stroke(
        &[(700, 300), (750, 310), (800, 320)],
        2_000,
        Some(10_000),
    ));
    let read = parse(&write(&signature).expect("writes")).expect("reads");
    assert_eq!(read.signature.strokes.len(), 2);
    assert_eq!(read.signature, signature);
}

#[test]
fn the_writer_refuses_what_the_record_cannot_hold() {
    assert!(write(&Signature::default()).is_err());
    let off_pad = Signature {
        strokes: vec![stroke(&[(PAD_WIDTH + 1, 10)], 0, None)],
    };
    assert!(write(&off_pad).is_err());
    let mut mixed = zigzag(None);
    mixed.strokes[0][3].pressure = Some(5);
    assert!(write(&mixed).is_err(), "pressure on some samples only");
    let long = Signature {
        strokes: vec![
            stroke(&[(10, 10)], 0, None),
            stroke(&[(20, 20)], 70_000, None),
        ],
    };
    assert!(write(&long).is_err(), "longer than the 16-bit time channel");
}

#[test]
fn malformed_records_are_refused_with_a_sentence() {
    let good = write(&zigzag(Some(1))).expect("writes");
    let mut cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty", Vec::new()),
        ("other format", [b"FIR\0".as_slice(), &good[4..]].concat()),
        (
            "2014 edition",
            [b"SDI\0".as_slice(), b"020\0", &good[8..]].concat(),
        ),
        ("truncated", good[..good.len() - 1].to_vec()),
        ("trailing byte", [good.as_slice(), &[0]].concat()),
    ];
    let mut no_xy = good.clone();
    no_xy[8] &= 0x3f;
    cases.push(("no x and y", no_xy));
    let mut extended = good.clone();
    // The body's optionality byte follows the five channel descriptions (5 + 5 + 3 + 5 + 5).
    extended[10 + 23] = 0x80;
    cases.push(("extended data", extended));
    for (what, bytes) in cases {
        let error = parse(&bytes).expect_err(what);
        assert!(
            error.to_string().starts_with("ISO/IEC 19794-7"),
            "{what}: {error}"
        );
    }
}

proptest! {
    #[test]
    fn any_bytes_give_a_record_or_an_error(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = parse(&bytes);
    }

    #[test]
    fn any_change_to_a_good_record_gives_a_record_or_an_error(at in 0usize..300, value: u8) {
        let mut bytes = write(&zigzag(Some(7))).expect("writes");
        let at = at % bytes.len();
        bytes[at] = value;
        let _ = parse(&bytes);
    }
}

#[test]
fn a_dot_a_line_a_scribble_and_nothing_are_refused() {
    assert_eq!(assess(&Signature::default()), Err(Refusal::Empty));
    let dot = Signature {
        strokes: vec![stroke(&[(500, 200); 40], 0, None)],
    };
    assert_eq!(assess(&dot), Err(Refusal::Dot));
    let line: Vec<(u16, u16)> = (0..40u16).map(|i| (100 + i * 20, 150 + i)).collect();
    assert_eq!(
        assess(&Signature {
            strokes: vec![stroke(&line, 0, None)]
        }),
        Err(Refusal::StraightLine)
    );
    let few = Signature {
        strokes: vec![stroke(&[(100, 100), (300, 300), (500, 100)], 0, None)],
    };
    assert_eq!(assess(&few), Err(Refusal::TooFewPoints));
    // A small hook: wide enough not to be a dot, but barely any ink.
    let tick: Vec<(u16, u16)> = (0..12u16)
        .map(|i| (400 + i * 5, 200 + (i % 2) * 3))
        .collect();
    assert_eq!(
        assess(&Signature {
            strokes: vec![stroke(&tick, 0, None)]
        }),
        Err(Refusal::TooShort)
    );
    assert_eq!(assess(&zigzag(None)), Ok(()));
    assert_eq!(assess(&wire::golden::signature()), Ok(()));
}

#[test]
fn the_manifest_entry_is_a_signature_or_an_exemption_never_both() {
    assert_eq!(SignatureEntry::signed(&zigzag(None)).check(), Ok(()));
    assert_eq!(SignatureEntry::under_12().check(), Ok(()));
    assert_eq!(SignatureEntry::cannot_sign("bras plâtré").check(), Ok(()));
    assert!(SignatureEntry::cannot_sign("  ").check().is_err());
    let both = SignatureEntry {
        exemption: Some("under-12".into()),
        ..SignatureEntry::signed(&zigzag(None))
    };
    assert!(both.check().is_err());
    assert!(SignatureEntry::default().check().is_err());
    let other = SignatureEntry {
        exemption: Some("refused".into()),
        ..SignatureEntry::default()
    };
    assert!(other.check().is_err());
}
