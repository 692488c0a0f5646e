//! A shadow across the face makes one half darker than the other: compare the mean brightness of the
//! skin left and right of the face's axis, between the eyes and the chin (cheeks, nose, mouth; the hair
//! does not reach there).

use super::face::Face;
use super::frame::{Frame, quantile};
use super::report::FaceGeometry;

/// Skin within this distance of the axis (face widths) is the nose's: left out.
const AXIS_GAP: f32 = 0.06;

/// Darker half ÷ lighter half (1 = even light). A half that lost skin pixels (too dark to be taken
/// for skin) counts as dark as the share it kept.
pub(crate) fn balance(frame: &Frame, face: &Face, geometry: &FaceGeometry) -> f32 {
    let small = &frame.small;
    let scale = small.factor as f32;
    let top = geometry.eye_y + 0.1 * face.width;
    let bottom = geometry.chin_y - 0.12 * face.width;
    let slope = geometry.roll_degrees.to_radians().tan();
    let (mut left, mut right) = ((0.0f32, 0usize), (0.0f32, 0usize));
    for &i in &face.pixels {
        let (x, y) = (
            ((i % small.width) as f32 + 0.5) * scale,
            ((i / small.width) as f32 + 0.5) * scale,
        );
        if y < top || y > bottom {
            continue;
        }
        let axis = geometry.centre_x - (y - geometry.eye_y) * slope;
        let dx = x - axis;
        if dx.abs() < AXIS_GAP * face.width {
            continue;
        }
        let side = if dx < 0.0 { &mut left } else { &mut right };
        side.0 += small.luma[i];
        side.1 += 1;
    }
    if left.1 == 0 || right.1 == 0 {
        return 0.0;
    }
    let (l, r) = (left.0 / left.1 as f32, right.0 / right.1 as f32);
    let luma_ratio = l.min(r) / l.max(r).max(1e-3);
    let count_ratio = left.1.min(right.1) as f32 / left.1.max(right.1) as f32;
    if count_ratio < 0.3 {
        luma_ratio.min(count_ratio)
    } else {
        luma_ratio
    }
}

/// Where the cheeks are sampled, once the eyes are known: below the eyes and above the mouth, in
/// shares of the eye-to-chin height, and beside the nose, in eye separations from the face's axis.
const CHEEK_ROWS: (f32, f32) = (0.25, 0.55);
const CHEEK_COLUMNS: (f32, f32) = (0.2, 0.7);

/// Darker cheek ÷ lighter cheek (1 = even light), from the median luma of every pixel in a box on
/// each cheek. The boxes are placed from the eyes, not from the skin region, so a cheek in deep
/// shadow (which no longer looks like skin) is still measured; the median keeps a shadow's edge that
/// cuts through a box from deciding the box's value.
pub(crate) fn cheek_balance(frame: &Frame, geometry: &FaceGeometry, eye_separation: f32) -> f32 {
    let (w, h) = (frame.width, frame.height);
    let height = geometry.chin_y - geometry.eye_y;
    if height < 4.0 || eye_separation < 4.0 {
        return 0.0;
    }
    let (sin, cos) = geometry.roll_degrees.to_radians().sin_cos();
    let (v0, v1) = (CHEEK_ROWS.0 * height, CHEEK_ROWS.1 * height);
    let (u0, u1) = (
        CHEEK_COLUMNS.0 * eye_separation,
        CHEEK_COLUMNS.1 * eye_separation,
    );
    // The bounding box of both cheek boxes in the frame, generous for the roll.
    let reach = u1 + v1;
    let x_min = (geometry.centre_x - reach).max(0.0) as usize;
    let x_max = ((geometry.centre_x + reach).max(0.0) as usize).min(w);
    let y_min = (geometry.eye_y - reach).max(0.0) as usize;
    let y_max = ((geometry.eye_y + reach).max(0.0) as usize).min(h);
    let (mut left, mut right) = (Vec::new(), Vec::new());
    // Every other pixel is plenty for a median and halves the time.
    for y in (y_min..y_max).step_by(2) {
        for x in (x_min..x_max).step_by(2) {
            let (dx, dy) = (x as f32 - geometry.centre_x, y as f32 - geometry.eye_y);
            let u = dx * cos + dy * sin;
            let v = -dx * sin + dy * cos;
            if v < v0 || v > v1 || u.abs() < u0 || u.abs() > u1 {
                continue;
            }
            let side = if u < 0.0 { &mut left } else { &mut right };
            side.push(frame.luma[y * w + x]);
        }
    }
    if left.is_empty() || right.is_empty() {
        return 0.0;
    }
    let (l, r) = (quantile(&left, 0.5), quantile(&right, 0.5));
    l.min(r) / l.max(r).max(1e-3)
}
