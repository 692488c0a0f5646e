//! An independent reader of ISO/IEC 19794-4:2005 finger image records, written from the byte
//! layout in docs/reference/iso19794-records.md §1 (not from the station's encoder).

/// Length of the general header.
pub const GENERAL_HEADER_LENGTH: usize = 32;
/// Length of a finger image (view) header.
pub const VIEW_HEADER_LENGTH: usize = 14;
/// Image compression code for PNG.
pub const COMPRESSION_PNG: u8 = 5;
const PNG_SIGNATURE: &[u8; 8] = b"\x89PNG\r\n\x1a\n";

/// The general header.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FingerImageRecord {
    /// Capture device id (low 12 bits).
    pub capture_device_id: u16,
    /// Image acquisition level.
    pub acquisition_level: u16,
    /// 1 = pixels per inch, 2 = pixels per cm.
    pub scale_units: u8,
    /// Scan resolution x, y.
    pub scan_resolution: (u16, u16),
    /// Image resolution x, y.
    pub image_resolution: (u16, u16),
    /// Bits per pixel.
    pub pixel_depth: u8,
    /// Compression code for all views.
    pub compression: u8,
    /// The views, in order.
    pub views: Vec<FingerView>,
}

/// One finger image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FingerView {
    /// Finger/palm position code.
    pub position: u8,
    /// Views of this position in the record.
    pub view_count: u8,
    /// 1-based view number.
    pub view_number: u8,
    /// 0..=100, or 254 (undefined).
    pub quality: u8,
    /// Impression type code.
    pub impression_type: u8,
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
    /// The encoded image (a PNG stream for compression 5), wiped when dropped (a copy of the opened
    /// payload).
    pub image: zeroize::Zeroizing<Vec<u8>>,
}

/// Why a finger image record was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ISO/IEC 19794-4 record: {0}")]
pub struct FingerRecordError(pub String);

fn fail<T>(text: impl Into<String>) -> Result<T, FingerRecordError> {
    Err(FingerRecordError(text.into()))
}

fn u16_at(b: &[u8], at: usize) -> u16 {
    u16::from_be_bytes([b[at], b[at + 1]])
}

fn u32_at(b: &[u8], at: usize) -> u32 {
    u32::from_be_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]])
}

/// Position codes valid in part 4 (docs/reference/iso19794-records.md §1: 0..=10, 13..=15, 20..=36;
/// 11 and 12 refused).
pub fn is_valid_position(code: u8) -> bool {
    matches!(code, 0..=10 | 13..=15 | 20..=36)
}

/// Parses and checks a whole record: every length must agree and nothing may follow it.
pub fn parse(bytes: &[u8]) -> Result<FingerImageRecord, FingerRecordError> {
    if bytes.len() < GENERAL_HEADER_LENGTH {
        return fail(format!(
            "{} bytes, shorter than the 32-byte header",
            bytes.len()
        ));
    }
    if &bytes[0..4] != b"FIR\0" {
        return fail("format identifier is not FIR\\0");
    }
    if &bytes[4..8] != b"010\0" {
        return fail("version is not 010\\0");
    }
    // 6-byte record length (docs/reference/iso19794-records.md §1, "6 bytes, not 4").
    let length = bytes[8..14]
        .iter()
        .fold(0u64, |acc, b| (acc << 8) | u64::from(*b));
    if length != bytes.len() as u64 {
        return fail(format!(
            "record length field says {length}, the record has {} bytes",
            bytes.len()
        ));
    }
    let capture_device_id = u16_at(bytes, 14) & 0x0FFF;
    let acquisition_level = u16_at(bytes, 16);
    if !matches!(acquisition_level, 10 | 20 | 30 | 31 | 35 | 40 | 41) {
        return fail(format!(
            "image acquisition level {acquisition_level} is not defined"
        ));
    }
    let image_count = bytes[18];
    if image_count == 0 {
        return fail("number of finger images is 0");
    }
    let scale_units = bytes[19];
    if !matches!(scale_units, 1 | 2) {
        return fail(format!("scale units {scale_units} (1 = ppi, 2 = ppcm)"));
    }
    let scan_resolution = (u16_at(bytes, 20), u16_at(bytes, 22));
    let image_resolution = (u16_at(bytes, 24), u16_at(bytes, 26));
    for (name, value) in [
        ("scan resolution x", scan_resolution.0),
        ("scan resolution y", scan_resolution.1),
        ("image resolution x", image_resolution.0),
        ("image resolution y", image_resolution.1),
    ] {
        if value == 0 || value > 1000 {
            return fail(format!("{name} {value} outside 1..=1000"));
        }
    }
    if image_resolution.0 > scan_resolution.0 || image_resolution.1 > scan_resolution.1 {
        return fail("image resolution exceeds scan resolution");
    }
    let pixel_depth = bytes[28];
    if !(1..=16).contains(&pixel_depth) {
        return fail(format!("pixel depth {pixel_depth} outside 1..=16"));
    }
    let compression = bytes[29];
    if compression > 5 {
        return fail(format!("compression code {compression} is not defined"));
    }
    if u16_at(bytes, 30) != 0 {
        return fail("reserved header bytes are not 0");
    }

    let mut views = Vec::with_capacity(usize::from(image_count));
    let mut at = GENERAL_HEADER_LENGTH;
    for index in 0..image_count {
        let view = parse_view(bytes, at, index, compression, pixel_depth)?;
        at += VIEW_HEADER_LENGTH + view.image.len();
        views.push(view);
    }
    if at != bytes.len() {
        return fail(format!("{} bytes after the last view", bytes.len() - at));
    }
    for view in &views {
        let same = views.iter().filter(|v| v.position == view.position).count();
        if usize::from(view.view_count) != same {
            return fail(format!(
                "position {} says {} views, the record holds {same}",
                view.position, view.view_count
            ));
        }
        let duplicates = views
            .iter()
            .filter(|v| v.position == view.position && v.view_number == view.view_number)
            .count();
        if duplicates != 1 {
            return fail(format!(
                "position {} view {} appears {duplicates} times",
                view.position, view.view_number
            ));
        }
    }
    Ok(FingerImageRecord {
        capture_device_id,
        acquisition_level,
        scale_units,
        scan_resolution,
        image_resolution,
        pixel_depth,
        compression,
        views,
    })
}

