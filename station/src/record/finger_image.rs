//! ISO/IEC 19794-4:2005 finger image record ("FIR"), one lossless PNG per view, 500 ppi.
//!
//! Layout from `docs/reference/iso19794-records.md` §1: a 32-byte general header (6-byte
//! record length), then per view a 14-byte header and the complete PNG file.

use image::{GrayImage, ImageEncoder, codecs::png::PngEncoder};

use super::{RecordError, read_be};

/// Format identifier "FIR\0" (docs/reference/iso19794-records.md §1).
const FORMAT_ID: &[u8; 4] = b"FIR\0";
/// Version "010\0" (docs/reference/iso19794-records.md §1).
const VERSION: &[u8; 4] = b"010\0";
/// General header length (biomdi `FIR_ISO_HEADER_LENGTH`, docs/reference/iso19794-records.md §1).
const GENERAL_HEADER_LEN: usize = 32;
/// View header length (biomdi `FIVR_HEADER_LENGTH`, docs/reference/iso19794-records.md §1).
const VIEW_HEADER_LEN: usize = 14;
/// Image acquisition level 31: what the BSI sample uses for 500 ppi, 8-bit
/// (docs/reference/iso19794-records.md §1).
const ACQUISITION_LEVEL: u16 = 31;
/// Scale units: 1 = pixels per inch.
const SCALE_PPI: u8 = 1;
/// Our sensors are 500 ppi.
pub const RESOLUTION_PPI: u16 = 500;
/// Compression code 5 = PNG (docs/reference/iso19794-records.md §1).
pub const COMPRESSION_PNG: u8 = 5;

/// How the finger was presented (docs/reference/iso19794-records.md §1, impression type).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FingerImpression {
    /// Live-scan plain (flat) impression: what the counter's sensor takes.
    LiveScanPlain,
    /// Live-scan rolled impression.
    LiveScanRolled,
}

impl FingerImpression {
    /// The ISO code.
    pub fn code(self) -> u8 {
        match self {
            Self::LiveScanPlain => 0,
            Self::LiveScanRolled => 1,
        }
    }
}

/// One finger image to put in the record.
#[derive(Debug, Clone)]
pub struct FingerView<'a> {
    /// ISO finger position code (2 = right index, 7 = left index, ...).
    pub position: u8,
    /// Image quality 0..=100.
    pub quality: u8,
    /// How the finger was presented.
    pub impression: FingerImpression,
    /// The 8-bit, 500 ppi image.
    pub image: &'a GrayImage,
}

/// One view as read back from a record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFingerView {
    /// ISO finger position code.
    pub position: u8,
    /// How many views of this position the record holds.
    pub view_count: u8,
    /// 1-based view number.
    pub view_number: u8,
    /// Image quality.
    pub quality: u8,
    /// Impression type code.
    pub impression: u8,
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
    /// The embedded image file (PNG).
    pub image_data: Vec<u8>,
}

/// A finger image record as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FingerImageRecord {
    /// Image acquisition level.
    pub acquisition_level: u16,
    /// Scan resolution (x, y) in pixels per inch.
    pub scan_resolution: (u16, u16),
    /// Image resolution (x, y) in pixels per inch.
    pub image_resolution: (u16, u16),
    /// Bits per pixel.
    pub pixel_depth: u8,
    /// Compression algorithm code (5 = PNG).
    pub compression: u8,
    /// The views, in record order.
    pub views: Vec<ParsedFingerView>,
}

