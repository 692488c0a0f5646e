//! `station camera …`: the technician's commands for the VC0706 camera.
//!
//! `station camera capture --config FILE --operator NAME --port PATH --out FILE [--plain]
//! [--size 640x480] [--baud N]` signs the operator in (PIN on standard input; technician or
//! supervisor), finds the camera (whatever speed it was left at), puts the settings in force (size
//! and compression, reset, speed), takes one picture with a progress bar, writes it sealed to the
//! national service (the JPEG exactly as received with `--plain`, with a warning), audits the
//! export and prints the settings, the bytes on the wire, the transfer time and the line time.

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::{Args, Subcommand, ValueEnum};
use drivers::transport::{SerialTransport, Transport};
use drivers::vc0706::{Baud, Camera, CameraOptions, ImageSize, Settings, Verify};
use indicatif::{ProgressBar, ProgressStyle};

/// `station camera`.
#[derive(Debug, Args)]
pub struct CameraArgs {
    /// What to do with the camera.
    #[command(subcommand)]
    pub action: CameraAction,
}

/// The camera's subcommands.
#[derive(Debug, Subcommand)]
pub enum CameraAction {
    /// Take one picture and save it as a JPEG.
    Capture(CaptureArgs),
}

/// How the frame's bytes are checked.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum VerifyArg {
    /// Chunk framing, JPEG markers and a full decode: line-rate, but blind to a flipped bit
    /// inside the JPEG data (the protocol has no checksum).
    Decode,
    /// Also read every chunk twice and compare: twice the line time, catches flipped bits.
    ReadTwice,
}

/// `station camera capture`.
#[derive(Debug, Args)]
pub struct CaptureArgs {
    /// Who runs it: a technician's or supervisor's sign-in, and `--plain`.
    #[command(flatten)]
    pub operator: super::operator_gate::ExportArgs,
    /// The camera's serial port (e.g. /dev/ttyUSB0, or a simulator's link).
    #[arg(long)]
    pub port: String,
    /// Where to write the picture (sealed; the JPEG as received with `--plain`).
    #[arg(long)]
    pub out: PathBuf,
    /// Picture size: 640x480, 320x240 or 160x120.
    #[arg(long, default_value = "640x480")]
    pub size: ImageSize,
    /// Line speed for the transfer: 9600, 19200, 38400, 57600 or 115200.
    #[arg(long, default_value_t = 115_200)]
    pub baud: u32,
    /// Compression byte (0–255, higher = smaller, coarser JPEG); the kept photo's by default.
    #[arg(long, default_value_t = drivers::vc0706::camera::PORTRAIT_COMPRESSION)]
    pub compression: u8,
    /// Bytes per chunk (a multiple of 4); chosen from the speed when absent.
    #[arg(long)]
    pub chunk: Option<u32>,
    /// How the frame's bytes are checked.
    #[arg(long, value_enum, default_value = "read-twice")]
    pub verify: VerifyArg,
}

/// Runs `station camera …`.
pub fn run(args: &CameraArgs) -> anyhow::Result<()> {
    match &args.action {
        CameraAction::Capture(capture_args) => capture(capture_args),
    }
}

fn capture(args: &CaptureArgs) -> anyhow::Result<()> {
    // Signed in before the camera is touched: no picture is taken for nobody.
    let signed_in = super::operator_gate::sign_in(
        &args.operator.signed,
        "camera capture",
        crate::operators::Role::may_calibrate,
        None,
    )?;
    let Some(baud) = Baud::from_bits_per_second(args.baud) else {
        bail!(
            "vitesse {} non prise en charge par la caméra (9600, 19200, 38400, 57600, 115200)",
            args.baud
        );
    };
    let started = Instant::now();
    let line = SerialTransport::open(&args.port, Baud::DEFAULT.bits_per_second())
        .with_context(|| format!("ouverture du port {}", args.port))?;
    let options = CameraOptions {
        chunk_len: args.chunk,
        verify: match args.verify {
            VerifyArg::Decode => Verify::Decode,
            VerifyArg::ReadTwice => Verify::ReadTwice,
        },
        ..CameraOptions::default()
    };
    let mut camera = Camera::with_options(line, options);
    let found = camera.probe().context("recherche de la caméra")?;
    crate::outln!(
        "caméra          : {} (trouvée à {} bauds)",
        found.version,
        found.baud
    );
    let settings = Settings {
        size: args.size,
        compression: args.compression,
        baud,
    };
    let report = camera
        .configure(&settings)
        .context("réglage de la caméra")?;
    crate::outln!(
        "réglages        : {}, compression {:#04x}, {} bauds, blocs de {} octets, vérification {:?}",
        settings.size,
        settings.compression,
        camera.baud(),
        camera.chunk_len(),
        args.verify
    );
    crate::outln!(
        "réglage         : {} ms (dont redémarrage et texte de démarrage)",
        report.elapsed.as_millis()
    );

    let bar = ProgressBar::new(0);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    // Both reads of the frame (it is read twice) on one bar.
    let outcome = camera.capture(&mut |progress| {
        let whole = u64::from(progress.total) * u64::from(progress.reads.max(1));
        bar.set_length(whole);
        bar.set_position((progress.fraction() * whole as f64) as u64);
    });
    bar.finish_and_clear();
    let photo = outcome.context("prise de vue")?;
    signed_in.write_image(
        &args.out,
        zeroize::Zeroizing::new(photo.jpeg.clone()),
        args.operator.plain,
    )?;

    let stats = photo.stats;
    let counters = camera.transport().counters();
    crate::outln!(
        "image           : {}x{}, JPEG de {} octets → {}",
        photo.image.width(),
        photo.image.height(),
        photo.jpeg.len(),
        args.out.display()
    );
    crate::outln!(
        "sur la ligne    : {} octets reçus, {} envoyés pendant le transfert ({} blocs, {} relus, {} relectures complètes)",
        stats.bytes_received,
        stats.bytes_sent,
        stats.chunks,
        stats.chunk_retries,
        stats.picture_retries
    );
    crate::outln!(
        "transfert       : {} ms ; temps de ligne {} ms (JPEG seul {} ms) ; rapport {:.3}",
        stats.transfer.as_millis(),
        stats.line_time().as_millis(),
        stats.jpeg_line_time().as_millis(),
        stats.transfer.as_secs_f64() / stats.line_time().as_secs_f64().max(1e-9)
    );
    crate::outln!(
        "prise de vue    : {} ms (gel → reprise) ; total {} ms ; port : {} octets reçus, {} envoyés",
        stats.elapsed.as_millis(),
        started.elapsed().as_millis(),
        counters.bytes_read,
        counters.bytes_written
    );
    Ok(())
}
