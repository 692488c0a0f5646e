//! Technician commands around records: the station identity and the outbox.

use std::{
    path::{Path, PathBuf},
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::{
    config::StationConfig,
    outbox::{Outbox, now_ms, review::Decision},
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
    /// The records sealed with an exception that wait for a supervisor's decision.
    Waiting,
    /// A supervisor approves a waiting record: it joins the queue (PIN read from standard input).
    Approve {
        /// The record id.
        record: String,
        /// The supervisor's account name.
        #[arg(long)]
        operator: String,
        /// Why (optional).
        #[arg(long, default_value = "")]
        reason: String,
    },
    /// A supervisor rejects a waiting record: its sealed bytes are deleted, never sent, and the
    /// applicant must come back (PIN read from standard input).
    Reject {
        /// The record id.
        record: String,
        /// The supervisor's account name.
        #[arg(long)]
        operator: String,
        /// Why (required).
        #[arg(long)]
        reason: String,
    },
    /// Runs the uploader until nothing waits (or the timeout passes).
    Drain {
        /// Give up after this many seconds.
        #[arg(long, default_value_t = 600)]
        timeout_s: u64,
    },
}

/// The configuration at `path`, with its data directory created.
pub fn load(path: &Path) -> anyhow::Result<StationConfig> {
    let config = StationConfig::load(path)?;
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("data directory {}", config.data_dir.display()))?;
    Ok(config)
}

/// Prints the station id, its key's algorithm and public key, as the central registers them
/// (a development file key is created at first start).
pub fn identity(args: &IdentityArgs) -> anyhow::Result<()> {
    let config = load(&args.config)?;
    let signer = config.signer()?;
    let key = signer.station_key();
    crate::outln!("station_id={}", config.station_id);
    crate::outln!("algorithm={}", key.algorithm);
    crate::outln!("public_key={}", key.to_hex());
    Ok(())
}

/// Runs an outbox subcommand.
pub fn outbox(args: &OutboxArgs) -> anyhow::Result<()> {
    let config = args.config.as_path();
    let decide = |decision, record: &str, operator: &str, reason: &str| {
        super::outbox_review::decide(config, record, operator, decision, reason)
    };
    match &args.command {
        OutboxCommand::Status => status(config),
        OutboxCommand::List => list(config),
        OutboxCommand::Waiting => waiting(config),
        OutboxCommand::Approve {
            record,
            operator,
            reason,
        } => decide(Decision::Approve, record, operator, reason),
        OutboxCommand::Reject {
            record,
            operator,
            reason,
        } => decide(Decision::Reject, record, operator, reason),
        OutboxCommand::Drain { timeout_s } => drain(config, Duration::from_secs(*timeout_s)),
    }
}

/// The configuration at `path` and its outbox, opened to read only: the running station's outbox
/// is left exactly as it is.
fn read_only(path: &Path) -> anyhow::Result<(StationConfig, Outbox)> {
    let config = StationConfig::load(path)?;
    let outbox = Outbox::open_read_only(&config.outbox_path())?;
    Ok((config, outbox))
}

/// `station outbox status`.
fn status(path: &Path) -> anyhow::Result<()> {
    let (config, outbox) = read_only(path)?;
    let status = outbox.status()?;
    crate::outln!(
        "awaiting_approval={} queued={} sending={} acknowledged={} purged={} rejected={} with_errors={} pending_bytes={}",
        status.awaiting_approval,
        status.queued,
        status.sending,
        status.acknowledged,
        status.purged,
        status.rejected,
        status.with_errors,
        status.pending_bytes
    );
    match status.oldest_unacknowledged_ms {
        Some(oldest) => {
            crate::outln!("oldest_unacknowledged_s={}", (now_ms() - oldest) / 1000)
        }
        None => crate::outln!("oldest_unacknowledged_s=none"),
    }
    match config.freeze_limits().check(&status, now_ms()) {
        Ok(()) => crate::outln!("enrolment=open"),
        Err(frozen) => crate::outln!("enrolment=frozen: {frozen}"),
    }
    crate::outln!("integrity={}", outbox.integrity_check()?);
    Ok(())
}

/// `station outbox list`.
fn list(path: &Path) -> anyhow::Result<()> {
    let (_, outbox) = read_only(path)?;
    for r in outbox.list()? {
        crate::outln!(
            "{} {:?} attempts={} {}",
            r.record_id,
            r.state,
            r.attempts,
            r.last_error.unwrap_or_default()
        );
    }
    Ok(())
}

/// `station outbox waiting`: what the exception is and since when; no number, no biometric
/// content.
fn waiting(path: &Path) -> anyhow::Result<()> {
    let (_, outbox) = read_only(path)?;
    for r in outbox.awaiting_approval()? {
        crate::outln!(
            "{} reference={} exceptions={} waiting_s={}",
            r.record_id,
            wire::case_reference::case_reference(&r.record_id),
            r.exceptions.to_column(),
            (now_ms() - r.queued_at_ms) / 1000
        );
    }
    Ok(())
}

/// `station outbox drain`: sends every waiting record, as the outbox's owner (refused while the
/// station's app owns it: two uploaders would send the same records).
fn drain(config: &Path, timeout: Duration) -> anyhow::Result<()> {
    let config = load(config)?;
    let outbox = Arc::new(Outbox::open(&config.outbox_path())?);
    anyhow::ensure!(
        outbox.owns(),
        "another process (the station's app?) is using the outbox: stop it before draining"
    );
    // The numbers of the records it sends are hashed at their receipt, as the app does.
    let operators = crate::operators::Operators::open_station(
        &config,
        crate::operators::LockoutPolicy::default(),
    )?;
    outbox.hash_numbers_with(Arc::new(operators.key()))?;
    let uploader = start_uploader(&config, &outbox)?;
    wait_drained(&outbox, timeout)?;
    uploader.stop();
    crate::outln!("drained");
    Ok(())
}

/// The uploader on `config`'s central, started on `outbox`.
pub fn start_uploader(config: &StationConfig, outbox: &Arc<Outbox>) -> anyhow::Result<Uploader> {
    // The audit log exists once the station has run; a station that never did has no checkpoint.
    let audit = crate::audit::AuditLog::default_path(&config.data_dir);
    let checkpoints = if audit.exists() {
        Some(crate::audit::CheckpointReader::open(&audit)?)
    } else {
        None
    };
    Ok(Uploader::start_with_checkpoints(
        Arc::clone(outbox),
        config.central_client(),
        config.central_keys()?.receipt_public_key,
        config.uploader,
        None,
        checkpoints,
    ))
}

/// Returns once nothing waits in `outbox` (every record sent and purged), or fails after `timeout`.
pub fn wait_drained(outbox: &Outbox, timeout: Duration) -> anyhow::Result<()> {
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
