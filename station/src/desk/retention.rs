//! The core applying the retention when its schedule says so (see [`super::retention_run`]).

use std::time::Instant;

use tracing::warn;

use super::core::Core;

impl Core {
    /// Applies the retention when it is due; true when the alarms changed.
    pub(crate) fn retention_tick(&mut self) -> bool {
        let today = super::clock::today();
        let now = Instant::now();
        if !self.retention.due(&today, now) {
            return false;
        }
        let result = crate::retention::apply(
            &self.config.retention,
            &self.stores.outbox,
            &self.stores.audit,
            crate::outbox::now_ms(),
        );
        match result {
            Ok(_) => match self.retention.applied(&today) {
                Some(alarm) => {
                    self.view.alarms.retain(|a| *a != alarm);
                    true
                }
                None => false,
            },
            Err(e) => {
                warn!(error = %e, "retention not applied");
                let alarm = self.texts.retention_failed();
                self.retention.failed(now, alarm.clone());
                if self.view.alarms.contains(&alarm) {
                    false
                } else {
                    self.view.alarms.push(alarm);
                    true
                }
            }
        }
    }
}
