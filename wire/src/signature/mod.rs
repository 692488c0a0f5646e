//! The applicant's handwritten signature, which the central file keeps for the identity card: the
//! pen's path as the station captured it, the rules that refuse a dot or a line, and its
//! ISO/IEC 19794-7:2007 record, written by the station and read by the central alike.

pub mod iso19794_7;
pub mod manifest_entry;
pub mod shape;

pub use iso19794_7::{SignatureRecordError, parse, write};
pub use manifest_entry::SignatureEntry;
pub use shape::{Refusal, assess};

/// Width of the signing pad in pad units: the record's x runs over `0..=PAD_WIDTH` whatever the
/// size of the screen it was drawn on, so that every station writes the same extent.
pub const PAD_WIDTH: u16 = 1000;
/// Height of the signing pad in pad units (a 5:2 box, the shape of the signature box on the form).
pub const PAD_HEIGHT: u16 = 400;
/// Longest signature a record can carry: its time channel counts milliseconds in 16 bits.
pub const MAX_DURATION_MS: u32 = 60_000;
/// Most sample points a record may hold (pen-up marks included): about a minute at the 60 Hz an
/// egui window samples a pen, far above any signature.
pub const MAX_POINTS: usize = 4_000;

/// One sample of the pen on the pad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PenSample {
    /// Across the pad, `0..=PAD_WIDTH`, left to right.
    pub x: u16,
    /// Down the pad, `0..=PAD_HEIGHT`, top to bottom.
    pub y: u16,
    /// Milliseconds since the signature's first sample.
    pub t_ms: u32,
    /// Tip force, `0..=65535` for 0 to the device's full scale; `None` for a device that does not
    /// report it (a mouse, most pens seen through a window system's pointer).
    pub pressure: Option<u16>,
}

/// A signature: the strokes in the order they were drawn, each the samples between the pen
/// touching the pad and leaving it. Its `Debug` gives counts only (the path is personal data).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Signature {
    /// Strokes, each with at least one sample.
    pub strokes: Vec<Vec<PenSample>>,
}

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Signature")
            .field("strokes", &self.strokes.len())
            .field("samples", &self.samples())
            .finish()
    }
}

impl Signature {
    /// Pen-down samples, all strokes together.
    pub fn samples(&self) -> usize {
        self.strokes.iter().map(Vec::len).sum()
    }

    /// Sample points in its ISO record: each stroke's samples and one pen-up mark after it.
    pub fn record_points(&self) -> usize {
        self.samples() + self.strokes.iter().filter(|s| !s.is_empty()).count()
    }

    /// From the first sample to the last.
    pub fn duration_ms(&self) -> u32 {
        let times = self.strokes.iter().flatten().map(|s| s.t_ms);
        let (first, last) = times.fold((u32::MAX, 0), |(lo, hi), t| (lo.min(t), hi.max(t)));
        last.saturating_sub(first.min(last))
    }

    /// Whether every sample carries a pressure.
    pub fn has_pressure(&self) -> bool {
        self.samples() > 0 && self.strokes.iter().flatten().all(|s| s.pressure.is_some())
    }

    /// Forgets the path (called when the applicant or the clerk clears the pad, and on drop by
    /// its owner).
    pub fn clear(&mut self) {
        for stroke in &mut self.strokes {
            for sample in stroke.iter_mut() {
                *sample = PenSample {
                    x: 0,
                    y: 0,
                    t_ms: 0,
                    pressure: None,
                };
            }
        }
        self.strokes.clear();
    }
}
