//! The background, sampled where the applicant never is in a framed head-and-shoulders photo: a band
//! along the top and the upper parts of the left and right edges.

use super::frame::{Small, distance, luma, quantile};

/// Height of the top band, fraction of the frame height.
const TOP_BAND: f32 = 0.06;
/// Width of the side bands, fraction of the frame width; they stop above the shoulders.
const SIDE_BAND: f32 = 0.10;
const SIDE_BAND_BOTTOM: f32 = 0.55;
/// A band pixel this far (colour distance) from the background's median colour, or on an edge this
/// strong (grey levels per small pixel), is not plain background.
const OFF_COLOUR: f32 = 22.0;
const EDGE: f32 = 7.0;

/// What the background looks like.
pub(crate) struct Background {
    /// Median colour of the bands.
    pub colour: [f32; 3],
    /// Its luma.
    pub luma: f32,
    /// Share of band pixels that are not plain background (objects, edges, texture).
    pub clutter: f32,
    /// Colour distance under which a pixel counts as background (noise-adapted).
    pub tolerance: f32,
}

pub(crate) fn measure(small: &Small) -> Background {
    let (w, h) = (small.width, small.height);
    let top = ((h as f32 * TOP_BAND).ceil() as usize).clamp(1, h);
    let side = ((w as f32 * SIDE_BAND).ceil() as usize).clamp(1, w);
    let side_bottom = ((h as f32 * SIDE_BAND_BOTTOM) as usize).clamp(1, h);
    let mut band = Vec::new();
    for y in 0..side_bottom {
        for x in 0..w {
            if y < top || x < side || x >= w.saturating_sub(side) {
                band.push(y * w + x);
            }
        }
    }
    let channel = |c: usize| {
        quantile(
            &band.iter().map(|&i| small.rgb[i][c]).collect::<Vec<_>>(),
            0.5,
        )
    };
    let colour = [channel(0), channel(1), channel(2)];
    let distances: Vec<f32> = band
        .iter()
        .map(|&i| distance(small.rgb[i], colour))
        .collect();
    let spread = quantile(&distances, 0.5);
    let mut off = 0usize;
    for (&i, &d) in band.iter().zip(&distances) {
        let (x, y) = (i % w, i / w);
        let gx = small.luma[y * w + (x + 1).min(w - 1)] - small.luma[y * w + x.saturating_sub(1)];
        let gy = small.luma[(y + 1).min(h - 1) * w + x] - small.luma[y.saturating_sub(1) * w + x];
        if d > OFF_COLOUR || (gx.abs() + gy.abs()) > EDGE {
            off += 1;
        }
    }
    Background {
        colour,
        luma: luma(colour),
        clutter: off as f32 / band.len().max(1) as f32,
        tolerance: (spread * 4.0).max(14.0),
    }
}
