//! The chip's behaviour, command by command, apart from the line: registers, the frame buffer,
//! what each request answers, and when settings take effect. Facts from
//! `docs/reference/vc0706-camera-protocol.md`; status codes 1–5 from the chip's protocol manual.

use std::sync::Arc;

use super::request::HostRequest;
use super::scene::{Applicant, Scene, quality_for};

/// What the chip prints after power-up and after every reset (reference, "reset").
pub const BOOT_TEXT: &[u8] =
    b"VC0703 1.00\r\nCtrl infr exist\r\nUser-defined sensor\r\n625\r\nInit end\r\n";
/// The version text (reference, "version").
pub const VERSION: &[u8] = b"VC0703 1.00";
/// The speed after power-up and reset.
pub const DEFAULT_BAUD: u32 = 38_400;
/// The default compression byte.
pub const DEFAULT_COMPRESSION: u8 = 0x36;
/// The largest chunk the simulated chip sends in one read (the real limit is undocumented).
pub const MAX_CHUNK: u32 = 8_192;

/// Status: carried out.
const OK: u8 = 0x00;
/// Status: command unknown / not received.
const NOT_RECEIVED: u8 = 0x01;
/// Status: malformed data (bad argument, address or length).
const DATA_FORMAT: u8 = 0x03;
/// Status: cannot be carried out now (e.g. reading a frame that is not frozen).
const CANNOT_NOW: u8 = 0x04;
/// Status: received but failed (e.g. the JPEG encoder failed).
const FAILED: u8 = 0x05;

/// What the line must do after a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Send these bytes.
    Send(Vec<u8>),
    /// From now on, send and receive at this speed.
    SwitchBaud(u32),
    /// Restart: pause, return to 38,400 baud, print the boot text.
    Restart,
}

/// The picture sizes, by code (reference, "set image size").
fn dimensions(code: u8) -> Option<(u32, u32)> {
    match code {
        0x00 => Some((640, 480)),
        0x11 => Some((320, 240)),
        0x22 => Some((160, 120)),
        _ => None,
    }
}

/// The speed a divisor stands for (reference, "set baud").
fn baud_for(divisor: [u8; 2]) -> Option<u32> {
    match divisor {
        [0xAE, 0xC8] => Some(9_600),
        [0x56, 0xE4] => Some(19_200),
        [0x2A, 0xF2] => Some(38_400),
        [0x1C, 0x1C] => Some(57_600),
        [0x0D, 0xA6] => Some(115_200),
        _ => None,
    }
}

/// The chip's state.
#[derive(Debug)]
pub struct Firmware {
    serial: u8,
    stored_size: u8,
    stored_compression: u8,
    active_size: u8,
    active_compression: u8,
    frozen: Option<Arc<Vec<u8>>>,
    motion: bool,
    scene: Scene,
}

impl Default for Firmware {
    fn default() -> Self {
        Self {
            serial: 0,
            stored_size: 0x00,
            stored_compression: DEFAULT_COMPRESSION,
            active_size: 0x00,
            active_compression: DEFAULT_COMPRESSION,
            frozen: None,
            motion: false,
            scene: Scene::default(),
        }
    }
}

impl Firmware {
    /// Power-up or reset: stored size and compression take effect, the frame buffer runs live,
    /// motion detection is off.
    pub fn restart(&mut self) {
        self.active_size = self.stored_size;
        self.active_compression = self.stored_compression;
        self.frozen = None;
        self.motion = false;
    }

    /// Whether motion detection is on.
    pub fn motion_enabled(&self) -> bool {
        self.motion
    }

    /// The picture size in force.
    pub fn active_dimensions(&self) -> (u32, u32) {
        dimensions(self.active_size).unwrap_or((640, 480))
    }

