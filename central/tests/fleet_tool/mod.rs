//! The fleet load test's stations, shared by the `fleet` bench (the national day, run by hand
//! with scripts/fleet.sh) and the integration suite (a small fleet against one central, so that CI
//! builds and exercises this code without running the day).

pub mod audit;
pub mod catalogue;
pub mod day;
pub mod faults;
pub mod identity;
pub mod payload;
pub mod plan;
pub mod tally;

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::Context;

pub use day::DayPlan;
pub use faults::Fault;

use audit::Audit;
use day::{Outcome, Progress};
use identity::StationIdentity;
use tally::Tally;

/// A fleet and its day.
pub struct FleetRun {
    /// Stations in the fleet.
    pub stations: usize,
    /// How the day runs.
    pub plan: DayPlan,
    /// Faults to inject.
    pub faults: Vec<Fault>,
}

/// What a run measured and found.
pub struct Report {
    /// Stations, records each, workers, rate.
    stations: usize,
    records: usize,
    workers: usize,
    rate: Option<f64>,
    /// Time to enrol the fleet.
    enrolment: Duration,
    /// Time from the first record sealed to the last receipt.
    day: Duration,
    /// Mean size of a sealed record, bytes.
    record_bytes: usize,
    /// Every record's outcome.
    pub outcomes: Vec<Outcome>,
    /// Latencies and failures.
    pub tally: Tally,
    /// The counts after the outboxes drained, once [`Report::audit_against`] ran.
    pub audit: Audit,
}

impl Report {
    /// Records receipted.
    pub fn receipted(&self) -> usize {
        self.outcomes.iter().filter(|o| o.receipt.is_some()).count()
    }

    /// Counts what is lost, duplicated or orphaned in `db` and the store in `data`, now that the
    /// outboxes drained (a database opened afresh: the run's own may have lived through a restart
    /// of the server).
    pub fn audit_against(
        &mut self,
        db: &central::storage::Database,
        data: &Path,
    ) -> anyhow::Result<()> {
        self.audit = audit::audit(&self.outcomes, db, data).context("auditing the centrals")?;
        Ok(())
    }

    /// Nothing lost, duplicated or orphaned.
    pub fn clean(&self) -> bool {
        self.audit.lost() == 0 && self.audit.duplicated() == 0 && self.audit.orphaned() == 0
    }

    /// The report, a line each.
    pub fn lines(&mut self) -> Vec<String> {
        let total = self.stations * self.records;
        let a = &self.audit;
        let mut out = vec![
            format!(
                "fleet: {} stations x {} records = {total} records of {:.0} KB, {} workers, {}",
                self.stations,
                self.records,
                self.record_bytes as f64 / 1024.0,
                self.workers,
                match self.rate {
                    Some(rate) => format!("paced at {rate} records/s"),
                    None => "full speed".to_owned(),
                }
            ),
            format!(
                "enrolment: {} stations in {:.1} s ({:.1} stations/s)",
                self.stations,
                self.enrolment.as_secs_f64(),
                self.stations as f64 / self.enrolment.as_secs_f64()
            ),
            format!(
                "day: {} of {total} records receipted in {:.1} s: {:.1} records/s",
                self.receipted(),
                self.day.as_secs_f64(),
                self.receipted() as f64 / self.day.as_secs_f64()
            ),
        ];
        out.extend(self.tally.lines());
        out.push(format!(
            "lost {} (never receipted {} of which refused {}{}, no receipt row {}, no object {}, other bytes {})",
            a.lost(),
            a.never_receipted,
            a.refused,
            a.first_refusal.as_deref().map(|c| format!(" first: {c}")).unwrap_or_default(),
            a.receipt_row_missing,
            a.object_missing,
            a.object_altered
        ));
        out.push(format!(
            "duplicated {} (receipt in the database not the station's {}, pre-request consumed by another {})",
            a.duplicated(),
            a.receipt_differs,
            a.consumed_by_other
        ));
        out.push(format!(
            "orphaned {} (objects without receipt {}, staging files {}, receipts without object {}, receipts of no sent record {})",
            a.orphaned(),
            a.objects_without_receipt,
            a.staging_left,
            a.object_missing,
            a.receipts_unknown
        ));
        out
    }
}

fn joined<T>(handle: std::thread::ScopedJoinHandle<'_, T>) -> anyhow::Result<T> {
    handle
        .join()
        .map_err(|_| anyhow::anyhow!("a fleet worker panicked"))
}

impl FleetRun {
    /// Enrols the fleet through `self.plan.base` (codes issued in `db`) and lives the day.
    pub fn run(&self, ca_pem: &str, db: &central::storage::Database) -> anyhow::Result<Report> {
        plan::check(self.stations, self.plan.records)?;
        let workers = self.plan.workers.clamp(1, self.stations);
        let plan = DayPlan {
            base: self.plan.base.clone(),
            records: self.plan.records,
            workers,
            rate: self.plan.rate,
        };
        let images = payload::Images::new();

        let started = Instant::now();
        let shares: Vec<Vec<StationIdentity>> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..workers)
                .map(|w| {
                    let (base, count) = (&plan.base, self.stations);
                    s.spawn(move || {
                        (w..count)
                            .step_by(workers)
                            .map(|i| identity::enrol(i, base, ca_pem, db))
                            .collect::<anyhow::Result<Vec<_>>>()
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| joined(h)?)
                .collect::<anyhow::Result<Vec<_>>>()
        })?;
        let enrolment = started.elapsed();
        tracing::info!(
            stations = self.stations,
            seconds = enrolment.as_secs_f64(),
            "fleet enrolled"
        );

        let total = self.stations * plan.records;
        let progress = Progress::default();
        let done = AtomicBool::new(false);
        let started = Instant::now();
        let results = std::thread::scope(|s| {
            let watcher = s.spawn(|| faults::watch(self.faults.clone(), total, &progress, &done));
            let handles: Vec<_> = shares
                .into_iter()
                .enumerate()
                .map(|(w, share)| {
                    let (plan, images, progress) = (&plan, &images, &progress);
                    s.spawn(move || day::run(w, share, plan, images, progress, started))
                })
                .collect();
            let results: anyhow::Result<Vec<_>> = handles.into_iter().map(joined).collect();
            done.store(true, Ordering::Relaxed);
            joined(watcher)?;
            results
        })?;
        let day = started.elapsed();

        let mut outcomes = Vec::with_capacity(total);
        let mut tally = Tally::default();
        for result in results {
            outcomes.extend(result.outcomes);
            tally.merge(result.tally);
        }
        Ok(Report {
            stations: self.stations,
            records: plan.records,
            workers,
            rate: plan.rate,
            enrolment,
            day,
            record_bytes: outcomes.iter().map(|o| o.bytes).sum::<usize>() / outcomes.len().max(1),
            outcomes,
            tally,
            audit: Audit::default(),
        })
    }
}
