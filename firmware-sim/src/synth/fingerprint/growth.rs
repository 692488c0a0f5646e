//! The master ridge pattern, grown SFinGe style: start from a few random seeds and filter again and
//! again with Gabor filters tuned to the local ridge orientation and period, clipping each time; the
//! ridges spread from the seeds, and where two growing fronts meet out of step a ridge must end or
//! split: the minutiae appear by themselves (`docs/reference/fingerprint-science.md`, "Synthesis").

use std::f32::consts::PI;
use std::sync::OnceLock;

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::period::{MAX_PERIOD, MIN_PERIOD};

/// Filter half-size, pixels: the kernels are (2R+1)².
const RADIUS: usize = 5;
const SIDE: usize = 2 * RADIUS + 1;
/// Kernel rows are stored padded to this many taps (zeros at the end), so that the inner loop works
/// on whole vector registers.
const STRIDE: usize = 12;
/// Orientations in the filter bank (3.75° apart at most from the true one).
const ORIENTATIONS: usize = 24;
/// Period step of the filter bank, pixels.
const PERIOD_STEP: f32 = 0.25;
/// Gaussian envelope across and along the ridges, pixels: wide enough along the ridge to keep
/// ridges smooth, narrow enough across it to follow curvature near cores.
const SIGMA_ACROSS: f32 = 3.2;
const SIGMA_ALONG: f32 = 3.8;
/// Gain before clipping: above 1 so that a faint pattern grows to full strength.
const GAIN: f32 = 3.0;
/// Growth stops when this share of the finger carries ridges, plus a few settling passes.
const REACHED: f32 = 0.995;
/// A pixel counts as reached by the ridges once its value is this far from zero.
const REACHED_LEVEL: f32 = 0.01;
const SETTLE_PASSES: usize = 3;
const MAX_PASSES: usize = 60;
/// Radius of a seed patch, pixels.
const SEED_RADIUS: usize = 5;
/// Threads sharing a pass (row bands); the result does not depend on how many.
const MAX_THREADS: usize = 4;
/// Blocks (pixels) used to skip the parts the ridges have not reached yet.
const BLOCK: usize = 16;

/// Inputs of the growth: the local orientation and period at each pixel, and where the finger is.
pub(crate) struct GrowthInput<'a> {
    pub(crate) width: usize,
    pub(crate) height: usize,
    /// Ridge direction, radians in [0, π), row-major.
    pub(crate) orientation: &'a [f32],
    /// Ridge period, pixels, row-major.
    pub(crate) period: &'a [f32],
    /// Where ridges must be grown, row-major.
    pub(crate) inside: &'a [bool],
    /// Seeds per 10,000 pixels of finger: more seeds, more fronts meeting, more minutiae.
    pub(crate) seed_density: f32,
}

/// Grows the master pattern: values in [-1, 1], positive on ridges, zero outside the finger.
pub(crate) fn grow(input: &GrowthInput<'_>, rng: &mut ChaCha8Rng) -> Vec<f32> {
    let (w, h) = (input.width, input.height);
    let bank = FilterBank::shared();
    let kernel_of: Vec<u16> = (0..w * h)
        .map(|i| bank.index(input.orientation[i], input.period[i]))
        .collect();

    // Only pixels far enough from the canvas edge to hold a whole kernel take part.
    let inside: Vec<bool> = (0..w * h)
        .map(|i| {
            let (x, y) = (i % w, i / w);
            input.inside[i]
                && x >= RADIUS
                && y >= RADIUS
                && x + STRIDE - RADIUS <= w
                && y + RADIUS < h
        })
        .collect();
    let finger_pixels = inside.iter().filter(|&&b| b).count().max(1);

    let mut current = vec![0.0f32; w * h];
    let seeds = plant_seeds(input, &inside, &mut current, finger_pixels, rng);

    let (bw, bh) = (w.div_ceil(BLOCK), h.div_ceil(BLOCK));
    let mut next = vec![0.0f32; w * h];
    let mut settled = 0;
    let mut passes = 0;
    let bands = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, MAX_THREADS);
    let band_rows = h.div_ceil(bands);
    while passes < MAX_PASSES {
        passes += 1;
        let live = live_blocks(&current, w, bw, bh);
        let pass = Pass {
            width: w,
            blocks_wide: bw,
            live: &live,
            inside: &inside,
            kernel_of: &kernel_of,
            bank,
            current: &current,
        };
        let reached: usize = if bands == 1 {
            pass.run(0, &mut next)
        } else {
            std::thread::scope(|scope| {
                let handles: Vec<_> = next
                    .chunks_mut(band_rows * w)
                    .enumerate()
                    .map(|(band, rows)| {
                        let pass = &pass;
                        scope.spawn(move || pass.run(band * band_rows, rows))
                    })
                    .collect();
                // A band's thread cannot panic (no indexing out of its checked ranges); count a
                // failed one as unreached so that growth simply runs to its pass limit.
                handles
                    .into_iter()
                    .map(|handle| handle.join().unwrap_or(0))
                    .sum()
            })
        };
        std::mem::swap(&mut current, &mut next);
        tracing::trace!(
            passes,
            reached = reached as f32 / finger_pixels as f32,
            "pass"
        );
        if reached as f32 >= REACHED * finger_pixels as f32 {
            settled += 1;
            if settled > SETTLE_PASSES {
                break;
            }
        }
    }
    tracing::trace!(passes, seeds, "ridges grown");
    current
}