    /// Answers one request. `applicant` is who stands in front of the camera; `frozen` reports
    /// each frame frozen (the bytes a capture will read).
    pub fn handle(
        &mut self,
        request: &HostRequest,
        applicant: Applicant,
        frozen: &mut dyn FnMut(&Arc<Vec<u8>>),
    ) -> Vec<Effect> {
        if request.serial != self.serial {
            return Vec::new();
        }
        let command = request.command;
        let args = request.args.as_slice();
        let reply = |status: u8, data: &[u8]| {
            let mut out = vec![0x76, 0x00, command, status, data.len() as u8];
            out.extend_from_slice(data);
            Effect::Send(out)
        };
        match (command, args) {
            // reset
            (0x26, []) => vec![reply(OK, &[]), Effect::Restart],
            // version (one library sends a stray length byte of 1)
            (0x11, [] | [_]) => vec![reply(OK, VERSION)],
            // set baud: answered at the old speed, the new one applies at once
            (0x24, [0x01, hi, lo]) => match baud_for([*hi, *lo]) {
                Some(baud) => vec![reply(OK, &[]), Effect::SwitchBaud(baud)],
                None => vec![reply(DATA_FORMAT, &[])],
            },
            // write data: image size (applies at reset)
            (0x31, [0x04, 0x01, 0x00, 0x19, size]) => {
                if dimensions(*size).is_some() {
                    self.stored_size = *size;
                    vec![reply(OK, &[])]
                } else {
                    vec![reply(DATA_FORMAT, &[])]
                }
            }
            // write data: compression (applies at reset)
            (0x31, [0x01, 0x01, 0x12, 0x04, compression]) => {
                self.stored_compression = *compression;
                vec![reply(OK, &[])]
            }
            (0x31, _) => vec![reply(DATA_FORMAT, &[])],
            // read data: image size
            (0x30, [0x04, 0x01, 0x00, 0x19]) => vec![reply(OK, &[self.stored_size])],
            (0x30, _) => vec![reply(DATA_FORMAT, &[])],
            // frame control
            (0x36, [action]) => match action {
                0x00..=0x02 => {
                    if *action == 0x02 || self.frozen.is_none() {
                        match self.take_frame(applicant) {
                            Ok(frame) => {
                                frozen(&frame);
                                self.frozen = Some(frame);
                            }
                            Err(error) => {
                                tracing::warn!(device = "vc0706-sim", %error, "JPEG encoding failed");
                                return vec![reply(FAILED, &[])];
                            }
                        }
                    }
                    vec![reply(OK, &[])]
                }
                0x03 => {
                    self.frozen = None;
                    vec![reply(OK, &[])]
                }
                _ => vec![reply(DATA_FORMAT, &[])],
            },
            // frame length of the frozen frame
            (0x34, [0x00]) => match &self.frozen {
                Some(frame) => {
                    let len = u32::try_from(frame.len()).unwrap_or(u32::MAX);
                    vec![reply(OK, &len.to_be_bytes())]
                }
                None => vec![reply(CANNOT_NOW, &[])],
            },
            // read frame buffer: 00 0A <address 4> <length 4> <delay 2>
            (0x32, [0x00, 0x0A, a0, a1, a2, a3, l0, l1, l2, l3, _, _]) => {
                let address = u32::from_be_bytes([*a0, *a1, *a2, *a3]);
                let length = u32::from_be_bytes([*l0, *l1, *l2, *l3]);
                self.read_frame_buffer(address, length)
            }
            // motion detection routed to the serial line
            (0x42, [0x03, 0x00, 0x01, 0x01]) => vec![reply(OK, &[])],
            (0x37, [on @ (0 | 1)]) => {
                self.motion = *on == 1;
                vec![reply(OK, &[])]
            }
            (0x26 | 0x24 | 0x36 | 0x34 | 0x32 | 0x42 | 0x37, _) => vec![reply(DATA_FORMAT, &[])],
            _ => vec![reply(NOT_RECEIVED, &[])],
        }
    }

    /// Draws the frame for `applicant` at the settings in force, so that the next freeze finds it
    /// ready (the frames are kept by applicant and settings).
    pub fn fill_frame_buffer(&mut self, applicant: Applicant) {
        if self.scene.moving() {
            return;
        }
        if let Err(error) = self.take_frame(applicant) {
            tracing::warn!(device = "vc0706-sim", %error, "JPEG encoding failed");
        }
    }

    /// The applicant holds `card` up to the lens from the next frame (None: puts it away).
    pub fn show_qr(&mut self, card: Option<Arc<crate::synth::qr_card::QrCard>>) {
        self.scene.show_qr(card);
    }

    fn take_frame(&mut self, applicant: Applicant) -> Result<Arc<Vec<u8>>, image::ImageError> {
        let (width, height) = self.active_dimensions();
        self.scene.frame(
            applicant,
            width,
            height,
            quality_for(self.active_compression),
        )
    }

