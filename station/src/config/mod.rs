//! The station's configuration file (TOML). Other parts of the station add their own sections.

pub mod devices_file;
pub mod validate;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{
    language::Language,
    outbox::FreezeLimits,
    receipt_slip::printer::PrinterSettings,
    retention::RetentionSettings,
    seal::{CentralKeys, IdentitySettings, SealError, SharedSigner, StationIdentity},
    trust::TrustFiles,
    uplink::{CentralClient, HttpSettings, UploaderSettings},
};

/// Everything the station reads at start-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StationConfig {
    /// Where the outbox and the station key live.
    pub data_dir: PathBuf,
    /// This station's registered id, e.g. `mairie-lyon-03-p1`.
    pub station_id: String,
    /// The national service.
    pub central: CentralSettings,
    /// Where the station's signing key is: a PKCS#11 token (production), or a file (development
    /// only, the default so that a configuration without it fails clearly in production).
    #[serde(default)]
    pub identity: IdentitySettings,
    /// When new enrolments are refused.
    #[serde(default)]
    pub freeze: FreezeLimits,
    /// The background uploader.
    #[serde(default)]
    pub uploader: UploaderSettings,
    /// HTTP timeouts.
    #[serde(default)]
    pub http: HttpSettings,
    /// Where the fingerprint module and the camera are.
    #[serde(default)]
    pub devices: DeviceSettings,
    /// Thresholds, retries and timeouts of the enrolment at the counter.
    #[serde(default)]
    pub counter: CounterSettings,
    /// Language and what the screens show.
    #[serde(default)]
    pub ui: UiSettings,
    /// The technician's routines (calibration).
    #[serde(default)]
    pub technician: TechnicianSettings,
    /// The printer that prints the applicant's receipt.
    #[serde(default)]
    pub printer: PrinterSettings,
    /// How long the outbox rows of acknowledged records and the audit log's personal fields are
    /// kept.
    #[serde(default)]
    pub retention: RetentionSettings,
    /// A mobile kit or a counter station, and the kit's own freeze limits.
    #[serde(default)]
    pub mode: crate::mobile::ModeSettings,
    /// The file this configuration was read from ([`StationConfig::load`]), where the technician's
    /// screen saves the devices it found; `None` for one built in memory. Not itself a setting.
    #[serde(skip)]
    pub file: Option<PathBuf>,
    /// Development mode: a configuration the station's user may write, a station key in a file.
    /// Never read from the file itself (whoever could write the file could then turn the checks
    /// off): set by the launcher, from `STATION_DEVELOPMENT=1` ([`Mode::from_env`]) or by the demo.
    #[serde(skip)]
    pub development: bool,
}

/// Whether the station runs at a counter or on a developer's machine.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Mode {
    /// The default: the configuration must be read-only for the station, the key in a token.
    #[default]
    Production,
    /// Checks relaxed for the demo, the tests and a developer's machine.
    Development,
}

impl Mode {
    /// The environment variable a launcher sets to `1` for development mode.
    pub const VARIABLE: &str = "STATION_DEVELOPMENT";

    /// Development when [`Mode::VARIABLE`] is `1` in this process's environment, else production.
    pub fn from_env() -> Self {
        if std::env::var_os(Self::VARIABLE).is_some_and(|v| v == "1") {
            Self::Development
        } else {
            Self::Production
        }
    }
}

/// The serial devices. A device left out is looked for by discovery at start-up
/// (`auto_discover`), or is absent (a station may have no camera: photos come on paper).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DeviceSettings {
    /// The fingerprint module's port.
    #[serde(default)]
    pub fingerprint: Option<PortSettings>,
    /// The camera's port.
    #[serde(default)]
    pub camera: Option<PortSettings>,
    /// Look for devices not configured here on every serial port at start-up.
    #[serde(default = "default_true")]
    pub auto_discover: bool,
}

impl Default for DeviceSettings {
    fn default() -> Self {
        Self {
            fingerprint: None,
            camera: None,
            auto_discover: true,
        }
    }
}

