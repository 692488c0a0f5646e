//! Open eyes show their whites. In each half of the face, in the band where eyes sit, a window the
//! size of an eye slides over a map of "eye-white" pixels (brighter than most of the skin and much less
//! saturated than it); the best window's share of white pixels is the eye's openness, and the whites'
//! centroid is the eye's position (for the roll). A closed eye shows lid and lashes only.

use super::face::Face;
use super::frame::{Frame, saturation};

/// The eye band, measured up from the chin in face widths (eyes sit about 0.55–0.8 face widths above
/// the chin on an adult face).
const BAND: (f32, f32) = (0.42, 0.9);
/// An eye window, in face widths.
const WINDOW: (f32, f32) = (0.2, 0.08);

/// One eye's measurement, full-resolution pixels.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Eye {
    pub x: f32,
    pub y: f32,
    /// Share of the best window's pixels that are eye-white.
    pub openness: f32,
}

/// The left and right (in the image) eyes.
pub(crate) fn find(frame: &Frame, face: &Face) -> (Eye, Eye) {
    let (w, h) = (frame.width, frame.height);
    let fw = face.width;
    let y0 = (face.chin_y - BAND.1 * fw).max(0.0) as usize;
    let y1 = ((face.chin_y - BAND.0 * fw).max(0.0) as usize).min(h);
    let x0 = (face.centre_x - 0.42 * fw).max(0.0) as usize;
    let x1 = ((face.centre_x + 0.42 * fw).max(0.0) as usize).min(w);
    let mid = (face.centre_x.max(0.0) as usize).clamp(x0, x1);
    let white_luma = 0.6 * face.skin_luma;
    let white_saturation = (0.5 * face.skin_saturation).min(0.12);
    let is_white = |x: usize, y: usize| {
        let i = y * w + x;
        frame.luma[i] >= white_luma.max(20.0) && saturation(frame.rgb[i]) <= white_saturation
    };
    let ww = ((WINDOW.0 * fw) as usize).max(2);
    let wh = ((WINDOW.1 * fw) as usize).max(2);
    let left = best_window(x0, mid, y0, y1, ww, wh, &is_white);
    let right = best_window(mid, x1, y0, y1, ww, wh, &is_white);
    (left, right)
}

fn best_window(
    x0: usize,
    x1: usize,
    y0: usize,
    y1: usize,
    ww: usize,
    wh: usize,
    is_white: &impl Fn(usize, usize) -> bool,
) -> Eye {
    let none = Eye {
        x: (x0 + x1) as f32 / 2.0,
        y: (y0 + y1) as f32 / 2.0,
        openness: 0.0,
    };
    if x1 <= x0 + ww || y1 <= y0 + wh {
        return none;
    }
    // Integral image of the white map over the search area.
    let (aw, ah) = (x1 - x0, y1 - y0);
    let mut integral = vec![0u32; (aw + 1) * (ah + 1)];
    for y in 0..ah {
        let mut row = 0u32;
        for x in 0..aw {
            row += u32::from(is_white(x0 + x, y0 + y));
            integral[(y + 1) * (aw + 1) + x + 1] = integral[y * (aw + 1) + x + 1] + row;
        }
    }
    let sum = |x: usize, y: usize, dx: usize, dy: usize| {
        let s = integral[(y + dy) * (aw + 1) + x + dx] + integral[y * (aw + 1) + x];
        s - integral[y * (aw + 1) + x + dx] - integral[(y + dy) * (aw + 1) + x]
    };
    let (mut best, mut at) = (0u32, (0usize, 0usize));
    for y in 0..=(ah - wh) {
        for x in 0..=(aw - ww) {
            let s = sum(x, y, ww, wh);
            if s > best {
                best = s;
                at = (x, y);
            }
        }
    }
    if best == 0 {
        return none;
    }
    // Centroid of the whites in the best window.
    let (mut n, mut sx, mut sy) = (0.0f32, 0.0f32, 0.0f32);
    for y in at.1..at.1 + wh {
        for x in at.0..at.0 + ww {
            if is_white(x0 + x, y0 + y) {
                n += 1.0;
                sx += (x0 + x) as f32;
                sy += (y0 + y) as f32;
            }
        }
    }
    Eye {
        x: sx / n.max(1.0),
        y: sy / n.max(1.0),
        openness: best as f32 / (ww * wh) as f32,
    }
}
