//! Dead and stuck pixels: pixels that do not respond to light.

use super::PixelStats;
use super::limits::BAD_PIXEL_RESPONSE;

/// Side of the neighbourhood a pixel's response is compared with, pixels.
const NEIGHBOURHOOD: u32 = 16;

/// Pixels that do not respond: dead ones read dark on the blank target, stuck ones read light on
/// the flat target. Positions are (x, y), sorted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BadPixels {
    /// Pixels reading dark whatever lies on them.
    pub dead: Vec<(u32, u32)>,
    /// Pixels reading light whatever lies on them.
    pub stuck: Vec<(u32, u32)>,
}

impl BadPixels {
    /// Dead and stuck pixels together.
    pub fn count(&self) -> usize {
        self.dead.len() + self.stuck.len()
    }

    /// Whether (x, y) is dead or stuck.
    pub fn contains(&self, x: u32, y: u32) -> bool {
        self.dead.binary_search(&(x, y)).is_ok() || self.stuck.binary_search(&(x, y)).is_ok()
    }

    /// Finds them from the blank and flat statistics (same size, checked by the caller): a pixel
    /// whose response (blank − flat) is below [`BAD_PIXEL_RESPONSE`] of the median response of
    /// its 16 × 16 block is bad; dead if its blank level is below the block's median blank level
    /// minus half the median response, stuck otherwise.
    pub fn find(blank: &PixelStats, flat: &PixelStats) -> Self {
        let (width, height) = (blank.width, blank.height);
        let mut found = Self::default();
        let mut by_block_x = 0;
        while by_block_x < width {
            let mut by_block_y = 0;
            while by_block_y < height {
                let x1 = (by_block_x + NEIGHBOURHOOD).min(width);
                let y1 = (by_block_y + NEIGHBOURHOOD).min(height);
                let index = |x: u32, y: u32| y as usize * width as usize + x as usize;
                let mut responses = Vec::new();
                let mut lights = Vec::new();
                for y in by_block_y..y1 {
                    for x in by_block_x..x1 {
                        let i = index(x, y);
                        responses.push(blank.mean[i] - flat.mean[i]);
                        lights.push(blank.mean[i]);
                    }
                }
                let median_response = median(&mut responses);
                let median_light = median(&mut lights);
                for y in by_block_y..y1 {
                    for x in by_block_x..x1 {
                        let i = index(x, y);
                        let response = blank.mean[i] - flat.mean[i];
                        if f64::from(response) >= BAD_PIXEL_RESPONSE * f64::from(median_response) {
                            continue;
                        }
                        if blank.mean[i] < median_light - median_response / 2.0 {
                            found.dead.push((x, y));
                        } else {
                            found.stuck.push((x, y));
                        }
                    }
                }
                by_block_y += NEIGHBOURHOOD;
            }
            by_block_x += NEIGHBOURHOOD;
        }
        found.dead.sort_unstable();
        found.stuck.sort_unstable();
        found
    }
}

/// The median of `values` (reordered); 0 when empty.
pub(crate) fn median(values: &mut [f32]) -> f32 {
    if values.is_empty() {
        return 0.0;
    }
    let middle = values.len() / 2;
    let (_, m, _) = values.select_nth_unstable_by(middle, f32::total_cmp);
    *m
}
