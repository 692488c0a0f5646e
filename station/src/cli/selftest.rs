//! `station selftest`: complete test enrolments without a screen, through the same counter core
//! as the app: pre-request → photo → fingers → review → seal → queue → upload → receipt → purge.
//! One line per enrolment with its step timings, a summary of the machine's share against the
//! serial transfer time, a non-zero exit on any failure. What a technician runs after installing a
//! station; the demo's binary runs the same test on its simulated station ([`run_on`]).
//!
//! Test pre-requests are `TEST` + 6 random letters/digits: the reference central's demo catalogue
//! answers for that family (always validated); a national service used for acceptance must too.

use std::{
    path::PathBuf,
    sync::Arc,
    time::{Duration, Instant},
};

use anyhow::{Context, bail};
use clap::Args;
use rand::Rng;

mod devices;

pub use devices::CalibrationTargets;

use crate::{
    audit::{AuditEvent, AuditLog, verify_file},
    config::StationConfig,
    desk::{Command, Counter, CounterView, EnrolmentTimings, median},
    enrolment::Step,
    operators::{LockoutPolicy, Operators, Role, SignedIn},
    outbox::{Outbox, RecordState, now_ms},
};

/// The account the self-test signs in with (a clerk, disabled again after the run).
pub const SELFTEST_ACCOUNT: &str = "selftest";
/// Photos tried before the self-test records a paper photo.
const PHOTO_TRIES: u32 = 3;
/// Finger captures tried per enrolment before giving up (two fingers, three tries each, and spare).
const FINGER_CAPTURES: u32 = 12;

/// `station selftest`.
#[derive(Debug, Args)]
pub struct SelftestArgs {
    /// The station configuration file (TOML).
    #[arg(long)]
    pub config: PathBuf,
    /// The station's data directory, instead of the configuration's.
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// The national service's URL, instead of the configuration's.
    #[arg(long)]
    pub central: Option<String>,
    /// How many enrolments, and how long each may take.
    #[command(flatten)]
    pub run: SelftestRun,
}

/// How many test enrolments, and how long each may take.
#[derive(Debug, Clone, Args)]
pub struct SelftestRun {
    /// Test enrolments to run.
    #[arg(long, default_value_t = 1)]
    pub count: u32,
    /// Give up on one enrolment (upload and receipt included) after this many seconds.
    #[arg(long, default_value_t = 120)]
    pub timeout_s: u64,
}

/// Runs `station selftest` on the configured station.
pub fn run(args: &SelftestArgs) -> anyhow::Result<()> {
    let mut config = StationConfig::load(&args.config)?;
    if let Some(dir) = &args.data_dir {
        config.data_dir.clone_from(dir);
    }
    if let Some(url) = &args.central {
        config.central.url.clone_from(url);
    }
    run_on(&config, &args.run, None)
}

/// Runs the self-test on `config`'s station. With `targets` (the demo's simulated devices), the
/// calibrations run for real and a station with no account yet gets a throw-away one; without,
/// the latest stored calibrations are shown and the station must have its first supervisor.
pub fn run_on(
    config: &StationConfig,
    run: &SelftestRun,
    targets: Option<&dyn CalibrationTargets>,
) -> anyhow::Result<()> {
    if run.count == 0 {
        bail!("--count doit valoir au moins 1");
    }
    // The devices first (self-test, calibration): their ports are free until the core starts.
    let devices = devices::run(config, targets);
    if let Err(e) = &devices {
        crate::outln!("appareils ÉCHEC : {e:#}");
    }
    run_enrolments(config, run, targets.is_some()).and(devices)
}

