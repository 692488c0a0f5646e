//! Checks of the synthetic fingerprints as a whole: determinism, variety, and that the images have
//! the measurable properties of real 500-ppi flat impressions.

use std::f32::consts::PI;

use super::measure::orientation_at;
use super::*;

const SENSOR: (u32, u32) = (256, 288);
const NIST: (u32, u32) = (416, 560);

/// Share of pixels that differ by more than 32 grey levels.
fn differing_share(a: &image::GrayImage, b: &image::GrayImage) -> f32 {
    let differing = a
        .pixels()
        .zip(b.pixels())
        .filter(|(p, q)| p.0[0].abs_diff(q.0[0]) > 32)
        .count();
    differing as f32 / (a.width() * a.height()).max(1) as f32
}

#[test]
fn the_same_seed_gives_the_same_bytes() {
    let a = Finger::from_seed_uncached(101);
    let b = Finger::from_seed_uncached(101);
    assert_eq!(a.class(), b.class());
    assert_eq!(a.minutiae(), b.minutiae());
    assert_eq!(a.master_image().as_raw(), b.master_image().as_raw());
    let conditions = Impression::from_seed(101, 2);
    let (w, h) = SENSOR;
    assert_eq!(
        a.impression(&conditions, w, h).as_raw(),
        b.impression(&conditions, w, h).as_raw()
    );
    // And through the cache.
    let cached = Finger::from_seed(101);
    assert_eq!(
        cached.impression(&conditions, w, h).as_raw(),
        a.impression(&conditions, w, h).as_raw()
    );
}

#[test]
fn different_seeds_give_different_fingers() {
    let (w, h) = SENSOR;
    let a = Finger::from_seed(1).impression(&Impression::ideal(), w, h);
    let b = Finger::from_seed(2).impression(&Impression::ideal(), w, h);
    let share = differing_share(&a, &b);
    assert!(share > 0.3, "only {share:.2} of pixels differ");
}

#[test]
fn different_impressions_of_one_finger_differ() {
    let (w, h) = SENSOR;
    let finger = Finger::from_seed(3);
    let a = finger.impression(&Impression::from_seed(3, 0), w, h);
    let b = finger.impression(&Impression::from_seed(3, 1), w, h);
    assert!(differing_share(&a, &b) > 0.2);
}

#[test]
fn the_ridge_period_measured_on_the_image_is_8_to_10_px() {
    for seed in [1, 2, 3, 10] {
        let finger = Finger::from_seed(seed);
        for conditions in [Impression::ideal(), Impression::from_seed(seed, 0)] {
            for (w, h) in [SENSOR, NIST] {
                let image = finger.impression(&conditions, w, h);
                let period = ImageMeasures::of(&image).ridge_period;
                assert!(
                    period.is_some_and(|p| (8.0..=10.0).contains(&p)),
                    "seed {seed} {w}×{h}: period {period:?}"
                );
            }
        }
    }
}

#[test]
fn foreground_and_contrast_are_those_of_a_flat_impression() {
    for seed in [1, 2, 3] {
        let finger = Finger::from_seed(seed);
        let (w, h) = NIST;
        let full = ImageMeasures::of(&finger.impression(&Impression::ideal(), w, h));
        // A whole fingertip: 16–21 mm wide; NFIQ 2 wants at least 50,000 px of it.
        assert!(
            (0.40..=0.80).contains(&full.foreground_share) && full.foreground_pixels > 50_000,
            "seed {seed}: {full:?}"
        );
        assert!(full.contrast >= 150.0, "seed {seed}: {full:?}");
        let (w, h) = SENSOR;
        let sensor = ImageMeasures::of(&finger.impression(&Impression::ideal(), w, h));
        // The finger covers nearly all of a small sensor.
        assert!(sensor.foreground_share >= 0.85, "seed {seed}: {sensor:?}");
        assert!(sensor.contrast >= 150.0, "seed {seed}: {sensor:?}");
    }
}

#[test]
fn the_background_is_light_and_the_ridges_dark() {
    let (w, h) = NIST;
    let image = Finger::from_seed(2).impression(&Impression::ideal(), w, h);
    for (x, y) in [(2, 2), (w - 3, 2), (2, h - 3), (w - 3, h - 3)] {
        let grey = image.get_pixel(x, y).0[0];
        assert!(grey >= 230, "corner ({x}, {y}) is {grey}");
    }
    let mut levels: Vec<u8> = image.pixels().map(|p| p.0[0]).collect();
    levels.sort_unstable();
    assert!(
        levels[levels.len() / 20] < 80,
        "the darkest 5 % are not ridges"
    );
}

