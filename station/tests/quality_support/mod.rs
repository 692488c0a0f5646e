//! Shared by the quality tests: the reference images and the deterministic degradations of them
//! that NIST's NFIQ 2 scored by hand (scores in tests/data/quality/degraded_nfiq2.csv). Integer
//! arithmetic and our own PRNG only, so the images are the same bytes on every machine.

use image::GrayImage;
use std::path::PathBuf;

/// The reference images' directory.
pub fn data_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/data/quality")
}

/// NIST's five SFinGe examples, by stem ("SFinGe_Test01" …).
pub const REFERENCES: [&str; 5] = [
    "SFinGe_Test01",
    "SFinGe_Test02",
    "SFinGe_Test03",
    "SFinGe_Test04",
    "SFinGe_Test05",
];

pub fn load_reference(stem: &str) -> GrayImage {
    image::open(data_dir().join(format!("{stem}.pgm")))
        .expect("reference image")
        .to_luma8()
}

/// A degradation and its strength.
#[derive(Debug, Clone, Copy)]
pub enum Degradation {
    /// Box blur of this radius, twice.
    Blur(u32),
    /// Additive noise of this amplitude (sum of two uniforms in ±amplitude/2).
    Noise(u32),
    /// Contrast kept, percent, faded towards white (light pressure).
    Contrast(u32),
    /// Ridges thinned by a white max filter of this radius; plus white speckles, per mille.
    Dry(u32, u32),
    /// Ridges thickened by a dark min filter of this radius (wet finger).
    Wet(u32),
    /// Only the top part touches the sensor: percent of rows kept.
    PartialTop(u32),
    /// Only a centred disc touches: radius in percent of the smaller side.
    PartialDisc(u32),
    /// Only the print's lower left corner touches (a finger tipped sideways): a rectangle of this
    /// percent of the print's width and height.
    PartialCorner(u32),
    /// Only a vertical band through the print's middle touches (a finger on its edge): percent of
    /// the print's width.
    PartialStrip(u32),
    /// Blur then noise.
    BlurNoise(u32, u32),
    /// Faded then noisy.
    ContrastNoise(u32, u32),
    /// Dry and faded.
    DryContrast(u32, u32),
    /// Wet then noisy.
    WetNoise(u32, u32),
}

/// Every degradation we score, several strengths each.
pub fn all_degradations() -> Vec<Degradation> {
    use Degradation::*;
    let mut v = Vec::new();
    v.extend([1, 2, 3, 4, 6].map(Blur));
    v.extend([15, 30, 50, 80, 120].map(Noise));
    v.extend([60, 35, 20, 10, 5].map(Contrast));
    v.extend([(1, 0), (1, 100), (2, 0), (2, 150), (3, 0)].map(|(a, b)| Dry(a, b)));
    v.extend([1, 2, 3, 4].map(Wet));
    v.extend([75, 55, 40].map(PartialTop));
    v.extend([35, 25].map(PartialDisc));
    v.extend([BlurNoise(2, 40), ContrastNoise(25, 40), DryContrast(1, 30)]);
    v
}

/// The larger evaluation set's degradations (scripts/quality-eval.sh): every kind at several
/// strengths, from barely visible to unusable, and combinations.
pub fn eval_degradations() -> Vec<Degradation> {
    use Degradation::*;
    let mut v = Vec::new();
    v.extend([1, 2, 3, 5].map(Blur));
    v.extend([20, 45, 80, 120].map(Noise));
    v.extend([55, 30, 15, 7].map(Contrast));
    v.extend([(1, 0), (1, 120), (2, 60), (2, 200)].map(|(a, b)| Dry(a, b)));
    v.extend([1, 2, 3].map(Wet));
    v.extend([80, 60, 40].map(PartialTop));
    v.extend([42, 32, 22].map(PartialDisc));
    // Contacts as small as the smallest disc, in other shapes, so that the model learns from the
    // training kinds where NFIQ 2 stops finding enough minutiae (the discs stay held out).
    v.extend([55, 42, 30].map(PartialCorner));
    v.extend([35, 24, 15].map(PartialStrip));
    v.extend([BlurNoise(1, 30), BlurNoise(3, 60)]);
    v.extend([ContrastNoise(40, 30), ContrastNoise(15, 60)]);
    v.extend([DryContrast(1, 40), DryContrast(2, 20)]);
    v.extend([WetNoise(1, 40), WetNoise(2, 80)]);
    v
}

