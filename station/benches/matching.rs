//! Minutiae extraction + one comparison on one core (goal: ≤ 40 ms), next to baselines
//! measured in the same run: the quality score of the same image (its own goal ≤ 35 ms), so the
//! ratio can be compared across machines, and NIST's BOZORTH3 on the same two templates (the
//! matcher the station used before MCC). Images: NIST's SFinGe_Test01 (416 × 560) and a simulator
//! impression from the ZFM sensor (256 × 288).
//! Run: `cargo bench -p station --bench matching`.

#[path = "../tests/bozorth_baseline/mod.rs"]
mod bozorth_baseline;

use std::hint::black_box;
use std::time::{Duration, Instant};

use firmware_sim::synth::fingerprint::{Finger, Impression};
use image::GrayImage;
use station::checks::matching::{compare, extract_image};
use station::checks::quality::assess;

/// CPU time this thread has run (Linux `/proc/thread-self/schedstat`, first field, ns): robust when
/// the machine is shared, unlike wall-clock time.
fn thread_cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(
        text.split_whitespace().next()?.parse().ok()?,
    ))
}

/// Median over `samples` samples of the thread-CPU time (wall time where the CPU clock is
/// unavailable) of one run of `f`. The CPU clock here ticks in 4 ms steps, so each sample times a
/// batch of runs lasting at least 200 ms and divides.
fn median(samples: usize, mut f: impl FnMut()) -> Duration {
    let started = Instant::now();
    f();
    let one = started.elapsed().max(Duration::from_micros(10));
    let batch = (Duration::from_millis(200).as_secs_f64() / one.as_secs_f64()).ceil() as u32;
    let batch = batch.max(1);
    let mut times = Vec::with_capacity(samples);
    for _ in 0..samples {
        let (start, start_cpu) = (Instant::now(), thread_cpu());
        for _ in 0..batch {
            f();
        }
        let spent = match (start_cpu, thread_cpu()) {
            (Some(a), Some(b)) => b.saturating_sub(a),
            _ => start.elapsed(),
        };
        times.push(spent / batch);
    }
    times.sort();
    times[samples / 2]
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn bench(name: &str, probe: &GrayImage, reference: &GrayImage) {
    let reference = extract_image(reference).expect("reference minutiae");
    for _ in 0..3 {
        black_box(assess(black_box(probe)).ok());
        black_box(extract_image(black_box(probe)).ok());
    }
    let baseline = median(9, || {
        black_box(assess(black_box(probe)).ok());
    });
    let extraction = median(9, || {
        black_box(extract_image(black_box(probe)).ok());
    });
    let template = extract_image(probe).expect("probe minutiae");
    let comparison = median(9, || {
        black_box(compare(black_box(&template), black_box(&reference)));
    });
    let (probe_xyt, reference_xyt) = (
        bozorth_baseline::as_xyt(&template),
        bozorth_baseline::as_xyt(&reference),
    );
    let bozorth = median(9, || {
        black_box(fprint_bozorth3::match_score(
            black_box(&probe_xyt),
            black_box(&reference_xyt),
        ));
    });
    let total = extraction + comparison;
    println!("{name} ({} minutiae; thread CPU, medians)", template.len());
    println!("  baseline: quality score   {:8.3} ms", ms(baseline));
    println!("  minutiae extraction       {:8.3} ms", ms(extraction));
    println!(
        "  one comparison (MCC)      {:8.3} ms   ({:.2}x BOZORTH3's {:.3} ms on the same templates)",
        ms(comparison),
        ms(comparison) / ms(bozorth).max(1e-9),
        ms(bozorth)
    );
    println!(
        "  extraction + comparison   {:8.3} ms   ({:.2}x the quality score; goal <= 40 ms)",
        ms(total),
        ms(total) / ms(baseline).max(1e-9)
    );
}

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/quality/SFinGe_Test01.pgm"
    );
    let nist = image::open(path).expect("reference image").to_luma8();
    bench("SFinGe_Test01 416x560", &nist, &nist);
    let finger = Finger::from_seed(70_001);
    let first = finger.impression(&Impression::from_seed(70_001, 0), 256, 288);
    let second = finger.impression(&Impression::from_seed(70_001, 1), 256, 288);
    bench("simulator 256x288", &second, &first);
}
