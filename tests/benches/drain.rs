//! Draining a 10,000-record backlog with the uploader ÷ a bare HTTP PUT loop to the same central
//! (goal ≥ 0.7). Both send sealed sample records (distinct pre-requests, the central checks them
//! all); the uploader also verifies each receipt, stores it and purges the record.
//! Run: `cargo bench -p e2e-tests --bench drain` (`DRAIN_RECORDS=N` for another size).

use std::{
    sync::Arc,
    time::{Duration, Instant},
};

use central::{Catalogue, Central, CentralConfig, PreRequestSource};
use station::{
    outbox::Outbox,
    seal::{CentralKeys, SealedRecord, Sealer, StationIdentity, now_rfc3339},
    uplink::{CentralClient, HttpSettings, Uploader, UploaderSettings},
};
use station_demo::sample_record::sample_payload;

fn catalogue(prefixes: &[&str], count: u64) -> Catalogue {
    let mut items = Vec::new();
    for prefix in prefixes {
        for i in 0..count {
            items.push(serde_json::json!({
                "number": format!("{prefix}{i:08}"), "status": "validated", "document_type": "cni",
                "reason": "first", "applicant": {"surname": "Durand", "given_names": "Léa", "birth_date": "1990-01-01",
                "birth_place": "Nantes (44)", "sex": "F", "address": "2 place Royale, 44000 Nantes", "parents": []},
                "appointments": [{"meeting_point": "Mairie du 2e arrondissement de Lyon", "meeting_point_id": "69382-02", "appointment_date": "2026-12-01T09:00:00+01:00", "management_url": "https://rdv.mairie-lyon.example/rendez-vous/1000"}]
            }));
        }
    }
    Catalogue::from_json(&serde_json::Value::Array(items).to_string()).expect("catalogue")
}

fn seal_many(sealer: &Sealer, prefix: &str, count: u64) -> Vec<SealedRecord> {
    (0..count)
        .map(|i| {
            let id = uuid::Uuid::new_v4().to_string();
            let payload = sample_payload(
                &id,
                &sealer.station_id,
                &format!("{prefix}{i:08}"),
                &now_rfc3339(),
                i,
                false,
            )
            .expect("payload");
            sealer.seal(&payload).expect("seal")
        })
        .collect()
}

fn main() {
    let n: u64 = std::env::var("DRAIN_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    let concurrency: usize = std::env::var("DRAIN_CONCURRENCY")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    let dir = tempfile::tempdir_in(std::env::current_dir().expect("cwd")).expect("temp dir");
    let mut config = CentralConfig::new(dir.path().join("central"));
    config.prerequests = PreRequestSource::Given(catalogue(&["BA", "DR"], n));
    let central = Central::start(config).expect("central");
    let keys = central.public_keys();
    let sealer = Sealer {
        signer: std::sync::Arc::new(
            StationIdentity::load_or_create(&dir.path().join("station/keys/station.ed25519.p8"))
                .expect("identity"),
        ),
        central: CentralKeys {
            record_public_key: keys.record_public_key,
            receipt_public_key: keys.receipt_public_key,
        },
        station_id: "bench-station-01".into(),
    };
    // Enrolled as a technician would: a one-time code redeemed over HTTPS with the central's CA.
    let code = central
        .enrol_station(&sealer.station_id, "69382-02")
        .expect("enrolment code");
    let trust = station::trust::TrustFiles::under(&dir.path().join("station"));
    station::trust::provision(
        &central.url(),
        &central.ca_file(),
        &code.code,
        &trust,
        sealer.signer.station_key(),
    )
    .expect("enrolment");
    let http = HttpSettings {
        connect_timeout_ms: 2_000,
        lookup_timeout_ms: 4_000,
        upload_timeout_ms: 30_000,
    };
    let client = CentralClient::new(&central.url(), "", http, &trust);

    eprintln!("sealing {} records…", 2 * n);
    let bare_records = seal_many(&sealer, "BA", n);
    let outbox = Arc::new(Outbox::open(&dir.path().join("station/outbox.sqlite")).expect("outbox"));
    for r in seal_many(&sealer, "DR", n) {
        outbox.enqueue(&r, None).expect("enqueue");
    }
    let size = bare_records[0].bytes.len();

    eprintln!("bare PUT loop…");
    let start = Instant::now();
    for r in &bare_records {
        client
            .put_record(&r.record_id.to_string(), &r.bytes)
            .expect("bare PUT");
    }
    let bare = start.elapsed();

    eprintln!("draining the outbox…");
    let settings = UploaderSettings {
        concurrency,
        initial_backoff_ms: 100,
        max_backoff_ms: 2_000,
        idle_poll_ms: 50,
    };
    let start = Instant::now();
    let uploader = Uploader::start(
        Arc::clone(&outbox),
        client.clone(),
        keys.receipt_public_key,
        settings,
        None,
    );
    loop {
        let status = outbox.status().expect("status");
        if status.purged == n {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(3_600),
            "drain stuck: {status:?}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    let drain = start.elapsed();
    uploader.stop();
    assert_eq!(central.receipt_count().expect("count"), 2 * n);

    let per_s = |d: Duration| n as f64 / d.as_secs_f64();
    println!(
        "drain {n} records of {size} bytes to a loopback central (uploader concurrency {concurrency})"
    );
    println!(
        "{:<52} {:>10} {:>10} {:>8}",
        "operation", "s", "records/s", "ratio"
    );
    println!(
        "{:<52} {:>10.1} {:>10.0} {:>8}",
        "bare HTTP PUT loop (baseline)",
        bare.as_secs_f64(),
        per_s(bare),
        "1.00"
    );
    println!(
        "{:<52} {:>10.1} {:>10.0} {:>8.2}",
        "outbox drain (claim, PUT, verify receipt, ack, purge)",
        drain.as_secs_f64(),
        per_s(drain),
        bare.as_secs_f64() / drain.as_secs_f64()
    );
}
