//! Who may ask what: each command names the role it needs, and the core checks it in one place
//! before any handler runs.

use super::{Command, texts::Plain};
use crate::operators::{Role, SignedIn};

/// What a command needs of the person signed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Anyone, signed in or not (signing in, the screens' refresh, closing the app).
    Anyone,
    /// Someone signed in, whatever their role.
    SignedIn,
    /// Someone who may enrol: a clerk or a supervisor.
    Clerk,
    /// Someone who may calibrate: a technician or a supervisor.
    Technician,
    /// A supervisor.
    Supervisor,
}

/// Why a command was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refused {
    /// Nobody is signed in.
    SignedOut,
    /// The person signed in has another role than the one needed.
    Role(Permission),
}

impl Refused {
    /// What the clerk reads.
    pub(crate) fn clerk_text(self) -> Plain {
        match self {
            Self::SignedOut => Plain::SignInFirst,
            Self::Role(Permission::Technician) => Plain::NotAllowedTechnician,
            Self::Role(Permission::Supervisor) => Plain::NotAllowedSupervisor,
            Self::Role(_) => Plain::NotAllowed,
        }
    }
}

impl Permission {
    /// Whether `operator` (`None`: nobody signed in) may run a command needing this.
    pub fn check(self, operator: Option<&SignedIn>) -> Result<(), Refused> {
        let role = match (self, operator) {
            (Self::Anyone, _) => return Ok(()),
            (_, None) => return Err(Refused::SignedOut),
            (_, Some(o)) => o.role,
        };
        let allowed = match self {
            Self::Anyone | Self::SignedIn => true,
            Self::Clerk => role.may_enrol(),
            Self::Technician => role.may_calibrate(),
            Self::Supervisor => role == Role::Supervisor,
        };
        if allowed {
            Ok(())
        } else {
            Err(Refused::Role(self))
        }
    }
}