/// One serial port and the baud the device was last found at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PortSettings {
    /// The port path (`/dev/ttyUSB0`, or a stable symlink such as `/dev/serial/by-id/...`).
    pub path: PathBuf,
    /// The baud the device answers at (the driver probes others if it does not).
    pub baud: u32,
}

/// The enrolment at the counter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct CounterSettings {
    /// Quality score a finger must reach (0..=100); 40 as MOSIP uses (fingerprint-quality.md).
    pub quality_threshold: u8,
    /// Captures allowed per finger before "accepted below threshold".
    pub max_attempts: u32,
    /// Seconds to wait for a finger on the sensor before asking again.
    pub finger_timeout_s: u64,
    /// Minutes without input before the clerk is signed out (a capture in progress is kept).
    pub idle_sign_out_min: u64,
    /// Failed sign-ins before an account is locked.
    pub lockout_failures: u32,
    /// Minutes an account stays locked.
    pub lockout_minutes: u64,
    /// Compare every new finger with those already taken for the applicant and stop on a match
    /// (one finger put down twice). Off only where one simulated finger stands for every finger.
    pub same_finger_check: bool,
    /// Seconds the camera looks for the pre-request's QR code ("Lire le QR code", F4) before the
    /// clerk is told none was seen: a few preview frames at the camera's line speed, enough for an
    /// applicant to bring the code into view. Between [`Self::QR_READING_S`]'s bounds.
    pub qr_reading_s: u64,
}

impl CounterSettings {
    /// The accepted range of [`Self::qr_reading_s`]: under 3 s the camera sends too few frames at
    /// its line speed to find a code; over 2 minutes the preview of whoever stands at the counter
    /// stays on for nothing.
    pub const QR_READING_S: std::ops::RangeInclusive<u64> = 3..=120;
}

impl Default for CounterSettings {
    fn default() -> Self {
        Self {
            quality_threshold: 40,
            max_attempts: 3,
            finger_timeout_s: 20,
            idle_sign_out_min: 15,
            lockout_failures: 5,
            lockout_minutes: 15,
            same_finger_check: true,
            qr_reading_s: 10,
        }
    }
}

/// What the screens show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UiSettings {
    /// `fr` (default) or `en`.
    pub language: Language,
    /// The town hall's name, printed on the applicant's receipt.
    pub town_hall: String,
    /// Open the second window that faces the applicant.
    pub applicant_window: bool,
}

impl Default for UiSettings {
    fn default() -> Self {
        Self {
            language: Language::French,
            town_hall: "Mairie".to_owned(),
            applicant_window: true,
        }
    }
}

/// The technician's routines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TechnicianSettings {
    /// Seconds the fingerprint sensor waits for a calibration target once the technician said it
    /// is laid, before the calibration stops and says so.
    pub target_wait_s: u64,
}

impl TechnicianSettings {
    /// [`Self::target_wait_s`] as a duration (at least a second: the sensor needs one to image).
    pub fn target_wait(&self) -> std::time::Duration {
        std::time::Duration::from_secs(self.target_wait_s.max(1))
    }
}

impl Default for TechnicianSettings {
    fn default() -> Self {
        Self { target_wait_s: 30 }
    }
}

fn default_true() -> bool {
    true
}

/// Where the central is and its public keys (from `central keys`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CentralSettings {
    /// Base URL, e.g. `https://127.0.0.1:8443` (`http://` is refused).
    pub url: String,
    /// The `x-rdv-opt-auth-token` value (the ANTS-shaped header; the station authenticates with
    /// its TLS certificate; empty: not sent).
    #[serde(default)]
    pub token: String,
    /// `record_public_key` hex.
    pub record_public_key: String,
    /// `receipt_public_key` hex.
    pub receipt_public_key: String,
}

