//! Confirmation codes: the first byte of every acknowledgement (reference:
//! `docs/reference/zfm-fingerprint-protocol.md`, "Confirmation codes").

use std::fmt;

/// What the module says about a command. `Ok` is success; everything else is a condition the
/// module reports (not a line failure), shown to technicians in plain English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Confirmation {
    /// 0x00: done.
    Ok,
    /// 0x01: the module received a damaged packet.
    PacketReceiveError,
    /// 0x02: no finger on the sensor.
    NoFinger,
    /// 0x03: the image could not be taken (failed to enroll).
    EnrollFailed,
    /// 0x06: the image is too messy to extract features.
    ImageTooMessy,
    /// 0x07: too few feature points.
    TooFewFeatures,
    /// 0x08: the two templates do not match.
    NoMatch,
    /// 0x09: no matching template in the library.
    NotFound,
    /// 0x0A: the two feature files could not be combined.
    CombineFailed,
    /// 0x0B: the page id is outside the library.
    PageOutOfRange,
    /// 0x0C: the template could not be read (or is invalid).
    TemplateReadError,
    /// 0x0D: the feature upload failed.
    FeatureUploadError,
    /// 0x0E: the module cannot receive the following data packets.
    CannotReceiveData,
    /// 0x0F: the image upload failed.
    ImageUploadError,
    /// 0x10: the template could not be deleted.
    DeleteFailed,
    /// 0x11: the library could not be cleared.
    ClearFailed,
    /// 0x13: wrong password.
    WrongPassword,
    /// 0x15: no valid primary image in the buffer.
    NoValidImage,
    /// 0x18: writing to flash failed.
    FlashWriteError,
    /// 0x1A: no such register.
    InvalidRegister,
    /// 0x1F: the library is full (R503).
    LibraryFull,
    /// 0x21: a password must be verified first (R503).
    PasswordRequired,
    /// 0x26: the module timed out (R503).
    ModuleTimeout,
    /// 0x27: the template already exists (R503).
    TemplateExists,
    /// 0x29: sensor hardware error (R503).
    SensorFault,
    /// Any code the reference does not list.
    Other(u8),
}

impl Confirmation {
    /// The confirmation for a byte on the wire.
    pub fn from_code(code: u8) -> Self {
        use Confirmation::*;
        match code {
            0x00 => Ok,
            0x01 => PacketReceiveError,
            0x02 => NoFinger,
            0x03 => EnrollFailed,
            0x06 => ImageTooMessy,
            0x07 => TooFewFeatures,
            0x08 => NoMatch,
            0x09 => NotFound,
            0x0A => CombineFailed,
            0x0B => PageOutOfRange,
            0x0C => TemplateReadError,
            0x0D => FeatureUploadError,
            0x0E => CannotReceiveData,
            0x0F => ImageUploadError,
            0x10 => DeleteFailed,
            0x11 => ClearFailed,
            0x13 => WrongPassword,
            0x15 => NoValidImage,
            0x18 => FlashWriteError,
            0x1A => InvalidRegister,
            0x1F => LibraryFull,
            0x21 => PasswordRequired,
            0x26 => ModuleTimeout,
            0x27 => TemplateExists,
            0x29 => SensorFault,
            other => Other(other),
        }
    }

    /// The byte on the wire.
    pub fn code(self) -> u8 {
        use Confirmation::*;
        match self {
            Ok => 0x00,
            PacketReceiveError => 0x01,
            NoFinger => 0x02,
            EnrollFailed => 0x03,
            ImageTooMessy => 0x06,
            TooFewFeatures => 0x07,
            NoMatch => 0x08,
            NotFound => 0x09,
            CombineFailed => 0x0A,
            PageOutOfRange => 0x0B,
            TemplateReadError => 0x0C,
            FeatureUploadError => 0x0D,
            CannotReceiveData => 0x0E,
            ImageUploadError => 0x0F,
            DeleteFailed => 0x10,
            ClearFailed => 0x11,
            WrongPassword => 0x13,
            NoValidImage => 0x15,
            FlashWriteError => 0x18,
            InvalidRegister => 0x1A,
            LibraryFull => 0x1F,
            PasswordRequired => 0x21,
            ModuleTimeout => 0x26,
            TemplateExists => 0x27,
            SensorFault => 0x29,
            Other(code) => code,
        }
    }

    /// A sentence for a technician.
    pub fn meaning(self) -> &'static str {
        use Confirmation::*;
        match self {
            Ok => "done",
            PacketReceiveError => "the module received a damaged packet",
            NoFinger => "no finger on the sensor",
            EnrollFailed => "the module could not take the image",
            ImageTooMessy => "the image is too messy to extract features",
            TooFewFeatures => "too few feature points in the image",
            NoMatch => "the fingerprints do not match",
            NotFound => "no matching fingerprint in the library",
            CombineFailed => "the two impressions could not be combined",
            PageOutOfRange => "the library position is out of range",
            TemplateReadError => "the stored template could not be read",
            FeatureUploadError => "the template upload failed",
            CannotReceiveData => "the module cannot receive data packets",
            ImageUploadError => "the image upload failed",
            DeleteFailed => "the template could not be deleted",
            ClearFailed => "the library could not be cleared",
            WrongPassword => "wrong module password",
            NoValidImage => "no valid image in the module's buffer",
            FlashWriteError => "writing to the module's flash failed",
            InvalidRegister => "the module has no such setting",
            LibraryFull => "the template library is full",
            PasswordRequired => "the module wants its password verified first",
            ModuleTimeout => "the module timed out",
            TemplateExists => "the template already exists",
            SensorFault => "sensor hardware fault",
            Other(_) => "a code the documentation does not list",
        }
    }
}

impl fmt::Display for Confirmation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (code {:#04x})", self.meaning(), self.code())
    }
}
