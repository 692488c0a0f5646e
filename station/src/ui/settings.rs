//! What the screens take from the station's configuration.

use std::time::Duration;

use super::sign_in_hints::SignInHints;
use crate::{config::StationConfig, language::Language};

/// The app's settings (from `station.toml`'s `[ui]` and `[counter]` sections).
#[derive(Debug, Clone, PartialEq)]
pub struct AppSettings {
    /// Language of the screens.
    pub language: Language,
    /// Shown under the sign-in form (the demo's accounts and numbers); none on a real station.
    pub sign_in_hints: Option<SignInHints>,
    /// Open the second window facing the applicant.
    pub applicant_window: bool,
    /// Sign the clerk out after this long without input (an enrolment in progress is kept).
    pub idle_sign_out: Duration,
    /// Quality a finger must reach (shown next to each score).
    pub quality_threshold: u8,
    /// Captures allowed per finger.
    pub max_attempts: u32,
    /// The station has a camera (otherwise photos come on paper).
    pub has_camera: bool,
}

impl AppSettings {
    /// Settings from the station's configuration.
    pub fn from_config(config: &StationConfig) -> Self {
        Self {
            language: config.ui.language,
            sign_in_hints: None,
            applicant_window: config.ui.applicant_window,
            idle_sign_out: Duration::from_secs(config.counter.idle_sign_out_min.saturating_mul(60)),
            quality_threshold: config.counter.quality_threshold,
            max_attempts: config.counter.max_attempts,
            has_camera: config.devices.camera.is_some(),
        }
    }
}

impl Default for AppSettings {
    fn default() -> Self {
        Self {
            language: Language::French,
            sign_in_hints: None,
            applicant_window: true,
            idle_sign_out: Duration::from_secs(15 * 60),
            quality_threshold: 40,
            max_attempts: 3,
            has_camera: true,
        }
    }
}
