//! The chin from the face's own light, once the eyes are known: along the face's axis, below the
//! mouth, the chin casts a shadow on the neck, a short dark dip in brightness between the lit skin of
//! the chin and the neck below it. That dip does not depend on the hair (which can be as dark or as
//! light as the skin) nor on the neck's width, which is why it is preferred to the outline of the skin
//! region. Distances are measured in units of `d`, the eye line's height under the top of the head.

use super::frame::Frame;

/// Where the mouth is searched for, below the eye line, in units of `d`: the darkest row of the band
/// (the line between the lips).
const MOUTH: (f32, f32) = (0.35, 0.8);
/// Where the chin is searched for: from a little under the mouth to well past where a chin can be
/// (anthropometric tables put the chin about one eye-to-crown distance under the eyes).
const CHIN_AFTER_MOUTH: f32 = 0.1;
const CHIN_LAST: f32 = 1.3;
/// Half-width of the band the rows are averaged over, in units of `d` (narrower than the mouth).
const BAND: f32 = 0.14;
/// Rows compared on each side of a candidate dip, in units of `d`.
const DIP_REACH: f32 = 0.035;
/// A dip must be at least this deep (grey levels relative to the row mean: 3 %).
const DIP_MIN: f32 = 0.03;

/// The chin row (full-resolution pixels), from the eye mid-point `(eye_x, eye_y)`, the top of the
/// head `crown_y` and the roll; `None` when no dip is clear enough.
pub(crate) fn find(
    frame: &Frame,
    eye_x: f32,
    eye_y: f32,
    crown_y: f32,
    roll_degrees: f32,
) -> Option<f32> {
    let (w, h) = (frame.width, frame.height);
    let d = eye_y - crown_y;
    if d < 8.0 {
        return None;
    }
    let slope = roll_degrees.to_radians().tan();
    let half = (BAND * d).max(2.0);
    let first = (eye_y + MOUTH.0 * d).max(0.0) as usize;
    let last = ((eye_y + CHIN_LAST * d) as usize).min(h.saturating_sub(1));
    if last <= first + 4 {
        return None;
    }
    // Mean luma of each row of the band, following the face's axis.
    let profile: Vec<f32> = (first..=last)
        .map(|y| {
            let axis = eye_x - (y as f32 - eye_y) * slope;
            let x0 = (axis - half).max(0.0) as usize;
            let x1 = ((axis + half).max(0.0) as usize).min(w);
            if x1 <= x0 {
                return 0.0;
            }
            let row = &frame.luma[y * w + x0..y * w + x1];
            row.iter().sum::<f32>() / row.len() as f32
        })
        .collect();
    let at = |k: f32| ((eye_y + k * d) as usize).saturating_sub(first);
    let mouth_end = at(MOUTH.1).min(profile.len());
    let mouth = (at(MOUTH.0)..mouth_end).min_by(|&a, &b| profile[a].total_cmp(&profile[b]))?;
    let reach = ((DIP_REACH * d).round() as usize).max(2);
    let start = mouth + ((CHIN_AFTER_MOUTH * d) as usize).max(reach);
    let mut best: Option<(f32, usize)> = None;
    for y in start..profile.len().saturating_sub(reach) {
        let here = profile[y];
        // The dip is the lowest point between the chin above and the neck below.
        let above = profile[y - reach];
        let below = profile[y + reach];
        let depth = (above - here).min(below - here) / here.max(1.0);
        if depth > DIP_MIN && best.is_none_or(|(b, _)| depth > b) {
            best = Some((depth, y));
        }
    }
    let (depth, y) = best?;
    tracing::trace!(depth, row = first + y, "chin dip");
    Some((first + y) as f32)
}
