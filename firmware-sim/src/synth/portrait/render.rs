//! Drawing one frame: background, then the person back to front (long hair, clothing, neck, ears, face,
//! eyes, brows, nose, mouth, hair), then the optical defects (shadow, blur, exposure) and sensor noise.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::canvas::{
    Canvas, Colour, band_coverage, edge_coverage, ellipse_coverage, hash_noise, mix, scale,
    smoothstep, value_noise,
};
use super::{Defect, Defects, HairStyle, Layout, Portrait, palette};

/// One background object of a cluttered room.
enum Clutter {
    Rect {
        x0: f32,
        y0: f32,
        x1: f32,
        y1: f32,
        colour: Colour,
    },
    Disc {
        x: f32,
        y: f32,
        r: f32,
        colour: Colour,
    },
    Line {
        x: f32,
        y: f32,
        dx: f32,
        dy: f32,
        half_width: f32,
        colour: Colour,
    },
    Stripes {
        period: f32,
        angle: f32,
        colour: Colour,
    },
}

/// The side-shadow defect: a line through the face; beyond it, the person is darker.
struct Shadow {
    /// A point on the line and its unit normal (pointing into the shadow), frame-height units.
    x: f32,
    y: f32,
    nx: f32,
    ny: f32,
    factor: f32,
    softness: f32,
}

pub(crate) fn render(
    portrait: &Portrait,
    defects: &Defects,
    width: u32,
    height: u32,
) -> image::RgbImage {
    let layout = portrait.layout(defects);
    let (w, h) = (width as usize, height as usize);
    let unit = h as f32; // frame-height units
    let pixel = 1.0 / unit;
    let half_w = w as f32 / 2.0 / unit;

    let background = if defects.contains(Defect::WhiteBackground) {
        palette::white_background(&mut portrait.defect_rng(Defect::WhiteBackground))
    } else {
        portrait.background
    };
    let clutter = if defects.contains(Defect::ClutteredBackground) {
        clutter(
            &mut portrait.defect_rng(Defect::ClutteredBackground),
            half_w,
        )
    } else {
        Vec::new()
    };

    let mut canvas = Canvas::new(w, h);
    let (sin, cos) = layout.roll.sin_cos();
    for py in 0..h {
        for px in 0..w {
            let x = (px as f32 + 0.5) / unit - half_w;
            let y = (py as f32 + 0.5) / unit;
            let mut colour = background_at(portrait, background, x, y);
            for item in &clutter {
                colour = draw_clutter(item, colour, x, y, pixel);
            }
            // Head coordinates: rotate about the chin, origin at the skull centre.
            let (dx, dy) = (x - layout.chin_x, y - layout.chin_y);
            let u = dx * cos + dy * sin;
            let v = -dx * sin + dy * cos + layout.b;
            let (colour, person) =
                draw_person(portrait, &layout, colour, x, y, u, v, pixel, px, py);
            let index = py * w + px;
            canvas.pixels[index] = colour;
            canvas.person[index] = person;
        }
    }

    if defects.contains(Defect::SideShadow) {
        let shadow = shadow(&layout, &mut portrait.defect_rng(Defect::SideShadow));
        for py in 0..h {
            for px in 0..w {
                let index = py * w + px;
                if !canvas.person[index] {
                    continue;
                }
                let x = (px as f32 + 0.5) / unit - half_w;
                let y = (py as f32 + 0.5) / unit;
                let d = (x - shadow.x) * shadow.nx + (y - shadow.y) * shadow.ny;
                let t = smoothstep(-shadow.softness, shadow.softness, d);
                let factor = 1.0 + (shadow.factor - 1.0) * t;
                canvas.pixels[index] = scale(canvas.pixels[index], factor);
            }
        }
    }
    if defects.contains(Defect::Blurred) {
        let sigma = portrait
            .defect_rng(Defect::Blurred)
            .random_range(0.0065f32..0.012)
            * unit;
        canvas.blur(sigma);
    }
    let mut gain = portrait.gain;
    if defects.contains(Defect::OverExposed) {
        gain = portrait
            .defect_rng(Defect::OverExposed)
            .random_range(1.7f32..2.3);
    }
    if defects.contains(Defect::UnderExposed) {
        gain = portrait
            .defect_rng(Defect::UnderExposed)
            .random_range(0.30f32..0.42);
    }
    canvas.apply_gain(gain);
    let mut noise_rng = ChaCha8Rng::seed_from_u64(
        portrait.seed() ^ 0x4E4F_4953_4500 ^ u64::from(width) << 32 ^ u64::from(height),
    );
    canvas.into_image(portrait.noise, &mut noise_rng)
}

