//! `station token create-key`: the technician's installation step that creates the station's key
//! pair inside its PKCS#11 token (the token itself is initialised with the token's own tool first,
//! see docs/station-token.md), then prints the public key to register with the central.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};

use crate::{
    config::StationConfig,
    seal::{IdentitySettings, TokenKey},
};

/// `station token …`.
#[derive(Debug, Args)]
pub struct TokenArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: TokenCommand,
}

/// The token subcommands.
#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Create the station's ECDSA P-256 key pair in the token named by `[identity]` (refused if
    /// the label is taken) and print its public key.
    CreateKey {
        /// The station configuration file (TOML) with `[identity] kind = "pkcs11"`.
        #[arg(long)]
        config: PathBuf,
    },
}

/// Runs a token subcommand.
pub fn run(args: &TokenArgs) -> anyhow::Result<()> {
    match &args.command {
        TokenCommand::CreateKey { config } => {
            let config = StationConfig::load(config)?;
            let IdentitySettings::Pkcs11(token) = &config.identity else {
                anyhow::bail!(
                    "[identity] kind is not \"pkcs11\": the station key is not in a token"
                );
            };
            let key = TokenKey::create(token).context("création de la clé dans le jeton")?;
            crate::outln!("station_id={}", config.station_id);
            crate::outln!("algorithm={}", key.algorithm);
            crate::outln!("public_key={}", key.to_hex());
            Ok(())
        }
    }
}
