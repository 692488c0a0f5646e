//! The storage question at the review: the clerk records the applicant's answer (a key for each),
//! it is audited (the answer only, nothing biometric), and the review is not sealed until it is
//! given.

use tracing::info;
use wire::fingerprint_storage::FingerprintStorage;

use super::{core::Core, texts::Plain};
use crate::audit::AuditEvent;

impl Core {
    /// `Command::AnswerFingerprintStorage`: kept for the record and shown on both windows; the
    /// applicant may change their mind until the review is confirmed (each answer is audited).
    pub(crate) fn answer_fingerprint_storage(&mut self, answer: FingerprintStorage) {
        let Some(operator) = self.operator() else {
            return;
        };
        let Some(enrolment) = self.desk.enrolment.as_mut() else {
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
            return;
        };
        if let Err(e) = enrolment.session.answer_storage(answer) {
            info!(error = %e, "storage answer refused");
            let text = self.plain(Plain::StorageNotAsked);
            self.notice(true, text);
            return;
        }
        enrolment.view.fingerprint_storage = Some(answer);
        info!(answer = answer.as_str(), "fingerprint storage answered");
        self.audit(
            &operator.name,
            &AuditEvent::FingerprintStorageAnswered {
                answer: answer.as_str().to_owned(),
            },
        );
    }

    /// Whether the enrolment under review still waits for the applicant's answer.
    pub(crate) fn storage_unanswered(&self) -> bool {
        self.desk.enrolment.as_ref().is_some_and(|e| {
            e.session.storage_question_asked() && e.session.fingerprint_storage().is_none()
        })
    }
}
