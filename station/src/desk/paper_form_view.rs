//! The paper form as the clerk types it and as the screens show it. Apart from the core's handling
//! of it, so that the commands and the view do not depend on the core.

use wire::{
    physical::EyeColour,
    prerequest::{DocumentType, Reason, Sex},
};

/// What the clerk typed from the paper form, as typed (the desk reads and checks it).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct PaperFormEntry {
    /// Document asked for.
    pub document_type: Option<DocumentType>,
    /// Why.
    pub reason: Option<Reason>,
    /// Nom.
    pub surname: String,
    /// Prénoms.
    pub given_names: String,
    /// Sexe.
    pub sex: Option<Sex>,
    /// Date de naissance, `JJ/MM/AAAA` (or `AAAA-MM-JJ`).
    pub birth_date: String,
    /// Lieu de naissance: town and département, or town and country.
    pub birth_place: String,
    /// Adresse, one line.
    pub address: String,
    /// Taille in centimetres, as typed.
    pub height_cm: String,
    /// Couleur des yeux.
    pub eye_colour: Option<EyeColour>,
}

// The typed form is an applicant's civil status: it stays out of logs.
impl std::fmt::Debug for PaperFormEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaperFormEntry").finish_non_exhaustive()
    }
}

/// A field of the paper form on the screen, in its Tab order: the typed fields, then the choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FormField {
    /// Nom.
    Surname,
    /// Prénoms.
    GivenNames,
    /// Date de naissance.
    BirthDate,
    /// Lieu de naissance.
    BirthPlace,
    /// Adresse.
    Address,
    /// Taille.
    Height,
    /// Document asked for.
    Document,
    /// Why.
    Reason,
    /// Sexe.
    Sex,
    /// Couleur des yeux.
    EyeColour,
}

/// The paper form on the screens: open, and what is wrong with each field after "Valider".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PaperFormView {
    /// One sentence per refused field, in the form's order.
    pub problems: Vec<(FormField, String)>,
}

impl PaperFormView {
    /// The sentence shown next to `field`, if it was refused.
    pub fn problem(&self, field: FormField) -> Option<&str> {
        self.problems
            .iter()
            .find(|(f, _)| *f == field)
            .map(|(_, text)| text.as_str())
    }
}
