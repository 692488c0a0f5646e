//! Accuracy of minutiae matching on simulator identities: same seed, different impressions =
//! genuine pairs; different seeds = impostor pairs (firmware-sim's synth module).
//!
//! `cargo test -p station --test matching_accuracy -- --ignored --nocapture` runs the full
//! evaluation (200 fingers × 5 impressions, 256×288, a few minutes) and prints the table the
//! thresholds in `fingerprint/src/lib.rs` were calibrated on; the small version runs in CI.

use crate::bozorth_baseline;

use firmware_sim::synth::fingerprint::{Finger, Impression};
use station::checks::matching::{
    MATCH_THRESHOLD, SAME_FINGER_THRESHOLD, Template, compare, extract_image, same_finger,
};
use station::checks::quality::assess;
use station::config::CounterSettings;
use station::enrolment::FingerPosition;

/// Finger seeds start here: away from the seeds the quality tests use (1000+). The thresholds in
/// the fingerprint crate were set on the 200 fingers from here.
const FIRST_SEED: u64 = 70_000;
/// 200 other fingers, never used to set a threshold: the figures reported for them are held out.
const HELD_OUT_SEED: u64 = 170_000;
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
    /// Genuine pairs whose two impressions both reach the counter's quality threshold: what the
    /// enrolment keeps without a below-threshold flag (it asks for another try otherwise).
    genuine_usable: Vec<u32>,
    /// Impressions below the quality threshold (the counter would ask for another try).
    below_quality: usize,
    impostor: Vec<u32>,
    /// Per capture: the highest score against `EARLIER` other fingers (false alarms).
    same_finger_other: Vec<u32>,
    extract_ms: f64,
    /// Time of each genuine and each impostor comparison, ms, ascending.
    genuine_ms: Vec<f64>,
    impostor_ms: Vec<f64>,
    /// NIST BOZORTH3 on the same templates and pairs: the matcher the station used before, as the
    /// baseline of this run.
    bozorth: Baseline,
}

/// BOZORTH3's scores on the same pairs, normalised as the station did (raw × 40² / (n·m)), and its
/// comparison times.
#[derive(Default)]
struct Baseline {
    genuine: Vec<f64>,
    impostor: Vec<f64>,
    same_finger_other: Vec<f64>,
    genuine_ms: Vec<f64>,
}

/// BOZORTH3's normalised score and its time in ms.
fn bozorth(probe: &Template, reference: &Template) -> (f64, f64) {
    let (p, r) = (
        bozorth_baseline::as_xyt(probe),
        bozorth_baseline::as_xyt(reference),
    );
    let started = std::time::Instant::now();
    let raw = fprint_bozorth3::match_score(&p, &r);
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    let counts = (p.len() as f64 * r.len() as f64).max(1.0);
    (f64::from(raw) * 1600.0 / counts, ms)
}

/// The score of `probe` against `reference`, and the time it took in ms.
fn timed_compare(probe: &Template, reference: &Template) -> (u32, f64) {
    let started = std::time::Instant::now();
    let score = compare(probe, reference);
    (score, started.elapsed().as_secs_f64() * 1000.0)
}

/// Each impression's template and quality score, and the mean extraction time.
type Templates = (Vec<Vec<(Template, u8)>>, f64);

fn templates(first_seed: u64, fingers: u64, impressions: u32) -> Templates {
    let mut all = Vec::new();
    let mut extract_s = 0.0;
    for s in 0..fingers {
        let seed = first_seed + s;
        let finger = Finger::from_seed(seed);
        let mut of_finger = Vec::new();
        for i in 0..impressions {
            let image = finger.impression(&Impression::from_seed(seed, i), WIDTH, HEIGHT);
            let started = std::time::Instant::now();
            let template = extract_image(&image).expect("a simulator image is usable");
            extract_s += started.elapsed().as_secs_f64();
            let quality = assess(&image).expect("a simulator image is scored").score;
            of_finger.push((template, quality));
        }
        all.push(of_finger);
    }
    let n = (fingers * u64::from(impressions)) as f64;
    (all, extract_s * 1000.0 / n)
}

