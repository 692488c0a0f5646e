//! The camera's defects (a colour cast, defocus) and its calibration scene, the grey card.

use std::fmt;
use std::str::FromStr;

use image::{Rgb, RgbImage};

/// Grey level of the 18 % grey card in sRGB (the photographer's middle grey).
pub const GREY_CARD_LEVEL: u8 = 118;
/// The checkerboard printed at the card's centre for focusing: square side, pixels at 640 wide.
const CHECKER_SIDE: u32 = 16;
/// Largest defocus accepted, pixels (Gaussian standard deviation).
const MAX_DEFOCUS: f64 = 20.0;
/// Largest channel gain accepted.
const MAX_GAIN: f64 = 4.0;
/// The whole frame kept.
const WHOLE_FRAME: u8 = 100;

/// What is wrong with a simulated camera: a gain on each colour channel (a white-balance error)
/// and a Gaussian blur (a lens out of focus), and a frame buffer that keeps only the start of the
/// JPEG (a faulty encoder). Written `cast=1.2:1.0:0.8,defocus=2.5,cut=90`; the empty
/// text or `none` for a perfect camera. Kept in thousandths and tenths so that it can key the
/// scene's frame cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct CameraDefects {
    /// Gain of the red, green and blue channels, in thousandths (1000 = none).
    pub cast_milli: [u16; 3],
    /// Blur, tenths of a pixel (standard deviation at 640 × 480; 0 = sharp).
    pub defocus_tenths: u16,
    /// Share of the encoded JPEG the frame buffer holds, percent (100 = whole).
    pub frame_kept_percent: u8,
}

impl Default for CameraDefects {
    fn default() -> Self {
        Self {
            cast_milli: [1000; 3],
            defocus_tenths: 0,
            frame_kept_percent: WHOLE_FRAME,
        }
    }
}

/// Why a camera defect specification could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CameraDefectsError {
    /// An item was not `cast=R:G:B` or `defocus=S`.
    #[error(
        "camera defect {0:?} not understood (cast=R:G:B with gains 0..4, defocus=PIXELS 0..20, cut=PERCENT 1..100)"
    )]
    Bad(String),
}

impl CameraDefects {
    /// A perfect camera.
    pub fn none() -> Self {
        Self::default()
    }

    /// True when the camera has no defect.
    pub fn is_none(&self) -> bool {
        *self == Self::default()
    }

    /// Channel gains as factors.
    pub fn cast(&self) -> [f64; 3] {
        self.cast_milli.map(|m| f64::from(m) / 1000.0)
    }

    /// Blur, pixels at 640 wide.
    pub fn defocus(&self) -> f64 {
        f64::from(self.defocus_tenths) / 10.0
    }

    /// Cuts the encoded `jpeg` as the faulty frame buffer keeps it.
    pub fn cut(&self, jpeg: &mut Vec<u8>) {
        if self.frame_kept_percent < WHOLE_FRAME {
            let kept = jpeg.len() * usize::from(self.frame_kept_percent) / 100;
            jpeg.truncate(kept.max(1));
        }
    }

    /// Applies the defects to a rendered scene of `width` pixels across (blur scales with it).
    pub fn apply(&self, picture: &mut RgbImage) {
        if self.is_none() {
            return;
        }
        let cast = self.cast();
        for pixel in picture.pixels_mut() {
            for (c, gain) in pixel.0.iter_mut().zip(cast) {
                *c = (f64::from(*c) * gain).round().clamp(0.0, 255.0) as u8;
            }
        }
        let sigma = self.defocus() * f64::from(picture.width()) / 640.0;
        if sigma > 0.05 {
            *picture = image::imageops::blur(picture, sigma as f32);
        }
    }
}