fn parse_view(
    bytes: &[u8],
    at: usize,
    index: u8,
    compression: u8,
    pixel_depth: u8,
) -> Result<FingerView, FingerRecordError> {
    let remaining = bytes.len() - at;
    if remaining < VIEW_HEADER_LENGTH {
        return fail(format!(
            "view {index}: {remaining} bytes left, a view header needs 14"
        ));
    }
    let h = &bytes[at..at + VIEW_HEADER_LENGTH];
    let length = u32_at(h, 0) as usize;
    if length <= VIEW_HEADER_LENGTH || length > remaining {
        return fail(format!(
            "view {index}: view length {length} outside 15..={remaining}"
        ));
    }
    let position = h[4];
    if !is_valid_position(position) {
        return fail(format!(
            "view {index}: finger position {position} is not defined"
        ));
    }
    let view_count = h[5];
    let view_number = h[6];
    if view_count == 0 || view_number == 0 || view_number > view_count {
        return fail(format!(
            "view {index}: view number {view_number} of {view_count} (1-based)"
        ));
    }
    let quality = h[7];
    if quality > 100 && quality != 254 {
        return fail(format!(
            "view {index}: quality {quality} outside 0..=100 or 254"
        ));
    }
    let impression_type = h[8];
    if !matches!(impression_type, 0 | 1 | 2 | 3 | 7 | 8 | 9) {
        return fail(format!(
            "view {index}: impression type {impression_type} is not defined"
        ));
    }
    let width = u16_at(h, 9);
    let height = u16_at(h, 11);
    if width == 0 || height == 0 {
        return fail(format!("view {index}: image is {width}x{height}"));
    }
    if h[13] != 0 {
        return fail(format!("view {index}: reserved byte is not 0"));
    }
    let image = &bytes[at + VIEW_HEADER_LENGTH..at + length];
    match compression {
        0 => {
            let expected =
                usize::from(width) * usize::from(height) * usize::from(pixel_depth.div_ceil(8));
            if image.len() != expected {
                return fail(format!(
                    "view {index}: {} uncompressed bytes, {width}x{height} needs {expected}",
                    image.len()
                ));
            }
        }
        COMPRESSION_PNG => check_png(image, width, height)
            .map_err(|e| FingerRecordError(format!("view {index}: {e}")))?,
        _ => {}
    }
    Ok(FingerView {
        position,
        view_count,
        view_number,
        quality,
        impression_type,
        width,
        height,
        image: zeroize::Zeroizing::new(image.to_vec()),
    })
}

/// Checks that `image` is a PNG stream whose IHDR gives `width`×`height`.
fn check_png(image: &[u8], width: u16, height: u16) -> Result<(), String> {
    // Signature (8), then the IHDR chunk: length (4) = 13, type "IHDR", width (4), height (4).
    if image.len() < 8 + 8 + 13 + 4 || &image[0..8] != PNG_SIGNATURE {
        return Err("image data is not a PNG stream".into());
    }
    if u32_at(image, 8) != 13 || &image[12..16] != b"IHDR" {
        return Err("PNG does not start with an IHDR chunk".into());
    }
    let png_width = u32_at(image, 16);
    let png_height = u32_at(image, 20);
    if png_width != u32::from(width) || png_height != u32::from(height) {
        return Err(format!(
            "PNG is {png_width}x{png_height}, the view header says {width}x{height}"
        ));
    }
    if !image.ends_with(b"IEND\xaeB`\x82") {
        return Err("PNG stream does not end with IEND".into());
    }
    Ok(())
}