fn run_enrolments(
    config: &StationConfig,
    args: &SelftestRun,
    throwaway: bool,
) -> anyhow::Result<()> {
    let secret = prepare_account(config, throwaway)?;
    let counter =
        Counter::start(config.clone(), Arc::new(|| {})).context("démarrage du cœur du guichet")?;
    let timeout = Duration::from_secs(args.timeout_s.max(5));
    let signed_in = sign_in(&counter, &secret, timeout);
    let mut results = Vec::new();
    let mut failure = signed_in.err();
    if failure.is_none() {
        for index in 1..=args.count {
            let started = Instant::now();
            match one_enrolment(&counter, config, timeout) {
                Ok((number, record_id)) => {
                    let timings = counter
                        .timings()
                        .into_iter()
                        .find(|t| t.record_id == record_id);
                    let line = timings
                        .as_ref()
                        .map(EnrolmentTimings::line)
                        .unwrap_or_default();
                    crate::outln!(
                        "enrôlement {index}/{n} ok  {number}  dossier {record_id}  {total:.1} s  {line}",
                        n = args.count,
                        total = started.elapsed().as_secs_f64(),
                    );
                    results.extend(timings);
                }
                Err(e) => {
                    crate::outln!("enrôlement {index}/{} ÉCHEC : {e:#}", args.count);
                    failure = Some(e);
                    break;
                }
            }
        }
    }
    let _ = counter.send(Command::SignOut { idle: false });
    counter.stop();
    audit_approvals(config, &results)?;
    let purged = check_purged(config, &results);
    finish(config, failure.is_none() && purged.is_ok(), &secret)?;
    summary(&results);
    if let Some(e) = failure {
        return Err(e);
    }
    purged
}

/// A random secret for the self-test clerk, set afresh each run; the account is enabled for the
/// run only. A station with no account at all is left alone (its first supervisor is created on
/// its setup screen), except a throw-away one (the demo's).
fn prepare_account(config: &StationConfig, throwaway: bool) -> anyhow::Result<String> {
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("dossier {}", config.data_dir.display()))?;
    let operators = Operators::open_station(config, LockoutPolicy::default())?;
    if operators.needs_first_supervisor()? && !throwaway {
        bail!(
            "la station n'a encore aucun compte : créez le premier superviseur dans l'application"
        );
    }
    let secret: String = rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .take(24)
        .map(char::from)
        .collect();
    // The technician running the self-test acts as the station's own supervisor for this account.
    let station = SignedIn {
        name: "station".into(),
        role: Role::Supervisor,
    };
    let exists = operators
        .list()?
        .iter()
        .any(|(name, _)| name == SELFTEST_ACCOUNT);
    if exists {
        operators.set_secret(&station, SELFTEST_ACCOUNT, &secret)?;
        operators.set_disabled(&station, SELFTEST_ACCOUNT, false)?;
        operators.unlock(&station, SELFTEST_ACCOUNT)?;
    } else {
        operators.create(&station, SELFTEST_ACCOUNT, Role::Clerk, &secret, now_ms())?;
    }
    Ok(secret)
}

fn sign_in(counter: &Counter, secret: &str, timeout: Duration) -> anyhow::Result<()> {
    counter.send(Command::SignIn {
        name: SELFTEST_ACCOUNT.into(),
        secret: secret.into(),
    });
    let view = counter
        .wait_for(
            |v| v.operator.is_some() || v.sign_in_error.is_some(),
            timeout,
        )
        .context("pas de réponse à la connexion")?;
    if let Some(error) = view.sign_in_error {
        bail!("connexion refusée : {error}");
    }
    counter
        .wait_for(
            |v| v.devices.fingerprint.ready || v.devices.fingerprint.problem.is_some(),
            timeout,
        )
        .context("le capteur d'empreintes ne s'est pas annoncé")
        .and_then(|v| match v.devices.fingerprint.problem {
            Some(problem) => bail!("{problem}"),
            None => Ok(()),
        })
}

fn test_number() -> String {
    let tail: String = rand::rng()
        .sample_iter(rand::distr::Alphanumeric)
        .map(|c| char::from(c).to_ascii_uppercase())
        .take(6)
        .collect();
    format!("TEST{tail}")
}

