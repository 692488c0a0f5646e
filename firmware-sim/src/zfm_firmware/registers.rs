//! The module's system parameters: what is stored in flash (SetSysPara, SetPwd, SetAdder) and what
//! is in force since the last start (baud and packet size only change at restart; reference,
//! "Registers for SetSysPara").

use super::SensorKind;
use super::codes::{BAUD_UNIT, PACKET_SIZES, SYSTEM_ID};

/// Register 4: baud multiplier N.
pub const REG_BAUD: u8 = 4;
/// Register 5: security level.
pub const REG_SECURITY: u8 = 5;
/// Register 6: data packet size code.
pub const REG_PACKET_SIZE: u8 = 6;

/// Settings kept in the module's flash: they survive SoftRst and power cycles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSettings {
    /// Baud multiplier N (baud = 9600 × N).
    pub baud_multiplier: u16,
    /// Data packet size code (0..=3: 32, 64, 128, 256 bytes).
    pub packet_size_code: u16,
    /// Security level 1..=5.
    pub security_level: u16,
    /// Module address.
    pub address: u32,
    /// Password (0: none).
    pub password: u32,
}

impl StoredSettings {
    /// Factory settings at `baud`: 128-byte packets (the R503 manual's default), security level 3,
    /// address FFFFFFFF, password 0.
    pub fn factory(baud: u32) -> Self {
        Self {
            baud_multiplier: u16::try_from(baud / BAUD_UNIT).unwrap_or(6).max(1),
            packet_size_code: 2,
            security_level: 3,
            address: super::codes::DEFAULT_ADDRESS,
            password: 0,
        }
    }
}

/// The settings in force since the module last started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActiveSettings {
    /// Line speed.
    pub baud: u32,
    /// Data packet payload, bytes.
    pub packet_size: usize,
}

impl ActiveSettings {
    /// What `stored` gives at start.
    pub fn from_stored(stored: &StoredSettings) -> Self {
        Self {
            baud: BAUD_UNIT * u32::from(stored.baud_multiplier),
            packet_size: PACKET_SIZES[usize::from(stored.packet_size_code.min(3))],
        }
    }
}

/// Whether `value` is accepted for `register` on `sensor`.
pub fn accepts(sensor: SensorKind, register: u8, value: u8) -> bool {
    match register {
        // ZFM accepts N = 1..12; R503 documents {1, 2, 4, 6, 12} (reference).
        REG_BAUD => match sensor {
            SensorKind::Zfm256x288 => (1..=12).contains(&value),
            SensorKind::R503_192x192 => [1, 2, 4, 6, 12].contains(&value),
        },
        REG_SECURITY => (1..=5).contains(&value),
        REG_PACKET_SIZE => value <= 3,
        _ => false,
    }
}

/// The 16 bytes of ReadSysPara: status, system id, library size, security level, address, packet
/// size code, baud multiplier (reference, instruction 0F). The module reports what is stored.
pub fn read_sys_para(status: u16, library_size: u16, stored: &StoredSettings) -> Vec<u8> {
    let mut out = Vec::with_capacity(16);
    out.extend_from_slice(&status.to_be_bytes());
    out.extend_from_slice(&SYSTEM_ID.to_be_bytes());
    out.extend_from_slice(&library_size.to_be_bytes());
    out.extend_from_slice(&stored.security_level.to_be_bytes());
    out.extend_from_slice(&stored.address.to_be_bytes());
    out.extend_from_slice(&stored.packet_size_code.to_be_bytes());
    out.extend_from_slice(&stored.baud_multiplier.to_be_bytes());
    out
}
