//! A sensor with defects taking its frames: light falloff, residue, dimming, noise, then dead and
//! stuck pixels, in the order light meets them.

use image::GrayImage;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::layout::DefectLayout;
use super::spec::SensorDefects;

/// Salt for the noise dice of each frame.
const NOISE_SALT: u64 = 0x4e4f_4953_4521_2121;

/// A fingerprint sensor with its defects and its age (captures taken so far). Deterministic: the
/// same seed and the same sequence of scenes give the same frames.
#[derive(Debug, Clone)]
pub struct DefectiveSensor {
    defects: SensorDefects,
    seed: u64,
    captures: u64,
    layout: Option<DefectLayout>,
}

impl DefectiveSensor {
    /// A new sensor with `defects`, drawn from `seed`, that has taken no capture yet.
    pub fn new(defects: SensorDefects, seed: u64) -> Self {
        Self {
            defects,
            seed,
            captures: 0,
            layout: None,
        }
    }

    /// The defects in force.
    pub fn defects(&self) -> &SensorDefects {
        &self.defects
    }

    /// Puts other defects in force; the sensor keeps its age (the light source does not get
    /// younger).
    pub fn set_defects(&mut self, defects: SensorDefects) {
        self.defects = defects;
        self.layout = None;
    }

    /// Captures taken so far.
    pub fn captures(&self) -> u64 {
        self.captures
    }

    /// Where the defects lie on a `width` × `height` sensor: the ground truth for tests.
    pub fn layout(&self, width: u32, height: u32) -> DefectLayout {
        match &self.layout {
            Some(layout) if layout.width == width && layout.height == height => layout.clone(),
            _ => DefectLayout::new(&self.defects, self.seed, width, height),
        }
    }

    /// The fraction of its first brightness the light source gives at the next capture.
    pub fn brightness(&self) -> f64 {
        (1.0 - self.defects.dimming).powf(self.captures as f64 / 100.0)
    }

    /// Takes one frame of `scene` (what a perfect sensor would see), in place; counts a capture.
    /// A sensor without defects leaves the scene untouched.
    pub fn expose(&mut self, scene: &mut GrayImage) {
        let brightness = self.brightness();
        let capture = self.captures;
        self.captures = self.captures.saturating_add(1);
        if self.defects.is_none() {
            return;
        }
        let (width, height) = scene.dimensions();
        let layout = match self.layout.take() {
            Some(layout) if layout.width == width && layout.height == height => layout,
            _ => DefectLayout::new(&self.defects, self.seed, width, height),
        };
        let mut noise = ChaCha8Rng::seed_from_u64(
            self.seed ^ NOISE_SALT ^ capture.wrapping_mul(0x9E37_79B9_7F4A_7C15),
        );
        let sigma = self.defects.noise;
        let half_w = (f64::from(width) - 1.0).max(1.0) / 2.0;
        let half_h = (f64::from(height) - 1.0).max(1.0) / 2.0;
        for (x, y, pixel) in scene.enumerate_pixels_mut() {
            let dx = (f64::from(x) - half_w) / half_w;
            let dy = (f64::from(y) - half_h) / half_h;
            let falloff = 1.0 - self.defects.vignetting * (dx * dx + dy * dy) / 2.0;
            let residue = layout.dirty.map_or(1.0, |patch| patch.transmission(x, y));
            let mut value = f64::from(pixel.0[0]) * falloff * residue * brightness;
            if sigma > 0.0 {
                value += sigma * gaussian(&mut noise);
            }
            pixel.0[0] = value.round().clamp(0.0, 255.0) as u8;
        }
        for &(x, y) in &layout.dead {
            scene.put_pixel(x, y, image::Luma([0]));
        }
        for &(x, y) in &layout.stuck {
            scene.put_pixel(x, y, image::Luma([255]));
        }
        self.layout = Some(layout);
    }
}

/// One standard normal draw (Box–Muller).
fn gaussian(rng: &mut ChaCha8Rng) -> f64 {
    let u1: f64 = rng.random_range(f64::EPSILON..1.0);
    let u2: f64 = rng.random();
    (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::Target;
    use super::*;

    #[test]
    fn a_perfect_sensor_changes_nothing() {
        let mut sensor = DefectiveSensor::new(SensorDefects::none(), 3);
        let scene = GrayImage::from_fn(16, 16, |x, y| image::Luma([(x * 16 + y) as u8]));
        let mut frame = scene.clone();
        sensor.expose(&mut frame);
        assert_eq!(frame, scene);
        assert_eq!(sensor.captures(), 1);
    }

    #[test]
    fn defects_show_where_the_layout_says() {
        let defects: SensorDefects = "vignetting=0.4,dead=5,stuck=5,dirty=30@100x100"
            .parse()
            .unwrap();
        let mut sensor = DefectiveSensor::new(defects, 4);
        let mut frame = Target::Blank.render(256, 288);
        sensor.expose(&mut frame);
        let layout = sensor.layout(256, 288);
        for &(x, y) in &layout.dead {
            assert_eq!(frame.get_pixel(x, y).0[0], 0);
        }
        for &(x, y) in &layout.stuck {
            assert_eq!(frame.get_pixel(x, y).0[0], 255);
        }
        let centre = frame.get_pixel(128, 144).0[0];
        let corner = frame.get_pixel(1, 1).0[0];
        assert!(corner < centre - 80, "corner {corner} centre {centre}");
        // Under the residue (near the centre, where vignetting is slight) the light is dimmer.
        assert!(frame.get_pixel(100, 100).0[0] < frame.get_pixel(160, 180).0[0]);
    }

    #[test]
    fn noise_is_deterministic_and_dimming_grows() {
        let defects: SensorDefects = "noise=5,dimming=0.5".parse().unwrap();
        let mut a = DefectiveSensor::new(defects.clone(), 8);
        let mut b = DefectiveSensor::new(defects, 8);
        let mut fa = Target::Blank.render(32, 32);
        let mut fb = Target::Blank.render(32, 32);
        a.expose(&mut fa);
        b.expose(&mut fb);
        assert_eq!(fa, fb);
        let mut second = Target::Blank.render(32, 32);
        a.expose(&mut second);
        assert_ne!(fa, second);
        for _ in 0..200 {
            a.expose(&mut Target::Blank.render(4, 4));
        }
        assert!(a.brightness() < 0.26 && a.brightness() > 0.24);
    }
}
