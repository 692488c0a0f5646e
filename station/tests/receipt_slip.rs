//! The applicant's receipt: the PDF is written, parses back with an independent reader (lopdf),
//! says what the receipt says (accents intact), holds no image; bad paths are clear errors; the
//! `station receipt` command reprints one from a real outbox on disk.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use crate::signed_cli;

use lopdf::{Document, Object};
use proptest::prelude::*;
use station::{
    desk::ReceiptView,
    language::Language,
    outbox::Outbox,
    receipt_slip::{SlipError, render_text, write_pdf},
    seal::SealedRecord,
    uplink::Receipt,
};

const RECORD_ID: &str = "6f1c2a4e-9b7d-4c3e-8a21-5d0f3b9e7c10";

fn receipt() -> ReceiptView {
    ReceiptView {
        pre_request: "AB12CD34EF".into(),
        case_reference: wire::case_reference::case_reference(RECORD_ID),
        record_id: RECORD_ID.into(),
        date: "27/11/2026 10:42".into(),
        town_hall: "Mairie de Saint-Étienne — Hôtel de ville".into(),
        captured: vec![
            "Photo prise à la mairie".into(),
            "Index gauche".into(),
            "Majeur droit (index droit : pansement)".into(),
        ],
        pdf: None,
        printed: None,
    }
}

/// Every page's text, as lopdf decodes it through the fonts' encoding.
fn pdf_text(path: &Path) -> (Document, String) {
    let doc = Document::load(path).expect("the receipt parses as PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    let text = doc.extract_text(&pages).expect("text extracts");
    (doc, text)
}

fn image_objects(doc: &Document) -> usize {
    doc.objects
        .values()
        .filter(|object| {
            let dict = match object {
                Object::Dictionary(d) => d,
                Object::Stream(s) => &s.dict,
                _ => return false,
            };
            let subtype_image = dict
                .get(b"Subtype")
                .and_then(Object::as_name)
                .is_ok_and(|n| n == b"Image");
            subtype_image || dict.has(b"XObject")
        })
        .count()
}

#[test]
fn french_receipt_parses_back_with_accents_and_no_image() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("récépissé.pdf");
    write_pdf(&receipt(), Language::French, &path).unwrap();

    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(bytes.len() < 20_000, "{} bytes", bytes.len());
    let (doc, text) = pdf_text(&path);
    assert_eq!(doc.get_pages().len(), 1);
    for expected in [
        "Récépissé de dépôt de demande",
        "Mairie de Saint-Étienne — Hôtel de ville",
        "AB12CD34EF",
        RECORD_ID,
        "27/11/2026 10:42",
        "N° de pré-demande",
        "Éléments recueillis",
        "Photo prise à la mairie",
        "Index gauche",
        "service national",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} missing from {text:?}"
        );
    }
    assert_eq!(image_objects(&doc), 0, "the receipt must hold no image");
    // Builtin Helvetica: nothing embedded.
    let embedded = doc.objects.values().any(|o| match o {
        Object::Dictionary(d) => d.has(b"FontFile") || d.has(b"FontFile2") || d.has(b"FontFile3"),
        _ => false,
    });
    assert!(!embedded);
    // Written whole: no partial file left beside it.
    let names: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert_eq!(names.len(), 1);
    keep_sample(&path, "receipt-fr.pdf");
}

/// With `RECEIPT_SLIP_SAMPLE_DIR` set, keeps a copy of the PDF there (to look at it, or for the
/// README's picture).
fn keep_sample(path: &Path, name: &str) {
    if let Some(dir) = std::env::var_os("RECEIPT_SLIP_SAMPLE_DIR") {
        std::fs::copy(path, Path::new(&dir).join(name)).unwrap();
    }
}

#[test]
fn english_receipt_is_in_english() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("receipt.pdf");
    write_pdf(&receipt(), Language::English, &path).unwrap();
    let (_, text) = pdf_text(&path);
    assert!(text.contains("Application receipt"), "{text}");
    assert!(text.contains("national service"), "{text}");
    assert!(!text.contains("Récépissé"), "{text}");
    assert!(text.contains("AB12CD34EF"));
    keep_sample(&path, "receipt-en.pdf");
}

