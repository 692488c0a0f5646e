//! What a camera call can fail on: the line, the framing, the camera's own refusal, the picture.

use super::command::CameraStatus;
use super::frame::FrameError;
use super::picture::PictureProblem;
use crate::transport::TransportError;

/// A camera call that did not succeed. Transport failures, framing faults and the camera's own
/// status are kept apart, and each names the command it happened on.
#[derive(Debug, thiserror::Error)]
pub enum CameraError {
    /// No (whole) answer before the command's deadline: the camera is silent or the line stalls.
    #[error("the camera did not answer \"{command}\" in time")]
    Timeout {
        /// The command that got no answer.
        command: &'static str,
    },
    /// A frame-buffer chunk kept arriving with a byte lost or added, after every retry.
    #[error("chunk at address {address} stayed misaligned after {attempts} reads")]
    Misaligned {
        /// Offset of the chunk in the frame.
        address: u32,
        /// How many times it was read.
        attempts: u32,
    },
    /// A chunk read twice came back different every time (bit errors on the line).
    #[error("chunk at address {address} read differently {attempts} times (noisy line)")]
    Unstable {
        /// Offset of the chunk in the frame.
        address: u32,
        /// How many times it was read.
        attempts: u32,
    },
    /// The camera answered with a non-zero status.
    #[error("the camera refused \"{command}\": {status}")]
    Camera {
        /// The command refused.
        command: &'static str,
        /// The status it gave.
        status: CameraStatus,
    },
    /// The reply was framed but its content makes no sense for the command.
    #[error("malformed reply to \"{command}\": {source}")]
    Frame {
        /// The command answered.
        command: &'static str,
        /// What was wrong.
        #[source]
        source: FrameError,
    },
    /// The camera reported a frame length we cannot accept (empty or absurdly large).
    #[error("the camera reports a frame of {length} bytes")]
    FrameLength {
        /// The length reported.
        length: u32,
    },
    /// The frame read is not a whole, decodable JPEG of the expected size, after every re-read.
    #[error("the picture received is not usable: {problem}")]
    Picture {
        /// What is wrong with it.
        problem: PictureProblem,
    },
    /// The camera stores an image size the driver does not know, or not the one just set.
    #[error("the camera's image size is {found:#04x}, expected {expected:#04x}")]
    SizeMismatch {
        /// The size code expected.
        expected: u8,
        /// The size code the camera reports.
        found: u8,
    },
    /// The serial port disappeared (unplugged, hung up).
    #[error("the camera's serial port is gone (unplugged?)")]
    PortGone,
    /// Any other input/output failure on the line.
    #[error("serial line failure during \"{command}\": {source}")]
    Line {
        /// The command under way.
        command: &'static str,
        /// The transport's error.
        #[source]
        source: TransportError,
    },
    /// The operation was stopped by its caller (e.g. the preview loop was asked to stop).
    #[error("stopped by the caller")]
    Cancelled,
}

impl CameraError {
    /// Tags a transport failure with the command under way.
    pub fn from_transport(command: &'static str, error: TransportError) -> Self {
        match error {
            TransportError::Timeout => CameraError::Timeout { command },
            TransportError::PortGone => CameraError::PortGone,
            source => CameraError::Line { command, source },
        }
    }
}