/// Plants the seeds the ridges grow from: small patches of ridges already in the local direction
/// and period, at random places and phases. Returns how many were planted.
fn plant_seeds(
    input: &GrowthInput<'_>,
    inside: &[bool],
    values: &mut [f32],
    finger_pixels: usize,
    rng: &mut ChaCha8Rng,
) -> usize {
    let (w, h) = (input.width, input.height);
    let wanted = (((finger_pixels as f32 / 10_000.0) * input.seed_density).round() as usize).max(1);
    let mut placed = 0;
    let mut attempts = 0;
    while placed < wanted && attempts < 100_000 {
        attempts += 1;
        let x = rng.random_range(RADIUS..w - RADIUS);
        let y = rng.random_range(RADIUS..h - RADIUS);
        if !inside[y * w + x] {
            continue;
        }
        let phase = rng.random_range(0.0..2.0 * PI);
        let (s, c) = input.orientation[y * w + x].sin_cos();
        let period = input.period[y * w + x];
        let r = SEED_RADIUS as isize;
        for dy in -r..=r {
            for dx in -r..=r {
                if dx * dx + dy * dy > r * r {
                    continue;
                }
                let i = (y as isize + dy) as usize * w + (x as isize + dx) as usize;
                if inside[i] {
                    let across = -(dx as f32) * s + dy as f32 * c;
                    values[i] = (2.0 * PI * across / period + phase).cos();
                }
            }
        }
        placed += 1;
    }
    placed
}

/// One filtering pass, shared read-only by the threads that compute its row bands.
struct Pass<'a> {
    width: usize,
    blocks_wide: usize,
    live: &'a [bool],
    inside: &'a [bool],
    kernel_of: &'a [u16],
    bank: &'a FilterBank,
    current: &'a [f32],
}

impl Pass<'_> {
    /// Filters the rows from `first_row` into `rows` (whole rows); returns how many finger pixels
    /// the ridges have reached.
    fn run(&self, first_row: usize, rows: &mut [f32]) -> usize {
        let w = self.width;
        let mut reached = 0;
        for (r, out) in rows.chunks_exact_mut(w).enumerate() {
            let y = first_row + r;
            let live_row = &self.live[(y / BLOCK) * self.blocks_wide..];
            for (x, value) in out.iter_mut().enumerate() {
                let i = y * w + x;
                if !self.inside[i] || !live_row[x / BLOCK] {
                    *value = 0.0;
                    continue;
                }
                let kernel = self.bank.kernel(self.kernel_of[i]);
                // One accumulator per column: the compiler keeps them in vector registers.
                let mut acc = [0.0f32; STRIDE];
                for (row, taps) in kernel.chunks_exact(STRIDE).enumerate() {
                    let start = (y + row - RADIUS) * w + x - RADIUS;
                    let pixels = &self.current[start..start + STRIDE];
                    for ((a, t), p) in acc.iter_mut().zip(taps).zip(pixels) {
                        *a += t * p;
                    }
                }
                let sum: f32 = acc.iter().sum();
                *value = (GAIN * sum).clamp(-1.0, 1.0);
                if value.abs() > REACHED_LEVEL {
                    reached += 1;
                }
            }
        }
        reached
    }
}

/// Blocks that hold or border a pixel the ridges have reached.
fn live_blocks(values: &[f32], w: usize, bw: usize, bh: usize) -> Vec<bool> {
    let mut reached = vec![false; bw * bh];
    for (i, v) in values.iter().enumerate() {
        if *v != 0.0 {
            reached[(i / w / BLOCK) * bw + (i % w) / BLOCK] = true;
        }
    }
    let mut live = vec![false; bw * bh];
    for by in 0..bh {
        for bx in 0..bw {
            if !reached[by * bw + bx] {
                continue;
            }
            for ny in by.saturating_sub(1)..(by + 2).min(bh) {
                for nx in bx.saturating_sub(1)..(bx + 2).min(bw) {
                    live[ny * bw + nx] = true;
                }
            }
        }
    }
    live
}

