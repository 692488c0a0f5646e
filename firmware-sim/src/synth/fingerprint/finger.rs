//! A finger: an identity drawn from a seed, with its master print and its minutiae.

use std::sync::Arc;
use std::time::Instant;

use image::GrayImage;
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;

use super::cache;
use super::class::{PatternClass, Singularity, place_singularities};
use super::growth::{GrowthInput, grow};
use super::impression::Impression;
use super::minutiae::{self, Minutia};
use super::noise::derive_seed;
use super::orientation::OrientationModel;
use super::outline::Outline;
use super::period::PeriodMap;
use super::render::{MasterPrint, Placement, render};

/// Width of the master print, pixels at 500 ppi: a whole fingertip with room to move.
pub const MASTER_WIDTH: u32 = 480;
/// Height of the master print, pixels at 500 ppi.
pub const MASTER_HEIGHT: u32 = 640;

/// Seeds per 10,000 finger pixels for the growth; sets how many minutiae a finger has. Arches get
/// more: without cores and deltas to force ridges apart, their fronts meet in step more often.
fn seed_density(class: PatternClass) -> f32 {
    match class {
        PatternClass::Arch => 6.0,
        PatternClass::TentedArch => 4.5,
        _ => 3.0,
    }
}

/// Largest impression side, pixels: far beyond any sensor; larger requests are cut to it.
pub const MAX_IMPRESSION_SIDE: u32 = 2048;
/// Ridges are grown a little beyond the outline, so that pressure can widen the contact area.
const GROWN_RADIUS: f32 = 1.04;
/// Spacing of the grid the ridge period is sampled on, pixels.
const PERIOD_GRID: usize = 8;

/// Minutiae closer to the finger's edge than this share of its radius are edge effects, not kept.
const MINUTIA_EDGE: f32 = 0.9;

/// One finger, drawn from a seed: the same seed gives the same finger, every time.
/// Cloning is cheap (the master print is shared).
#[derive(Debug, Clone)]
pub struct Finger {
    inner: Arc<Identity>,
}

#[derive(Debug)]
struct Identity {
    seed: u64,
    class: PatternClass,
    singularities: Vec<Singularity>,
    outline: Outline,
    orientation: OrientationModel,
    period: PeriodMap,
    master: MasterPrint,
    minutiae: Vec<Minutia>,
}

impl Finger {
    /// The finger of `seed`: class, cores and deltas, orientation and ridge-period fields, outline,
    /// master print and minutiae. Recently drawn fingers come from a cache.
    pub fn from_seed(seed: u64) -> Finger {
        Finger {
            inner: cache::get_or_make(seed, || Identity::draw(seed)),
        }
    }

    /// The finger of `seed`, drawn afresh (no cache): for checking that drawing is deterministic.
    #[cfg(test)]
    pub(crate) fn from_seed_uncached(seed: u64) -> Finger {
        Finger {
            inner: Arc::new(Identity::draw(seed)),
        }
    }

    /// The seed this finger was drawn from.
    pub fn seed(&self) -> u64 {
        self.inner.seed
    }

    /// The finger's pattern class.
    pub fn class(&self) -> PatternClass {
        self.inner.class
    }

    /// Its cores and deltas, in master-print coordinates.
    pub fn singularities(&self) -> &[Singularity] {
        &self.inner.singularities
    }

    /// Ground-truth minutiae, in master-print coordinates.
    pub fn minutiae(&self) -> &[Minutia] {
        &self.inner.minutiae
    }

    /// Ridge direction at a master-print point, radians in [0, π) (0 horizontal, y down).
    pub fn orientation_at(&self, x: f32, y: f32) -> f32 {
        self.inner.orientation.at(x, y)
    }

    /// Ridge period at a master-print point, pixels.
    pub fn ridge_period_at(&self, x: f32, y: f32) -> f32 {
        self.inner.period.at(x, y)
    }

    /// The finger outline's normalised radius at a master-print point: below 1 on the finger.
    pub fn outline_radius(&self, x: f32, y: f32) -> f32 {
        self.inner.outline.radius(x, y)
    }

    /// Whether a master-print point lies on the finger.
    pub fn is_on_finger(&self, x: f32, y: f32) -> bool {
        self.inner.outline.radius(x, y) < 1.0
    }

    /// The master print as an image (every ridge, no sensor effects), `MASTER_WIDTH` × `MASTER_HEIGHT`.
    pub fn master_image(&self) -> GrayImage {
        let master = &self.inner.master;
        let mut image = GrayImage::new(master.width as u32, master.height as u32);
        for (pixel, value) in image.pixels_mut().zip(&master.ridges) {
            pixel.0[0] = (127.5 - 127.5 * value).round().clamp(0.0, 255.0) as u8;
        }
        image
    }

