//! The fleet load test: N simulated stations, each enrolled through the real provisioning flow
//! with a certificate of its own, live a national day compressed against the centrals behind one
//! address (scripts/fleet.sh starts PostgreSQL, the replicas and HAProxy, and injects the faults):
//! pre-request look-ups, announcements, sealed uploads whose receipts are checked, handover
//! look-ups. Prints records/s, latencies, failures, and the lost / duplicated / orphaned counts
//! after the outboxes drained.
//!
//! Not run by CI (the integration suite runs the same code on a small fleet, `fleet_smoke`):
//! ```text
//! scripts/fleet.sh                        # 4,500 stations × 25 records, faults mid-run
//! STATIONS=20 RECORDS=3 scripts/fleet.sh  # a quick check
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

#[path = "../../tests/common/mod.rs"]
mod common;
#[path = "../../tests/fleet_tool/mod.rs"]
mod fleet_tool;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use fleet_tool::{DayPlan, Fault, FleetRun};

#[derive(Parser)]
#[command(
    name = "fleet",
    about = "Load test of the centrals by a fleet of simulated stations"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write the pre-requests of the fleet's day (for `central serve --prerequests`).
    Prerequests {
        /// Stations in the fleet.
        #[arg(long)]
        stations: usize,
        /// Records each station seals.
        #[arg(long)]
        records: usize,
        /// File to write.
        #[arg(long)]
        out: PathBuf,
    },
    /// Enrol the fleet and live the day against the centrals.
    Run {
        /// The centrals' address (the load balancer), e.g. https://127.0.0.1:18443.
        #[arg(long)]
        url: String,
        /// The national CA the stations are provisioned with (DATA/keys/tls-ca.pem).
        #[arg(long)]
        ca: PathBuf,
        /// The centrals' data directory: enrolment codes are issued in it, and the store is
        /// audited at the end.
        #[arg(long)]
        data: PathBuf,
        /// The centrals' PostgreSQL database (as `central --database`); SQLite in `data` without.
        #[arg(long)]
        database: Option<String>,
        /// Stations in the fleet.
        #[arg(long, default_value_t = 4_500)]
        stations: usize,
        /// Records each station seals.
        #[arg(long, default_value_t = 25)]
        records: usize,
        /// Worker threads (each lives the day of its share of the stations, one exchange at a time).
        #[arg(long, default_value_t = 48)]
        workers: usize,
        /// Records sealed per second across the fleet (a paced day); as fast as taken without.
        #[arg(long)]
        rate: Option<f64>,
        /// PERCENT:COMMAND — run COMMAND (sh -c) once PERCENT of the records are receipted.
        #[arg(long = "fault")]
        faults: Vec<Fault>,
    },
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Prerequests {
            stations,
            records,
            out,
        } => fleet_tool::catalogue::write(&out, stations, records),
        Command::Run {
            url,
            ca,
            data,
            database,
            stations,
            records,
            workers,
            rate,
            faults,
        } => {
            let ca_pem = std::fs::read_to_string(&ca)?;
            let choice = central::storage::DatabaseChoice::from_url(database.as_deref());
            let db = central::storage::Database::open_with(&data, &choice)?;
            let run = FleetRun {
                stations,
                plan: DayPlan {
                    base: url,
                    records,
                    workers,
                    rate,
                },
                faults,
            };
            let mut report = run.run(&ca_pem, &db)?;
            drop(db);
            let db = central::storage::Database::open_with(&data, &choice)?;
            report.audit_against(&db, &data)?;
            for line in report.lines() {
                println!("{line}");
            }
            println!(
                "failed exchanges (retried or counted above): {}",
                report.tally.failure_count()
            );
            anyhow::ensure!(report.clean(), "records lost, duplicated or orphaned");
            Ok(())
        }
    }
}
