//! What stands in front of the camera: a synthetic applicant (a portrait drawn from a seed, with
//! defects for tests) or the technician's grey card, seen through the camera's own defects (colour
//! cast, defocus), encoded as the JPEG the chip would put in its frame buffer. The applicant may
//! hold their pre-request's QR code up to the lens: each frame then shows it where the hand is.

use std::collections::HashMap;
use std::sync::Arc;

use image::codecs::jpeg::JpegEncoder;

use crate::synth::portrait::{Defects, Portrait};
use crate::synth::qr_card::{self, QrCard};
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
    /// The QR code held up to the lens, and the frames taken since it was.
    qr: Option<(Arc<QrCard>, u64)>,
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
        if let Some((card, taken)) = &mut self.qr {
            // A hand holding a code moves: every frame is new, none is kept.
            let mut picture =
                Portrait::from_seed(applicant.seed).render(&applicant.defects, width, height);
            card.draw(&mut picture, qr_card::pose(*taken));
            *taken += 1;
            applicant.lens.apply(&mut picture);
            let mut jpeg = Vec::new();
            JpegEncoder::new_with_quality(&mut jpeg, quality.clamp(1, 100))
                .encode_image(&picture)?;
            applicant.lens.cut(&mut jpeg);
            return Ok(Arc::new(jpeg));
        }
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

    /// The applicant holds `card` up to the lens (None: puts it away). Another card starts the
    /// hand's movement again; the same one goes on where it was.
    pub fn show_qr(&mut self, card: Option<Arc<QrCard>>) {
        match (card, &self.qr) {
            (Some(card), Some((shown, _))) if Arc::ptr_eq(&card, shown) => {}
            (Some(card), _) => self.qr = Some((card, 0)),
            (None, _) => self.qr = None,
        }
    }

    /// Whether the scene changes from frame to frame (a code held up): nothing to draw ahead.
    pub fn moving(&self) -> bool {
        self.qr.is_some()
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

#[cfg(test)]
mod qr_tests {
    use super::*;
    use crate::synth::qr_card::Holder;

    const LINK: &str = "https://passeport.ants.gouv.fr/pre-demande?numero=DEMO000001";

    /// What a QR reader finds in a JPEG frame: the content of the first code that decodes.
    fn read(jpeg: &[u8]) -> Option<String> {
        let grey = image::load_from_memory(jpeg).ok()?.to_luma8();
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
            grey.width() as usize,
            grey.height() as usize,
            |x, y| grey.get_pixel(x as u32, y as u32).0[0],
        );
        prepared
            .detect_grids()
            .into_iter()
            .find_map(|grid| grid.decode().ok().map(|(_, content)| content))
    }

    #[test]
    fn a_held_up_code_is_read_in_some_frames_only_and_the_scene_moves() {
        for holder in [Holder::Paper, Holder::Phone] {
            let mut scene = Scene::default();
            let applicant = Applicant {
                seed: 3,
                defects: Defects::none(),
                lens: CameraDefects::none(),
                grey_card: false,
            };
            scene.show_qr(Some(Arc::new(QrCard::new(LINK, holder).expect("fits"))));
            let seen: Vec<Option<String>> = (0..12)
                .map(|_| read(&scene.frame(applicant, 320, 240, 80).expect("frame")))
                .collect();
            // Coming into view, then moving: nothing to read in the first two frames.
            assert_eq!(seen[..2], [None, None], "{holder:?}");
            assert_eq!(seen[2].as_deref(), Some(LINK), "{holder:?}");
            let readable = seen.iter().flatten().count();
            assert!((2..=6).contains(&readable), "{holder:?}: {readable} of 12");
            assert!(seen.iter().flatten().all(|content| content == LINK));
            // Put away: the applicant alone, the same frame again.
            scene.show_qr(None);
            let still = scene.frame(applicant, 320, 240, 80).expect("frame");
            assert!(Arc::ptr_eq(
                &still,
                &scene.frame(applicant, 320, 240, 80).expect("frame")
            ));
            assert_eq!(read(&still), None);
        }
    }
}
