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
