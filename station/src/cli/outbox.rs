//! Technician commands around records: the station identity, the outbox, and a headless enrolment
//! worker (`enrol-test`) that seals synthetic records while the uploader runs (crash test, demo).

use std::{
    io::Write,
    path::PathBuf,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context;
use clap::{Args, Subcommand};
use uuid::Uuid;

use crate::{
    config::StationConfig,
    outbox::{Outbox, now_ms},
    record::sample::sample_payload,
    seal::{Sealer, StationIdentity, now_rfc3339},
    uplink::Uploader,
};

/// `station identity`.
#[derive(Debug, Args)]
pub struct IdentityArgs {
    /// The station configuration file (TOML).
    #[arg(long)]
    pub config: PathBuf,
}

/// `station outbox …`.
#[derive(Debug, Args)]
pub struct OutboxArgs {
    /// The station configuration file (TOML).
    #[arg(long)]
    pub config: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: OutboxCommand,
}

/// Outbox subcommands.
#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// Counts per state, age of the oldest waiting record, freeze state, integrity.
    Status,
    /// One line per record.
    List,
    /// Runs the uploader until nothing waits (or the timeout passes).
    Drain {
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 600)]
        timeout_s: u64,
    },
}

/// `station enrol-test`.
#[derive(Debug, Args)]
pub struct EnrolTestArgs {
    /// The station configuration file (TOML).
    #[arg(long)]
    pub config: PathBuf,
    /// Stop sealing once the outbox holds this many records in total (a restarted worker carries on).
    #[arg(long)]
    pub count: u64,
    /// Pre-request numbers are this prefix followed by the record's index, 10 characters in all.
    #[arg(long, default_value = "CR")]
    pub prefix: String,
    /// Also put a camera portrait in each record.
    #[arg(long)]
    pub with_face: bool,
    /// Exit once sealed, without waiting for the uploads.
    #[arg(long)]
    pub no_wait: bool,
    /// Give up waiting for the uploads after this many seconds.
    #[arg(long, default_value_t = 600)]
    pub timeout_s: u64,
}

fn load(path: &std::path::Path) -> anyhow::Result<StationConfig> {
    let config = StationConfig::load(path)?;
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("data directory {}", config.data_dir.display()))?;
    Ok(config)
}

/// Prints the station id and public key (creating the key at first start).
pub fn identity(args: &IdentityArgs) -> anyhow::Result<()> {
    let config = load(&args.config)?;
    let identity = StationIdentity::load_or_create(&config.identity_path())?;
    println!("station_id={}", config.station_id);
    println!("public_key={}", identity.public_key_hex());
    Ok(())
}

/// Runs an outbox subcommand.
pub fn outbox(args: &OutboxArgs) -> anyhow::Result<()> {
    let config = load(&args.config)?;
    let outbox = Arc::new(Outbox::open(&config.outbox_path())?);
    match args.command {
        OutboxCommand::Status => {
            let status = outbox.status()?;
            println!(
                "queued={} sending={} acknowledged={} purged={} with_errors={} pending_bytes={}",
                status.queued,
                status.sending,
                status.acknowledged,
                status.purged,
                status.with_errors,
                status.pending_bytes
            );
            match status.oldest_unacknowledged_ms {
                Some(oldest) => println!("oldest_unacknowledged_s={}", (now_ms() - oldest) / 1000),
                None => println!("oldest_unacknowledged_s=none"),
            }
            match config.freeze.check(&status, now_ms()) {
                Ok(()) => println!("enrolment=open"),
                Err(frozen) => println!("enrolment=frozen: {frozen}"),
            }
            println!("integrity={}", outbox.integrity_check()?);
        }
        OutboxCommand::List => {
            for r in outbox.list()? {
                println!(
                    "{} {:?} attempts={} {}",
                    r.record_id,
                    r.state,
                    r.attempts,
                    r.last_error.unwrap_or_default()
                );
            }
        }
        OutboxCommand::Drain { timeout_s } => {
            let uploader = start_uploader(&config, &outbox)?;
            wait_drained(&outbox, Duration::from_secs(timeout_s))?;
            uploader.stop();
            println!("drained");
        }
    }
    Ok(())
}

fn start_uploader(config: &StationConfig, outbox: &Arc<Outbox>) -> anyhow::Result<Uploader> {
    Ok(Uploader::start(
        Arc::clone(outbox),
        config.central_client(),
        config.central_keys()?.receipt_public_key,
        config.uploader,
        None,
    ))
}

fn wait_drained(outbox: &Outbox, timeout: Duration) -> anyhow::Result<()> {
    let start = Instant::now();
    loop {
        let status = outbox.status()?;
        if status.backlog() == 0 && status.acknowledged == 0 {
            return Ok(());
        }
        if start.elapsed() > timeout {
            anyhow::bail!(
                "{} records still waiting after {timeout:?}",
                status.backlog()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Seals synthetic records one after another while the uploader runs, printing
/// `queued <record_id> <pre_request>` after each durable commit, then `drained`.
pub fn enrol_test(args: &EnrolTestArgs) -> anyhow::Result<()> {
    let config = load(&args.config)?;
    if args.prefix.len() >= 10
        || !args
            .prefix
            .bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    {
        anyhow::bail!("--prefix must be under 10 upper-case letters or digits");
    }
    let sealer = Sealer {
        identity: StationIdentity::load_or_create(&config.identity_path())?,
        central: config.central_keys()?,
        station_id: config.station_id.clone(),
    };
    let outbox = Arc::new(Outbox::open(&config.outbox_path())?);
    let uploader = start_uploader(&config, &outbox)?;
    let mut stdout = std::io::stdout();
    loop {
        let status = outbox.status()?;
        // The index comes from the outbox, so a record committed just before a crash is never
        // sealed twice under the same pre-request.
        let index = status.backlog() + status.acknowledged + status.purged;
        if index >= args.count {
            break;
        }
        let number = format!(
            "{}{:0width$}",
            args.prefix,
            index,
            width = 10 - args.prefix.len()
        );
        let record_id = Uuid::new_v4().to_string();
        let payload = sample_payload(
            &record_id,
            &config.station_id,
            &number,
            &now_rfc3339(),
            index,
            args.with_face,
        )?;
        let sealed = sealer.seal(&payload)?;
        drop(payload);
        outbox.enqueue(&sealed, Some(&number))?;
        writeln!(stdout, "queued {record_id} {number}")?;
        stdout.flush()?;
        uploader.wake();
    }
    if !args.no_wait {
        wait_drained(&outbox, Duration::from_secs(args.timeout_s))?;
        writeln!(stdout, "drained")?;
        stdout.flush()?;
    }
    uploader.stop();
    Ok(())
}