fn evaluate(first_seed: u64, fingers: u64, impressions: u32) -> Evaluation {
    let (all, extract_ms) = templates(first_seed, fingers, impressions);
    let threshold = CounterSettings::default().quality_threshold;
    let below_quality = all.iter().flatten().filter(|(_, q)| *q < threshold).count();
    let mut genuine = Vec::new();
    let mut genuine_usable = Vec::new();
    let (mut genuine_ms, mut impostor_ms) = (Vec::new(), Vec::new());
    let mut baseline = Baseline::default();
    for of_finger in &all {
        for j in 1..of_finger.len() {
            for i in 0..j {
                let (score, ms) = timed_compare(&of_finger[j].0, &of_finger[i].0);
                genuine.push(score);
                genuine_ms.push(ms);
                let (score_b, ms_b) = bozorth(&of_finger[j].0, &of_finger[i].0);
                baseline.genuine.push(score_b);
                baseline.genuine_ms.push(ms_b);
                if of_finger[j].1 >= threshold && of_finger[i].1 >= threshold {
                    genuine_usable.push(score);
                }
            }
        }
    }
    // Impostors: the first impression of every finger against the second of every other finger.
    let mut impostor = Vec::new();
    for a in 0..all.len() {
        for b in 0..all.len() {
            if a < b {
                let (score, ms) = timed_compare(&all[a][1].0, &all[b][0].0);
                impostor.push(score);
                impostor_ms.push(ms);
                baseline
                    .impostor
                    .push(bozorth(&all[a][1].0, &all[b][0].0).0);
            }
        }
    }
    // Same finger twice, the false-alarm side: each impression of a finger, taken as the new one,
    // against the first impression of the next EARLIER fingers (other identities).
    let mut same_finger_other = Vec::new();
    let earlier = EARLIER.min(all.len() - 1);
    for a in 0..all.len() {
        for (new, _) in &all[a] {
            let best = (1..=earlier)
                .map(|k| compare(new, &all[(a + k) % all.len()][0].0))
                .max()
                .unwrap_or(0);
            same_finger_other.push(best);
            let best_b = (1..=earlier)
                .map(|k| bozorth(new, &all[(a + k) % all.len()][0].0).0)
                .fold(0.0, f64::max);
            baseline.same_finger_other.push(best_b);
        }
    }
    genuine.sort_unstable();
    genuine_usable.sort_unstable();
    impostor.sort_unstable();
    genuine_ms.sort_by(f64::total_cmp);
    impostor_ms.sort_by(f64::total_cmp);
    baseline.genuine_ms.sort_by(f64::total_cmp);
    Evaluation {
        fingers: all.len(),
        impressions: impressions as usize,
        genuine,
        genuine_usable,
        below_quality,
        impostor,
        same_finger_other,
        extract_ms,
        genuine_ms,
        impostor_ms,
        bozorth: baseline,
    }
}

