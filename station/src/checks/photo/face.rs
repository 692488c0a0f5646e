//! Finding the face without a neural network: skin-coloured pixels (a chromaticity test that holds
//! from very light to very dark skin) that are not background, the largest such region, refined to the
//! face's own colour; then the top of the head from where the hair meets the background, and, for
//! when the eyes cannot be found, the chin from the width profile (the face narrows, the neck does
//! not) and the roll from the region's moments.

use super::background::Background;
use super::frame::{Frame, distance, luma, quantile, saturation};
use crate::checks::region::{bounds, flood};

/// Skin chromaticity, r = R/(R+G+B) and g = G/(R+G+B): the locus of human skin under white light.
/// Dark and light skin differ mostly in brightness, not in these ratios.
const SKIN_R: (f32, f32) = (0.35, 0.57);
const SKIN_G: (f32, f32) = (0.265, 0.375);
/// Below this sum R+G+B the ratios are mostly noise.
const DARKEST: f32 = 20.0;
/// Refinement: same chromaticity as the face (distance) and a brightness within this ratio band
/// (wide enough for a face half in shadow, narrow enough to drop dark hair).
const FACE_CHROMA: f32 = 0.04;
const FACE_LUMA_RATIO: (f32, f32) = (0.45, 1.6);
/// Smallest face region, share of the frame.
const MIN_SHARE: f32 = 0.01;

/// The face found in a photo, in full-resolution pixels.
#[derive(Debug, Clone)]
pub(crate) struct Face {
    /// Centre of the face region (rows above the chin).
    pub centre_x: f32,
    /// Widest row of the face region (cheeks and ears).
    pub width: f32,
    pub chin_y: f32,
    pub crown_y: f32,
    /// Roll from the region's second moments, degrees, clockwise positive.
    pub roll_degrees: f32,
    /// Median luma and saturation of the skin.
    pub skin_luma: f32,
    pub skin_saturation: f32,
    /// Face region area ÷ frame area.
    pub share: f32,
    /// Face pixels of the small image (index), for the shadow check.
    pub pixels: Vec<usize>,
    /// Per row of the small image, the leftmost and rightmost column of the skin-coloured region
    /// before it is narrowed to the face's own brightness: it keeps a cheek in shadow (a shadow
    /// darkens the skin but keeps its colour).
    pub outline: Vec<Option<(usize, usize)>>,
    /// Centre of [`Face::outline`] over the face's rows, full-resolution pixels.
    pub outline_centre_x: f32,
}

