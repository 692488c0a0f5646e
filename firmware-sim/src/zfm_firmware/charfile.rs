//! Char files: the features the module extracts from an image (Img2Tz), keeps in its two char
//! buffers, combines into templates (RegModel) and stores in its library.
//!
//! How the simulator extracts them, honestly, from the finger on the sensor: a captured image
//! remembers which finger and which impression it shows (its provenance). Img2Tz takes that finger's
//! ground-truth minutiae ([`Finger::minutiae`]), maps each to where it falls on this impression
//! ([`Finger::master_to_image`]: shift and rotation), keeps those that lie on the image where the
//! image actually shows ridges (so partial contact, light pressure and the sensor's edges remove
//! minutiae as they would for a real extractor), then perturbs them as an extractor does: a few
//! pixels and degrees of error, about one minutia in ten missed, a few spurious ones, all drawn
//! reproducibly from the impression. An image of unknown provenance (downloaded by the host and
//! never seen before) yields no features. Matching ([`super::matching`]) then only compares point
//! sets: nothing tells it which finger a char file came from.

use image::GrayImage;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::synth::fingerprint::{Finger, Impression};

/// Bytes of one char file on the wire and in the library (the ZFM's 512-byte char file).
pub const CHAR_FILE_BYTES: usize = 512;
/// Most minutiae a char file holds: (512 − 2) / 6.
pub const MAX_MINUTIAE: usize = (CHAR_FILE_BYTES - 2) / 6;
/// Below this many minutiae, Img2Tz answers "too few feature points".
pub const MIN_MINUTIAE: usize = 8;
/// Pixels from the image edge within which minutiae are not trusted.
const EDGE_MARGIN: f32 = 8.0;
/// Half-side of the window checked for ridges around a minutia.
const RIDGE_WINDOW: i64 = 6;

/// One extracted minutia, in image pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Feature {
    /// Horizontal position.
    pub x: f32,
    /// Vertical position (down).
    pub y: f32,
    /// Direction, radians in [0, 2π).
    pub angle: f32,
    /// 0 ending, 1 bifurcation.
    pub kind: u8,
}

/// A char file (or template): a set of minutiae.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CharFile {
    /// The minutiae.
    pub features: Vec<Feature>,
}

/// Which finger and impression an image shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Provenance {
    /// The finger's seed.
    pub finger_seed: u64,
    /// The impression number.
    pub impression: u32,
}

