//! What a pre-request holds: civil status, document type, reason, status, appointments. The shared
//! wire types: the central answers with them and the station reads them.

pub use wire::prerequest::{
    Applicant, Appointment, DocumentType, Parent, PreRequest, Reason, Sex, Status, StatusEntry,
};
