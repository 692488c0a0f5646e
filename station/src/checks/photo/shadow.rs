//! A shadow across the face makes one half darker than the other: compare the mean brightness of the
//! skin left and right of the face's axis, between the eyes and the chin (cheeks, nose, mouth; the hair
//! does not reach there).

use super::face::Face;
use super::frame::Frame;
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
