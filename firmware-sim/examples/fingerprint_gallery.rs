//! Synthetic fingerprints for a look and a comparison with NIST's reference images.
//!
//! ```text
//! cargo run --release -p firmware-sim --example fingerprint_gallery -- gallery docs/images/fingerprints station/tests/data/quality
//! cargo run --release -p firmware-sim --example fingerprint_gallery -- dump DIR SEED...
//! cargo run --release -p firmware-sim --example fingerprint_gallery -- measure IMAGE...
//! cargo run --release -p firmware-sim --example fingerprint_gallery -- timing
//! cargo run --release -p firmware-sim --example fingerprint_gallery -- truth SEED [N|ideal] [W H]
//! ```
//!
//! `truth` prints the finger's ground-truth minutiae where they fall on that impression
//! (`x y angle kind`, image pixels), to compare with what an extractor finds.
//!
//! `gallery` writes `sensor-gallery.png` (three fingers, two impressions each, at the ZFM sensor's
//! 256 × 288) and `comparison-416x560.png` (an ideal impression of ours beside NIST's
//! SFinGe_Test01), and prints the measures of ours and NIST's as a Markdown table.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use firmware_sim::synth::fingerprint::{Finger, ImageMeasures, Impression};
use image::{GrayImage, imageops};

/// Fingers shown in the gallery: a whorl, a left loop and a right loop.
const GALLERY_SEEDS: [u64; 3] = [1, 3, 2];
const SENSOR: (u32, u32) = (256, 288);
const NIST_SIZE: (u32, u32) = (416, 560);
/// White gap between tiles, pixels.
const GAP: u32 = 8;

fn main() -> Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("gallery") => {
            let out = PathBuf::from(args.get(1).context("gallery OUT_DIR NIST_DIR")?);
            let nist = PathBuf::from(args.get(2).context("gallery OUT_DIR NIST_DIR")?);
            gallery(&out, &nist)
        }
        Some("dump") => {
            let dir = PathBuf::from(args.get(1).context("dump DIR SEED...")?);
            let seeds = args[2..]
                .iter()
                .map(|s| s.parse::<u64>())
                .collect::<Result<Vec<_>, _>>()?;
            dump(&dir, &seeds)
        }
        Some("measure") => {
            println!("{}", table_header());
            for path in &args[1..] {
                let image = image::open(path)
                    .with_context(|| format!("reading {path}"))?
                    .to_luma8();
                println!("{}", table_row(path, &ImageMeasures::of(&image)));
            }
            Ok(())
        }
        Some("timing") => timing(),
        Some("truth") => {
            let seed: u64 = args
                .get(1)
                .context("truth SEED IMPRESSION|ideal W H")?
                .parse()?;
            let conditions = match args.get(2).map(String::as_str) {
                Some("ideal") | None => Impression::ideal(),
                Some(n) => Impression::from_seed(seed, n.parse()?),
            };
            let w: u32 = args.get(3).map_or(Ok(416), |s| s.parse())?;
            let h: u32 = args.get(4).map_or(Ok(560), |s| s.parse())?;
            let finger = Finger::from_seed(seed);
            for m in finger.minutiae() {
                let (x, y) = finger.master_to_image(&conditions, w, h, m.x, m.y);
                if x >= 0.0 && y >= 0.0 && x < w as f32 && y < h as f32 {
                    println!("{x:.1} {y:.1} {:.3} {:?}", m.angle, m.kind);
                }
            }
            Ok(())
        }
        _ => bail!(
            "usage: fingerprint_gallery gallery OUT_DIR NIST_DIR | dump DIR SEED... | measure IMAGE... | timing"
        ),
    }
}