    /// An 8-bit 500-ppi flat impression of this finger under `conditions`, `width` × `height`
    /// pixels (each side at most [`MAX_IMPRESSION_SIDE`]): light background, dark ridges.
    pub fn impression(&self, conditions: &Impression, width: u32, height: u32) -> GrayImage {
        let (width, height) = (
            width.min(MAX_IMPRESSION_SIDE),
            height.min(MAX_IMPRESSION_SIDE),
        );
        let identity = &self.inner;
        render(
            &identity.master,
            &identity.outline,
            identity.anchor(),
            conditions,
            width,
            height,
        )
    }

    /// Where a master-print point (a minutia, say) appears on an impression: shift, rotation and
    /// plastic distortion, exactly as the impression was rendered.
    pub fn master_to_image(
        &self,
        conditions: &Impression,
        width: u32,
        height: u32,
        x: f32,
        y: f32,
    ) -> (f32, f32) {
        Placement::new(self.inner.anchor(), conditions, width, height).master_to_image(x, y)
    }
}

impl Identity {
    fn draw(seed: u64) -> Identity {
        let started = Instant::now();
        let mut rng = ChaCha8Rng::seed_from_u64(derive_seed(seed, 0xF1A6));
        let (width, height) = (MASTER_WIDTH as usize, MASTER_HEIGHT as usize);
        let (cx, cy) = (width as f32 / 2.0, height as f32 * 0.47);
        let class = PatternClass::draw(&mut rng);
        let outline = Outline::new(cx, cy, &mut rng);
        let singularities = place_singularities(class, cx, cy, &mut rng);
        let orientation = OrientationModel::new(class, singularities.clone(), cx, cy, &mut rng);
        let period = PeriodMap::new(&mut rng);

        // The fields are needed only on the finger; the period changes slowly enough to be read
        // off a coarse grid.
        let coarse_period = CoarseGrid::sample(width, height, PERIOD_GRID, |x, y| period.at(x, y));
        let mut theta = vec![0.0f32; width * height];
        let mut periods = vec![0.0f32; width * height];
        let mut inside = vec![false; width * height];
        for y in 0..height {
            let Some((from, to)) = outline.row_span(y as f32, GROWN_RADIUS) else {
                continue;
            };
            let from = from.max(0.0).ceil() as usize;
            let to = (to.floor().max(0.0) as usize).min(width.saturating_sub(1));
            for x in from..=to {
                let i = y * width + x;
                let (xf, yf) = (x as f32, y as f32);
                theta[i] = orientation.at(xf, yf);
                periods[i] = coarse_period.at(xf, yf);
                inside[i] = true;
            }
        }
        let fields_done = started.elapsed();
        let ridges = grow(
            &GrowthInput {
                width,
                height,
                orientation: &theta,
                period: &periods,
                inside: &inside,
                seed_density: seed_density(class),
            },
            &mut rng,
        );
        let growth_done = started.elapsed();
        let on_ridge: Vec<bool> = ridges.iter().map(|v| *v > 0.0).collect();
        let minutiae = minutiae::detect(&on_ridge, width, height, |x, y| {
            outline.radius(x, y) < MINUTIA_EDGE
        });
        tracing::debug!(
            seed,
            class = class.name(),
            minutiae = minutiae.len(),
            fields_ms = fields_done.as_millis() as u64,
            growth_ms = (growth_done - fields_done).as_millis() as u64,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "synthetic finger drawn"
        );
        Identity {
            seed,
            class,
            singularities,
            outline,
            orientation,
            period,
            master: MasterPrint {
                width,
                height,
                ridges,
            },
            minutiae,
        }
    }

    /// The master point shown at the image centre: a little below the outline centre, near where
    /// cores sit, so a small sensor sees the heart of the pattern.
    fn anchor(&self) -> (f32, f32) {
        (self.outline.cx, self.outline.cy + 10.0)
    }
}

/// A slowly varying field sampled every `step` pixels and interpolated bilinearly.
struct CoarseGrid {
    cols: usize,
    step: f32,
    values: Vec<f32>,
}

impl CoarseGrid {
    fn sample(width: usize, height: usize, step: usize, field: impl Fn(f32, f32) -> f32) -> Self {
        let step = step.max(1);
        let cols = width / step + 2;
        let rows = height / step + 2;
        let mut values = Vec::with_capacity(cols * rows);
        for r in 0..rows {
            for c in 0..cols {
                values.push(field((c * step) as f32, (r * step) as f32));
            }
        }
        Self {
            cols,
            step: step as f32,
            values,
        }
    }

    /// The interpolated value at (x, y), for 0 ≤ x < width and 0 ≤ y < height.
    fn at(&self, x: f32, y: f32) -> f32 {
        let (gx, gy) = (x.max(0.0) / self.step, y.max(0.0) / self.step);
        let (c, r) = (gx as usize, gy as usize);
        let (fx, fy) = (gx - c as f32, gy - r as f32);
        let i = r * self.cols + c;
        let value = |j: usize| self.values.get(j).copied().unwrap_or(0.0);
        let top = value(i) * (1.0 - fx) + value(i + 1) * fx;
        let bottom = value(i + self.cols) * (1.0 - fx) + value(i + self.cols + 1) * fx;
        top * (1.0 - fy) + bottom * fy
    }
}