impl FingerImageRecord {
    /// Encodes views into one record. Positions must be ISO codes 0..=10 or 13..=15; quality ≤ 100.
    pub fn encode(views: &[FingerView<'_>]) -> Result<Vec<u8>, RecordError> {
        if views.is_empty() || views.len() > usize::from(u8::MAX) {
            return Err(RecordError::OutOfRange(format!(
                "{} finger views",
                views.len()
            )));
        }
        let mut body = Vec::new();
        for (index, view) in views.iter().enumerate() {
            if !matches!(view.position, 0..=10 | 13..=15) {
                return Err(RecordError::OutOfRange(format!(
                    "finger position {}",
                    view.position
                )));
            }
            if view.quality > 100 {
                return Err(RecordError::OutOfRange(format!(
                    "finger quality {}",
                    view.quality
                )));
            }
            let (width, height) = view.image.dimensions();
            let (Ok(w16), Ok(h16)) = (u16::try_from(width), u16::try_from(height)) else {
                return Err(RecordError::OutOfRange(format!(
                    "finger image {width}×{height}"
                )));
            };
            let mut png = Vec::new();
            PngEncoder::new(&mut png)
                .write_image(
                    view.image.as_raw(),
                    width,
                    height,
                    image::ExtendedColorType::L8,
                )
                .map_err(|e| RecordError::ImageEncoding(e.to_string()))?;
            let same_position = |v: &&FingerView<'_>| v.position == view.position;
            let count = views.iter().filter(same_position).count();
            let number = views[..=index].iter().filter(same_position).count();
            let view_len = u32::try_from(VIEW_HEADER_LEN + png.len())
                .map_err(|_| RecordError::OutOfRange("finger view too large".into()))?;
            body.extend_from_slice(&view_len.to_be_bytes());
            body.push(view.position);
            body.push(u8::try_from(count).unwrap_or(u8::MAX));
            body.push(u8::try_from(number).unwrap_or(u8::MAX));
            body.push(view.quality);
            body.push(view.impression.code());
            body.extend_from_slice(&w16.to_be_bytes());
            body.extend_from_slice(&h16.to_be_bytes());
            body.push(0);
            body.extend_from_slice(&png);
        }
        let total = (GENERAL_HEADER_LEN + body.len()) as u64;
        if total >= 1 << 48 {
            return Err(RecordError::OutOfRange("finger record too large".into()));
        }
        let mut out = Vec::with_capacity(GENERAL_HEADER_LEN + body.len());
        out.extend_from_slice(FORMAT_ID);
        out.extend_from_slice(VERSION);
        out.extend_from_slice(&total.to_be_bytes()[2..8]);
        out.extend_from_slice(&0u16.to_be_bytes()); // capture device ID: not reported
        out.extend_from_slice(&ACQUISITION_LEVEL.to_be_bytes());
        out.push(u8::try_from(views.len()).unwrap_or(u8::MAX));
        out.push(SCALE_PPI);
        for _ in 0..4 {
            out.extend_from_slice(&RESOLUTION_PPI.to_be_bytes());
        }
        out.push(8); // pixel depth
        out.push(COMPRESSION_PNG);
        out.extend_from_slice(&[0, 0]); // reserved
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Reads a record back, checking every length; never panics on any input.
    pub fn parse(bytes: &[u8]) -> Result<Self, RecordError> {
        if bytes.len() < GENERAL_HEADER_LEN || &bytes[0..4] != FORMAT_ID || &bytes[4..8] != VERSION
        {
            return Err(RecordError::Malformed(
                "not an ISO 19794-4:2005 record".into(),
            ));
        }
        let total = read_be(bytes, 8, 6)?;
        if total != bytes.len() as u64 {
            return Err(RecordError::Malformed(format!(
                "record length {total} but {} bytes",
                bytes.len()
            )));
        }
        let count = bytes[18];
        if count == 0 {
            return Err(RecordError::Malformed("no finger view".into()));
        }
        if bytes[30] != 0 || bytes[31] != 0 {
            return Err(RecordError::Malformed("reserved bytes not zero".into()));
        }
        let mut views = Vec::new();
        let mut at = GENERAL_HEADER_LEN;
        for _ in 0..count {
            let len = usize::try_from(read_be(bytes, at, 4)?)
                .map_err(|_| RecordError::Malformed("view length".into()))?;
            if len < VIEW_HEADER_LEN || len > bytes.len() - at {
                return Err(RecordError::Malformed(format!("view length {len} at {at}")));
            }
            let view = &bytes[at..at + len];
            views.push(ParsedFingerView {
                position: view[4],
                view_count: view[5],
                view_number: view[6],
                quality: view[7],
                impression: view[8],
                width: read_be(view, 9, 2)? as u16,
                height: read_be(view, 11, 2)? as u16,
                image_data: view[VIEW_HEADER_LEN..].to_vec(),
            });
            at += len;
        }
        if at != bytes.len() {
            return Err(RecordError::Malformed(format!(
                "{} bytes after the last view",
                bytes.len() - at
            )));
        }
        Ok(Self {
            acquisition_level: read_be(bytes, 16, 2)? as u16,
            scan_resolution: (read_be(bytes, 20, 2)? as u16, read_be(bytes, 22, 2)? as u16),
            image_resolution: (read_be(bytes, 24, 2)? as u16, read_be(bytes, 26, 2)? as u16),
            pixel_depth: bytes[28],
            compression: bytes[29],
            views,
        })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_two_fingers() {
        let a = GrayImage::from_fn(192, 192, |x, y| {
            image::Luma([((x * 7 + y * 3) % 256) as u8])
        });
        let b = GrayImage::from_fn(256, 288, |x, y| image::Luma([((x ^ y) % 256) as u8]));
        let views = [
            FingerView {
                position: 2,
                quality: 61,
                impression: FingerImpression::LiveScanPlain,
                image: &a,
            },
            FingerView {
                position: 7,
                quality: 48,
                impression: FingerImpression::LiveScanPlain,
                image: &b,
            },
        ];
        let bytes = FingerImageRecord::encode(&views).unwrap();
        let parsed = FingerImageRecord::parse(&bytes).unwrap();
        assert_eq!(parsed.views.len(), 2);
        assert_eq!(
            (
                parsed.views[1].position,
                parsed.views[1].width,
                parsed.views[1].height
            ),
            (7, 256, 288)
        );
        assert_eq!(
            (parsed.views[0].view_count, parsed.views[0].view_number),
            (1, 1)
        );
        let png = image::load_from_memory(&parsed.views[1].image_data)
            .unwrap()
            .to_luma8();
        assert_eq!(png, b);
        for cut in [0, 10, 31, 40, bytes.len() - 1] {
            assert!(FingerImageRecord::parse(&bytes[..cut]).is_err());
        }
    }
}