/// The configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("configuration {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML for this structure.
    #[error("configuration {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A key in it is malformed.
    #[error(transparent)]
    Key(#[from] SealError),
    /// The station's own user could rewrite it (refused outside development).
    #[error(transparent)]
    Writable(#[from] crate::files::ConfigTrustError),
    /// A setting has a value the station cannot work with.
    #[error("configuration {path}: {key}: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// The setting, as `section.key`.
        key: &'static str,
        /// What is wrong with its value.
        reason: String,
    },
}

impl StationConfig {
    /// A configuration with every setting at its default, before provisioning fills in the
    /// station id and the central; `mode` as [`StationConfig::load_in`] takes it.
    pub fn new(data_dir: PathBuf, mode: Mode) -> Self {
        Self {
            data_dir,
            station_id: String::new(),
            central: CentralSettings {
                url: String::new(),
                token: String::new(),
                record_public_key: String::new(),
                receipt_public_key: String::new(),
            },
            identity: Default::default(),
            freeze: Default::default(),
            uploader: Default::default(),
            http: Default::default(),
            devices: Default::default(),
            counter: Default::default(),
            ui: Default::default(),
            technician: Default::default(),
            printer: Default::default(),
            retention: Default::default(),
            mode: Default::default(),
            file: None,
            development: mode == Mode::Development,
        }
    }

    /// Reads and checks a TOML file, in the mode the environment says ([`Mode::from_env`]).
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        Self::load_in(path, Mode::from_env())
    }

    /// Reads and checks a TOML file. In production the file must not be writable by the station's
    /// own user ([`crate::files::check_config_not_writable`]).
    pub fn load_in(path: &Path, mode: Mode) -> Result<Self, ConfigError> {
        if mode == Mode::Production {
            crate::files::check_config_not_writable(path)?;
        }
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        Self::from_toml(&text, path, mode)
    }

    /// Parses and checks the text of a configuration file read from `path` (named in errors and
    /// kept as [`StationConfig::file`]). Apart from [`StationConfig::load_in`], only the fuzz
    /// target calls it: it takes the text so that no file is written per input.
    pub fn from_toml(text: &str, path: &Path, mode: Mode) -> Result<Self, ConfigError> {
        let mut config: Self = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.into(),
            message: e.to_string(),
        })?;
        config.central_keys()?;
        validate::check(&config).map_err(|(key, reason)| ConfigError::Invalid {
            path: path.into(),
            key,
            reason,
        })?;
        config.file = Some(path.to_path_buf());
        config.development = mode == Mode::Development;
        Ok(config)
    }

    /// The TOML text of this configuration.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// The freeze rule's limits in force: a mobile kit's own (`[mode]`) or the counter's
    /// (`[freeze]`).
    pub fn freeze_limits(&self) -> crate::outbox::FreezeLimits {
        self.mode.freeze_limits(&self.freeze)
    }

    /// The outbox database file.
    pub fn outbox_path(&self) -> PathBuf {
        self.data_dir.join("outbox.sqlite")
    }

    /// The station key file (development's file key).
    pub fn identity_path(&self) -> PathBuf {
        StationIdentity::default_path(&self.data_dir)
    }

    /// Opens the station's signing key as `[identity]` says (a file key only in development).
    pub fn signer(&self) -> Result<SharedSigner, SealError> {
        crate::seal::open_signer(&self.identity, &self.data_dir, self.development)
    }

    /// The central's public keys.
    pub fn central_keys(&self) -> Result<CentralKeys, SealError> {
        CentralKeys::from_hex(
            &self.central.record_public_key,
            &self.central.receipt_public_key,
        )
    }

    /// The station's TLS trust files (national CA, client certificate and key).
    pub fn trust_files(&self) -> TrustFiles {
        let token = match &self.identity {
            IdentitySettings::Pkcs11(token) => Some(token.clone()),
            IdentitySettings::File => None,
        };
        TrustFiles::under(&self.data_dir).in_token(token)
    }

    /// An HTTPS client for the central (mutual TLS with the station's certificate).
    pub fn central_client(&self) -> CentralClient {
        CentralClient::new(
            &self.central.url,
            &self.central.token,
            self.http,
            &self.trust_files(),
        )
    }
}
