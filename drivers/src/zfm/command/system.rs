//! Talking to the module itself: password, parameters, product information, reset, LED.

use std::time::Duration;

use super::{Command, ParseError, parse_empty, simple_command, take};

/// 0x13: verify the module password (default 0). Until it is verified a module may refuse others.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct VfyPwd {
    /// The password (factory default 0x00000000).
    pub password: u32,
}

impl Command for VfyPwd {
    const CODE: u8 = 0x13;
    const NAME: &'static str = "VfyPwd";
    type Response = ();
    fn args(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.password.to_be_bytes());
    }
    fn parse(&self, data: &[u8]) -> Result<(), ParseError> {
        parse_empty(data)
    }
}

/// Data packet payload size, as the module encodes it in its register 6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PacketSize {
    /// Code 0: 32 bytes.
    B32,
    /// Code 1: 64 bytes.
    B64,
    /// Code 2: 128 bytes (the R503 default).
    B128,
    /// Code 3: 256 bytes.
    B256,
}

impl PacketSize {
    /// The size for a register code (only the two low bits are meaningful).
    pub fn from_code(code: u16) -> Option<Self> {
        match code {
            0 => Some(Self::B32),
            1 => Some(Self::B64),
            2 => Some(Self::B128),
            3 => Some(Self::B256),
            _ => None,
        }
    }
    /// The register code.
    pub fn code(self) -> u8 {
        match self {
            Self::B32 => 0,
            Self::B64 => 1,
            Self::B128 => 2,
            Self::B256 => 3,
        }
    }
    /// Payload bytes per data packet.
    pub fn bytes(self) -> usize {
        32 << self.code()
    }
}

/// The 16 bytes ReadSysPara answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SystemParameters {
    /// Status register (bit 0 busy, bit 1 finger matched, bit 2 password verified, bit 3 image
    /// buffer holds a valid image).
    pub status: u16,
    /// System identifier (0x0009 on most modules).
    pub system_id: u16,
    /// Template library size.
    pub library_size: u16,
    /// Security level 1..5.
    pub security_level: u16,
    /// The module's address.
    pub address: u32,
    /// Data packet size (None if the module reports a code we do not know).
    pub packet_size: Option<PacketSize>,
    /// Baud multiplier N: the line runs at 9600 × N.
    pub baud_multiplier: u16,
}

impl SystemParameters {
    /// The baud rate the module says it runs at.
    pub fn baud(&self) -> u32 {
        9_600 * u32::from(self.baud_multiplier)
    }
}

/// 0x0F: read the system parameters.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadSysPara;

impl Command for ReadSysPara {
    const CODE: u8 = 0x0F;
    const NAME: &'static str = "ReadSysPara";
    type Response = SystemParameters;
    fn parse(&self, data: &[u8]) -> Result<SystemParameters, ParseError> {
        let b: [u8; 16] = take(data)?;
        let word = |i: usize| u16::from_be_bytes([b[i], b[i + 1]]);
        Ok(SystemParameters {
            status: word(0),
            system_id: word(2),
            library_size: word(4),
            security_level: word(6),
            address: u32::from_be_bytes([b[8], b[9], b[10], b[11]]),
            packet_size: PacketSize::from_code(word(12)),
            baud_multiplier: word(14),
        })
    }
}

/// The registers SetSysPara can write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Register {
    /// Register 4: baud multiplier N (baud = 9600 × N).
    BaudMultiplier,
    /// Register 5: security level 1..5.
    SecurityLevel,
    /// Register 6: data packet size code (0..3 = 32..256 bytes).
    PacketSize,
}

impl Register {
    /// The register number.
    pub fn number(self) -> u8 {
        match self {
            Register::BaudMultiplier => 4,
            Register::SecurityLevel => 5,
            Register::PacketSize => 6,
        }
    }
}

/// 0x0E: write a system register. New baud and packet sizes take effect after a restart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetSysPara {
    /// Which register.
    pub register: Register,
    /// Its new value.
    pub value: u8,
}

impl Command for SetSysPara {
    const CODE: u8 = 0x0E;
    const NAME: &'static str = "SetSysPara";
    type Response = ();
    fn args(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&[self.register.number(), self.value]);
    }
    // Writes flash.
    fn timeout(&self) -> Duration {
        Duration::from_millis(1_500)
    }
    fn parse(&self, data: &[u8]) -> Result<(), ParseError> {
        parse_empty(data)
    }
}