/// The plain background with its gentle light fall-off.
fn background_at(portrait: &Portrait, base: Colour, x: f32, y: f32) -> Colour {
    let falloff = 1.0 + portrait.background_slope * x - 0.06 * (x * x + (y - 0.45).powi(2));
    scale(base, falloff)
}

fn clutter(rng: &mut ChaCha8Rng, half_w: f32) -> Vec<Clutter> {
    let mut items = Vec::new();
    if rng.random_bool(0.5) {
        items.push(Clutter::Stripes {
            period: rng.random_range(0.04f32..0.12),
            angle: rng.random_range(0.0f32..std::f32::consts::PI),
            colour: palette::any(rng),
        });
    }
    let count = rng.random_range(30..50);
    for _ in 0..count {
        let colour = palette::any(rng);
        let x = rng.random_range(-half_w..half_w);
        let y = rng.random_range(0.0f32..1.0);
        let size = rng.random_range(0.03f32..0.2);
        items.push(match rng.random_range(0..3) {
            0 => Clutter::Rect {
                x0: x,
                y0: y,
                x1: x + size * rng.random_range(0.3f32..1.5),
                y1: y + size * rng.random_range(0.3f32..1.5),
                colour,
            },
            1 => Clutter::Disc {
                x,
                y,
                r: size / 2.0,
                colour,
            },
            _ => {
                let angle = rng.random_range(0.0f32..std::f32::consts::TAU);
                Clutter::Line {
                    x,
                    y,
                    dx: angle.cos(),
                    dy: angle.sin(),
                    half_width: rng.random_range(0.003f32..0.012),
                    colour,
                }
            }
        });
    }
    items
}

fn draw_clutter(item: &Clutter, base: Colour, x: f32, y: f32, pixel: f32) -> Colour {
    match *item {
        Clutter::Rect {
            x0,
            y0,
            x1,
            y1,
            colour,
        } => {
            let d = (x0 - x).max(x - x1).max(y0 - y).max(y - y1);
            mix(base, colour, edge_coverage(d, pixel))
        }
        Clutter::Disc {
            x: cx,
            y: cy,
            r,
            colour,
        } => {
            let d = ((x - cx).powi(2) + (y - cy).powi(2)).sqrt() - r;
            mix(base, colour, edge_coverage(d, pixel))
        }
        Clutter::Line {
            x: lx,
            y: ly,
            dx,
            dy,
            half_width,
            colour,
        } => {
            let d = (x - lx) * dy - (y - ly) * dx;
            mix(base, colour, band_coverage(d, half_width, pixel))
        }
        Clutter::Stripes {
            period,
            angle,
            colour,
        } => {
            let t = (x * angle.cos() + y * angle.sin()) / period;
            let phase = (t - t.floor() - 0.5).abs() * period; // distance to the stripe's centre line
            mix(
                base,
                colour,
                0.8 * band_coverage(phase, period * 0.22, pixel),
            )
        }
    }
}

