//! A record taken without a pre-request carries the paper form the clerk typed. It is checked with
//! the same civil-status rules as the pre-requests the central serves ([`wire::civil_status`]); a
//! record that names no pre-request and carries no form is refused, as is one that carries both.

use wire::manifest::Manifest;
use wire::paper_form::{NO_PRE_REQUEST, PaperForm};

use super::IntakeError;
use super::payload::PayloadError;

/// What the manifest says the record was taken for.
#[derive(Debug, Clone)]
pub enum TakenFor {
    /// A pre-request, by its canonical number.
    PreRequest(String),
    /// The typed paper form, checked.
    PaperForm(Box<PaperForm>),
}

/// Reads and checks what the record was taken for, on the central's day `today` (`YYYY-MM-DD`).
pub fn taken_for(manifest: &Manifest, today: &str) -> Result<TakenFor, IntakeError> {
    if manifest.pre_request != NO_PRE_REQUEST {
        if manifest.paper_form.is_some() {
            return Err(PayloadError(
                "the manifest names a pre-request and also carries a paper form".into(),
            )
            .into());
        }
        let number = crate::prerequests::normalise(&manifest.pre_request)
            .map_err(|e| PayloadError(format!("manifest pre_request: {e}")))?;
        return Ok(TakenFor::PreRequest(number));
    }
    let form = manifest
        .paper_form
        .clone()
        .ok_or(IntakeError::NoPreRequestNorPaperForm)?;
    let problems = wire::civil_status::check(&form.applicant, today);
    if !problems.is_empty() {
        let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
        return Err(IntakeError::PaperFormInvalid(text.join("; ")));
    }
    if form.document_type.as_str() != manifest.document_type {
        return Err(IntakeError::PaperFormInvalid(format!(
            "the form asks for a {} but the record is for a {}",
            form.document_type.as_str(),
            manifest.document_type
        )));
    }
    Ok(TakenFor::PaperForm(Box::new(form)))
}

/// The central's "today" for a birth date: the UTC date a day ahead, so that a child born today
/// in a town hall east of Greenwich is not "born in the future" while it is still yesterday in UTC.
pub fn today_for_birth_dates() -> String {
    let tomorrow = time::OffsetDateTime::now_utc() + time::Duration::days(1);
    let date = tomorrow.date();
    format!(
        "{:04}-{:02}-{:02}",
        date.year(),
        u8::from(date.month()),
        date.day()
    )
}
