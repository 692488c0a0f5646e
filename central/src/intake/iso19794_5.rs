//! An independent reader of ISO/IEC 19794-5:2005 face image records, written from the byte layout
//! in docs/reference/iso19794-records.md §2.

/// Length of the record header.
pub const HEADER_LENGTH: usize = 14;
/// Facial information block (20) + image information block (12).
const FIXED_BLOCKS: usize = 32;

/// A face record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaceRecord {
    /// The facial images, in order.
    pub images: Vec<FaceImage>,
}

/// One facial image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FaceImage {
    /// Number of feature points.
    pub feature_points: u16,
    /// Face image type (0 basic, 1 full frontal, 2 token frontal).
    pub face_image_type: u8,
    /// 0 JPEG, 1 JPEG 2000.
    pub image_data_type: u8,
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
    /// The encoded image, wiped when dropped (a copy of the opened payload).
    pub image: zeroize::Zeroizing<Vec<u8>>,
}

/// Why a face record was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ISO/IEC 19794-5 record: {0}")]
pub struct FaceRecordError(pub String);

fn fail<T>(text: impl Into<String>) -> Result<T, FaceRecordError> {
    Err(FaceRecordError(text.into()))
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Parses and checks a whole record: every length must agree and nothing may follow it.
pub fn parse(bytes: &[u8]) -> Result<FaceRecord, FaceRecordError> {
    if bytes.len() < HEADER_LENGTH {
        return fail(format!(
            "{} bytes, shorter than the 14-byte header",
            bytes.len()
        ));
    }
    if &bytes[0..4] != b"FAC\0" {
        return fail("format identifier is not FAC\\0");
    }
    if &bytes[4..8] != b"010\0" {
        return fail("version is not 010\\0");
    }
    let length = u32_at(bytes, 8) as usize;
    if length != bytes.len() {
        return fail(format!(
            "record length field says {length}, the record has {} bytes",
            bytes.len()
        ));
    }
    let count = u16_at(bytes, 12);
    if count == 0 {
        return fail("number of facial images is 0");
    }
    let mut images = Vec::with_capacity(usize::from(count.min(16)));
    let mut at = HEADER_LENGTH;
    for index in 0..count {
        let (image, used) = parse_image(bytes, at, index)?;
        at += used;
        images.push(image);
    }
    if at != bytes.len() {
        return fail(format!("{} bytes after the last image", bytes.len() - at));
    }
    Ok(FaceRecord { images })
}

fn parse_image(bytes: &[u8], at: usize, index: u16) -> Result<(FaceImage, usize), FaceRecordError> {
    let remaining = bytes.len() - at;
    if remaining < FIXED_BLOCKS {
        return fail(format!(
            "image {index}: {remaining} bytes left, needs at least 32"
        ));
    }
    let block = &bytes[at..];
    let length = u32_at(block, 0) as usize;
    let points = u16_at(block, 4);
    let minimum = FIXED_BLOCKS + 8 * usize::from(points);
    if length <= minimum || length > remaining {
        return fail(format!(
            "image {index}: data length {length} outside {}..={remaining}",
            minimum + 1
        ));
    }
    let gender = block[6];
    if !matches!(gender, 0 | 1 | 2 | 3 | 0xFF) {
        return fail(format!(
            "image {index}: gender code {gender} is not defined"
        ));
    }
    let feature_mask = u32::from_be_bytes([0, block[9], block[10], block[11]]);
    if feature_mask & 0xFF_F800 != 0 {
        return fail(format!("image {index}: reserved feature-mask bits set"));
    }
    let expression = u16_at(block, 12);
    if expression > 7 && expression < 0x8000 {
        return fail(format!(
            "image {index}: expression {expression} is not defined"
        ));
    }
    for (name, code) in [
        ("yaw", block[14]),
        ("pitch", block[15]),
        ("roll", block[16]),
        ("yaw uncertainty", block[17]),
        ("pitch uncertainty", block[18]),
        ("roll uncertainty", block[19]),
    ] {
        if code > 181 {
            return fail(format!(
                "image {index}: pose {name} code {code} outside 0..=181"
            ));
        }
    }
    for p in 0..usize::from(points) {
        let point = &block[20 + 8 * p..28 + 8 * p];
        if point[0] != 1 {
            return fail(format!(
                "image {index}: feature point {p} type {} (1 = 2-D)",
                point[0]
            ));
        }
    }
    let info = &block[20 + 8 * usize::from(points)..minimum];
    let face_image_type = info[0];
    if face_image_type > 2 {
        return fail(format!("image {index}: face image type {face_image_type}"));
    }
    let image_data_type = info[1];
    let width = u16_at(info, 2);
    let height = u16_at(info, 4);
    if width == 0 || height == 0 {
        return fail(format!("image {index}: image is {width}x{height}"));
    }
    if info[6] > 4 {
        return fail(format!("image {index}: colour space {}", info[6]));
    }
    if info[7] > 7 {
        return fail(format!("image {index}: source type {}", info[7]));
    }
    let image = &block[minimum..length];
    match image_data_type {
        0 => {
            if !(image.starts_with(&[0xFF, 0xD8]) && image.ends_with(&[0xFF, 0xD9])) {
                return fail(format!("image {index}: not a complete JPEG (FFD8 .. FFD9)"));
            }
        }
        1 => {
            let jp2 = image.starts_with(&[0, 0, 0, 0x0C, b'j', b'P', b' ', b' ']);
            let codestream = image.starts_with(&[0xFF, 0x4F, 0xFF, 0x51]);
            if !(jp2 || codestream) {
                return fail(format!("image {index}: not a JPEG 2000 file"));
            }
        }
        other => return fail(format!("image {index}: image data type {other}")),
    }
    Ok((
        FaceImage {
            feature_points: points,
            face_image_type,
            image_data_type,
            width,
            height,
            image: zeroize::Zeroizing::new(image.to_vec()),
        },
        length,
    ))
}
