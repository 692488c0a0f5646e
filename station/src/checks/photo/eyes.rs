//! Open eyes show their whites. In each half of the face, in the band where eyes sit, a window the
//! size of an eye slides over a map of "eye-white" pixels (brighter than most of the skin and much less
//! saturated than it); the best window's share of white pixels is the eye's openness, and the whites'
//! centroid is the eye's position (for the roll). A closed eye shows lid and lashes only.

use super::face::Face;
use super::frame::{Frame, saturation};

/// The eye band, measured up from the chin in face widths (eyes sit about 0.55–0.8 face widths above
/// the chin on an adult face).
const BAND: (f32, f32) = (0.40, 0.78);
/// The eye band measured down from the top of the head, in shares of the head's height (eyes sit
/// near half-way, a little lower under thick hair).
const CROWN_BAND: (f32, f32) = (0.3, 0.68);
/// An eye white is at least this share of the skin's median luma (low enough for an eye on the
/// shadowed side of the face).
const WHITE_LUMA: f32 = 0.45;
/// Longest horizontal run of white pixels that can be an eye white, in face widths.
const LONGEST_RUN: f32 = 0.09;
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

/// The left and right (in the image) eyes, for a face `fw` pixels wide (the skin region's width, or
/// a better one once a first pair of eyes is known).
pub(crate) fn find(frame: &Frame, face: &Face, fw: f32) -> (Eye, Eye) {
    let (w, h) = (frame.width, frame.height);
    // The band from the chin, joined with the band from the top of the head: either end of the face
    // can be misjudged (long hair the colour of the skin, a neck cut by the frame), rarely both.
    let head = (face.chin_y - face.crown_y).max(1.0);
    let y0 = (face.chin_y - BAND.1 * fw)
        .min(face.crown_y + CROWN_BAND.0 * head)
        .max(0.0) as usize;
    let y1 = ((face.chin_y - BAND.0 * fw)
        .max(face.crown_y + CROWN_BAND.1 * head)
        .max(0.0) as usize)
        .min(h);
    // Split left and right at the skin outline's centre: it keeps a cheek in shadow.
    let centre = face.outline_centre_x;
    let x0 = (centre - 0.45 * fw).max(0.0) as usize;
    let x1 = ((centre + 0.45 * fw).max(0.0) as usize).min(w);
    let mid = (centre.max(0.0) as usize).clamp(x0, x1);
    let white_luma = WHITE_LUMA * face.skin_luma;
    let white_saturation = (0.5 * face.skin_saturation).min(0.12);
    // Only inside the face's outline (row spans of the face region, one small pixel in).
    let factor = frame.small.factor;
    let inside = |x: usize, y: usize| {
        face.outline
            .get(y / factor)
            .copied()
            .flatten()
            .is_some_and(|(l, r)| x / factor > l && x / factor < r)
    };
    let white_pixel = |x: usize, y: usize| {
        let i = y * w + x;
        frame.luma[i] >= white_luma.max(20.0)
            && saturation(frame.rgb[i]) <= white_saturation
            && inside(x, y)
    };
    // An eye white is a short run on each side of the iris; grey or white eyebrows and hair make long
    // runs. Keep only runs shorter than [`LONGEST_RUN`] face widths.
    let longest = ((LONGEST_RUN * fw) as usize).max(2);
    let (aw, ah) = (x1.saturating_sub(x0), y1.saturating_sub(y0));
    let mut white = vec![false; aw * ah];
    for y in 0..ah {
        let mut x = 0;
        while x < aw {
            if !white_pixel(x0 + x, y0 + y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < aw && white_pixel(x0 + x, y0 + y) {
                x += 1;
            }
            if x - start <= longest {
                white[y * aw + start..y * aw + x].fill(true);
            }
        }
    }
    let is_white = |x: usize, y: usize| {
        x >= x0 && y >= y0 && x < x1 && y < y1 && white[(y - y0) * aw + (x - x0)]
    };
    let ww = ((WINDOW.0 * fw) as usize).max(2);
    let wh = ((WINDOW.1 * fw) as usize).max(2);
    // The pupil: a dark pixel between two eye-white pixels on the same row.
    let dark_level = (0.45 * face.skin_luma).min(60.0);
    let is_dark = |x: usize, y: usize| frame.luma[y * w + x] < dark_level;
    let left = best_window(x0, mid, y0, y1, ww, wh, &is_white, &is_dark);
    let right = best_window(mid, x1, y0, y1, ww, wh, &is_white, &is_dark);
    (left, right)
}

#[allow(clippy::too_many_arguments)]
fn best_window(
    x0: usize,
    x1: usize,
    y0: usize,
    y1: usize,
    ww: usize,
    wh: usize,
    is_white: &impl Fn(usize, usize) -> bool,
    is_dark: &impl Fn(usize, usize) -> bool,
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
    let mut candidates = Vec::new();
    for y in 0..=(ah - wh) {
        for x in 0..=(aw - ww) {
            let s = sum(x, y, ww, wh);
            if s > 0 {
                candidates.push((s, x, y));
            }
        }
    }
    candidates.sort_unstable_by_key(|c| std::cmp::Reverse(c.0));
    // The best window with a pupil between eye whites (a lid, brow or grey hair has none).
    let has_pupil = |x: usize, y: usize| {
        (y..y + wh).any(|row| {
            let whites: Vec<usize> = (x..x + ww)
                .filter(|&col| is_white(x0 + col, y0 + row))
                .collect();
            match (whites.first(), whites.last()) {
                (Some(&l), Some(&r)) if r > l + 2 => {
                    (l + 1..r).any(|col| is_dark(x0 + col, y0 + row))
                }
                _ => false,
            }
        })
    };
    let Some(&(best, ax, ay)) = candidates
        .iter()
        .take(400)
        .step_by(4)
        .find(|c| has_pupil(c.1, c.2))
    else {
        return none;
    };
    let at = (ax, ay);
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
