//! Photo compliance on one core: time to check a 640×480 camera frame, against the time to decode
//! that frame's JPEG measured in the same run (the baseline). Goal: ≤ 50 ms per photo.
//!
//! `cargo bench -p station --bench photo_check`

use std::time::{Duration, Instant};

use firmware_sim::synth::portrait::{Defects, Portrait};
use station::checks::photo;

fn main() {
    let frames: Vec<Vec<u8>> = (900_000..900_020u64)
        .map(|seed| {
            let frame = Portrait::from_seed(seed).render(&Defects::none(), 640, 480);
            let mut jpeg = Vec::new();
            let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85);
            frame.write_with_encoder(encoder).expect("encode");
            jpeg
        })
        .collect();
    let decoded: Vec<image::RgbImage> = frames
        .iter()
        .map(|j| image::load_from_memory(j).expect("decode").to_rgb8())
        .collect();
    let rounds = 5;
    let mut decode = Vec::new();
    let mut check = Vec::new();
    for _ in 0..rounds {
        for (jpeg, image) in frames.iter().zip(&decoded) {
            let t = Instant::now();
            std::hint::black_box(image::load_from_memory(jpeg).expect("decode"));
            decode.push(t.elapsed());
            let t = Instant::now();
            std::hint::black_box(photo::check(image).expect("check"));
            check.push(t.elapsed());
        }
    }
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[v.len() / 2]
    };
    let worst = check.iter().copied().max().unwrap_or_default();
    let (d, c) = (median(&mut decode), median(&mut check));
    println!("photo check, 640×480, one core, {} runs", check.len());
    println!(
        "  JPEG decode (baseline): median {:.1} ms",
        d.as_secs_f64() * 1e3
    );
    println!(
        "  compliance checks:      median {:.1} ms, worst {:.1} ms",
        c.as_secs_f64() * 1e3,
        worst.as_secs_f64() * 1e3
    );
    println!(
        "  ratio checks ÷ decode:  {:.2}",
        c.as_secs_f64() / d.as_secs_f64()
    );
    println!(
        "  goal ≤ 50 ms: {}",
        if c.as_secs_f64() <= 0.050 {
            "met"
        } else {
            "NOT met"
        }
    );
}
