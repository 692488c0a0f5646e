//! Fingerprint quality speed: one 500-ppi image (NIST's SFinGe_Test01, 416 × 560) assessed on one
//! core, next to a baseline measured in the same run (a plain 3 × 3 box blur of the same image) so
//! that the ratio can be compared across machines. Goal: ≤ 35 ms.
//! Run: `cargo bench -p station --bench quality`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use image::GrayImage;
use station::checks::quality::assess;

fn box_blur_3x3(img: &GrayImage) -> GrayImage {
    let (w, h) = img.dimensions();
    let px = img.as_raw();
    let mut out = vec![0u8; px.len()];
    for y in 1..h as usize - 1 {
        for x in 1..w as usize - 1 {
            let mut s = 0u32;
            for dy in 0..3 {
                for dx in 0..3 {
                    s += u32::from(px[(y + dy - 1) * w as usize + x + dx - 1]);
                }
            }
            out[y * w as usize + x] = (s / 9) as u8;
        }
    }
    GrayImage::from_raw(w, h, out).unwrap_or_default()
}

/// CPU time this thread has run (Linux `/proc/thread-self/schedstat`, first field, ns): robust when
/// the machine is shared, unlike wall-clock time.
fn thread_cpu() -> Option<Duration> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(
        text.split_whitespace().next()?.parse().ok()?,
    ))
}

/// Medians of `runs` wall-clock and thread-CPU timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> (Duration, Option<Duration>) {
    let mut wall = Vec::with_capacity(runs);
    let mut cpu = Vec::with_capacity(runs);
    for _ in 0..runs {
        let (start, start_cpu) = (Instant::now(), thread_cpu());
        f();
        wall.push(start.elapsed());
        if let (Some(a), Some(b)) = (start_cpu, thread_cpu()) {
            cpu.push(b.saturating_sub(a));
        }
    }
    wall.sort();
    cpu.sort();
    (wall[runs / 2], (cpu.len() == runs).then(|| cpu[runs / 2]))
}

fn main() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/quality/SFinGe_Test01.pgm"
    );
    let img = image::open(path).expect("reference image").to_luma8();
    // Warm up caches and the allocator.
    for _ in 0..3 {
        black_box(assess(black_box(&img)).ok());
    }
    // 100 blurs a sample: long enough for the thread CPU clock, reported per blur.
    const BLURS: u32 = 100;
    let (wall, cpu_time) = median(21, || {
        for _ in 0..BLURS {
            black_box(box_blur_3x3(black_box(&img)));
        }
    });
    let baseline = (wall / BLURS, cpu_time.map(|c| c / BLURS));
    let quality = median(31, || {
        black_box(assess(black_box(&img)).ok());
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let cpu = |d: Option<Duration>| d.map_or("n/a".to_string(), |d| format!("{:.3} ms", ms(d)));
    println!(
        "image                     SFinGe_Test01 416x560, 500 ppi, one core (median wall | thread CPU)"
    );
    println!(
        "baseline 3x3 box blur     {:8.3} ms | {}",
        ms(baseline.0),
        cpu(baseline.1)
    );
    println!(
        "quality assess (NFIQ 2)   {:8.3} ms | {}   ({:.0}x baseline by CPU time; goal <= 35 ms)",
        ms(quality.0),
        cpu(quality.1),
        quality
            .1
            .zip(baseline.1)
            .map_or(ms(quality.0) / ms(baseline.0), |(q, b)| ms(q) / ms(b))
    );
}
