//! What can go wrong on the line itself (as opposed to what a device reports).

use std::io;

/// A transport failure: the line, not the device, went wrong.
#[derive(Debug, thiserror::Error)]
pub enum TransportError {
    /// The deadline passed before the expected bytes arrived.
    #[error("no answer before the deadline")]
    Timeout,
    /// The device is gone: unplugged, hung up, or the pseudo-terminal's other end closed.
    #[error("the serial port is gone (unplugged or hung up)")]
    PortGone,
    /// Any other input/output error.
    #[error("serial input/output error: {0}")]
    Io(#[source] io::Error),
    /// The port could not be opened or configured.
    #[error("cannot open or configure the serial port {path}: {source}")]
    Open {
        /// The path we tried to open.
        path: String,
        /// What serialport reported.
        #[source]
        source: serialport::Error,
    },
}

impl TransportError {
    /// Sorts an `io::Error` from a read or write: hang-ups and vanished devices become
    /// [`TransportError::PortGone`], timeouts [`TransportError::Timeout`], the rest stays `Io`.
    pub fn from_io(error: io::Error) -> Self {
        if is_port_gone(&error) {
            TransportError::PortGone
        } else if error.kind() == io::ErrorKind::TimedOut {
            TransportError::Timeout
        } else {
            TransportError::Io(error)
        }
    }
}

/// Hang-up and unplug show up in several guises: POLLHUP (serialport reports `BrokenPipe`), EIO on
/// a pseudo-terminal whose master closed, ENXIO/ENODEV on a USB adapter pulled out. serialport
/// re-wraps errno values into text-only errors, so the text is checked as well as the code.
fn is_port_gone(error: &io::Error) -> bool {
    use io::ErrorKind as K;
    if matches!(
        error.kind(),
        K::BrokenPipe
            | K::UnexpectedEof
            | K::NotConnected
            | K::ConnectionReset
            | K::ConnectionAborted
    ) {
        return true;
    }
    // EIO = 5, ENXIO = 6, EBADF = 9, ENODEV = 19 on Linux and the BSDs.
    if matches!(error.raw_os_error(), Some(5 | 6 | 9 | 19)) {
        return true;
    }
    let text = error.to_string();
    [
        "I/O error",
        "Input/output error",
        "No such device",
        "Bad file descriptor",
    ]
    .iter()
    .any(|needle| text.contains(needle))
}
