//! Serial drivers for the enrolment station's devices.
//!
//! Each device protocol lives in its own folder (`zfm` for the fingerprint module, `vc0706` for the
//! camera) with the same three layers: `frame` (bytes ⇄ packets), `command` (one typed request per
//! command, each with its own timeout) and the device API. Everything is generic over the
//! [`transport`], so the same code drives a real USB-serial adapter or a simulator's pseudo-terminal.

pub mod calibration;
pub mod diagnostics;
pub mod discovery;
pub mod fault;
pub mod transport;
pub mod vc0706;
pub mod zfm;
