//! Intake throughput over loopback: full intake (signature, HPKE open, payload and image checks,
//! fsynced store, SQLite commit) against a replay of the same records, which the central answers
//! from its receipts after reading the body and hashing it: the same HTTP exchange with the work
//! of intake taken out. Printed as records/s and as a ratio measured in the same run. The state is
//! in SQLite, or in PostgreSQL with `CENTRAL_TEST_POSTGRES` set as for the tests.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

use common::*;

fn catalogue(count: usize) -> central::Catalogue {
    let items: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            serde_json::json!({"number": format!("BENCH{i:05}"), "status": "validated",
            "document_type": "cni", "reason": "first",
            "applicant": {"surname": "Lefèvre", "given_names": "Hélène", "birth_date": "1984-03-12",
                "birth_place": "Lyon (69)", "sex": "F", "address": "1 rue de la Paix", "parents": []},
            "appointments": [{"meeting_point": "Mairie du 2e arrondissement de Lyon", "meeting_point_id": "69382-02", "appointment_date": "2026-12-01T09:00:00+01:00", "management_url": "https://rdv.mairie-lyon.example/rendez-vous/1000"}]})
        })
        .collect();
    central::Catalogue::from_json(&serde_json::Value::Array(items).to_string()).unwrap()
}

/// On SQLite, or on PostgreSQL when `CENTRAL_TEST_POSTGRES` names a server (as for the tests).
fn config(count: usize, dir: &std::path::Path) -> central::CentralConfig {
    let mut config = common::config(dir);
    config.prerequests = central::PreRequestSource::Given(catalogue(count));
    config
}

/// A central over mutual TLS with `station` enrolled; its URL, with the station's agent kept for it.
fn start_central(
    count: usize,
    station: &TestStation,
) -> (central::RunningCentral, tempfile::TempDir, String) {
    let dir = common::private_tempdir();
    let central = central::Central::start(config(count, dir.path())).unwrap();
    let identity = enrol(&central, &station.id, station.public_key());
    use_identity(&central.url(), &identity);
    let url = central.url();
    (central, dir, url)
}

/// The same central, enrolled the same way over TLS, then served over plain HTTP with every request
/// taken as the station's: what the exchange costs without TLS.
fn start_plain_central(
    count: usize,
    station: &TestStation,
) -> (central::RunningCentral, tempfile::TempDir, String) {
    use rustls::pki_types::CertificateDer;
    use rustls::pki_types::pem::PemObject;
    let dir = common::private_tempdir();
    let tls = central::Central::start(config(count, dir.path())).unwrap();
    let identity = enrol(&tls, &station.id, station.public_key());
    tls.stop();
    let der = CertificateDer::from_pem_slice(identity.cert_pem.as_bytes())
        .unwrap()
        .to_vec();
    let central = central::Central::start_plain_for_bench(config(count, dir.path()), der).unwrap();
    let url = format!("http://{}", central.addr);
    use_identity(&url, &identity);
    (central, dir, url)
}

/// Delivers `records` to `url` from `clients` threads; the time it took.
fn deliver(url: &str, records: &[(String, Vec<u8>)], clients: usize) -> std::time::Duration {
    let started = Instant::now();
    std::thread::scope(|s| {
        for part in records.chunks(records.len().div_ceil(clients)) {
            s.spawn(move || {
                for (id, record) in part {
                    let answer = put_record(url, id, record);
                    assert_eq!(answer.status, 200, "{}", answer.body);
                }
            });
        }
    });
    started.elapsed()
}

fn seal_all(
    count: usize,
    station: &TestStation,
    keys: &central::PublicKeys,
    fingers: &[u8],
    face: &[u8],
) -> Vec<(String, Vec<u8>)> {
    (0..count)
        .map(|i| {
            let spec = PayloadSpec::new(&station.id, &format!("BENCH{i:05}"));
            let tar = tar_of(&[
                (
                    "manifest.json".into(),
                    serde_json::to_vec(&spec.manifest()).unwrap(),
                ),
                ("fingers.iso19794-4".into(), fingers.to_vec()),
                ("face.iso19794-5".into(), face.to_vec()),
            ]);
            let header = HeaderSpec::new(&spec.record_id, &station.id, &keys.central_key_id);
            (
                spec.record_id.clone(),
                seal_with_header(&header.json(), &keys.record_public_key, &station.key, &tar),
            )
        })
        .collect()
}

fn main() {
    // RUST_LOG=central=info shows each record's check/store/commit times.
    if std::env::var_os("RUST_LOG").is_some() {
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .init();
    }
    let count: usize = std::env::var("INTAKE_BENCH_RECORDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let station = TestStation::new("bench-station");
    let fingers = fir_of(&[
        (2, 300, 400, noisy_png(300, 400, 1)),
        (7, 300, 400, noisy_png(300, 400, 2)),
    ]);
    let face = fac(480, 640);
    let rate = |d: std::time::Duration| count as f64 / d.as_secs_f64();

    // Full intake against a replay of the same records over TLS (answered from the receipts).
    let (central, _dir, url) = start_central(count, &station);
    let records = seal_all(count, &station, central.public_keys(), &fingers, &face);
    let bytes: usize = records.iter().map(|(_, r)| r.len()).sum();
    let intake = deliver(&url, &records, 1);
    let replay = deliver(&url, &records, 1);
    drop(central);
    println!(
        "central intake, {count} records of {:.0} KB each, over loopback",
        bytes as f64 / count as f64 / 1024.0
    );
    println!(
        "  full intake, TLS, 1 client    {:8.1} records/s",
        rate(intake)
    );
    println!(
        "  replay (same HTTP), TLS       {:8.1} records/s",
        rate(replay)
    );
    println!(
        "  ratio intake/replay           {:8.3}",
        rate(intake) / rate(replay)
    );

    // The same full intake with 1 and 4 clients, over mutual TLS and over plain HTTP, each on a
    // fresh central, in this run.
    for clients in [1, 4] {
        let (tls, _tls_dir, tls_url) = start_central(count, &station);
        let tls_records = seal_all(count, &station, tls.public_keys(), &fingers, &face);
        let over_tls = deliver(&tls_url, &tls_records, clients);
        drop(tls);
        let (plain, _plain_dir, plain_url) = start_plain_central(count, &station);
        let plain_records = seal_all(count, &station, plain.public_keys(), &fingers, &face);
        let over_plain = deliver(&plain_url, &plain_records, clients);
        drop(plain);
        println!(
            "  {clients} client(s): TLS {:8.1} records/s, plain HTTP {:8.1} records/s, ratio TLS/plain {:.3}",
            rate(over_tls),
            rate(over_plain),
            rate(over_tls) / rate(over_plain)
        );
    }
}