pub(crate) fn find(frame: &Frame, background: &Background) -> Option<Face> {
    let small = &frame.small;
    let (w, h) = (small.width, small.height);
    let not_background =
        |i: usize| distance(small.rgb[i], background.colour) > background.tolerance;
    let skin: Vec<bool> = (0..w * h)
        .map(|i| is_skin(small.rgb[i]) && not_background(i))
        .collect();

    // The largest skin region whose centre is in the upper four fifths of the frame.
    let mut best: Option<Vec<usize>> = None;
    let mut seen = vec![false; w * h];
    for start in 0..w * h {
        if !skin[start] || seen[start] {
            continue;
        }
        let region = flood(start, w, h, &mut seen, |i| skin[i]);
        let mean_y = region.iter().map(|&i| (i / w) as f32).sum::<f32>() / region.len() as f32;
        if mean_y < 0.8 * h as f32 && best.as_ref().is_none_or(|b| region.len() > b.len()) {
            best = Some(region);
        }
    }
    let Some(region) = best else {
        tracing::debug!("no skin-coloured region");
        return None;
    };
    if (region.len() as f32) < MIN_SHARE * (w * h) as f32 {
        tracing::debug!(pixels = region.len(), "skin region too small");
        return None;
    }

    // The face's own colour, from the middle of the region (hair sits at its top and sides, the neck
    // below).
    let (x0, x1, y0, y1) = bounds(&region, w);
    let (bw, bh) = ((x1 - x0) as f32, (y1 - y0) as f32);
    let core: Vec<usize> = region
        .iter()
        .copied()
        .filter(|&i| {
            let (x, y) = ((i % w) as f32, (i / w) as f32);
            (x - x0 as f32) > 0.3 * bw
                && (x - x0 as f32) < 0.7 * bw
                && (y - y0 as f32) > 0.25 * bh
                && (y - y0 as f32) < 0.6 * bh
        })
        .collect();
    let core = if core.is_empty() {
        region.clone()
    } else {
        core
    };
    let chroma: Vec<(f32, f32)> = core.iter().map(|&i| chromaticity(small.rgb[i])).collect();
    let face_r = quantile(&chroma.iter().map(|c| c.0).collect::<Vec<_>>(), 0.5);
    let face_g = quantile(&chroma.iter().map(|c| c.1).collect::<Vec<_>>(), 0.5);
    let face_luma = quantile(
        &core.iter().map(|&i| small.luma[i]).collect::<Vec<_>>(),
        0.5,
    )
    .max(1.0);
    let like_face = |i: usize| {
        let c = small.rgb[i];
        if c[0] + c[1] + c[2] < DARKEST || !not_background(i) {
            return false;
        }
        let (r, g) = chromaticity(c);
        let ratio = small.luma[i] / face_luma;
        ((r - face_r).powi(2) + (g - face_g).powi(2)).sqrt() < FACE_CHROMA
            && ratio > FACE_LUMA_RATIO.0
            && ratio < FACE_LUMA_RATIO.1
    };
    // Start from the core pixel that looks most like the face's median.
    let seed = core.iter().copied().min_by(|&i, &j| {
        let score = |k: usize| {
            let (r, g) = chromaticity(small.rgb[k]);
            (r - face_r).abs() + (g - face_g).abs() + (small.luma[k] / face_luma - 1.0).abs() * 0.05
        };
        score(i).total_cmp(&score(j))
    })?;
    let mut seen = vec![false; w * h];
    let face = flood(seed, w, h, &mut seen, like_face);
    if (face.len() as f32) < MIN_SHARE * (w * h) as f32 {
        tracing::debug!(
            region = region.len(),
            face = face.len(),
            face_r,
            face_g,
            face_luma,
            "face region too small after refinement"
        );
        return None;
    }

    // Row spans of the region (holes for eyes, brows and mouth filled).
    let spans = row_spans(&face, w, h);
    let outline = row_spans(&region, w, h);
    let width_of = |y: usize| spans[y].map_or(0, |(l, r)| r - l + 1);
    let top = spans.iter().position(Option::is_some)?;
    let bottom = spans.iter().rposition(Option::is_some)?;
    // The head ends where the region first narrows to a neck: clothing the colour of the skin
    // below it can be wider than the head, and must not be taken for the face's width.
    let mut widest_so_far = 0usize;
    let head_end = (top..=bottom)
        .find(|&y| {
            widest_so_far = widest_so_far.max(width_of(y));
            (width_of(y) as f32) < NECK_SHARE * widest_so_far as f32
        })
        .unwrap_or(bottom);
    let widest = (top..=head_end).max_by_key(|&y| width_of(y))?;
    let max_width = width_of(widest) as f32;
    // The neck is the narrowest part below the widest row (ears and long hair are wider); the
    // junction is the first row, below the widest, that is within a few pixels of that width and
    // stays narrow for a few rows (the bottom of an ear is not the neck).
    let step = 3usize;
    // Only as far down as a neck goes: the top of a V collar is narrower still.
    let neck_end = bottom.min(widest + (NECK_REACH * max_width) as usize);
    let narrowest = (widest..=neck_end).map(width_of).min().unwrap_or(0) as f32;
    let near_neck = |y: usize| (width_of(y) as f32) <= narrowest + (0.06 * max_width).max(2.0);
    let chin_row = (widest..=bottom)
        .find(|&y| (y..=(y + step).min(bottom)).all(near_neck))
        .unwrap_or(bottom);
    // Where the face's outline meets the neck the jaw still goes on a little: about 0.1 of the face
    // width (measured on portraits, with roll and jaw shapes varying).
    let chin_small = chin_row as f32 + 0.5 + CHIN_BELOW_NECK * max_width;

    // Moments of the filled face above the chin: centre and roll.
    let (mut n, mut sx, mut sy) = (0.0f64, 0.0f64, 0.0f64);
    for (y, span) in spans.iter().enumerate().take(chin_row + 1).skip(top) {
        if let Some((l, r)) = span {
            for x in *l..=*r {
                n += 1.0;
                sx += x as f64;
                sy += y as f64;
            }
        }
    }
    if n < 1.0 {
        return None;
    }
    let (mx, my) = (sx / n, sy / n);
    let (mut m20, mut m02, mut m11) = (0.0f64, 0.0f64, 0.0f64);
    for (y, span) in spans.iter().enumerate().take(chin_row + 1).skip(top) {
        if let Some((l, r)) = span {
            for x in *l..=*r {
                let (dx, dy) = (x as f64 - mx, y as f64 - my);
                m20 += dx * dx;
                m02 += dy * dy;
                m11 += dx * dy;
            }
        }
    }
    // The face's axis is whichever principal axis is nearer vertical: above the chin the skin region
    // (hairline to chin) is often wider than tall.
    let mut roll = -0.5 * (2.0 * m11).atan2(m02 - m20);
    while roll > std::f64::consts::FRAC_PI_4 {
        roll -= std::f64::consts::FRAC_PI_2;
    }
    while roll <= -std::f64::consts::FRAC_PI_4 {
        roll += std::f64::consts::FRAC_PI_2;
    }

    // Top of the head: from the face's top, go up through the hair until the background shows.
    let mut crown = top;
    let half = (0.25 * max_width) as isize;
    for x in (mx as isize - half)..=(mx as isize + half) {
        if x < 0 || x >= w as isize {
            continue;
        }
        let x = x as usize;
        let mut y = top;
        while y >= 2 && !(!not_background((y - 1) * w + x) && !not_background((y - 2) * w + x)) {
            y -= 1;
        }
        if y < 2 {
            y = 0;
        }
        crown = crown.min(y);
    }

    let scale = small.factor as f32;
    let centres: Vec<f32> = (top..=chin_row.min(h - 1))
        .filter_map(|y| outline[y].map(|(l, r)| (l + r) as f32 / 2.0))
        .collect();
    let outline_centre_x = (quantile(&centres, 0.5) + 0.5) * scale;
    let skin_luma = quantile(
        &face.iter().map(|&i| small.luma[i]).collect::<Vec<_>>(),
        0.5,
    );
    let skin_saturation = quantile(
        &face
            .iter()
            .map(|&i| saturation(small.rgb[i]))
            .collect::<Vec<_>>(),
        0.5,
    );
    Some(Face {
        centre_x: (mx as f32 + 0.5) * scale,
        width: max_width * scale,
        chin_y: chin_small * scale,
        crown_y: crown as f32 * scale,
        roll_degrees: (roll as f32).to_degrees(),
        skin_luma: skin_luma.max(luma([1.0; 3])),
        skin_saturation,
        share: face.len() as f32 / (w * h) as f32,
        pixels: face,
        outline,
        outline_centre_x,
    })
}

