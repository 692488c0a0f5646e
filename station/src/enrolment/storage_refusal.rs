//! The refusal of fingerprint storage: for an identity card, the applicant says at the review
//! whether they refuse that their prints be kept in the central file. The prints are taken either
//! way (they go on the card's chip); the answer only tells the central to delete them later. There
//! is no default: a record the question applies to is not built until it is answered.

use wire::fingerprint_storage::{FingerprintStorage, is_asked};

use super::{EnrolmentError, session::Session, session::Step};

impl Session {
    /// Whether the applicant is asked: an identity card (alone or with a passport) and at least
    /// one print in the record (not under 12, not every finger excepted).
    pub fn storage_question_asked(&self) -> bool {
        let has_prints = self
            .settled
            .iter()
            .any(|f| f.exception.is_none() && f.best.is_some());
        is_asked(&self.document_type, has_prints)
    }

    /// The applicant's answer so far.
    pub fn fingerprint_storage(&self) -> Option<FingerprintStorage> {
        self.fingerprint_storage
    }

    /// The applicant answered, at the review (they may change their mind until it is confirmed).
    pub fn answer_storage(&mut self, answer: FingerprintStorage) -> Result<(), EnrolmentError> {
        if self.step == Step::Sealed {
            return Err(EnrolmentError::AlreadySealed);
        }
        if self.step != Step::Review || !self.storage_question_asked() {
            return Err(EnrolmentError::StorageNotAsked);
        }
        self.fingerprint_storage = Some(answer);
        Ok(())
    }

    /// What the manifest says: the answer when asked, nothing otherwise; refused when asked and
    /// not answered.
    pub(super) fn storage_answer_for_record(
        &self,
    ) -> Result<Option<FingerprintStorage>, EnrolmentError> {
        if !self.storage_question_asked() {
            return Ok(None);
        }
        self.fingerprint_storage
            .map(Some)
            .ok_or(EnrolmentError::StorageUnanswered)
    }
}
