//! ISO/IEC 19794-5:2005 face image record ("FAC") with the JPEG file inside.
//!
//! Layout from `docs/reference/iso19794-records.md` §2: a 14-byte header, then per image a
//! 20-byte facial information block, no feature points, a 12-byte image information block, the JPEG.

use image::{RgbImage, codecs::jpeg::JpegEncoder};

use super::{RecordError, read_be};

/// Format identifier "FAC\0" (docs/reference/iso19794-records.md §2).
const FORMAT_ID: &[u8; 4] = b"FAC\0";
/// Version "010\0" (docs/reference/iso19794-records.md §2).
const VERSION: &[u8; 4] = b"010\0";
/// Record header length (biomdi `FRF_FHB_LENGTH`).
const HEADER_LEN: usize = 14;
/// Facial information block (20) + image information block (12), with no feature points.
const BLOCKS_LEN: usize = 32;
/// Face image type 1: full frontal (docs/reference/iso19794-records.md §2).
const FULL_FRONTAL: u8 = 1;
/// Image data type 0: JPEG.
const IMAGE_DATA_JPEG: u8 = 0;

/// Where the portrait came from (source type, docs/reference/iso19794-records.md §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaceSource {
    /// Taken at the counter with the station's camera (2: digital still camera).
    Camera,
    /// The applicant's paper photo, scanned (3: scanned photo).
    ScannedPhoto,
}

impl FaceSource {
    /// The ISO source type code.
    pub fn code(self) -> u8 {
        match self {
            Self::Camera => 2,
            Self::ScannedPhoto => 3,
        }
    }
}

/// A portrait ready to go into a face record: the JPEG file and what it holds.
#[derive(Debug, Clone)]
pub struct FacePortrait {
    /// A complete JFIF/JPEG file (`FF D8` … `FF D9`).
    pub jpeg: Vec<u8>,
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
    /// Colour space code: 1 RGB24, 3 greyscale 8-bit.
    pub colour_space: u8,
    /// Where it came from.
    pub source: FaceSource,
}

impl FacePortrait {
    /// Encodes an RGB portrait as JPEG at `quality` (1..=100).
    pub fn from_rgb(
        image: &RgbImage,
        quality: u8,
        source: FaceSource,
    ) -> Result<Self, RecordError> {
        let (w, h) = image.dimensions();
        let (Ok(width), Ok(height)) = (u16::try_from(w), u16::try_from(h)) else {
            return Err(RecordError::OutOfRange(format!("portrait {w}×{h}")));
        };
        let mut jpeg = Vec::new();
        JpegEncoder::new_with_quality(&mut jpeg, quality.clamp(1, 100))
            .encode_image(image)
            .map_err(|e| RecordError::ImageEncoding(e.to_string()))?;
        Ok(Self {
            jpeg,
            width,
            height,
            colour_space: 1,
            source,
        })
    }
}

/// A face record as read back (one image: the station writes one portrait per record).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaceImageRecord {
    /// Face image type (1 = full frontal).
    pub face_image_type: u8,
    /// Image data type (0 = JPEG).
    pub image_data_type: u8,
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
    /// Colour space code.
    pub colour_space: u8,
    /// Source type code.
    pub source_type: u8,
    /// The embedded image file.
    pub image_data: Vec<u8>,
}

