//! The machine's share of one enrolment, kept apart from the serial transfers it waits for (logged
//! per step, so that the medians beyond the serial transfer time can be reported).

use std::{collections::BTreeMap, time::Duration};

/// Where one enrolment's time went, besides the people's time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct MachineShare {
    /// Pre-request status and content from the national service (network included).
    pub pre_request_fetch: Duration,
    /// The photo's frame on the serial line (the accepted photo and any retake).
    pub photo_transfer: Duration,
    /// Compliance checks, cut and JPEG of the photos.
    pub photo_checks: Duration,
    /// Fingerprint images on the serial line (every capture).
    pub finger_transfer: Duration,
    /// Quality checks of every capture.
    pub quality_check: Duration,
    /// Building the payload and sealing it.
    pub seal: Duration,
    /// The outbox's durable commit.
    pub enqueue: Duration,
}

impl MachineShare {
    /// Time spent moving bytes over the serial lines.
    pub fn transfer(&self) -> Duration {
        self.photo_transfer + self.finger_transfer
    }

    /// Time the station itself spent: everything but the serial transfers and the people.
    pub fn machine(&self) -> Duration {
        self.pre_request_fetch + self.photo_checks + self.quality_check + self.seal + self.enqueue
    }

    /// Named steps in milliseconds, as stored with the day's figures.
    pub fn steps_ms(&self) -> BTreeMap<String, u64> {
        let ms = |d: Duration| u64::try_from(d.as_millis()).unwrap_or(u64::MAX);
        [
            ("pre_request_fetch", self.pre_request_fetch),
            ("photo_transfer", self.photo_transfer),
            ("photo_checks", self.photo_checks),
            ("finger_transfer", self.finger_transfer),
            ("quality_check", self.quality_check),
            ("seal", self.seal),
            ("enqueue", self.enqueue),
            ("machine", self.machine()),
            ("transfer", self.transfer()),
        ]
        .into_iter()
        .map(|(k, d)| (k.to_owned(), ms(d)))
        .collect()
    }
}

/// One sealed enrolment's timings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnrolmentTimings {
    /// The record sealed.
    pub record_id: String,
    /// The wizard's steps as the session measured them (`pre_request`, `photo`, `fingers`,
    /// `review`), people's time included.
    pub steps_ms: BTreeMap<String, u64>,
    /// The machine's share and the serial transfers.
    pub machine: MachineShare,
}

impl EnrolmentTimings {
    /// One line for the log and for `station selftest`.
    pub fn line(&self) -> String {
        let ms = |d: Duration| d.as_secs_f64() * 1000.0;
        let m = &self.machine;
        format!(
            "pre-request {:.1} ms, photo transfer {:.1} ms, photo checks {:.1} ms, finger transfer {:.1} ms, \
             quality {:.1} ms, seal {:.1} ms, enqueue {:.1} ms; machine {:.1} ms vs transfer {:.1} ms",
            ms(m.pre_request_fetch),
            ms(m.photo_transfer),
            ms(m.photo_checks),
            ms(m.finger_transfer),
            ms(m.quality_check),
            ms(m.seal),
            ms(m.enqueue),
            ms(m.machine()),
            ms(m.transfer()),
        )
    }
}