/// Per row, the leftmost and rightmost column of a region.
fn row_spans(region: &[usize], w: usize, h: usize) -> Vec<Option<(usize, usize)>> {
    let mut spans: Vec<Option<(usize, usize)>> = vec![None; h];
    for &i in region {
        let (x, y) = (i % w, i / w);
        spans[y] = Some(match spans[y] {
            None => (x, x),
            Some((l, r)) => (l.min(x), r.max(x)),
        });
    }
    spans
}

/// A row narrower than this share of the widest row above it is the neck (a neck is about half as
/// wide as the face with its ears; the jaw and the bottom of the ears narrow it far less).
const NECK_SHARE: f32 = 0.7;

/// How far below the widest row of the face (the ears) the neck still shows, in face widths.
const NECK_REACH: f32 = 0.8;

/// How far below the face/neck junction the chin is, in face widths.
const CHIN_BELOW_NECK: f32 = 0.1;

fn chromaticity(c: [f32; 3]) -> (f32, f32) {
    let sum = (c[0] + c[1] + c[2]).max(1.0);
    (c[0] / sum, c[1] / sum)
}

fn is_skin(c: [f32; 3]) -> bool {
    if c[0] + c[1] + c[2] < DARKEST {
        return false;
    }
    let (r, g) = chromaticity(c);
    r > SKIN_R.0
        && r < SKIN_R.1
        && g > SKIN_G.0
        && g < SKIN_G.1
        && c[0] > c[1]
        && c[1] >= c[2] * 0.85
}
