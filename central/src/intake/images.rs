//! Decoding the images inside the ISO records: the national side must be able to read them, and
//! their size must be the one the record header states.

use std::io::Cursor;

use image::{ColorType, ImageFormat, ImageReader, Limits};

/// Largest side accepted for a decoded image (a 500-ppi flat finger is ~400 px; a portrait a few
/// thousand at most).
pub const MAX_SIDE: u32 = 8192;
/// Largest decoder allocation accepted.
pub const MAX_ALLOC: u64 = 256 * 1024 * 1024;

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

/// Decodes `bytes` as `format` under size limits.
pub fn decode(bytes: &[u8], format: ImageFormat) -> Result<Decoded, String> {
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(MAX_ALLOC);
    whole(bytes, format)?;
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    let image = reader
        .decode()
        .map_err(|e| format!("the image does not decode: {e}"))?;
    Ok(Decoded {
        width: image.width(),
        height: image.height(),
        color: image.color(),
    })
}

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

    #[test]
    fn an_image_cut_at_90_percent_is_refused_as_incomplete() {
        for format in [ImageFormat::Jpeg, ImageFormat::Png] {
            let bytes = encoded(format);
            assert!(decode(&bytes, format).is_ok(), "{format:?}");
            let cut = &bytes[..bytes.len() * 9 / 10];
            let refused = decode(cut, format).expect_err("a cut image is refused");
            assert!(refused.contains("incomplete"), "{format:?}: {refused}");
        }
    }
}
