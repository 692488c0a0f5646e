//! `station-demo enrol-test`: a headless worker that seals sample records one after another while
//! the uploader runs, printing `queued <record_id> <pre_request>` after each durable commit. The
//! crash test kills it at random moments and checks that nothing is lost or sent twice.

use std::{io::Write, path::PathBuf, sync::Arc, time::Duration};

use clap::Args;
use station::{
    cli::outbox::{load, start_uploader, wait_drained},
    outbox::Outbox,
    seal::{Sealer, now_rfc3339},
};
use uuid::Uuid;

use crate::sample_record::sample_payload;

/// `station-demo enrol-test`.
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

/// Seals synthetic records one after another while the uploader runs, printing
/// `queued <record_id> <pre_request>` after each durable commit, then `drained`.
pub fn run(args: &EnrolTestArgs) -> anyhow::Result<()> {
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
        signer: config.signer()?,
        central: config.central_keys()?,
        station_id: config.station_id.clone(),
    };
    let outbox = Arc::new(Outbox::open(&config.outbox_path())?);
    // As the app does at start: a record acknowledged just before a crash is purged on its receipt.
    let unproven = outbox.purge_proven(&sealer.central.receipt_public_key)?;
    anyhow::ensure!(
        unproven.is_empty(),
        "records marked received without proof: {unproven:?}"
    );
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
        let announcement =
            station::seal::announce(&sealed, &number, &sealer.station_id, sealer.signer.as_ref())?;
        outbox.enqueue_announced(&sealed, &announcement)?;
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