impl Degradation {
    /// A file-name friendly name, e.g. `blur-3`.
    pub fn name(&self) -> String {
        use Degradation::*;
        match self {
            Blur(r) => format!("blur-{r}"),
            Noise(a) => format!("noise-{a}"),
            Contrast(k) => format!("contrast-{k}"),
            Dry(r, s) => format!("dry-{r}-{s}"),
            Wet(r) => format!("wet-{r}"),
            PartialTop(p) => format!("partial-top-{p}"),
            PartialDisc(p) => format!("partial-disc-{p}"),
            PartialCorner(p) => format!("partial-corner-{p}"),
            PartialStrip(p) => format!("partial-strip-{p}"),
            BlurNoise(r, a) => format!("blur-{r}-noise-{a}"),
            ContrastNoise(k, a) => format!("contrast-{k}-noise-{a}"),
            DryContrast(r, k) => format!("dry-{r}-contrast-{k}"),
            WetNoise(r, a) => format!("wet-{r}-noise-{a}"),
        }
    }

    /// The family, for holding out whole kinds of damage when the model is evaluated.
    pub fn kind(&self) -> &'static str {
        use Degradation::*;
        match self {
            Blur(_) => "blur",
            Noise(_) => "noise",
            Contrast(_) => "contrast",
            Dry(..) => "dry",
            Wet(_) => "wet",
            PartialTop(_) => "partial-top",
            PartialDisc(_) => "partial-disc",
            PartialCorner(_) => "partial-corner",
            PartialStrip(_) => "partial-strip",
            BlurNoise(..) => "blur-noise",
            ContrastNoise(..) => "contrast-noise",
            DryContrast(..) => "dry-contrast",
            WetNoise(..) => "wet-noise",
        }
    }

    pub fn apply(&self, img: &GrayImage, seed: u64) -> GrayImage {
        use Degradation::*;
        match *self {
            Blur(r) => box_blur(&box_blur(img, r), r),
            Noise(a) => noise(img, a, seed),
            Contrast(k) => contrast(img, k),
            Dry(r, s) => speckle(&rank(img, r, true), s, seed),
            Wet(r) => rank(img, r, false),
            PartialTop(p) => partial_top(img, p),
            PartialDisc(p) => partial_disc(img, p),
            PartialCorner(p) => partial_corner(img, p),
            PartialStrip(p) => partial_strip(img, p),
            BlurNoise(r, a) => noise(&box_blur(&box_blur(img, r), r), a, seed),
            ContrastNoise(k, a) => noise(&contrast(img, k), a, seed),
            DryContrast(r, k) => contrast(&rank(img, r, true), k),
            WetNoise(r, a) => noise(&rank(img, r, false), a, seed),
        }
    }
}

/// SplitMix64: small, fast, the same everywhere.
pub struct SplitMix(pub u64);

impl SplitMix {
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
}

fn box_blur(img: &GrayImage, r: u32) -> GrayImage {
    let (w, h) = img.dimensions();
    let r = r as i64;
    let get = |x: i64, y: i64| {
        u32::from(
            img.get_pixel(
                x.clamp(0, w as i64 - 1) as u32,
                y.clamp(0, h as i64 - 1) as u32,
            )[0],
        )
    };
    let n = ((2 * r + 1) * (2 * r + 1)) as u32;
    GrayImage::from_fn(w, h, |x, y| {
        let mut s = 0u32;
        for dy in -r..=r {
            for dx in -r..=r {
                s += get(x as i64 + dx, y as i64 + dy);
            }
        }
        image::Luma([((s + n / 2) / n) as u8])
    })
}

fn noise(img: &GrayImage, a: u32, seed: u64) -> GrayImage {
    let mut rng = SplitMix(seed);
    let mut out = img.clone();
    for p in out.pixels_mut() {
        let n = rng.below(u64::from(a) + 1) as i32 + rng.below(u64::from(a) + 1) as i32 - a as i32;
        p[0] = (i32::from(p[0]) + n).clamp(0, 255) as u8;
    }
    out
}

fn contrast(img: &GrayImage, k: u32) -> GrayImage {
    let mut out = img.clone();
    for p in out.pixels_mut() {
        p[0] = (255 - (255 - u32::from(p[0])) * k / 100) as u8;
    }
    out
}

/// Max (`white` = true) or min filter over a (2r+1)² square.
fn rank(img: &GrayImage, r: u32, white: bool) -> GrayImage {
    let (w, h) = img.dimensions();
    let r = r as i64;
    GrayImage::from_fn(w, h, |x, y| {
        let mut best = if white { 0u8 } else { 255u8 };
        for dy in -r..=r {
            for dx in -r..=r {
                let v = img.get_pixel(
                    (x as i64 + dx).clamp(0, w as i64 - 1) as u32,
                    (y as i64 + dy).clamp(0, h as i64 - 1) as u32,
                )[0];
                best = if white { best.max(v) } else { best.min(v) };
            }
        }
        image::Luma([best])
    })
}

