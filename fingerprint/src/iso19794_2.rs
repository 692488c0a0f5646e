//! ISO/IEC 19794-2:2011 finger minutiae record ("FMR", version "030"): one finger representation per
//! finger, 6-byte minutiae, no extended data. The station writes it into the sealed record as
//! `fingers.iso19794-2` and seals the live finger's in a handover request; the central reads both
//! back to compare them (its intake checks records with its own, independent parser).
//!
//! Layout from `docs/reference/iso19794-records.md` §4 (and §3 for the minutia bytes),
//! the same as NIST's own writer (nbis-python `to_iso_19794_2_2011`) except the resolution, which we
//! state as 197 pixels/cm (500 ppi) where nbis-python writes 99.

use crate::{Minutia, MinutiaKind, Template};

/// Why a minutiae record could not be written or read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RecordError {
    /// A field does not fit its place in the format (too large, out of range, missing).
    #[error("minutiae record field out of range: {0}")]
    OutOfRange(String),
    /// The bytes read back do not follow the format.
    #[error("malformed minutiae record: {0}")]
    Malformed(String),
}

/// Reads a big-endian unsigned integer of `len` bytes (≤ 8) at `at`, or says where the record ended.
fn read_be(bytes: &[u8], at: usize, len: usize) -> Result<u64, RecordError> {
    let end = at
        .checked_add(len)
        .ok_or_else(|| RecordError::Malformed("offset overflow".into()))?;
    let slice = bytes.get(at..end).ok_or_else(|| {
        RecordError::Malformed(format!(
            "record ends at {} before offset {end}",
            bytes.len()
        ))
    })?;
    Ok(slice.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
}

/// Format identifier "FMR\0" (docs/reference/iso19794-records.md §4).
const FORMAT_ID: &[u8; 4] = b"FMR\0";
/// Version "030\0": the 2011 edition (docs/reference/iso19794-records.md §4).
const VERSION: &[u8; 4] = b"030\0";
/// General header: identifier, version, length (4), representation count (2), certification flag.
const GENERAL_HEADER_LEN: usize = 15;
/// Capture date and time "absent": all 0xFF (docs/reference/iso19794-records.md §4).
const NO_CAPTURE_TIME: [u8; 9] = [0xFF; 9];
/// High nibble: 6-byte minutiae (with quality). Low nibble 0: a ridge ending is placed at the
/// valley-skeleton bifurcation point, as MINDTCT places it (and as NIST's writer states).
const MINUTIA_FORMAT: u8 = 0x60;
/// Impression type 0: live-scan plain.
const IMPRESSION_LIVE_SCAN_PLAIN: u8 = 0;
/// Largest coordinate the 14-bit fields hold.
const MAX_COORDINATE: u16 = 0x3FFF;

/// One finger to put in the record.
#[derive(Debug, Clone, Copy)]
pub struct FingerMinutiaeView<'a> {
    /// ISO finger position code (2 = right index, 7 = left index, ...).
    pub position: u8,
    /// Image quality 0..=100, written as the representation's quality block.
    pub quality: u8,
    /// The minutiae.
    pub template: &'a Template,
}

/// One finger read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedFingerMinutiae {
    /// ISO finger position code.
    pub position: u8,
    /// Representation number (0 for the first of a finger).
    pub representation: u8,
    /// The first quality block's score, if any.
    pub quality: Option<u8>,
    /// The minutiae (quality 0 when the record had 5-byte minutiae).
    pub template: Template,
}

/// Encoder and reader of the minutiae record.
#[derive(Debug)]
pub struct FingerMinutiaeRecord;

fn out_of_range(what: &str) -> RecordError {
    RecordError::OutOfRange(what.to_owned())
}

