//! The ZFM / R30x / AS608 / R503 fingerprint module (reference:
//! `docs/reference/zfm-fingerprint-protocol.md`).
//!
//! Three layers, each usable on its own: [`frame`] turns bytes into packets and back (checksums,
//! resynchronisation), [`command`] gives each instruction a typed request, answer and timeout, and
//! [`module`] is the device API a station uses (probe, negotiate, wait for a finger, fetch the image,
//! templates).

pub mod command;
pub mod error;
pub mod frame;
pub mod image;
pub mod module;

pub use command::{Command, Confirmation};
pub use error::ZfmError;
pub use frame::{Packet, PacketKind};
pub use module::{
    Capture, FingerprintModule, ModuleSettings, Negotiation, ProbeReport, Progress, TransferStats,
};
