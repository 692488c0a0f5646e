//! The quality check on awkward inputs: actionable feedback on blank, uniform and tiny images,
//! sensor-sized images, and no panic on any size or content.

use image::GrayImage;
use proptest::prelude::*;
use station::checks::quality::{
    Feedback, Language, Measures, QualityError, QualityReport, VERSION, assess,
};

/// A very dry simulator impression (ridges broken into dashes, quality below 40) is told to the
/// clerk as a dry finger, not as a print too small; a normal impression of the same finger gets no
/// such advice.
#[test]
fn a_dry_finger_is_named_as_such() {
    use firmware_sim::synth::fingerprint::{Finger, Impression};
    let finger = Finger::from_seed(70_049);
    let dry = finger.impression(&Impression::from_seed(70_049, 0), 256, 288);
    let report = assess(&dry).expect("assess");
    assert!(report.score < 40, "score {}", report.score);
    assert!(
        matches!(report.feedback.first(), Some(Feedback::DryRidges { .. })),
        "{:?}",
        report.feedback
    );
    assert!(
        !report
            .feedback
            .iter()
            .any(|f| matches!(f, Feedback::SmallForeground { .. }))
    );
    assert!(
        report.feedback[0]
            .message(Language::French)
            .contains("trop sec")
    );
    assert!(
        report.feedback[0]
            .message(Language::English)
            .contains("too dry")
    );
    let normal = finger.impression(&Impression::from_seed(70_049, 1), 256, 288);
    let report = assess(&normal).expect("assess");
    assert!(
        !report
            .feedback
            .iter()
            .any(|f| matches!(f, Feedback::DryRidges { .. })),
        "{:?}",
        report.feedback
    );
}

#[test]
fn white_image_is_empty_or_too_faint() {
    let report = assess(&GrayImage::from_pixel(416, 560, image::Luma([255]))).expect("assess");
    assert_eq!(report.score, 0);
    assert!(
        report
            .feedback
            .iter()
            .any(|f| matches!(f, Feedback::EmptyImageOrContrastTooLow { .. })),
        "{:?}",
        report.feedback
    );
    let fr = report.feedback[0].message(Language::French);
    assert!(!fr.is_empty());
}

#[test]
fn uniform_grey_image_asks_to_clean_the_sensor() {
    let report = assess(&GrayImage::from_pixel(256, 288, image::Luma([128]))).expect("assess");
    assert_eq!(report.score, 0);
    let uniform = report
        .feedback
        .iter()
        .find(|f| matches!(f, Feedback::UniformImage { .. }))
        .expect("uniform feedback");
    assert!(
        uniform
            .message(Language::French)
            .contains("nettoyez le capteur")
    );
    assert!(
        uniform
            .message(Language::English)
            .contains("clean the sensor")
    );
}

#[test]
fn tiny_image_is_too_small() {
    let img = GrayImage::from_fn(64, 48, |x, y| {
        image::Luma([if (x + y) % 9 < 4 { 40 } else { 220 }])
    });
    let report = assess(&img).expect("assess");
    assert_eq!(report.score, 0);
    assert!(
        report
            .feedback
            .iter()
            .any(|f| matches!(f, Feedback::PrintTooSmall { .. })),
        "{:?}",
        report.feedback
    );
    assert!(
        report
            .feedback
            .iter()
            .any(|f| f.message(Language::French).contains("à plat au centre"))
    );
}

#[test]
fn ridges_without_minutiae_are_unusable() {
    // Concentric rings: a perfect ridge pattern with no minutia; NFIQ 2 scores it 0.
    let img = GrayImage::from_fn(416, 560, |x, y| {
        let (dx, dy) = (f64::from(x) - 208.0, f64::from(y) - 280.0);
        let r = (dx * dx + dy * dy).sqrt();
        image::Luma([(128.0 + 100.0 * (r * std::f64::consts::TAU / 9.0).cos()) as u8])
    });
    let report = assess(&img).expect("assess");
    assert!(
        report.score < 40,
        "score {} with {} minutiae",
        report.score,
        report.measures.minutiae_count
    );
}

#[test]
fn sensor_sized_crop_of_a_good_print_gets_a_score() {
    // The 256 × 288 ZFM sensor image: the centre of a NIST reference print.
    let full = image::open(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/quality/SFinGe_Test03.pgm"
    ))
    .expect("ref")
    .to_luma8();
    let crop = image::imageops::crop_imm(&full, 80, 136, 256, 288).to_image();
    let report = assess(&crop).expect("assess");
    assert!(
        report.measures.minutiae_count >= 5,
        "{:?}",
        report.measures.minutiae_count
    );
    assert!(
        report.score > 0,
        "score 0 with feedback {:?}",
        report.feedback
    );
}

#[test]
fn empty_and_huge_images_are_errors() {
    assert!(matches!(
        assess(&GrayImage::new(0, 10)),
        Err(QualityError::Empty { .. })
    ));
    assert!(matches!(
        assess(&GrayImage::new(5000, 1)),
        Err(QualityError::TooLarge { .. })
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, .. ProptestConfig::default() })]

    #[test]
    fn never_panics_on_random_bytes(w in 1u32..300, h in 1u32..300, seed in any::<u64>()) {
        let mut s = seed;
        let img = GrayImage::from_fn(w, h, |_, _| {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            image::Luma([(s >> 56) as u8])
        });
        let report = assess(&img).expect("any non-empty image within limits gets a report");
        prop_assert!(report.score <= 100);
    }

    #[test]
    fn never_panics_on_odd_shapes(w in 1u32..40, h in 1u32..700, v in any::<u8>()) {
        let img = GrayImage::from_fn(w, h, |x, y| image::Luma([v.wrapping_add((x * 7 + y * 3) as u8)]));
        prop_assert!(assess(&img).is_ok());
    }
}

/// A retry is always explained to the clerk: by the problem found, or, when no single measure
/// explains a low score (blurred, smudged or wet ridges), by a general advice.
#[test]
fn a_print_below_the_threshold_always_says_why() {
    let report = |score, feedback| QualityReport {
        score,
        version: VERSION,
        feedback,
        measures: Measures::default(),
    };
    let unexplained = report(22, Vec::new());
    let advice = unexplained.retry_advice(40, Language::French);
    assert_eq!(
        advice,
        Some(
            "Empreinte peu nette : essuyez le doigt et le capteur, puis posez le doigt bien à plat sans bouger."
        )
    );
    assert!(
        unexplained
            .retry_advice(40, Language::English)
            .is_some_and(|a| a.starts_with("Print unclear"))
    );
    let dry = report(
        22,
        vec![Feedback::DryRidges {
            foreground_mean: 200.0,
            clarity: 0.5,
        }],
    );
    assert!(
        dry.retry_advice(40, Language::French)
            .is_some_and(|a| a.contains("trop sec"))
    );
    assert_eq!(
        report(60, Vec::new()).retry_advice(40, Language::French),
        None
    );
    assert_eq!(
        report(60, vec![Feedback::SmallForeground { pixels: 40_000 }])
            .retry_advice(40, Language::French),
        None,
        "a usable print needs no advice"
    );
}
