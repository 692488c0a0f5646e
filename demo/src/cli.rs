//! The `station-demo` command line: the demo itself (the default), and the headless tools that run
//! on a simulated station.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::{enrol_test, run, selftest};

/// A whole enrolment station on this machine: simulated devices, a local national service and the
/// real clerk's app; no hardware, no network.
#[derive(Debug, Parser)]
#[command(name = "station-demo", version, about)]
pub struct Cli {
    /// The demo's options, when no subcommand is given.
    #[command(flatten)]
    pub demo: run::DemoArgs,
    /// Something other than the demo's window.
    #[command(subcommand)]
    pub command: Option<Command>,
}

/// The demo's subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Complete test enrolments without a screen on simulated devices and a local central.
    Selftest(selftest::SelftestArgs),
    /// Headless worker: seal sample records while the uploader runs (the crash test's worker).
    EnrolTest(enrol_test::EnrolTestArgs),
}

/// Parses the command line, sets up logging to stderr and runs the demo or the chosen subcommand.
pub fn main() -> ExitCode {
    station::cli::app::mark_launch();
    let cli = Cli::parse();
    station::cli::init_logging();
    let outcome = match cli.command {
        None => run::run(&cli.demo),
        Some(Command::Selftest(args)) => selftest::run(&args),
        Some(Command::EnrolTest(args)) => enrol_test::run(&args),
    };
    station::cli::exit_code(outcome)
}