fn shadow(layout: &Layout, rng: &mut ChaCha8Rng) -> Shadow {
    let side = if rng.random_bool(0.5) { 1.0 } else { -1.0 };
    let angle = rng.random_range(-0.25f32..0.25);
    let offset = rng.random_range(-0.12f32..0.12) * layout.a;
    let (s, c) = angle.sin_cos();
    // The line runs down the face's centre line (tilted by `angle`); the normal points to `side`.
    let centre_y = layout.chin_y - layout.b;
    Shadow {
        x: layout.chin_x + offset,
        y: centre_y,
        nx: side * c,
        ny: side * s,
        factor: rng.random_range(0.42f32..0.6),
        softness: rng.random_range(0.004f32..0.02),
    }
}

/// The person, back to front. Returns the colour and whether the pixel belongs to the person.
#[allow(clippy::too_many_arguments)]
fn draw_person(
    p: &Portrait,
    layout: &Layout,
    mut colour: Colour,
    x: f32,
    y: f32,
    u: f32,
    v: f32,
    pixel: f32,
    px: usize,
    py: usize,
) -> (Colour, bool) {
    let (a, b) = (layout.a, layout.b);
    let mut person = 0.0f32;
    let hair_texture = |u: f32, v: f32| {
        // Strands: fine streaks along the hair's fall plus a little grain.
        let streak = value_noise(u / (0.006 * b * 4.0), v / (0.05 * b * 4.0), 11);
        let grain = hash_noise(px as i32, py as i32, 5);
        0.78 + 0.3 * streak + 0.08 * grain
    };

    // Long hair, behind everything else of the head.
    if p.hair_style == HairStyle::Long {
        let reach = a + p.hair_thickness + 0.035;
        let bottom = b * 1.35;
        let cov = if v > 0.0 {
            edge_coverage(u.abs() - reach, pixel) * edge_coverage(v - bottom, pixel)
        } else {
            ellipse_coverage(u, v, reach, b + p.hair_thickness, pixel)
        };
        if cov > 0.0 {
            colour = mix(colour, scale(p.hair, hair_texture(u, v)), cov);
            person = person.max(cov);
        }
    }

    // Clothing: a wide dome for the shoulders, in frame coordinates (the body does not roll).
    let shoulder_top = layout.chin_y + 0.16 * b * 2.0;
    let body_half = 3.0 * a;
    let body_height = 1.4 * b * 2.0;
    let cov = ellipse_coverage(
        x - layout.chin_x,
        y - (shoulder_top + body_height),
        body_half,
        body_height,
        pixel,
    );
    if cov > 0.0 {
        let shading = 1.0 - 0.18 * ((x - layout.chin_x) / body_half).powi(2);
        let weave = 0.95 + 0.1 * hash_noise(px as i32 / 2, py as i32 / 2, 17);
        colour = mix(colour, scale(p.clothing, shading * weave), cov);
        person = person.max(cov);
    }

    // Neck, and the V of the collar, in frame coordinates; darker under the chin.
    let neck_half = p.neck_width * a;
    let neck_x = x - layout.chin_x;
    let neck_cov = edge_coverage(neck_x.abs() - neck_half, pixel)
        * edge_coverage(layout.chin_y - b * 0.6 - y, pixel).max(0.0);
    let neck_cov = if y > layout.chin_y - b * 0.6 {
        neck_cov.max(0.0)
    } else {
        0.0
    };
    let neck_cov = neck_cov * edge_coverage(y - (shoulder_top + 0.1 * b), pixel);
    let collar = edge_coverage(
        neck_x.abs() - (y - shoulder_top).max(0.0) * 0.6 - neck_half * 0.3,
        pixel,
    ) * edge_coverage(y - (shoulder_top + 0.5 * b), pixel)
        * if y > shoulder_top - 0.05 * b {
            1.0
        } else {
            0.0
        };
    let cov = neck_cov.max(collar);
    if cov > 0.0 {
        let under_chin = smoothstep(layout.chin_y - 0.02, layout.chin_y + 0.1 * b, y);
        colour = mix(colour, scale(p.skin, 0.6 + 0.22 * under_chin), cov);
        person = person.max(cov);
    }

    // Everything below is in head coordinates; skip pixels far from the head.
    let reach = a + p.hair_thickness + 0.08;
    if u.abs() > reach * 1.3 || v < -b - p.hair_thickness - 0.08 || v > b * 1.3 {
        return (colour, person > 0.5);
    }

    // Ears.
    for side in [-1.0f32, 1.0] {
        let cov = ellipse_coverage(
            u - side * a * 0.96,
            v - 0.1 * b,
            0.13 * a * p.ear_size,
            0.22 * b * p.ear_size,
            pixel,
        );
        if cov > 0.0 {
            let inner =
                ellipse_coverage(u - side * a * 1.0, v - 0.1 * b, 0.06 * a, 0.13 * b, pixel);
            let ear = mix(scale(p.skin, 0.88), scale(p.skin, 0.72), inner * 0.7);
            colour = mix(colour, ear, cov);
            person = person.max(cov);
        }
    }

    // The face: the skull ellipse, narrower toward the jaw.
    let jaw = 1.0 - p.jaw * smoothstep(0.0, b, v);
    let face_cov = ellipse_coverage(u, v, a * jaw, b, pixel);
    if face_cov > 0.0 {
        let rho2 = (u / (a * jaw)).powi(2) + (v / b).powi(2);
        let shading = (1.0 - 0.17 * rho2) * (1.0 + p.light_balance * u / a);
        let grain = 0.985 + 0.03 * hash_noise(px as i32, py as i32, 23);
        colour = mix(colour, scale(p.skin, shading * grain), face_cov);
        person = person.max(face_cov);
    }

    if face_cov > 0.0 {
        colour = draw_features(p, layout, colour, u, v, pixel);
    }

    // Hair on the head: over the skull above the (wavy) hairline, and a band of thickness outside it.
    if p.hair_style != HairStyle::Bald || v < 0.15 * b {
        let t = p.hair_thickness
            + if p.hair_style == HairStyle::Curly {
                0.012 * value_noise(u * 40.0, v * 40.0, 3)
            } else {
                0.0
            };
        let outer = ellipse_coverage(u, v, a + t.max(0.004), b + t, pixel);
        if outer > 0.0 {
            let side_drop = (u.abs() / a).powi(4).min(1.0);
            let wave = 0.05 * b * (u / a * 7.0 + p.seed() as f32 * 0.37).sin();
            let hairline = p.hairline_v * b + wave + side_drop * (0.05 * b - p.hairline_v * b);
            let above_line = edge_coverage(v - hairline, pixel);
            let outside_face = 1.0 - face_cov;
            let band_bottom = if p.hair_style == HairStyle::Bald {
                0.1 * b
            } else {
                0.05 * b
            };
            let side_band = outside_face * edge_coverage(v - band_bottom, pixel);
            let cov = outer * above_line.max(side_band);
            let cov = if p.hair_style == HairStyle::Bald {
                cov * side_drop.sqrt()
            } else {
                cov
            };
            if cov > 0.0 {
                colour = mix(colour, scale(p.hair, hair_texture(u, v)), cov);
                person = person.max(cov);
            }
        }
    }
    (colour, person > 0.5)
}

