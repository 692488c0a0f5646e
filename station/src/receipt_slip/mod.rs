//! The applicant's receipt (récépissé): what the town hall hands over after the capture
//! (docs/reference/counter-workflow.md, "The flow at the counter" step 5), printable as an A4 PDF
//! and shown as text on screen.
//!
//! The PDF uses the builtin Helvetica with WinAnsiEncoding, which covers all of French, so no font
//! file is shipped or embedded. It never holds an image: the receipt states what was captured, it
//! does not show it. Nor does it name the applicant or give their height, eye colour or answer to
//! the storage question: a slip is carried, shown and lost, and it proves a deposit (number,
//! reference, date, town hall, what was captured), which none of those adds to.

pub mod blocks;
pub mod pdf;
pub mod printer;
pub mod winansi;
pub mod wording;

use std::path::{Path, PathBuf};

use crate::{desk::ReceiptView, language::Language};

/// Why a receipt could not be written.
#[derive(Debug, thiserror::Error)]
pub enum SlipError {
    /// A receipt without this would mislead the applicant: refused rather than printed.
    #[error("the receipt has no {0}")]
    Missing(&'static str),
    /// The file could not be written (no such folder, no permission, disk full, a folder's name).
    #[error("cannot write the receipt PDF {path}: {source}")]
    Write {
        /// The file asked for.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

/// The receipt as plain text in `language` (the on-screen version): the same content, in the
/// same order, as the PDF.
pub fn render_text(receipt: &ReceiptView, language: Language) -> String {
    blocks::to_text(&blocks::blocks(receipt, language))
}

/// The receipt as an A4 PDF: refused when it lacks what the applicant needs to follow the file.
pub fn render_pdf(receipt: &ReceiptView, language: Language) -> Result<Vec<u8>, SlipError> {
    if receipt.pre_request.trim().is_empty() {
        return Err(SlipError::Missing("pre-request number"));
    }
    if receipt.record_id.trim().is_empty() {
        return Err(SlipError::Missing("record id"));
    }
    let rendered = pdf::render(
        &blocks::blocks(receipt, language),
        &title(receipt, language),
        language,
    );
    if rendered.replaced > 0 {
        tracing::warn!(
            record_id = %receipt.record_id,
            replaced = rendered.replaced,
            "receipt characters outside WinAnsi printed as '?'"
        );
    }
    Ok(rendered.bytes)
}

/// The document's title, also the print job's name.
pub fn title(receipt: &ReceiptView, language: Language) -> String {
    format!(
        "{} {}",
        wording::wording(language).title,
        receipt.pre_request.trim()
    )
}

/// Writes the receipt as an A4 PDF at `path`. The file appears whole or not at all (written beside
/// it, then renamed), so a print spooler watching the folder never takes half a file.
pub fn write_pdf(receipt: &ReceiptView, language: Language, path: &Path) -> Result<(), SlipError> {
    let bytes = render_pdf(receipt, language)?;
    write_whole(path, &bytes).map_err(|source| SlipError::Write {
        path: path.to_owned(),
        source,
    })?;
    tracing::info!(
        record_id = %receipt.record_id,
        path = %path.display(),
        bytes = bytes.len(),
        "receipt PDF written"
    );
    Ok(())
}

/// Writes `bytes` to `path` through a 0600 `path.part` renamed into place: the receipt names the
/// applicant, it is as private as the rest of the data directory.
fn write_whole(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    crate::files::write_private(path, bytes)
}
