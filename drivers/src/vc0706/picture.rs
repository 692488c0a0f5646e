//! Accepting a picture: a whole JPEG (FF D8 … FF D9) that decodes, at the size asked for.
//!
//! The reference's failure modes say some compression settings give garbled JPEGs and a lost
//! byte shifts everything after it; the markers and a full decode with `image` catch those.
//! A strict walk through the segments and the scan ([`super::scan`]) catches a flipped bit that
//! changes the stream's structure. None of this can catch a flip in a coefficient's magnitude bits
//! (JPEG carries no checksum), which is why the camera reads each chunk twice for a kept photo.

use image::RgbImage;

/// Start-of-image marker.
pub const SOI: [u8; 2] = [0xFF, 0xD8];
/// End-of-image marker.
pub const EOI: [u8; 2] = [0xFF, 0xD9];
/// The widest picture the VC0706 takes (VGA).
pub const MAX_WIDTH: u32 = 640;
/// The tallest picture the VC0706 takes (VGA).
pub const MAX_HEIGHT: u32 = 480;
/// The most the decoder may allocate for one picture (a VGA frame is 0.9 MB as RGB).
pub const MAX_ALLOC: u64 = 16 * 1024 * 1024;

/// Why a picture was not accepted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PictureProblem {
    /// It does not start with FF D8.
    #[error("no JPEG start marker (FF D8)")]
    NoStart,
    /// It does not end with FF D9.
    #[error("no JPEG end marker (FF D9): truncated or misaligned")]
    NoEnd,
    /// The strict walk through its segments and scan found an irregularity ([`super::scan`]).
    #[error("the JPEG is irregular: {0}")]
    Irregular(#[from] super::scan::ScanProblem),
    /// The decoder refused it.
    #[error("the JPEG does not decode: {0}")]
    Undecodable(String),
    /// It decodes to another size than the one asked for.
    #[error("the picture is {width}x{height}, expected {expected_width}x{expected_height}")]
    WrongSize {
        /// Width decoded.
        width: u32,
        /// Height decoded.
        height: u32,
        /// Width asked for.
        expected_width: u32,
        /// Height asked for.
        expected_height: u32,
    },
}

/// Checks the markers, walks the segments and the scan strictly ([`super::scan::verify`]), decodes
/// the JPEG and, when `expected` is given, checks its dimensions.
pub fn check_jpeg(bytes: &[u8], expected: Option<(u32, u32)>) -> Result<RgbImage, PictureProblem> {
    if !bytes.starts_with(&SOI) {
        return Err(PictureProblem::NoStart);
    }
    if !bytes.ends_with(&EOI) || bytes.len() < 4 {
        return Err(PictureProblem::NoEnd);
    }
    super::scan::verify(bytes)?;
    // The camera's largest picture is 640×480: a frame header claiming more is refused before the
    // decoder allocates for it.
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_WIDTH);
    limits.max_image_height = Some(MAX_HEIGHT);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader =
        image::ImageReader::with_format(std::io::Cursor::new(bytes), image::ImageFormat::Jpeg);
    reader.limits(limits);
    let decoded = reader
        .decode()
        .map_err(|e| PictureProblem::Undecodable(e.to_string()))?
        .to_rgb8();
    if let Some((expected_width, expected_height)) = expected
        && decoded.dimensions() != (expected_width, expected_height)
    {
        return Err(PictureProblem::WrongSize {
            width: decoded.width(),
            height: decoded.height(),
            expected_width,
            expected_height,
        });
    }
    Ok(decoded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::codecs::jpeg::JpegEncoder;
    use proptest::prelude::*;

    fn sample_jpeg() -> Vec<u8> {
        let picture = RgbImage::from_fn(64, 48, |x, y| {
            image::Rgb([(x * 4) as u8, (y * 5) as u8, 90])
        });
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, 80)
            .encode_image(&picture)
            .unwrap_or_else(|e| panic!("{e}"));
        out
    }

    #[test]
    fn a_whole_jpeg_is_accepted_and_a_cut_one_refused() {
        let jpeg = sample_jpeg();
        assert!(check_jpeg(&jpeg, Some((64, 48))).is_ok());
        assert!(matches!(
            check_jpeg(&jpeg, Some((640, 480))),
            Err(PictureProblem::WrongSize { .. })
        ));
        assert_eq!(
            check_jpeg(&jpeg[..jpeg.len() - 100], None),
            Err(PictureProblem::NoEnd)
        );
        assert_eq!(check_jpeg(&jpeg[1..], None), Err(PictureProblem::NoStart));
        // A lost byte in the headers (the quantisation tables) breaks the decode.
        let mut shifted = jpeg.clone();
        shifted.remove(30);
        assert!(check_jpeg(&shifted, Some((64, 48))).is_err());
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = check_jpeg(&bytes, None);
            let mut framed = SOI.to_vec();
            framed.extend_from_slice(&bytes);
            framed.extend_from_slice(&EOI);
            let _ = check_jpeg(&framed, Some((8, 8)));
        }
    }
}
