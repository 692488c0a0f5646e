//! Accuracy of minutiae matching on simulator identities (issue 7, part 6): same seed, different
//! impressions = genuine pairs; different seeds = impostor pairs (firmware-sim's synth module).
//!
//! `cargo test -p station --test matching_accuracy -- --ignored --nocapture` runs the full
//! evaluation (200 fingers × 5 impressions, 256×288, a few minutes) and prints the table the
//! thresholds in `checks/matching/mod.rs` were calibrated on; the small version runs in CI.

use firmware_sim::synth::fingerprint::{Finger, Impression};
use station::checks::matching::{
    MATCH_THRESHOLD, SAME_FINGER_THRESHOLD, Template, compare, extract_image, same_finger,
};
use station::enrolment::FingerPosition;

/// Finger seeds start here: away from the seeds the quality tests use (1000+).
const FIRST_SEED: u64 = 70_000;
/// The ZFM sensor's image (firmware-sim SensorKind::Zfm256x288).
const WIDTH: u32 = 256;
const HEIGHT: u32 = 288;
/// Earlier fingers a new one is compared with in the same-finger check: the enrolment takes up to
/// six fingers, so the last is compared with five.
const EARLIER: usize = 5;

struct Evaluation {
    fingers: usize,
    impressions: usize,
    genuine: Vec<u32>,
    impostor: Vec<u32>,
    /// Per capture: the highest score against `EARLIER` other fingers (false alarms).
    same_finger_other: Vec<u32>,
    extract_ms: f64,
}

fn templates(fingers: u64, impressions: u32) -> (Vec<Vec<Template>>, f64) {
    let mut all = Vec::new();
    let mut extract_s = 0.0;
    for s in 0..fingers {
        let seed = FIRST_SEED + s;
        let finger = Finger::from_seed(seed);
        let mut of_finger = Vec::new();
        for i in 0..impressions {
            let image = finger.impression(&Impression::from_seed(seed, i), WIDTH, HEIGHT);
            let started = std::time::Instant::now();
            of_finger.push(extract_image(&image).expect("a simulator image is usable"));
            extract_s += started.elapsed().as_secs_f64();
        }
        all.push(of_finger);
    }
    let n = (fingers * u64::from(impressions)) as f64;
    (all, extract_s * 1000.0 / n)
}

fn evaluate(fingers: u64, impressions: u32) -> Evaluation {
    let (all, extract_ms) = templates(fingers, impressions);
    let mut genuine = Vec::new();
    for of_finger in &all {
        for j in 1..of_finger.len() {
            for i in 0..j {
                genuine.push(compare(&of_finger[j], &of_finger[i]));
            }
        }
    }
    // Impostors: the first impression of every finger against the second of every other finger.
    let mut impostor = Vec::new();
    for a in 0..all.len() {
        for b in 0..all.len() {
            if a < b {
                impostor.push(compare(&all[a][1], &all[b][0]));
            }
        }
    }
    // Same finger twice, the false-alarm side: each impression of a finger, taken as the new one,
    // against the first impression of the next EARLIER fingers (other identities).
    let mut same_finger_other = Vec::new();
    let earlier = EARLIER.min(all.len() - 1);
    for a in 0..all.len() {
        for new in &all[a] {
            let best = (1..=earlier)
                .map(|k| compare(new, &all[(a + k) % all.len()][0]))
                .max()
                .unwrap_or(0);
            same_finger_other.push(best);
        }
    }
    genuine.sort_unstable();
    impostor.sort_unstable();
    Evaluation {
        fingers: all.len(),
        impressions: impressions as usize,
        genuine,
        impostor,
        same_finger_other,
        extract_ms,
    }
}

fn rate(count: usize, of: usize) -> f64 {
    100.0 * count as f64 / of.max(1) as f64
}

impl Evaluation {
    fn fmr(&self, threshold: u32) -> f64 {
        rate(
            self.impostor.iter().filter(|s| **s >= threshold).count(),
            self.impostor.len(),
        )
    }
    fn fnmr(&self, threshold: u32) -> f64 {
        rate(
            self.genuine.iter().filter(|s| **s < threshold).count(),
            self.genuine.len(),
        )
    }
    /// The smallest threshold with FMR ≤ `target` %.
    fn threshold_at_fmr(&self, target: f64) -> u32 {
        (0..=u32::MAX)
            .find(|t| self.fmr(*t) <= target)
            .unwrap_or(u32::MAX)
    }
    fn catch_rate(&self) -> f64 {
        self.catch_rate_at(SAME_FINGER_THRESHOLD)
    }
    fn catch_rate_at(&self, threshold: u32) -> f64 {
        100.0 - self.fnmr(threshold)
    }
    fn false_alarm_rate(&self) -> f64 {
        self.false_alarm_rate_at(SAME_FINGER_THRESHOLD)
    }
    fn false_alarm_rate_at(&self, threshold: u32) -> f64 {
        let alarms = self
            .same_finger_other
            .iter()
            .filter(|s| **s >= threshold)
            .count();
        rate(alarms, self.same_finger_other.len())
    }