impl FaceImageRecord {
    /// Encodes one portrait as a face record (gender, eyes, hair, pose: unspecified).
    pub fn encode(portrait: &FacePortrait) -> Result<Vec<u8>, RecordError> {
        if !portrait.jpeg.starts_with(&[0xFF, 0xD8]) || !portrait.jpeg.ends_with(&[0xFF, 0xD9]) {
            return Err(RecordError::OutOfRange(
                "the portrait is not a complete JPEG file".into(),
            ));
        }
        let data_len = u32::try_from(BLOCKS_LEN + portrait.jpeg.len())
            .map_err(|_| RecordError::OutOfRange("portrait too large".into()))?;
        let total = data_len
            .checked_add(HEADER_LEN as u32)
            .ok_or_else(|| RecordError::OutOfRange("portrait too large".into()))?;
        let mut out = Vec::with_capacity(total as usize);
        out.extend_from_slice(FORMAT_ID);
        out.extend_from_slice(VERSION);
        out.extend_from_slice(&total.to_be_bytes());
        out.extend_from_slice(&1u16.to_be_bytes()); // one facial image
        // Facial information block.
        out.extend_from_slice(&data_len.to_be_bytes());
        out.extend_from_slice(&0u16.to_be_bytes()); // feature points
        out.extend_from_slice(&[0, 0, 0]); // gender, eye colour, hair colour: unspecified
        out.extend_from_slice(&[0, 0, 0]); // feature mask
        out.extend_from_slice(&0u16.to_be_bytes()); // expression unspecified
        out.extend_from_slice(&[0; 6]); // pose angles and uncertainties unspecified
        // Image information block.
        out.push(FULL_FRONTAL);
        out.push(IMAGE_DATA_JPEG);
        out.extend_from_slice(&portrait.width.to_be_bytes());
        out.extend_from_slice(&portrait.height.to_be_bytes());
        out.push(portrait.colour_space);
        out.push(portrait.source.code());
        out.extend_from_slice(&0u16.to_be_bytes()); // device type
        out.extend_from_slice(&0u16.to_be_bytes()); // quality: unspecified (biomdi requires 0)
        out.extend_from_slice(&portrait.jpeg);
        Ok(out)
    }

    /// Reads a one-image face record back; never panics on any input.
    pub fn parse(bytes: &[u8]) -> Result<Self, RecordError> {
        if bytes.len() < HEADER_LEN + BLOCKS_LEN
            || &bytes[0..4] != FORMAT_ID
            || &bytes[4..8] != VERSION
        {
            return Err(RecordError::Malformed(
                "not an ISO 19794-5:2005 record".into(),
            ));
        }
        if read_be(bytes, 8, 4)? != bytes.len() as u64 {
            return Err(RecordError::Malformed(
                "record length does not match".into(),
            ));
        }
        if read_be(bytes, 12, 2)? != 1 {
            return Err(RecordError::Malformed(
                "expected exactly one facial image".into(),
            ));
        }
        let data_len = read_be(bytes, 14, 4)?;
        if data_len != (bytes.len() - HEADER_LEN) as u64 {
            return Err(RecordError::Malformed(
                "facial record data length does not match".into(),
            ));
        }
        let points = read_be(bytes, 18, 2)? as usize;
        let info = HEADER_LEN + 20 + 8 * points;
        if info + 12 > bytes.len() {
            return Err(RecordError::Malformed(
                "feature points run past the record".into(),
            ));
        }
        Ok(Self {
            face_image_type: bytes[info],
            image_data_type: bytes[info + 1],
            width: read_be(bytes, info + 2, 2)? as u16,
            height: read_be(bytes, info + 4, 2)? as u16,
            colour_space: bytes[info + 6],
            source_type: bytes[info + 7],
            image_data: bytes[info + 12..].to_vec(),
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_portrait() {
        let img = RgbImage::from_fn(120, 160, |x, y| image::Rgb([x as u8, y as u8, 200]));
        let portrait = FacePortrait::from_rgb(&img, 90, FaceSource::Camera).unwrap();
        let bytes = FaceImageRecord::encode(&portrait).unwrap();
        let parsed = FaceImageRecord::parse(&bytes).unwrap();
        assert_eq!(
            (parsed.width, parsed.height, parsed.source_type),
            (120, 160, 2)
        );
        let decoded = image::load_from_memory(&parsed.image_data).unwrap();
        assert_eq!((decoded.width(), decoded.height()), (120, 160));
        for cut in [0, 13, 45, bytes.len() - 1] {
            assert!(FaceImageRecord::parse(&bytes[..cut]).is_err());
        }
    }
}