#[test]
fn fingers_have_a_realistic_number_of_minutiae() {
    for seed in [1, 2, 3, 10] {
        let finger = Finger::from_seed(seed);
        let minutiae = finger.minutiae();
        assert!(
            (30..=90).contains(&minutiae.len()),
            "seed {seed} ({:?}): {} minutiae",
            finger.class(),
            minutiae.len()
        );
        let endings = minutiae
            .iter()
            .filter(|m| m.kind == MinutiaKind::Ending)
            .count();
        assert!(
            endings > 0 && endings < minutiae.len(),
            "seed {seed}: both kinds expected"
        );
        for m in minutiae {
            assert!(finger.is_on_finger(m.x, m.y), "{m:?} off the finger");
            assert!((0.0..2.0 * PI).contains(&m.angle), "{m:?}");
        }
    }
}

#[test]
fn every_class_is_drawn_from_seeds() {
    let mut seen = std::collections::HashSet::new();
    // Cheap: the class is the first draw, so test it through the public draw on many seeds.
    for seed in 0..400u64 {
        let mut rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(
            super::noise::derive_seed(seed, 0xF1A6),
        );
        seen.insert(PatternClass::draw(&mut rng));
    }
    assert_eq!(seen.len(), 5);
}

/// Mean agreement of the ridge orientation, cos 2Δθ (1: identical, 0: unrelated), between two
/// impressions read at the points where they show the same master points of `finger`.
fn orientation_agreement(
    finger: &Finger,
    a: (&image::GrayImage, &Impression),
    b: (&image::GrayImage, &Impression),
) -> f32 {
    let (w, h) = a.0.dimensions();
    let mut total = 0.0;
    let mut count = 0;
    for gy in 0..40 {
        for gx in 0..30 {
            let (x, y) = (gx as f32 * 16.0, gy as f32 * 16.0);
            if !finger.is_on_finger(x, y) {
                continue;
            }
            let (ax, ay) = finger.master_to_image(a.1, w, h, x, y);
            let (bx, by) = finger.master_to_image(b.1, w, h, x, y);
            let (Some((ta, ca)), Some((tb, cb))) = (
                orientation_at(a.0, ax, ay, 8),
                orientation_at(b.0, bx, by, 8),
            ) else {
                continue;
            };
            if ca < 0.3 || cb < 0.3 {
                continue;
            }
            // Back to the master print's frame: undo each impression's rotation.
            let da = ta - a.1.rotation_deg.to_radians();
            let db = tb - b.1.rotation_deg.to_radians();
            total += (2.0 * (da - db)).cos();
            count += 1;
        }
    }
    assert!(count > 50, "too few points compared: {count}");
    total / count as f32
}

#[test]
fn impressions_of_one_finger_agree_more_than_impressions_of_two() {
    let (w, h) = SENSOR;
    for (seed, other) in [(1u64, 2u64), (3, 1), (2, 3)] {
        let finger = Finger::from_seed(seed);
        let first = Impression::from_seed(seed, 0);
        let second = Impression::from_seed(seed, 1);
        let a = finger.impression(&first, w, h);
        let b = finger.impression(&second, w, h);
        // An impostor laid exactly as the second impression.
        let c = Finger::from_seed(other).impression(&second, w, h);
        let genuine = orientation_agreement(&finger, (&a, &first), (&b, &second));
        let impostor = orientation_agreement(&finger, (&a, &first), (&c, &second));
        assert!(
            genuine > 0.75 && genuine > impostor + 0.3,
            "seed {seed}: genuine {genuine:.2}, impostor {impostor:.2}"
        );
    }
}

#[test]
fn the_image_follows_the_finger_orientation_field() {
    let (w, h) = NIST;
    let finger = Finger::from_seed(2);
    let conditions = Impression::ideal();
    let image = finger.impression(&conditions, w, h);
    let mut total = 0.0;
    let mut count = 0;
    for gy in 4..36 {
        for gx in 4..26 {
            let (x, y) = (gx as f32 * 16.0, gy as f32 * 16.0);
            if finger.is_on_finger(x, y)
                && let (u, v) = finger.master_to_image(&conditions, w, h, x, y)
                && let Some((theta, coherence)) = orientation_at(&image, u, v, 8)
                && coherence > 0.3
            {
                total += (2.0 * (theta - finger.orientation_at(x, y))).cos();
                count += 1;
            }
        }
    }
    let agreement = total / count.max(1) as f32;
    assert!(
        count > 100 && agreement > 0.85,
        "{count} points, agreement {agreement:.2}"
    );
}

