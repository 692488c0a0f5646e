//! Sealing a 1 MB payload ÷ ring's raw AES-256-GCM on the same bytes (goal ≥ 0.8 of raw throughput).
//! Rows: HPKE alone (X25519 + key schedule + AES-256-GCM) and the whole record (plus the copy into
//! the file and the Ed25519 signature over every byte, which the format requires).
//! Run: `cargo bench -p station --bench seal`.

use std::time::{Duration, Instant};

use ring::aead;
use station::seal::{StationIdentity, hpke, record_header, seal_record};
use zeroize::Zeroizing;

const SIZE: usize = 1 << 20;

/// Runs the operations interleaved, one call each per round, and returns each one's median: the
/// machine is shared, so noise must hit baseline and candidates alike.
fn medians(rounds: usize, ops: &mut [&mut dyn FnMut()]) -> Vec<Duration> {
    let mut samples = vec![Vec::with_capacity(rounds); ops.len()];
    for round in 0..rounds + 3 {
        for (i, op) in ops.iter_mut().enumerate() {
            let start = Instant::now();
            op();
            if round >= 3 {
                samples[i].push(start.elapsed());
            }
        }
    }
    samples
        .into_iter()
        .map(|mut s| {
            s.sort();
            s[s.len() / 2]
        })
        .collect()
}

fn main() {
    let rounds = 200;
    let payload: Vec<u8> = (0..SIZE).map(|i| (i * 31 % 251) as u8).collect();
    let central_public = {
        use ::hpke::{Serializable, kem::Kem as _};
        let (_, pk) =
            ::hpke::kem::X25519HkdfSha256::derive_keypair(b"benchmark central key material!!");
        let bytes: [u8; 32] = pk.to_bytes().as_slice().try_into().expect("32 bytes");
        bytes
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let identity = StationIdentity::load_or_create(&dir.path().join("k.p8")).expect("identity");

    let key =
        aead::LessSafeKey::new(aead::UnboundKey::new(&aead::AES_256_GCM, &[7u8; 32]).expect("key"));
    let header = record_header(
        uuid::Uuid::new_v4(),
        "bench-station",
        time::OffsetDateTime::now_utc(),
        "00",
        station::seal::SignatureAlgorithm::Ed25519,
    );
    let mut raw_buf = payload.clone();
    let mut hpke_buf = payload.clone();
    let mut raw_op = || {
        let tag = key
            .seal_in_place_separate_tag(
                aead::Nonce::assume_unique_for_key([1; 12]),
                aead::Aad::from(b"aad"),
                &mut raw_buf,
            )
            .expect("seal");
        let _ = std::hint::black_box(tag);
    };
    let mut hpke_op = || {
        std::hint::black_box(
            hpke::seal_in_place(
                &central_public,
                b"dr-station record v1",
                b"aad",
                &mut hpke_buf,
            )
            .expect("hpke"),
        );
    };
    let mut record_op = || {
        let plain = Zeroizing::new(payload.clone());
        std::hint::black_box(
            seal_record(&header, plain, &central_public, &identity).expect("seal record"),
        );
    };
    let mut copy_op = || {
        std::hint::black_box(Zeroizing::new(payload.clone()));
    };
    let mut sign_op = || {
        std::hint::black_box(identity.sign(&payload));
    };
    let m = medians(
        rounds,
        &mut [
            &mut raw_op,
            &mut hpke_op,
            &mut record_op,
            &mut copy_op,
            &mut sign_op,
        ],
    );
    let (raw, hpke_only, record, copy, sign) = (m[0], m[1], m[2], m[3], m[4]);
    let mbps = |d: Duration| SIZE as f64 / d.as_secs_f64() / 1e6;
    println!("seal 1 MiB, medians of {rounds} interleaved rounds");
    println!(
        "{:<46} {:>10} {:>10} {:>8}",
        "operation", "µs/op", "MB/s", "ratio"
    );
    println!(
        "{:<46} {:>10.0} {:>10.0} {:>8}",
        "ring AES-256-GCM raw (baseline)",
        raw.as_micros(),
        mbps(raw),
        "1.00"
    );
    let row = |name: &str, d: Duration| {
        println!(
            "{name:<46} {:>10.0} {:>10.0} {:>8.2}",
            d.as_micros(),
            mbps(d),
            raw.as_secs_f64() / d.as_secs_f64()
        );
    };
    row("HPKE seal (X25519 + key schedule + AES-GCM)", hpke_only);
    row("whole record (copy + HPKE + Ed25519 signature)", record);
    row("  of which: payload copy into a wiped buffer", copy);
    row("  of which: Ed25519 signature over 1 MiB", sign);
}
