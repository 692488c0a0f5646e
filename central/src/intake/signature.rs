//! The applicant's signature in a payload: the manifest's `signature` entry agrees with the
//! payload's `signature.iso19794-7` (read with the same reader the station's writer is tested
//! against, `wire::signature`) and `signature.png`, and what was drawn passes the rules a station
//! applies before the clerk may validate it.

use super::images;
use super::manifest::{Manifest, UNDER_12};
use super::payload::PayloadError;
use wire::signature::manifest_entry::SIGNATURE_UNDER_12;

/// Largest side of the signature picture: the station draws 500 × 200; a picture four times that
/// is not one a station drew.
pub const MAX_SIGNATURE_SIDE: u16 = 2000;

fn fail<T>(text: impl Into<String>) -> Result<T, PayloadError> {
    Err(PayloadError(text.into()))
}

/// Checks the signature's entries against the manifest. `record` and `png` are the payload's
/// entries, if present.
pub fn check(m: &Manifest, record: Option<&[u8]>, png: Option<&[u8]>) -> Result<(), PayloadError> {
    let Some(entry) = &m.signature else {
        // Records sealed before the station took a signature have neither the entry nor the files.
        if record.is_some() || png.is_some() {
            return fail("the payload has a signature but the manifest has no signature entry");
        }
        return Ok(());
    };
    entry
        .check()
        .map_err(|e| PayloadError(format!("manifest signature: {e}")))?;
    let under_12 = m.exemption.as_deref() == Some(UNDER_12);
    if !entry.is_signed() {
        if record.is_some() || png.is_some() {
            return fail(
                "the manifest says the applicant did not sign but the payload has a signature",
            );
        }
        if entry.exemption.as_deref() == Some(SIGNATURE_UNDER_12) && !under_12 {
            return fail(
                "the signature is waived as under 12 but the applicant is not exempt as under 12",
            );
        }
        return Ok(());
    }
    if under_12 {
        return fail("an applicant under 12 does not sign, but the record has a signature");
    }
    let (Some(record), Some(png)) = (record, png) else {
        return fail(
            "the manifest lists a signature but the payload lacks signature.iso19794-7 or signature.png",
        );
    };
    let parsed = wire::signature::parse(record).map_err(|e| PayloadError(e.to_string()))?;
    let count = |n: usize| u32::try_from(n).ok();
    if entry.points != count(parsed.points)
        || entry.strokes != count(parsed.signature.strokes.len())
        || entry.pressure != Some(parsed.pressure)
    {
        return fail(format!(
            "the manifest's signature ({:?} points, {:?} strokes, pressure {:?}) differs from its \
             ISO/IEC 19794-7 record ({} points, {} strokes, pressure {})",
            entry.points,
            entry.strokes,
            entry.pressure,
            parsed.points,
            parsed.signature.strokes.len(),
            parsed.pressure
        ));
    }
    if let Err(refusal) = wire::signature::assess(&parsed.signature) {
        return fail(format!(
            "the signature is not one a station accepts: {}",
            refusal.as_str()
        ));
    }
    check_image(png)
}

/// The picture: a whole greyscale PNG of a sane size, with ink on it.
fn check_image(png: &[u8]) -> Result<(), PayloadError> {
    // IHDR is the first chunk: the 8-byte signature, its length and name, then width and height.
    let side = |at: usize| {
        png.get(at..at + 4)
            .map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    };
    let (Some(width), Some(height)) = (side(16), side(20)) else {
        return fail("signature.png: too short to be a PNG");
    };
    if !png.starts_with(b"\x89PNG\r\n\x1a\n") || png.get(12..16) != Some(b"IHDR".as_slice()) {
        return fail("signature.png: not a PNG");
    }
    let (Ok(width), Ok(height)) = (u16::try_from(width), u16::try_from(height)) else {
        return fail(format!("signature.png: {width}x{height} pixels"));
    };
    images::check_stated_size(width, height, MAX_SIGNATURE_SIDE)
        .map_err(|e| PayloadError(format!("signature.png: {e}")))?;
    let decoded = images::decode(png, image::ImageFormat::Png, width, height)
        .map_err(|e| PayloadError(format!("signature.png: {e}")))?;
    if decoded.color != image::ColorType::L8 {
        return fail(format!(
            "signature.png is {:?}, expected 8-bit greyscale",
            decoded.color
        ));
    }
    // Within the size checked above: decoding again for the pixels is bounded.
    let pixels = image::load_from_memory_with_format(png, image::ImageFormat::Png)
        .map_err(|e| PayloadError(format!("signature.png: {e}")))?
        .into_luma8();
    let inked = pixels.pixels().filter(|p| p.0[0] < 128).count();
    if inked == 0 {
        return fail("signature.png is blank");
    }
    Ok(())
}
