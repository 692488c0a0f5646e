//! `station fingerprint …`: the technician's commands for the ZFM/R30x fingerprint module.
//!
//! `station fingerprint capture --config FILE --operator NAME --port PATH --out FILE [--plain]
//! [--no-negotiate] [--wait SECONDS]` signs the operator in (PIN on standard input; technician or
//! supervisor), finds the module (whatever speed it was left at), negotiates 115,200 baud and 256-byte packets,
//! waits for a finger, fetches the image with a progress bar, writes it sealed to the national
//! service (a PNG in clear with `--plain`, with a warning), audits the export and prints the
//! settings, the bytes on the wire, the transfer time and the line time.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::{Args, Subcommand};
use drivers::transport::SerialTransport;
use drivers::zfm::{FingerprintModule, ModuleSettings};
use indicatif::{ProgressBar, ProgressStyle};

/// `station fingerprint`.
#[derive(Debug, Args)]
pub struct FingerprintArgs {
    /// What to do with the fingerprint module.
    #[command(subcommand)]
    pub action: FingerprintAction,
}

/// The fingerprint module's subcommands.
#[derive(Debug, Subcommand)]
pub enum FingerprintAction {
    /// Take one fingerprint image and save it as PNG.
    Capture(CaptureArgs),
    /// Quality score (0–100, modelled on NIST NFIQ 2) of fingerprint images, one line each.
    Quality(super::fingerprint_quality::QualityArgs),
    /// Compare two fingerprint images: score and decision (same finger or not).
    Match(super::fingerprint_match::MatchArgs),
}

/// `station fingerprint capture`.
#[derive(Debug, Args)]
pub struct CaptureArgs {
    /// Who runs it: a technician's or supervisor's sign-in, and `--plain`.
    #[command(flatten)]
    pub operator: super::operator_gate::ExportArgs,
    /// The module's serial port (e.g. /dev/ttyUSB0, or a simulator's link).
    #[arg(long)]
    pub port: String,
    /// Where to write the image (sealed; a PNG with `--plain`).
    #[arg(long)]
    pub out: PathBuf,
    /// Keep the module's current settings (no 115,200 baud / 256-byte packets).
    #[arg(long)]
    pub no_negotiate: bool,
    /// How long to wait for a finger, in seconds.
    #[arg(long, default_value_t = 30)]
    pub wait: u64,
}

/// Runs `station fingerprint …`.
pub fn run(args: &FingerprintArgs) -> anyhow::Result<()> {
    match &args.action {
        FingerprintAction::Capture(capture_args) => capture(capture_args),
        FingerprintAction::Quality(quality_args) => super::fingerprint_quality::run(quality_args),
        FingerprintAction::Match(match_args) => super::fingerprint_match::run(match_args),
    }
}

fn describe(settings: &ModuleSettings) -> String {
    format!(
        "{} bauds, paquets de {} octets, capteur {}x{}",
        settings.baud,
        settings.packet_size.bytes(),
        settings.width,
        settings.height
    )
}

fn capture(args: &CaptureArgs) -> anyhow::Result<()> {
    // Signed in before the module is touched: no finger is read for nobody.
    let signed_in = super::operator_gate::sign_in(
        &args.operator.signed,
        "fingerprint capture",
        crate::operators::Role::may_calibrate,
        None,
    )?;
    let started = Instant::now();
    let line = SerialTransport::open(&args.port, 57_600)
        .with_context(|| format!("ouverture du port {}", args.port))?;
    let mut module = FingerprintModule::new(line);
    let found = module.probe().context("recherche du module d'empreintes")?;
    let model = found
        .product
        .as_ref()
        .map(|p| format!("{} (n° {})", p.module_type, p.serial))
        .unwrap_or_else(|| "ZFM/R30x".to_owned());
    crate::outln!(
        "module          : {model}, trouvé à {} bauds en {} ms",
        found.settings.baud,
        found.elapsed.as_millis()
    );
    if !args.no_negotiate {
        let negotiation = module
            .negotiate_fastest()
            .context("négociation des réglages")?;
        for refusal in &negotiation.refused {
            eprintln!("réglage refusé  : {refusal}");
        }
    }
    crate::outln!("réglages        : {}", describe(&module.settings()));

    eprintln!("Posez le doigt sur le capteur… ({} s au plus)", args.wait);
    module
        .wait_for_finger(Instant::now() + Duration::from_secs(args.wait))
        .context("attente du doigt")?;
    eprintln!("Doigt détecté, transfert de l'image.");

    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let outcome = module.upload_image(&mut |progress| {
        bar.set_length(progress.total as u64);
        bar.set_position(progress.received as u64);
    });
    bar.finish_and_clear();
    let capture = outcome.context("transfert de l'image")?;
    let mut png = zeroize::Zeroizing::new(Vec::new());
    capture
        .image
        .write_to(
            &mut std::io::Cursor::new(&mut *png),
            image::ImageFormat::Png,
        )
        .context("encodage PNG")?;
    signed_in.write_image(&args.out, png, args.operator.plain)?;

    let stats = capture.stats;
    crate::outln!(
        "image           : {}x{} → {}",
        capture.image.width(),
        capture.image.height(),
        args.out.display()
    );
    crate::outln!(
        "sur la ligne    : {} octets ({} tentative(s), paquets de {} octets, {} bauds)",
        stats.bytes_on_wire,
        stats.attempts,
        stats.packet_size,
        stats.baud
    );
    crate::outln!(
        "transfert       : {} ms ; temps de ligne {} ms ; rapport {:.3}",
        stats.elapsed.as_millis(),
        stats.line_time().as_millis(),
        stats.efficiency_ratio()
    );
    crate::outln!("total           : {} ms", started.elapsed().as_millis());
    Ok(())
}