fn notice(view: &CounterView) -> String {
    view.notice
        .as_ref()
        .map(|n| n.text.clone())
        .unwrap_or_default()
}

fn step(view: &CounterView) -> Option<Step> {
    view.enrolment.as_ref().map(|e| e.step.clone())
}

/// One enrolment through the counter; returns the pre-request number and the record id.
fn one_enrolment(
    counter: &Counter,
    config: &StationConfig,
    timeout: Duration,
) -> anyhow::Result<(String, String)> {
    let number = test_number();
    let waited = |what: &str| format!("délai dépassé : {what}");
    counter.send(Command::LoadPreRequest {
        number: number.clone(),
    });
    let view = counter
        .wait_for(
            |v| {
                v.enrolment
                    .as_ref()
                    .is_some_and(|e| e.pre_request.is_some() || e.pre_request_refusal.is_some())
                    || v.notice.as_ref().is_some_and(|n| n.error)
            },
            timeout,
        )
        .with_context(|| waited("pré-demande"))?;
    if let Some(refusal) = view
        .enrolment
        .as_ref()
        .and_then(|e| e.pre_request_refusal.clone())
    {
        bail!("pré-demande {number} refusée : {refusal}");
    }
    if view
        .enrolment
        .as_ref()
        .is_none_or(|e| e.pre_request.is_none())
    {
        bail!("pré-demande {number} : {}", notice(&view));
    }
    counter.send(Command::ConfirmApplicant);
    let view = counter
        .wait_for(|v| matches!(step(v), Some(Step::Photo { .. })), timeout)
        .with_context(|| waited("étape photo"))?;
    photo(counter, &view, timeout)?;
    fingers(counter, timeout)?;
    // The self-test's applicant keeps storage: an identity card is not sealed unanswered.
    let asked = counter
        .view()
        .enrolment
        .is_some_and(|e| e.storage_question_asked());
    if asked {
        counter.send(Command::AnswerFingerprintStorage(
            wire::fingerprint_storage::FingerprintStorage::Kept,
        ));
    }
    // Nor unsigned: no one is at the pad during a self-test, which the record says as a clerk
    // would ("ne peut pas signer", with the reason).
    let unsigned = counter
        .view()
        .enrolment
        .is_some_and(|e| e.signature.asked && !e.signature.validated);
    if unsigned {
        counter.send(Command::CannotSign {
            reason: "autotest de la station, sans demandeur".into(),
        });
    }
    counter.send(Command::ConfirmReview);
    let view = counter
        .wait_for(
            |v| {
                v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
                    || v.notice.as_ref().is_some_and(|n| n.error)
            },
            timeout,
        )
        .with_context(|| waited("scellement"))?;
    let Some(receipt) = view.enrolment.as_ref().and_then(|e| e.receipt.clone()) else {
        bail!("dossier non scellé : {}", notice(&view));
    };
    let record_id = receipt.record_id;
    approve_own_record(config, &record_id)?;
    counter
        .wait_for(
            |v| {
                v.outbox
                    .recent
                    .iter()
                    .any(|r| r.record_id == record_id && r.receipt_at.is_some())
            },
            timeout,
        )
        .with_context(|| waited("accusé de réception du service national"))?;
    counter.send(Command::NextApplicant);
    counter
        .wait_for(
            |v| v.enrolment.as_ref().is_some_and(|e| e.receipt.is_none()),
            timeout,
        )
        .with_context(|| waited("demandeur suivant"))?;
    Ok((number, record_id))
}

