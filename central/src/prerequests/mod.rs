//! Pre-requests: numbers, content, the catalogue the service answers from.

pub mod catalogue;
pub mod model;
pub mod number;

pub use catalogue::{Catalogue, CatalogueError};
pub use model::{
    Applicant, Appointment, DocumentType, Parent, PreRequest, Reason, Sex, Status, StatusEntry,
};
pub use number::{NumberError, normalise};
