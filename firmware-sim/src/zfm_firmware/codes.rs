//! Instruction and confirmation codes of the ZFM / R30x / AS608 / R503 protocol, as listed in
//! docs/reference/zfm-fingerprint-protocol.md ("Instructions", "Confirmation codes").

/// Packet identifier: command (host → module).
pub const PID_COMMAND: u8 = 0x01;
/// Packet identifier: data packet, more follow.
pub const PID_DATA: u8 = 0x02;
/// Packet identifier: acknowledgement (module → host).
pub const PID_ACK: u8 = 0x07;
/// Packet identifier: last data packet.
pub const PID_END_DATA: u8 = 0x08;

/// Instruction codes (first payload byte of a command packet).
pub mod instruction {
    /// Capture an image into the image buffer.
    pub const GEN_IMG: u8 = 0x01;
    /// Extract features from the image buffer into char buffer 1 or 2.
    pub const IMG2TZ: u8 = 0x02;
    /// Compare char buffers 1 and 2.
    pub const MATCH: u8 = 0x03;
    /// Search the library for a char buffer.
    pub const SEARCH: u8 = 0x04;
    /// Combine char buffers 1 and 2 into a template.
    pub const REG_MODEL: u8 = 0x05;
    /// Store a char buffer at a library page.
    pub const STORE: u8 = 0x06;
    /// Load a library page into a char buffer.
    pub const LOAD_CHAR: u8 = 0x07;
    /// Upload a char buffer to the host.
    pub const UP_CHAR: u8 = 0x08;
    /// Download a char buffer from the host.
    pub const DOWN_CHAR: u8 = 0x09;
    /// Upload the image buffer to the host.
    pub const UP_IMAGE: u8 = 0x0A;
    /// Download an image from the host into the image buffer.
    pub const DOWN_IMAGE: u8 = 0x0B;
    /// Delete library pages.
    pub const DELETE_CHAR: u8 = 0x0C;
    /// Delete the whole library.
    pub const EMPTY: u8 = 0x0D;
    /// Write a system register.
    pub const SET_SYS_PARA: u8 = 0x0E;
    /// Read the system parameters.
    pub const READ_SYS_PARA: u8 = 0x0F;
    /// Set the password.
    pub const SET_PWD: u8 = 0x12;
    /// Verify the password.
    pub const VFY_PWD: u8 = 0x13;
    /// Four random bytes.
    pub const GET_RANDOM_CODE: u8 = 0x14;
    /// Set the module address.
    pub const SET_ADDER: u8 = 0x15;
    /// Number of templates stored.
    pub const TEMPLATE_NUM: u8 = 0x1D;
    /// Write 32 bytes to a notepad page.
    pub const WRITE_NOTEPAD: u8 = 0x18;
    /// Read a notepad page's 32 bytes.
    pub const READ_NOTEPAD: u8 = 0x19;
    /// Search the library, as Search (what client libraries call "fast search").
    pub const HIGH_SPEED_SEARCH: u8 = 0x1B;
    /// Bitmap of used library pages.
    pub const READ_INDEX_TABLE: u8 = 0x1F;
    /// Ring LED control (R50x).
    pub const AURA_LED_CONFIG: u8 = 0x35;
    /// Sensor self-check (R50x).
    pub const CHECK_SENSOR: u8 = 0x36;
    /// Product information (R50x).
    pub const READ_PROD_INFO: u8 = 0x3C;
    /// Soft reset (R50x): ack, then 0x55 when ready.
    pub const SOFT_RST: u8 = 0x3D;
    /// Handshake (R50x).
    pub const HAND_SHAKE: u8 = 0x40;
    /// Liveness probe answered with 0x55.
    pub const GET_ECHO: u8 = 0x53;
}

/// Confirmation codes (first payload byte of an acknowledgement).
pub mod confirm {
    /// Done.
    pub const OK: u8 = 0x00;
    /// Packet receive error (bad checksum or a packet the module cannot take).
    pub const PACKET_ERROR: u8 = 0x01;
    /// No finger on the sensor.
    pub const NO_FINGER: u8 = 0x02;
    /// Image too messy to extract features.
    pub const IMAGE_MESSY: u8 = 0x06;
    /// Too few feature points.
    pub const TOO_FEW_FEATURES: u8 = 0x07;
    /// The two char buffers do not match.
    pub const NO_MATCH: u8 = 0x08;
    /// Not found in the library.
    pub const NOT_FOUND: u8 = 0x09;
    /// Char buffers could not be combined.
    pub const COMBINE_FAILED: u8 = 0x0A;
    /// Page id beyond the library.
    pub const PAGE_OUT_OF_RANGE: u8 = 0x0B;
    /// Template read error (empty page, empty buffer).
    pub const TEMPLATE_READ_ERROR: u8 = 0x0C;
    /// Cannot receive the data packets that follow.
    pub const CANNOT_RECEIVE: u8 = 0x0E;
    /// Image upload error.
    pub const IMAGE_UPLOAD_ERROR: u8 = 0x0F;
    /// Delete failed.
    pub const DELETE_FAILED: u8 = 0x10;
    /// Wrong password.
    pub const WRONG_PASSWORD: u8 = 0x13;
    /// No valid image in the image buffer.
    pub const NO_VALID_IMAGE: u8 = 0x15;
    /// Invalid register number (or value).
    pub const INVALID_REGISTER: u8 = 0x1A;
    /// Notepad page beyond the notepad.
    pub const WRONG_NOTEPAD_PAGE: u8 = 0x1C;
    /// Password required first (R503).
    pub const PASSWORD_REQUIRED: u8 = 0x21;
    /// GetEcho's answer.
    pub const ECHO: u8 = 0x55;
}

/// The byte an R50x sends when it has started (power-up, SoftRst); an R30x sends none.
pub const BOOT_BYTE: u8 = 0x55;
/// Notepad pages (WriteNotepad, ReadNotepad) and the bytes of each.
pub const NOTEPAD_PAGES: usize = 16;
/// Bytes of one notepad page.
pub const NOTEPAD_PAGE_BYTES: usize = 32;
/// Default module address.
pub const DEFAULT_ADDRESS: u32 = 0xFFFF_FFFF;
/// System identifier reported by ReadSysPara.
pub const SYSTEM_ID: u16 = 0x0009;
/// Bytes of payload per data packet for each packet-size code 0..=3.
pub const PACKET_SIZES: [usize; 4] = [32, 64, 128, 256];
/// Baud = 9600 × N (register 4).
pub const BAUD_UNIT: u32 = 9600;
