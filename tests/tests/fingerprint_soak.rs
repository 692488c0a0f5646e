//! Fault soak (run by hand: `cargo test -p e2e-tests --test fingerprint_soak -- --ignored
//! --nocapture`). At least 200 captures on a line with flipped bits, dropped bytes and stalls:
//! every image accepted must equal the one the simulator sent, no call may outlive its deadline,
//! every failure must be a typed error. Prints the counts.
//!
//! Environment: `FINGERPRINT_SOAK_CAPTURES` (default 200), `FINGERPRINT_SOAK_FAULTS` (default
//! `flip=1e-3,drop=1e-4,stall=1e-4@300ms`), `FINGERPRINT_SOAK_PACED=1` to pace at 115,200 baud
//! after negotiation (slow: ~3.3 s per transfer).

use crate::fingerprint_support;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use fingerprint_support::start;
use firmware_sim::pty::FaultSpec;
use firmware_sim::zfm_firmware::{FingerMode, FingerprintSimConfig};

#[test]
#[ignore = "long: run by hand with --ignored --nocapture"]
fn soak_captures_on_a_faulty_line() {
    let captures: u32 = std::env::var("FINGERPRINT_SOAK_CAPTURES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(200);
    let spec: FaultSpec = std::env::var("FINGERPRINT_SOAK_FAULTS")
        .unwrap_or_else(|_| "flip=1e-3,drop=1e-4,stall=1e-4@300ms".to_owned())
        .parse()
        .expect("fault spec");
    let paced = std::env::var("FINGERPRINT_SOAK_PACED").is_ok_and(|v| v == "1");

    let (sim, mut module) = start(FingerprintSimConfig {
        seed: 2026,
        paced,
        finger: FingerMode::None,
        ..FingerprintSimConfig::default()
    });
    module.probe().expect("probe on a clean line");
    let negotiation = module
        .negotiate_fastest()
        .expect("negotiate on a clean line");
    let control = sim.control();
    control.set_faults(spec.clone());

    let finger_wait = Duration::from_secs(3);
    let mut successes = 0u32;
    let mut corrupted_accepted = 0u32;
    let mut overruns = 0u32;
    let mut errors: BTreeMap<String, u32> = BTreeMap::new();
    let mut longest = Duration::ZERO;
    let soak_started = Instant::now();
    for i in 0..captures {
        control.place_finger(1_000 + u64::from(i % 10), i / 10);
        let bound = finger_wait + module.upload_time_limit() + Duration::from_millis(250);
        let started = Instant::now();
        let outcome = module.capture(started + finger_wait, &mut |_| {});
        let took = started.elapsed();
        longest = longest.max(took);
        if took > bound {
            overruns += 1;
            eprintln!("capture {i}: took {took:?}, bound {bound:?}");
        }
        match outcome {
            Ok(capture) => {
                let sent = control
                    .last_image_sent()
                    .expect("the simulator sent an image");
                if capture.image == sent {
                    successes += 1;
                } else {
                    corrupted_accepted += 1;
                }
            }
            Err(error) => {
                *errors
                    .entry(format!(
                        "{}:{}",
                        error.kind(),
                        error.command().unwrap_or("-")
                    ))
                    .or_default() += 1;
            }
        }
    }
    fingerprint_support::quiet_line(&mut module);
    let counters = module.counters();
    let stats = control.stats();
    println!(
        "fingerprint soak: faults {spec}, paced {paced}, settings {:?}",
        negotiation.after
    );
    println!(
        "  captures {captures}: successes {successes}, corrupted accepted {corrupted_accepted}, \
         deadline overruns {overruns}, longest call {longest:?}, total {:?}",
        soak_started.elapsed()
    );
    println!(
        "  UpImage attempts {}, retries {}, commands {}, bytes discarded {}",
        counters.upload_attempts,
        counters.upload_retries,
        counters.commands,
        counters.discarded_bytes
    );
    println!("  errors by kind:command: {errors:?}");
    println!("  simulator: {stats:?}");

    assert_eq!(corrupted_accepted, 0, "a corrupted image was accepted");
    assert_eq!(overruns, 0, "a call outlived its deadline");
    for kind in errors.keys() {
        assert!(
            [
                "checksum",
                "length",
                "protocol",
                "timeout",
                "no-finger",
                "module"
            ]
            .iter()
            .any(|k| kind.starts_with(k)),
            "untyped or unexpected failure: {kind}"
        );
    }
    assert_eq!(
        successes + errors.values().sum::<u32>() + corrupted_accepted,
        captures
    );
}
