//! `station fingerprint match A B [--threshold T]`: the comparison score of two fingerprint images
//! (PNG or PGM, 500 ppi) and the decision at the threshold, for a technician checking the matcher.
//! Prints `score N` (0–1000), `seuil T` and `même doigt` or `doigts différents`, plus the minutiae
//! counts and the time taken.

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use crate::checks::{
    image_input,
    matching::{MATCH_THRESHOLD, Template, compare, extract_image},
};

/// Arguments of `station fingerprint match`.
#[derive(Debug, Clone, Args)]
pub struct MatchArgs {
    /// The print just taken (probe), PNG or PGM, 8-bit grey, 500 ppi.
    pub probe: PathBuf,
    /// The reference print.
    pub reference: PathBuf,
    /// Decision threshold (default: the calibrated one).
    #[arg(long, default_value_t = MATCH_THRESHOLD)]
    pub threshold: u32,
}

fn template_of(path: &Path) -> anyhow::Result<Template> {
    let bytes = std::fs::read(path).with_context(|| format!("lecture de {}", path.display()))?;
    let image = image_input::decode(&bytes, image_input::Kind::Print)
        .with_context(|| format!("lecture de {}", path.display()))?
        .into_luma8();
    extract_image(&image).with_context(|| format!("minuties de {}", path.display()))
}

/// Runs `station fingerprint match`.
pub fn run(args: &MatchArgs) -> anyhow::Result<()> {
    let started = Instant::now();
    let probe = template_of(&args.probe)?;
    let reference = template_of(&args.reference)?;
    let score = compare(&probe, &reference);
    let decision = if score >= args.threshold {
        "même doigt"
    } else {
        "doigts différents"
    };
    crate::outln!("score {score}");
    crate::outln!("seuil {}", args.threshold);
    crate::outln!("décision {decision}");
    crate::outln!(
        "minuties {} / {} ; {} ms",
        probe.len(),
        reference.len(),
        started.elapsed().as_millis()
    );
    Ok(())
}
