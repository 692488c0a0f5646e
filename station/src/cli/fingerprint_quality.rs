//! `station fingerprint quality FILE...`: the quality score of fingerprint images (PNG or PGM,
//! 500 ppi), one line per image: path, score 0–100, feedback for the clerk, time taken. An
//! unreadable file gets an error line; the others are still scored; the exit status is then
//! non-zero.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use crate::checks::{
    image_input,
    quality::{self, Language, QualityReport},
};

/// Arguments of `station fingerprint quality`.
#[derive(Debug, Clone, Args)]
pub struct QualityArgs {
    /// Fingerprint images (PNG or PGM, 8-bit grey, 500 ppi).
    #[arg(required = true)]
    pub files: Vec<PathBuf>,
    /// Feedback in English rather than French.
    #[arg(long)]
    pub english: bool,
    /// One JSON object per image with every native measure, instead of the text line.
    #[arg(long)]
    pub json: bool,
}

/// Scores every file, writing one line each to `out`; returns how many could not be scored.
pub fn score_files(args: &QualityArgs, out: &mut dyn Write) -> anyhow::Result<usize> {
    let language = if args.english {
        Language::English
    } else {
        Language::French
    };
    let mut failed = 0;
    for path in &args.files {
        let started = Instant::now();
        match load_and_assess(path) {
            Ok(report) => {
                let ms = started.elapsed().as_secs_f64() * 1e3;
                if args.json {
                    let line = serde_json::json!({
                        "path": path.display().to_string(),
                        "ms": ms,
                        "report": report,
                    });
                    writeln!(out, "{line}")?;
                } else {
                    writeln!(out, "{}", text_line(path, &report, ms, language))?;
                }
            }
            Err(error) => {
                failed += 1;
                tracing::debug!(path = %path.display(), "fingerprint image not scored");
                if args.json {
                    let line = serde_json::json!({"path": path.display().to_string(), "error": format!("{error:#}")});
                    writeln!(out, "{line}")?;
                } else {
                    writeln!(out, "{}\terreur : {error:#}", path.display())?;
                }
            }
        }
    }
    Ok(failed)
}

/// Runs the subcommand on stdout; an error when any file could not be scored.
pub fn run(args: &QualityArgs) -> anyhow::Result<()> {
    let stdout = std::io::stdout();
    let failed = score_files(args, &mut stdout.lock())?;
    if failed > 0 {
        anyhow::bail!("{failed} image(s) sur {} non évaluée(s)", args.files.len());
    }
    Ok(())
}

fn load_and_assess(path: &Path) -> anyhow::Result<QualityReport> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    let img = image_input::decode(&bytes, image_input::Kind::Print)
        .with_context(|| format!("{}", path.display()))?
        .into_luma8();
    Ok(quality::assess(&img)?)
}

/// `path<TAB>score<TAB>feedback<TAB>time`, feedback "ok" when there is none.
fn text_line(path: &Path, report: &QualityReport, ms: f64, language: Language) -> String {
    let feedback = if report.feedback.is_empty() {
        "ok".to_string()
    } else {
        report
            .feedback
            .iter()
            .map(|f| format!("{} [{}]", f.message(language), f.nist_name()))
            .collect::<Vec<_>>()
            .join(" ; ")
    };
    format!(
        "{}\t{}\t{}\t{:.1} ms",
        path.display(),
        report.score,
        feedback,
        ms
    )
}
