//! The camera's commands, one typed request each, with its own reply timeout and reply parser.
//!
//! Byte layouts from `docs/reference/vc0706-camera-protocol.md`, "Commands". The read of the
//! frame buffer is here for its arguments only: its reply is a framed chunk (see
//! [`super::frame::scan_chunk`]), read by the camera API.

use std::fmt;
use std::time::Duration;

use super::frame::{FrameError, READ_FRAME_BUFFER};

/// How long an ordinary reply may take to arrive once the request is sent: the camera answers
/// within milliseconds, and the longest reply (version, 16 bytes) lasts 17 ms at 9,600 baud.
pub const REPLY_TIMEOUT: Duration = Duration::from_millis(500);

/// One request to the camera and the meaning of its reply.
pub trait Command {
    /// The command code (third byte of the request).
    const CODE: u8;
    /// The command's name in logs and errors.
    const NAME: &'static str;
    /// What a successful reply carries.
    type Response;
    /// The request's argument bytes.
    fn args(&self) -> Vec<u8>;
    /// How long the reply may take once the request is written.
    fn timeout(&self) -> Duration {
        REPLY_TIMEOUT
    }
    /// Interprets the data of a successful reply (status 0).
    fn parse(&self, data: &[u8]) -> Result<Self::Response, FrameError>;
}

/// Checks that a reply carries exactly `expected` data bytes.
fn expect_len(command: u8, data: &[u8], expected: usize) -> Result<(), FrameError> {
    if data.len() == expected {
        Ok(())
    } else {
        Err(FrameError::UnexpectedLength {
            command,
            len: data.len(),
            expected,
        })
    }
}

/// The status byte of a reply, as the VC0706 command protocol names them (codes 1–5 come from
/// the chip's protocol manual, not from the reference file).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CameraStatus {
    /// 0: carried out.
    Ok,
    /// 1: the command was not received whole.
    NotReceived,
    /// 2: the data length is wrong.
    DataLength,
    /// 3: the data is malformed (e.g. a frame address or length out of range).
    DataFormat,
    /// 4: the command cannot be carried out now.
    CannotExecuteNow,
    /// 5: the command was received but failed.
    ExecutionFailed,
    /// Any other code.
    Other(u8),
}

impl CameraStatus {
    /// Sorts a status byte.
    pub fn from_code(code: u8) -> Self {
        match code {
            0 => Self::Ok,
            1 => Self::NotReceived,
            2 => Self::DataLength,
            3 => Self::DataFormat,
            4 => Self::CannotExecuteNow,
            5 => Self::ExecutionFailed,
            other => Self::Other(other),
        }
    }

    /// The status byte.
    pub fn code(self) -> u8 {
        match self {
            Self::Ok => 0,
            Self::NotReceived => 1,
            Self::DataLength => 2,
            Self::DataFormat => 3,
            Self::CannotExecuteNow => 4,
            Self::ExecutionFailed => 5,
            Self::Other(code) => code,
        }
    }
}

impl fmt::Display for CameraStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let meaning = match self {
            Self::Ok => "done",
            Self::NotReceived => "command not received whole",
            Self::DataLength => "wrong data length",
            Self::DataFormat => "malformed data",
            Self::CannotExecuteNow => "cannot do it now",
            Self::ExecutionFailed => "received but failed",
            Self::Other(_) => "unknown status",
        };
        write!(f, "{meaning} (status {:#04x})", self.code())
    }
}

/// The line speeds the camera supports, with the divisor bytes it expects.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Baud {
    /// 9,600 baud.
    B9600,
    /// 19,200 baud.
    B19200,
    /// 38,400 baud: the default, and the speed after every reset.
    B38400,
    /// 57,600 baud.
    B57600,
    /// 115,200 baud: the fastest.
    B115200,
}

impl Baud {
    /// Every speed, fastest first.
    pub const ALL: [Baud; 5] = [
        Baud::B115200,
        Baud::B57600,
        Baud::B38400,
        Baud::B19200,
        Baud::B9600,
    ];

    /// The speed after power-up and after every reset.
    pub const DEFAULT: Baud = Baud::B38400;

    /// Bits per second.
    pub fn bits_per_second(self) -> u32 {
        match self {
            Baud::B9600 => 9_600,
            Baud::B19200 => 19_200,
            Baud::B38400 => 38_400,
            Baud::B57600 => 57_600,
            Baud::B115200 => 115_200,
        }
    }

