//! What the photo checks report: for each rule a measured value, the limit it must respect, the
//! verdict, and a sentence for the clerk in plain French (English on request).

use std::fmt;

pub use crate::language::Language;

/// One photo rule (docs/reference/counter-workflow.md, "Photo").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CheckId {
    /// A face is found in the photo.
    FacePresent,
    /// Not under-exposed: the light background comes out light.
    Brightness,
    /// Not over-exposed: few clipped highlights.
    Highlights,
    /// Enough contrast between the darkest and the lightest parts.
    DynamicRange,
    /// In focus.
    Sharpness,
    /// The background is not pure white.
    BackgroundNotWhite,
    /// The background is plain (no objects, no texture).
    BackgroundPlain,
    /// No shadow across the face (left and right halves equally lit).
    Shadow,
    /// Chin-to-crown height in the frame, for a 32–36 mm face on a 45 mm photo.
    HeadSize,
    /// The head is centred left to right.
    HeadPosition,
    /// The 35×45 mm crop fits inside the frame.
    Framing,
    /// The head is straight (roll).
    HeadTilt,
    /// Both eyes open and visible.
    EyesOpen,
}

impl CheckId {
    /// Every check, in the order they are reported.
    pub const ALL: [CheckId; 13] = [
        CheckId::FacePresent,
        CheckId::Brightness,
        CheckId::Highlights,
        CheckId::DynamicRange,
        CheckId::Sharpness,
        CheckId::BackgroundNotWhite,
        CheckId::BackgroundPlain,
        CheckId::Shadow,
        CheckId::HeadSize,
        CheckId::HeadPosition,
        CheckId::Framing,
        CheckId::HeadTilt,
        CheckId::EyesOpen,
    ];

    /// A stable machine name (`head-tilt`), for logs, manifests and tests.
    pub fn code(self) -> &'static str {
        match self {
            CheckId::FacePresent => "face-present",
            CheckId::Brightness => "brightness",
            CheckId::Highlights => "highlights",
            CheckId::DynamicRange => "dynamic-range",
            CheckId::Sharpness => "sharpness",
            CheckId::BackgroundNotWhite => "background-not-white",
            CheckId::BackgroundPlain => "background-plain",
            CheckId::Shadow => "shadow",
            CheckId::HeadSize => "head-size",
            CheckId::HeadPosition => "head-position",
            CheckId::Framing => "framing",
            CheckId::HeadTilt => "head-tilt",
            CheckId::EyesOpen => "eyes-open",
        }
    }

    /// A short name for a table.
    pub fn label(self, language: Language) -> &'static str {
        match (self, language) {
            (CheckId::FacePresent, Language::French) => "Visage détecté",
            (CheckId::FacePresent, Language::English) => "Face found",
            (CheckId::Brightness, Language::French) => "Luminosité",
            (CheckId::Brightness, Language::English) => "Brightness",
            (CheckId::Highlights, Language::French) => "Surexposition",
            (CheckId::Highlights, Language::English) => "Over-exposure",
            (CheckId::DynamicRange, Language::French) => "Contraste",
            (CheckId::DynamicRange, Language::English) => "Dynamic range",
            (CheckId::Sharpness, Language::French) => "Netteté",
            (CheckId::Sharpness, Language::English) => "Sharpness",
            (CheckId::BackgroundNotWhite, Language::French) => "Fond non blanc",
            (CheckId::BackgroundNotWhite, Language::English) => "Background not white",
            (CheckId::BackgroundPlain, Language::French) => "Fond uni",
            (CheckId::BackgroundPlain, Language::English) => "Plain background",
            (CheckId::Shadow, Language::French) => "Ombre sur le visage",
            (CheckId::Shadow, Language::English) => "Shadow on the face",
            (CheckId::HeadSize, Language::French) => "Taille du visage",
            (CheckId::HeadSize, Language::English) => "Head size",
            (CheckId::HeadPosition, Language::French) => "Visage centré",
            (CheckId::HeadPosition, Language::English) => "Head centred",
            (CheckId::Framing, Language::French) => "Cadrage 35×45",
            (CheckId::Framing, Language::English) => "35×45 framing",
            (CheckId::HeadTilt, Language::French) => "Tête droite",
            (CheckId::HeadTilt, Language::English) => "Head straight",
            (CheckId::EyesOpen, Language::French) => "Yeux ouverts",
            (CheckId::EyesOpen, Language::English) => "Eyes open",
        }
    }

    /// What the clerk tells the applicant when this check fails.
    pub fn reason(self, language: Language) -> &'static str {
        match (self, language) {
            (CheckId::FacePresent, Language::French) => {
                "Aucun visage n'est visible : la personne doit se placer face à l'appareil."
            }
            (CheckId::FacePresent, Language::English) => {
                "No face is visible: the applicant must face the camera."
            }
            (CheckId::Brightness, Language::French) => {
                "La photo est trop sombre : augmentez l'éclairage."
            }
            (CheckId::Brightness, Language::English) => "The photo is too dark: add light.",
            (CheckId::Highlights, Language::French) => {
                "La photo est surexposée (zones brûlées) : réduisez l'éclairage."
            }
            (CheckId::Highlights, Language::English) => {
                "The photo is over-exposed (burnt-out areas): reduce the light."
            }
            (CheckId::DynamicRange, Language::French) => {
                "La photo manque de contraste : vérifiez l'éclairage."
            }
            (CheckId::DynamicRange, Language::English) => {
                "The photo lacks contrast: check the lighting."
            }
            (CheckId::Sharpness, Language::French) => {
                "La photo est floue : la personne doit rester immobile, refaites la mise au point."
            }
            (CheckId::Sharpness, Language::English) => {
                "The photo is blurred: the applicant must keep still; refocus."
            }
            (CheckId::BackgroundNotWhite, Language::French) => {
                "Le fond est blanc : le fond doit être clair mais pas blanc."
            }
            (CheckId::BackgroundNotWhite, Language::English) => {
                "The background is white: it must be light but not white."
            }
            (CheckId::BackgroundPlain, Language::French) => {
                "Le fond n'est pas uni : retirez les objets derrière la personne."
            }
            (CheckId::BackgroundPlain, Language::English) => {
                "The background is not plain: remove objects behind the applicant."
            }
            (CheckId::Shadow, Language::French) => {
                "Une ombre couvre une partie du visage : éclairez les deux côtés également."
            }
            (CheckId::Shadow, Language::English) => {
                "A shadow covers part of the face: light both sides evenly."
            }
            (CheckId::HeadSize, Language::French) => {
                "Le visage est trop petit ou trop grand : la personne doit s'approcher ou reculer."
            }
            (CheckId::HeadSize, Language::English) => {
                "The face is too small or too large: the applicant must move closer or back."
            }
            (CheckId::HeadPosition, Language::French) => {
                "Le visage n'est pas centré : la personne doit se placer au milieu."
            }
            (CheckId::HeadPosition, Language::English) => {
                "The face is not centred: the applicant must move to the middle."
            }
            (CheckId::Framing, Language::French) => {
                "La tête touche le bord du cadre : recentrez la personne ou reculez l'appareil."
            }
            (CheckId::Framing, Language::English) => {
                "The head is too close to the edge: re-centre the applicant or move the camera back."
            }
            (CheckId::HeadTilt, Language::French) => {
                "La tête est penchée : la personne doit tenir la tête droite."
            }
            (CheckId::HeadTilt, Language::English) => {
                "The head is tilted: the applicant must hold the head straight."
            }
            (CheckId::EyesOpen, Language::French) => {
                "Les yeux ne sont pas ouverts : la personne doit garder les yeux ouverts."
            }
            (CheckId::EyesOpen, Language::English) => {
                "The eyes are not open: the applicant must keep the eyes open."
            }
        }
    }
}

