//! The set of pre-requests the service knows, loaded from a JSON file (an array of pre-requests) or,
//! by default, the demo set shipped in `central/demo/prerequests.json`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::model::{Applicant, DocumentType, PreRequest, Reason, Sex, Status};
use super::number::normalise;

/// Prefix of the test family the demo catalogue also answers for: `TEST` and 6 letters or digits
/// is always a validated pre-request of a fictitious adult, so that `station selftest` can run any
/// number of enrolments (each consumes its number) without running out of demo numbers.
pub const TEST_PREFIX: &str = "TEST";

/// The town hall (`meeting_point_id`) of the demo's appointments and of the test family: the demo
/// station is enrolled for it. The demo set also holds one pre-request of another town hall
/// ([`OTHER_TOWN_HALL_NUMBER`]), which the demo station must not see.
pub const DEMO_TOWN_HALL: &str = "69382-02";

/// A demo pre-request booked at another town hall than [`DEMO_TOWN_HALL`].
pub const OTHER_TOWN_HALL_NUMBER: &str = "AUTRE00001";

/// The demo pre-requests shipped with the central.
pub const DEMO_PREREQUESTS: &str = include_str!("../../demo/prerequests.json");

/// Why a pre-request file was refused.
#[derive(Debug, thiserror::Error)]
pub enum CatalogueError {
    /// The file could not be read.
    #[error("pre-request file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The JSON does not have the expected shape.
    #[error("pre-request file: {0}")]
    Json(#[from] serde_json::Error),
    /// An entry has a malformed number.
    #[error("pre-request {number:?}: {reason}")]
    Number {
        /// The number as written.
        number: String,
        /// Why it is malformed.
        reason: super::number::NumberError,
    },
    /// An entry's civil status fails the checks a typed paper form must pass too.
    #[error("pre-request {number}: {problems}")]
    CivilStatus {
        /// The pre-request.
        number: String,
        /// What is wrong, field by field.
        problems: String,
    },
    /// Two entries share a number.
    #[error("pre-request {0} appears twice")]
    Duplicate(String),
    /// A birth date is not `YYYY-MM-DD`.
    #[error("pre-request {number}: birth date {date:?} is not YYYY-MM-DD")]
    BirthDate {
        /// The pre-request.
        number: String,
        /// The date as written.
        date: String,
    },
}

/// The known pre-requests, by canonical number.
#[derive(Debug, Clone, Default)]
pub struct Catalogue {
    entries: BTreeMap<String, PreRequest>,
    /// Answer for the [`TEST_PREFIX`] family too (the demo set only).
    test_family: bool,
}

impl Catalogue {
    /// The demo set.
    pub fn demo() -> Result<Self, CatalogueError> {
        let mut catalogue = Self::from_json(DEMO_PREREQUESTS)?;
        catalogue.test_family = true;
        Ok(catalogue)
    }

    /// Loads a file holding a JSON array of pre-requests.
    pub fn from_file(path: &Path) -> Result<Self, CatalogueError> {
        let text = std::fs::read_to_string(path).map_err(|source| CatalogueError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json(&text)
    }

    /// Parses a JSON array of pre-requests, checking numbers and dates.
    pub fn from_json(text: &str) -> Result<Self, CatalogueError> {
        let list: Vec<PreRequest> = serde_json::from_str(text)?;
        let mut entries = BTreeMap::new();
        let date_format = time::macros::format_description!("[year]-[month]-[day]");
        for mut entry in list {
            let number = normalise(&entry.number).map_err(|reason| CatalogueError::Number {
                number: entry.number.clone(),
                reason,
            })?;
            if time::Date::parse(&entry.applicant.birth_date, date_format).is_err() {
                return Err(CatalogueError::BirthDate {
                    number,
                    date: entry.applicant.birth_date.clone(),
                });
            }
            // The same checks as a paper form typed at the counter: one set of rules for both
            // ways a civil status reaches a record.
            let problems = wire::civil_status::check(
                &entry.applicant,
                &crate::intake::paper_form::today_for_birth_dates(),
            );
            if !problems.is_empty() {
                let text: Vec<String> = problems.iter().map(ToString::to_string).collect();
                return Err(CatalogueError::CivilStatus {
                    number,
                    problems: text.join("; "),
                });
            }
            entry.number.clone_from(&number);
            if entries.insert(number.clone(), entry).is_some() {
                return Err(CatalogueError::Duplicate(number));
            }
        }
        Ok(Self {
            entries,
            test_family: false,
        })
    }

    /// The pre-request with this canonical number.
    pub fn get(&self, number: &str) -> Option<&PreRequest> {
        self.entries.get(number)
    }

    /// The pre-request with this canonical number, including the demo's test family.
    pub fn lookup(&self, number: &str) -> Option<Cow<'_, PreRequest>> {
        if let Some(entry) = self.entries.get(number) {
            return Some(Cow::Borrowed(entry));
        }
        let is_test = self.test_family
            && number.len() == 10
            && number.starts_with(TEST_PREFIX)
            && number
                .bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        is_test.then(|| Cow::Owned(test_pre_request(number)))
    }

    /// All pre-requests, by number.
    pub fn iter(&self) -> impl Iterator<Item = &PreRequest> {
        self.entries.values()
    }

    /// How many pre-requests are known.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no pre-request is known.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

/// The fictitious applicant of a test-family pre-request.
fn test_pre_request(number: &str) -> PreRequest {
    PreRequest {
        number: number.to_owned(),
        status: Status::Validated,
        document_type: DocumentType::Cni,
        reason: Reason::First,
        applicant: Applicant {
            surname: "Essai".to_owned(),
            given_names: "Station".to_owned(),
            birth_date: "1980-01-01".to_owned(),
            birth_place: "Essai (00)".to_owned(),
            sex: Sex::X,
            address: "Mairie, essai technique".to_owned(),
            parents: Vec::new(),
            height_cm: Some(170),
            eye_colour: Some(wire::physical::EyeColour::Marron),
        },
        appointments: vec![super::model::Appointment {
            meeting_point: "Mairie de démonstration".to_owned(),
            meeting_point_id: DEMO_TOWN_HALL.to_owned(),
            appointment_date: "2026-12-01T09:00:00+01:00".to_owned(),
            management_url: "https://rdv.mairie-lyon.example/rendez-vous/essai".to_owned(),
        }],
    }
}
