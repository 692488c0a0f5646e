//! The receipt sent to a CUPS queue through `lp`. CUPS is not ours: these tests put a stand-in
//! `lp` on the command line that keeps what it was given, and check what the station hands over
//! and how it takes each answer. `a_real_cups_queue_prints_the_receipt` (ignored: it needs a
//! running cupsd with a cups-pdf queue) does the same against the real print system.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::{os::unix::fs::PermissionsExt, path::Path, time::Duration};

use station::receipt_slip::printer::{PrintError, PrinterSettings, print};

/// Writes an executable shell script standing in for `lp`.
fn stand_in(dir: &Path, body: &str) -> String {
    let path = dir.join("lp");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path.display().to_string()
}

fn settings(command: String) -> PrinterSettings {
    PrinterSettings {
        queue: Some("Recepisses".into()),
        command: Some(command),
        spool_timeout_s: 2,
    }
}

const PDF: &[u8] = b"%PDF-1.7 a receipt\n%%EOF\n";

#[test]
fn the_pdf_goes_to_lp_on_its_input_with_queue_and_title() {
    let dir = tempfile::tempdir().unwrap();
    let kept = dir.path().join("kept");
    let command = stand_in(
        dir.path(),
        &format!(
            "printf '%s\\n' \"$@\" > {kept}.args\ncat > {kept}.pdf\necho 'request id is Recepisses-12 (1 file(s))'",
            kept = kept.display()
        ),
    );
    let job = print(
        &settings(command),
        "Recepisses",
        PDF,
        "Récépissé -t DEMO000001",
    )
    .unwrap();
    assert_eq!(job, "Recepisses-12");
    assert_eq!(std::fs::read(kept.with_extension("pdf")).unwrap(), PDF);
    let args = std::fs::read_to_string(kept.with_extension("args")).unwrap();
    assert_eq!(
        args.lines().collect::<Vec<_>>(),
        [
            "-d",
            "Recepisses",
            "-t",
            "Récépissé -t DEMO000001",
            "--",
            "-"
        ],
        "a title that looks like an option stays the title"
    );
}

#[test]
fn a_refused_job_says_what_cups_said() {
    let dir = tempfile::tempdir().unwrap();
    let command = stand_in(
        dir.path(),
        "cat > /dev/null\necho 'lp: The printer or class does not exist.' >&2\nexit 1",
    );
    match print(&settings(command), "Recepisses", PDF, "t") {
        Err(PrintError::Refused(message)) => {
            assert_eq!(message, "lp: The printer or class does not exist.")
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn no_lp_installed_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-lp").display().to_string();
    match print(&settings(missing), "Recepisses", PDF, "t") {
        Err(e @ PrintError::Start { .. }) => assert!(e.to_string().contains("no-such-lp")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_stalled_print_system_does_not_hold_the_counter() {
    let dir = tempfile::tempdir().unwrap();
    let command = stand_in(dir.path(), "exec sleep 30");
    let started = std::time::Instant::now();
    match print(&settings(command), "Recepisses", PDF, "t") {
        Err(PrintError::Timeout(waited)) => assert_eq!(waited, Duration::from_secs(2)),
        other => panic!("{other:?}"),
    }
    assert!(started.elapsed() < Duration::from_secs(20));
}

/// Needs cupsd running with a cups-pdf queue named `PDF` (Debian: `cups-daemon`,
/// `printer-driver-cups-pdf`, then `lpadmin -p PDF -v cups-pdf:/ -E -m lsb/usr/cups-pdf/CUPS-PDF_opt.ppd`);
/// cups-pdf writes each job as a PDF under `/var/spool/cups-pdf/`.
#[test]
#[ignore = "needs a running CUPS with a cups-pdf queue named PDF"]
fn a_real_cups_queue_prints_the_receipt() {
    let receipt = station::desk::ReceiptView {
        pre_request: "DEMO000001".into(),
        record_id: "0b7f3c52-8a51-4c1e-9d0a-3f6b2e1c4d5a".into(),
        case_reference: wire::case_reference::case_reference(
            "0b7f3c52-8a51-4c1e-9d0a-3f6b2e1c4d5a",
        ),
        date: "07/12/2026 10:42".into(),
        town_hall: "Mairie de test".into(),
        captured: vec!["Index gauche".into()],
        pdf: None,
        printed: None,
    };
    let pdf =
        station::receipt_slip::render_pdf(&receipt, station::language::Language::French).unwrap();
    let settings = PrinterSettings {
        queue: Some("PDF".into()),
        ..PrinterSettings::default()
    };
    let job = print(&settings, "PDF", &pdf, "Récépissé test").unwrap();
    assert!(job.starts_with("PDF-"), "{job}");
    // The job leaves the queue once printed.
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    loop {
        let queued = std::process::Command::new("lpstat")
            .args(["-o", "PDF"])
            .output()
            .unwrap();
        if !String::from_utf8_lossy(&queued.stdout).contains(&job) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{job} still queued");
        std::thread::sleep(Duration::from_millis(200));
    }
}
