//! Fingerprint quality speed: one 500-ppi image (NIST's SFinGe_Test01, 416 × 560) assessed on one
//! core, next to a baseline measured in the same run (a plain 3 × 3 box blur of the same image) so
//! that the ratio can be compared across machines. Goal: ≤ 35 ms (issue 7).
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

/// Median of `runs` timings of `f`.
fn median(runs: usize, mut f: impl FnMut()) -> Duration {
    let mut t: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    t.sort();
    t[runs / 2]
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
    let baseline = median(101, || {
        black_box(box_blur_3x3(black_box(&img)));
    });
    let quality = median(31, || {
        black_box(assess(black_box(&img)).ok());
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("image                     SFinGe_Test01 416x560, 500 ppi, one core");
    println!("baseline 3x3 box blur     {:8.3} ms", ms(baseline));
    println!(
        "quality assess (NFIQ 2)   {:8.3} ms   ({:.1}x baseline, goal <= 35 ms)",
        ms(quality),
        ms(quality) / ms(baseline)
    );
}