    /// The speed for a number of bits per second, if the camera has it.
    pub fn from_bits_per_second(bps: u32) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.bits_per_second() == bps)
    }

    /// The two divisor bytes of the "set baud" request.
    pub fn divisor(self) -> [u8; 2] {
        match self {
            Baud::B9600 => [0xAE, 0xC8],
            Baud::B19200 => [0x56, 0xE4],
            Baud::B38400 => [0x2A, 0xF2],
            Baud::B57600 => [0x1C, 0x1C],
            Baud::B115200 => [0x0D, 0xA6],
        }
    }

    /// The speed a divisor stands for.
    pub fn from_divisor(divisor: [u8; 2]) -> Option<Self> {
        Self::ALL.into_iter().find(|b| b.divisor() == divisor)
    }
}

impl fmt::Display for Baud {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} baud", self.bits_per_second())
    }
}

/// The picture sizes the camera can produce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ImageSize {
    /// 640×480: for the photo kept in the record.
    Vga,
    /// 320×240: a preview.
    Qvga,
    /// 160×120: the fastest preview.
    Qqvga,
}

impl ImageSize {
    /// Every size, largest first.
    pub const ALL: [ImageSize; 3] = [ImageSize::Vga, ImageSize::Qvga, ImageSize::Qqvga];

    /// The code the camera uses for this size.
    pub fn code(self) -> u8 {
        match self {
            ImageSize::Vga => 0x00,
            ImageSize::Qvga => 0x11,
            ImageSize::Qqvga => 0x22,
        }
    }

    /// The size a code stands for.
    pub fn from_code(code: u8) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// Width and height in pixels.
    pub fn dimensions(self) -> (u32, u32) {
        match self {
            ImageSize::Vga => (640, 480),
            ImageSize::Qvga => (320, 240),
            ImageSize::Qqvga => (160, 120),
        }
    }

    /// The size with these dimensions, if the camera has it.
    pub fn from_dimensions(width: u32, height: u32) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|s| s.dimensions() == (width, height))
    }
}

impl fmt::Display for ImageSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (w, h) = self.dimensions();
        write!(f, "{w}x{h}")
    }
}

impl std::str::FromStr for ImageSize {
    type Err = String;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let parsed = text
            .split_once(['x', 'X', '×'])
            .and_then(|(w, h)| Some((w.trim().parse().ok()?, h.trim().parse().ok()?)));
        parsed
            .and_then(|(w, h)| Self::from_dimensions(w, h))
            .ok_or_else(|| format!("unknown image size {text:?} (640x480, 320x240 or 160x120)"))
    }
}

/// What to do with the frame buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FrameAction {
    /// Stop on the current frame (freeze it for reading).
    StopCurrent,
    /// Stop on the next frame.
    StopNext,
    /// Take one frame, then stop.
    Step,
    /// Resume live frames.
    Resume,
}

impl FrameAction {
    /// The action's code.
    pub fn code(self) -> u8 {
        match self {
            FrameAction::StopCurrent => 0x00,
            FrameAction::StopNext => 0x01,
            FrameAction::Step => 0x02,
            FrameAction::Resume => 0x03,
        }
    }
}

/// `reset` (0x26): the camera restarts, answers, then prints its boot text at 38,400 baud.
#[derive(Debug, Clone, Copy)]
pub struct Reset;

impl Command for Reset {
    const CODE: u8 = 0x26;
    const NAME: &'static str = "reset";
    type Response = ();
    fn args(&self) -> Vec<u8> {
        Vec::new()
    }
    fn parse(&self, _data: &[u8]) -> Result<(), FrameError> {
        Ok(())
    }
}

/// `get version` (0x11): the firmware's version text, e.g. `VC0703 1.00`.
#[derive(Debug, Clone, Copy)]
pub struct GetVersion;

impl Command for GetVersion {
    const CODE: u8 = 0x11;
    const NAME: &'static str = "get version";
    type Response = String;
    fn args(&self) -> Vec<u8> {
        Vec::new()
    }
    fn parse(&self, data: &[u8]) -> Result<String, FrameError> {
        Ok(String::from_utf8_lossy(data).trim().to_owned())
    }
}

/// `set baud` (0x24): the camera answers at the old speed, then switches.
#[derive(Debug, Clone, Copy)]
pub struct SetBaud(pub Baud);

impl Command for SetBaud {
    const CODE: u8 = 0x24;
    const NAME: &'static str = "set baud";
    type Response = ();
    fn args(&self) -> Vec<u8> {
        let [hi, lo] = self.0.divisor();
        vec![0x01, hi, lo]
    }
    fn parse(&self, _data: &[u8]) -> Result<(), FrameError> {
        Ok(())
    }
}

