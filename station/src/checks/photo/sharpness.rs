//! Sharpness that does not depend on contrast or skin tone: the strongest edges of the head measured at
//! full resolution and at half resolution. A sharp edge rises within a pixel at both scales (ratio
//! near 1); a blurred edge spread over `s` pixels climbs twice as fast per half-resolution pixel, so the
//! ratio falls toward 0.5.

use super::frame::Frame;

/// Share of the strongest gradients averaged at each scale.
const TOP: f32 = 0.01;

/// The ratio (full-resolution edge strength ÷ half-resolution edge strength) over a region
/// (full-resolution pixels, clamped to the frame).
pub(crate) fn ratio(frame: &Frame, x0: f32, y0: f32, x1: f32, y1: f32) -> f32 {
    let (w, h) = (frame.width, frame.height);
    let clamp = |v: f32, max: usize| (v.max(0.0) as usize).min(max);
    let (x0, x1) = (clamp(x0, w), clamp(x1, w));
    let (y0, y1) = (clamp(y0, h), clamp(y1, h));
    if x1 < x0 + 8 || y1 < y0 + 8 {
        return 0.0;
    }
    let full = strongest(&frame.luma, w, x0, y0, x1, y1);
    // Half resolution by 2×2 averaging of the region.
    let (hw, hh) = ((x1 - x0) / 2, (y1 - y0) / 2);
    let mut half = vec![0.0f32; hw * hh];
    for y in 0..hh {
        for x in 0..hw {
            let (fx, fy) = (x0 + 2 * x, y0 + 2 * y);
            half[y * hw + x] = (frame.luma[fy * w + fx]
                + frame.luma[fy * w + fx + 1]
                + frame.luma[(fy + 1) * w + fx]
                + frame.luma[(fy + 1) * w + fx + 1])
                / 4.0;
        }
    }
    let coarse = strongest(&half, hw, 0, 0, hw, hh);
    if coarse <= 1e-3 { 0.0 } else { full / coarse }
}

/// Mean of the top [`TOP`] gradient magnitudes (central differences over two pixels) in a region.
fn strongest(luma: &[f32], stride: usize, x0: usize, y0: usize, x1: usize, y1: usize) -> f32 {
    let mut magnitudes = Vec::with_capacity((x1 - x0) * (y1 - y0));
    for y in (y0 + 1)..(y1 - 1) {
        for x in (x0 + 1)..(x1 - 1) {
            let gx = luma[y * stride + x + 1] - luma[y * stride + x - 1];
            let gy = luma[(y + 1) * stride + x] - luma[(y - 1) * stride + x];
            magnitudes.push(gx.abs().max(gy.abs()));
        }
    }
    if magnitudes.is_empty() {
        return 0.0;
    }
    let keep = ((magnitudes.len() as f32 * TOP).ceil() as usize).clamp(1, magnitudes.len());
    let cut = magnitudes.len() - keep;
    magnitudes.select_nth_unstable_by(cut, |a, b| a.total_cmp(b));
    magnitudes[cut..].iter().sum::<f32>() / keep as f32
}
