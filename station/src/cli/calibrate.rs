//! `station calibrate fingerprint|camera --port PATH [--baud N] [--data-dir DIR] [--frames N]`:
//! calibrates a device for the technician, prints every measure with its limit and verdict, and
//! stores the result (with the fingerprint sensor's flat-field correction) in
//! `DATA_DIR/calibration.sqlite` under the device's serial number.
//!
//! It asks for no operator's PIN, unlike the commands that capture, show or send biometric data:
//! what it keeps and prints are measures and the flat field of blank and dark targets, and the
//! portrait frames it takes to size the camera's compression are measured for their length and
//! dropped, never written or shown.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, Subcommand};
use drivers::calibration::{
    self, CameraStep, FingerprintStep, Verdict, calibrate_camera, calibrate_fingerprint,
};
use drivers::transport::SerialTransport;
use drivers::vc0706::Camera;
use drivers::zfm::FingerprintModule;
use time::OffsetDateTime;

use crate::calibration::{
    CalibrationHistory, DeviceKind, camera_measures_json, fingerprint_measures_json,
};

/// `station calibrate`.
#[derive(Debug, Args)]
pub struct CalibrateArgs {
    /// Which device to calibrate.
    #[command(subcommand)]
    pub device: CalibrateDevice,
}

/// The devices that can be calibrated.
#[derive(Debug, Subcommand)]
pub enum CalibrateDevice {
    /// The fingerprint sensor: blank and flat targets, flat-field correction.
    Fingerprint(FingerprintCalibrateArgs),
    /// The camera: grey card, then the portrait's compression setting.
    Camera(CameraCalibrateArgs),
}

/// `station calibrate fingerprint`.
#[derive(Debug, Args)]
pub struct FingerprintCalibrateArgs {
    /// The module's serial port.
    #[arg(long)]
    pub port: String,
    /// Speed to try first (the module is probed at every speed if it does not answer).
    #[arg(long, default_value_t = 57_600)]
    pub baud: u32,
    /// Where the station keeps its data (calibration.sqlite is stored there).
    #[arg(long, default_value = "data")]
    pub data_dir: PathBuf,
    /// Frames of each target.
    #[arg(long, default_value_t = 8)]
    pub frames: usize,
}

/// `station calibrate camera`.
#[derive(Debug, Args)]
pub struct CameraCalibrateArgs {
    /// The camera's serial port.
    #[arg(long)]
    pub port: String,
    /// Speed to try first (the camera is probed at every speed if it does not answer).
    #[arg(long, default_value_t = 38_400)]
    pub baud: u32,
    /// Where the station keeps its data (calibration.sqlite is stored there).
    #[arg(long, default_value = "data")]
    pub data_dir: PathBuf,
    /// Size a 640 × 480 portrait must stay within, bytes.
    #[arg(long, default_value_t = calibration::limits::PORTRAIT_TARGET_BYTES)]
    pub target_bytes: u32,
}

/// Runs `station calibrate …`.
pub fn run(args: &CalibrateArgs) -> anyhow::Result<()> {
    match &args.device {
        CalibrateDevice::Fingerprint(a) => fingerprint(a),
        CalibrateDevice::Camera(a) => camera(a),
    }
}

/// Tells the technician what to do; on a terminal, waits for Enter.
fn ask(text: &str) {
    eprintln!("{text}");
    if std::io::stdin().is_terminal() {
        eprint!("Appuyez sur Entrée quand c'est fait… ");
        let _ = std::io::stderr().flush();
        let mut line = String::new();
        let _ = std::io::stdin().lock().read_line(&mut line);
    }
}

fn print_verdict(verdict: &Verdict) {
    crate::outln!(
        "{:<20} {:>12}  {:<14} verdict",
        "mesure",
        "valeur",
        "limite"
    );
    for check in &verdict.checks {
        crate::outln!(
            "{:<20} {:>12.2}  {:<14} {}",
            check.measure,
            check.value,
            check.rule.to_string(),
            if check.pass { "OK" } else { "ÉCHEC" }
        );
    }
    crate::outln!(
        "verdict         : {}",
        if verdict.pass() {
            "CONFORME"
        } else {
            "NON CONFORME"
        }
    );
}

fn open_history(data_dir: &std::path::Path) -> anyhow::Result<(CalibrationHistory, PathBuf)> {
    std::fs::create_dir_all(data_dir)
        .with_context(|| format!("répertoire de données {}", data_dir.display()))?;
    let path = CalibrationHistory::default_path(data_dir);
    let history = CalibrationHistory::open(&path)
        .with_context(|| format!("ouverture de {}", path.display()))?;
    Ok((history, path))
}

