//! Decoding the images inside the ISO records: the national side must be able to read them, and
//! their size must be the one the record header states.

use std::io::Cursor;

use image::{ColorType, DynamicImage, ImageFormat, ImageReader, Limits};
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Largest side accepted for a decoded image (a 500-ppi flat finger is ~400 px; a portrait a few
/// thousand at most).
pub const MAX_SIDE: u32 = 8192;
/// Largest decoder allocation accepted.
pub const MAX_ALLOC: u64 = 256 * 1024 * 1024;
/// Largest side of a finger image, checked on the record's header before anything is decoded:
/// two inches at 500 ppi. The largest single-finger captures (FBI flat impressions, 1.6 × 1.5
/// inches) are 800 × 750 pixels; the station's ZFM-type modules give 256 × 288.
pub const MAX_FINGER_SIDE: u16 = 1000;
/// Largest side of a portrait, checked the same way (ICAO portraits are well under 2000 pixels;
/// the station's camera gives 640 × 480).
pub const MAX_FACE_SIDE: u16 = 4000;

/// What a decoded image turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Decoded {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Colour type.
    pub color: ColorType,
}

/// Refuses a `width` × `height` stated in a record header before decoding, if either side is 0 or
/// over `max`.
pub fn check_stated_size(width: u16, height: u16, max: u16) -> Result<(), String> {
    if width == 0 || height == 0 || width > max || height > max {
        return Err(format!(
            "the header states {width}x{height} pixels; at most {max} a side is accepted"
        ));
    }
    Ok(())
}

/// Decodes `bytes` as `format`, refusing an image larger than the `width` × `height` its record
/// header states before the decoder allocates for it (and never more than [`MAX_SIDE`] and
/// [`MAX_ALLOC`]).
pub fn decode(
    bytes: &[u8],
    format: ImageFormat,
    width: u16,
    height: u16,
) -> Result<Decoded, String> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(u32::from(width).min(MAX_SIDE));
    limits.max_image_height = Some(u32::from(height).min(MAX_SIDE));
    // 16-bit RGBA at most, plus the decoder's own buffers.
    let pixels = u64::from(width) * u64::from(height);
    limits.max_alloc = Some((pixels * 8 + 4 * 1024 * 1024).min(MAX_ALLOC));
    whole(bytes, format)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let image = DecodedPixels(
        reader
            .decode()
            .map_err(|e| format!("the image does not decode: {e}"))?,
    );
    let image = &image.0;
    Ok(Decoded {
        width: image.width(),
        height: image.height(),
        color: image.color(),
    })
}

/// The pixels of a decoded image (a citizen's face, a finger, a signature), wiped when dropped:
/// only their size and colour type outlive the check.
pub struct DecodedPixels(pub DynamicImage);

impl DecodedPixels {
    /// Overwrites every pixel with zeros.
    pub fn wipe(&mut self) {
        match &mut self.0 {
            DynamicImage::ImageLuma8(pixels) => (**pixels).zeroize(),
            DynamicImage::ImageLumaA8(pixels) => (**pixels).zeroize(),
            DynamicImage::ImageRgb8(pixels) => (**pixels).zeroize(),
            DynamicImage::ImageRgba8(pixels) => (**pixels).zeroize(),
            DynamicImage::ImageLuma16(pixels) => (**pixels).zeroize(),
            DynamicImage::ImageLumaA16(pixels) => (**pixels).zeroize(),
            DynamicImage::ImageRgb16(pixels) => (**pixels).zeroize(),
            DynamicImage::ImageRgba16(pixels) => (**pixels).zeroize(),
            DynamicImage::ImageRgb32F(pixels) => (**pixels).zeroize(),
            DynamicImage::ImageRgba32F(pixels) => (**pixels).zeroize(),
            // The enum is open to new kinds; the decoders used here give only the ones above.
            other => tracing::warn!(
                color = ?other.color(),
                "decoded pixels of a kind that cannot be wiped"
            ),
        }
    }
}

impl Drop for DecodedPixels {
    fn drop(&mut self) {
        self.wipe();
    }
}

impl ZeroizeOnDrop for DecodedPixels {}

/// Refuses an image that stops before its end marker: decoders paint a cut-off JPEG's missing band
/// grey and would pass it as a whole portrait.
fn whole(bytes: &[u8], format: ImageFormat) -> Result<(), String> {
    // A PNG's last chunk: length 0, "IEND", its CRC.
    const IEND: [u8; 12] = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82];
    let complete = match format {
        ImageFormat::Jpeg => bytes.ends_with(&[0xFF, 0xD9]),
        ImageFormat::Png => bytes.ends_with(&IEND),
        _ => true,
    };
    if complete {
        Ok(())
    } else {
        Err("the image is incomplete: it stops before its end marker".to_owned())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encoded(format: ImageFormat) -> Vec<u8> {
        let picture = image::RgbImage::from_fn(413, 531, |x, y| {
            image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
        });
        let mut out = Vec::new();
        image::DynamicImage::ImageRgb8(picture)
            .write_to(&mut Cursor::new(&mut out), format)
            .unwrap_or_else(|e| panic!("{e}"));
        out
    }

    /// Wiped when dropped, for every kind of pixel an image decodes to.
    #[test]
    fn decoded_pixels_are_wiped() {
        fn wiped_on_drop<T: ZeroizeOnDrop>() {}
        wiped_on_drop::<DecodedPixels>();
        let rgb =
            image::load_from_memory(&encoded(ImageFormat::Png)).unwrap_or_else(|e| panic!("{e}"));
        for image in [
            rgb.clone(),
            DynamicImage::ImageLuma8(rgb.to_luma8()),
            DynamicImage::ImageLumaA8(rgb.to_luma_alpha8()),
            DynamicImage::ImageRgba8(rgb.to_rgba8()),
            DynamicImage::ImageLuma16(rgb.to_luma16()),
            DynamicImage::ImageLumaA16(rgb.to_luma_alpha16()),
            DynamicImage::ImageRgb16(rgb.to_rgb16()),
            DynamicImage::ImageRgba16(rgb.to_rgba16()),
            DynamicImage::ImageRgb32F(rgb.to_rgb32f()),
            DynamicImage::ImageRgba32F(rgb.to_rgba32f()),
        ] {
            let color = image.color();
            let mut pixels = DecodedPixels(image);
            assert!(pixels.0.as_bytes().iter().any(|b| *b != 0), "{color:?}");
            pixels.wipe();
            assert!(pixels.0.as_bytes().iter().all(|b| *b == 0), "{color:?}");
        }
    }

    #[test]
    fn an_image_cut_at_90_percent_is_refused_as_incomplete() {
        for format in [ImageFormat::Jpeg, ImageFormat::Png] {
            let bytes = encoded(format);
            assert!(decode(&bytes, format, 413, 531).is_ok(), "{format:?}");
            let cut = &bytes[..bytes.len() * 9 / 10];
            let refused = decode(cut, format, 413, 531).expect_err("a cut image is refused");
            assert!(refused.contains("incomplete"), "{format:?}: {refused}");
        }
    }
}
