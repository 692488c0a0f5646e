//! Simulated device firmware: the fingerprint module and the camera, speaking their protocols byte for
//! byte on the master side of a pseudo-terminal, paced at the configured baud, with fault injection.

pub mod control_socket;
pub mod pty;
pub mod synth;
pub mod vc0706_firmware;
pub mod zfm_firmware;
