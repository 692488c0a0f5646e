//! The `station` command line: one file per group of subcommands, for technicians and remote support.

pub mod app;
pub mod audit;
pub mod calibrate;
pub mod camera;
pub mod devices;
pub mod diagnose;
pub mod display;
pub mod fingerprint;
pub mod fingerprint_match;
pub mod fingerprint_quality;
pub mod handover;
pub mod mobile;
pub mod operator_gate;
pub mod outbox;
pub mod outbox_review;
pub mod output;
pub mod photo;
pub mod provision;
pub mod receipt;
pub mod selftest;
pub mod token;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// The enrolment station ("dispositif de recueil").
#[derive(Debug, Parser)]
#[command(name = "station", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The station's subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print the station's version and exit.
    Version,
    /// Print the station id, its key's algorithm and public key (a development file key is created
    /// at first start).
    Identity(outbox::IdentityArgs),
    /// Enrol this station with the national service (one-time code, national CA), write its
    /// configuration.
    Provision(provision::ProvisionArgs),
    /// The station key's token: create the key pair in it at installation (technician).
    Token(token::TokenArgs),
    /// The VC0706 camera: take a picture (technician).
    Camera(camera::CameraArgs),
    /// The ZFM/R30x fingerprint module: take a fingerprint image (technician).
    Fingerprint(fingerprint::FingerprintArgs),
    /// Handover (remise): check the applicant's live finger against the enrolled ones.
    Handover(handover::HandoverArgs),
    /// Photo compliance: check a photo against the ID photo rules.
    Photo(photo::PhotoArgs),
    /// The outbox of sealed records: status, list, drain.
    Outbox(outbox::OutboxArgs),
    /// The audit log: verify its chain and signatures.
    Audit(audit::AuditArgs),
    /// Calibrate the fingerprint sensor or the camera, print the measures and store them.
    Calibrate(calibrate::CalibrateArgs),
    /// The clerk's app (and the applicant's window) on this station.
    App(app::AppArgs),
    /// What is on each serial port: fingerprint module, camera, nothing (technician).
    Devices(devices::DevicesArgs),
    /// Self-test of each device, command log and error counters, as text and JSON (technician).
    Diagnose(diagnose::DiagnoseArgs),
    /// Complete test enrolments without a screen: capture, checks, seal, queue, upload, receipt.
    Selftest(selftest::SelftestArgs),
    /// Reprint an applicant's receipt (récépissé) as PDF from the outbox.
    Receipt(receipt::ReceiptArgs),
    /// The mobile kit: fetch the day's appointments before leaving, show or forget them.
    Mobile(mobile::MobileArgs),
}

/// Parses the command line, sets up logging to stderr and runs the chosen subcommand.
pub fn main() -> ExitCode {
    // Whatever this process creates (SQLite's temporary files, a library's own) is private to the
    // station's user; the station's own files are also created with an explicit mode.
    nix::sys::stat::umask(nix::sys::stat::Mode::from_bits_truncate(0o077));
    app::mark_launch();
    execute(std::env::args_os())
}

/// Runs the command line `args` (the program's name first) as `main` does: the demo's tests run
/// the technician commands this way against the demo's simulated station.
pub fn execute<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = Cli::parse_from(args);
    init_logging();
    let outcome: anyhow::Result<()> = match cli.command {
        Command::Version => {
            crate::outln!("station {}", env!("CARGO_PKG_VERSION"));
            Ok(())
        }
        Command::Identity(args) => outbox::identity(&args),
        Command::Provision(args) => provision::run(&args),
        Command::Token(args) => token::run(&args),
        Command::Camera(args) => camera::run(&args),
        Command::Audit(args) => audit::run(&args),
        Command::Calibrate(args) => calibrate::run(&args),
        Command::Fingerprint(args) => fingerprint::run(&args),
        Command::Photo(args) => return photo::run(&args),
        Command::Handover(args) => return handover::run(&args),
        Command::Outbox(args) => outbox::outbox(&args),
        Command::Devices(args) => devices::run(&args),
        Command::Diagnose(args) => diagnose::run(&args),
        Command::App(args) => app::run(&args),
        Command::Selftest(args) => selftest::run(&args),
        Command::Receipt(args) => receipt::run(&args),
        Command::Mobile(args) => mobile::run(&args),
    };
    exit_code(outcome)
}

/// Success, or the error printed for the person at the terminal and a failure code.
pub fn exit_code(outcome: anyhow::Result<()>) -> ExitCode {
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("erreur : {error:#}");
            ExitCode::FAILURE
        }
    }
}

/// Logs go to stderr, filtered by `RUST_LOG` (default: warnings), so that a command's own output on
/// stdout stays clean for scripts.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