impl CharFile {
    /// The 512 bytes of the char file: count (2), then per minutia x (2), y (2), angle (1, 256ths of
    /// a turn), kind (1); zero-filled.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(CHAR_FILE_BYTES);
        let count = self.features.len().min(MAX_MINUTIAE);
        out.extend_from_slice(&(count as u16).to_be_bytes());
        for f in self.features.iter().take(count) {
            out.extend_from_slice(&(f.x.round().clamp(0.0, 65535.0) as u16).to_be_bytes());
            out.extend_from_slice(&(f.y.round().clamp(0.0, 65535.0) as u16).to_be_bytes());
            let turn = (f.angle.rem_euclid(std::f32::consts::TAU) / std::f32::consts::TAU * 256.0)
                .round() as u32
                % 256;
            out.push(turn as u8);
            out.push(f.kind);
        }
        out.resize(CHAR_FILE_BYTES, 0);
        out
    }

    /// Reads a char file sent by the host; None if it is not one.
    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != CHAR_FILE_BYTES {
            return None;
        }
        let count = usize::from(u16::from_be_bytes([bytes[0], bytes[1]]));
        if count > MAX_MINUTIAE {
            return None;
        }
        let features = bytes[2..2 + count * 6]
            .chunks_exact(6)
            .map(|c| Feature {
                x: f32::from(u16::from_be_bytes([c[0], c[1]])),
                y: f32::from(u16::from_be_bytes([c[2], c[3]])),
                angle: f32::from(c[4]) / 256.0 * std::f32::consts::TAU,
                kind: c[5].min(1),
            })
            .collect();
        Some(Self { features })
    }

    /// Extracts the char file of an image of known provenance (see the module's documentation).
    pub fn extract(finger: &Finger, provenance: Provenance, image: &GrayImage) -> Self {
        let conditions = Impression::from_seed(provenance.finger_seed, provenance.impression);
        let (width, height) = image.dimensions();
        let mut rng = ChaCha8Rng::seed_from_u64(
            provenance.finger_seed.rotate_left(17) ^ u64::from(provenance.impression) ^ 0x7a66_6d32,
        );
        let mut features = Vec::new();
        for m in finger.minutiae() {
            let (x, y) = finger.master_to_image(&conditions, width, height, m.x, m.y);
            let (x2, y2) = finger.master_to_image(
                &conditions,
                width,
                height,
                m.x + 10.0 * m.angle.cos(),
                m.y + 10.0 * m.angle.sin(),
            );
            let inside = x >= EDGE_MARGIN
                && y >= EDGE_MARGIN
                && x < width as f32 - EDGE_MARGIN
                && y < height as f32 - EDGE_MARGIN;
            if !inside || !shows_ridges(image, x, y) {
                continue;
            }
            // An extractor misses about one minutia in ten.
            if rng.random_bool(0.1) {
                continue;
            }
            let angle = (y2 - y).atan2(x2 - x) + rng.random_range(-0.12..0.12);
            features.push(Feature {
                x: x + rng.random_range(-2.0..2.0),
                y: y + rng.random_range(-2.0..2.0),
                angle: angle.rem_euclid(std::f32::consts::TAU),
                kind: match m.kind {
                    crate::synth::fingerprint::MinutiaKind::Ending => 0,
                    crate::synth::fingerprint::MinutiaKind::Bifurcation => 1,
                },
            });
        }
        // And finds a few that are not there (noise, scars, the edge of the contact).
        let spurious = rng.random_range(0..=3);
        for _ in 0..spurious {
            let (x, y) = (
                rng.random_range(EDGE_MARGIN..(width as f32 - EDGE_MARGIN).max(EDGE_MARGIN + 1.0)),
                rng.random_range(EDGE_MARGIN..(height as f32 - EDGE_MARGIN).max(EDGE_MARGIN + 1.0)),
            );
            if shows_ridges(image, x, y) {
                features.push(Feature {
                    x,
                    y,
                    angle: rng.random_range(0.0..std::f32::consts::TAU),
                    kind: rng.random_range(0..=1),
                });
            }
        }
        features.truncate(MAX_MINUTIAE);
        Self { features }
    }
}

/// Whether the image shows ridges around (x, y): some dark pixels and enough contrast, rather than
/// the light background of glass the finger does not touch.
fn shows_ridges(image: &GrayImage, x: f32, y: f32) -> bool {
    let (width, height) = image.dimensions();
    let (cx, cy) = (x.round() as i64, y.round() as i64);
    let (mut min, mut max, mut dark, mut n) = (255u8, 0u8, 0u32, 0u32);
    for yy in (cy - RIDGE_WINDOW)..=(cy + RIDGE_WINDOW) {
        for xx in (cx - RIDGE_WINDOW)..=(cx + RIDGE_WINDOW) {
            if xx < 0 || yy < 0 || xx >= i64::from(width) || yy >= i64::from(height) {
                continue;
            }
            let v = image.get_pixel(xx as u32, yy as u32).0[0];
            min = min.min(v);
            max = max.max(v);
            dark += u32::from(v < 128);
            n += 1;
        }
    }
    n > 0 && max.saturating_sub(min) >= 60 && dark * 5 >= n
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn bytes_round_trip() {
        let file = CharFile {
            features: vec![
                Feature {
                    x: 10.0,
                    y: 200.0,
                    angle: 0.0,
                    kind: 0,
                },
                Feature {
                    x: 255.0,
                    y: 287.0,
                    angle: std::f32::consts::PI,
                    kind: 1,
                },
            ],
        };
        let bytes = file.to_bytes();
        assert_eq!(bytes.len(), CHAR_FILE_BYTES);
        let back = CharFile::from_bytes(&bytes).unwrap();
        assert_eq!(back.features.len(), 2);
        assert_eq!(back.features[1].x, 255.0);
        assert!((back.features[1].angle - std::f32::consts::PI).abs() < 0.03);
        assert!(CharFile::from_bytes(&bytes[..100]).is_none());
        let mut bad = bytes.clone();
        bad[0] = 0xFF;
        assert!(CharFile::from_bytes(&bad).is_none());
    }
}
