//! A finger's minutiae template, in the conventions of ISO/IEC 19794-2:2011 so that it goes into the
//! sealed record and into the handover request unchanged (iso19794_2.rs).
//!
//! Conventions (docs/reference/iso19794-records.md §3 and §4, and NIST's own ISO writer in
//! nbis-python): x and y in pixels from the top-left corner; the angle in units of 360/256 =
//! 1.40625°, counter-clockwise from the +x axis; quality 0..100.

use zeroize::Zeroize;

/// What kind of ridge feature a minutia is (ISO/IEC 19794-2 type bits: 0 other, 1, 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum MinutiaKind {
    /// Type 0: not said.
    Other,
    /// Type 1: a ridge ends.
    RidgeEnding,
    /// Type 2: a ridge splits in two.
    Bifurcation,
}

impl MinutiaKind {
    /// The two-bit ISO/IEC 19794-2 code.
    pub fn iso_code(self) -> u8 {
        match self {
            Self::Other => 0,
            Self::RidgeEnding => 1,
            Self::Bifurcation => 2,
        }
    }

    /// The kind for an ISO/IEC 19794-2 code; `None` for the reserved code 3.
    pub fn from_iso_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(Self::Other),
            1 => Some(Self::RidgeEnding),
            2 => Some(Self::Bifurcation),
            _ => None,
        }
    }
}

/// One minutia.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Minutia {
    /// Pixels from the left edge.
    pub x: u16,
    /// Pixels from the top edge.
    pub y: u16,
    /// Direction, 256ths of a turn counter-clockwise from the +x axis.
    pub angle: u8,
    /// Ending, bifurcation or other.
    pub kind: MinutiaKind,
    /// Reliability 0..100 (MINDTCT's), 0 when not reported.
    pub quality: u8,
}

impl Minutia {
    /// The direction in whole degrees, 0..=359.
    pub fn angle_degrees(&self) -> u16 {
        ((u32::from(self.angle) * 360 + 128) / 256 % 360) as u16
    }
}

impl Zeroize for Minutia {
    fn zeroize(&mut self) {
        self.x.zeroize();
        self.y.zeroize();
        self.angle.zeroize();
        self.quality.zeroize();
        self.kind = MinutiaKind::Other;
    }
}

/// One finger's minutiae and the image they were found on. The minutiae are wiped when dropped;
/// `Debug` shows the sizes only, never a minutia.
#[derive(Clone, PartialEq, Eq)]
pub struct Template {
    /// Width of the image, pixels.
    pub width: u16,
    /// Height of the image, pixels.
    pub height: u16,
    /// Resolution, pixels per centimetre (197 for 500 ppi).
    pub resolution_ppcm: u16,
    /// The minutiae, at most [`MAX_MINUTIAE`].
    pub minutiae: Vec<Minutia>,
}

/// Most minutiae a template keeps, the most reliable first: 150, as NIST's BOZORTH3 (its
/// `DEFAULT_BOZORTH_MINUTIAE`); a 500-ppi finger has far fewer real ones, and the ISO record counts
/// them in one byte.
pub const MAX_MINUTIAE: usize = 150;

/// 500 ppi in pixels per centimetre, as ISO/IEC 19794-2 states it
/// (docs/reference/iso19794-records.md §3: 197).
pub const RESOLUTION_500_PPI: u16 = 197;

impl Template {
    /// Number of minutiae.
    pub fn len(&self) -> usize {
        self.minutiae.len()
    }

    /// No minutiae at all.
    pub fn is_empty(&self) -> bool {
        self.minutiae.is_empty()
    }
}

impl std::fmt::Debug for Template {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Template {{ {}x{}, {} minutiae }}",
            self.width,
            self.height,
            self.minutiae.len()
        )
    }
}

impl Drop for Template {
    fn drop(&mut self) {
        self.minutiae.zeroize();
    }
}
