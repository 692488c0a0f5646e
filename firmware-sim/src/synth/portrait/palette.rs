//! Colours an applicant can have: skin across the human range, hair, eyes, clothing, and the light plain
//! backgrounds the rules ask for.

use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::canvas::Colour;

/// Skin tones from very light to very dark, as a camera with frontal flash records them (roughly the
/// six Fitzpatrick types). A portrait picks a point anywhere along this line.
const SKIN: [Colour; 6] = [
    [248.0, 220.0, 200.0],
    [232.0, 188.0, 158.0],
    [208.0, 156.0, 118.0],
    [176.0, 122.0, 84.0],
    [132.0, 88.0, 60.0],
    [92.0, 60.0, 44.0],
];

/// Hair colours (black, dark brown, brown, auburn, blond, grey, white).
const HAIR: [Colour; 7] = [
    [28.0, 24.0, 22.0],
    [56.0, 40.0, 30.0],
    [100.0, 70.0, 46.0],
    [122.0, 60.0, 36.0],
    [196.0, 164.0, 110.0],
    [150.0, 148.0, 144.0],
    [214.0, 210.0, 204.0],
];

/// Iris colours (dark brown, brown, hazel, green, blue, grey).
const IRIS: [Colour; 6] = [
    [48.0, 30.0, 20.0],
    [88.0, 54.0, 30.0],
    [118.0, 92.0, 50.0],
    [84.0, 108.0, 70.0],
    [86.0, 118.0, 152.0],
    [118.0, 124.0, 130.0],
];

/// A skin tone anywhere between the lightest and the darkest, with a little hue variation.
pub(crate) fn skin(rng: &mut ChaCha8Rng) -> Colour {
    let t = rng.random_range(0.0f32..1.0) * (SKIN.len() - 1) as f32;
    let i = (t.floor() as usize).min(SKIN.len() - 2);
    let f = t - i as f32;
    let mut colour = [0.0; 3];
    for (c, value) in colour.iter_mut().enumerate() {
        *value = SKIN[i][c] + (SKIN[i + 1][c] - SKIN[i][c]) * f;
    }
    // Olive to rosy undertones.
    let undertone = rng.random_range(-0.04f32..0.04);
    colour[1] *= 1.0 + undertone;
    colour[2] *= 1.0 - undertone;
    colour
}

/// A hair colour clearly different from the skin (real hair almost always is; a hair colour equal to
/// the skin colour would make a bald-looking portrait).
pub(crate) fn hair(rng: &mut ChaCha8Rng, skin: Colour) -> Colour {
    for _ in 0..16 {
        let candidate = HAIR[rng.random_range(0..HAIR.len())];
        if distance(candidate, skin) >= 55.0 {
            return shade(candidate, rng.random_range(0.9f32..1.1));
        }
    }
    HAIR[0]
}

/// An iris colour.
pub(crate) fn iris(rng: &mut ChaCha8Rng) -> Colour {
    shade(
        IRIS[rng.random_range(0..IRIS.len())],
        rng.random_range(0.85f32..1.15),
    )
}

/// Clothing: any hue, mid to dark (bright white shirts would clip like the background).
pub(crate) fn clothing(rng: &mut ChaCha8Rng) -> Colour {
    let hue = rng.random_range(0.0f32..360.0);
    let saturation = rng.random_range(0.0f32..0.7);
    let value = rng.random_range(0.15f32..0.8);
    hsv(hue, saturation, value)
}

/// A light plain background: pale grey, blue, green or beige, never white (the rules refuse white).
pub(crate) fn background(rng: &mut ChaCha8Rng) -> Colour {
    let hue = rng.random_range(0.0f32..360.0);
    let saturation = rng.random_range(0.03f32..0.22);
    let luma = rng.random_range(170.0f32..210.0);
    with_luma(hsv(hue, saturation, 1.0), luma)
}

/// A near-white background (the defect).
pub(crate) fn white_background(rng: &mut ChaCha8Rng) -> Colour {
    let hue = rng.random_range(0.0f32..360.0);
    let saturation = rng.random_range(0.0f32..0.025);
    let luma = rng.random_range(250.0f32..256.0);
    with_luma(hsv(hue, saturation, 1.0), luma)
}

/// Any colour at all (clutter).
pub(crate) fn any(rng: &mut ChaCha8Rng) -> Colour {
    hsv(
        rng.random_range(0.0f32..360.0),
        rng.random_range(0.0f32..1.0),
        rng.random_range(0.1f32..1.0),
    )
}

/// Rec. 601 luma of a colour.
pub(crate) fn luma(colour: Colour) -> f32 {
    0.299 * colour[0] + 0.587 * colour[1] + 0.114 * colour[2]
}

fn with_luma(colour: Colour, target: f32) -> Colour {
    let current = luma(colour).max(1.0);
    let scaled = shade(colour, target / current);
    [
        scaled[0].min(255.0),
        scaled[1].min(255.0),
        scaled[2].min(255.0),
    ]
}

fn shade(colour: Colour, factor: f32) -> Colour {
    [colour[0] * factor, colour[1] * factor, colour[2] * factor]
}

fn distance(a: Colour, b: Colour) -> f32 {
    ((a[0] - b[0]).powi(2) + (a[1] - b[1]).powi(2) + (a[2] - b[2]).powi(2)).sqrt()
}

/// HSV (hue in degrees, saturation and value in 0..1) to RGB in 0..255.
pub(crate) fn hsv(hue: f32, saturation: f32, value: f32) -> Colour {
    let c = value * saturation;
    let h = (hue.rem_euclid(360.0)) / 60.0;
    let x = c * (1.0 - (h % 2.0 - 1.0).abs());
    let (r, g, b) = match h as u32 {
        0 => (c, x, 0.0),
        1 => (x, c, 0.0),
        2 => (0.0, c, x),
        3 => (0.0, x, c),
        4 => (x, 0.0, c),
        _ => (c, 0.0, x),
    };
    let m = value - c;
    [(r + m) * 255.0, (g + m) * 255.0, (b + m) * 255.0]
}
