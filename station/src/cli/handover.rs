//! `station handover --config FILE --operator NAME --number N --port PATH [--finger POS]`: the
//! fingerprint check at handover (remise). Signs the operator in (PIN on standard input), takes a
//! live finger from the module, seals its minutiae to the central, which compares them with the
//! applicant's and signs its decision; prints the decision and the score once the decision is
//! checked, and audits the attempt in the station's audit log under the operator's name. Exit
//! status 0 when the finger matches, 1 when it does not, 2 when the check could not be made (a
//! refused sign-in included).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use anyhow::Context;
use clap::Args;
use drivers::transport::SerialTransport;
use drivers::zfm::FingerprintModule;

use crate::audit::AuditEvent;
use crate::checks::matching::extract_image;
use crate::uplink::PreRequestNumber;
use crate::uplink::handover::{HandoverClient, HandoverError, HandoverOutcome, verify};

/// Arguments of `station handover`.
#[derive(Debug, Args)]
pub struct HandoverArgs {
    /// Who runs it, and the station configuration file (TOML): station id, central, data
    /// directory, accounts.
    #[command(flatten)]
    pub signed: super::operator_gate::OperatorArgs,
    /// The pre-request number on the applicant's file (10 letters or digits).
    #[arg(long)]
    pub number: String,
    /// The fingerprint module's serial port.
    #[arg(long)]
    pub port: String,
    /// How long to wait for a finger, in seconds.
    #[arg(long, default_value_t = 30)]
    pub wait: u64,
    /// ISO position of the finger presented (2 right index, 7 left index, ...); 0, the default,
    /// has the central compare with each enrolled finger.
    #[arg(long, default_value_t = wire::handover::ANY_FINGER, value_parser = clap::value_parser!(u8).range(0..=10))]
    pub finger: u8,
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
            crate::outln!("remise          : {decision}");
            crate::outln!(
                "score           : {} (seuil {})",
                outcome.score,
                outcome.threshold
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
    // The handover is a counter task, with the applicant in front of the clerk: the roles the
    // app lets press F7 (a clerk or a supervisor) may run it, a technician may not, so that the
    // command line is no way around the app's permissions. Signed in before the module is
    // touched: no finger is read, and nothing is asked of the central, for nobody.
    let signed = super::operator_gate::sign_in(
        &args.signed,
        "handover",
        crate::operators::Role::may_enrol,
        Some(number.as_str()),
    )?;
    let config = signed.config();
    let signer = signed.signer();
    let central_keys = config
        .central_keys()
        .context("clés du centre (configuration)")?;
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
        central_keys: &central_keys,
    };
    let result = verify(&client, &number, args.finger, &live);
    let event = match &result {
        Ok(outcome) => AuditEvent::HandoverCheck {
            pre_request: number.as_str().to_owned(),
            matched: outcome.matched,
            score: outcome.score,
            compared_finger: outcome.position,
        },
        Err(error) => AuditEvent::HandoverNotDecided {
            pre_request: number.as_str().to_owned(),
            reason: reason(error).to_owned(),
        },
    };
    signed.audit(&event)?;
    let outcome = result.map_err(|e| anyhow::anyhow!(french(&e)))?;
    crate::outln!("durée           : {} ms", started.elapsed().as_millis());
    Ok(outcome)
}

/// The audit log's short code for a check not decided (as the counter writes it).
fn reason(error: &HandoverError) -> &'static str {
    match error {
        HandoverError::NoReference => "no-reference",
        HandoverError::TooManyAttempts(_) => "too-many-attempts",
        HandoverError::OtherTownHall(_) => "other-town-hall",
        HandoverError::Decision(_) | HandoverError::Replayed => "untrusted-answer",
        HandoverError::Uplink(e) if e.is_transient() => "unreachable",
        HandoverError::Uplink(_) => "refused",
        HandoverError::Seal(_) => "station-key",
        HandoverError::Template(_) => "no-minutiae",
    }
}

/// What to tell the person at the terminal, in French, with the detail for the technician.
fn french(error: &HandoverError) -> String {
    let what = match error {
        HandoverError::NoReference => {
            "le centre n'a pas d'empreintes pour ce dossier (ou ce doigt)"
        }
        HandoverError::TooManyAttempts(_) => {
            "trop de tentatives pour ce dossier ou ce poste dans l'heure : réessayez plus tard"
        }
        HandoverError::OtherTownHall(_) => {
            "ce titre a été demandé dans une autre mairie : il doit y être remis"
        }
        HandoverError::Decision(_) | HandoverError::Replayed => {
            "réponse du centre non authentique : NE REMETTEZ PAS le titre, appelez le technicien"
        }
        HandoverError::Uplink(e) if e.is_transient() => "le centre ne répond pas",
        HandoverError::Uplink(_) => "le centre refuse la demande de ce poste",
        HandoverError::Seal(_) | HandoverError::Template(_) => {
            "la demande n'a pas pu être préparée"
        }
    };
    format!("vérification à la remise impossible : {what} ({error})")
}
