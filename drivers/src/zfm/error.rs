//! The fingerprint driver's errors: line failures, damaged answers and the module's own refusals
//! stay distinct, and each names the command that failed.

use std::time::Duration;

use super::command::Confirmation;
use super::frame::{FrameError, ReadError};
use crate::transport::TransportError;

/// Why a fingerprint module operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ZfmError {
    /// The module did not answer `command` before its deadline.
    #[error("{command}: the fingerprint module did not answer in time")]
    Timeout {
        /// The instruction that went unanswered.
        command: &'static str,
    },
    /// An answer to `command` arrived damaged (checksum mismatch).
    #[error("{command}: damaged answer ({detail})")]
    Checksum {
        /// The instruction whose answer was damaged.
        command: &'static str,
        /// The frame error.
        detail: FrameError,
    },
    /// An image or data transfer ended with the wrong number of bytes.
    #[error("{command}: expected {expected} bytes of data, received {received}")]
    Length {
        /// The transfer's instruction.
        command: &'static str,
        /// Bytes the sensor's size calls for.
        expected: usize,
        /// Bytes received before the transfer ended or stopped.
        received: usize,
    },
    /// An answer that is well framed but does not fit (wrong packet kind, short answer, foreign
    /// address).
    #[error("{command}: unexpected answer: {detail}")]
    Protocol {
        /// The instruction.
        command: &'static str,
        /// What was wrong.
        detail: String,
    },
    /// The module refused or failed `command` and said why.
    #[error("{command}: the module reports: {code}")]
    Module {
        /// The instruction.
        command: &'static str,
        /// The module's confirmation code.
        code: Confirmation,
    },
    /// The serial port disappeared (unplugged, hung up) during `command`.
    #[error("{command}: the serial port is gone (unplugged?)")]
    PortGone {
        /// The instruction under way.
        command: &'static str,
    },
    /// Another input/output error during `command`.
    #[error("{command}: serial input/output error: {source}")]
    Io {
        /// The instruction under way.
        command: &'static str,
        /// The transport's error.
        #[source]
        source: TransportError,
    },
    /// No module answered at any of the bauds tried.
    #[error("no fingerprint module answered at {tried:?} baud")]
    NotFound {
        /// The bauds tried, in order.
        tried: Vec<u32>,
    },
    /// No finger was placed before the deadline.
    #[error("no finger was placed on the sensor within {:.1} s", .waited.as_secs_f64())]
    NoFinger {
        /// How long we waited.
        waited: Duration,
    },
}

impl ZfmError {
    /// Maps a transport failure during `command`.
    pub fn from_transport(command: &'static str, error: TransportError) -> Self {
        match error {
            TransportError::Timeout => ZfmError::Timeout { command },
            TransportError::PortGone => ZfmError::PortGone { command },
            other => ZfmError::Io {
                command,
                source: other,
            },
        }
    }

    /// Maps a packet read failure during `command`.
    pub fn from_read(command: &'static str, error: ReadError) -> Self {
        match error {
            ReadError::Transport(error) => Self::from_transport(command, error),
            ReadError::Corrupt(detail @ FrameError::Checksum { .. }) => {
                ZfmError::Checksum { command, detail }
            }
            ReadError::Corrupt(other) => ZfmError::Protocol {
                command,
                detail: other.to_string(),
            },
        }
    }

    /// The instruction that failed, when there was one.
    pub fn command(&self) -> Option<&'static str> {
        match self {
            ZfmError::Timeout { command }
            | ZfmError::Checksum { command, .. }
            | ZfmError::Length { command, .. }
            | ZfmError::Protocol { command, .. }
            | ZfmError::Module { command, .. }
            | ZfmError::PortGone { command }
            | ZfmError::Io { command, .. } => Some(command),
            ZfmError::NotFound { .. } | ZfmError::NoFinger { .. } => None,
        }
    }

    /// A short stable name for the kind of failure (for counters and logs).
    pub fn kind(&self) -> &'static str {
        match self {
            ZfmError::Timeout { .. } => "timeout",
            ZfmError::Checksum { .. } => "checksum",
            ZfmError::Length { .. } => "length",
            ZfmError::Protocol { .. } => "protocol",
            ZfmError::Module { .. } => "module",
            ZfmError::PortGone { .. } => "port-gone",
            ZfmError::Io { .. } => "io",
            ZfmError::NotFound { .. } => "not-found",
            ZfmError::NoFinger { .. } => "no-finger",
        }
    }

    /// A damaged transfer that is worth repeating from the start (the module keeps its image).
    pub fn is_transfer_damage(&self) -> bool {
        matches!(
            self,
            ZfmError::Checksum { .. } | ZfmError::Length { .. } | ZfmError::Protocol { .. }
        )
    }
}
