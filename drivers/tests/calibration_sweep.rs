//! Calibration against injected sensor defects, over many seeds: the frames come from the
//! simulator's own sensor model (`DefectiveSensor`, the one its GenImg uses) and travel through
//! the 4-bit upload encoding, exactly as a driver receives them. Run with `--nocapture` to see
//! the table; `calibration_evaluation_500_seeds` (ignored) runs more seeds.

use drivers::calibration::measure_fingerprint;
use drivers::zfm::image::{expand_nibbles, pack_nibbles};
use firmware_sim::synth::sensor_defects::{DefectiveSensor, DirtyPatch, SensorDefects, Target};
use image::GrayImage;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const WIDTH: u32 = 256;
const HEIGHT: u32 = 288;
const FRAMES: usize = 8;

/// The ranges defects are drawn from.
#[derive(Clone, Copy)]
struct Ranges {
    vignetting: f64,
    noise: f64,
    radius: (u32, u32),
    frames: usize,
}

/// What a station meets: moderate vignetting and noise, latent prints 16–50 px across.
const USUAL: Ranges = Ranges {
    vignetting: 0.5,
    noise: 6.0,
    radius: (16, 50),
    frames: FRAMES,
};

/// Worse than a station should meet: strong vignetting and noise, small prints, few frames.
const HARSH: Ranges = Ranges {
    vignetting: 0.8,
    noise: 16.0,
    radius: (8, 50),
    frames: 4,
};

/// The frame a driver receives: the sensor's image packed to 4 bits a pixel and expanded again.
fn as_uploaded(image: &GrayImage) -> GrayImage {
    expand_nibbles(&pack_nibbles(image), image.width(), image.height()).expect("same size")
}

fn target_frames(sensor: &mut DefectiveSensor, target: Target, frames: usize) -> Vec<GrayImage> {
    (0..frames)
        .map(|_| {
            let mut frame = target.render(WIDTH, HEIGHT);
            sensor.expose(&mut frame);
            as_uploaded(&frame)
        })
        .collect()
}

/// Random defects for `seed`: always some vignetting, noise, dead and stuck pixels and dimming;
/// a dirty patch when `dirty`.
fn defects_for(seed: u64, dirty: bool, ranges: Ranges) -> SensorDefects {
    let mut rng = StdRng::seed_from_u64(seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
    SensorDefects {
        vignetting: rng.random_range(0.0..ranges.vignetting),
        noise: rng.random_range(0.0..ranges.noise),
        dead: rng.random_range(1..20),
        stuck: rng.random_range(1..10),
        dirty: dirty.then(|| DirtyPatch {
            radius: rng.random_range(ranges.radius.0..ranges.radius.1),
            centre: None,
        }),
        dimming: rng.random_range(0.0..0.05),
    }
}

#[derive(Default)]
struct Sweep {
    bad_truth: usize,
    bad_found: usize,
    bad_false: usize,
    dirty_sensors: usize,
    dirty_flagged: usize,
    dirty_located: usize,
    clean_sensors: usize,
    clean_flagged: usize,
}

fn sweep(seeds: std::ops::Range<u64>, ranges: Ranges) -> Sweep {
    let mut s = Sweep::default();
    for seed in seeds {
        for dirty in [true, false] {
            let defects = defects_for(seed, dirty, ranges);
            let mut sensor = DefectiveSensor::new(defects.clone(), seed);
            let blank = target_frames(&mut sensor, Target::Blank, ranges.frames);
            let flat = target_frames(&mut sensor, Target::Flat, ranges.frames);
            let truth = sensor.layout(WIDTH, HEIGHT);
            let calibration = measure_fingerprint(&blank, &flat).expect("measured");
            let found = &calibration.measures.bad_pixels;
            s.bad_truth += truth.dead.len() + truth.stuck.len();
            s.bad_found += truth.dead.iter().filter(|p| found.dead.contains(p)).count()
                + truth
                    .stuck
                    .iter()
                    .filter(|p| found.stuck.contains(p))
                    .count();
            s.bad_false += found
                .dead
                .iter()
                .filter(|p| !truth.dead.contains(p))
                .count()
                + found
                    .stuck
                    .iter()
                    .filter(|p| !truth.stuck.contains(p))
                    .count();
            let residue = &calibration.measures.residue;
            if let Some(patch) = truth.dirty {
                s.dirty_sensors += 1;
                if !residue.is_empty() {
                    s.dirty_flagged += 1;
                }
                let r = f64::from(patch.radius);
                if residue.iter().any(|region| {
                    let dx = region.x - f64::from(patch.x);
                    let dy = region.y - f64::from(patch.y);
                    (dx * dx + dy * dy).sqrt() < r
                }) {
                    s.dirty_located += 1;
                } else {
                    eprintln!("seed {seed}: patch {patch:?} ({defects}) not located: {residue:?}");
                }
            } else {
                s.clean_sensors += 1;
                if !residue.is_empty() {
                    s.clean_flagged += 1;
                    eprintln!("seed {seed}: clean sensor ({defects}) flagged: {residue:?}");
                }
            }
        }
    }
    s
}

fn print_table(s: &Sweep) {
    println!("| measure | result | goal |");
    println!("|---|---|---|");
    println!(
        "| dead/stuck pixels found | {}/{} ({:.1} %), {} false | 100 % |",
        s.bad_found,
        s.bad_truth,
        pct(s.bad_found, s.bad_truth),
        s.bad_false
    );
    println!(
        "| dirty patch flagged | {}/{} ({:.1} %), located {}/{} | ≥ 95 % |",
        s.dirty_flagged,
        s.dirty_sensors,
        pct(s.dirty_flagged, s.dirty_sensors),
        s.dirty_located,
        s.dirty_sensors
    );
    println!(
        "| clean sensors flagged | {}/{} ({:.1} %) | ≤ 2 % |",
        s.clean_flagged,
        s.clean_sensors,
        pct(s.clean_flagged, s.clean_sensors)
    );
}

fn pct(a: usize, b: usize) -> f64 {
    100.0 * a as f64 / b.max(1) as f64
}

fn print_and_check(s: &Sweep) {
    print_table(s);
    assert_eq!(s.bad_found, s.bad_truth, "every dead and stuck pixel found");
    assert_eq!(s.bad_false, 0, "no pixel wrongly called dead or stuck");
    assert!(pct(s.dirty_located, s.dirty_sensors) >= 95.0);
    assert!(pct(s.clean_flagged, s.clean_sensors) <= 2.0);
}

#[test]
fn calibration_finds_bad_pixels_and_residue_over_50_seeds() {
    print_and_check(&sweep(0..50, USUAL));
}

#[test]
#[ignore = "evaluation: 500 seeds, run with --ignored --nocapture"]
fn calibration_evaluation_500_seeds() {
    print_and_check(&sweep(1_000..1_500, USUAL));
}

/// Beyond the goals' conditions, to show where the method gives way (vignetting up to 0.8,
/// noise up to 16 grey levels, prints from 8 px, 4 frames of each target).
#[test]
#[ignore = "evaluation: 200 seeds in harsh conditions, run with --ignored --nocapture"]
fn calibration_evaluation_harsh_200_seeds() {
    let s = sweep(2_000..2_200, HARSH);
    print_table(&s);
    assert!(pct(s.bad_found, s.bad_truth) >= 99.0);
    assert!(pct(s.clean_flagged, s.clean_sensors) <= 5.0);
}