/// The "write data" command (0x31), used for the image size and the compression.
const WRITE_DATA: u8 = 0x31;

/// `set image size` (write data 0x31 to register 0x0019 of memory 04): applied at the next reset.
#[derive(Debug, Clone, Copy)]
pub struct SetImageSize(pub ImageSize);

impl Command for SetImageSize {
    const CODE: u8 = WRITE_DATA;
    const NAME: &'static str = "set image size";
    type Response = ();
    fn args(&self) -> Vec<u8> {
        vec![0x04, 0x01, 0x00, 0x19, self.0.code()]
    }
    fn parse(&self, _data: &[u8]) -> Result<(), FrameError> {
        Ok(())
    }
}

/// `get image size` (read data 0x30): the size stored in the camera.
#[derive(Debug, Clone, Copy)]
pub struct GetImageSize;

/// A stored size code the driver does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UnknownSizeCode(pub u8);

impl Command for GetImageSize {
    const CODE: u8 = 0x30;
    const NAME: &'static str = "get image size";
    type Response = Result<ImageSize, UnknownSizeCode>;
    fn args(&self) -> Vec<u8> {
        vec![0x04, 0x01, 0x00, 0x19]
    }
    fn parse(&self, data: &[u8]) -> Result<Self::Response, FrameError> {
        expect_len(Self::CODE, data, 1)?;
        Ok(ImageSize::from_code(data[0]).ok_or(UnknownSizeCode(data[0])))
    }
}

/// `set compression` (write data 0x31 to register 0x1204 of memory 01): higher = smaller JPEGs.
#[derive(Debug, Clone, Copy)]
pub struct SetCompression(pub u8);

impl Command for SetCompression {
    const CODE: u8 = WRITE_DATA;
    const NAME: &'static str = "set compression";
    type Response = ();
    fn args(&self) -> Vec<u8> {
        vec![0x01, 0x01, 0x12, 0x04, self.0]
    }
    fn parse(&self, _data: &[u8]) -> Result<(), FrameError> {
        Ok(())
    }
}

/// `frame control` (0x36): freeze, step or resume the frame buffer.
#[derive(Debug, Clone, Copy)]
pub struct FrameControl(pub FrameAction);

impl Command for FrameControl {
    const CODE: u8 = 0x36;
    const NAME: &'static str = "frame control";
    type Response = ();
    fn args(&self) -> Vec<u8> {
        vec![self.0.code()]
    }
    fn parse(&self, _data: &[u8]) -> Result<(), FrameError> {
        Ok(())
    }
}

/// `frame length` (0x34): the size in bytes of the JPEG in the frozen frame buffer.
#[derive(Debug, Clone, Copy)]
pub struct FrameLength;

impl Command for FrameLength {
    const CODE: u8 = 0x34;
    const NAME: &'static str = "frame length";
    type Response = u32;
    fn args(&self) -> Vec<u8> {
        vec![0x00]
    }
    fn parse(&self, data: &[u8]) -> Result<u32, FrameError> {
        expect_len(Self::CODE, data, 4)?;
        Ok(u32::from_be_bytes([data[0], data[1], data[2], data[3]]))
    }
}

/// `read frame buffer` (0x32): `length` bytes from `address`, both sent as full 32-bit values
/// (a library that sends 16 bits breaks frames over 64 KB, per the reference's failure modes).
#[derive(Debug, Clone, Copy)]
pub struct ReadFrameBuffer {
    /// Offset of the first byte in the frame.
    pub address: u32,
    /// Bytes to send: a multiple of 4.
    pub length: u32,
    /// The camera's inter-chunk delay field (units undocumented; 0 is what fast readers send).
    pub delay: u16,
}

impl ReadFrameBuffer {
    /// The command code.
    pub const CODE: u8 = READ_FRAME_BUFFER;
    /// The command's name in logs and errors.
    pub const NAME: &'static str = "read frame buffer";

    /// The request's argument bytes: current frame, transfer mode 0x0A, address, length, delay.
    pub fn args(&self) -> Vec<u8> {
        let mut args = Vec::with_capacity(12);
        args.extend_from_slice(&[0x00, 0x0A]);
        args.extend_from_slice(&self.address.to_be_bytes());
        args.extend_from_slice(&self.length.to_be_bytes());
        args.extend_from_slice(&self.delay.to_be_bytes());
        args
    }
}

/// `motion control` (0x42): route motion detection to the serial line.
#[derive(Debug, Clone, Copy)]
pub struct MotionControl;