impl FromStr for CameraDefects {
    type Err = CameraDefectsError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut defects = Self::default();
        let text = text.trim();
        if text.is_empty() || text == "none" {
            return Ok(defects);
        }
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let refuse = || CameraDefectsError::Bad(item.to_owned());
            let (name, value) = item.split_once('=').ok_or_else(refuse)?;
            let number = |t: &str, max: f64| match t.trim().parse::<f64>() {
                Ok(v) if (0.0..=max).contains(&v) => Ok(v),
                _ => Err(refuse()),
            };
            match name.trim() {
                "cast" => {
                    let gains: Vec<&str> = value.split(':').collect();
                    let [r, g, b] = gains.as_slice() else {
                        return Err(refuse());
                    };
                    for (slot, text) in defects.cast_milli.iter_mut().zip([r, g, b]) {
                        *slot = (number(text, MAX_GAIN)? * 1000.0).round() as u16;
                    }
                }
                "defocus" => {
                    defects.defocus_tenths = (number(value, MAX_DEFOCUS)? * 10.0).round() as u16;
                }
                "cut" => match value.trim().parse::<u8>() {
                    Ok(p) if (1..=WHOLE_FRAME).contains(&p) => defects.frame_kept_percent = p,
                    _ => return Err(refuse()),
                },
                _ => return Err(refuse()),
            }
        }
        Ok(defects)
    }
}

impl fmt::Display for CameraDefects {
    /// The canonical text, read back by `from_str`; `none` for a perfect camera.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut items = Vec::new();
        if self.cast_milli != [1000; 3] {
            let [r, g, b] = self.cast();
            items.push(format!("cast={r}:{g}:{b}"));
        }
        if self.defocus_tenths > 0 {
            items.push(format!("defocus={}", self.defocus()));
        }
        if self.frame_kept_percent < WHOLE_FRAME {
            items.push(format!("cut={}", self.frame_kept_percent));
        }
        if items.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&items.join(","))
        }
    }
}

/// The calibration card held before the camera: 18 % grey, filling the frame, with a black and
/// white checkerboard over the middle ninth to focus on. A perfect camera sees exactly this.
pub fn grey_card(width: u32, height: u32) -> RgbImage {
    let (x0, x1) = (width / 3, width * 2 / 3);
    let (y0, y1) = (height / 3, height * 2 / 3);
    let side = (CHECKER_SIDE * width / 640).max(2);
    RgbImage::from_fn(width, height, |x, y| {
        if (x0..x1).contains(&x) && (y0..y1).contains(&y) {
            let dark = ((x - x0) / side + (y - y0) / side).is_multiple_of(2);
            if dark { Rgb([20; 3]) } else { Rgb([235; 3]) }
        } else {
            Rgb([GREY_CARD_LEVEL; 3])
        }
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_back_and_refuses_nonsense() {
        let d: CameraDefects = "cast=1.2:1:0.8,defocus=2.5".parse().unwrap();
        assert_eq!(d.cast_milli, [1200, 1000, 800]);
        assert_eq!(d.defocus_tenths, 25);
        assert_eq!(d.to_string(), "cast=1.2:1:0.8,defocus=2.5");
        assert_eq!(d.to_string().parse::<CameraDefects>().unwrap(), d);
        assert!("none".parse::<CameraDefects>().unwrap().is_none());
        for bad in ["cast=1:1", "cast=9:1:1", "defocus=-1", "blur=2", "cast"] {
            assert!(bad.parse::<CameraDefects>().is_err(), "{bad}");
        }
    }

    #[test]
    fn cast_and_blur_change_the_card() {
        let card = grey_card(64, 48);
        let mut seen = card.clone();
        CameraDefects::none().apply(&mut seen);
        assert_eq!(seen, card);
        let d: CameraDefects = "cast=1.2:1:0.8,defocus=2".parse().unwrap();
        d.apply(&mut seen);
        let corner = seen.get_pixel(1, 1).0;
        assert!(corner[0] > corner[1] && corner[1] > corner[2], "{corner:?}");
    }
}
