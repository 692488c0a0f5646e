//! What stands in front of the camera: a synthetic applicant (a portrait drawn from a seed, with
//! defects for tests) or the technician's grey card, seen through the camera's own defects (colour
//! cast, defocus), encoded as the JPEG the chip would put in its frame buffer.

use std::collections::HashMap;
use std::sync::Arc;

use image::codecs::jpeg::JpegEncoder;

use crate::synth::portrait::{Defects, Portrait};
use crate::synth::sensor_defects::{CameraDefects, grey_card};

/// The applicant in front of the camera.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Applicant {
    /// Identity seed: the same seed, the same person.
    pub seed: u64,
    /// Defects rendered into the picture.
    pub defects: Defects,
    /// The camera's own defects (colour cast, defocus), applied to whatever it sees.
    pub lens: CameraDefects,
    /// The technician holds the grey card before the lens (instead of the applicant).
    pub grey_card: bool,
}

/// The JPEG quality for a compression byte: 0 → 100 (largest files), the default 0x36 → 80,
/// 0xFF → 5. The chip's own mapping is not documented; this one keeps "higher = more
/// compression" (reference, "set compression").
pub fn quality_for(compression: u8) -> u8 {
    (100 - u32::from(compression) * 95 / 255) as u8
}

/// Frames already encoded, by applicant, size and quality: a still scene gives the same frame.
#[derive(Debug, Default)]
pub struct Scene {
    frames: HashMap<(Applicant, u32, u32, u8), Arc<Vec<u8>>>,
}

impl Scene {
    /// The JPEG of `applicant` at `width × height` and `quality`.
    pub fn frame(
        &mut self,
        applicant: Applicant,
        width: u32,
        height: u32,
        quality: u8,
    ) -> Result<Arc<Vec<u8>>, image::ImageError> {
        let key = (applicant, width, height, quality);
        if let Some(frame) = self.frames.get(&key) {
            return Ok(Arc::clone(frame));
        }
        let mut picture = if applicant.grey_card {
            grey_card(width, height)
        } else {
            Portrait::from_seed(applicant.seed).render(&applicant.defects, width, height)
        };
        applicant.lens.apply(&mut picture);
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, quality.clamp(1, 100)).encode_image(&picture)?;
        applicant.lens.cut(&mut jpeg);
        if self.frames.len() >= 32 {
            self.frames.clear();
        }
        let jpeg = Arc::new(jpeg);
        self.frames.insert(key, Arc::clone(&jpeg));
        Ok(jpeg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compression_maps_to_quality() {
        assert_eq!(quality_for(0), 100);
        assert_eq!(quality_for(0x36), 80);
        assert_eq!(quality_for(0xFF), 5);
    }
}
