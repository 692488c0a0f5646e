//! `firmware-sim`: serves a simulated device on a pseudo-terminal, one subcommand per device.

use clap::{Parser, Subcommand};
use firmware_sim::vc0706_firmware::cli::CameraArgs;
use firmware_sim::zfm_firmware::cli::FingerprintArgs;

/// Simulated serial devices of the enrolment station, on real pseudo-terminals.
#[derive(Debug, Parser)]
#[command(name = "firmware-sim", version)]
struct Cli {
    #[command(subcommand)]
    device: Device,
}

/// The device to simulate.
#[derive(Debug, Subcommand)]
enum Device {
    /// A ZFM / R30x / R503 fingerprint module.
    Fingerprint(FingerprintArgs),
    /// A VC0706 serial JPEG camera.
    Camera(CameraArgs),
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    match cli.device {
        Device::Fingerprint(args) => firmware_sim::zfm_firmware::cli::run(&args),
        Device::Camera(args) => firmware_sim::vc0706_firmware::cli::run(&args),
    }
}