/// Gabor kernels for every orientation and period step, normalised to unit gain on a matching ridge
/// pattern and zero response to a flat area.
struct FilterBank {
    periods: usize,
    kernels: Vec<f32>,
}

impl FilterBank {
    /// The bank, built once per process.
    fn shared() -> &'static FilterBank {
        static BANK: OnceLock<FilterBank> = OnceLock::new();
        BANK.get_or_init(FilterBank::new)
    }

    fn new() -> Self {
        let periods = ((MAX_PERIOD - MIN_PERIOD) / PERIOD_STEP).round() as usize + 1;
        let mut kernels = Vec::with_capacity(ORIENTATIONS * periods * SIDE * STRIDE);
        let tuned: Vec<f32> = (0..periods)
            .map(|p| tune(MIN_PERIOD + p as f32 * PERIOD_STEP))
            .collect();
        for o in 0..ORIENTATIONS {
            let theta = o as f32 * PI / ORIENTATIONS as f32;
            for (p, &tuned_period) in tuned.iter().enumerate() {
                let period = MIN_PERIOD + p as f32 * PERIOD_STEP;
                let taps = gabor(theta, tuned_period);
                // Unit gain on a ridge pattern of the wanted period.
                let gain = response(&taps, theta, period);
                let gain = if gain.abs() > 1e-6 { gain } else { 1.0 };
                for row in taps.chunks_exact(SIDE) {
                    kernels.extend(row.iter().map(|t| t / gain));
                    kernels.extend([0.0; STRIDE - SIDE]);
                }
            }
        }
        Self { periods, kernels }
    }

    fn index(&self, orientation: f32, period: f32) -> u16 {
        let o =
            (orientation.rem_euclid(PI) / PI * ORIENTATIONS as f32).round() as usize % ORIENTATIONS;
        let p =
            (((period - MIN_PERIOD) / PERIOD_STEP).round().max(0.0) as usize).min(self.periods - 1);
        (o * self.periods + p) as u16
    }

    fn kernel(&self, index: u16) -> &[f32] {
        let start = index as usize * SIDE * STRIDE;
        &self.kernels[start..start + SIDE * STRIDE]
    }
}

/// An even Gabor kernel (SIDE × SIDE) for ridges in direction `theta` with cosine period `period`,
/// without response to a flat area.
fn gabor(theta: f32, period: f32) -> Vec<f32> {
    let (s, c) = theta.sin_cos();
    let mut taps = Vec::with_capacity(SIDE * SIDE);
    let mut envelope_sum = 0.0;
    for dy in 0..SIDE {
        for dx in 0..SIDE {
            let (x, y) = (dx as f32 - RADIUS as f32, dy as f32 - RADIUS as f32);
            let along = x * c + y * s;
            let across = -x * s + y * c;
            let envelope = (-(along * along) / (2.0 * SIGMA_ALONG * SIGMA_ALONG)
                - (across * across) / (2.0 * SIGMA_ACROSS * SIGMA_ACROSS))
                .exp();
            envelope_sum += envelope;
            taps.push((envelope, (2.0 * PI * across / period).cos()));
        }
    }
    let dc: f32 = taps.iter().map(|(e, w)| e * w).sum::<f32>() / envelope_sum;
    taps.iter().map(|(e, w)| e * (w - dc)).collect()
}

/// The kernel's response to ridges in direction `theta` with period `period`.
fn response(taps: &[f32], theta: f32, period: f32) -> f32 {
    let (s, c) = theta.sin_cos();
    let mut sum = 0.0;
    for dy in 0..SIDE {
        for dx in 0..SIDE {
            let (x, y) = (dx as f32 - RADIUS as f32, dy as f32 - RADIUS as f32);
            let across = -x * s + y * c;
            sum += taps[dy * SIDE + dx] * (2.0 * PI * across / period).cos();
        }
    }
    sum
}

/// The ridge period a kernel responds to most.
fn peak_period(taps: &[f32]) -> f32 {
    (0..=140)
        .map(|k| 6.0 + k as f32 * 0.05)
        .map(|p| (p, response(taps, 0.0, p)))
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map_or(0.0, |(p, _)| p)
}

/// The cosine period to build a kernel with so that it responds most to ridges of `period`: a
/// narrow envelope with its flat response removed favours shorter periods, and growth settles at
/// the period the filter favours, so the kernel is tuned longer to compensate.
fn tune(period: f32) -> f32 {
    (0..=35)
        .map(|k| period + k as f32 * 0.1)
        .min_by(|a, b| {
            let miss = |t: f32| (peak_period(&gabor(0.0, t)) - period).abs();
            miss(*a).total_cmp(&miss(*b))
        })
        .unwrap_or(period)
}
