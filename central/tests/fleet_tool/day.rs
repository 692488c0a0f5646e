//! A national day, compressed: each worker thread lives the day of its share of the stations. A
//! station looks its applicant's pre-request up, seals the record, announces it and uploads it; its
//! outbox keeps every record until a receipt whose signature, record id and SHA-256 check, retrying
//! with backoff (the station's uploader does the same); receipted records are collected later
//! (the handover look-up). Records are sealed as fast as the centrals take them, or at a set rate
//! spread over the workers.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use central::VerifyReceipt;

use super::identity::StationIdentity;
use super::payload::{Images, SealedRecord};
use super::plan;
use super::tally::{Exchange, Tally};

/// First retry delay; doubled at each failure up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// Longest retry delay.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// Longest nap of an idle worker (it wakes earlier when something falls due).
const MAX_NAP: Duration = Duration::from_millis(100);

/// How the day runs.
pub struct DayPlan {
    /// The centrals' address (the load balancer), `https://host:port`.
    pub base: String,
    /// Records each station seals.
    pub records: usize,
    /// Worker threads.
    pub workers: usize,
    /// Records sealed per second across the fleet; `None` for as fast as they are taken.
    pub rate: Option<f64>,
}

/// Counters the progress display and the fault schedule read while the day runs.
#[derive(Default)]
pub struct Progress {
    /// Records sealed.
    pub sealed: AtomicUsize,
    /// Records with a verified receipt.
    pub receipted: AtomicUsize,
}

/// What became of one record, as its station saw it.
pub struct Outcome {
    /// Record id.
    pub record_id: String,
    /// Pre-request it consumes.
    pub pre_request: String,
    /// SHA-256 of the bytes sent.
    pub sha256: String,
    /// Size of the sealed record.
    pub bytes: usize,
    /// The verified receipt.
    pub receipt: Option<wire::receipt::Receipt>,
    /// Why the central refused it for good (a 4xx other than 408 and 429).
    pub refused: Option<String>,
}

/// A worker's share of the results.
#[derive(Default)]
pub struct WorkerResult {
    /// Every record sealed.
    pub outcomes: Vec<Outcome>,
    /// Latencies and failures.
    pub tally: Tally,
}

struct Pending {
    record: SealedRecord,
    announced: bool,
    sealed_at: Instant,
    attempts: u32,
    next_try: Instant,
}

struct Station {
    identity: StationIdentity,
    next_record: usize,
    outbox: VecDeque<Pending>,
}

/// One worker's day.
struct Worker<'a> {
    plan: &'a DayPlan,
    images: &'a Images,
    progress: &'a Progress,
    stations: Vec<Station>,
    /// Receipted pre-requests whose document will be collected: `(station, number)`.
    collections: VecDeque<(usize, String)>,
    result: WorkerResult,
}

fn backoff(attempts: u32) -> Duration {
    let base = FIRST_BACKOFF
        .saturating_mul(1 << attempts.saturating_sub(1).min(10))
        .min(MAX_BACKOFF);
    // ±25 %, so that stations that failed together do not all come back together.
    base.mul_f64(0.75 + rand::random::<f64>() * 0.5)
}

fn transport_cause(error: &ureq::Error) -> String {
    match error {
        ureq::Error::Io(e) => format!("transport: {}", e.kind()),
        ureq::Error::Timeout(t) => format!("timeout: {t:?}"),
        other => {
            let text = other.to_string();
            format!("transport: {}", text.chars().take(80).collect::<String>())
        }
    }
}

fn status_cause(status: u16, body: &str) -> String {
    let code = serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| v["error"].as_str().map(str::to_owned))
        .unwrap_or_default();
    format!("{status} {code}")
}

/// Whether a station keeps a record after this status and tries again later.
fn worth_retrying(status: u16) -> bool {
    status == 408 || status == 429 || status >= 500
}

/// Sends one request; the status and body, or why no answer came.
fn exchange(
    request: Result<ureq::http::Response<ureq::Body>, ureq::Error>,
) -> Result<(u16, String), String> {
    let mut response = request.map_err(|e| transport_cause(&e))?;
    let status = response.status().as_u16();
    let body = response
        .body_mut()
        .read_to_string()
        .map_err(|e| transport_cause(&e))?;
    Ok((status, body))
}

