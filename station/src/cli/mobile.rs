//! `station mobile …`: the mobile kit's day list from a terminal (a technician preparing the kit,
//! or a script the evening before): prepare, show what is kept, forget it.

use std::{path::PathBuf, sync::Arc};

use clap::{Args, Subcommand};

use crate::{
    config::StationConfig,
    mobile::{DayList, prepare},
    operators::pin_key::PinKey,
};

/// `station mobile …`.
#[derive(Debug, Args)]
pub struct MobileArgs {
    /// The station configuration file (TOML).
    #[arg(long)]
    pub config: PathBuf,
    /// What to do.
    #[command(subcommand)]
    pub command: MobileCommand,
}

/// Mobile kit subcommands.
#[derive(Debug, Subcommand)]
pub enum MobileCommand {
    /// Fetch the day's appointments of this station's town hall and keep them, encrypted.
    Prepare {
        /// The day of the visits, `YYYY-MM-DD` (today when left out).
        #[arg(long)]
        date: Option<String>,
    },
    /// The day and the number of appointments kept (no names).
    Status,
    /// Delete the list kept.
    Forget,
}

fn day_list(config: &StationConfig) -> anyhow::Result<DayList> {
    let key = PinKey::open(&config.identity, &config.data_dir, config.development)?;
    Ok(DayList::open(&config.data_dir, Arc::new(key)))
}

/// Runs a mobile subcommand.
pub fn run(args: &MobileArgs) -> anyhow::Result<()> {
    let config = super::outbox::load(&args.config)?;
    if !config.mode.mobile {
        anyhow::bail!(
            "this station is not a mobile kit ([mode] mobile = true in {})",
            args.config.display()
        );
    }
    let list = day_list(&config)?;
    match &args.command {
        MobileCommand::Prepare { date } => {
            let date = date.clone().unwrap_or_else(crate::desk::clock::today);
            let day = prepare(&config.central_client(), &list, &date)?;
            crate::outln!(
                "date={} town_hall={} appointments={}",
                day.date,
                day.town_hall,
                day.pre_requests.len()
            );
        }
        MobileCommand::Status => match list.load()? {
            Some(day) => crate::outln!(
                "date={} town_hall={} appointments={}",
                day.date,
                day.town_hall,
                day.pre_requests.len()
            ),
            None => crate::outln!("appointments=none"),
        },
        MobileCommand::Forget => {
            let forgotten = list.forget()?;
            crate::outln!("forgotten={forgotten}");
        }
    }
    Ok(())
}
