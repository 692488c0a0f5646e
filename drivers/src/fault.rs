//! A device failure sorted by what a person can do about it, for the screens that explain it in
//! their own language. The driver's errors stay as they are for logs and the command line; a
//! [`Fault`] keeps their English text as its technical detail.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::transport::TransportError;
use crate::vc0706::CameraError;
use crate::zfm::ZfmError;
use crate::zfm::command::Confirmation;

/// What kind of failure it was, with the figures a sentence about it needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FaultKind {
    /// The port could not be opened: absent, in use by another program, or not allowed.
    CannotOpen,
    /// Nothing answered the handshake, at any speed tried.
    Silent,
    /// The device answered before, then left a command unanswered.
    Timeout,
    /// The fingerprint module refuses the password it was given.
    WrongPassword,
    /// The port disappeared: unplugged, or the adapter hung up.
    PortGone,
    /// Answers arrived damaged or incomplete (checksum, length, framing, an unreadable picture).
    Damaged,
    /// The device refused the command and gave this code.
    Refused {
        /// The device's own code (the module's confirmation code, the camera's status).
        code: u8,
    },
    /// Nothing was laid on the fingerprint sensor before the deadline.
    NothingPlaced {
        /// How long the driver waited, milliseconds.
        waited_ms: u64,
    },
    /// The caller stopped the operation.
    Cancelled,
    /// Another input/output failure on the line.
    Io,
}

/// A device failure: its kind, and the driver's own (English) words about it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Fault {
    /// What kind of failure, for a sentence.
    pub kind: FaultKind,
    /// The driver's error as logs show it, for support.
    pub detail: String,
}

impl Fault {
    /// How long the sensor was watched for a finger or a target, when that was the failure.
    pub fn waited(&self) -> Option<Duration> {
        match self.kind {
            FaultKind::NothingPlaced { waited_ms } => Some(Duration::from_millis(waited_ms)),
            _ => None,
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.detail)
    }
}

impl From<&TransportError> for Fault {
    fn from(error: &TransportError) -> Self {
        let kind = match error {
            TransportError::Timeout => FaultKind::Timeout,
            TransportError::PortGone => FaultKind::PortGone,
            TransportError::Io(_) => FaultKind::Io,
            TransportError::Open { .. } => FaultKind::CannotOpen,
        };
        Self {
            kind,
            detail: error.to_string(),
        }
    }
}

impl From<&ZfmError> for Fault {
    fn from(error: &ZfmError) -> Self {
        let kind = match error {
            ZfmError::Timeout { .. } => FaultKind::Timeout,
            ZfmError::Checksum { .. } | ZfmError::Length { .. } | ZfmError::Protocol { .. } => {
                FaultKind::Damaged
            }
            ZfmError::Module {
                code: Confirmation::WrongPassword | Confirmation::PasswordRequired,
                ..
            } => FaultKind::WrongPassword,
            ZfmError::Module { code, .. } => FaultKind::Refused { code: code.code() },
            ZfmError::PortGone { .. } => FaultKind::PortGone,
            ZfmError::Io { source, .. } => Fault::from(source).kind,
            ZfmError::NotFound { .. } => FaultKind::Silent,
            ZfmError::NoFinger { waited } => FaultKind::NothingPlaced {
                waited_ms: u64::try_from(waited.as_millis()).unwrap_or(u64::MAX),
            },
        };
        Self {
            kind,
            detail: error.to_string(),
        }
    }
}

impl From<&CameraError> for Fault {
    fn from(error: &CameraError) -> Self {
        let kind = match error {
            CameraError::Timeout { .. } => FaultKind::Timeout,
            CameraError::Misaligned { .. }
            | CameraError::Unstable { .. }
            | CameraError::Frame { .. }
            | CameraError::FrameLength { .. }
            | CameraError::Picture { .. }
            | CameraError::SizeMismatch { .. } => FaultKind::Damaged,
            CameraError::Camera { status, .. } => FaultKind::Refused {
                code: status.code(),
            },
            CameraError::PortGone => FaultKind::PortGone,
            CameraError::Line { source, .. } => Fault::from(source).kind,
            CameraError::Cancelled => FaultKind::Cancelled,
        };
        Self {
            kind,
            detail: error.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_error_is_sorted_and_keeps_its_words() {
        let silent = Fault::from(&ZfmError::NotFound {
            tried: vec![57_600],
        });
        assert_eq!(silent.kind, FaultKind::Silent);
        assert!(silent.detail.contains("57600"), "{}", silent.detail);
        let password = Fault::from(&ZfmError::Module {
            command: "VfyPwd",
            code: Confirmation::WrongPassword,
        });
        assert_eq!(password.kind, FaultKind::WrongPassword);
        let nothing = Fault::from(&ZfmError::NoFinger {
            waited: Duration::from_millis(30_006),
        });
        assert_eq!(nothing.kind, FaultKind::NothingPlaced { waited_ms: 30_006 });
        assert_eq!(nothing.waited(), Some(Duration::from_millis(30_006)));
        let gone = Fault::from(&ZfmError::Io {
            command: "GenImg",
            source: TransportError::PortGone,
        });
        assert_eq!(gone.kind, FaultKind::PortGone);
        assert_eq!(
            Fault::from(&CameraError::Timeout { command: "reset" }).kind,
            FaultKind::Timeout
        );
    }
}
