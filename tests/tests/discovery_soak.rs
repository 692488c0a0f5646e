//! Discovery, many times over, with every device at a baud drawn at random: how often each is
//! identified, with and without the quiet time kept before asking the camera at a new baud (see
//! `drivers::discovery::probe_plan`). Long: `cargo test -p e2e-tests --test discovery_soak --
//! --ignored --nocapture` (ROUNDS=N to change the number of rounds, 12 by default).

use std::time::{Duration, Instant};

use drivers::discovery::{DeviceKind, DiscoveryOptions, PortCandidate, discover};
use drivers::vc0706::Baud;
use drivers::zfm::module::PROBE_BAUDS;
use firmware_sim::vc0706_firmware::{CameraSim, CameraSimConfig};
use firmware_sim::zfm_firmware::{FingerprintSim, FingerprintSimConfig};

/// A small deterministic generator: the rounds are the same on every run.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) % n as u64) as usize
    }
}

/// Runs `rounds` discoveries of two modules and two cameras at random bauds; returns
/// (identified, expected, slowest discovery).
fn soak(rounds: u32, options: &DiscoveryOptions, seed: u64) -> (u32, u32, Duration) {
    let mut dice = Dice(seed);
    let camera_bauds = Baud::ALL.map(Baud::bits_per_second);
    let (mut identified, mut expected) = (0, 0);
    let mut slowest = Duration::ZERO;
    for round in 0..rounds {
        let seed = u64::from(round) * 10 + seed;
        let modules: Vec<FingerprintSim> = (0..2)
            .map(|i| {
                FingerprintSim::start(FingerprintSimConfig {
                    baud: PROBE_BAUDS[dice.below(PROBE_BAUDS.len())],
                    seed: seed + i,
                    paced: false,
                    ..FingerprintSimConfig::default()
                })
                .unwrap_or_else(|e| panic!("{e}"))
            })
            .collect();
        let cameras: Vec<(CameraSim, u32)> = (0..2)
            .map(|i| {
                let baud = camera_bauds[dice.below(camera_bauds.len())];
                let sim = CameraSim::start(CameraSimConfig {
                    baud,
                    seed: seed + 5 + i,
                    paced: false,
                    ..CameraSimConfig::default()
                })
                .unwrap_or_else(|e| panic!("{e}"));
                (sim, baud)
            })
            .collect();
        let mut ports: Vec<PortCandidate> = modules
            .iter()
            .map(|m| PortCandidate::path(m.port_path().to_string_lossy()))
            .collect();
        ports.extend(
            cameras
                .iter()
                .map(|(c, _)| PortCandidate::path(c.port_path().to_string_lossy())),
        );
        let started = Instant::now();
        let reports = discover(&ports, options);
        slowest = slowest.max(started.elapsed());
        for (i, report) in reports.iter().enumerate() {
            expected += 1;
            let want = if i < 2 {
                DeviceKind::Fingerprint
            } else {
                DeviceKind::Camera
            };
            let want_baud = if i < 2 {
                // The module reports the baud it answers at.
                report.baud()
            } else {
                Some(cameras[i - 2].1)
            };
            if report.kind() == Some(want) && report.baud() == want_baud {
                identified += 1;
            } else {
                eprintln!("round {round}: {} → {:?}", report.path, report.found);
            }
        }
    }
    (identified, expected, slowest)
}

#[test]
#[ignore = "soak: a few minutes"]
fn discovery_soak_with_and_without_the_camera_quiet_time() {
    let rounds = std::env::var("ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(12);
    let careful = DiscoveryOptions::default();
    let hasty = DiscoveryOptions {
        receiver_reset: Duration::ZERO,
        ..DiscoveryOptions::default()
    };
    let (ok, all, slowest) = soak(rounds, &careful, 1_000);
    println!(
        "with a {:?} quiet time: {ok}/{all} devices identified, slowest discovery {slowest:?}",
        careful.receiver_reset
    );
    let (ok_hasty, all_hasty, slowest_hasty) = soak(rounds, &hasty, 1_000);
    println!(
        "without it: {ok_hasty}/{all_hasty} devices identified, slowest discovery {slowest_hasty:?}"
    );
    assert_eq!(ok, all, "every device identified with the quiet time");
}