/// White 3 × 3 dots at `per_mille` of the pixels: ridges broken as on a dry finger.
fn speckle(img: &GrayImage, per_mille: u32, seed: u64) -> GrayImage {
    let (w, h) = img.dimensions();
    let mut rng = SplitMix(seed ^ 0x5EED);
    let mut out = img.clone();
    let dots = u64::from(w) * u64::from(h) * u64::from(per_mille) / 1000 / 9;
    for _ in 0..dots {
        let (cx, cy) = (
            rng.below(u64::from(w)) as i64,
            rng.below(u64::from(h)) as i64,
        );
        for dy in -1..=1 {
            for dx in -1..=1 {
                let (x, y) = (cx + dx, cy + dy);
                if x >= 0 && y >= 0 && x < w as i64 && y < h as i64 {
                    out.put_pixel(x as u32, y as u32, image::Luma([255]));
                }
            }
        }
    }
    out
}

fn partial_top(img: &GrayImage, percent: u32) -> GrayImage {
    let (w, h) = img.dimensions();
    let keep = h * percent / 100;
    GrayImage::from_fn(w, h, |x, y| {
        if y < keep {
            *img.get_pixel(x, y)
        } else {
            image::Luma([255])
        }
    })
}

fn partial_disc(img: &GrayImage, percent: u32) -> GrayImage {
    let (w, h) = img.dimensions();
    let r = i64::from(w.min(h) * percent / 100);
    let (cx, cy) = (i64::from(w / 2), i64::from(h / 2));
    GrayImage::from_fn(w, h, |x, y| {
        let (dx, dy) = (i64::from(x) - cx, i64::from(y) - cy);
        if dx * dx + dy * dy <= r * r {
            *img.get_pixel(x, y)
        } else {
            image::Luma([255])
        }
    })
}

/// The print's bounding box, inclusive: pixels darker than mid-grey. NIST's prints sit inside a
/// white margin, the simulator's fill the frame; a contact is placed on the print, not the frame.
fn print_box(img: &GrayImage) -> (u32, u32, u32, u32) {
    let (w, h) = img.dimensions();
    let (mut x0, mut y0, mut x1, mut y1) = (w, h, 0, 0);
    for (x, y, p) in img.enumerate_pixels() {
        if p[0] < 128 {
            (x0, y0, x1, y1) = (x0.min(x), y0.min(y), x1.max(x), y1.max(y));
        }
    }
    if x0 > x1 {
        (0, 0, w - 1, h - 1)
    } else {
        (x0, y0, x1, y1)
    }
}

/// Keeps the pixels `keep` accepts, the rest white (no contact).
fn contact(img: &GrayImage, keep: impl Fn(u32, u32) -> bool) -> GrayImage {
    GrayImage::from_fn(img.width(), img.height(), |x, y| {
        if keep(x, y) {
            *img.get_pixel(x, y)
        } else {
            image::Luma([255])
        }
    })
}

fn partial_corner(img: &GrayImage, percent: u32) -> GrayImage {
    let (x0, y0, x1, y1) = print_box(img);
    let (kw, kh) = ((x1 - x0 + 1) * percent / 100, (y1 - y0 + 1) * percent / 100);
    contact(img, |x, y| x >= x0 && x < x0 + kw && y <= y1 && y + kh > y1)
}

fn partial_strip(img: &GrayImage, percent: u32) -> GrayImage {
    let (x0, _, x1, _) = print_box(img);
    let half = (x1 - x0 + 1) * percent / 200;
    let mid = (x0 + x1) / 2;
    contact(img, |x, _| x + half >= mid && x < mid + half)
}

/// Seed of a degradation of a reference, so every run makes the same image.
pub fn seed_for(stem: &str, d: &Degradation) -> u64 {
    let mut h = 0xCBF2_9CE4_8422_2325u64;
    for b in stem.bytes().chain(d.name().bytes()) {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01B3);
    }
    h
}

/// Every degraded image of a reference, with its name `<stem>__<degradation>`.
pub fn degraded_set(stem: &str) -> Vec<(String, GrayImage)> {
    degraded_where(stem, |_| true)
}

/// The degraded images of a reference whose name `keep` accepts: the others are never made
/// (degrading runs in unoptimised test code, and a test that reads a third of the set should not
/// pay for all of it).
pub fn degraded_where(stem: &str, keep: impl Fn(&str) -> bool) -> Vec<(String, GrayImage)> {
    let img = load_reference(stem);
    all_degradations()
        .iter()
        .filter_map(|d| {
            let name = format!("{stem}__{}", d.name());
            keep(&name).then(|| {
                let degraded = d.apply(&img, seed_for(stem, d));
                (name, degraded)
            })
        })
        .collect()
}

/// NIST's scores for the degraded images (`name,nfiq2`; `-1` where NFIQ 2 refused the image).
pub fn nist_scores() -> Vec<(String, i32)> {
    let text =
        std::fs::read_to_string(data_dir().join("degraded_nfiq2.csv")).expect("degraded_nfiq2.csv");
    text.lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("name") && !l.trim().is_empty())
        .map(|l| {
            let mut it = l.split(',');
            let name = it.next().unwrap_or_default().to_string();
            let score = it.next().and_then(|s| s.trim().parse().ok()).unwrap_or(-1);
            (name, score)
        })
        .collect()
}