#[test]
fn on_screen_text_says_what_the_pdf_says() {
    let text = render_text(&receipt(), Language::French);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Mairie de Saint-Étienne — Hôtel de ville");
    assert_eq!(lines[1], "Récépissé de dépôt de demande");
    assert!(text.contains("N° de pré-demande : AB12CD34EF"), "{text}");
    assert!(
        text.contains(&format!("N° de dossier : {RECORD_ID}")),
        "{text}"
    );
    let reference = wire::case_reference::case_reference(RECORD_ID);
    assert!(
        text.contains(&format!("Référence du dossier : {reference}")),
        "{text}"
    );
    assert!(text.contains("  - Index gauche"), "{text}");
    let pre_request = text.find("AB12CD34EF").unwrap();
    let captured = text.find("Index gauche").unwrap();
    let next = text.find("Et ensuite ?").unwrap();
    assert!(pre_request < captured && captured < next);
    let english = render_text(&receipt(), Language::English);
    assert!(
        english.contains("Pre-request no. : AB12CD34EF"),
        "{english}"
    );
}

#[test]
fn a_reprint_without_capture_detail_says_so() {
    let mut r = receipt();
    r.captured.clear();
    let text = render_text(&r, Language::French);
    assert!(
        text.contains("n'est plus conservé par la station"),
        "{text}"
    );
}

#[test]
fn bad_paths_are_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("no-such-folder").join("r.pdf");
    let error = write_pdf(&receipt(), Language::French, &missing).unwrap_err();
    assert!(matches!(error, SlipError::Write { .. }), "{error:?}");
    let message = error.to_string();
    assert!(message.contains("no-such-folder"), "{message}");
    assert!(
        message.contains("cannot write the receipt PDF"),
        "{message}"
    );

    // A folder's name: refused, the folder untouched.
    let error = write_pdf(&receipt(), Language::French, dir.path()).unwrap_err();
    assert!(matches!(error, SlipError::Write { .. }), "{error:?}");
    assert!(dir.path().is_dir());
    let error = write_pdf(&receipt(), Language::French, Path::new("/")).unwrap_err();
    assert!(matches!(error, SlipError::Write { .. }), "{error:?}");
}

#[test]
fn a_receipt_without_its_numbers_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    let mut r = receipt();
    r.pre_request = "  ".into();
    assert!(matches!(
        write_pdf(&r, Language::French, &path),
        Err(SlipError::Missing("pre-request number"))
    ));
    let mut r = receipt();
    r.record_id.clear();
    assert!(matches!(
        write_pdf(&r, Language::French, &path),
        Err(SlipError::Missing("record id"))
    ));
    assert!(!path.exists());
}

#[test]
fn a_long_receipt_runs_onto_more_pages_and_keeps_every_line() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("long.pdf");
    let mut r = receipt();
    r.captured = (1..=80)
        .map(|i| format!("Élément recueilli n° {i}"))
        .collect();
    r.town_hall = "Mairie ".repeat(40);
    write_pdf(&r, Language::French, &path).unwrap();
    let (doc, text) = pdf_text(&path);
    assert!(
        doc.get_pages().len() >= 2,
        "{} pages",
        doc.get_pages().len()
    );
    for i in 1..=80 {
        assert!(
            text.contains(&format!("Élément recueilli n° {i}")),
            "item {i}"
        );
    }
    assert!(text.contains("Conservez ce récépissé"));
    keep_sample(&path, "receipt-long.pdf");
}

#[test]
fn characters_outside_winansi_do_not_break_the_receipt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.pdf");
    let mut r = receipt();
    r.town_hall = "Mairie de Łódź 🙂\n(annexe)".into();
    write_pdf(&r, Language::French, &path).unwrap();
    let (_, text) = pdf_text(&path);
    assert!(text.contains("Mairie de ?ód? ? (annexe)"), "{text}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn any_text_gives_a_readable_pdf(
        town_hall in "\\PC{0,120}",
        captured in proptest::collection::vec("\\PC{0,60}", 0..6),
        date in "\\PC{0,30}",
    ) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("r.pdf");
        let mut r = receipt();
        r.town_hall = town_hall;
        r.captured = captured;
        r.date = date;
        let _ = render_text(&r, Language::French);
        write_pdf(&r, Language::French, &path).unwrap();
        let (doc, text) = pdf_text(&path);
        prop_assert!(text.contains("AB12CD34EF"));
        prop_assert_eq!(image_objects(&doc), 0);
    }
}

// ---- `station receipt`: reprint from a real outbox on disk ----

