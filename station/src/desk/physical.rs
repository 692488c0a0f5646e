//! The applicant's height and eye colour: shown from the pre-request, corrected by the clerk with
//! a sentence for a value no person has, and confirmed with the rest of the content.

use tracing::info;

use super::{core::Core, texts::Plain};
use crate::enrolment::Physical;
use wire::physical::EyeColour;

/// Why a typed height was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HeightProblem {
    /// Nothing typed.
    Missing,
    /// Not a whole number of centimetres.
    NotANumber,
    /// A number no person measures.
    OutOfRange(u16),
}

/// Reads a height as a clerk types it: digits, with or without a trailing `cm`. A decimal or a
/// height in metres (`1,72`) is refused rather than guessed at: the clerk retypes it.
pub(crate) fn read_height(typed: &str) -> Result<u16, HeightProblem> {
    let trimmed = typed.trim();
    let digits = trimmed
        .strip_suffix("cm")
        .or_else(|| trimmed.strip_suffix("CM"))
        .unwrap_or(trimmed)
        .trim();
    if digits.is_empty() {
        return Err(HeightProblem::Missing);
    }
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(HeightProblem::NotANumber);
    }
    // Digits only: a number too large for u16 is out of range, not malformed.
    let cm = digits.parse::<u16>().unwrap_or(u16::MAX);
    if wire::physical::is_plausible_height(cm) {
        Ok(cm)
    } else {
        Err(HeightProblem::OutOfRange(cm))
    }
}

impl Core {
    pub(crate) fn height_sentence(&self, problem: HeightProblem) -> String {
        match problem {
            HeightProblem::Missing => self.plain(Plain::HeightMissing),
            HeightProblem::NotANumber => self.plain(Plain::HeightNotANumber),
            HeightProblem::OutOfRange(cm) => self.texts.height_out_of_range(cm),
        }
    }

    /// `Command::CorrectPhysical`: while the content waits for confirmation, the clerk's values
    /// replace the declared ones. A wrong height empties the field (it cannot be confirmed) and
    /// says why.
    pub(crate) fn correct_physical(&mut self, typed: &str, eye_colour: Option<EyeColour>) {
        if self.operator().is_none() {
            return;
        }
        let height = read_height(typed);
        let sentence = height.err().map(|p| self.height_sentence(p));
        let Some(enrolment) = self
            .desk
            .enrolment
            .as_mut()
            .filter(|e| e.loaded.is_some() && !e.view.applicant_confirmed)
        else {
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
            return;
        };
        let physical = &mut enrolment.view.physical;
        physical.height_cm = height.ok();
        physical.eye_colour = eye_colour;
        physical.refusal = sentence.clone();
        if let Some(text) = sentence {
            info!("height typed refused");
            self.notice(true, text);
        }
    }

    /// The values to confirm with the content, or the sentence saying what is missing.
    pub(crate) fn physical_to_confirm(&self) -> Result<Physical, String> {
        let view = self
            .desk
            .enrolment
            .as_ref()
            .map(|e| e.view.physical.clone())
            .unwrap_or_default();
        if let Some(refusal) = view.refusal {
            return Err(refusal);
        }
        let Some(height_cm) = view.height_cm else {
            return Err(self.plain(Plain::HeightMissing));
        };
        let Some(eye_colour) = view.eye_colour else {
            return Err(self.plain(Plain::EyeColourMissing));
        };
        Ok(Physical {
            height_cm,
            eye_colour,
        })
    }

    /// The view's values for a pre-request just loaded: as declared, a declared height no person
    /// has shown as a sentence rather than as a value to confirm.
    pub(crate) fn declared_physical(
        &self,
        applicant: &wire::prerequest::Applicant,
    ) -> super::PhysicalView {
        let mut view = super::PhysicalView {
            height_cm: None,
            eye_colour: applicant.eye_colour,
            refusal: None,
        };
        match applicant.height_cm.map(|cm| read_height(&cm.to_string())) {
            Some(Ok(cm)) => view.height_cm = Some(cm),
            Some(Err(problem)) => view.refusal = Some(self.height_sentence(problem)),
            None => {}
        }
        view
    }
}

#[cfg(test)]
mod tests {
    use super::{HeightProblem, read_height};

    #[test]
    fn heights_are_read_as_a_clerk_types_them() {
        assert_eq!(read_height("172"), Ok(172));
        assert_eq!(read_height(" 172 cm "), Ok(172));
        assert_eq!(read_height("45cm"), Ok(45));
        assert_eq!(read_height(""), Err(HeightProblem::Missing));
        assert_eq!(read_height("cm"), Err(HeightProblem::Missing));
        assert_eq!(read_height("1,72"), Err(HeightProblem::NotANumber));
        assert_eq!(read_height("-5"), Err(HeightProblem::NotANumber));
        assert_eq!(read_height("1.72"), Err(HeightProblem::NotANumber));
        assert_eq!(read_height("17"), Err(HeightProblem::OutOfRange(17)));
        assert_eq!(read_height("1720"), Err(HeightProblem::OutOfRange(1720)));
        assert_eq!(
            read_height("99999999"),
            Err(HeightProblem::OutOfRange(u16::MAX))
        );
    }
}
