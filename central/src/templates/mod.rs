//! Reference templates for the handover (remise): the central keeps, by pre-request number, the
//! ISO/IEC 19794-2 minutiae record of every record it opened (never the images). They never leave
//! the central: it compares them with the live finger a station seals to it (`handover/`).

pub mod sealing;
pub mod store;

pub use store::{StoredTemplates, TemplateStore};

/// The bytes of a `fingers.iso19794-2` entry. `Debug` shows the length only.
#[derive(Clone, PartialEq, Eq)]
pub struct MinutiaeRecordBytes(pub Vec<u8>);

impl std::fmt::Debug for MinutiaeRecordBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "MinutiaeRecordBytes({} bytes)", self.0.len())
    }
}
