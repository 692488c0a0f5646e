//! One typed request per instruction: its code, its arguments, how to read its answer, and how
//! long the module may take (reference: `docs/reference/zfm-fingerprint-protocol.md`,
//! "Instructions").
//!
//! A request knows nothing of the line: [`crate::zfm::module::FingerprintModule::send`] frames
//! it, waits for the acknowledgement under the request's own timeout, and hands the bytes after the
//! confirmation code to [`Command::parse`].

mod confirmation;
mod image;
mod system;
mod template;

use std::time::Duration;

pub use confirmation::Confirmation;
pub use image::{DownImage, GenImg, UpImage};
pub use system::{
    AuraLedConfig, CheckSensor, GetRandomCode, HandShake, LedColour, LedControl, PacketSize,
    ProductInfo, ReadProdInfo, ReadSysPara, Register, SetSysPara, SoftRst, SystemParameters,
    VfyPwd,
};
pub use template::{
    CharBuffer, DeleteChar, Empty, Img2Tz, LoadChar, Match, ReadIndexTable, RegModel, Search,
    SearchHit, Store, TemplateNum,
};

/// The time most instructions need; those that search or write flash say more.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_millis(1_000);

/// A request to the module.
pub trait Command {
    /// The instruction code (first payload byte of the command packet).
    const CODE: u8;
    /// The instruction's name as the reference and technicians know it.
    const NAME: &'static str;
    /// What a successful acknowledgement carries.
    type Response;

    /// Appends the arguments that follow the instruction code.
    fn args(&self, _out: &mut Vec<u8>) {}

    /// How long the module may take to acknowledge (line time is added by the sender).
    fn timeout(&self) -> Duration {
        DEFAULT_TIMEOUT
    }

    /// Reads the acknowledgement's bytes after the confirmation code (confirmation was 0x00).
    fn parse(&self, data: &[u8]) -> Result<Self::Response, ParseError>;
}

/// An acknowledgement whose content does not fit the instruction.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("answer of {found} bytes where {expected} were expected")]
pub struct ParseError {
    /// Bytes the instruction's answer needs (after the confirmation code).
    pub expected: usize,
    /// Bytes received.
    pub found: usize,
}

/// Answers with nothing after the confirmation code; extra bytes are tolerated (some firmwares pad).
pub(crate) fn parse_empty(_data: &[u8]) -> Result<(), ParseError> {
    Ok(())
}

/// The first `N` bytes of an answer, or a [`ParseError`].
pub(crate) fn take<const N: usize>(data: &[u8]) -> Result<[u8; N], ParseError> {
    data.get(..N)
        .and_then(|bytes| <[u8; N]>::try_from(bytes).ok())
        .ok_or(ParseError {
            expected: N,
            found: data.len(),
        })
}

/// Declares an instruction with no arguments and no answer beyond the confirmation code.
macro_rules! simple_command {
    ($(#[$doc:meta])* $name:ident, $code:expr, $label:expr, $timeout:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name;

        impl $crate::zfm::command::Command for $name {
            const CODE: u8 = $code;
            const NAME: &'static str = $label;
            type Response = ();

            fn timeout(&self) -> std::time::Duration {
                $timeout
            }

            fn parse(&self, data: &[u8]) -> Result<(), $crate::zfm::command::ParseError> {
                $crate::zfm::command::parse_empty(data)
            }
        }
    };
}
pub(crate) use simple_command;

#[cfg(test)]
mod tests;
