//! The flat-field correction: a gain and an offset per pixel, from the blank and flat targets,
//! that make every pixel answer like the best-lit part of the sensor; dead and stuck pixels are
//! filled from their neighbours.

use image::GrayImage;

use super::bad_pixels::median;
use super::{BadPixels, CalibrationError, PixelStats};

/// Stored form's first bytes ("flat-field correction, version 1").
const MAGIC: &[u8; 4] = b"FFC1";
/// Share of the pixels brighter than the reference white level (the best-lit part of the
/// sensor, not its single brightest pixel).
const WHITE_PERCENTILE: f64 = 0.95;
/// Below this response (blank − flat, grey levels) a pixel cannot be corrected: it is filled.
const MIN_RESPONSE: f32 = 4.0;
/// Largest gain applied (a corner losing 90 % of the light is brought back, not further).
const MAX_GAIN: f32 = 10.0;

/// A per-pixel correction `corrected = raw × gain + offset`, then filling of bad pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct FlatField {
    width: u32,
    height: u32,
    gain: Vec<f32>,
    offset: Vec<f32>,
    /// Pixels (row-major index) filled from their neighbours, sorted.
    filled: Vec<u32>,
}

impl FlatField {
    /// The correction that changes nothing.
    pub fn identity(width: u32, height: u32) -> Self {
        let pixels = width as usize * height as usize;
        Self {
            width,
            height,
            gain: vec![1.0; pixels],
            offset: vec![0.0; pixels],
            filled: Vec::new(),
        }
    }

    /// Derives the correction from the blank and flat statistics (same size, checked by the
    /// caller): each pixel's blank level is mapped to the sensor's reference white (the 95th
    /// percentile of the blank levels) and its flat level to the reference dark (the median flat
    /// level), linearly in between.
    pub fn from_targets(blank: &PixelStats, flat: &PixelStats, bad: &BadPixels) -> Self {
        let (width, height) = (blank.width, blank.height);
        let mut whites = Vec::with_capacity(blank.mean.len());
        let mut darks = Vec::with_capacity(flat.mean.len());
        for (i, (&w, &d)) in blank.mean.iter().zip(&flat.mean).enumerate() {
            let (x, y) = ((i % width as usize) as u32, (i / width as usize) as u32);
            if !bad.contains(x, y) {
                whites.push(w);
                darks.push(d);
            }
        }
        let reference_dark = median(&mut darks);
        let reference_white = if whites.is_empty() {
            0.0
        } else {
            let at = ((whites.len() - 1) as f64 * WHITE_PERCENTILE) as usize;
            let (_, w, _) = whites.select_nth_unstable_by(at, f32::total_cmp);
            *w
        };
        let span = reference_white - reference_dark;
        let mut field = Self::identity(width, height);
        for (i, (&w, &d)) in blank.mean.iter().zip(&flat.mean).enumerate() {
            let (x, y) = ((i % width as usize) as u32, (i / width as usize) as u32);
            let response = w - d;
            if bad.contains(x, y) || response < MIN_RESPONSE || span < MIN_RESPONSE {
                field.filled.push(i as u32);
                continue;
            }
            let gain = (span / response).min(MAX_GAIN);
            field.gain[i] = gain;
            field.offset[i] = reference_dark - d * gain;
        }
        field
    }

    /// Width, pixels.
    pub fn width(&self) -> u32 {
        self.width
    }

    /// Height, pixels.
    pub fn height(&self) -> u32 {
        self.height
    }

