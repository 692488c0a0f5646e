//! `station receipt`: reprints an applicant's receipt (récépissé) from the outbox, for an applicant
//! who lost theirs or a printer that jammed. The receipt names a citizen's file: the operator signs
//! in first (PIN on standard input) and the reprint is audited with the record's id.
//!
//! The outbox is read through a read-only SQLite connection, not [`crate::outbox::Outbox::open`]:
//! opening the outbox runs start-up recovery (it puts records being sent back in the queue), which
//! must not happen behind a running station's uploader.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;
use rusqlite::{Connection, OpenFlags, OptionalExtension};

use crate::{
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
    /// Who reprints it, and the station configuration file (TOML): data directory, accounts,
    /// town hall and language.
    #[command(flatten)]
    pub signed: super::operator_gate::OperatorArgs,
    /// The town hall's name on the receipt (default: the configuration's, else "Mairie").
    #[arg(long)]
    pub town_hall: Option<String>,
    /// `fr` or `en` (default: the configuration's, else French).
    #[arg(long, value_parser = parse_language)]
    pub language: Option<Language>,
    /// Where to write the PDF.
    #[arg(long)]
    pub out: PathBuf,
    /// The pre-request number on the applicant's papers: needed once the central has received
    /// the file (the station then keeps only a keyed hash of the number, checked against it).
    #[arg(long)]
    pub number: Option<String>,
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
    /// The pre-request number it was queued with, until the central's receipt.
    pub pre_request: Option<String>,
    /// The keyed hash of the number (hex), once the central's receipt is stored.
    pub pre_request_mac: Option<String>,
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
    crate::outbox::database::check_readable(&conn)?;
    let facts = conn
        .query_row(
            "SELECT pre_request, queued_at_ms, state, receipt, pre_request_mac FROM records
             WHERE record_id = ?1",
            [record_id],
            |row| {
                Ok(OutboxFacts {
                    pre_request: row.get(0)?,
                    queued_at_ms: row.get(1)?,
                    state: row.get(2)?,
                    receipt: row.get(3)?,
                    pre_request_mac: row.get(4)?,
                })
            },
        )
        .optional()
        .with_context(|| format!("outbox {}", path.display()))?;
    Ok(facts)
}

/// Runs `station receipt`: writes the PDF and prints the record's transmission state.
pub fn run(args: &ReceiptArgs) -> anyhow::Result<()> {
    let record_id = args.record.trim().to_ascii_lowercase();
    // The receipt is handed to the applicant at the counter, as the app's "print the receipt"
    // is: the roles that may enrol (a clerk or a supervisor) may reprint it, a technician (who
    // has no business with a citizen's file) may not.
    let signed = super::operator_gate::sign_in(
        &args.signed,
        "receipt",
        crate::operators::Role::may_enrol,
        Some(&record_id),
    )?;
    let config = signed.config();
    let language = args.language.unwrap_or(config.ui.language);
    let town_hall = args
        .town_hall
        .clone()
        .unwrap_or_else(|| config.ui.town_hall.clone());
    let outbox_path = config.outbox_path();
    let facts = outbox_facts(&outbox_path, &record_id)?
        .with_context(|| format!("record {record_id} is not in the outbox"))?;
    let pre_request = number_for(&facts, args.number.as_deref(), signed.key())
        .with_context(|| format!("record {record_id}"))?;
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

/// The number to print: the one the outbox still holds, or the one given with `--number` when it
/// hashes to the tag the outbox kept after the receipt.
fn number_for(
    facts: &OutboxFacts,
    given: Option<&str>,
    key: &crate::operators::PinKey,
) -> anyhow::Result<String> {
    let given = given
        .map(|n| crate::uplink::PreRequestNumber::parse(n).context("--number"))
        .transpose()?;
    match (&facts.pre_request, &facts.pre_request_mac, given) {
        (Some(kept), _, None) => Ok(kept.clone()),
        (Some(kept), _, Some(given)) if kept.eq_ignore_ascii_case(given.as_str()) => {
            Ok(kept.clone())
        }
        (None, Some(mac), Some(given)) => {
            let tag = crate::outbox::number_tag::tag(key, given.as_str())?;
            anyhow::ensure!(
                tag.eq_ignore_ascii_case(mac),
                "le numéro donné n'est pas celui de ce dossier"
            );
            Ok(given.as_str().to_owned())
        }
        (None, Some(_), None) => anyhow::bail!(
            "le centre a reçu ce dossier : la station n'en garde plus le numéro de pré-demande ; \
             donnez-le avec --number (il sera vérifié)"
        ),
        (Some(_), _, Some(_)) => anyhow::bail!("le numéro donné n'est pas celui de ce dossier"),
        (None, None, _) => anyhow::bail!("no pre-request number"),
    }
}
