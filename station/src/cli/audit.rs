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
            let (log_path, key) = match (config, data_dir) {
                // The key the configuration names (in its token, in production).
                (Some(config), _) => {
                    let config = StationConfig::load(config)?;
                    let key = config.signer()?.station_key().clone();
                    (AuditLog::default_path(&config.data_dir), key)
                }
                // A data directory alone: only a development file key can be in it.
                (None, Some(dir)) => {
                    let key_path = StationIdentity::default_path(dir);
                    anyhow::ensure!(
                        key_path.exists(),
                        "no station key at {}",
                        key_path.display()
                    );
                    let key = StationIdentity::load_or_create(&key_path)?.public_key();
                    (AuditLog::default_path(dir), key.into())
                }
                (None, None) => anyhow::bail!("give --config FILE or --data-dir DIR"),
            };
            anyhow::ensure!(log_path.exists(), "no audit log at {}", log_path.display());
            let report = verify_file(&log_path, &key)
                .with_context(|| format!("audit log {}", log_path.display()))?;
            crate::outln!(
                "audit ok: {} entries, {} signed checkpoints, {} entries after the last checkpoint",
                report.entries,
                report.checkpoints,
                report.unsigned_tail
            );
            Ok(())
        }
    }
}
