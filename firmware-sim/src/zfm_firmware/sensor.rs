//! What lies on the sensor's glass, and the images the sensor takes of it.

use std::time::Duration;

use image::GrayImage;

use super::SensorKind;
use super::charfile::Provenance;
use crate::synth::fingerprint::{Finger, Impression};
use crate::synth::sensor_defects::Target;

/// A finger on the glass, from the tests, the control channel or the `auto` mode.
#[derive(Debug, Clone, Default)]
pub struct FingerOnSensor {
    /// A finger placed by hand: its seed and impression number.
    pub placed: Option<(u64, u32)>,
    /// In `auto` mode a finger is on the glass at every GenImg.
    pub auto: bool,
    /// The finger used in `auto` mode.
    pub auto_seed: u64,
    /// Impressions taken so far in `auto` mode (each GenImg is a new placement).
    pub auto_count: u32,
    /// A calibration target laid on the glass by the technician (takes the place of any finger).
    pub target: Option<Target>,
}

/// What a capture sees on the glass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnGlass {
    /// A finger, known by its provenance.
    Finger(Provenance),
    /// A calibration target.
    Target(Target),
}

impl FingerOnSensor {
    /// Which finger a capture sees now, if any. A placed finger stays still, so every capture shows
    /// the same impression; in `auto` mode each capture is a new impression.
    pub fn at_capture(&mut self) -> Option<OnGlass> {
        if let Some(target) = self.target {
            return Some(OnGlass::Target(target));
        }
        self.finger_at_capture().map(OnGlass::Finger)
    }

    fn finger_at_capture(&mut self) -> Option<Provenance> {
        if let Some((finger_seed, impression)) = self.placed {
            return Some(Provenance {
                finger_seed,
                impression,
            });
        }
        if self.auto {
            let impression = self.auto_count;
            self.auto_count = self.auto_count.wrapping_add(1);
            return Some(Provenance {
                finger_seed: self.auto_seed,
                impression,
            });
        }
        None
    }
}

/// Takes the sensor's 8-bit image of a finger.
pub fn capture(sensor: SensorKind, provenance: Provenance) -> GrayImage {
    let finger = Finger::from_seed(provenance.finger_seed);
    let conditions = Impression::from_seed(provenance.finger_seed, provenance.impression);
    finger.impression(&conditions, sensor.width(), sensor.height())
}

/// The image as it travels: 4 bits a pixel, high nibble = left pixel (reference, "Image upload").
pub fn to_nibbles(image: &GrayImage) -> Vec<u8> {
    image
        .as_raw()
        .chunks(2)
        .map(|pair| {
            let left = pair[0] >> 4;
            let right = pair.get(1).copied().unwrap_or(0) >> 4;
            (left << 4) | right
        })
        .collect()
}

/// The image a host rebuilds from the nibbles: each nibble n becomes n × 17 (0..=255).
pub fn from_nibbles(nibbles: &[u8], width: u32, height: u32) -> Option<GrayImage> {
    let mut pixels = Vec::with_capacity(nibbles.len() * 2);
    for &b in nibbles {
        pixels.push((b >> 4) * 17);
        pixels.push((b & 0x0F) * 17);
    }
    GrayImage::from_raw(width, height, pixels)
}

/// How long a capture takes: `capture` with a finger, a third of it to see there is none.
pub fn no_finger_time(capture: Duration) -> Duration {
    capture / 3
}