    /// Pixels filled from their neighbours (dead, stuck, or not responding), as (x, y).
    pub fn filled(&self) -> impl Iterator<Item = (u32, u32)> + '_ {
        let width = self.width.max(1);
        self.filled.iter().map(move |&i| (i % width, i / width))
    }

    /// Corrects a frame of the sensor's size, row by row, in place.
    pub fn apply(&self, pixels: &mut [u8]) -> Result<(), CalibrationError> {
        if pixels.len() != self.gain.len() {
            return Err(CalibrationError::SizeMismatch {
                width: self.width,
                height: self.height,
                found_width: pixels.len() as u32,
                found_height: 1,
            });
        }
        for ((p, &gain), &offset) in pixels.iter_mut().zip(&self.gain).zip(&self.offset) {
            *p = (f32::from(*p) * gain + offset).round().clamp(0.0, 255.0) as u8;
        }
        let width = self.width as usize;
        for &i in &self.filled {
            let i = i as usize;
            let (x, y) = (i % width, i / width);
            let (mut sum, mut count) = (0u32, 0u32);
            for (dx, dy) in [
                (-1i64, 0i64),
                (1, 0),
                (0, -1),
                (0, 1),
                (-1, -1),
                (1, 1),
                (-1, 1),
                (1, -1),
            ] {
                let (nx, ny) = (x as i64 + dx, y as i64 + dy);
                if nx < 0 || ny < 0 || nx >= width as i64 || ny >= i64::from(self.height) {
                    continue;
                }
                let j = ny as usize * width + nx as usize;
                if self.filled.binary_search(&(j as u32)).is_err() {
                    sum += u32::from(pixels[j]);
                    count += 1;
                }
            }
            if let Some(mean) = sum.checked_div(count) {
                pixels[i] = mean as u8;
            }
        }
        Ok(())
    }

    /// Corrects an image of the sensor's size in place.
    pub fn apply_image(&self, image: &mut GrayImage) -> Result<(), CalibrationError> {
        if image.dimensions() != (self.width, self.height) {
            return Err(CalibrationError::SizeMismatch {
                width: self.width,
                height: self.height,
                found_width: image.width(),
                found_height: image.height(),
            });
        }
        self.apply(image)
    }

    /// The stored form: `FFC1`, width and height (u32 little-endian), the gains, the offsets
    /// (f32 little-endian, row by row), the count of filled pixels and their indices (u32).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.gain.len() * 8 + self.filled.len() * 4);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&self.width.to_le_bytes());
        out.extend_from_slice(&self.height.to_le_bytes());
        for v in self.gain.iter().chain(&self.offset) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        out.extend_from_slice(&(self.filled.len() as u32).to_le_bytes());
        for i in &self.filled {
            out.extend_from_slice(&i.to_le_bytes());
        }
        out
    }

    /// Reads the stored form back; refuses anything damaged.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, CalibrationError> {
        let bad = CalibrationError::BadFlatField;
        let mut at = 0usize;
        let mut take = |n: usize| -> Result<&[u8], CalibrationError> {
            let end = at.checked_add(n).ok_or(bad("impossible size"))?;
            let slice = bytes.get(at..end).ok_or(bad("truncated"))?;
            at += n;
            Ok(slice)
        };
        if take(4)? != MAGIC {
            return Err(bad("not a flat-field correction"));
        }
        let u32_of = |s: &[u8]| u32::from_le_bytes([s[0], s[1], s[2], s[3]]);
        let width = u32_of(take(4)?);
        let height = u32_of(take(4)?);
        let pixels = (width as usize)
            .checked_mul(height as usize)
            .filter(|&p| p <= 16 * 1024 * 1024)
            .ok_or(bad("impossible size"))?;
        let mut floats = |n: usize| -> Result<Vec<f32>, CalibrationError> {
            let raw = take(n.checked_mul(4).ok_or(bad("impossible size"))?)?;
            let values: Vec<f32> = raw
                .chunks_exact(4)
                .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                .collect();
            if values.iter().all(|v| v.is_finite()) {
                Ok(values)
            } else {
                Err(bad("not a number in the correction"))
            }
        };
        let gain = floats(pixels)?;
        let offset = floats(pixels)?;
        let count = u32_of(take(4)?) as usize;
        if count > pixels {
            return Err(bad("more filled pixels than pixels"));
        }
        let mut filled = Vec::with_capacity(count);
        for _ in 0..count {
            let i = u32_of(take(4)?);
            if i as usize >= pixels {
                return Err(bad("filled pixel outside the sensor"));
            }
            filled.push(i);
        }
        if at != bytes.len() {
            return Err(bad("trailing bytes"));
        }
        filled.sort_unstable();
        Ok(Self {
            width,
            height,
            gain,
            offset,
            filled,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn stored_form_reads_back_and_damage_is_refused() {
        let mut field = FlatField::identity(4, 3);
        field.gain[5] = 1.5;
        field.offset[5] = -3.0;
        field.filled = vec![2, 7];
        let bytes = field.to_bytes();
        assert_eq!(FlatField::from_bytes(&bytes).unwrap(), field);
        for cut in 0..bytes.len() {
            assert!(FlatField::from_bytes(&bytes[..cut]).is_err());
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert!(FlatField::from_bytes(&longer).is_err());
    }

    #[test]
    fn apply_refuses_other_sizes_and_fills_bad_pixels() {
        let mut field = FlatField::identity(3, 3);
        field.filled = vec![4];
        let mut pixels = vec![10, 10, 10, 10, 255, 10, 10, 10, 10];
        field.apply(&mut pixels).unwrap();
        assert_eq!(pixels[4], 10);
        assert!(field.apply(&mut [0u8; 8]).is_err());
    }

    proptest::proptest! {
        #[test]
        fn never_panics_on_any_bytes(bytes in proptest::collection::vec(0u8..=255, 0..200)) {
            let _ = FlatField::from_bytes(&bytes);
            let mut with_magic = b"FFC1".to_vec();
            with_magic.extend_from_slice(&bytes);
            let _ = FlatField::from_bytes(&with_magic);
        }
    }
}