fn gallery(out: &Path, nist_dir: &Path) -> Result<()> {
    std::fs::create_dir_all(out)?;
    let (sw, sh) = SENSOR;
    let mut sensor = GrayImage::from_pixel(3 * sw + 2 * GAP, 2 * sh + GAP, image::Luma([255]));
    println!("{}", table_header());
    for (column, seed) in GALLERY_SEEDS.iter().enumerate() {
        let finger = Finger::from_seed(*seed);
        for impression in 0..2u32 {
            let conditions = Impression::from_seed(*seed, impression);
            let image = finger.impression(&conditions, sw, sh);
            let name = format!(
                "finger {seed} ({}), impression {impression}, {sw}×{sh}",
                finger.class().name()
            );
            println!("{}", table_row(&name, &ImageMeasures::of(&image)));
            imageops::replace(
                &mut sensor,
                &image,
                i64::from(column as u32 * (sw + GAP)),
                i64::from(impression * (sh + GAP)),
            );
        }
    }
    sensor.save(out.join("sensor-gallery.png"))?;

    let (nw, nh) = NIST_SIZE;
    let ours = Finger::from_seed(GALLERY_SEEDS[1]).impression(&Impression::ideal(), nw, nh);
    let reference = image::open(nist_dir.join("SFinGe_Test01.pgm"))
        .context("reading NIST's SFinGe_Test01.pgm")?
        .to_luma8();
    let mut comparison = GrayImage::from_pixel(2 * nw + GAP, nh, image::Luma([255]));
    imageops::replace(&mut comparison, &ours, 0, 0);
    imageops::replace(&mut comparison, &reference, i64::from(nw + GAP), 0);
    comparison.save(out.join("comparison-416x560.png"))?;
    println!(
        "{}",
        table_row(
            &format!("finger {} ideal, {nw}×{nh}", GALLERY_SEEDS[1]),
            &ImageMeasures::of(&ours)
        )
    );
    for n in 1..=5 {
        let path = nist_dir.join(format!("SFinGe_Test0{n}.pgm"));
        let image = image::open(&path)
            .with_context(|| format!("reading {}", path.display()))?
            .to_luma8();
        println!(
            "{}",
            table_row(&format!("NIST SFinGe_Test0{n}"), &ImageMeasures::of(&image))
        );
    }
    Ok(())
}

fn dump(dir: &Path, seeds: &[u64]) -> Result<()> {
    std::fs::create_dir_all(dir)?;
    for &seed in seeds {
        let started = Instant::now();
        let finger = Finger::from_seed(seed);
        let drawn = started.elapsed();
        finger
            .master_image()
            .save(dir.join(format!("f{seed}_master.png")))?;
        let mut impressions = vec![("ideal".to_string(), Impression::ideal())];
        impressions.extend((0..3).map(|n| (format!("i{n}"), Impression::from_seed(seed, n))));
        for (label, conditions) in &impressions {
            for (w, h) in [SENSOR, NIST_SIZE] {
                finger
                    .impression(conditions, w, h)
                    .save(dir.join(format!("f{seed}_{label}_{w}x{h}.png")))?;
            }
        }
        println!(
            "seed {seed}: {} with {} minutiae, drawn in {drawn:?}",
            finger.class().name(),
            finger.minutiae().len(),
        );
    }
    Ok(())
}

fn timing() -> Result<()> {
    let (sw, sh) = SENSOR;
    let mut identities = Vec::new();
    let mut impressions = Vec::new();
    // Seeds no one else uses, so the cache cannot help.
    for seed in 1_000_000..1_000_010u64 {
        let started = Instant::now();
        let finger = Finger::from_seed(seed);
        identities.push(started.elapsed().as_secs_f64() * 1e3);
        for n in 0..5 {
            let started = Instant::now();
            let image = finger.impression(&Impression::from_seed(seed, n), sw, sh);
            impressions.push(started.elapsed().as_secs_f64() * 1e3);
            std::hint::black_box(image);
        }
    }
    let median = |v: &mut Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    println!(
        "new identity: median {:.0} ms (max {:.0}); impression {sw}×{sh}: median {:.1} ms (max {:.1})",
        median(&mut identities),
        identities.iter().copied().fold(0.0, f64::max),
        median(&mut impressions),
        impressions.iter().copied().fold(0.0, f64::max),
    );
    Ok(())
}

fn table_header() -> String {
    "| image | ridge period (px) | contrast (p95−p5) | foreground (px) | foreground share | mean grey |\n|---|---|---|---|---|---|".to_string()
}

fn table_row(name: &str, m: &ImageMeasures) -> String {
    format!(
        "| {name} | {} | {:.0} | {} | {:.0} % | {:.0} |",
        m.ridge_period
            .map(|p| format!("{p:.2}"))
            .unwrap_or_else(|| "–".into()),
        m.contrast,
        m.foreground_pixels,
        100.0 * m.foreground_share,
        m.mean_grey
    )
}
