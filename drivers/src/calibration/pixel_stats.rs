//! Per-pixel statistics over a stack of frames of one target.

use image::GrayImage;

use super::CalibrationError;

/// Mean and temporal variance of every pixel over N frames of the same target. The temporal
/// variance is taken after removing each frame's overall level, so that a light source dimming
/// during the calibration is not counted as noise.
#[derive(Debug, Clone, PartialEq)]
pub struct PixelStats {
    /// Width, pixels.
    pub width: u32,
    /// Height, pixels.
    pub height: u32,
    /// Frames averaged.
    pub frames: usize,
    /// Mean grey level of each pixel, row by row.
    pub mean: Vec<f32>,
    /// Temporal variance of each pixel (grey levels²), row by row.
    pub variance: Vec<f32>,
}

impl PixelStats {
    /// The statistics of `frames`, which must all have the size of the first.
    pub fn from_frames(frames: &[GrayImage]) -> Result<Self, CalibrationError> {
        let Some(first) = frames.first() else {
            return Err(CalibrationError::TooFewFrames {
                needed: 1,
                given: 0,
            });
        };
        let (width, height) = first.dimensions();
        for frame in frames {
            if frame.dimensions() != (width, height) {
                return Err(CalibrationError::SizeMismatch {
                    width,
                    height,
                    found_width: frame.width(),
                    found_height: frame.height(),
                });
            }
        }
        let pixels = width as usize * height as usize;
        let n = frames.len() as f64;
        let levels: Vec<f64> = frames
            .iter()
            .map(|f| f.as_raw().iter().map(|&v| f64::from(v)).sum::<f64>() / pixels.max(1) as f64)
            .collect();
        let overall = levels.iter().sum::<f64>() / n;
        let mut mean = vec![0f32; pixels];
        let mut variance = vec![0f32; pixels];
        for i in 0..pixels {
            let mut sum = 0.0;
            let mut sum_sq = 0.0;
            for (frame, level) in frames.iter().zip(&levels) {
                let v = f64::from(frame.as_raw()[i]);
                let levelled = v - level + overall;
                sum += v;
                sum_sq += levelled * levelled;
            }
            let m = sum / n;
            // Levelling shifts each frame but not the mean over the frames.
            let levelled_mean = m;
            mean[i] = m as f32;
            variance[i] = if frames.len() > 1 {
                ((sum_sq / n - levelled_mean * levelled_mean).max(0.0) * n / (n - 1.0)) as f32
            } else {
                0.0
            };
        }
        Ok(Self {
            width,
            height,
            frames: frames.len(),
            mean,
            variance,
        })
    }

    /// Mean of pixel (x, y).
    pub fn mean_at(&self, x: u32, y: u32) -> f32 {
        self.mean[y as usize * self.width as usize + x as usize]
    }
}
