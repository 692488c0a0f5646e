//! `station handover --config FILE --number N --port PATH`: the fingerprint check at handover
//! (remise). Asks the central for the applicant's reference templates, takes a live finger from the
//! module, compares, prints the decision and the score, and wipes the reference. Exit status 0 when
//! the finger matches, 1 when it does not, 2 when the check could not be made.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use drivers::transport::SerialTransport;
use drivers::zfm::FingerprintModule;

use crate::checks::matching::{MATCH_THRESHOLD, extract_image};
use crate::config::StationConfig;
use crate::uplink::PreRequestNumber;
use crate::uplink::handover::{HandoverClient, HandoverOutcome, verify};

/// Arguments of `station handover`.
#[derive(Debug, Args)]
pub struct HandoverArgs {
    /// The station configuration file (TOML): station id, central, data directory.
    #[arg(long)]
    pub config: PathBuf,
    /// The pre-request number on the applicant's file (10 letters or digits).
    #[arg(long)]
    pub number: String,
    /// The fingerprint module's serial port.
    #[arg(long)]
    pub port: String,
    /// How long to wait for a finger, in seconds.
    #[arg(long, default_value_t = 30)]
    pub wait: u64,
}

/// Runs `station handover`.
pub fn run(args: &HandoverArgs) -> ExitCode {
    match check(args) {
        Ok(outcome) => {
            let decision = if outcome.matched {
                "CONFORME : même personne"
            } else {
                "NON CONFORME : empreinte différente"
            };
            println!("remise          : {decision}");
            println!(
                "score           : {} (seuil {MATCH_THRESHOLD})",
                outcome.score
            );
            if outcome.matched {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(1)
            }
        }
        Err(error) => {
            eprintln!("erreur : {error:#}");
            ExitCode::from(2)
        }
    }
}

fn check(args: &HandoverArgs) -> anyhow::Result<HandoverOutcome> {
    let started = Instant::now();
    let number = PreRequestNumber::parse(&args.number).context("numéro de pré-demande")?;
    let config = StationConfig::load(&args.config)
        .with_context(|| format!("configuration {}", args.config.display()))?;
    let signer = config.signer().context("clé du poste")?;
    let central = config.central_client();

    let line = SerialTransport::open(&args.port, 57_600)
        .with_context(|| format!("ouverture du port {}", args.port))?;
    let mut module = FingerprintModule::new(line);
    module.probe().context("recherche du module d'empreintes")?;
    if let Err(error) = module.negotiate_fastest() {
        tracing::warn!(%error, "module left at its current settings");
    }
    eprintln!("Posez le doigt sur le capteur… ({} s au plus)", args.wait);
    module
        .wait_for_finger(Instant::now() + Duration::from_secs(args.wait))
        .context("attente du doigt")?;
    let mut capture = module
        .upload_image(&mut |_| {})
        .context("transfert de l'image")?;
    let live = extract_image(&capture.image).context("minuties du doigt présenté");
    // The live image is not kept: only its minutiae are compared.
    zeroize::Zeroize::zeroize(&mut *capture.image);
    let live = live?;
    let client = HandoverClient {
        central: &central,
        station_id: &config.station_id,
        identity: signer.as_ref(),
    };
    let outcome = verify(&client, &number, &live).context("vérification à la remise")?;
    println!("durée           : {} ms", started.elapsed().as_millis());
    Ok(outcome)
}
