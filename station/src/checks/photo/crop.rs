//! The 35×45 mm portrait cut out of the camera frame: the face (chin to top of the head) must measure
//! 32–36 mm of the 45 mm height (docs/reference/counter-workflow.md, "Photo"), centred left to
//! right, with the top of the head a few millimetres under the top edge.

use image::RgbImage;

use super::report::FaceGeometry;

/// Portrait size in millimetres (docs/reference/counter-workflow.md: 35×45 mm).
pub const PORTRAIT_MM: (f32, f32) = (35.0, 45.0);
/// Face height range, chin to top of the skull, in millimetres (docs/reference/counter-workflow.md:
/// 32–36 mm).
pub const FACE_MM: (f32, f32) = (32.0, 36.0);
/// Space above the head, millimetres: what ID photo booths leave (3–6 mm).
const TOP_MARGIN_MM: (f32, f32) = (3.0, 6.0);
/// Output size: 35×45 mm at 300 dpi.
pub const PORTRAIT_PIXELS: (u32, u32) = (413, 531);

/// A crop rectangle in frame pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CropBox {
    /// Left edge.
    pub x: f32,
    /// Top edge.
    pub y: f32,
    /// Width (35 mm).
    pub width: f32,
    /// Height (45 mm).
    pub height: f32,
    /// The face height this crop gives, millimetres.
    pub face_mm: f32,
}

/// The best 35×45 crop for a face in a `width × height` frame and its margin to the frame's edges in
/// millimetres of the printed photo (negative: the crop sticks out of the frame by that much).
pub fn best_crop(face: &FaceGeometry, width: u32, height: u32) -> (CropBox, f32) {
    let (w, h) = (width as f32, height as f32);
    let head = (face.chin_y - face.crown_y).max(1.0);
    let mut best: Option<(CropBox, f32)> = None;
    // Candidates from the middle of the ranges outward.
    let faces = [34.0, 33.5, 34.5, 33.0, 35.0, 32.5, 35.5, 32.0, 36.0];
    let tops = [4.5, 4.0, 5.0, 3.5, 5.5, 3.0, 6.0];
    for face_mm in faces {
        debug_assert!(face_mm >= FACE_MM.0 && face_mm <= FACE_MM.1);
        for top_mm in tops {
            debug_assert!(top_mm >= TOP_MARGIN_MM.0 && top_mm <= TOP_MARGIN_MM.1);
            let per_mm = head / face_mm;
            let crop = CropBox {
                x: face.centre_x - PORTRAIT_MM.0 * per_mm / 2.0,
                y: face.crown_y - top_mm * per_mm,
                width: PORTRAIT_MM.0 * per_mm,
                height: PORTRAIT_MM.1 * per_mm,
                face_mm,
            };
            let margin = crop
                .x
                .min(crop.y)
                .min(w - crop.x - crop.width)
                .min(h - crop.y - crop.height)
                / per_mm;
            let better = match &best {
                None => true,
                // Keep the first candidate that fits; until one does, keep the least bad.
                Some((_, m)) => *m < 0.0 && margin > *m,
            };
            if better {
                best = Some((crop, margin));
            }
        }
    }
    best.unwrap_or((
        CropBox {
            x: 0.0,
            y: 0.0,
            width: w,
            height: h,
            face_mm: 0.0,
        },
        f32::NEG_INFINITY,
    ))
}

/// Cuts the crop out of the frame and scales it to [`PORTRAIT_PIXELS`] (the crop must lie inside the
/// frame; out-of-frame parts are clamped to the edge).
pub fn cut(image: &RgbImage, crop: &CropBox) -> RgbImage {
    let (w, h) = (image.width().max(1), image.height().max(1));
    let x0 = (crop.x.max(0.0) as u32).min(w - 1);
    let y0 = (crop.y.max(0.0) as u32).min(h - 1);
    let cw = (crop.width.round().max(1.0) as u32).min(w - x0);
    let ch = (crop.height.round().max(1.0) as u32).min(h - y0);
    let part = image::imageops::crop_imm(image, x0, y0, cw, ch).to_image();
    image::imageops::resize(
        &part,
        PORTRAIT_PIXELS.0,
        PORTRAIT_PIXELS.1,
        image::imageops::FilterType::CatmullRom,
    )
}
