//! The calibration targets a technician lays on the fingerprint sensor's glass.

use image::GrayImage;

/// Grey level of the blank (white) target as a perfect sensor sees it: the light background of
/// an optical sensor, within the synthesiser's range for the space around a finger (238–250).
pub const BLANK_LEVEL: u8 = 240;
/// Grey level of the flat (dark) target as a perfect sensor sees it: a uniform dark pad in full
/// contact with the glass, as dark as a ridge.
pub const FLAT_LEVEL: u8 = 40;

/// A calibration target on the glass. The module images it like a finger (GenImg succeeds), but
/// it has no ridges: nothing can be extracted from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Target {
    /// A blank white card: the sensor's light level everywhere.
    Blank,
    /// A flat dark pad: the sensor's dark level everywhere.
    Flat,
}

impl Target {
    /// The image a perfect sensor takes of the target.
    pub fn render(self, width: u32, height: u32) -> GrayImage {
        let level = match self {
            Self::Blank => BLANK_LEVEL,
            Self::Flat => FLAT_LEVEL,
        };
        GrayImage::from_pixel(width, height, image::Luma([level]))
    }

    /// The target's name on the control socket.
    pub fn name(self) -> &'static str {
        match self {
            Self::Blank => "blank",
            Self::Flat => "flat",
        }
    }
}

impl std::str::FromStr for Target {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        match text.trim() {
            "blank" => Ok(Self::Blank),
            "flat" => Ok(Self::Flat),
            other => Err(format!("unknown target {other:?} (blank or flat)")),
        }
    }
}
