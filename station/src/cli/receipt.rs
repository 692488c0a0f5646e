//! `station receipt`: reprints an applicant's receipt (récépissé) from the outbox, for an applicant
//! who lost theirs or a printer that jammed.
//!
//! The outbox is read through a read-only SQLite connection, not [`crate::outbox::Outbox::open`]:
//! opening the outbox runs start-up recovery (it puts records being sent back in the queue), which
//! must not happen behind a running station's uploader.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::{
    config::{StationConfig, UiSettings},
    desk::ReceiptView,
    language::Language,
    receipt_slip,
    uplink::{Receipt, ReceiptCheck},
};

/// `station receipt`.
#[derive(Debug, Args)]
pub struct ReceiptArgs {
    /// The record id (UUID) printed on the receipt, as `station outbox list` shows it.
    #[arg(long)]
    pub record: String,
    /// The station configuration file (TOML): data directory, town hall and language.
    #[arg(long, conflicts_with = "data_dir")]
    pub config: Option<PathBuf>,
    /// The station's data directory (holds `outbox.sqlite`), instead of a configuration file.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// The town hall's name on the receipt (default: the configuration's, else "Mairie").
    #[arg(long)]
    pub town_hall: Option<String>,
    /// `fr` or `en` (default: the configuration's, else French).
    #[arg(long, value_parser = parse_language)]
    pub language: Option<Language>,
    /// Where to write the PDF.
    #[arg(long)]
    pub out: PathBuf,
}

fn parse_language(text: &str) -> Result<Language, String> {
    match text {
        "fr" => Ok(Language::French),
        "en" => Ok(Language::English),
        other => Err(format!("{other}: expected fr or en")),
    }
}

/// What the outbox knows of one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxFacts {
    /// The pre-request number it was queued with.
    pub pre_request: Option<String>,
    /// When it was queued (ms since the epoch).
    pub queued_at_ms: i64,
    /// `queued`, `sending`, `acknowledged` or `purged`.
    pub state: String,
    /// The central's receipt (JSON), once acknowledged.
    pub receipt: Option<String>,
}

/// Reads one record's row from the outbox database at `path`, read-only; `None` when the outbox
/// has no such record.
pub fn outbox_facts(path: &Path, record_id: &str) -> anyhow::Result<Option<OutboxFacts>> {
    if !path.is_file() {
        anyhow::bail!("no outbox at {}", path.display());
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .with_context(|| format!("outbox {}", path.display()))?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    let facts = conn
        .query_row(
            "SELECT pre_request, queued_at_ms, state, receipt FROM records WHERE record_id = ?1",
            [record_id],
            |row| {
                Ok(OutboxFacts {
                    pre_request: row.get(0)?,
                    queued_at_ms: row.get(1)?,
                    state: row.get(2)?,
                    receipt: row.get(3)?,
                })
            },
        )
        .optional()
        .with_context(|| format!("outbox {}", path.display()))?;
    Ok(facts)
}

/// Runs `station receipt`: writes the PDF and prints the record's transmission state.
pub fn run(args: &ReceiptArgs) -> anyhow::Result<()> {
    let (data_dir, ui) = match (&args.config, &args.data_dir) {
        (Some(config), None) => {
            let config = StationConfig::load(config)?;
            (config.data_dir, config.ui)
        }
        (None, Some(dir)) => (dir.clone(), UiSettings::default()),
        _ => anyhow::bail!("give --config FILE or --data-dir DIR"),
    };
    let language = args.language.unwrap_or(ui.language);
    let town_hall = args.town_hall.clone().unwrap_or(ui.town_hall);
    let record_id = args.record.trim().to_ascii_lowercase();
    let outbox_path = data_dir.join("outbox.sqlite");
    let facts = outbox_facts(&outbox_path, &record_id)?
        .with_context(|| format!("record {record_id} is not in the outbox"))?;
    let pre_request = facts
        .pre_request
        .with_context(|| format!("record {record_id} has no pre-request number"))?;
    let receipt = ReceiptView {
        pre_request,
        // Derived from the record id: the reprint gives the reference the first print gave.
        case_reference: wire::case_reference::case_reference(&record_id),
        record_id: record_id.clone(),
        date: crate::desk::clock::for_people(facts.queued_at_ms),
        town_hall,
        // The station keeps no detail of a sealed record: the reprint says so.
        captured: Vec::new(),
        pdf: None,
        printed: None,
    };
    receipt_slip::write_pdf(&receipt, language, &args.out)?;
    crate::outln!("receipt={}", args.out.display());
    crate::outln!("state={}", facts.state);
    if let Some(central) = facts.receipt.as_deref() {
        match Receipt::parse(central.as_bytes()) {
            Ok(central) => crate::outln!("received_by_central_at={}", central.received_at),
            Err(error) => {
                tracing::warn!(record_id = %record_id, %error, "stored receipt unreadable")
            }
        }
    }
    Ok(())
}