fn fingerprint(args: &FingerprintCalibrateArgs) -> anyhow::Result<()> {
    let line = SerialTransport::open(&args.port, args.baud)
        .with_context(|| format!("ouverture du port {}", args.port))?;
    let mut module = FingerprintModule::new(line);
    let found = module.probe().context("recherche du module d'empreintes")?;
    // Modules without ReadProdInfo have no serial number: the port names them.
    let serial = found
        .product
        .as_ref()
        .map(|p| p.serial.clone())
        .unwrap_or_else(|| format!("zfm@{}", args.port));
    crate::outln!(
        "module          : {} (n° {serial}), {} bauds",
        found
            .product
            .as_ref()
            .map(|p| p.module_type.as_str())
            .unwrap_or("ZFM/R30x"),
        found.settings.baud
    );
    let result = calibrate_fingerprint(&mut module, args.frames, &mut |step| match step {
        FingerprintStep::LayBlankTarget => {
            ask("Nettoyez la vitre et posez la cible BLANCHE sur le capteur.")
        }
        FingerprintStep::LayFlatTarget => ask("Posez la cible SOMBRE (uniforme) sur le capteur."),
        FingerprintStep::Done => eprintln!("Retirez la cible."),
    })
    .context("étalonnage du capteur d'empreintes")?;
    let m = &result.measures;
    crate::outln!(
        "cibles          : {} images blanches, {} images sombres, {}x{}",
        m.frames,
        m.frames,
        m.width,
        m.height
    );
    crate::outln!("pixels morts    : {:?}", m.bad_pixels.dead);
    crate::outln!("pixels bloqués  : {:?}", m.bad_pixels.stuck);
    for r in &m.residue {
        crate::outln!(
            "trace latente   : centre ({:.0}, {:.0}), zone {:?}, écart {:.1} niveaux",
            r.x,
            r.y,
            r.bounds,
            r.departure
        );
    }
    print_verdict(&result.verdict);
    let (history, path) = open_history(&args.data_dir)?;
    let id = history
        .record(
            &serial,
            DeviceKind::Fingerprint,
            OffsetDateTime::now_utc(),
            &fingerprint_measures_json(&result),
            result.verdict.pass(),
            Some(&result.flat_field),
        )
        .context("enregistrement de l'étalonnage")?;
    crate::outln!("enregistré      : {} (n° {id})", path.display());
    Ok(())
}

fn camera(args: &CameraCalibrateArgs) -> anyhow::Result<()> {
    let line = SerialTransport::open(&args.port, args.baud)
        .with_context(|| format!("ouverture du port {}", args.port))?;
    let mut camera = Camera::new(line);
    let found = camera.probe().context("recherche de la caméra")?;
    // The VC0706 reports no serial number: the port and the version name it.
    let serial = format!("vc0706@{}", args.port);
    crate::outln!(
        "caméra          : {} (n° {serial}), {} bauds",
        found.version,
        found.baud
    );
    let result = calibrate_camera(&mut camera, args.target_bytes, &mut |step| match step {
        CameraStep::ShowGreyCard => {
            ask("Tenez la carte grise devant l'objectif, qu'elle remplisse l'image.")
        }
        CameraStep::ShowPortrait => ask("Placez une personne à la place du demandeur."),
        CameraStep::Done => eprintln!("Étalonnage terminé."),
    })
    .context("étalonnage de la caméra")?;
    let m = &result.measures;
    let c = &result.compression;
    crate::outln!(
        "carte grise     : R/V {:.3}, B/V {:.3}",
        m.red_ratio,
        m.blue_ratio
    );
    crate::outln!(
        "compression     : 0x{:02X} → portrait de {} octets (cible {}, {} essais)",
        c.compression,
        c.frame_len,
        c.target,
        c.tries
    );
    print_verdict(&m.verdict);
    let (history, path) = open_history(&args.data_dir)?;
    let id = history
        .record(
            &serial,
            DeviceKind::Camera,
            OffsetDateTime::now_utc(),
            &camera_measures_json(&result),
            m.verdict.pass(),
            None,
        )
        .context("enregistrement de l'étalonnage")?;
    crate::outln!("enregistré      : {} (n° {id})", path.display());
    Ok(())
}
