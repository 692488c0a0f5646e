//! `station outbox waiting|approve|reject` as a process: behind the operator gate (PIN on standard
//! input), a supervisor only; a rejection needs a reason; each decision is audited with the
//! supervisor, the reason and the record.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;

use station::{
    config::{Mode, StationConfig},
    outbox::{
        Outbox, RecordState,
        review::{ExceptionKind, Exceptions, holds_sealed},
    },
    seal::SealedRecord,
};

use crate::signed_cli::{CLERK, SUPERVISOR, audited, run_str_with_pin, station_config};

/// Queues a sealed record with a paper photo, awaiting approval; returns its id.
fn waiting_record(config: &Path) -> String {
    let config = StationConfig::load_in(config, Mode::Development).unwrap();
    let outbox = Outbox::open(&config.outbox_path()).unwrap();
    let record = SealedRecord {
        record_id: uuid::Uuid::new_v4(),
        bytes: vec![7; 100],
    };
    let announcement = wire::announcement::RecordAnnouncement {
        record_id: record.record_id.to_string(),
        station_id: "mairie-cli-02".into(),
        sha256: record.sha256_hex(),
        pre_request: "DEMO000001".into(),
        sealed_at: "2026-12-07T09:00:00Z".into(),
        signature: String::new(),
    };
    let mut paper = Exceptions::default();
    paper.add(ExceptionKind::PaperPhoto);
    outbox
        .enqueue_for_review(&record, &announcement, &paper)
        .unwrap();
    record.record_id.to_string()
}

fn outbox(config: &Path) -> Outbox {
    let config = StationConfig::load_in(config, Mode::Development).unwrap();
    Outbox::open_read_only(&config.outbox_path()).unwrap()
}

fn decide(
    config: &Path,
    verb: &str,
    record: &str,
    who: (&str, &str),
    reason: Option<&str>,
) -> std::process::Output {
    let config = config.display().to_string();
    let mut args = vec![
        "outbox",
        "--config",
        &config,
        verb,
        record,
        "--operator",
        who.0,
    ];
    if let Some(reason) = reason {
        args.extend(["--reason", reason]);
    }
    run_str_with_pin(&args, who.1)
}

#[test]
fn only_a_supervisor_approves_or_rejects_from_the_command_line_with_a_reason_to_reject() {
    let dir = tempfile::tempdir().unwrap();
    let config = station_config(dir.path());
    let approved = waiting_record(&config);
    let rejected = waiting_record(&config);

    let out = run_str_with_pin(
        &[
            "outbox",
            "--config",
            &config.display().to_string(),
            "waiting",
        ],
        "",
    );
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{listed}");
    assert!(listed.contains(&approved) && listed.contains("exceptions=paper-photo"));
    assert!(!listed.contains("DEMO000001"), "no number in the listing");

    // A clerk's account is refused, and audited.
    let out = decide(&config, "approve", &approved, CLERK, None);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("ne peut pas lancer"));
    assert_eq!(audited(&config, "%command-refused%outbox approve%"), 1);
    // A wrong supervisor PIN too.
    let out = decide(
        &config,
        "approve",
        &approved,
        (SUPERVISOR.0, "000000"),
        None,
    );
    assert!(!out.status.success());
    assert_eq!(
        outbox(&config).record(&approved).unwrap().unwrap().state,
        RecordState::AwaitingApproval
    );

    let out = decide(
        &config,
        "approve",
        &approved,
        SUPERVISOR,
        Some("photo vérifiée"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("decision=approved supervisor=chef"));
    assert_eq!(
        outbox(&config).record(&approved).unwrap().unwrap().state,
        RecordState::Queued
    );
    // Decided once.
    let out = decide(&config, "reject", &approved, SUPERVISOR, Some("non"));
    assert!(!out.status.success());

    // No reason, no rejection (refused before the PIN is asked).
    let out = decide(&config, "reject", &rejected, SUPERVISOR, Some("  "));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("motif"));
    let out = decide(
        &config,
        "reject",
        &rejected,
        SUPERVISOR,
        Some("empreinte illisible"),
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("doit revenir"));
    let outbox = outbox(&config);
    assert_eq!(
        outbox.record(&rejected).unwrap().unwrap().state,
        RecordState::Rejected
    );
    assert!(!holds_sealed(&outbox, &rejected).unwrap());

    assert_eq!(
        audited(
            &config,
            &format!("%review-approved%{approved}%chef%photo vérifiée%")
        ),
        1
    );
    assert_eq!(
        audited(
            &config,
            &format!("%review-rejected%{rejected}%chef%empreinte illisible%")
        ),
        1
    );
}
