//! Shared set-up for the fingerprint tests: a simulated module on a real pseudo-terminal and our
//! driver opened on its slave path, exactly as on a station.

use std::time::{Duration, Instant};

use drivers::transport::SerialTransport;
use drivers::zfm::FingerprintModule;
use firmware_sim::zfm_firmware::{FingerMode, FingerprintSim, FingerprintSimConfig};
use image::GrayImage;

/// The driver side.
pub type Module = FingerprintModule<SerialTransport>;

/// An unpaced simulator (fast tests) with a finger always on the sensor.
pub fn unpaced(seed: u64) -> FingerprintSimConfig {
    FingerprintSimConfig {
        seed,
        paced: false,
        finger: FingerMode::Auto,
        ..FingerprintSimConfig::default()
    }
}

/// Starts the simulator and opens the driver on its port (at 57,600 baud, the factory default;
/// probing finds the real speed).
pub fn start(config: FingerprintSimConfig) -> (FingerprintSim, Module) {
    let sim = FingerprintSim::start(config).expect("simulator starts");
    let path = sim.port_path().to_str().expect("utf-8 path").to_owned();
    let transport = SerialTransport::open(&path, 57_600).expect("driver opens the port");
    let mut module = FingerprintModule::new(transport);
    // The simulator synthesises each finger when GenImg arrives: on a loaded test machine in a
    // debug build that can take longer than a real sensor's 2 s.
    module.set_capture_timeout(Duration::from_secs(30));
    (sim, module)
}

/// A deadline for a finger that is on the sensor: generous, because the simulator synthesises the
/// image when GenImg arrives (slow in a debug build on a loaded machine); it bounds, not paces.
pub fn finger_deadline() -> Instant {
    Instant::now() + Duration::from_secs(60)
}

/// A deadline `ms` milliseconds from now.
pub fn within(ms: u64) -> Instant {
    Instant::now() + Duration::from_millis(ms)
}

/// Asserts two images are equal pixel for pixel, naming the first difference.
pub fn assert_same_image(received: &GrayImage, sent: &GrayImage) {
    assert_eq!(received.dimensions(), sent.dimensions(), "image size");
    if let Some((i, (a, b))) = received
        .as_raw()
        .iter()
        .zip(sent.as_raw())
        .enumerate()
        .find(|(_, (a, b))| a != b)
    {
        let w = received.width() as usize;
        panic!(
            "pixel ({}, {}) differs: received {a}, sent {b}",
            i % w,
            i / w
        );
    }
}

/// Reads away what the simulator is still sending after a failed transfer, so that stopping it
/// does not find it blocked on a full pseudo-terminal.
pub fn quiet_line(module: &mut Module) {
    let _ = module.discard_incoming(Duration::from_millis(100), Duration::from_secs(15));
}
