//! Not a test: writes the quality evaluation set (scripts/quality-eval.sh) as PNG into
//! `$QUALITY_EVAL_DIR`, with `manifest.csv` naming each image's finger and kind of damage so that
//! whole fingers and whole kinds can be held out of the model's fit. The set is the recipe: the
//! same bytes on every run, so only NFIQ 2's scores of it need caching.

use firmware_sim::synth::fingerprint::{Finger, Impression};
use image::GrayImage;
use std::fmt::Write as _;

use crate::quality_support;

/// Simulated fingers in the set, and their seeds' offset (away from the seeds other tests use).
const SIM_FINGERS: u64 = 24;
const SIM_SEED: u64 = 3000;
/// Impressions of each simulated finger, at the station's sensor size.
const SIM_IMPRESSIONS: u32 = 2;
const SENSOR: (u32, u32) = (256, 288);

/// Conditions only the simulator can make, as a finger on the glass makes them:
/// (kind, strength, how the impression is changed).
type Condition = (&'static str, &'static str, fn(&mut Impression));
const SIM_CONDITIONS: [Condition; 8] = [
    ("sim-dry", "0.5", |c| c.moisture = -0.5),
    ("sim-dry", "0.85", |c| c.moisture = -0.85),
    ("sim-wet", "0.5", |c| c.moisture = 0.5),
    ("sim-wet", "0.85", |c| c.moisture = 0.85),
    ("sim-light", "0.25", |c| c.pressure = 0.25),
    ("sim-light", "0.12", |c| c.pressure = 0.12),
    ("sim-noise", "14", |c| c.noise = 14.0),
    ("sim-noise", "24", |c| c.noise = 24.0),
];

#[test]
#[ignore = "a tool for the quality evaluation, run by scripts/quality-eval.sh"]
fn write_quality_eval_set() {
    let dir =
        std::path::PathBuf::from(std::env::var("QUALITY_EVAL_DIR").expect("QUALITY_EVAL_DIR"));
    std::fs::create_dir_all(&dir).expect("create dir");
    let mut manifest = String::from("name,finger,kind,strength,width,height\n");
    // An image already written is not made again: making them is most of the tool's time at the
    // test profile's opt-level 0. Every kind of damage keeps the image's size.
    let mut save = |name: &str,
                    finger: &str,
                    kind: &str,
                    strength: &str,
                    (w, h): (u32, u32),
                    make: &dyn Fn() -> GrayImage| {
        let path = dir.join(format!("{name}.png"));
        if !path.exists() {
            make().save(&path).expect("save");
        }
        writeln!(manifest, "{name},{finger},{kind},{strength},{w},{h}").expect("manifest");
    };
    let degradations = quality_support::eval_degradations();
    let mut bases: Vec<(String, String, GrayImage)> = Vec::new();
    for (i, stem) in quality_support::REFERENCES.iter().enumerate() {
        let finger = format!("nist-{}", i + 1);
        bases.push((
            stem.to_string(),
            finger,
            quality_support::load_reference(stem),
        ));
    }
    for s in 0..SIM_FINGERS {
        let finger = Finger::from_seed(SIM_SEED + s);
        for n in 0..SIM_IMPRESSIONS {
            let base = format!("sim-{s}-{n}");
            let conditions = Impression::from_seed(SIM_SEED + s, n);
            for (kind, strength, change) in SIM_CONDITIONS {
                let mut c = conditions;
                change(&mut c);
                let name = format!("{base}__{kind}-{strength}");
                let finger_name = format!("sim-{s}");
                save(&name, &finger_name, kind, strength, SENSOR, &|| {
                    finger.impression(&c, SENSOR.0, SENSOR.1)
                });
            }
            let img = finger.impression(&conditions, SENSOR.0, SENSOR.1);
            bases.push((base, format!("sim-{s}"), img));
        }
    }
    for (base, finger, img) in &bases {
        save(base, finger, "none", "0", img.dimensions(), &|| img.clone());
        for d in &degradations {
            let name = format!("{base}__{}", d.name());
            let strength = d
                .name()
                .trim_start_matches(d.kind())
                .trim_start_matches('-')
                .to_string();
            save(
                &name,
                finger,
                d.kind(),
                &strength,
                img.dimensions(),
                &|| d.apply(img, quality_support::seed_for(base, d)),
            );
        }
    }
    std::fs::write(dir.join("manifest.csv"), manifest).expect("write manifest");
}
