//! The defect matrix shared by the photo test and the `photo_matrix` example: render portraits with
//! one defect each, pass them through the camera's JPEG, check them, count.

use firmware_sim::synth::portrait::{Defect, Defects, Portrait};
use station::checks::photo::{self, CheckId, PhotoReport};

/// The checks that should flag a defect (any one of them is enough).
pub fn flagged_by(defect: Defect) -> &'static [CheckId] {
    match defect {
        Defect::OffCentre => &[CheckId::HeadPosition, CheckId::Framing],
        Defect::HeadTooSmall => &[CheckId::HeadSize],
        Defect::HeadTooLarge => &[CheckId::HeadSize, CheckId::Framing],
        Defect::Tilted => &[CheckId::HeadTilt],
        Defect::WhiteBackground => &[CheckId::BackgroundNotWhite],
        Defect::ClutteredBackground => &[CheckId::BackgroundPlain],
        Defect::OverExposed => &[CheckId::Highlights],
        Defect::UnderExposed => &[CheckId::Brightness, CheckId::DynamicRange],
        Defect::Blurred => &[CheckId::Sharpness],
        Defect::SideShadow => &[CheckId::Shadow],
        Defect::EyesClosed => &[CheckId::EyesOpen],
    }
}

/// A rendered frame as the camera delivers it: JPEG-compressed at the kept photo's setting (the
/// simulator's quality for it), then decoded.
pub fn camera_frame(seed: u64, defects: &Defects) -> image::RgbImage {
    let frame = Portrait::from_seed(seed).render(defects, 640, 480);
    let mut jpeg = Vec::new();
    let quality = firmware_sim::vc0706_firmware::quality_for(
        drivers::vc0706::Settings::capture().compression,
    );
    let encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, quality);
    frame
        .write_with_encoder(encoder)
        .expect("JPEG encoding of a rendered frame");
    image::load_from_memory(&jpeg)
        .expect("decoding our own JPEG")
        .to_rgb8()
}

/// Checks one portrait.
pub fn check(seed: u64, defects: &Defects) -> PhotoReport {
    photo::check(&camera_frame(seed, defects)).expect("a 640×480 frame is checkable")
}

/// One row of the matrix.
#[derive(Debug, Clone)]
pub struct Row {
    /// The defect's name, for the photo_matrix example's table.
    #[allow(dead_code)]
    pub name: String,
    pub total: usize,
    /// Flagged by the defect's own check(s) (for the clean row: refused at all).
    pub caught: usize,
    /// Refused for any reason.
    pub refused: usize,
    /// Seeds that were missed (or, for the clean row, refused), with the failing checks.
    pub misses: Vec<(u64, Vec<&'static str>)>,
}

impl Row {
    pub fn rate(&self) -> f64 {
        self.caught as f64 / self.total.max(1) as f64
    }
}

/// The clean row: how often a compliant portrait is refused.
pub fn clean_row(seeds: impl Iterator<Item = u64>) -> Row {
    let mut row = Row {
        name: "clean (false refusals)".into(),
        total: 0,
        caught: 0,
        refused: 0,
        misses: vec![],
    };
    for seed in seeds {
        let report = check(seed, &Defects::none());
        row.total += 1;
        if !report.compliant() {
            row.caught += 1;
            row.refused += 1;
            row.misses
                .push((seed, report.failures().map(|c| c.id.code()).collect()));
        }
    }
    row
}

/// A defect row: how often the defect is flagged by its own check.
pub fn defect_row(defect: Defect, seeds: impl Iterator<Item = u64>) -> Row {
    let mut row = Row {
        name: defect.name().into(),
        total: 0,
        caught: 0,
        refused: 0,
        misses: vec![],
    };
    for seed in seeds {
        let report = check(seed, &Defects::only(defect));
        row.total += 1;
        if !report.compliant() {
            row.refused += 1;
        }
        if flagged_by(defect).iter().any(|id| report.failed(*id)) {
            row.caught += 1;
        } else {
            row.misses
                .push((seed, report.failures().map(|c| c.id.code()).collect()));
        }
    }
    row
}