#[test]
fn pressure_and_moisture_show_on_the_image() {
    let (w, h) = NIST;
    let finger = Finger::from_seed(3);
    let with = |pressure: f32, moisture: f32| {
        let conditions = Impression {
            pressure,
            moisture,
            ..Impression::ideal()
        };
        ImageMeasures::of(&finger.impression(&conditions, w, h))
    };
    let light = with(0.2, 0.0);
    let firm = with(0.8, 0.0);
    assert!(
        firm.foreground_pixels > light.foreground_pixels,
        "{firm:?} vs {light:?}"
    );
    let dry = with(0.5, -0.8);
    let wet = with(0.5, 0.8);
    assert!(wet.mean_grey + 10.0 < dry.mean_grey, "{wet:?} vs {dry:?}");
}

#[test]
fn partial_contact_leaves_part_of_the_finger_off_the_image() {
    let (w, h) = NIST;
    let finger = Finger::from_seed(1);
    let full = ImageMeasures::of(&finger.impression(&Impression::ideal(), w, h));
    let conditions = Impression {
        partial: Some(PartialContact {
            angle: 0.0,
            distance: 40.0,
        }),
        ..Impression::ideal()
    };
    let partial = ImageMeasures::of(&finger.impression(&conditions, w, h));
    assert!(
        (partial.foreground_pixels as f32) < 0.8 * full.foreground_pixels as f32,
        "{partial:?} vs {full:?}"
    );
}

#[test]
fn odd_sizes_and_conditions_do_not_panic() {
    let finger = Finger::from_seed(1);
    let odd = Impression {
        shift_x: f32::NAN,
        shift_y: f32::INFINITY,
        rotation_deg: 1e9,
        pressure: -5.0,
        moisture: f32::NAN,
        noise: 1e6,
        distortion: f32::NEG_INFINITY,
        distortion_angle: f32::NAN,
        partial: Some(PartialContact {
            angle: f32::NAN,
            distance: -1e9,
        }),
        texture_seed: u64::MAX,
    };
    for (w, h) in [(0, 0), (1, 1), (0, 300), (3, 2), (2100, 2)] {
        for conditions in [Impression::ideal(), odd] {
            let image = finger.impression(&conditions, w, h);
            assert_eq!(image.width(), w.min(MAX_IMPRESSION_SIDE));
            assert_eq!(image.height(), h.min(MAX_IMPRESSION_SIDE));
        }
    }
    let tiny = image::GrayImage::new(3, 3);
    let _ = ImageMeasures::of(&tiny);
    let _ = ImageMeasures::of(&image::GrayImage::new(0, 0));
}

/// Mean grey, on `image`, of the master print's clear ridge points and of its clear valley points,
/// each read where `master_to_image` says it lies.
fn grey_on_ridges_and_valleys(
    finger: &Finger,
    conditions: &Impression,
    image: &image::GrayImage,
) -> (f32, f32) {
    let master = finger.master_image();
    let (w, h) = image.dimensions();
    let (mut ridge, mut valley) = ((0.0, 0), (0.0, 0));
    for y in (0..MASTER_HEIGHT).step_by(3) {
        for x in (0..MASTER_WIDTH).step_by(3) {
            let level = master.get_pixel(x, y).0[0];
            let (xf, yf) = (x as f32, y as f32);
            if (20..=235).contains(&level) || finger.outline_radius(xf, yf) > 0.8 {
                continue;
            }
            let (u, v) = finger.master_to_image(conditions, w, h, xf, yf);
            if u < 2.0 || v < 2.0 || u > w as f32 - 3.0 || v > h as f32 - 3.0 {
                continue;
            }
            let grey = f32::from(image.get_pixel(u.round() as u32, v.round() as u32).0[0]);
            let bucket = if level < 20 { &mut ridge } else { &mut valley };
            bucket.0 += grey;
            bucket.1 += 1;
        }
    }
    assert!(ridge.1 > 500 && valley.1 > 500, "too few points");
    (ridge.0 / ridge.1 as f32, valley.0 / valley.1 as f32)
}

#[test]
fn master_points_land_where_the_impression_shows_them() {
    let (w, h) = NIST;
    let finger = Finger::from_seed(2);
    let mut all = vec![Impression::ideal()];
    all.extend((0..4).map(|n| Impression::from_seed(2, n)));
    // Strong drag far from the centre: only an exact inverse keeps ridges on ridges.
    all.push(Impression {
        distortion: 12.0,
        distortion_angle: 0.7,
        rotation_deg: 9.0,
        shift_x: 14.0,
        ..Impression::ideal()
    });
    for conditions in all {
        let image = finger.impression(&conditions, w, h);
        let (ridge, valley) = grey_on_ridges_and_valleys(&finger, &conditions, &image);
        assert!(
            ridge + 60.0 < valley,
            "{conditions:?}: ridges {ridge:.0}, valleys {valley:.0}"
        );
    }
}
