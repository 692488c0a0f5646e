//! `station demo`: a complete station environment on one machine, with no hardware and no network.
//!
//! It starts the reference national service on loopback, a simulated fingerprint module and a
//! simulated camera on pseudo-terminals (paced at their real line speeds), provisions this station
//! with the central (identity key, registration, the central's public keys) and writes a station
//! configuration, so that every station command works against it. It then runs until Ctrl-C.
//! The clerk's graphical app will start from here too once it lands.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use central::{Central, CentralConfig, RunningCentral};
use clap::Args;
use firmware_sim::vc0706_firmware::{CameraSim, CameraSimConfig};
use firmware_sim::zfm_firmware::{FingerMode, FingerprintSim, FingerprintSimConfig};

use crate::config::{CentralSettings, StationConfig};
use crate::outbox::FreezeLimits;
use crate::seal::StationIdentity;
use crate::uplink::{HttpSettings, UploaderSettings};

/// `station demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where the demo keeps its data (central, station, device links). Kept between runs.
    #[arg(long, default_value = "demo-data")]
    pub data_dir: PathBuf,
    /// Send the simulated devices' bytes at once instead of at their line speed.
    #[arg(long)]
    pub unpaced: bool,
}

/// The demo station's registered id.
const DEMO_STATION_ID: &str = "mairie-demo-01-p1";

/// Runs `station demo` until Ctrl-C.
pub fn run(args: &DemoArgs) -> anyhow::Result<()> {
    let root = absolute(&args.data_dir)?;
    std::fs::create_dir_all(&root)
        .with_context(|| format!("création du dossier {}", root.display()))?;

    let central = Central::start(CentralConfig::new(root.join("central")))
        .context("démarrage du service national de démonstration")?;
    let mut config = provision(&root.join("station"), &central)?;
    config.devices = crate::config::DeviceSettings {
        fingerprint: Some(crate::config::PortSettings {
            path: root.join("fingerprint"),
            baud: FingerprintSimConfig::default().baud,
        }),
        camera: Some(crate::config::PortSettings {
            path: root.join("camera"),
            baud: CameraSimConfig::default().baud,
        }),
        auto_discover: false,
    };
    let config_path = root.join("station").join("station.toml");
    std::fs::write(&config_path, config.to_toml())
        .with_context(|| format!("écriture de {}", config_path.display()))?;

    let fingerprint_link = root.join("fingerprint");
    let fingerprint = FingerprintSim::start_linked(
        FingerprintSimConfig {
            finger: FingerMode::Auto,
            paced: !args.unpaced,
            ..FingerprintSimConfig::default()
        },
        &fingerprint_link,
    )
    .context("démarrage du capteur d'empreintes simulé")?;
    let camera_link = root.join("camera");
    let camera = CameraSim::start_linked(
        CameraSimConfig {
            paced: !args.unpaced,
            ..CameraSimConfig::default()
        },
        &camera_link,
    )
    .context("démarrage de l'appareil photo simulé")?;

    print_welcome(&central, &config_path, &fingerprint_link, &camera_link);

    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("installation de l'arrêt par Ctrl-C")?;
    }
    while !stop.load(Ordering::Relaxed) {
        std::thread::sleep(Duration::from_millis(100));
    }
    println!("Arrêt de la démonstration…");
    camera.stop();
    fingerprint.stop();
    central.stop();
    Ok(())
}

/// Creates (or reloads) the station's identity, registers it with the central and returns a
/// configuration holding the central's address and public keys.
fn provision(station_dir: &Path, central: &RunningCentral) -> anyhow::Result<StationConfig> {
    std::fs::create_dir_all(station_dir)
        .with_context(|| format!("création du dossier {}", station_dir.display()))?;
    let keys = central.public_keys();
    let config = StationConfig {
        data_dir: station_dir.to_path_buf(),
        station_id: DEMO_STATION_ID.to_owned(),
        central: CentralSettings {
            url: central.url(),
            token: central::running::DEMO_TOKEN.to_owned(),
            record_public_key: hex::encode(keys.record_public_key),
            receipt_public_key: hex::encode(keys.receipt_public_key),
        },
        freeze: FreezeLimits::default(),
        uploader: UploaderSettings::default(),
        http: HttpSettings::default(),
        devices: crate::config::DeviceSettings::default(),
        counter: crate::config::CounterSettings::default(),
        ui: crate::config::UiSettings {
            town_hall: "Mairie de démonstration".to_owned(),
            demo_hints: true,
            ..crate::config::UiSettings::default()
        },
    };
    let identity =
        StationIdentity::load_or_create(&config.identity_path()).context("clé de la station")?;
    central
        .register_station(&config.station_id, &identity.public_key())
        .context("enregistrement de la station auprès du service national")?;
    tracing::info!(station_id = %config.station_id, central = %config.central.url, "demo station provisioned");
    Ok(config)
}

fn print_welcome(central: &RunningCentral, config: &Path, fingerprint: &Path, camera: &Path) {
    let config = config.display();
    let fingerprint = fingerprint.display();
    let camera = camera.display();
    println!(
        "\
Démonstration du dispositif de recueil — tout tourne sur cette machine, sans matériel ni réseau.

  Service national (référence) : {url}
  Capteur d'empreintes simulé  : {fingerprint}   (un doigt est posé à chaque prise)
  Appareil photo simulé        : {camera}
  Configuration de la station  : {config}

Numéros de pré-demande de démonstration : DEMO000001 (CNI), DEMO000002 (passeport),
DEMO000003 (CNI, enfant de moins de 12 ans).

À essayer dans un autre terminal :
  station fingerprint capture --port {fingerprint} --out empreinte.png
  station fingerprint quality empreinte.png
  station camera capture --port {camera} --out photo.jpg
  station photo check photo.jpg
  station outbox --config {config} status

Ctrl-C pour arrêter.",
        url = central.url(),
    );
}

fn absolute(path: &Path) -> anyhow::Result<PathBuf> {
    if path.is_absolute() {
        return Ok(path.to_path_buf());
    }
    Ok(std::env::current_dir()
        .context("dossier courant")?
        .join(path))
}