fn photo(counter: &Counter, view: &CounterView, timeout: Duration) -> anyhow::Result<()> {
    if view.devices.camera.is_none() {
        counter.send(Command::PhotoOnPaper);
    } else {
        let mut accepted = false;
        for attempt in 1..=PHOTO_TRIES {
            counter.send(Command::CapturePhoto);
            let view = counter
                .wait_for(
                    |v| {
                        v.enrolment
                            .as_ref()
                            .and_then(|e| e.photo.as_ref())
                            .is_some_and(|p| p.attempt == attempt)
                            || v.notice.as_ref().is_some_and(|n| n.error)
                    },
                    timeout,
                )
                .context("délai dépassé : photo")?;
            let compliant = view
                .enrolment
                .as_ref()
                .and_then(|e| e.photo.as_ref())
                .is_some_and(|p| p.attempt == attempt && p.compliant);
            if compliant {
                counter.send(Command::AcceptPhoto);
                accepted = true;
                break;
            }
            if view.notice.as_ref().is_some_and(|n| n.error) {
                bail!("photo : {}", notice(&view));
            }
        }
        if !accepted {
            counter.send(Command::PhotoOnPaper);
        }
    }
    counter
        .wait_for(
            |v| matches!(step(v), Some(Step::Finger { .. } | Step::Review)),
            timeout,
        )
        .context("délai dépassé : fin de l'étape photo")?;
    Ok(())
}

fn captures(view: &CounterView) -> u32 {
    view.enrolment
        .as_ref()
        .map_or(0, |e| e.fingers.iter().map(|f| f.attempts).sum())
}

fn fingers(counter: &Counter, timeout: Duration) -> anyhow::Result<()> {
    for _ in 0..FINGER_CAPTURES {
        let view = counter.view();
        match step(&view) {
            Some(Step::Review) => return Ok(()),
            Some(Step::Finger { .. }) => {}
            other => bail!("étape inattendue pendant les empreintes : {other:?}"),
        }
        let before = captures(&view);
        counter.send(Command::CaptureFinger);
        let view = counter
            .wait_for(
                |v| captures(v) > before || v.notice.as_ref().is_some_and(|n| n.error),
                timeout,
            )
            .context("délai dépassé : empreinte")?;
        if captures(&view) <= before {
            bail!("empreinte : {}", notice(&view));
        }
    }
    counter
        .wait_for(|v| step(v) == Some(Step::Review), timeout)
        .context("les empreintes ne se terminent pas")?;
    Ok(())
}

/// A self-test record sealed with an exception (a paper photo on a station without camera, a
/// finger kept below the threshold) waits for a supervisor like any other; the self-test's own
/// test record is approved in the self-test account's name, audited, so that the chain to the
/// national service is still tested end to end.
fn approve_own_record(config: &StationConfig, record_id: &str) -> anyhow::Result<()> {
    let outbox = Outbox::open(&config.outbox_path())?;
    if !outbox
        .awaiting_approval()?
        .iter()
        .any(|r| r.record_id == record_id)
    {
        return Ok(());
    }
    outbox.decide(
        record_id,
        crate::outbox::review::Decision::Approve,
        SELFTEST_ACCOUNT,
        SELFTEST_APPROVAL,
    )?;
    Ok(())
}

/// Why the self-test approves its own records, in the outbox and the audit log.
const SELFTEST_APPROVAL: &str = "self-test record";

/// Audits the self-test's approvals once the counter is stopped: the log has one writer at a
/// time, and while the counter runs that is the counter.
fn audit_approvals(config: &StationConfig, results: &[EnrolmentTimings]) -> anyhow::Result<()> {
    let outbox = Outbox::open(&config.outbox_path())?;
    let approved: Vec<&str> = results
        .iter()
        .map(|t| t.record_id.as_str())
        .filter(|id| {
            outbox
                .decision(id)
                .ok()
                .flatten()
                .is_some_and(|d| d.supervisor == SELFTEST_ACCOUNT)
        })
        .collect();
    if approved.is_empty() {
        return Ok(());
    }
    let log = crate::audit::AuditLog::open(
        &crate::audit::AuditLog::default_path(&config.data_dir),
        config.signer()?,
        crate::audit::DEFAULT_CHECKPOINT_EVERY,
    )?;
    for record_id in approved {
        log.append(
            SELFTEST_ACCOUNT,
            &AuditEvent::ReviewApproved {
                record_id: record_id.to_owned(),
                supervisor: SELFTEST_ACCOUNT.to_owned(),
                reason: Some(SELFTEST_APPROVAL.to_owned()),
            },
            now_ms(),
        )?;
    }
    Ok(())
}