impl Command for MotionControl {
    const CODE: u8 = 0x42;
    const NAME: &'static str = "motion control";
    type Response = ();
    fn args(&self) -> Vec<u8> {
        vec![0x03, 0x00, 0x01, 0x01]
    }
    fn parse(&self, _data: &[u8]) -> Result<(), FrameError> {
        Ok(())
    }
}

/// `motion detection on/off` (0x37): when on, the camera sends `76 00 39 00 00` on motion.
#[derive(Debug, Clone, Copy)]
pub struct SetMotionDetection(pub bool);

impl Command for SetMotionDetection {
    const CODE: u8 = 0x37;
    const NAME: &'static str = "motion detection";
    type Response = ();
    fn args(&self) -> Vec<u8> {
        vec![u8::from(self.0)]
    }
    fn parse(&self, _data: &[u8]) -> Result<(), FrameError> {
        Ok(())
    }
}

/// The code of the unsolicited "motion detected" notice.
pub const MOTION_DETECTED: u8 = 0x39;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vc0706::frame::Request;

    fn wire<C: Command>(command: &C) -> Vec<u8> {
        Request::new(C::CODE, &command.args())
            .map(|r| r.to_bytes())
            .unwrap_or_default()
    }

    #[test]
    fn requests_match_the_reference_table() {
        assert_eq!(wire(&Reset), [0x56, 0x00, 0x26, 0x00]);
        assert_eq!(wire(&GetVersion), [0x56, 0x00, 0x11, 0x00]);
        assert_eq!(
            wire(&SetBaud(Baud::B57600)),
            [0x56, 0x00, 0x24, 0x03, 0x01, 0x1C, 0x1C]
        );
        assert_eq!(
            wire(&SetImageSize(ImageSize::Qvga)),
            [0x56, 0x00, 0x31, 0x05, 0x04, 0x01, 0x00, 0x19, 0x11]
        );
        assert_eq!(
            wire(&GetImageSize),
            [0x56, 0x00, 0x30, 0x04, 0x04, 0x01, 0x00, 0x19]
        );
        assert_eq!(
            wire(&SetCompression(0x36)),
            [0x56, 0x00, 0x31, 0x05, 0x01, 0x01, 0x12, 0x04, 0x36]
        );
        assert_eq!(
            wire(&FrameControl(FrameAction::StopCurrent)),
            [0x56, 0x00, 0x36, 0x01, 0x00]
        );
        assert_eq!(wire(&FrameLength), [0x56, 0x00, 0x34, 0x01, 0x00]);
        assert_eq!(
            wire(&MotionControl),
            [0x56, 0x00, 0x42, 0x04, 0x03, 0x00, 0x01, 0x01]
        );
        assert_eq!(
            wire(&SetMotionDetection(true)),
            [0x56, 0x00, 0x37, 0x01, 0x01]
        );
        let read = ReadFrameBuffer {
            address: 0x0001_2340,
            length: 512,
            delay: 10,
        };
        let mut expected = vec![0x56, 0x00, 0x32, 0x0C, 0x00, 0x0A];
        expected.extend_from_slice(&[0x00, 0x01, 0x23, 0x40, 0x00, 0x00, 0x02, 0x00, 0x00, 0x0A]);
        assert_eq!(
            Request::new(ReadFrameBuffer::CODE, &read.args()).map(|r| r.to_bytes()),
            Ok(expected)
        );
    }

    #[test]
    fn replies_are_parsed_and_wrong_lengths_refused() {
        assert_eq!(FrameLength.parse(&[0, 1, 0, 2]), Ok(65_538));
        assert!(FrameLength.parse(&[0, 1]).is_err());
        assert_eq!(GetImageSize.parse(&[0x22]), Ok(Ok(ImageSize::Qqvga)));
        assert_eq!(GetImageSize.parse(&[0x33]), Ok(Err(UnknownSizeCode(0x33))));
        assert_eq!(
            GetVersion.parse(b"VC0703 1.00"),
            Ok("VC0703 1.00".to_owned())
        );
    }

    #[test]
    fn bauds_and_sizes_round_trip() {
        for baud in Baud::ALL {
            assert_eq!(Baud::from_divisor(baud.divisor()), Some(baud));
            assert_eq!(
                Baud::from_bits_per_second(baud.bits_per_second()),
                Some(baud)
            );
        }
        for size in ImageSize::ALL {
            assert_eq!(ImageSize::from_code(size.code()), Some(size));
            assert_eq!(size.to_string().parse::<ImageSize>(), Ok(size));
        }
        assert!("641x480".parse::<ImageSize>().is_err());
    }
}
