//! Nothing a station can hide: records sealed on a real station are announced to a real central
//! (mutual TLS on loopback) ahead of the records themselves; a clerk who deletes the queued rows
//! afterwards leaves them listed by the central as announced and never received, and the central
//! refuses that station new pre-requests once they are too old.

#![allow(clippy::unwrap_used)]

use crate::upload_support;

use std::time::Duration;

use station::uplink::{PreRequestNumber, Uploader, UploaderSettings, announcements::send_unsent};
use upload_support::*;

fn seal_announced(station: &Station, outbox: &station::outbox::Outbox, index: u64) -> String {
    let record = station.seal_sample("AN", index);
    let number = format!("AN{index:08}");
    let announcement = station::seal::announce(
        &record,
        &number,
        &station.config.station_id,
        station.sealer.signer.as_ref(),
    )
    .unwrap();
    outbox.enqueue_announced(&record, &announcement).unwrap();
    record.record_id.to_string()
}

fn missing(central: &central::RunningCentral, older_than: Duration) -> Vec<String> {
    let db = central::storage::Database::open(central.data_dir()).unwrap();
    let before = time::OffsetDateTime::now_utc() - older_than;
    db.missing_records(&central::announcements::utc_seconds(before))
        .unwrap()
        .into_iter()
        .map(|m| m.record_id)
        .collect()
}

#[test]
fn deleting_queued_records_is_listed_by_the_central_as_missing() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "AN", 10);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    let outbox = station.outbox();
    let client = station.config.central_client();

    let kept = seal_announced(&station, &outbox, 0);
    let deleted: Vec<String> = (1..3)
        .map(|i| seal_announced(&station, &outbox, i))
        .collect();
    assert_eq!(outbox.unsent_announcement_count().unwrap(), 3);

    // The announcements leave first (as the uploader sends them before any record).
    assert_eq!(send_unsent(&outbox, &client).unwrap(), 3);
    assert_eq!(outbox.unsent_announcement_count().unwrap(), 0);

    // A clerk deletes two queued records behind the station's back (which would also lift the
    // station's own freeze rule).
    {
        let db = rusqlite::Connection::open(station.config.outbox_path()).unwrap();
        for id in &deleted {
            db.execute(
                "DELETE FROM sealed_records WHERE seq = (SELECT seq FROM records WHERE record_id = ?1)",
                [id],
            )
            .unwrap();
            db.execute("DELETE FROM records WHERE record_id = ?1", [id])
                .unwrap();
        }
    }
    assert_eq!(outbox.status().unwrap().backlog(), 1);

    // The one left is delivered by the uploader as usual.
    let uploader = Uploader::start(
        outbox.clone(),
        client.clone(),
        station.config.central_keys().unwrap().receipt_public_key,
        UploaderSettings {
            concurrency: 1,
            initial_backoff_ms: 20,
            max_backoff_ms: 200,
            idle_poll_ms: 20,
        },
        None,
    );
    assert!(wait_until(Duration::from_secs(20), || outbox
        .status()
        .unwrap()
        .backlog()
        == 0));
    uploader.stop();
    assert_eq!(central.receipt_count().unwrap(), 1);

    // The central lists exactly the two deleted ones, not the one it received.
    let mut listed = missing(&central, Duration::ZERO);
    listed.sort();
    let mut expected = deleted.clone();
    expected.sort();
    assert_eq!(listed, expected);
    assert!(!listed.contains(&kept));
    // Not yet older than a day.
    assert!(missing(&central, Duration::from_secs(24 * 3600)).is_empty());
}

#[test]
fn the_central_freezes_a_station_whose_announced_records_do_not_arrive() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = central::CentralConfig::new(dir.path().join("central"));
    config.prerequests = central::PreRequestSource::Given(catalogue("AN", 10));
    config.max_missing_age = Duration::from_secs(1);
    let central = central::Central::start(config).unwrap();
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    let outbox = station.outbox();
    let client = station.config.central_client();
    let next = PreRequestNumber::parse("AN00000005").unwrap();
    assert!(client.usable_pre_request(&next).is_ok());

    let id = seal_announced(&station, &outbox, 0);
    send_unsent(&outbox, &client).unwrap();
    // The record is deleted, and the announced record grows older than the limit.
    {
        let db = rusqlite::Connection::open(station.config.outbox_path()).unwrap();
        db.execute("DELETE FROM sealed_records", []).unwrap();
        db.execute("DELETE FROM records", []).unwrap();
    }
    std::thread::sleep(Duration::from_millis(2_100));
    let refused = client.usable_pre_request(&next).unwrap_err();
    assert!(
        matches!(&refused, station::uplink::UplinkError::Status { status: 423, code, .. }
            if code == wire::announcement::BACKLOG_TOO_OLD),
        "{refused}"
    );
    assert!(
        station::uplink::prerequest::clerk_message(&refused).contains("jamais parvenus"),
        "{}",
        station::uplink::prerequest::clerk_message(&refused)
    );
    assert_eq!(missing(&central, Duration::ZERO), vec![id]);
}
