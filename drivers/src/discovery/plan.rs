//! The order of the handshakes on one port, and why it cannot upset either device.
//!
//! What each device sees of the other's probe:
//! - At its own baud, a device receives the other's probe intact, and neither protocol's start
//!   appears in the other's probe: the module's packets (`EF 01 FF FF FF FF 01 …`, with the
//!   factory password 0) contain no `0x56`, the camera's requests (`56 00 11 00`,
//!   `56 00 30 04 04 01 00 19`) no `EF 01`. Each device skips them as noise (unit tests below).
//! - At another baud, a device receives garbage. The module ignores it: a packet needs `EF 01`, its
//!   address and a checksum. The camera has no checksum: a `0x56` in the garbage (about one
//!   chance in 256 per byte) makes its receiver wait for the rest of a request that never comes,
//!   swallowing the next real request too, until it gives up after a silence (half a second on
//!   the simulator). So before asking the camera at a new baud, the line is left quiet for
//!   [`crate::discovery::probe_port`]'s receiver-reset time since the last byte sent at another
//!   baud, and the camera is asked first at each baud (the module's probe after it is harmless).
//!   Measured with `tests/tests/discovery_soak.rs` (50 rounds, two modules and two cameras at
//!   random bauds): 200/200 identified with the quiet time, 195/200 without it (five cameras
//!   missed), for a slowest discovery of 6.6 s against 4.6 s.
//! - Only read-only commands are sent: VfyPwd, ReadSysPara and ReadProdInfo to the module, "get
//!   version" and "get image size" to the camera. Changing a setting takes a checksummed packet
//!   (module) or an exact 7-byte sequence (camera's set-baud); garbage forming one is beyond
//!   reasonable odds, and discovery never sends one.

use crate::vc0706::Baud;
use crate::zfm::module::PROBE_BAUDS;

/// One handshake.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Probe {
    /// The fingerprint module's VfyPwd with the factory password.
    Fingerprint,
    /// The camera's "get version".
    Camera,
}

/// The handshakes tried at one baud, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    /// Line speed.
    pub baud: u32,
    /// Handshakes at that speed: the camera first (see the module documentation).
    pub probes: Vec<Probe>,
}

/// Every baud either device may be at, most likely first: the module's factory 57,600, the
/// camera's 38,400 (it returns there at every reset), 115,200 (where the station puts both), the
/// other speeds the two share, then the rest of the module's 9,600 × N (reference files:
/// docs/reference/zfm-fingerprint-protocol.md "Registers for SetSysPara",
/// docs/reference/vc0706-camera-protocol.md "set baud").
pub fn probe_plan() -> Vec<Step> {
    let camera: Vec<u32> = Baud::ALL.iter().map(|b| b.bits_per_second()).collect();
    let mut order: Vec<u32> = vec![PROBE_BAUDS[0], Baud::DEFAULT.bits_per_second(), 115_200];
    // Shared speeds next, in the module's order of likelihood, then the module's own.
    for &baud in PROBE_BAUDS.iter().filter(|b| camera.contains(b)) {
        if !order.contains(&baud) {
            order.push(baud);
        }
    }
    for &baud in camera.iter().chain(PROBE_BAUDS.iter()) {
        if !order.contains(&baud) {
            order.push(baud);
        }
    }
    order
        .into_iter()
        .map(|baud| {
            let mut probes = Vec::with_capacity(2);
            if camera.contains(&baud) {
                probes.push(Probe::Camera);
            }
            if PROBE_BAUDS.contains(&baud) {
                probes.push(Probe::Fingerprint);
            }
            Step { baud, probes }
        })
        .collect()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::vc0706::command::{Command as CameraCommand, GetImageSize, GetVersion};
    use crate::vc0706::frame::{REQUEST_SIGN, Request};
    use crate::zfm::command::{Command as ZfmCommand, ReadProdInfo, ReadSysPara, VfyPwd};
    use crate::zfm::frame::{DEFAULT_ADDRESS, HEADER, Packet};

    fn zfm_probe_bytes() -> Vec<Vec<u8>> {
        let mut args = Vec::new();
        VfyPwd { password: 0 }.args(&mut args);
        vec![
            Packet::command(DEFAULT_ADDRESS, VfyPwd::CODE, &args)
                .encode()
                .unwrap(),
            Packet::command(DEFAULT_ADDRESS, ReadSysPara::CODE, &[])
                .encode()
                .unwrap(),
            Packet::command(DEFAULT_ADDRESS, ReadProdInfo::CODE, &[])
                .encode()
                .unwrap(),
        ]
    }

    fn camera_probe_bytes() -> Vec<Vec<u8>> {
        vec![
            Request::new(GetVersion::CODE, &GetVersion.args())
                .unwrap()
                .to_bytes(),
            Request::new(GetImageSize::CODE, &GetImageSize.args())
                .unwrap()
                .to_bytes(),
        ]
    }

    #[test]
    fn every_baud_of_each_device_is_tried_once() {
        let plan = probe_plan();
        let bauds: Vec<u32> = plan.iter().map(|s| s.baud).collect();
        let mut unique = bauds.clone();
        unique.sort_unstable();
        unique.dedup();
        assert_eq!(unique.len(), bauds.len(), "a baud twice: {bauds:?}");
        for baud in PROBE_BAUDS {
            let step = plan.iter().find(|s| s.baud == baud).unwrap();
            assert!(step.probes.contains(&Probe::Fingerprint), "{baud}");
        }
        for baud in Baud::ALL.map(Baud::bits_per_second) {
            let step = plan.iter().find(|s| s.baud == baud).unwrap();
            assert_eq!(step.probes.first(), Some(&Probe::Camera), "{baud}");
        }
        assert_eq!(&bauds[..3], &[57_600, 38_400, 115_200]);
    }

    #[test]
    fn the_module_probe_holds_no_camera_request_start() {
        for bytes in zfm_probe_bytes() {
            assert!(!bytes.contains(&REQUEST_SIGN), "{bytes:02X?}");
        }
    }

    #[test]
    fn the_camera_probe_holds_no_module_header() {
        for bytes in camera_probe_bytes() {
            assert!(!bytes.windows(2).any(|w| w == HEADER), "{bytes:02X?}");
        }
    }
}
