//! `station-demo`: a complete station environment on one machine, with no hardware and no network.
//!
//! It starts the reference national service on loopback, a simulated fingerprint module and a
//! simulated camera on pseudo-terminals (paced at their real line speeds), provisions this station
//! with the central (identity key, registration, the central's public keys) and writes a station
//! configuration, so that every station command works against it. It creates the demo accounts
//! shown on the sign-in screen, then opens the clerk's app on the main thread (until its window is
//! closed or Ctrl-C), or with `--headless` runs until Ctrl-C with no window.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use anyhow::Context;
use central::{Central, CentralConfig, RunningCentral};
use clap::Args;

use station::cli::app::{AppStart, run_app};
use station::cli::display;

use crate::applicant::DemoApplicant;
use crate::{accounts, local_station};

/// `station-demo`.
#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Where the demo keeps its data (central, station, device links). Kept between runs.
    #[arg(long, default_value = "demo-data")]
    pub data_dir: PathBuf,
    /// Send the simulated devices' bytes at once instead of at their line speed.
    #[arg(long)]
    pub unpaced: bool,
    /// No window: only the national service and the simulated devices, until Ctrl-C (for scripts,
    /// CI and machines without a display).
    #[arg(long)]
    pub headless: bool,
    /// A mobile kit (`[mode] mobile = true`): the home screen's tour panel, "Préparer la tournée"
    /// (F11) against the demo's central; its tour day is 2026-12-14.
    #[arg(long)]
    pub mobile: bool,
}

/// Runs the demo until Ctrl-C (or until the app's window is closed).
pub fn run(args: &DemoArgs) -> anyhow::Result<()> {
    if !args.headless {
        // Before anything starts: without a screen the window would fail last, after the services.
        display::check("station-demo", Some("station-demo --headless"))?;
    }
    let root = local_station::absolute(&args.data_dir)?;
    std::fs::create_dir_all(&root)
        .with_context(|| format!("création du dossier {}", root.display()))?;

    let central = Central::start(CentralConfig::new(root.join("central")))
        .context("démarrage du service national de démonstration")?;
    let mut config = local_station::provision(&root.join("station"), &central)?;
    config.devices = local_station::simulator_devices(&root);
    config.mode.mobile = args.mobile;
    let config_path = root.join("station").join("station.toml");
    station::files::write_private(&config_path, config.to_toml().as_bytes())
        .with_context(|| format!("écriture de {}", config_path.display()))?;
    config.file = Some(config_path.clone());

    let (fingerprint, camera) = local_station::start_simulators(&root, !args.unpaced)?;
    let (fingerprint_link, camera_link) = local_station::simulator_links(&root);

    accounts::create(&config)?;
    print_welcome(
        &central,
        &config_path,
        &fingerprint_link,
        &camera_link,
        args.headless,
    );

    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("installation de l'arrêt par Ctrl-C")?;
    }
    let shown = if args.headless {
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    } else {
        // A simulated applicant lays the finger each screen asks for: every finger differs, so the
        // same-finger check is on, as on a real station.
        config.counter.same_finger_check = true;
        let sensor = fingerprint.control();
        let lens = camera.control();
        let start = AppStart {
            stop: Some(Arc::clone(&stop)),
            sign_in_hints: Some(accounts::sign_in_hints()),
        };
        run_app(config, start, move |counter| {
            DemoApplicant::follow(counter, sensor, lens)
                .context("usager simulé de la démonstration")
        })
    };
    println!("Arrêt de la démonstration…");
    camera.stop();
    fingerprint.stop();
    central.stop();
    shown
}

/// Tells the newcomer what runs where. With the window open, the app holds both devices' ports
/// (a serial port opens exclusively), so the technician commands are suggested only with `--headless`.
fn print_welcome(
    central: &RunningCentral,
    config: &Path,
    fingerprint: &Path,
    camera: &Path,
    headless: bool,
) {
    let next = if headless {
        format!(
            "\
À essayer dans un autre terminal :
  station fingerprint capture --port {fingerprint} --out empreinte.png
  station fingerprint quality empreinte.png
  station camera capture --port {camera} --out photo.jpg
  station photo check photo.jpg
  station outbox --config {config} status
  station outbox --config {config} waiting

Ctrl-C pour arrêter.",
            fingerprint = fingerprint.display(),
            camera = camera.display(),
            config = config.display(),
        )
    } else {
        "\
La fenêtre de l'agent s'ouvre (et celle de l'usager) : connectez-vous avec un compte de démonstration
affiché à l'écran. Fermer la fenêtre ou Ctrl-C arrête la démonstration."
            .to_owned()
    };
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
Timbres fiscaux de démonstration : 0860000000000001 à 0860000000000003 (86 €, passeport adulte),
0250000000000001 (25 €, CNI après perte ou vol), 0170000000000001 (17 €), 9999000000000001 (déjà utilisé).
Un dossier avec une exception (photo papier : F7 sur l'aperçu ; doigt impossible : F8) attend
l'approbation d'un superviseur dans la file d'envoi (F3) : compte superviseur, nom et code tapés
dans le formulaire, F8 approuve, F9 refuse avec un motif.

{next}",
        url = central.url(),
    );
}
