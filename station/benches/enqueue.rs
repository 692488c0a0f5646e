//! Durable enqueue ÷ a bare rusqlite insert+commit with the same pragmas (goal ≥ 0.8), on the same
//! disk, with the same sealed bytes. Runs interleaved so disk noise hits both alike.
//! Run: `cargo bench -p station --bench enqueue`.

use std::time::{Duration, Instant};

use station::{
    outbox::{Outbox, database},
    seal::{CentralKeys, SealedRecord, Sealer, StationIdentity, now_rfc3339},
};
use station_demo::sample_record::sample_payload;

fn main() {
    let per_round = 200;
    let rounds = 5;
    let dir = tempfile::tempdir_in(std::env::current_dir().expect("cwd")).expect("temp dir");
    let sealer = Sealer {
        signer: std::sync::Arc::new(
            StationIdentity::load_or_create(&dir.path().join("k.p8")).expect("identity"),
        ),
        central: CentralKeys {
            record_public_key: [9; 32],
            receipt_public_key: [0; 32],
        },
        station_id: "bench-station".into(),
    };
    let id = uuid::Uuid::new_v4().to_string();
    let payload = sample_payload(&id, "bench-station", "BE00000000", &now_rfc3339(), 1, true)
        .expect("payload");
    let template = sealer.seal(&payload).expect("seal");
    let records: Vec<SealedRecord> = (0..per_round * rounds)
        .map(|_| SealedRecord {
            record_id: uuid::Uuid::new_v4(),
            bytes: template.bytes.clone(),
        })
        .collect();

    let outbox = Outbox::open(&dir.path().join("outbox.sqlite")).expect("outbox");
    let bare = rusqlite::Connection::open(dir.path().join("bare.sqlite")).expect("bare");
    database::apply_pragmas(&bare).expect("pragmas");
    bare.execute_batch("CREATE TABLE r (id TEXT PRIMARY KEY, sealed BLOB NOT NULL)")
        .expect("table");

    let (mut t_outbox, mut t_bare) = (Duration::ZERO, Duration::ZERO);
    for round in 0..rounds {
        let batch = &records[round * per_round..(round + 1) * per_round];
        let start = Instant::now();
        for r in batch {
            bare.execute(
                "INSERT INTO r (id, sealed) VALUES (?1, ?2)",
                rusqlite::params![r.record_id.to_string(), r.bytes],
            )
            .expect("insert");
        }
        t_bare += start.elapsed();
        let start = Instant::now();
        for r in batch {
            outbox.enqueue(r, Some("BE00000000")).expect("enqueue");
        }
        t_outbox += start.elapsed();
    }
    let n = (per_round * rounds) as f64;
    println!(
        "durable enqueue of {} sealed records of {} bytes (WAL, synchronous=FULL, secure_delete=ON)",
        n,
        template.bytes.len()
    );
    println!(
        "{:<44} {:>10} {:>10} {:>8}",
        "operation", "µs/op", "ops/s", "ratio"
    );
    let row = |name: &str, t: Duration, ratio: f64| {
        println!(
            "{name:<44} {:>10.0} {:>10.0} {:>8.2}",
            t.as_micros() as f64 / n,
            n / t.as_secs_f64(),
            ratio
        );
    };
    row("bare rusqlite insert+commit (baseline)", t_bare, 1.0);
    row(
        "Outbox::enqueue",
        t_outbox,
        t_bare.as_secs_f64() / t_outbox.as_secs_f64(),
    );
}