    fn print(&self) {
        let at_target = self.threshold_at_fmr(0.1);
        let pct = |v: &[u32], p: f64| v[((v.len() - 1) as f64 * p) as usize];
        println!(
            "{} fingers × {} impressions ({WIDTH}×{HEIGHT}): {} genuine, {} impostor pairs; \
             extraction {:.1} ms each",
            self.fingers,
            self.impressions,
            self.genuine.len(),
            self.impostor.len(),
            self.extract_ms
        );
        println!(
            "genuine scores: min {} p1 {} p5 {} median {}; impostor: median {} p99.9 {} max {}",
            self.genuine[0],
            pct(&self.genuine, 0.01),
            pct(&self.genuine, 0.05),
            pct(&self.genuine, 0.5),
            pct(&self.impostor, 0.5),
            pct(&self.impostor, 0.999),
            self.impostor[self.impostor.len() - 1]
        );
        println!("| measure | value | goal |");
        println!("|---|---|---|");
        println!(
            "| threshold at FMR 0.1 % (measured) | {at_target} | |\n\
             | FNMR at FMR 0.1 % | {:.2} % | ≤ 2 % |",
            self.fnmr(at_target)
        );
        println!(
            "| at MATCH_THRESHOLD = {MATCH_THRESHOLD}: FMR / FNMR | {:.3} % / {:.2} % | |",
            self.fmr(MATCH_THRESHOLD),
            self.fnmr(MATCH_THRESHOLD)
        );
        println!(
            "| same finger twice (threshold {SAME_FINGER_THRESHOLD}): catch rate | {:.2} % | ≥ 99 % |\n\
             | same finger twice: false alarms per new finger ({EARLIER} earlier) | {:.2} % | ≤ 0.5 % |",
            self.catch_rate(),
            self.false_alarm_rate()
        );
        println!(
            "same finger twice by threshold: threshold, catch rate, false alarms per new finger"
        );
        for threshold in [30, 40, 50, 55, 60, 64, 67, 71, 80] {
            println!(
                "  {threshold:3}  {:6.2} %  {:5.2} %",
                self.catch_rate_at(threshold),
                self.false_alarm_rate_at(threshold)
            );
        }
    }
}

/// The full evaluation. It checks the calibration (the false match and false alarm targets hold at
/// the thresholds) and guards the accuracy measured when they were set (FNMR 2.25 % at FMR 0.1 %,
/// catch rate 97.95 %, false alarms 0.30 %): the goals (FNMR ≤ 2 %, catch ≥ 99 %) are not
/// yet met, see checks/matching/mod.rs.
#[test]
#[ignore = "full evaluation: 200 fingers × 5 impressions, a few minutes"]
fn matching_accuracy_on_200_fingers() {
    let evaluation = evaluate(200, 5);
    evaluation.print();
    let at_target = evaluation.threshold_at_fmr(0.1);
    assert!(
        evaluation.fmr(MATCH_THRESHOLD) <= 0.1,
        "FMR at MATCH_THRESHOLD"
    );
    assert!(
        evaluation.false_alarm_rate() <= 0.5,
        "same-finger false alarms"
    );
    assert!(evaluation.fnmr(at_target) <= 2.5, "FNMR at FMR 0.1 %");
    assert!(evaluation.catch_rate() >= 97.0, "same-finger catch rate");
}

#[test]
fn matching_small_evaluation_separates_genuine_from_impostor() {
    let evaluation = evaluate(8, 3);
    evaluation.print();
    assert_eq!(evaluation.genuine.len(), 8 * 3);
    assert_eq!(evaluation.impostor.len(), 8 * 7 / 2);
    // Every genuine pair of these eight fingers clears the threshold, no impostor reaches it, and
    // the scores are far apart on average.
    assert!(
        evaluation.fnmr(MATCH_THRESHOLD) <= 5.0,
        "{:?}",
        evaluation.genuine
    );
    assert_eq!(
        evaluation.fmr(MATCH_THRESHOLD),
        0.0,
        "{:?}",
        evaluation.impostor
    );
    let median = |v: &[u32]| v[v.len() / 2];
    assert!(median(&evaluation.genuine) > 3 * median(&evaluation.impostor).max(1));
}

#[test]
fn matching_same_finger_names_the_earlier_position() {
    let (all, _) = templates(3, 2);
    let earlier = vec![
        (FingerPosition::RightIndex, all[0][0].clone()),
        (FingerPosition::RightMiddle, all[1][0].clone()),
    ];
    // A second impression of the right middle finger, presented again.
    let found = same_finger(&all[1][1], &earlier);
    let (position, score) = found.expect("the same finger is caught");
    assert_eq!(position, FingerPosition::RightMiddle);
    assert!(score >= SAME_FINGER_THRESHOLD);
    // A third, different finger is not taken for either.
    assert_eq!(same_finger(&all[2][1], &earlier), None);
    assert_eq!(same_finger(&all[2][1], &[]), None);
}
