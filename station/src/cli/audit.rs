//! `station audit verify`: checks the audit log's chain and signed checkpoints (technician,
//! inspector).

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::{
    audit::{AuditLog, verify_file},
    config::StationConfig,
    seal::identity::StationIdentity,
};

/// `station audit …`.
#[derive(Debug, Args)]
pub struct AuditArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: AuditCommand,
}

/// Audit subcommands.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Verify every entry's hash, link and sequence number and every checkpoint's signature.
    Verify {
        /// The station configuration file (TOML); its data directory holds the log and the key.
        #[arg(long, conflicts_with = "data_dir")]
        config: Option<PathBuf>,
        /// The station's data directory, instead of a configuration file.
        #[arg(long)]
        data_dir: Option<PathBuf>,
    },
}

/// Runs an audit subcommand: prints a one-line verdict, fails when the log does not verify.
pub fn run(args: &AuditArgs) -> anyhow::Result<()> {
    match &args.command {
        AuditCommand::Verify { config, data_dir } => {
            let (log_path, key_path) = match (config, data_dir) {
                (Some(config), _) => {
                    let config = StationConfig::load(config)?;
                    (
                        AuditLog::default_path(&config.data_dir),
                        config.identity_path(),
                    )
                }
                (None, Some(dir)) => (
                    AuditLog::default_path(dir),
                    StationIdentity::default_path(dir),
                ),
                (None, None) => anyhow::bail!("give --config FILE or --data-dir DIR"),
            };
            anyhow::ensure!(log_path.exists(), "no audit log at {}", log_path.display());
            anyhow::ensure!(
                key_path.exists(),
                "no station key at {}",
                key_path.display()
            );
            let identity = StationIdentity::load_or_create(&key_path)?;
            let report = verify_file(&log_path, &identity.public_key())
                .with_context(|| format!("audit log {}", log_path.display()))?;
            println!(
                "audit ok: {} entries, {} signed checkpoints, {} entries after the last checkpoint",
                report.entries, report.checkpoints, report.unsigned_tail
            );
            Ok(())
        }
    }
}
