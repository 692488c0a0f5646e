//! Not a test: the tool that dumps our native measures as JSON lines for fitting and comparison
//! (`QUALITY_DUMP=path1:path2 cargo test -p station --release --test quality_dump -- --ignored --nocapture`).

use station::cli::fingerprint_quality::{QualityArgs, score_files};

#[test]
#[ignore = "a tool for refitting the model, run by hand"]
fn dump_measures() {
    let files: Vec<std::path::PathBuf> = std::env::var("QUALITY_DUMP")
        .unwrap_or_default()
        .split(':')
        .filter(|s| !s.is_empty())
        .map(Into::into)
        .collect();
    let args = QualityArgs {
        files,
        english: true,
        json: true,
    };
    let mut out = Vec::new();
    score_files(&args, &mut out).expect("dump");
    let target = std::env::var("QUALITY_DUMP_OUT").unwrap_or_else(|_| "/dev/stdout".into());
    std::fs::write(target, out).expect("write dump");
}