impl FingerMinutiaeRecord {
    /// Encodes one representation per finger, in the order given.
    pub fn encode(fingers: &[FingerMinutiaeView<'_>]) -> Result<Vec<u8>, RecordError> {
        if fingers.is_empty() {
            return Err(out_of_range("a minutiae record needs at least one finger"));
        }
        let count = u16::try_from(fingers.len()).map_err(|_| out_of_range("finger count"))?;
        let mut body = Vec::new();
        let mut numbers: Vec<(u8, u8)> = Vec::new();
        for finger in fingers {
            let t = finger.template;
            if finger.quality > 100 {
                return Err(out_of_range("finger quality above 100"));
            }
            if t.width > MAX_COORDINATE || t.height > MAX_COORDINATE {
                return Err(out_of_range("image side above 16383"));
            }
            let minutiae = u8::try_from(t.minutiae.len())
                .map_err(|_| out_of_range("more than 255 minutiae"))?;
            let number = numbers
                .iter()
                .filter(|(p, _)| *p == finger.position)
                .count();
            let number = u8::try_from(number)
                .ok()
                .filter(|n| *n <= 15)
                .ok_or_else(|| out_of_range("more than 16 representations of one finger"))?;
            numbers.push((finger.position, number));

            let mut rep = Vec::with_capacity(48 + 6 * t.minutiae.len());
            rep.extend_from_slice(&[0; 4]); // length, filled below
            rep.extend_from_slice(&NO_CAPTURE_TIME);
            rep.push(0); // capture device technology: unknown
            rep.extend_from_slice(&0u16.to_be_bytes()); // device vendor: not reported
            rep.extend_from_slice(&0u16.to_be_bytes()); // device type: not reported
            rep.push(1); // one quality block: score, algorithm vendor, algorithm (not registered)
            rep.push(finger.quality);
            rep.extend_from_slice(&0u16.to_be_bytes());
            rep.extend_from_slice(&0u16.to_be_bytes());
            rep.push(finger.position);
            rep.push(number);
            rep.extend_from_slice(&t.resolution_ppcm.to_be_bytes());
            rep.extend_from_slice(&t.resolution_ppcm.to_be_bytes());
            rep.push(IMPRESSION_LIVE_SCAN_PLAIN);
            rep.extend_from_slice(&t.width.to_be_bytes());
            rep.extend_from_slice(&t.height.to_be_bytes());
            rep.push(MINUTIA_FORMAT);
            rep.push(minutiae);
            for m in &t.minutiae {
                if m.x > MAX_COORDINATE || m.y > MAX_COORDINATE || m.quality > 100 {
                    return Err(out_of_range("minutia position or quality"));
                }
                let x = (u16::from(m.kind.iso_code()) << 14) | m.x;
                rep.extend_from_slice(&x.to_be_bytes());
                rep.extend_from_slice(&m.y.to_be_bytes());
                rep.push(m.angle);
                rep.push(m.quality);
            }
            rep.extend_from_slice(&0u16.to_be_bytes()); // no extended data
            let len = u32::try_from(rep.len()).map_err(|_| out_of_range("representation"))?;
            rep[..4].copy_from_slice(&len.to_be_bytes());
            body.extend_from_slice(&rep);
        }
        let total = u32::try_from(GENERAL_HEADER_LEN + body.len())
            .map_err(|_| out_of_range("record length"))?;
        let mut out = Vec::with_capacity(total as usize);
        out.extend_from_slice(FORMAT_ID);
        out.extend_from_slice(VERSION);
        out.extend_from_slice(&total.to_be_bytes());
        out.extend_from_slice(&count.to_be_bytes());
        out.push(0); // no certification blocks
        out.extend_from_slice(&body);
        Ok(out)
    }

    /// Reads a whole record back: every length checked, nothing trailing, 5- or 6-byte minutiae,
    /// extended data skipped.
    pub fn parse(bytes: &[u8]) -> Result<Vec<ParsedFingerMinutiae>, RecordError> {
        let malformed = |what: String| RecordError::Malformed(what);
        if bytes.get(..4) != Some(FORMAT_ID.as_slice()) {
            return Err(malformed("format identifier is not FMR\\0".into()));
        }
        if bytes.get(4..8) != Some(VERSION.as_slice()) {
            return Err(malformed(
                "version is not 030 (ISO/IEC 19794-2:2011)".into(),
            ));
        }
        let total = read_be(bytes, 8, 4)? as usize;
        if total != bytes.len() {
            return Err(malformed(format!(
                "record length says {total}, the record has {} bytes",
                bytes.len()
            )));
        }
        let count = read_be(bytes, 12, 2)? as usize;
        let certified = read_be(bytes, 14, 1)?;
        if count == 0 || certified > 1 {
            return Err(malformed(
                "no representation, or a certification flag other than 0/1".into(),
            ));
        }
        let mut at = GENERAL_HEADER_LEN;
        let mut fingers = Vec::with_capacity(count.min(16));
        for index in 0..count {
            let rep_len = read_be(bytes, at, 4)? as usize;
            let end = at
                .checked_add(rep_len)
                .filter(|end| *end <= bytes.len() && rep_len >= 4)
                .ok_or_else(|| malformed(format!("representation {index} runs past the end")))?;
            let rep = &bytes[..end];
            let mut p = at + 4 + 9 + 1 + 2 + 2;
            let quality_blocks = read_be(rep, p, 1)? as usize;
            let quality = if quality_blocks > 0 {
                Some(read_be(rep, p + 1, 1)? as u8)
            } else {
                None
            };
            p += 1 + 5 * quality_blocks;
            if certified == 1 {
                let blocks = read_be(rep, p, 1)? as usize;
                p += 1 + 3 * blocks;
            }
            let position = read_be(rep, p, 1)? as u8;
            let representation = read_be(rep, p + 1, 1)? as u8;
            let resolution_ppcm = read_be(rep, p + 2, 2)? as u16;
            let width = read_be(rep, p + 7, 2)? as u16;
            let height = read_be(rep, p + 9, 2)? as u16;
            let format = read_be(rep, p + 11, 1)? as u8;
            let minutia_len = match format >> 4 {
                5 => 5,
                6 => 6,
                other => {
                    return Err(malformed(format!("minutia field length {other}")));
                }
            };
            let n = read_be(rep, p + 12, 1)? as usize;
            p += 13;
            let mut minutiae = Vec::with_capacity(n);
            for _ in 0..n {
                let xw = read_be(rep, p, 2)? as u16;
                let yw = read_be(rep, p + 2, 2)? as u16;
                let angle = read_be(rep, p + 4, 1)? as u8;
                let quality = if minutia_len == 6 {
                    read_be(rep, p + 5, 1)? as u8
                } else {
                    0
                };
                let kind = MinutiaKind::from_iso_code((xw >> 14) as u8)
                    .ok_or_else(|| malformed("minutia type 3 (reserved)".into()))?;
                let (x, y) = (xw & MAX_COORDINATE, yw & MAX_COORDINATE);
                if (width > 0 && x >= width) || (height > 0 && y >= height) {
                    return Err(malformed(format!(
                        "minutia at ({x}, {y}) outside the {width}x{height} image"
                    )));
                }
                minutiae.push(Minutia {
                    x,
                    y,
                    angle,
                    kind,
                    // 254 "not computed" and 255 "failed" carry no reliability.
                    quality: if quality > 100 { 0 } else { quality },
                });
                p += minutia_len;
            }
            let extended = read_be(rep, p, 2)? as usize;
            p += 2;
            if extended > 0 {
                p = p
                    .checked_add(extended)
                    .ok_or_else(|| malformed("extended data length".into()))?;
            }
            if p != end {
                return Err(malformed(format!(
                    "representation {index}: length says {rep_len}, the fields take {}",
                    p - at
                )));
            }
            fingers.push(ParsedFingerMinutiae {
                position,
                representation,
                quality,
                template: Template {
                    width,
                    height,
                    resolution_ppcm,
                    minutiae,
                },
            });
            at = end;
        }
        if at != bytes.len() {
            return Err(malformed(format!(
                "{} bytes after the last representation",
                bytes.len() - at
            )));
        }
        Ok(fingers)
    }
}

/// One finger image whose minutiae go into the record.
#[derive(Debug, Clone, Copy)]
pub struct FingerImageForMinutiae<'a> {
    /// ISO finger position code.
    pub position: u8,
    /// Image quality 0..=100.
    pub quality: u8,
    /// The 8-bit, 500 ppi image.
    pub image: &'a image::GrayImage,
}

impl FingerMinutiaeRecord {
    /// Extracts each image's minutiae and encodes the record (what enrolment does at confirm);
    /// `None` when no image yields a template. An image too small for minutiae is left out of this
    /// record (it stays in the image record) and logged. The templates are wiped when this returns.
    pub fn encode_images(
        images: &[FingerImageForMinutiae<'_>],
    ) -> Result<Option<Vec<u8>>, RecordError> {
        let mut kept = Vec::with_capacity(images.len());
        for finger in images {
            match crate::extract_image(finger.image) {
                Ok(template) => kept.push((finger.position, finger.quality, template)),
                Err(error) => {
                    tracing::warn!(position = finger.position, %error,
                        "no minutiae for this finger in the record");
                }
            }
        }
        if kept.is_empty() {
            return Ok(None);
        }
        let views: Vec<FingerMinutiaeView<'_>> = kept
            .iter()
            .map(|(position, quality, template)| FingerMinutiaeView {
                position: *position,
                quality: *quality,
                template,
            })
            .collect();
        Self::encode(&views).map(Some)
    }
}
