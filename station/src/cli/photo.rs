//! `station photo check FILE.jpg`: runs the photo compliance checks on a file and prints each check's
//! value, limit and verdict, then the overall verdict. Exit status: 0 compliant, 1 not compliant,
//! 2 unreadable input.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};

use crate::checks::photo::{self, Language};

/// `station photo …`
#[derive(Debug, Args)]
pub struct PhotoArgs {
    /// What to do with the photo.
    #[command(subcommand)]
    pub command: PhotoCommand,
}

/// The photo subcommands.
#[derive(Debug, Subcommand)]
pub enum PhotoCommand {
    /// Check a photo against the ID photo rules (exit 0 compliant, 1 not compliant, 2 unreadable).
    Check {
        /// The photo (JPEG, PNG or PNM), a landscape camera frame such as 640×480.
        file: PathBuf,
        /// Language of the texts.
        #[arg(long, value_enum, default_value_t = Lang::Fr)]
        lang: Lang,
        /// Also write the 35×45 mm portrait (413×531 JPEG) here when the photo is compliant.
        #[arg(long)]
        portrait: Option<PathBuf>,
    },
}

/// Text language on the command line.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Lang {
    /// Français.
    Fr,
    /// English.
    En,
}

/// Runs `station photo …` and returns the exit status.
pub fn run(args: &PhotoArgs) -> ExitCode {
    ExitCode::from(status(args))
}

/// Runs `station photo …` and returns the exit status as a number (0 compliant, 1 not, 2 unreadable).
pub fn status(args: &PhotoArgs) -> u8 {
    match &args.command {
        PhotoCommand::Check {
            file,
            lang,
            portrait,
        } => check(file, *lang, portrait.as_ref()),
    }
}

fn check(file: &PathBuf, lang: Lang, portrait_out: Option<&PathBuf>) -> u8 {
    let language = match lang {
        Lang::Fr => Language::French,
        Lang::En => Language::English,
    };
    let french = language == Language::French;
    let bytes = match std::fs::read(file) {
        Ok(bytes) => bytes,
        Err(error) => {
            if french {
                eprintln!("erreur : impossible de lire {} : {error}", file.display());
            } else {
                eprintln!("error: cannot read {}: {error}", file.display());
            }
            return 2;
        }
    };
    let started = std::time::Instant::now();
    let (image, report) = match photo::check_encoded(&bytes) {
        Ok(checked) => checked,
        Err(photo::PhotoError::Input(error)) if error.is_incomplete() => {
            // A cut-off photo decodes with a grey band; it is not the applicant's photo.
            if french {
                eprintln!(
                    "erreur : photo incomplète : {} s'arrête avant la fin de l'image ({error}) ; reprenez la photo.",
                    file.display()
                );
            } else {
                eprintln!(
                    "error: incomplete photo: {} stops before the end of the image ({error}); take the photo again.",
                    file.display()
                );
            }
            return 2;
        }
        Err(error) => {
            if french {
                eprintln!(
                    "erreur : {} n'est pas une photo lisible ({error})",
                    file.display()
                );
            } else {
                eprintln!(
                    "error: {} is not a readable photo ({error})",
                    file.display()
                );
            }
            return 2;
        }
    };
    let elapsed = started.elapsed();
    crate::outln!("{} ({}×{})", file.display(), report.width, report.height);
    let (pass, fail) = if french {
        ("conforme", "NON CONFORME")
    } else {
        ("pass", "FAIL")
    };
    for check in &report.checks {
        let value = check
            .value
            .map_or_else(|| "—".to_string(), |v| format!("{v}"));
        crate::outln!(
            "  {:<22} {:>8} {:<22} limite {:<12} {}",
            check.id.label(language),
            value,
            check.unit,
            check.limit.to_string(),
            if check.passed { pass } else { fail }
        );
        if let Some(reason) = check.reason(language) {
            crate::outln!("      → {reason}");
        }
    }
    crate::outln!("  ({} ms)", elapsed.as_millis());
    if report.compliant() {
        crate::outln!(
            "{}",
            if french {
                "Photo conforme."
            } else {
                "Photo compliant."
            }
        );
        if let Some(out) = portrait_out {
            let written = photo::portrait(&image, &report)
                .map_err(anyhow::Error::from)
                .and_then(|p| Ok(photo::portrait_jpeg(&p)?))
                .and_then(|jpeg| Ok(crate::files::write_private(out, &jpeg)?));
            if let Err(error) = written {
                eprintln!("erreur : portrait non écrit ({error:#})");
                return 2;
            }
            crate::outln!("portrait 35×45 mm : {}", out.display());
        }
        0
    } else {
        let count = report.failures().count();
        if french {
            crate::outln!("Photo NON CONFORME ({count} point(s) à corriger).");
        } else {
            crate::outln!("Photo NOT compliant ({count} issue(s) to fix).");
        }
        1
    }
}
