//! Faults mid-run: shell commands run when a share of the day's records has been receipted
//! (`--fault 30:'kill -KILL 1234'`), one after another, while the stations carry on; and the
//! progress line every few seconds.

use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;

use super::day::Progress;

/// How often progress is printed.
const PROGRESS_EVERY: Duration = Duration::from_secs(10);

/// A command to run when `percent` of the records have their receipt.
#[derive(Debug, Clone)]
pub struct Fault {
    /// Share of the day's records receipted, 0–100.
    pub percent: f64,
    /// Run with `sh -c`.
    pub command: String,
}

impl std::str::FromStr for Fault {
    type Err = anyhow::Error;

    fn from_str(text: &str) -> anyhow::Result<Self> {
        let (percent, command) = text.split_once(':').context("a fault is PERCENT:COMMAND")?;
        let percent: f64 = percent.trim().parse().context("a fault's percentage")?;
        anyhow::ensure!((0.0..=100.0).contains(&percent), "a percentage, 0 to 100");
        Ok(Self {
            percent,
            command: command.to_owned(),
        })
    }
}

/// Watches `progress` until `done`: prints it, and runs each fault when its share is reached.
pub fn watch(mut faults: Vec<Fault>, total: usize, progress: &Progress, done: &AtomicBool) {
    faults.sort_by(|a, b| a.percent.total_cmp(&b.percent));
    let mut faults = faults.into_iter().peekable();
    let started = Instant::now();
    let mut printed = Instant::now();
    while !done.load(Ordering::Relaxed) {
        let receipted = progress.receipted.load(Ordering::Relaxed);
        if let Some(fault) =
            faults.next_if(|f| receipted as f64 >= f.percent / 100.0 * total as f64)
        {
            let at = started.elapsed();
            let status = Command::new("sh").arg("-c").arg(&fault.command).status();
            tracing::warn!(
                at_s = at.as_secs_f64(),
                receipted,
                command = %fault.command,
                took_s = (started.elapsed() - at).as_secs_f64(),
                status = ?status.map(|s| s.code()),
                "fault"
            );
            continue;
        }
        if printed.elapsed() >= PROGRESS_EVERY {
            printed = Instant::now();
            tracing::info!(
                at_s = started.elapsed().as_secs(),
                sealed = progress.sealed.load(Ordering::Relaxed),
                receipted,
                total,
                "progress"
            );
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}
