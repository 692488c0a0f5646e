//! The retention applied again each day the station stays on, not only when it starts: a counter
//! left running for weeks would otherwise keep acknowledged rows and audit names past their time.
//! A failure is an alarm on the home screen (the law's limit is not being kept), tried again an
//! hour later rather than at every refresh.

use std::time::{Duration, Instant};

/// How long after a failure the retention is tried again.
const RETRY_AFTER: Duration = Duration::from_secs(60 * 60);

/// When the retention last ran, and whether it failed.
#[derive(Debug, Default)]
pub(crate) struct RetentionRun {
    /// The local day (`YYYY-MM-DD`) it was last applied on.
    applied_on: Option<String>,
    /// When it last failed, and the alarm shown since.
    failed: Option<(Instant, String)>,
}

impl RetentionRun {
    /// True when it should run on `today` at `now`: not yet today, and not failed within the hour.
    pub(crate) fn due(&self, today: &str, now: Instant) -> bool {
        if self.applied_on.as_deref() == Some(today) {
            return false;
        }
        self.failed
            .as_ref()
            .is_none_or(|(at, _)| now.saturating_duration_since(*at) >= RETRY_AFTER)
    }

    /// Notes a success on `today`; the alarm of an earlier failure, to take off the screen.
    pub(crate) fn applied(&mut self, today: &str) -> Option<String> {
        self.applied_on = Some(today.to_owned());
        self.failed.take().map(|(_, alarm)| alarm)
    }

    /// Notes a failure at `now` with the alarm shown for it.
    pub(crate) fn failed(&mut self, now: Instant, alarm: String) {
        self.failed = Some((now, alarm));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_runs_once_a_day_and_an_hour_after_a_failure() {
        let start = Instant::now();
        let mut run = RetentionRun::default();
        assert!(run.due("2026-12-07", start), "never applied: due");
        assert_eq!(run.applied("2026-12-07"), None);
        assert!(!run.due("2026-12-07", start), "applied today");
        assert!(run.due("2026-12-08", start), "the next day");

        run.failed(start, "alarme".into());
        assert!(!run.due("2026-12-08", start + Duration::from_secs(60)));
        assert!(run.due("2026-12-08", start + RETRY_AFTER));
        assert_eq!(run.applied("2026-12-08"), Some("alarme".into()));
        assert!(!run.due("2026-12-08", start + RETRY_AFTER));
    }
}
