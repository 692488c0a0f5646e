//! Draws synthetic fingerprints for a look: `cargo run --release -p firmware-sim --example
//! fingerprint_gallery -- dump DIR SEED...` writes master prints and impressions as PNG files.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use firmware_sim::synth::fingerprint::{Finger, Impression};

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("dump") => {
            let dir = PathBuf::from(args.get(1).context("dump DIR SEED...")?);
            std::fs::create_dir_all(&dir)?;
            for seed in &args[2..] {
                let seed: u64 = seed.parse()?;
                let started = Instant::now();
                let finger = Finger::from_seed(seed);
                let drawn = started.elapsed();
                finger
                    .master_image()
                    .save(dir.join(format!("f{seed}_master.png")))?;
                let started = Instant::now();
                let ideal = finger.impression(&Impression::ideal(), 416, 560);
                let rendered = started.elapsed();
                ideal.save(dir.join(format!("f{seed}_ideal_416x560.png")))?;
                finger
                    .impression(&Impression::ideal(), 256, 288)
                    .save(dir.join(format!("f{seed}_ideal_256x288.png")))?;
                for n in 0..2 {
                    finger
                        .impression(&Impression::from_seed(seed, n), 256, 288)
                        .save(dir.join(format!("f{seed}_i{n}_256x288.png")))?;
                    finger
                        .impression(&Impression::from_seed(seed, n), 416, 560)
                        .save(dir.join(format!("f{seed}_i{n}_416x560.png")))?;
                }
                println!(
                    "seed {seed}: {} minutiae {} drawn {:?} impression {:?}",
                    finger.class().name(),
                    finger.minutiae().len(),
                    drawn,
                    rendered
                );
            }
            Ok(())
        }
        _ => bail!("usage: fingerprint_gallery dump DIR SEED..."),
    }
}