impl Command {
    /// What this command needs of the person signed in.
    pub fn permission(&self) -> Permission {
        match self {
            Command::CreateFirstSupervisor { .. }
            | Command::SignIn { .. }
            | Command::SignOut { .. }
            // Stopping the preview or a capture and closing the handover screen only put things
            // away.
            | Command::StopPreview
            | Command::StopQrCode
            | Command::CancelCapture
            | Command::CloseHandover
            | Command::ApplicantLanguage(_)
            | Command::Refresh
            | Command::Shutdown => Permission::Anyone,
            // The clerk or the technician readies the kit before leaving. For a review decision,
            // the supervisor's own name and PIN in the command are what decide (checked by the
            // handler, role included): the session it is typed in may be a clerk's.
            Command::StartPreview
            | Command::Search { .. }
            | Command::PrepareTour { .. }
            | Command::DecideReview { .. } => {
                Permission::SignedIn
            }
            Command::ResumeEnrolment
            | Command::LoadPreRequest { .. }
            | Command::ReadQrCode
            | Command::ConfirmApplicant
            | Command::CorrectPhysical { .. }
            | Command::OpenPaperForm
            | Command::ClosePaperForm
            | Command::SubmitPaperForm(_)
            | Command::CorrectReason(_)
            | Command::CheckTaxStamp { .. }
            | Command::KeepTaxStampUnchecked
            | Command::CancelEnrolment
            | Command::CapturePhoto
            | Command::AcceptPhoto
            | Command::RetakePhoto
            | Command::PhotoOnPaper
            | Command::CaptureFinger
            | Command::RetryFinger
            | Command::KeepFinger
            | Command::FingerException(_)
            | Command::SignatureInk { .. }
            | Command::ClearSignature
            | Command::ValidateSignature
            | Command::CannotSign { .. }
            | Command::AnswerFingerprintStorage(_)
            | Command::ConfirmReview
            | Command::PrintReceipt
            | Command::NextApplicant
            | Command::Handover { .. } => Permission::Clerk,
            Command::Technician(_) => Permission::Technician,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        desk::TechnicianCommand,
        enrolment::ExceptionReason,
        language::Language,
        operators::{Role, SignedIn},
    };

    /// Every command and what it needs: a new command must be added here, and its permission
    /// decided on purpose.
    #[test]
    fn every_command_says_what_it_needs() {
        let text = String::new;
        let table = [
            (
                Command::CreateFirstSupervisor {
                    name: text(),
                    secret: text().into(),
                },
                Permission::Anyone,
            ),
            (
                Command::SignIn {
                    name: text(),
                    secret: text().into(),
                },
                Permission::Anyone,
            ),
            (Command::SignOut { idle: true }, Permission::Anyone),
            (Command::ResumeEnrolment, Permission::Clerk),
            (
                Command::LoadPreRequest { number: text() },
                Permission::Clerk,
            ),
            (Command::ConfirmApplicant, Permission::Clerk),
            (
                Command::CorrectPhysical {
                    height_cm: text(),
                    eye_colour: None,
                },
                Permission::Clerk,
            ),
            (Command::OpenPaperForm, Permission::Clerk),
            (Command::ClosePaperForm, Permission::Clerk),
            (Command::SubmitPaperForm(Box::default()), Permission::Clerk),
            (
                Command::CorrectReason(wire::prerequest::Reason::Loss),
                Permission::Clerk,
            ),
            (Command::CheckTaxStamp { entry: text() }, Permission::Clerk),
            (Command::KeepTaxStampUnchecked, Permission::Clerk),
            (Command::CancelEnrolment, Permission::Clerk),
            (Command::ReadQrCode, Permission::Clerk),
            (Command::StopQrCode, Permission::Anyone),
            (Command::StartPreview, Permission::SignedIn),
            (Command::StopPreview, Permission::Anyone),
            (Command::CapturePhoto, Permission::Clerk),
            (Command::AcceptPhoto, Permission::Clerk),
            (Command::RetakePhoto, Permission::Clerk),
            (Command::PhotoOnPaper, Permission::Clerk),
            (Command::CaptureFinger, Permission::Clerk),
            (Command::CancelCapture, Permission::Anyone),
            (Command::RetryFinger, Permission::Clerk),
            (Command::KeepFinger, Permission::Clerk),
            (
                Command::FingerException(ExceptionReason::Bandaged),
                Permission::Clerk,
            ),
            (
                Command::SignatureInk {
                    samples: Vec::new(),
                    pen_up: true,
                },
                Permission::Clerk,
            ),
            (Command::ClearSignature, Permission::Clerk),
            (Command::ValidateSignature, Permission::Clerk),
            (Command::CannotSign { reason: text() }, Permission::Clerk),
            (
                Command::AnswerFingerprintStorage(
                    wire::fingerprint_storage::FingerprintStorage::Refused,
                ),
                Permission::Clerk,
            ),
            (Command::ConfirmReview, Permission::Clerk),
            (Command::PrintReceipt, Permission::Clerk),
            (Command::NextApplicant, Permission::Clerk),
            (
                Command::ApplicantLanguage(Language::English),
                Permission::Anyone,
            ),
            (Command::Search { number: text() }, Permission::SignedIn),
            (Command::Handover { number: text() }, Permission::Clerk),
            (Command::CloseHandover, Permission::Anyone),
            (
                Command::Technician(TechnicianCommand::Discover),
                Permission::Technician,
            ),
            (
                Command::DecideReview {
                    record_id: text(),
                    decision: crate::outbox::review::Decision::Approve,
                    supervisor: text(),
                    secret: text().into(),
                    reason: text(),
                },
                Permission::SignedIn,
            ),
            (Command::Refresh, Permission::Anyone),
            (Command::Shutdown, Permission::Anyone),
            (Command::PrepareTour { date: text() }, Permission::SignedIn),
        ];
        for (command, needs) in &table {
            assert_eq!(command.permission(), *needs, "{}", command.name());
        }
        let mut names: Vec<_> = table.iter().map(|(c, _)| c.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 44, "one row per command");
    }

    #[test]
    fn each_role_gets_what_it_may() {
        let who = |role| SignedIn {
            name: "x".into(),
            role,
        };
        let (clerk, tech, chief) = (
            who(Role::Clerk),
            who(Role::Technician),
            who(Role::Supervisor),
        );
        assert_eq!(Permission::Anyone.check(None), Ok(()));
        for needs in [
            Permission::SignedIn,
            Permission::Clerk,
            Permission::Technician,
            Permission::Supervisor,
        ] {
            assert_eq!(needs.check(None), Err(Refused::SignedOut));
            assert_eq!(needs.check(Some(&chief)), Ok(()));
        }
        assert_eq!(Permission::Clerk.check(Some(&clerk)), Ok(()));
        assert_eq!(
            Permission::Clerk.check(Some(&tech)),
            Err(Refused::Role(Permission::Clerk))
        );
        assert_eq!(Permission::Technician.check(Some(&tech)), Ok(()));
        assert_eq!(
            Permission::Technician.check(Some(&clerk)),
            Err(Refused::Role(Permission::Technician))
        );
        assert_eq!(
            Permission::Supervisor.check(Some(&clerk)),
            Err(Refused::Role(Permission::Supervisor))
        );
        assert_eq!(Permission::SignedIn.check(Some(&tech)), Ok(()));
    }
}
