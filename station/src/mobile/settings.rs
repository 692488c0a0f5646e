//! `[mode]`: whether this station is a mobile kit, and the freeze rule's limits while it is one. A
//! kit works offline for a whole day away from the town hall (hospital, care home, prison), so its
//! records wait longer and in greater number than a counter's before they can be sent: the counter's
//! limits would freeze it halfway through the day, while a limit of its own still stops a kit that
//! never comes back to upload.

use serde::{Deserialize, Serialize};

use crate::outbox::FreezeLimits;

/// The `[mode]` section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ModeSettings {
    /// The station is a mobile kit: it prepares the day's appointments online and enrols offline
    /// from them.
    pub mobile: bool,
    /// Records waiting for the central past which a mobile kit takes no new enrolment.
    pub mobile_max_waiting: u64,
    /// Hours the oldest waiting record may wait before a mobile kit takes no new enrolment.
    pub mobile_max_age_hours: u64,
}

impl ModeSettings {
    /// Accepted values of [`Self::mobile_max_waiting`]: at least a day's visits, and no more than
    /// a kit's disk and a single upload session reasonably carry.
    pub const WAITING: std::ops::RangeInclusive<u64> = 1..=2000;
    /// Accepted values of [`Self::mobile_max_age_hours`]: from an hour to two weeks (a long
    /// weekend's tour and the trip back, never records forgotten for a month).
    pub const AGE_HOURS: std::ops::RangeInclusive<u64> = 1..=336;

    /// The freeze limits in force: the kit's own when mobile, else the counter's `[freeze]`.
    pub fn freeze_limits(&self, counter: &FreezeLimits) -> FreezeLimits {
        if self.mobile {
            FreezeLimits {
                max_unacknowledged_hours: self.mobile_max_age_hours,
                max_backlog: self.mobile_max_waiting,
                // Records waiting for a supervisor are the town hall's, not the trip's: the
                // counter's limit holds on the kit too.
                max_awaiting_approval: counter.max_awaiting_approval,
            }
        } else {
            *counter
        }
    }

    /// Checks the values, naming the refused key.
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        if !Self::WAITING.contains(&self.mobile_max_waiting) {
            return Err((
                "mode.mobile_max_waiting",
                format!(
                    "{} is not between {} and {} records",
                    self.mobile_max_waiting,
                    Self::WAITING.start(),
                    Self::WAITING.end()
                ),
            ));
        }
        if !Self::AGE_HOURS.contains(&self.mobile_max_age_hours) {
            return Err((
                "mode.mobile_max_age_hours",
                format!(
                    "{} is not between {} and {} hours",
                    self.mobile_max_age_hours,
                    Self::AGE_HOURS.start(),
                    Self::AGE_HOURS.end()
                ),
            ));
        }
        Ok(())
    }
}

impl Default for ModeSettings {
    /// A counter station; as a kit, a long day of visits (a care home's residents, ~40) several
    /// times over, and three days before the kit must have been back online.
    fn default() -> Self {
        Self {
            mobile: false,
            mobile_max_waiting: 300,
            mobile_max_age_hours: 96,
        }
    }
}
