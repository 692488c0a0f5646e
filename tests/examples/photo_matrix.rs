//! The photo defect matrix: for each defect the renderer can put into a portrait, over N seeds, how
//! often the station's compliance checks flag it, and how often a clean portrait is refused.
//!
//! `cargo run --release -p e2e-tests --example photo_matrix -- [SEEDS] [FIRST_SEED] [--values DEFECT|clean]`
//!
//! The seeds default to 100 starting at 100 000: not the seeds the thresholds were chosen on (0–199).

#[path = "../tests/photo_support/mod.rs"]
mod photo_support;

use firmware_sim::synth::portrait::{Defect, Defects, Portrait};
use station::checks::photo::CheckId;

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let count: u64 = args.first().map(|s| s.parse()).transpose()?.unwrap_or(100);
    let first: u64 = args
        .get(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(100_000);
    if let Some(i) = args.iter().position(|a| a == "--values") {
        let which = args.get(i + 1).map(String::as_str).unwrap_or("clean");
        let defects: Defects = if which == "clean" {
            Defects::none()
        } else {
            which.parse()?
        };
        tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_writer(std::io::stderr)
            .init();
        print_values(&defects, first, count);
        return Ok(());
    }
    let started = std::time::Instant::now();
    println!("| portraits | seeds | flagged by its check | refused (any check) |");
    println!("|---|---:|---:|---:|");
    let clean = photo_support::clean_row(first..first + count);
    print_row(&clean);
    let mut rows = vec![clean];
    for defect in Defect::ALL {
        let row = photo_support::defect_row(defect, first..first + count);
        print_row(&row);
        rows.push(row);
    }
    for row in &rows {
        if !row.misses.is_empty() {
            eprintln!("{}: {:?}", row.name, row.misses);
        }
    }
    eprintln!(
        "{} portraits in {:.1} s",
        rows.iter().map(|r| r.total).sum::<usize>(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn print_row(row: &photo_support::Row) {
    println!(
        "| {} | {} | {} ({:.0} %) | {} ({:.0} %) |",
        row.name,
        row.total,
        row.caught,
        100.0 * row.rate(),
        row.refused,
        100.0 * row.refused as f64 / row.total.max(1) as f64
    );
}

/// Prints every measured value per seed, next to the truth the renderer knows (for tuning).
fn print_values(defects: &Defects, first: u64, count: u64) {
    let header: Vec<&str> = CheckId::ALL.iter().map(|c| c.code()).collect();
    println!("seed truth(size,x,roll) {}", header.join(" "));
    for seed in first..first + count {
        let truth = Portrait::from_seed(seed).head_truth(defects, 640, 480);
        let report = photo_support::check(seed, defects);
        let values: Vec<String> = report
            .checks
            .iter()
            .map(|c| match c.value {
                Some(v) => format!("{}{v}", if c.passed { "" } else { "!" }),
                None => "-".into(),
            })
            .collect();
        let measured = report.face.map_or_else(
            || "no face".to_string(),
            |f| {
                format!(
                    "crown {:.3}/{:.3} chin {:.3}/{:.3} eyes {:.3}/{:.3}",
                    f.crown_y / 480.0,
                    truth.crown_y,
                    f.chin_y / 480.0,
                    truth.chin_y,
                    f.eye_y / 480.0,
                    truth.eye_y
                )
            },
        );
        println!(
            "{seed} ({:.3},{:.3},{:.1}) {} | {measured}",
            truth.chin_y - truth.crown_y,
            truth.centre_x - 0.5,
            truth.roll_degrees,
            values.join(" ")
        );
    }
}
