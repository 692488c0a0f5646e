//! `station fingerprint quality` output: one line per image, an error line for an unreadable file,
//! the others still scored.

use station::cli::fingerprint_quality::{QualityArgs, score_files};

#[test]
fn one_line_per_image_and_errors_do_not_stop_the_run() {
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("not-an-image.png");
    std::fs::write(&bad, b"this is not a png").expect("write");
    let good = std::path::PathBuf::from(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/quality/SFinGe_Test05.pgm"
    ));
    let blank = dir.path().join("blank.png");
    image::GrayImage::from_pixel(300, 300, image::Luma([255]))
        .save(&blank)
        .expect("save");
    let args = QualityArgs {
        files: vec![
            good.clone(),
            bad.clone(),
            blank.clone(),
            dir.path().join("missing.pgm"),
        ],
        english: false,
        json: false,
    };
    let mut out = Vec::new();
    let failed = score_files(&args, &mut out).expect("run");
    assert_eq!(failed, 2);
    let text = String::from_utf8(out).expect("utf8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 4, "{text}");
    let fields: Vec<&str> = lines[0].split('\t').collect();
    assert_eq!(fields[0], good.display().to_string());
    let score: u8 = fields[1].parse().expect("score");
    assert!((49..=65).contains(&score), "{score}");
    assert_eq!(fields[2], "ok");
    assert!(fields[3].ends_with(" ms"));
    assert!(lines[1].contains("erreur"), "{}", lines[1]);
    assert!(lines[2].contains("appuyez plus fort"), "{}", lines[2]);
    assert!(lines[3].contains("erreur"), "{}", lines[3]);
}

#[test]
fn station_binary_scores_and_fails_at_the_end_on_a_bad_file() {
    let good = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/data/quality/SFinGe_Test01.pgm"
    );
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_station"))
        // Test configurations live in temporary directories the test (and so the station) may write.
        .env(station::config::Mode::VARIABLE, "1")
        .args([
            "fingerprint",
            "quality",
            "--english",
            good,
            "/nonexistent/print.png",
        ])
        .output()
        .expect("run station");
    assert!(
        !out.status.success(),
        "a missing file must make the exit status non-zero"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{stdout}");
    assert!(lines[0].starts_with(good), "{}", lines[0]);
    assert!(lines[0].contains("\tok\t"), "{}", lines[0]);
    assert!(
        lines[1].starts_with("/nonexistent/print.png\terreur"),
        "{}",
        lines[1]
    );
}