/// Eyes, brows, nose and mouth, in head coordinates.
fn draw_features(
    p: &Portrait,
    layout: &Layout,
    mut colour: Colour,
    u: f32,
    v: f32,
    pixel: f32,
) -> Colour {
    let (a, b) = (layout.a, layout.b);
    let eye_y = p.eye_v * b;
    let eye_w = 0.19 * a * p.eye_size;
    let eye_h = 0.075 * a * p.eye_size;
    let dark: Colour = [32.0, 26.0, 24.0];
    let closed = layout.eyes_closed;
    for side in [-1.0f32, 1.0] {
        let ex = side * p.eye_dx * a;
        let (eu, ev) = (u - ex, v - eye_y);
        if eu.abs() > 0.4 * a || ev.abs() > 0.45 * a {
            continue;
        }
        // Brow: an arched band above the eye.
        let brow_w = 0.23 * a;
        if eu.abs() < brow_w * 1.1 {
            let t = eu / brow_w;
            let centre = -0.2 * a - p.brow_arch * a * (1.0 - t * t);
            let half = p.brow_thickness * a * (1.0 - 0.4 * (t + side * 0.3).abs().min(1.0));
            let cov =
                band_coverage(ev - centre, half, pixel) * edge_coverage(eu.abs() - brow_w, pixel);
            let brow = mix(p.hair, dark, 0.45);
            colour = mix(colour, brow, cov * 0.92);
        }
        let almond = ellipse_coverage(eu, ev, eye_w, eye_h, pixel);
        if almond <= 0.0 {
            continue;
        }
        if closed {
            // The lid covers the eye; the lashes make a curved line low in the almond.
            colour = mix(colour, scale(p.skin, 0.86), almond);
            let t = eu / eye_w;
            let lash = band_coverage(ev - 0.3 * eye_h * (1.0 - t * t), 0.022 * a, pixel);
            colour = mix(colour, dark, lash * almond.min(1.0) * 0.95);
            let crease = band_coverage(ev + 0.7 * eye_h * (1.0 - 0.5 * t * t), 0.012 * a, pixel);
            colour = mix(colour, scale(p.skin, 0.72), crease * 0.7);
        } else {
            let sclera = scale([232.0, 228.0, 220.0], 0.93);
            colour = mix(colour, sclera, almond);
            let iris_r = 0.085 * a * p.eye_size;
            let iris = ellipse_coverage(eu, ev, iris_r, iris_r, pixel) * almond;
            colour = mix(colour, p.iris, iris);
            let pupil = ellipse_coverage(eu, ev, iris_r * 0.42, iris_r * 0.42, pixel) * almond;
            colour = mix(colour, [12.0, 10.0, 10.0], pupil);
            let glint = ellipse_coverage(
                eu - iris_r * 0.35,
                ev + iris_r * 0.35,
                iris_r * 0.16,
                iris_r * 0.16,
                pixel,
            );
            colour = mix(colour, [240.0, 240.0, 240.0], glint * 0.9);
            // Upper lid line and lashes.
            let rim = ((eu / eye_w).powi(2) + (ev / eye_h).powi(2)).sqrt();
            let lid = band_coverage((rim - 1.0) * eye_h, 0.018 * a, pixel)
                * if ev < 0.0 { 1.0 } else { 0.3 };
            colour = mix(colour, dark, lid * 0.9);
        }
    }
    // Nose: a soft shade on one side of the bridge, a lighter tip and two nostrils.
    let nose_y = p.nose_v * b;
    if u.abs() < 0.3 * a && v > eye_y && v < nose_y + 0.1 * a {
        let bridge =
            band_coverage(u - 0.09 * a, 0.03 * a, pixel * 4.0) * smoothstep(eye_y, nose_y, v);
        colour = scale(colour, 1.0 - 0.08 * bridge);
        for side in [-1.0f32, 1.0] {
            let nostril =
                ellipse_coverage(u - side * 0.085 * a, v - nose_y, 0.04 * a, 0.024 * a, pixel);
            colour = mix(colour, scale(p.skin, 0.5), nostril * 0.85);
        }
    }
    // Mouth: lips and the line between them.
    let mouth_y = 0.66 * b;
    let mouth_w = p.mouth_width * a;
    if u.abs() < mouth_w * 1.1 && (v - mouth_y).abs() < 0.12 * a {
        let lips = ellipse_coverage(u, v - mouth_y, mouth_w, 0.065 * a, pixel);
        colour = mix(colour, p.lips, lips);
        let t = u / mouth_w;
        let line = band_coverage(v - mouth_y - 0.01 * a * t * t, 0.009 * a, pixel) * lips;
        colour = mix(colour, scale(p.lips, 0.45), line);
    }
    colour
}