impl Worker<'_> {
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.plan.base)
    }

    /// An applicant sits down at station `s`: the pre-request is looked up, the record sealed and
    /// queued.
    fn new_applicant(&mut self, s: usize, variant: usize) {
        let station = &mut self.stations[s];
        let number = plan::pre_request(station.identity.index, station.next_record);
        station.next_record += 1;
        let url = format!("{}{}", self.plan.base, wire::paths::pre_request(&number));
        let started = Instant::now();
        match exchange(station.identity.agent.get(&url).call()) {
            Ok((200, _)) => self
                .result
                .tally
                .ok(Exchange::PreRequest, started.elapsed()),
            Ok((status, body)) => self
                .result
                .tally
                .failed(Exchange::PreRequest, status_cause(status, &body)),
            Err(cause) => self.result.tally.failed(Exchange::PreRequest, cause),
        }
        let record = self.images.seal(&station.identity, &number, variant);
        let now = Instant::now();
        station.outbox.push_back(Pending {
            record,
            announced: false,
            sealed_at: now,
            attempts: 0,
            next_try: now,
        });
        self.progress.sealed.fetch_add(1, Ordering::Relaxed);
    }

    /// Station `s` tries the oldest record of its outbox: its announcement if not yet taken, then
    /// the record.
    fn deliver(&mut self, s: usize) {
        let base = self.plan.base.clone();
        let station = &mut self.stations[s];
        let Some(pending) = station.outbox.front_mut() else {
            return;
        };
        let tally = &mut self.result.tally;
        let agent = &station.identity.agent;
        if !pending.announced {
            let batch = wire::announcement::AnnouncementBatch {
                announcements: vec![pending.record.announcement.clone()],
            };
            let body = serde_json::to_vec(&batch).unwrap_or_default();
            let started = Instant::now();
            let answer = exchange(
                agent
                    .post(&format!("{base}{}", wire::paths::ANNOUNCEMENTS_ROUTE))
                    .header("content-type", "application/json")
                    .send(&body[..]),
            );
            match answer {
                Ok((200, _)) => {
                    tally.ok(Exchange::Announcement, started.elapsed());
                    pending.announced = true;
                }
                Ok((status, body)) => {
                    tally.failed(Exchange::Announcement, status_cause(status, &body));
                    pending.attempts += 1;
                    pending.next_try = Instant::now() + backoff(pending.attempts);
                    return;
                }
                Err(cause) => {
                    tally.failed(Exchange::Announcement, cause);
                    pending.attempts += 1;
                    pending.next_try = Instant::now() + backoff(pending.attempts);
                    return;
                }
            }
        }
        let started = Instant::now();
        let answer = exchange(
            agent
                .put(&format!(
                    "{base}{}",
                    wire::paths::record(&pending.record.record_id)
                ))
                .header("content-type", "application/octet-stream")
                .send(&pending.record.bytes[..]),
        );
        let took = started.elapsed();
        let failure = match answer {
            Ok((200, body)) => match check_receipt(&body, &pending.record, &station.identity) {
                Ok(receipt) => {
                    tally.ok(Exchange::Upload, took);
                    tally.delivered(pending.sealed_at.elapsed());
                    let Some(done) = station.outbox.pop_front() else {
                        return;
                    };
                    self.progress.receipted.fetch_add(1, Ordering::Relaxed);
                    self.collections
                        .push_back((s, done.record.pre_request.clone()));
                    self.result.outcomes.push(Outcome {
                        record_id: done.record.record_id,
                        pre_request: done.record.pre_request,
                        sha256: done.record.sha256,
                        bytes: done.record.bytes.len(),
                        receipt: Some(receipt),
                        refused: None,
                    });
                    return;
                }
                Err(cause) => cause,
            },
            Ok((status, body)) if worth_retrying(status) => status_cause(status, &body),
            Ok((status, body)) => {
                let cause = status_cause(status, &body);
                tally.failed(Exchange::Upload, format!("refused: {cause}"));
                if let Some(done) = station.outbox.pop_front() {
                    self.result.outcomes.push(Outcome {
                        record_id: done.record.record_id,
                        pre_request: done.record.pre_request,
                        sha256: done.record.sha256,
                        bytes: done.record.bytes.len(),
                        receipt: None,
                        refused: Some(cause),
                    });
                }
                return;
            }
            Err(cause) => cause,
        };
        tally.failed(Exchange::Upload, failure);
        pending.attempts += 1;
        pending.next_try = Instant::now() + backoff(pending.attempts);
    }

    /// An applicant collects the document of pre-request `number` at station `s`.
    fn collect(&mut self, s: usize, number: &str) {
        let url = self.url(&wire::paths::handover_subject(number));
        let agent = &self.stations[s].identity.agent;
        let started = Instant::now();
        match exchange(agent.get(&url).call()) {
            Ok((200, body)) => {
                match serde_json::from_str::<wire::handover::HandoverSubject>(&body) {
                    Ok(_) => self.result.tally.ok(Exchange::Handover, started.elapsed()),
                    Err(e) => self
                        .result
                        .tally
                        .failed(Exchange::Handover, format!("bad answer: {e}")),
                }
            }
            Ok((status, body)) => self
                .result
                .tally
                .failed(Exchange::Handover, status_cause(status, &body)),
            Err(cause) => self.result.tally.failed(Exchange::Handover, cause),
        }
    }

    /// The station whose due record has waited longest.
    fn due_delivery(&self, now: Instant) -> Option<usize> {
        (0..self.stations.len())
            .filter_map(|s| {
                let next = self.stations[s].outbox.front()?.next_try;
                (next <= now).then_some((next, s))
            })
            .min()
            .map(|(_, s)| s)
    }

    fn next_retry(&self) -> Option<Instant> {
        self.stations
            .iter()
            .filter_map(|s| s.outbox.front().map(|p| p.next_try))
            .min()
    }

    fn run(mut self, index: usize, started: Instant) -> WorkerResult {
        let total = self.stations.len() * self.plan.records;
        let mut sealed = 0;
        loop {
            let now = Instant::now();
            if let Some(s) = self.due_delivery(now) {
                self.deliver(s);
                continue;
            }
            // This worker's records are spread evenly over the fleet's rate.
            let due = match self.plan.rate {
                Some(rate) => {
                    started
                        + Duration::from_secs_f64(
                            (sealed * self.plan.workers + index) as f64 / rate,
                        )
                }
                None => now,
            };
            if sealed < total && due <= now {
                // Stations in turn, so that each seals its share through the day.
                self.new_applicant(sealed % self.stations.len(), sealed);
                sealed += 1;
                if let Some((s, number)) = self.collections.pop_front() {
                    self.collect(s, &number);
                }
                continue;
            }
            if let Some((s, number)) = self.collections.pop_front() {
                self.collect(s, &number);
                continue;
            }
            let next = match (sealed < total, self.next_retry()) {
                (false, None) => return self.result,
                (true, None) => due,
                (false, Some(retry)) => retry,
                (true, Some(retry)) => retry.min(due),
            };
            std::thread::sleep(next.saturating_duration_since(now).min(MAX_NAP));
        }
    }
}

fn check_receipt(
    body: &str,
    record: &SealedRecord,
    station: &StationIdentity,
) -> Result<wire::receipt::Receipt, String> {
    let receipt: wire::receipt::Receipt =
        serde_json::from_str(body).map_err(|e| format!("bad receipt: not a receipt ({e})"))?;
    if receipt.record_id != record.record_id || receipt.sha256 != record.sha256 {
        return Err("bad receipt: another record's".to_owned());
    }
    receipt
        .verify(&station.receipt_public_key)
        .map_err(|e| format!("bad receipt: {e}"))?;
    Ok(receipt)
}

/// Runs the day of `stations` as worker `index`, from `started`.
pub fn run(
    index: usize,
    stations: Vec<StationIdentity>,
    plan: &DayPlan,
    images: &Images,
    progress: &Progress,
    started: Instant,
) -> WorkerResult {
    if stations.is_empty() {
        return WorkerResult::default();
    }
    let worker = Worker {
        plan,
        images,
        progress,
        stations: stations
            .into_iter()
            .map(|identity| Station {
                identity,
                next_record: 0,
                outbox: VecDeque::new(),
            })
            .collect(),
        collections: VecDeque::new(),
        result: WorkerResult::default(),
    };
    worker.run(index, started)
}
