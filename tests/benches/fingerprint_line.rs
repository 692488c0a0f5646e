//! How close an image transfer comes to the line's own limit: received time ÷ line time (bytes on
//! the wire × 10 ÷ baud) for one full 256 × 288 image, against the paced simulator, at the
//! factory 57,600 baud / 128-byte packets and at the negotiated 115,200 / 256. Goal: ≤ 1.03.
//!
//! `cargo bench -p e2e-tests --bench fingerprint_line`

use std::time::{Duration, Instant};

use drivers::transport::SerialTransport;
use drivers::zfm::FingerprintModule;
use firmware_sim::zfm_firmware::{FingerMode, FingerprintSim, FingerprintSimConfig};

const ROUNDS: usize = 2;

fn main() {
    let sim = FingerprintSim::start(FingerprintSimConfig {
        seed: 77,
        paced: true,
        finger: FingerMode::Auto,
        ..FingerprintSimConfig::default()
    })
    .expect("simulator");
    let path = sim.port_path().to_str().expect("utf-8").to_owned();
    let mut module =
        FingerprintModule::new(SerialTransport::open(&path, 57_600).expect("open port"));
    // Synthesis of a new finger happens on GenImg: allow for a loaded machine.
    module.set_capture_timeout(Duration::from_secs(30));
    module.probe().expect("probe");

    println!("settings            bytes on wire  line time  received   ratio");
    run_rows(&mut module, &sim, "57600/128");
    let negotiation = module.negotiate_fastest().expect("negotiate");
    assert!(negotiation.refused.is_empty(), "{:?}", negotiation.refused);
    run_rows(&mut module, &sim, "115200/256");
}

fn run_rows(module: &mut FingerprintModule<SerialTransport>, sim: &FingerprintSim, label: &str) {
    for _ in 0..ROUNDS {
        module
            .wait_for_finger(Instant::now() + Duration::from_secs(60))
            .expect("finger");
        let capture = module.upload_image(&mut |_| {}).expect("image");
        let sent = sim.control().last_image_sent().expect("sent image");
        assert!(capture.image == sent, "the image arrived intact");
        let stats = capture.stats;
        println!(
            "{label:<18}  {:>13}  {:>7} ms  {:>6} ms  {:.4}",
            stats.bytes_on_wire,
            stats.line_time().as_millis(),
            stats.elapsed.as_millis(),
            stats.efficiency_ratio()
        );
    }
}
