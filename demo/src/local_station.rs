//! A whole station on one machine, shared by the demo's window and its self-test:
//! the station provisioned with a local central through the real enrolment-code flow (identity,
//! TLS certificate from the local central's CA, the central's keys), and both simulated devices on
//! pseudo-terminals linked at fixed paths.

use std::path::{Path, PathBuf};

use anyhow::Context;
use central::RunningCentral;
use firmware_sim::vc0706_firmware::{CameraSim, CameraSimConfig};
use firmware_sim::zfm_firmware::{FingerMode, FingerprintSim, FingerprintSimConfig};

use station::config::{
    CentralSettings, CounterSettings, DeviceSettings, PortSettings, StationConfig,
    TechnicianSettings, UiSettings,
};
use station::outbox::FreezeLimits;
use station::seal::IdentitySettings;
use station::trust::enrol::provision_config;
use station::uplink::{HttpSettings, UploaderSettings};

/// The demo (and self-test) station's registered id.
pub const LOCAL_STATION_ID: &str = "mairie-demo-01-p1";

/// The town hall the demo station belongs to (ANTS `meeting_point_id`).
pub const LOCAL_TOWN_HALL: &str = "69382-02";

/// Provisions the station under `station_dir` with the local central as a technician would: an
/// enrolment code from the central (or a re-key code if the station was enrolled but lost its
/// certificate), redeemed over HTTPS with the central's CA. A station whose certificate is from
/// this central already keeps it. Returns a configuration holding the central's address and
/// public keys (no devices).
pub fn provision(station_dir: &Path, central: &RunningCentral) -> anyhow::Result<StationConfig> {
    station::files::create_private_dir(station_dir)
        .with_context(|| format!("création du dossier {}", station_dir.display()))?;
    let keys = central.public_keys();
    let mut config = StationConfig {
        data_dir: station_dir.to_path_buf(),
        station_id: LOCAL_STATION_ID.to_owned(),
        // The demo's key is a development file key; the tests exercise the token
        // (`station/tests/token_station.rs`).
        identity: IdentitySettings::File,
        central: CentralSettings {
            url: central.url(),
            // The station authenticates with its certificate; no ANTS token.
            token: String::new(),
            record_public_key: hex::encode(keys.record_public_key),
            receipt_public_key: hex::encode(keys.receipt_public_key),
        },
        freeze: FreezeLimits::default(),
        uploader: UploaderSettings::default(),
        http: HttpSettings::default(),
        devices: DeviceSettings::default(),
        // The simulators start in auto mode: one simulated finger lies on the glass for every
        // position, which the same-finger check would (rightly) stop at the second finger. The
        // demo's window turns it on with a simulated applicant (`applicant.rs`).
        counter: CounterSettings {
            same_finger_check: false,
            ..CounterSettings::default()
        },
        ui: UiSettings {
            town_hall: "Mairie de démonstration".to_owned(),
            ..UiSettings::default()
        },
        technician: TechnicianSettings::default(),
        // No printer: the demo saves each receipt as a PDF in its data directory.
        printer: Default::default(),
        retention: Default::default(),
        mode: Default::default(),
        file: None,
        // The demo is a development setup: its configuration is written by the demo itself, and
        // its station key is a file.
        development: true,
    };
    let trust = config.trust_files();
    let same_ca = std::fs::read_to_string(&trust.ca).is_ok_and(|ca| ca == central.ca_pem());
    let code = match central
        .station_revoked(&config.station_id)
        .context("état de la station au service national")?
    {
        Some(false) if same_ca && trust.certificate.exists() && trust.key.exists() => None,
        Some(false) => Some(central.rekey_station(&config.station_id)?),
        Some(true) => anyhow::bail!(
            "la station {} a été révoquée par le service national",
            config.station_id
        ),
        None => Some(central.enrol_station(&config.station_id, LOCAL_TOWN_HALL)?),
    };
    if let Some(code) = code {
        let (provisioned, _) = provision_config(config, &central.ca_file(), &code.code)
            .context("enrôlement de la station auprès du service national")?;
        config = provisioned;
    } else {
        // Enrolled already: its key (created at enrolment) must still open.
        config.signer().context("clé de la station")?;
    }
    tracing::info!(station_id = %config.station_id, central = %config.central.url, "local station provisioned");
    Ok(config)
}

/// Where the simulated devices are linked under `root`.
pub fn simulator_links(root: &Path) -> (PathBuf, PathBuf) {
    (root.join("fingerprint"), root.join("camera"))
}

/// The device settings pointing at the simulators linked under `root`.
pub fn simulator_devices(root: &Path) -> DeviceSettings {
    let (fingerprint, camera) = simulator_links(root);
    DeviceSettings {
        fingerprint: Some(PortSettings {
            path: fingerprint,
            baud: FingerprintSimConfig::default().baud,
        }),
        camera: Some(PortSettings {
            path: camera,
            baud: CameraSimConfig::default().baud,
        }),
        auto_discover: false,
    }
}

/// Starts both simulators linked under `root`; a finger is on the sensor at every capture.
pub fn start_simulators(root: &Path, paced: bool) -> anyhow::Result<(FingerprintSim, CameraSim)> {
    let (fingerprint_link, camera_link) = simulator_links(root);
    let fingerprint = FingerprintSim::start_linked(
        FingerprintSimConfig {
            finger: FingerMode::Auto,
            paced,
            ..FingerprintSimConfig::default()
        },
        &fingerprint_link,
    )
    .context("démarrage du capteur d'empreintes simulé")?;
    let camera = CameraSim::start_linked(
        CameraSimConfig {
            paced,
            ..CameraSimConfig::default()
        },
        &camera_link,
    )
    .context("démarrage de l'appareil photo simulé")?;
    Ok((fingerprint, camera))
}

/// `path` made absolute against the current directory.
pub fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    Ok(std::env::current_dir()
        .context("dossier courant")?
        .join(path))
}
