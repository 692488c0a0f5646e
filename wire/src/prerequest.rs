//! Pre-requests as the central serves them: the content (`GET /v1/pre-requests/{number}`) and the
//! ANTS-shaped status answer (`GET /api/status`). Statuses are those of the ANTS coordination API.

use serde::{Deserialize, Serialize};

/// ANTS pre-request status. Anything but `validated` cannot be used at the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Usable.
    Validated,
    /// Already filed (also once a record for it was received).
    Consumed,
    /// Declared but not recognised as official.
    Declared,
    /// Not known.
    Unknown,
    /// Too old.
    Expired,
}

impl Status {
    /// The text used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Validated => "validated",
            Self::Consumed => "consumed",
            Self::Declared => "declared",
            Self::Unknown => "unknown",
            Self::Expired => "expired",
        }
    }
}

/// Which document is requested. An enum rather than text: a station must not start an enrolment
/// for a document the central does not know, and the manifest repeats this value.
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
    /// The text used on the wire (and in the manifest's `document_type`).
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

impl Reason {
    /// The text used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::First => "first",
            Self::Renewal => "renewal",
            Self::Loss => "loss",
            Self::Theft => "theft",
            Self::CivilStatusChange => "civil-status-change",
            Self::AddressChange => "address-change",
        }
    }
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

impl Sex {
    /// The text used on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::F => "F",
            Self::M => "M",
            Self::X => "X",
        }
    }
}

/// A parent of the applicant, as given in the pre-request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Parent {
    /// Family name.
    pub surname: String,
    /// Given names, space-separated.
    pub given_names: String,
}

/// The applicant's civil status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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
    /// Height in whole centimetres, as declared; the clerk confirms or corrects it. Absent in
    /// pre-requests filed before the central held it, which stay readable.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub height_cm: Option<u16>,
    /// Eye colour, as declared; the clerk confirms or corrects it. Absent in older pre-requests.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub eye_colour: Option<crate::physical::EyeColour>,
}

/// An ANTS appointment attached to a pre-request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
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

/// One pre-request as held by the national service. Fields the station does not know are
/// ignored: a national service that adds one must not stop every town hall's station.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PreRequest {
    /// The 10-character number, upper-case.
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

/// One entry of the status answer, which maps each upper-cased number asked to its entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatusEntry {
    /// ANTS status (`unknown` for a number the service does not know).
    pub status: Status,
    /// Appointments booked.
    #[serde(default)]
    pub appointments: Vec<Appointment>,
}

#[cfg(test)]
mod tests {
    use super::PreRequest;

    #[test]
    fn a_field_added_by_the_national_service_is_ignored_not_refused() {
        let golden = include_str!("../golden/prerequest.json");
        let added = golden
            .replacen("{\"number\"", "{\"priority\":\"high\",\"number\"", 1)
            .replacen(
                "\"surname\":\"Dupont-Moretti\",",
                "\"surname\":\"Dupont-Moretti\",\"nickname\":\"Gaby\",",
                1,
            );
        assert_ne!(added, golden);
        let read: PreRequest = serde_json::from_str(&added).expect("read despite the new fields");
        let expected: PreRequest = serde_json::from_str(golden).expect("golden");
        assert_eq!(read, expected);
    }
}
