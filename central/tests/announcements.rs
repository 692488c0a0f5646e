//! `POST /v1/announcements` and `central records missing`: a real central on loopback over mutual
//! TLS, a test station signing announcements with its own key, and the real binary listing what
//! was announced and never received.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::process::Command;

use wire::announcement::{AnnouncementBatch, RecordAnnouncement};

use crate::common::{self, Answer, PayloadSpec, TestStation, put_record, seal, start};

const BIN: &str = env!("CARGO_BIN_EXE_central");

fn announcement(
    station: &TestStation,
    spec: &PayloadSpec,
    sealed: &[u8],
    sealed_at: &str,
) -> RecordAnnouncement {
    let mut a = RecordAnnouncement {
        record_id: spec.record_id.clone(),
        station_id: station.id.clone(),
        sha256: hex::encode(ring::digest::digest(&ring::digest::SHA256, sealed)),
        pre_request: spec.pre_request.clone(),
        sealed_at: sealed_at.to_owned(),
        signature: String::new(),
    };
    a.signature = hex::encode(station.key.sign(a.signed_string().as_bytes()));
    a
}

fn post(base: &str, announcements: Vec<RecordAnnouncement>) -> Answer {
    let body = serde_json::to_vec(&AnnouncementBatch { announcements }).unwrap();
    let mut response = common::agent_for(base)
        .post(&format!("{base}{}", wire::paths::ANNOUNCEMENTS_ROUTE))
        .header("content-type", "application/json")
        .send(&body[..])
        .expect("HTTPS exchange");
    Answer {
        status: response.status().as_u16(),
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

fn missing(data: &std::path::Path, older_than: &str) -> String {
    let out = Command::new(BIN)
        .args(["records", "missing", "--data"])
        .arg(data)
        .args(["--older-than", older_than])
        .args(crate::common::database_args(data))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn announced_records_that_never_arrive_are_listed() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    let keys = central.public_keys().clone();
    let url = central.url();
    let delivered = PayloadSpec::new(&station.id, "TESTAN0001");
    let delivered_bytes = seal(&delivered, &station, &keys);
    let lost = PayloadSpec::new(&station.id, "TESTAN0002");
    let lost_bytes = seal(&lost, &station, &keys);
    let batch = vec![
        announcement(
            &station,
            &delivered,
            &delivered_bytes,
            "2026-12-01T08:00:00Z",
        ),
        announcement(&station, &lost, &lost_bytes, "2026-12-01T08:05:00+01:00"),
    ];
    let answer = post(&url, batch.clone());
    assert_eq!(answer.status, 200, "{}", answer.body);
    // Sent again (an answer lost on the way): the same.
    assert_eq!(post(&url, batch.clone()).status, 200);
    assert_eq!(
        put_record(&url, &delivered.record_id, &delivered_bytes).status,
        200
    );

    let listed = missing(dir.path(), "24h");
    assert_eq!(listed.lines().count(), 1, "{listed}");
    assert!(
        listed.starts_with(&format!(
            "{} station={} pre_request=TESTAN0002 sealed_at=2026-12-01T07:05:00Z sha256=",
            lost.record_id, station.id
        )),
        "{listed}"
    );
    assert!(missing(dir.path(), "3650d").is_empty());

    // Refused: another content under a known id, a forged signature, another station's name.
    let mut changed = batch[1].clone();
    changed.sha256 = "00".repeat(32);
    changed.signature = hex::encode(station.key.sign(changed.signed_string().as_bytes()));
    assert_eq!(post(&url, vec![changed]).error_code(), "conflict");
    let stranger = TestStation::new("someone-else");
    let other = PayloadSpec::new(&station.id, "TESTAN0003");
    let mut forged = announcement(&stranger, &other, b"x", "2026-12-01T08:00:00Z");
    forged.station_id = station.id.clone();
    assert_eq!(post(&url, vec![forged]).error_code(), "bad-signature");
    let named = announcement(&stranger, &other, b"x", "2026-12-01T08:00:00Z");
    assert_eq!(post(&url, vec![named]).error_code(), "station-mismatch");
    assert_eq!(
        post(&url, Vec::new()).error_code(),
        "malformed-announcement"
    );
    central.stop();
}

#[test]
fn the_central_refuses_new_pre_requests_while_announced_records_are_missing_too_long() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());
    let keys = central.public_keys().clone();
    let url = central.url();
    let status = "/api/status?application_ids=DEMO000001";
    assert_eq!(common::get(&url, status, None).status, 200);

    let old = PayloadSpec::new(&station.id, "TESTAN0004");
    let old_bytes = seal(&old, &station, &keys);
    // Sealed four days ago and still not received: past the 72-hour limit.
    let four_days_ago = time::OffsetDateTime::now_utc() - time::Duration::days(4);
    let sealed_at = central::announcements::utc_seconds(four_days_ago);
    assert_eq!(
        post(
            &url,
            vec![announcement(&station, &old, &old_bytes, &sealed_at)]
        )
        .status,
        200
    );
    for path in [status, "/v1/pre-requests/DEMO000001"] {
        let answer = common::get(&url, path, None);
        assert_eq!(
            (answer.status, answer.error_code().as_str()),
            (423, wire::announcement::BACKLOG_TOO_OLD),
            "{path}: {}",
            answer.body
        );
    }
    // Once the record arrives, the station may go on.
    assert_eq!(put_record(&url, &old.record_id, &old_bytes).status, 200);
    assert_eq!(common::get(&url, status, None).status, 200);
    central.stop();
}