impl fmt::Display for CheckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// The limit a measured value must respect.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// value ≥ this.
    AtLeast(f64),
    /// value ≤ this.
    AtMost(f64),
    /// low ≤ value ≤ high.
    Between(f64, f64),
}

impl Limit {
    /// Whether `value` respects the limit.
    pub fn admits(self, value: f64) -> bool {
        match self {
            Limit::AtLeast(low) => value >= low,
            Limit::AtMost(high) => value <= high,
            Limit::Between(low, high) => value >= low && value <= high,
        }
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Limit::AtLeast(low) => write!(f, "≥ {low}"),
            Limit::AtMost(high) => write!(f, "≤ {high}"),
            Limit::Between(low, high) => write!(f, "{low} – {high}"),
        }
    }
}

/// One check's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoCheck {
    /// Which rule.
    pub id: CheckId,
    /// The measured value; `None` when it could not be measured (no face found): that fails.
    pub value: Option<f64>,
    /// The limit the value must respect.
    pub limit: Limit,
    /// The value's unit, for display (`"°"`, `"mm"`, `"share of frame height"`…).
    pub unit: &'static str,
    /// Whether the photo passes this rule.
    pub passed: bool,
}

impl PhotoCheck {
    pub(crate) fn new(
        id: CheckId,
        value: Option<f64>,
        limit: Limit,
        unit: &'static str,
    ) -> PhotoCheck {
        let passed = value.is_some_and(|v| v.is_finite() && limit.admits(v));
        PhotoCheck {
            id,
            value,
            limit,
            unit,
            passed,
        }
    }

    /// The sentence for the clerk: `None` when the check passed.
    pub fn reason(&self, language: Language) -> Option<&'static str> {
        (!self.passed).then(|| self.id.reason(language))
    }
}

/// Where the face is, as measured (full-resolution pixels of the checked photo).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct FaceGeometry {
    /// Horizontal centre of the face (mid-point of the eyes when both are seen).
    pub centre_x: f32,
    /// The eye line's height (mid-point of the eyes; estimated when the eyes are not seen).
    pub eye_y: f32,
    /// Bottom of the chin.
    pub chin_y: f32,
    /// Top of the head, hair included.
    pub crown_y: f32,
    /// Roll, degrees, clockwise positive.
    pub roll_degrees: f32,
}

/// The outcome of all checks on one photo.
#[derive(Debug, Clone, PartialEq)]
pub struct PhotoReport {
    /// The photo's size.
    pub width: u32,
    /// The photo's size.
    pub height: u32,
    /// Every check, in [`CheckId::ALL`] order.
    pub checks: Vec<PhotoCheck>,
    /// The face, when one was found.
    pub face: Option<FaceGeometry>,
}

impl PhotoReport {
    /// Whether every check passed.
    pub fn compliant(&self) -> bool {
        self.checks.iter().all(|c| c.passed)
    }

    /// One check's outcome.
    pub fn check(&self, id: CheckId) -> Option<&PhotoCheck> {
        self.checks.iter().find(|c| c.id == id)
    }

    /// Whether a given check failed (false when it is not in the report).
    pub fn failed(&self, id: CheckId) -> bool {
        self.check(id).is_some_and(|c| !c.passed)
    }

    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &PhotoCheck> {
        self.checks.iter().filter(|c| !c.passed)
    }
}