    /// A chunk: header, the bytes (zeros past the end of the frame), the same 5 bytes again.
    fn read_frame_buffer(&self, address: u32, length: u32) -> Vec<Effect> {
        let refuse = |status: u8| vec![Effect::Send(vec![0x76, 0x00, 0x32, status, 0x00])];
        let Some(frame) = &self.frozen else {
            return refuse(CANNOT_NOW);
        };
        let frame_len = u32::try_from(frame.len()).unwrap_or(u32::MAX);
        if length == 0 || !length.is_multiple_of(4) || length > MAX_CHUNK || address >= frame_len {
            return refuse(DATA_FORMAT);
        }
        let marker = [0x76, 0x00, 0x32, 0x00, 0x00];
        let start = address as usize;
        let end = (start + length as usize).min(frame.len());
        let mut out = Vec::with_capacity(length as usize + 10);
        out.extend_from_slice(&marker);
        out.extend_from_slice(&frame[start..end]);
        out.resize(5 + length as usize, 0x00);
        out.extend_from_slice(&marker);
        vec![Effect::Send(out)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::synth::portrait::Defects;

    fn ask(firmware: &mut Firmware, command: u8, args: &[u8]) -> Vec<Effect> {
        let request = HostRequest {
            serial: 0,
            command,
            args: args.to_vec(),
        };
        let applicant = Applicant {
            seed: 7,
            defects: Defects::none(),
            lens: crate::synth::sensor_defects::CameraDefects::none(),
            grey_card: false,
        };
        firmware.handle(&request, applicant, &mut |_| {})
    }

    fn sent(effects: &[Effect]) -> Vec<u8> {
        effects
            .iter()
            .filter_map(|e| match e {
                Effect::Send(bytes) => Some(bytes.clone()),
                _ => None,
            })
            .flatten()
            .collect()
    }

    #[test]
    fn size_applies_only_after_reset() {
        let mut fw = Firmware::default();
        assert_eq!(
            sent(&ask(&mut fw, 0x31, &[0x04, 0x01, 0x00, 0x19, 0x22])),
            [0x76, 0, 0x31, 0, 0]
        );
        assert_eq!(fw.active_dimensions(), (640, 480));
        assert_eq!(
            sent(&ask(&mut fw, 0x30, &[0x04, 0x01, 0x00, 0x19])),
            [0x76, 0, 0x30, 0, 1, 0x22]
        );
        assert_eq!(ask(&mut fw, 0x26, &[])[1], Effect::Restart);
        fw.restart();
        assert_eq!(fw.active_dimensions(), (160, 120));
    }

    #[test]
    fn frame_is_read_with_32_bit_addresses_and_framed() {
        let mut fw = Firmware {
            stored_size: 0x22,
            ..Firmware::default()
        };
        fw.restart();
        assert_eq!(sent(&ask(&mut fw, 0x34, &[0])), [0x76, 0, 0x34, 4, 0]);
        ask(&mut fw, 0x36, &[0x00]);
        let length = sent(&ask(&mut fw, 0x34, &[0]));
        let len = u32::from_be_bytes([length[5], length[6], length[7], length[8]]);
        assert!(len > 100);
        let read = |fw: &mut Firmware, address: u32, length: u32| {
            let mut args = vec![0x00, 0x0A];
            args.extend_from_slice(&address.to_be_bytes());
            args.extend_from_slice(&length.to_be_bytes());
            args.extend_from_slice(&[0, 0]);
            sent(&ask(fw, 0x32, &args))
        };
        let chunk = read(&mut fw, 0, 8);
        assert_eq!(&chunk[..5], &[0x76, 0, 0x32, 0, 0]);
        assert_eq!(&chunk[5..7], &[0xFF, 0xD8]);
        assert_eq!(&chunk[13..], &[0x76, 0, 0x32, 0, 0]);
        assert_eq!(read(&mut fw, 0, 6), [0x76, 0, 0x32, DATA_FORMAT, 0]);
        assert_eq!(
            read(&mut fw, 0x0001_0000 + len, 8),
            [0x76, 0, 0x32, DATA_FORMAT, 0]
        );
        ask(&mut fw, 0x36, &[0x03]);
        assert_eq!(read(&mut fw, 0, 8), [0x76, 0, 0x32, CANNOT_NOW, 0]);
    }
}
