//! Synthetic head-and-shoulders portraits for the simulated camera: an applicant drawn from a seed
//! (face shape, skin tone, hair, eyes, brows, nose, mouth, ears, neck, clothing, a light plain
//! background), rendered into a landscape 4:3 camera frame, with photo defects put into the pixels on
//! request (off-centre, head too small or large, tilt, white or cluttered background, exposure, blur,
//! side shadow, eyes closed).
//!
//! The renderer is simple and honest: ellipses, bands, gradients, shading and a little texture and
//! sensor noise. Same (seed, defects, size), same pixels, every time.

mod canvas;
mod defects;
mod palette;
mod render;

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

pub use defects::{Defect, Defects, UnknownDefect};

use canvas::Colour;

/// How the hair is cut.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HairStyle {
    /// Short hair following the skull.
    Short,
    /// Long hair falling beside the face down to the shoulders.
    Long,
    /// Very little hair: a thin band on the sides.
    Bald,
    /// Thick curly hair, a bumpy outline.
    Curly,
    /// Short hair with a fringe low on the forehead.
    Fringe,
}

/// One synthetic applicant: everything that stays the same from one photo to the next.
#[derive(Debug, Clone)]
pub struct Portrait {
    seed: u64,
    pub(crate) skin: Colour,
    pub(crate) hair: Colour,
    pub(crate) hair_style: HairStyle,
    pub(crate) iris: Colour,
    pub(crate) lips: Colour,
    pub(crate) clothing: Colour,
    pub(crate) background: Colour,
    /// Skull height, chin to top of the skull, as a fraction of the frame height.
    pub(crate) head_height: f32,
    /// Face width ÷ height (semi-axes ratio).
    pub(crate) aspect: f32,
    /// How much narrower the jaw is than the cheeks (0..0.2).
    pub(crate) jaw: f32,
    /// Top of the skull, fraction of frame height.
    pub(crate) crown_y: f32,
    /// Head centre offset from the frame centre, in frame heights.
    pub(crate) centre_x: f32,
    /// A natural small roll, in degrees.
    pub(crate) roll_degrees: f32,
    /// Eye line below the skull centre, in skull semi-heights.
    pub(crate) eye_v: f32,
    /// Half the distance between the eyes, in face semi-widths.
    pub(crate) eye_dx: f32,
    /// Eye size factor.
    pub(crate) eye_size: f32,
    pub(crate) brow_thickness: f32,
    pub(crate) brow_arch: f32,
    pub(crate) mouth_width: f32,
    pub(crate) nose_v: f32,
    pub(crate) ear_size: f32,
    pub(crate) neck_width: f32,
    /// Hairline height above the skull centre, in skull semi-heights (negative: above).
    pub(crate) hairline_v: f32,
    /// Hair thickness over the skull, in frame heights.
    pub(crate) hair_thickness: f32,
    /// Left/right light balance on the face (a few percent).
    pub(crate) light_balance: f32,
    /// Background brightness slope across the frame.
    pub(crate) background_slope: f32,
    /// Exposure gain of a normal photo (close to 1).
    pub(crate) gain: f32,
    /// Sensor noise, grey levels.
    pub(crate) noise: f32,
}

/// Where the head is in a rendered frame (the truth a compliance check should measure), in fractions
/// of the frame's width (x) and height (y).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HeadTruth {
    /// Horizontal centre of the face (between the eyes), fraction of the width.
    pub centre_x: f32,
    /// Eye line (mid-point of the eyes), fraction of the height.
    pub eye_y: f32,
    /// Bottom of the chin, fraction of the height.
    pub chin_y: f32,
    /// Top of the head (hair included), fraction of the height.
    pub crown_y: f32,
    /// Roll of the head, degrees, positive clockwise on screen.
    pub roll_degrees: f32,
}

/// The head's geometry once defects are applied (frame-height units, x from the frame centre).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Layout {
    /// Skull semi-width and semi-height.
    pub a: f32,
    pub b: f32,
    /// The chin point, around which a tilted head rolls.
    pub chin_x: f32,
    pub chin_y: f32,
    /// Roll in radians.
    pub roll: f32,
    /// Both eyes closed (the defect).
    pub eyes_closed: bool,
}

