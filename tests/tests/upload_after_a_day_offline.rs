//! A mobile kit's return: a long day of records sealed while every connection to the central
//! failed, the uploader's waits grown to their longest; once the central answers again (the desk
//! calls `resume_now` on the first health answer after an outage) every record is received, each
//! once, with a verified receipt, and the clerk's count of waiting records goes down to zero.

#![allow(clippy::unwrap_used)]

use crate::upload_support;

use std::{
    sync::{
        Arc,
        atomic::{AtomicBool, Ordering},
    },
    time::{Duration, Instant},
};

use station::uplink::{Uploader, UploaderSettings};
use upload_support::*;

/// Records of the day away: several days of a care-home tour.
const RECORDS: u64 = 120;

#[test]
fn a_day_of_records_sealed_offline_all_reach_the_central_on_return() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "MK", RECORDS);
    let station_dir = dir.path().join("station");
    let online = Arc::new(AtomicBool::new(false));
    let o = online.clone();
    let proxy = Proxy::start(&central, &station_dir, move || {
        if o.load(Ordering::SeqCst) {
            Fault::Forward
        } else {
            Fault::Close
        }
    });
    let station = Station::provision(&station_dir, &proxy.url(), &central);
    let outbox = station.outbox();
    // The waits reach their longest (beyond the test's patience) while away.
    let settings = UploaderSettings {
        concurrency: 2,
        initial_backoff_ms: 50,
        max_backoff_ms: 600_000,
        idle_poll_ms: 20,
    };
    let uploader = Uploader::start(
        outbox.clone(),
        station.config.central_client(),
        station.config.central_keys().unwrap().receipt_public_key,
        settings,
        None,
    );
    let sealing = Instant::now();
    for i in 0..RECORDS {
        outbox.enqueue(&station.seal_sample("MK", i), None).unwrap();
        uploader.wake();
    }
    let sealing = sealing.elapsed();
    assert!(
        wait_until(Duration::from_secs(30), || {
            outbox
                .list()
                .unwrap()
                .iter()
                .filter(|r| r.attempts >= 3)
                .count()
                > 0
        }),
        "the uploader kept trying while away"
    );
    let status = outbox.status().unwrap();
    assert_eq!(status.backlog(), RECORDS, "everything waits");
    assert_eq!(central.receipt_count().unwrap(), 0);

    // Back: the central answers; the desk resumes the uploader at its first answer.
    online.store(true, Ordering::SeqCst);
    let back = Instant::now();
    uploader.resume_now();
    let drained = wait_until(Duration::from_secs(300), || {
        outbox.status().unwrap().backlog() == 0
    });
    let drain = back.elapsed();
    let status = outbox.status().unwrap();
    assert!(drained, "still waiting after {drain:?}: {status:?}");
    assert_eq!(
        central.receipt_count().unwrap(),
        RECORDS,
        "each received once"
    );
    assert_eq!(status.acknowledged + status.purged, RECORDS);
    println!(
        "{RECORDS} records sealed offline in {:.1} s, all received {:.1} s after the central came back",
        sealing.as_secs_f64(),
        drain.as_secs_f64()
    );
    uploader.stop();
}
