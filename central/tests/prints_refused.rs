//! The refusal of fingerprint storage at the central: a refused record gets a deletion date, the
//! purge deletes its prints (record entries and handover templates) once the date has passed and
//! keeps the rest, leaves a record that kept storage alone, and logs what it deleted; an answer on
//! a record where the question is not asked is refused.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use crate::common;

use central::prints::{CardEvent, PrintsSchedule, remainder};
use central::templates::TemplateStore;
use central::templates::sealing::TemplateKey;
use common::*;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

fn sent(
    central: &central::RunningCentral,
    station: &TestStation,
    spec: &PayloadSpec,
) -> (Answer, Vec<u8>) {
    let record = seal(spec, station, central.public_keys());
    (put_record(&central.url(), &spec.record_id, &record), record)
}

fn stored(dir: &std::path::Path, record_id: &str) -> Vec<u8> {
    std::fs::read(dir.join("records").join(format!("{record_id}.drrec"))).unwrap()
}

fn purge(dir: &std::path::Path, now: OffsetDateTime) -> Vec<String> {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime
        .block_on(central::prints::purge::purge_data_dir(
            dir,
            &database_for(dir),
            now,
        ))
        .unwrap()
        .purged
}

fn at(text: &str) -> OffsetDateTime {
    OffsetDateTime::parse(text, &Rfc3339).unwrap()
}

#[test]
fn refused_prints_go_the_day_after_their_date_and_the_rest_of_the_record_stays() {
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    let mut refused = PayloadSpec::new(&station.id, "DEMO000001");
    refused.fingerprint_storage = Some("refused".into());
    let (answer, _) = sent(&central, &station, &refused);
    assert_eq!(answer.status, 200, "{}", answer.body);
    let mut kept = PayloadSpec::new(&station.id, "C0GKUKXJ32");
    kept.fingerprint_storage = Some("kept".into());
    let (answer, _) = sent(&central, &station, &kept);
    assert_eq!(answer.status, 200, "{}", answer.body);
    central.stop();

    // The handover templates of both (kept by intake when the record has minutiae).
    let db = std::sync::Arc::new(open_database(dir.path()).unwrap());
    let templates = TemplateStore::open_beside(std::sync::Arc::clone(&db), dir.path()).unwrap();
    let minutiae = fmr_2011(&[2, 7], 20);
    templates
        .put("DEMO000001", &refused.record_id, &station.id, &minutiae)
        .unwrap();
    templates
        .put("C0GKUKXJ32", &kept.record_id, &station.id, &minutiae)
        .unwrap();

    let schedule = PrintsSchedule::open_beside(&db, dir.path()).unwrap();
    assert_eq!(schedule.get(&kept.record_id).unwrap(), None);
    let first = schedule
        .get(&refused.record_id)
        .unwrap()
        .expect("scheduled");
    // No word of the card yet: a year after intake at the latest.
    let ceiling = at(&first.delete_after);
    let from_now = ceiling - OffsetDateTime::now_utc();
    assert!(
        from_now > time::Duration::days(364) && from_now <= time::Duration::days(365),
        "{first:?}"
    );
    // The card is handed over today: 90 days from now, earlier than the ceiling.
    let issued_at = OffsetDateTime::now_utc();
    let scheduled = schedule
        .card_event(&refused.record_id, CardEvent::Issued, issued_at)
        .unwrap()
        .expect("scheduled");
    assert_eq!(scheduled.card_event.as_deref(), Some("issued"));
    let due = at(&scheduled.delete_after);
    assert_eq!(
        due.unix_timestamp(),
        (issued_at + time::Duration::days(90)).unix_timestamp()
    );
    // A later event cannot push the date back.
    let again = schedule
        .card_event(
            &refused.record_id,
            CardEvent::Refused,
            issued_at + time::Duration::days(30),
        )
        .unwrap()
        .expect("scheduled");
    assert_eq!(again.delete_after, scheduled.delete_after);
    let kept_bytes = stored(dir.path(), &kept.record_id);
    let refused_bytes = stored(dir.path(), &refused.record_id);

    // The day before: nothing goes.
    assert!(purge(dir.path(), due - time::Duration::days(1)).is_empty());
    assert_eq!(stored(dir.path(), &refused.record_id), refused_bytes);
    assert!(templates.get("DEMO000001").unwrap().is_some());

    // The day after: the refused record's prints are gone, its photo and manifest stay.
    let purged = purge(dir.path(), due + time::Duration::days(1));
    assert_eq!(purged, vec![refused.record_id.clone()]);
    let rest = stored(dir.path(), &refused.record_id);
    assert!(remainder::is_remainder(&rest));
    let key = TemplateKey::load_or_create(dir.path()).unwrap();
    let (header, tar) = remainder::open(&key, &rest).unwrap();
    assert_eq!(header.record_id, refused.record_id);
    assert_eq!(
        header.received_sha256,
        central::intake::sha256_hex(&refused_bytes)
    );
    assert_eq!(header.removed, vec!["fingers.iso19794-4".to_owned()]);
    let entries = central::intake::payload::read_entries(&tar).unwrap();
    assert_eq!(
        entries.keys().cloned().collect::<Vec<_>>(),
        vec!["face.iso19794-5".to_owned(), "manifest.json".to_owned()]
    );
    let manifest: wire::Manifest = serde_json::from_slice(&entries["manifest.json"]).unwrap();
    assert_eq!(manifest.record_id, refused.record_id);
    assert_eq!(
        manifest.fingers.len(),
        2,
        "the manifest still says what was taken"
    );
    assert!(templates.get("DEMO000001").unwrap().is_none());

    // The record that kept storage is untouched.
    assert_eq!(stored(dir.path(), &kept.record_id), kept_bytes);
    assert!(templates.get("C0GKUKXJ32").unwrap().is_some());

    // Audited once; a second run has nothing to do.
    assert!(purge(dir.path(), due + time::Duration::days(2)).is_empty());
    let log = schedule.purge_log().unwrap();
    assert_eq!(log.len(), 1, "{log:?}");
    assert_eq!(log[0].0, refused.record_id);
    assert_eq!(log[0].2, "fingers.iso19794-4");
    assert_eq!(log[0].3, 1);
    assert!(
        schedule
            .get(&refused.record_id)
            .unwrap()
            .unwrap()
            .purged_at
            .is_some()
    );
}

