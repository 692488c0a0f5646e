//! What a pre-request holds: civil status, document type, reason, status, appointments.
//! Shapes as in docs/central-api.md (`GET /v1/pre-requests/{number}`); statuses are ANTS's
//! (docs/reference/counter-workflow.md).

use serde::{Deserialize, Serialize};

/// ANTS pre-request status. Anything but `validated` cannot be used at the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Usable.
    Validated,
    /// Already filed.
    Consumed,
    /// Declared but not recognised as official.
    Declared,
    /// Not known.
    Unknown,
    /// Too old.
    Expired,
}

/// Which document is requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentType {
    /// Carte nationale d'identité.
    #[serde(rename = "cni")]
    Cni,
    /// Passeport.
    #[serde(rename = "passport")]
    Passport,
    /// Both at once.
    #[serde(rename = "cni+passport")]
    CniAndPassport,
}

impl DocumentType {
    /// The text used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Cni => "cni",
            Self::Passport => "passport",
            Self::CniAndPassport => "cni+passport",
        }
    }
}

/// Why the document is requested.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reason {
    /// First document.
    First,
    /// Renewal of an expiring or expired document.
    Renewal,
    /// The previous document was lost.
    Loss,
    /// The previous document was stolen.
    Theft,
    /// Change of civil status (name, marriage, ...).
    CivilStatusChange,
    /// Change of address.
    AddressChange,
}

/// Sex as written on the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Sex {
    /// Female.
    F,
    /// Male.
    M,
    /// Unspecified.
    X,
}

/// A parent of the applicant, as given in the pre-request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Parent {
    /// Family name.
    pub surname: String,
    /// Given names, space-separated.
    pub given_names: String,
}

/// The applicant's civil status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Applicant {
    /// Family name (nom de naissance or d'usage).
    pub surname: String,
    /// Given names, space-separated, in civil-status order.
    pub given_names: String,
    /// `YYYY-MM-DD`.
    pub birth_date: String,
    /// Town (and département or country) of birth.
    pub birth_place: String,
    /// Sex.
    pub sex: Sex,
    /// Postal address, one line.
    pub address: String,
    /// Parents, as declared.
    pub parents: Vec<Parent>,
}

/// An ANTS appointment attached to a pre-request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Appointment {
    /// Name of the town hall.
    pub meeting_point: String,
    /// Its identifier in the appointment software.
    pub meeting_point_id: String,
    /// RFC 3339 date and time.
    pub appointment_date: String,
    /// Where the applicant manages the appointment.
    pub management_url: String,
}

/// One pre-request as held by the national service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PreRequest {
    /// The 10-character number.
    pub number: String,
    /// Status as filed (a record taken here turns it `consumed`).
    pub status: Status,
    /// Document requested.
    pub document_type: DocumentType,
    /// Why.
    pub reason: Reason,
    /// Civil status.
    pub applicant: Applicant,
    /// Appointments booked for it.
    #[serde(default)]
    pub appointments: Vec<Appointment>,
}