/// 0x14: a random number from the module's generator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GetRandomCode;

impl Command for GetRandomCode {
    const CODE: u8 = 0x14;
    const NAME: &'static str = "GetRandomCode";
    type Response = u32;
    fn parse(&self, data: &[u8]) -> Result<u32, ParseError> {
        take::<4>(data).map(u32::from_be_bytes)
    }
}

/// What the aura LED does (R50x).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedControl {
    /// 1: breathing.
    Breathing,
    /// 2: flashing.
    Flashing,
    /// 3: always on.
    On,
    /// 4: off.
    Off,
    /// 5: fade in.
    GradualOn,
    /// 6: fade out.
    GradualOff,
}

/// The aura LED's colour (R50x).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LedColour {
    /// 1.
    Red,
    /// 2.
    Blue,
    /// 3.
    Purple,
}

/// 0x35: set the aura LED (R50x).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AuraLedConfig {
    /// Pattern.
    pub control: LedControl,
    /// Speed (0..255, smaller is faster).
    pub speed: u8,
    /// Colour.
    pub colour: LedColour,
    /// Repetitions for breathing/flashing (0 = forever).
    pub count: u8,
}

impl Command for AuraLedConfig {
    const CODE: u8 = 0x35;
    const NAME: &'static str = "AuraLedConfig";
    type Response = ();
    fn args(&self, out: &mut Vec<u8>) {
        let control = match self.control {
            LedControl::Breathing => 1,
            LedControl::Flashing => 2,
            LedControl::On => 3,
            LedControl::Off => 4,
            LedControl::GradualOn => 5,
            LedControl::GradualOff => 6,
        };
        let colour = match self.colour {
            LedColour::Red => 1,
            LedColour::Blue => 2,
            LedColour::Purple => 3,
        };
        out.extend_from_slice(&[control, self.speed, colour, self.count]);
    }
    fn parse(&self, data: &[u8]) -> Result<(), ParseError> {
        parse_empty(data)
    }
}

simple_command!(
    /// 0x36: ask the module whether its sensor works (R50x).
    CheckSensor,
    0x36,
    "CheckSensor",
    Duration::from_millis(1_000)
);

simple_command!(
    /// 0x3D: restart the module (R50x): it acknowledges, restarts, then sends 0x55 when ready.
    SoftRst,
    0x3D,
    "SoftRst",
    Duration::from_millis(1_000)
);

simple_command!(
    /// 0x40: is the module there and ready (R50x)?
    HandShake,
    0x40,
    "HandShake",
    Duration::from_millis(1_000)
);

/// The 46 bytes ReadProdInfo answers with (R503 manual layout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductInfo {
    /// Module model (16 ASCII bytes, trailing NULs and spaces removed).
    pub module_type: String,
    /// Production batch (4 ASCII bytes).
    pub batch: String,
    /// Serial number (8 ASCII bytes).
    pub serial: String,
    /// Hardware version (main, sub).
    pub hardware_version: (u8, u8),
    /// Sensor model (8 ASCII bytes).
    pub sensor_type: String,
    /// Sensor width in pixels.
    pub width: u16,
    /// Sensor height in pixels.
    pub height: u16,
    /// Template size in bytes.
    pub template_size: u16,
    /// Template library capacity.
    pub database_size: u16,
}

/// 0x3C: read product information (R50x).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadProdInfo;

impl Command for ReadProdInfo {
    const CODE: u8 = 0x3C;
    const NAME: &'static str = "ReadProdInfo";
    type Response = ProductInfo;
    fn parse(&self, data: &[u8]) -> Result<ProductInfo, ParseError> {
        let b: [u8; 46] = take(data)?;
        let text = |range: std::ops::Range<usize>| {
            String::from_utf8_lossy(&b[range])
                .trim_end_matches(['\0', ' '])
                .to_owned()
        };
        let word = |i: usize| u16::from_be_bytes([b[i], b[i + 1]]);
        Ok(ProductInfo {
            module_type: text(0..16),
            batch: text(16..20),
            serial: text(20..28),
            hardware_version: (b[28], b[29]),
            sensor_type: text(30..38),
            width: word(38),
            height: word(40),
            template_size: word(42),
            database_size: word(44),
        })
    }
}