impl Portrait {
    /// The applicant for `seed`: same seed, same person.
    pub fn from_seed(seed: u64) -> Portrait {
        let mut rng = ChaCha8Rng::seed_from_u64(seed ^ 0x5052_5452_4149_5401);
        let skin = palette::skin(&mut rng);
        let hair = palette::hair(&mut rng, skin);
        let hair_style = match rng.random_range(0..10) {
            0..=2 => HairStyle::Short,
            3..=5 => HairStyle::Long,
            6 => HairStyle::Bald,
            7 => HairStyle::Curly,
            _ => HairStyle::Fringe,
        };
        let lip_depth = rng.random_range(0.72f32..0.86);
        let lips = [
            skin[0] * lip_depth,
            skin[1] * lip_depth * 0.78,
            skin[2] * lip_depth * 0.8,
        ];
        let head_height = rng.random_range(0.50f32..0.60);
        Portrait {
            seed,
            skin,
            hair,
            hair_style,
            iris: palette::iris(&mut rng),
            lips,
            clothing: palette::clothing(&mut rng),
            background: palette::background(&mut rng),
            head_height,
            aspect: rng.random_range(0.68f32..0.80),
            jaw: rng.random_range(0.04f32..0.18),
            crown_y: rng.random_range(0.13f32..0.18),
            centre_x: rng.random_range(-0.012f32..0.012),
            roll_degrees: rng.random_range(-1.5f32..1.5),
            eye_v: rng.random_range(-0.02f32..0.08),
            eye_dx: rng.random_range(0.38f32..0.44),
            eye_size: rng.random_range(0.88f32..1.12),
            brow_thickness: rng.random_range(0.035f32..0.065),
            brow_arch: rng.random_range(0.02f32..0.07),
            mouth_width: rng.random_range(0.26f32..0.34),
            nose_v: rng.random_range(0.38f32..0.46),
            ear_size: rng.random_range(0.9f32..1.1),
            neck_width: rng.random_range(0.46f32..0.58),
            hairline_v: match hair_style {
                HairStyle::Fringe => rng.random_range(-0.42f32..-0.34),
                HairStyle::Bald => -1.1,
                _ => rng.random_range(-0.62f32..-0.45),
            },
            hair_thickness: match hair_style {
                HairStyle::Bald => 0.0,
                HairStyle::Curly => rng.random_range(0.03f32..0.045),
                _ => rng.random_range(0.012f32..0.03),
            },
            light_balance: rng.random_range(-0.04f32..0.04),
            background_slope: rng.random_range(-0.04f32..0.04),
            gain: rng.random_range(0.95f32..1.05),
            noise: rng.random_range(1.2f32..2.5),
        }
    }

    /// The seed this applicant was drawn from.
    pub fn seed(&self) -> u64 {
        self.seed
    }

    /// The applicant's hair style.
    pub fn hair_style(&self) -> HairStyle {
        self.hair_style
    }

    /// A generator for one defect's parameters: each defect draws from its own stream, so adding a
    /// defect never changes how another one looks.
    pub(crate) fn defect_rng(&self, defect: Defect) -> ChaCha8Rng {
        ChaCha8Rng::seed_from_u64(
            self.seed.rotate_left(17)
                ^ 0xDEF0_0000
                ^ (defect as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15),
        )
    }

    /// The head's geometry with `defects` applied.
    pub(crate) fn layout(&self, defects: &Defects) -> Layout {
        let mut head_height = self.head_height;
        let mut crown_y = self.crown_y;
        let mut centre_x = self.centre_x;
        let mut roll_degrees = self.roll_degrees;
        if defects.contains(Defect::HeadTooSmall) {
            let mut rng = self.defect_rng(Defect::HeadTooSmall);
            head_height = rng.random_range(0.26f32..0.36);
            crown_y = rng.random_range(0.20f32..0.30);
        }
        if defects.contains(Defect::HeadTooLarge) {
            let mut rng = self.defect_rng(Defect::HeadTooLarge);
            head_height = rng.random_range(0.78f32..0.88);
            crown_y = rng.random_range(0.04f32..0.08);
        }
        if defects.contains(Defect::OffCentre) {
            let mut rng = self.defect_rng(Defect::OffCentre);
            let side = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
            centre_x = side * rng.random_range(0.19f32..0.30);
        }
        if defects.contains(Defect::Tilted) {
            let mut rng = self.defect_rng(Defect::Tilted);
            let side = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
            roll_degrees = side * rng.random_range(10.0f32..20.0);
        }
        let b = head_height / 2.0;
        Layout {
            a: b * self.aspect,
            b,
            chin_x: centre_x,
            chin_y: crown_y + head_height,
            roll: roll_degrees.to_radians(),
            eyes_closed: defects.contains(Defect::EyesClosed),
        }
    }

    /// Where the head lands in the frame with `defects` applied: the ground truth for tests.
    pub fn head_truth(&self, defects: &Defects, width: u32, height: u32) -> HeadTruth {
        let layout = self.layout(defects);
        let aspect = width.max(1) as f32 / height.max(1) as f32;
        // A point of the head given in head coordinates (u right, v down from the skull centre).
        let place = |u: f32, v: f32| {
            let (du, dv) = (u, v - layout.b);
            let (s, c) = layout.roll.sin_cos();
            let x = layout.chin_x + du * c - dv * s;
            let y = layout.chin_y + du * s + dv * c;
            (x, y)
        };
        let (eye_x, eye_y) = place(0.0, self.eye_v * layout.b);
        let top = layout.b + self.hair_thickness;
        let (_, crown_y) = place(0.0, -top);
        HeadTruth {
            centre_x: 0.5 + eye_x / aspect,
            eye_y,
            chin_y: layout.chin_y,
            crown_y,
            roll_degrees: layout.roll.to_degrees(),
        }
    }

    /// Renders the applicant into a `width × height` camera frame (landscape 4:3 expected: 640×480,
    /// 320×240 or 160×120) with `defects` in the pixels.
    pub fn render(&self, defects: &Defects, width: u32, height: u32) -> image::RgbImage {
        render::render(self, defects, width.max(1), height.max(1))
    }
}