/// `station` with the time zone `tz` (the `TZ` variable), run by the clerk (PIN on standard input).
fn station_in_zone(tz: &str, args: &[&str]) -> std::process::Output {
    let args: Vec<&std::ffi::OsStr> = args.iter().map(std::ffi::OsStr::new).collect();
    signed_cli::run_with_pin_in(&args, signed_cli::CLERK.1, &[("TZ", tz)])
}

/// `station` run by the clerk (PIN on standard input).
fn station(args: &[&str]) -> std::process::Output {
    signed_cli::run_str_with_pin(args, signed_cli::CLERK.1)
}

fn queue(outbox: &Outbox, record_id: uuid::Uuid, pre_request: &str) -> SealedRecord {
    // The outbox stores sealed bytes as they come; the reprint never reads them.
    let record = SealedRecord {
        record_id,
        bytes: vec![0x5a; 64],
    };
    outbox.enqueue(&record, Some(pre_request)).unwrap();
    record
}

#[test]
fn station_receipt_reprints_from_the_outbox() {
    let dir = tempfile::tempdir().unwrap();
    let config = signed_cli::station_config(dir.path());
    let data = dir.path().join("station");
    let outbox = Outbox::open(&data.join("outbox.sqlite")).unwrap();
    // The station's secret, as the app gives it to its outbox.
    let loaded =
        station::config::StationConfig::load_in(&config, station::config::Mode::Development)
            .unwrap();
    let operators = station::operators::Operators::open_station(
        &loaded,
        station::operators::LockoutPolicy::default(),
    )
    .unwrap();
    outbox
        .hash_numbers_with(std::sync::Arc::new(operators.key()))
        .unwrap();
    let queued = uuid::Uuid::new_v4();
    let before = time::OffsetDateTime::now_utc();
    queue(&outbox, queued, "QX7Y2Z9W1K");
    let after = time::OffsetDateTime::now_utc();
    let acknowledged = uuid::Uuid::new_v4();
    let record = queue(&outbox, acknowledged, "ZZ99YY88XX");
    // Send the second one: claim both, put the first back, acknowledge the second.
    let claimed = outbox.claim_due(10).unwrap();
    assert_eq!(claimed.len(), 2);
    outbox
        .release_failed(&queued.to_string(), "test", 0)
        .unwrap();
    let central = Receipt {
        record_id: acknowledged.to_string(),
        sha256: record.sha256_hex(),
        received_at: "2026-11-27T10:45:00Z".into(),
        signature: "ab".repeat(64),
    };
    outbox
        .acknowledge(&acknowledged.to_string(), &central.to_json())
        .unwrap();

    let out = dir.path().join("reprint.pdf");
    let config_arg = config.to_str().unwrap();
    let out_arg = out.to_str().unwrap();
    let id = queued.to_string().to_uppercase();
    // The date is the station's local time: here a zone 5 h 30 ahead of UTC, without summer time
    // (a POSIX TZ rule, so no zone database is needed).
    let run = station_in_zone(
        "<+0530>-5:30",
        &[
            "receipt",
            "--record",
            &id,
            "--config",
            config_arg,
            "--operator",
            signed_cli::CLERK.0,
            "--out",
            out_arg,
            "--town-hall",
            "Mairie d'Évry-Courcouronnes",
        ],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("state=queued"), "{stdout}");
    let (doc, text) = pdf_text(&out);
    assert!(text.contains("QX7Y2Z9W1K"), "{text}");
    assert!(text.contains(&queued.to_string()), "{text}");
    assert!(text.contains("Mairie d'Évry-Courcouronnes"), "{text}");
    // dd/mm/yyyy hh:mm at an offset from UTC, as the receipt shows dates.
    let shown = |t: time::OffsetDateTime, offset: time::UtcOffset| {
        let t = t.to_offset(offset);
        format!(
            "{:02}/{:02}/{} {:02}:{:02}",
            t.day(),
            u8::from(t.month()),
            t.year(),
            t.hour(),
            t.minute()
        )
    };
    let local = |t| shown(t, time::macros::offset!(+5:30));
    assert!(
        text.contains(&local(before)) || text.contains(&local(after)),
        "{} in {text}",
        local(before)
    );
    // A time zone the machine cannot read: the receipt is still written, in UTC.
    let run = station_in_zone(
        "No/Such_Zone",
        &[
            "receipt",
            "--record",
            &id,
            "--config",
            config_arg,
            "--operator",
            signed_cli::CLERK.0,
            "--out",
            out_arg,
        ],
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (_, text) = pdf_text(&out);
    let utc = |t| shown(t, time::UtcOffset::UTC);
    assert!(
        text.contains(&utc(before)) || text.contains(&utc(after)),
        "{} in {text}",
        utc(before)
    );
    assert!(
        text.contains("n'est plus conservé par la station"),
        "{text}"
    );
    assert_eq!(image_objects(&doc), 0);

    // Once the central holds the file, the outbox keeps a keyed hash of its number, not the
    // number: the reprint asks for it, and checks it.
    let kept: Option<String> = rusqlite::Connection::open(data.join("outbox.sqlite"))
        .unwrap()
        .query_row(
            "SELECT pre_request FROM records WHERE record_id = ?1",
            [acknowledged.to_string()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(kept, None, "the number stays in clear after the receipt");
    let reprint_acknowledged = |number: Option<&str>| {
        let acknowledged = acknowledged.to_string();
        let mut args = vec![
            "receipt",
            "--record",
            &acknowledged,
            "--config",
            config_arg,
            "--operator",
            signed_cli::CLERK.0,
            "--out",
            out_arg,
            "--language",
            "en",
        ];
        if let Some(number) = number {
            args.extend(["--number", number]);
        }
        station(&args)
    };
    let without = reprint_acknowledged(None);
    assert!(!without.status.success());
    assert!(
        String::from_utf8_lossy(&without.stderr).contains("--number"),
        "{}",
        String::from_utf8_lossy(&without.stderr)
    );
    assert!(!reprint_acknowledged(Some("QX7Y2Z9W1K")).status.success());
    let run = reprint_acknowledged(Some("zz99yy88xx"));
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let stdout = String::from_utf8_lossy(&run.stdout);
    assert!(stdout.contains("state=acknowledged"), "{stdout}");
    assert!(
        stdout.contains("received_by_central_at=2026-11-27T10:45:00Z"),
        "{stdout}"
    );
    let (_, text) = pdf_text(&out);
    assert!(
        text.contains("ZZ99YY88XX") && text.contains("Application receipt"),
        "{text}"
    );
    // The reprint did not disturb the outbox (no recovery ran behind the station's back).
    assert_eq!(outbox.status().unwrap().acknowledged, 1);

    // The station closed (its WAL files removed at close): the reprint still reads the outbox.
    drop(outbox);
    std::fs::remove_file(&out).unwrap();
    let run = station(&[
        "receipt",
        "--record",
        &queued.to_string(),
        "--config",
        config_arg,
        "--operator",
        signed_cli::CLERK.0,
        "--out",
        out_arg,
    ]);
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let (_, text) = pdf_text(&out);
    assert!(text.contains("QX7Y2Z9W1K"), "{text}");
    // Each reprint is audited: who, what, which record.
    assert_eq!(
        signed_cli::audited(
            &config,
            &format!("%command-run%agent.martin%receipt%{queued}%")
        ),
        3
    );
    assert_eq!(
        signed_cli::audited(
            &config,
            &format!("%command-run%agent.martin%receipt%{acknowledged}%")
        ),
        3
    );
}

#[test]
fn station_receipt_refuses_unknown_records_and_missing_outboxes() {
    let dir = tempfile::tempdir().unwrap();
    let config = signed_cli::station_config(dir.path());
    let config_arg = config.to_str().unwrap();
    let data = dir.path().join("station");
    let out = dir.path().join("r.pdf");
    let out_arg = out.to_str().unwrap();
    let run = station(&[
        "receipt",
        "--record",
        RECORD_ID,
        "--config",
        config_arg,
        "--operator",
        signed_cli::CLERK.0,
        "--out",
        out_arg,
    ]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("no outbox at"), "{stderr}");

    let outbox = Outbox::open(&data.join("outbox.sqlite")).unwrap();
    queue(&outbox, uuid::Uuid::new_v4(), "AAAAAAAAAA");
    let run = station(&[
        "receipt",
        "--record",
        RECORD_ID,
        "--config",
        config_arg,
        "--operator",
        signed_cli::CLERK.0,
        "--out",
        out_arg,
    ]);
    assert!(!run.status.success());
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.contains("is not in the outbox"), "{stderr}");
    assert!(!out.exists());

    let run = station(&["receipt", "--record", RECORD_ID, "--out", out_arg]);
    assert!(!run.status.success());
    assert!(String::from_utf8_lossy(&run.stderr).contains("--config"));
}