/// FNMR at FMR 0.1 % and the same-finger catch rate at 0.5 % false alarms, each at the threshold
/// that reaches its target on these very pairs: a fair comparison of two matchers' scores.
fn at_targets(genuine: &[f64], impostor: &[f64], same_finger_other: &[f64]) -> (f64, f64) {
    let threshold = |others: &[f64], target: f64| {
        let mut sorted = others.to_vec();
        sorted.sort_by(f64::total_cmp);
        let allowed = (sorted.len() as f64 * target / 100.0).floor() as usize;
        sorted[sorted.len() - allowed - 1] + 1e-9
    };
    let below = |t: f64| rate(genuine.iter().filter(|s| **s < t).count(), genuine.len());
    (
        below(threshold(impostor, 0.1)),
        100.0 - below(threshold(same_finger_other, 0.5)),
    )
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
    /// FNMR over the genuine pairs whose impressions both reach the quality threshold.
    fn fnmr_usable(&self, threshold: u32) -> f64 {
        rate(
            self.genuine_usable
                .iter()
                .filter(|s| **s < threshold)
                .count(),
            self.genuine_usable.len(),
        )
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

    fn print(&self, label: &str) {
        use std::fmt::Write as _;
        let mut out = format!("{label}\n");
        let at_target = self.threshold_at_fmr(0.1);
        let pct = |v: &[u32], p: f64| v[((v.len() - 1) as f64 * p) as usize];
        let _ = writeln!(
            out,
            "{} fingers × {} impressions ({WIDTH}×{HEIGHT}): {} genuine, {} impostor pairs; \
             extraction {:.1} ms each",
            self.fingers,
            self.impressions,
            self.genuine.len(),
            self.impostor.len(),
            self.extract_ms
        );
        let _ = writeln!(
            out,
            "genuine scores: min {} p1 {} p5 {} median {}; impostor: median {} p99.9 {} max {}",
            self.genuine[0],
            pct(&self.genuine, 0.01),
            pct(&self.genuine, 0.05),
            pct(&self.genuine, 0.5),
            pct(&self.impostor, 0.5),
            pct(&self.impostor, 0.999),
            self.impostor[self.impostor.len() - 1]
        );
        let _ = writeln!(out, "| measure | value | goal |");
        let _ = writeln!(out, "|---|---|---|");
        let _ = writeln!(
            out,
            "| threshold at FMR 0.1 % (measured) | {at_target} | |\n\
             | FNMR at FMR 0.1 % | {:.2} % | ≤ 2 % |",
            self.fnmr(at_target)
        );
        let _ = writeln!(
            out,
            "| at MATCH_THRESHOLD = {MATCH_THRESHOLD}: FMR / FNMR | {:.3} % / {:.2} % | |",
            self.fmr(MATCH_THRESHOLD),
            self.fnmr(MATCH_THRESHOLD)
        );
        let _ = writeln!(
            out,
            "| same finger twice (threshold {SAME_FINGER_THRESHOLD}): catch rate | {:.2} % | ≥ 99 % |\n\
             | same finger twice: false alarms per new finger ({EARLIER} earlier) | {:.2} % | ≤ 0.5 % |",
            self.catch_rate(),
            self.false_alarm_rate()
        );
        let at = |v: &[f64], p: f64| v[((v.len() - 1) as f64 * p) as usize];
        let within = |v: &[f64]| {
            let budget = 40.0 - self.extract_ms;
            rate(v.iter().filter(|ms| **ms <= budget).count(), v.len())
        };
        for (name, times) in [
            ("genuine", &self.genuine_ms),
            ("impostor", &self.impostor_ms),
        ] {
            let _ = writeln!(
                out,
                "| one comparison, {name} pairs (wall clock): median / p90 / p99 / max | \
                 {:.1} / {:.1} / {:.1} / {:.1} ms | |\n\
                 | extraction + one comparison <= 40 ms, {name} pairs | {:.1} % | 100 % |",
                at(times, 0.5),
                at(times, 0.9),
                at(times, 0.99),
                at(times, 1.0),
                within(times)
            );
        }
        let as_f64 = |v: &[u32]| v.iter().map(|s| f64::from(*s)).collect::<Vec<_>>();
        let ours = at_targets(
            &as_f64(&self.genuine),
            &as_f64(&self.impostor),
            &as_f64(&self.same_finger_other),
        );
        let theirs = at_targets(
            &self.bozorth.genuine,
            &self.bozorth.impostor,
            &self.bozorth.same_finger_other,
        );
        let _ = writeln!(
            out,
            "| at thresholds set on these pairs: FNMR at FMR 0.1 % / catch rate at 0.5 % false \
             alarms — MCC (ours) | {:.2} % / {:.2} % | |\n\
             | the same, BOZORTH3 on the same templates (baseline) | {:.2} % / {:.2} % | |\n\
             | BOZORTH3 genuine comparisons: median / p90 / p99 / max | \
             {:.1} / {:.1} / {:.1} / {:.1} ms | |",
            ours.0,
            ours.1,
            theirs.0,
            theirs.1,
            at(&self.bozorth.genuine_ms, 0.5),
            at(&self.bozorth.genuine_ms, 0.9),
            at(&self.bozorth.genuine_ms, 0.99),
            at(&self.bozorth.genuine_ms, 1.0),
        );
        let quality = CounterSettings::default().quality_threshold;
        let _ = writeln!(
            out,
            "| impressions below quality {quality} (the counter asks for another try) | {} of {} ({:.1} %) | |",
            self.below_quality,
            self.fingers * self.impressions,
            rate(self.below_quality, self.fingers * self.impressions)
        );
        let _ = writeln!(
            out,
            "| both impressions at quality >= {quality} ({} genuine pairs): FNMR at FMR 0.1 % / \
             same-finger catch rate | {:.2} % / {:.2} % | |",
            self.genuine_usable.len(),
            self.fnmr_usable(at_target),
            100.0 - self.fnmr_usable(SAME_FINGER_THRESHOLD)
        );
        let _ = writeln!(out, "1:1 match by threshold: threshold, FMR, FNMR");
        for threshold in [48, 50, 52, 53, 54, 55, 56, 58, 60] {
            let _ = writeln!(
                out,
                "  {threshold:3}  {:6.3} %  {:5.2} %",
                self.fmr(threshold),
                self.fnmr(threshold)
            );
        }
        let _ = writeln!(
            out,
            "same finger twice by threshold: threshold, catch rate, false alarms per new finger"
        );
        for threshold in [40, 44, 46, 48, 50, 51, 52, 53, 54, 56, 60, 70] {
            let _ = writeln!(
                out,
                "  {threshold:3}  {:6.2} %  {:5.2} %   (both impressions usable: catch {:6.2} %)",
                self.catch_rate_at(threshold),
                self.false_alarm_rate_at(threshold),
                100.0 - self.fnmr_usable(threshold)
            );
        }
        print!("{out}");
    }
}

/// The full evaluation on the calibration set. It checks the calibration (the false match and
/// false alarm targets hold at the thresholds) and guards the accuracy measured when they were set
/// (FNMR 0.60 % at FMR 0.1 %, catch rate 99.40 %, false alarms 0.20 %); see fingerprint/src/lib.rs
/// for the goals and the held-out figures.
#[test]
#[ignore = "full evaluation: 200 fingers × 5 impressions, a few minutes"]
fn matching_accuracy_on_200_fingers() {
    let evaluation = evaluate(FIRST_SEED, 200, 5);
    evaluation.print("Calibration set (the thresholds were set on it)");
    let at_target = evaluation.threshold_at_fmr(0.1);
    assert!(
        evaluation.fmr(MATCH_THRESHOLD) <= 0.1,
        "FMR at MATCH_THRESHOLD"
    );
    assert!(
        evaluation.false_alarm_rate() <= 0.5,
        "same-finger false alarms"
    );
    assert!(evaluation.fnmr(at_target) <= 1.0, "FNMR at FMR 0.1 %");
    assert!(evaluation.catch_rate() >= 99.0, "same-finger catch rate");
}

/// The same evaluation on 200 fingers no threshold was set on: the figures to report. Bounds are
/// loose (a different sample), but a matcher or threshold that stopped generalising fails them.
#[test]
#[ignore = "full evaluation: 200 held-out fingers × 5 impressions, a few minutes"]
fn matching_accuracy_on_200_held_out_fingers() {
    let evaluation = evaluate(HELD_OUT_SEED, 200, 5);
    evaluation.print("Held-out set (no threshold set on it)");
    assert!(
        evaluation.fmr(MATCH_THRESHOLD) <= 0.2,
        "FMR at MATCH_THRESHOLD"
    );
    assert!(
        evaluation.false_alarm_rate() <= 1.0,
        "same-finger false alarms"
    );
    assert!(
        evaluation.fnmr(MATCH_THRESHOLD) <= 2.0,
        "FNMR at MATCH_THRESHOLD"
    );
    assert!(evaluation.catch_rate() >= 98.5, "same-finger catch rate");
}

#[test]
fn matching_small_evaluation_separates_genuine_from_impostor() {
    let evaluation = evaluate(FIRST_SEED, 8, 3);
    evaluation.print("8 fingers");
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
    let (all, _) = templates(FIRST_SEED, 3, 2);
    let earlier = vec![
        (FingerPosition::RightIndex, all[0][0].0.clone()),
        (FingerPosition::RightMiddle, all[1][0].0.clone()),
    ];
    // A second impression of the right middle finger, presented again.
    let found = same_finger(&all[1][1].0, &earlier);
    let (position, score) = found.expect("the same finger is caught");
    assert_eq!(position, FingerPosition::RightMiddle);
    assert!(score >= SAME_FINGER_THRESHOLD);
    // A third, different finger is not taken for either.
    assert_eq!(same_finger(&all[2][1].0, &earlier), None);
    assert_eq!(same_finger(&all[2][1].0, &[]), None);
}