#[test]
fn without_word_of_the_card_the_prints_go_a_year_after_intake() {
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    let mut refused = PayloadSpec::new(&station.id, "DEMO000001");
    refused.fingerprint_storage = Some("refused".into());
    let (answer, _) = sent(&central, &station, &refused);
    assert_eq!(answer.status, 200, "{}", answer.body);
    central.stop();
    let now = OffsetDateTime::now_utc();
    assert!(purge(dir.path(), now + time::Duration::days(364)).is_empty());
    assert_eq!(
        purge(dir.path(), now + time::Duration::days(366)),
        vec![refused.record_id]
    );
}

#[test]
fn a_storage_answer_where_the_question_is_not_asked_is_refused() {
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    // A passport alone: its prints are kept by law.
    let mut passport = PayloadSpec::new(&station.id, "DEMO000002");
    passport.document_type = "passport".into();
    passport.fingerprint_storage = Some("refused".into());
    // An identity card without prints (under 12).
    let mut child = PayloadSpec::new(&station.id, "DEMO000003");
    child.fingers = vec![];
    child.exemption = Some("under-12".into());
    child.fingerprint_storage = Some("kept".into());
    for spec in [&passport, &child] {
        let (answer, _) = sent(&central, &station, spec);
        assert_eq!(
            (answer.status, answer.error_code().as_str()),
            (422, "fingerprint-storage-not-asked"),
            "{}",
            answer.body
        );
    }
    // A word that is neither answer.
    let mut odd = PayloadSpec::new(&station.id, "DEMO000001");
    odd.fingerprint_storage = Some("maybe".into());
    let (answer, _) = sent(&central, &station, &odd);
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (422, "invalid-payload"),
        "{}",
        answer.body
    );
    assert_eq!(central.receipt_count().unwrap(), 0);
    // Without the answer, as before.
    passport.fingerprint_storage = None;
    passport.record_id = uuid::Uuid::new_v4().to_string();
    let (answer, _) = sent(&central, &station, &passport);
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[test]
fn the_command_line_sets_the_card_date_and_purges_nothing_before_it() {
    const BIN: &str = env!("CARGO_BIN_EXE_central");
    let dir = common::private_tempdir();
    let (central, station) = start(dir.path());
    let mut refused = PayloadSpec::new(&station.id, "DEMO000001");
    refused.fingerprint_storage = Some("refused".into());
    let (answer, bytes) = sent(&central, &station, &refused);
    assert_eq!(answer.status, 200, "{}", answer.body);
    central.stop();
    let data = dir.path().to_str().unwrap();
    let run = |args: &[&str]| {
        let out = std::process::Command::new(BIN)
            .args(args)
            .args(database_args(dir.path()))
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (said, _) = run(&[
        "prints",
        "card-issued",
        "--data",
        data,
        "--record",
        &refused.record_id,
    ]);
    assert!(
        said.starts_with(&refused.record_id) && said.contains("card=issued prints_deleted_after="),
        "{said}"
    );
    let (said, _) = run(&[
        "prints",
        "card-refused",
        "--data",
        data,
        "--record",
        "0f6d7c1e-0000-4000-8000-000000000000",
    ]);
    assert!(said.contains("nothing to schedule"), "{said}");
    let (said, told) = run(&["prints", "purge", "--data", data]);
    assert!(
        said.is_empty() && told.contains("0 record(s) purged"),
        "{said} {told}"
    );
    assert_eq!(
        stored(dir.path(), &refused.record_id),
        bytes,
        "nothing purged before the date"
    );
}
