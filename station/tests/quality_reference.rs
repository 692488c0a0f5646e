//! The quality score and native measures against NIST's NFIQ 2 output on its five reference
//! images, and the usable/unusable verdict against NFIQ 2 on the held-out degraded images.

use crate::quality_support;

use std::collections::HashMap;

use quality_support::{REFERENCES, data_dir, degraded_where, load_reference, nist_scores};
use station::checks::quality::{Histogram, USABLE_THRESHOLD, assess};

/// NIST's values for one reference image (`<stem>_nfiq2.txt`).
fn nist_values(stem: &str) -> HashMap<String, f64> {
    let text =
        std::fs::read_to_string(data_dir().join(format!("{stem}_nfiq2.txt"))).expect("NIST output");
    text.lines()
        .filter_map(|l| l.split_once(": "))
        .map(|(k, v)| (k.to_string(), v.trim().parse().expect("number")))
        .collect()
}

fn assert_family(stem: &str, name: &str, ours: &Histogram, nist: &HashMap<String, f64>) {
    for (i, &count) in ours.bins.iter().enumerate() {
        let expected = nist[&format!("{name}_Bin10_{i}")];
        assert_eq!(f64::from(count), expected, "{stem} {name} bin {i}");
    }
    assert!(
        (ours.mean - nist[&format!("{name}_Bin10_Mean")]).abs() < 1e-4,
        "{stem} {name} mean {}",
        ours.mean
    );
    assert!(
        (ours.std_dev - nist[&format!("{name}_Bin10_StdDev")]).abs() < 1e-4,
        "{stem} {name} sd {}",
        ours.std_dev
    );
}

/// Within 10 points: the model fitted to NFIQ 2 on 668 images (scripts/quality-eval.sh) gives 54, 54,
/// 53, 55, 57 against NIST's 54, 45, 53, 52, 57. The stump model before it was within 7 here but
/// ranked the evaluation set unlike NFIQ 2 (held-out Spearman 0.63 against 0.78 now, mean error 12.1
/// points against 7.5).
#[test]
fn reference_scores_within_10_of_nfiq2() {
    for stem in REFERENCES {
        let nist = nist_values(stem);
        let report = assess(&load_reference(stem)).expect("assess");
        let expected = nist["UnifiedQualityScore"];
        let diff = (f64::from(report.score) - expected).abs();
        assert!(
            diff <= 10.0,
            "{stem}: ours {} NIST {expected}",
            report.score
        );
        assert!(
            report.feedback.is_empty(),
            "{stem}: unexpected feedback {:?}",
            report.feedback
        );
    }
}

#[test]
fn block_measure_families_equal_nfiq2() {
    // OCL, LCS, FDA, RVUP and OF follow NIST's code step by step: equal bins, mean and sd.
    for stem in REFERENCES {
        let nist = nist_values(stem);
        let m = assess(&load_reference(stem)).expect("assess").measures;
        assert_family(stem, "OCL", &m.ocl, &nist);
        assert_family(stem, "LCS", &m.lcs, &nist);
        assert_family(stem, "FDA", &m.fda, &nist);
        assert_family(stem, "RVUP", &m.rvup, &nist);
        assert_family(stem, "OF", &m.of, &nist);
    }
}

#[test]
fn image_and_foreground_measures_close_to_nfiq2() {
    let rel = |a: f64, b: f64| (a - b).abs() / b.abs().max(1e-9);
    for stem in REFERENCES {
        let nist = nist_values(stem);
        let m = assess(&load_reference(stem)).expect("assess").measures;
        assert!(rel(m.mean, nist["Mu"]) < 1e-4, "{stem} Mu");
        assert!(rel(m.mean_of_block_means, nist["MMB"]) < 1e-4, "{stem} MMB");
        assert!(rel(m.std_dev, nist["UniformImage"]) < 1e-4, "{stem} sigma");
        // Box-filter approximation of NIST's Gaussians: within 0.5 % and 1 %.
        assert!(
            rel(
                m.foreground_pixels as f64,
                nist["SufficientFingerprintForeground"]
            ) < 0.005,
            "{stem} ROI px"
        );
        assert!(
            rel(m.foreground_mean, nist["ImgProcROIArea_Mean"]) < 0.005,
            "{stem} ROI mean"
        );
        assert!(
            rel(
                m.coherence_sum,
                nist["OrientationMap_ROIFilter_CoherenceSum"]
            ) < 0.01,
            "{stem} coherence sum"
        );
        assert!(
            rel(
                m.coherence_rel,
                nist["OrientationMap_ROIFilter_CoherenceRel"]
            ) < 0.01,
            "{stem} coherence rel"
        );
        // Our own minutiae detector, not FingerJet: count within 20 %.
        assert!(
            rel(
                f64::from(m.minutiae_count),
                nist["FingerJetFX_MinutiaeCount"]
            ) < 0.2,
            "{stem} minutiae {}",
            m.minutiae_count
        );
    }
}

#[test]
fn held_out_verdicts_agree_with_nfiq2() {
    let nist: HashMap<String, (i32, String)> = {
        let text = std::fs::read_to_string(data_dir().join("degraded_nfiq2.csv")).expect("csv");
        text.lines()
            .filter(|l| l.starts_with("SFinGe"))
            .map(|l| {
                let f: Vec<&str> = l.split(',').collect();
                (
                    f[0].to_string(),
                    (f[1].parse().expect("score"), f[2].to_string()),
                )
            })
            .collect()
    };
    assert_eq!(nist.len(), nist_scores().len());
    let (mut total, mut agree) = (0, 0);
    let mut misses = Vec::new();
    for stem in REFERENCES {
        let held_out = |name: &str| nist.get(name).is_some_and(|(_, split)| split == "held-out");
        for (name, img) in degraded_where(stem, held_out) {
            let (score, _) = &nist[&name];
            let ours = assess(&img).expect("assess").score;
            total += 1;
            if (ours >= USABLE_THRESHOLD) == (*score >= i32::from(USABLE_THRESHOLD)) {
                agree += 1;
            } else {
                misses.push(format!("{name}: ours {ours}, NFIQ 2 {score}"));
            }
        }
    }
    assert!(total >= 50, "held-out set has {total} images");
    let rate = f64::from(agree) / f64::from(total);
    assert!(
        rate >= 0.90,
        "verdict agreement {agree}/{total}; misses: {misses:#?}"
    );
}