/// Every sealed record must be purged (the central's receipt kept, the sealed bytes deleted).
fn check_purged(config: &StationConfig, results: &[EnrolmentTimings]) -> anyhow::Result<()> {
    let outbox = Outbox::open(&config.outbox_path())?;
    for t in results {
        let state = outbox.record(&t.record_id)?.map(|r| r.state);
        if state != Some(RecordState::Purged) {
            bail!(
                "dossier {} pas purgé après accusé de réception ({state:?})",
                t.record_id
            );
        }
    }
    Ok(())
}

/// Audits the self-test, disables its account and verifies the audit log.
fn finish(config: &StationConfig, passed: bool, _secret: &str) -> anyhow::Result<()> {
    let signer = config.signer()?;
    let log_path = AuditLog::default_path(&config.data_dir);
    let log = AuditLog::open(
        &log_path,
        Arc::clone(&signer),
        crate::audit::DEFAULT_CHECKPOINT_EVERY,
    )?;
    log.append("station", &AuditEvent::SelfTest { passed }, now_ms())?;
    log.checkpoint()?;
    drop(log);
    let operators = Operators::open_station(config, LockoutPolicy::default())?;
    let station = SignedIn {
        name: "station".into(),
        role: Role::Supervisor,
    };
    operators.set_disabled(&station, SELFTEST_ACCOUNT, true)?;
    let report = verify_file(&log_path, signer.station_key())
        .with_context(|| format!("journal d'audit {}", log_path.display()))?;
    crate::outln!(
        "journal d'audit vérifié : {} entrées, {} points de contrôle signés",
        report.entries,
        report.checkpoints
    );
    Ok(())
}

fn summary(results: &[EnrolmentTimings]) {
    if results.is_empty() {
        return;
    }
    let ms = |d: Duration| u64::try_from(d.as_micros()).unwrap_or(u64::MAX);
    let mut machine: Vec<u64> = results.iter().map(|t| ms(t.machine.machine())).collect();
    let mut transfer: Vec<u64> = results.iter().map(|t| ms(t.machine.transfer())).collect();
    let machine = median(&mut machine);
    let transfer = median(&mut transfer);
    let share = if transfer > 0 {
        format!("{:.1} %", machine as f64 * 100.0 / transfer as f64)
    } else {
        "n/a".to_owned()
    };
    crate::outln!(
        "médianes sur {} enrôlement(s) : part de la machine {:.1} ms, transferts série {:.1} ms, rapport {share}",
        results.len(),
        machine as f64 / 1000.0,
        transfer as f64 / 1000.0,
    );
    let step = |name: &str, get: &dyn Fn(&EnrolmentTimings) -> Duration| {
        let mut v: Vec<u64> = results.iter().map(|t| ms(get(t))).collect();
        format!("{name} {:.1} ms", median(&mut v) as f64 / 1000.0)
    };
    crate::outln!(
        "médianes par étape : {}, {}, {}, {}, {}, {}, {}",
        step("pré-demande", &|t| t.machine.pre_request_fetch),
        step("transfert photo", &|t| t.machine.photo_transfer),
        step("contrôles photo", &|t| t.machine.photo_checks),
        step("transfert empreintes", &|t| t.machine.finger_transfer),
        step("qualité", &|t| t.machine.quality_check),
        step("scellement", &|t| t.machine.seal),
        step("mise en file", &|t| t.machine.enqueue),
    );
}
