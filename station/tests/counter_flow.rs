//! The counter core end to end: both simulators over real pseudo-terminals (unpaced), a real
//! central on loopback, real SQLite stores, the same `Counter` the app and `station selftest` use.

use crate::counter_steps;
use crate::local_station_env;

use std::{path::Path, sync::Arc};

use firmware_sim::synth::sensor_defects::Target;
use station::{
    audit::{AuditLog, verify_file},
    config::StationConfig,
    desk::{CentralStatus, Command, Counter, CounterView, TechnicianCommand},
    enrolment::{ExceptionReason, FingerPosition, Step},
    operators::{LockoutPolicy, Operators, Role},
    seal::StationIdentity,
};

use counter_steps::{captures, step, wait};
use local_station_env::Env;

const SUPERVISOR: &str = "chef";
const SECRET: &str = "1234-abcd";
/// A simulated finger whose first impression scores above the threshold.
const GOOD_FINGER: u64 = 101;
/// A finger and impression that score above the threshold (51) while NFIQ 2's non-blocking
/// foreground measure still finds the print small (its 50,000 pixels are 68 % of this sensor).
const GOOD_BUT_SMALL: (u64, u32) = (70_013, 0);

fn env() -> Env {
    Env::start(false)
}

fn start(config: &StationConfig) -> Counter {
    Counter::start(config.clone(), Arc::new(|| {})).expect("counter")
}

fn setup_and_sign_in(counter: &Counter) {
    let v = wait(counter, "setup screen", |v| v.generation > 0);
    assert!(
        v.needs_first_supervisor,
        "a new station asks for its first supervisor"
    );
    assert!(counter.send(Command::CreateFirstSupervisor {
        name: SUPERVISOR.into(),
        secret: SECRET.into(),
    }));
    wait(counter, "signed in", |v| v.operator.is_some());
    wait(counter, "fingerprint module", |v| {
        v.devices.fingerprint.ready
    });
}

fn load(counter: &Counter, number: &str) -> CounterView {
    let answered = |v: &CounterView| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.pre_request.is_some() || e.pre_request_refusal.is_some())
    };
    if answered(&counter.view()) {
        // Start afresh so that the previous answer is not taken for this one.
        counter.send(Command::CancelEnrolment);
        wait(counter, "a blank enrolment", |v| {
            !answered(v) && v.enrolment.is_some()
        });
    }
    counter.send(Command::LoadPreRequest {
        number: number.into(),
    });
    wait(counter, "pre-request answer", |v| {
        v.busy.is_none()
            && v.enrolment
                .as_ref()
                .is_some_and(|e| e.pre_request.is_some() || e.pre_request_refusal.is_some())
    })
}

fn capture_finger(counter: &Counter) -> CounterView {
    let before = captures(&counter.view());
    counter.send(Command::CaptureFinger);
    wait(counter, "finger captured", |v| captures(v) > before)
}

fn photo(counter: &Counter) {
    counter.send(Command::CapturePhoto);
    let v = wait(counter, "photo", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.photo.is_some()) && v.busy.is_none()
    });
    let photo = v.enrolment.and_then(|e| e.photo).expect("photo");
    if photo.compliant {
        counter.send(Command::AcceptPhoto);
    } else {
        assert!(!photo.reasons.is_empty(), "a refused photo says why");
        counter.send(Command::PhotoOnPaper);
    }
    wait(counter, "fingers step", |v| {
        matches!(step(v), Some(Step::Finger { .. } | Step::Review))
    });
}

fn audit_verifies(config: &StationConfig) -> u64 {
    let identity = StationIdentity::load_or_create(&config.identity_path()).expect("key");
    verify_file(
        &AuditLog::default_path(&config.data_dir),
        identity.public_key(),
    )
    .expect("audit log verifies")
    .entries
}

#[test]
fn a_whole_enrolment_with_a_retry_and_a_fallback_reaches_the_receipt() {
    let env = env();
    let counter = start(&env.config);
    setup_and_sign_in(&counter);
    let v = load(&counter, "demo000001");
    let e = v.enrolment.expect("enrolment");
    assert_eq!(e.pre_request.expect("loaded").applicant.surname, "Lefèvre");
    assert_eq!(
        e.step,
        Step::PreRequest,
        "not started before the clerk confirms"
    );
    counter.send(Command::ConfirmApplicant);
    wait(&counter, "photo step", |v| {
        matches!(step(v), Some(Step::Photo { .. }))
    });
    photo(&counter);

    // Fallback: the left index is bandaged, the left middle finger is asked next.
    counter.send(Command::FingerException(ExceptionReason::Bandaged));
    let v = wait(&counter, "left middle asked", |v| {
        matches!(
            step(v),
            Some(Step::Finger {
                position: FingerPosition::LeftMiddle,
                ..
            })
        )
    });
    let fingers = v.enrolment.expect("enrolment").fingers;
    assert_eq!(fingers[0].exception, Some(ExceptionReason::Bandaged));
    // A blank card on the glass scores 0: the sequence asks for the same finger again.
    let sensor = env.sensor();
    sensor.place_target(Target::Blank);
    let v = capture_finger(&counter);
    assert!(
        matches!(
            step(&v),
            Some(Step::Finger {
                position: FingerPosition::LeftMiddle,
                attempt: 2,
                ..
            })
        ),
        "{:?}",
        step(&v)
    );
    let poor = v.enrolment.as_ref().expect("enrolment").fingers[1].clone();
    assert_eq!((poor.last_quality, poor.settled), (Some(0), false));
    assert!(poor.advice.is_some(), "the clerk is told what to do");
    sensor.place_finger(GOOD_BUT_SMALL.0, GOOD_BUT_SMALL.1);
    let v = capture_finger(&counter);
    let kept = v
        .enrolment
        .and_then(|e| {
            e.fingers
                .into_iter()
                .find(|f| f.position == FingerPosition::LeftMiddle)
        })
        .expect("left middle");
    assert!(kept.settled && !kept.below_threshold, "{kept:?}");
    assert_eq!(kept.advice, None, "a good capture needs no advice");
    assert_eq!(kept.attempts, 2);
    assert!(kept.best_quality >= Some(env.config.counter.quality_threshold));
    // The clerk asks for it again (an attempt is left): the better capture is kept.
    counter.send(Command::RetryFinger);
    wait(&counter, "left middle reopened", |v| {
        matches!(
            step(v),
            Some(Step::Finger {
                position: FingerPosition::LeftMiddle,
                attempt: 3,
                ..
            })
        )
    });
    sensor.place_target(Target::Blank);
    let v = capture_finger(&counter);
    let again = v
        .enrolment
        .and_then(|e| {
            e.fingers
                .into_iter()
                .find(|f| f.position == FingerPosition::LeftMiddle)
        })
        .expect("left middle");
    assert_eq!((again.attempts, again.last_quality), (3, Some(0)));
    assert_eq!(
        again.best_quality, kept.best_quality,
        "the best capture is kept"
    );
    assert!(again.best.is_some());
    sensor.place_finger(GOOD_FINGER + 1, 0);
    while matches!(step(&counter.view()), Some(Step::Finger { .. })) {
        capture_finger(&counter);
    }
    assert_eq!(step(&counter.view()), Some(Step::Review));
    counter_steps::answer_storage_if_asked(&counter);
    counter_steps::sign_if_asked(&counter);
    counter.send(Command::ConfirmReview);
    let v = wait(&counter, "receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    let receipt = v.enrolment.and_then(|e| e.receipt).expect("receipt");
    assert_eq!(receipt.pre_request, "DEMO000001");
    assert!(
        receipt.captured.iter().any(|l| l.contains("non relevée")),
        "{:?}",
        receipt.captured
    );
    counter.send(Command::PrintReceipt);
    let v = wait(&counter, "receipt PDF", |v| {
        v.enrolment
            .as_ref()
            .and_then(|e| e.receipt.as_ref())
            .is_some_and(|r| r.pdf.is_some())
    });
    let pdf = v
        .enrolment
        .and_then(|e| e.receipt)
        .and_then(|r| r.pdf)
        .expect("pdf");
    assert!(
        std::fs::read(&pdf)
            .expect("pdf written")
            .starts_with(b"%PDF")
    );
    let id = receipt.record_id.clone();
    // Sealed with a paper photo: it leaves once the supervisor approves it.
    counter_steps::approve_waiting(&counter);
    let v = wait(&counter, "central's receipt", |v| {
        v.outbox
            .recent
            .iter()
            .any(|r| r.record_id == id && r.receipt_at.is_some())
    });
    assert_eq!(v.today.enrolments, 1);
    assert!(v.today.median_ms.contains_key("seal"));
    // Received by the central: the outbox keeps a keyed hash of the number, not the number.
    let (clear, tagged): (i64, i64) = rusqlite::Connection::open(env.config.outbox_path())
        .expect("outbox")
        .query_row(
            "SELECT count(*) FILTER (WHERE pre_request IS NOT NULL),
                    count(*) FILTER (WHERE pre_request_mac IS NOT NULL)
             FROM records WHERE record_id = ?1",
            [&id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("row");
    assert_eq!((clear, tagged), (0, 1), "the number is kept in clear");
    counter.send(Command::Search {
        number: "DEMO000001".into(),
    });
    let v = wait(&counter, "search", |v| v.search.is_some());
    let answer = v.search.expect("answer");
    assert!(
        answer.answer.starts_with("Dossier reçu"),
        "{}",
        answer.answer
    );
    assert_eq!(counter.timings().len(), 1);
    counter.send(Command::NextApplicant);
    wait(&counter, "next applicant", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.receipt.is_none() && e.fingers.is_empty())
    });
    counter.stop();
    assert!(audit_verifies(&env.config) > 10);
}

#[test]
fn each_refused_pre_request_has_its_own_sentence_and_an_unreachable_central_too() {
    let env = env();
    let counter = start(&env.config);
    setup_and_sign_in(&counter);
    let mut sentences = Vec::new();
    for number in [
        "5864SL1OQG",
        "P9QELMCLRP",
        "3ANPZX8TB6",
        "4P6KYQJR06",
        "ZZZZZZZZZ9",
    ] {
        let v = load(&counter, number);
        let e = v.enrolment.expect("enrolment");
        assert!(e.pre_request.is_none(), "{number} must be refused");
        sentences.push(e.pre_request_refusal.expect("refusal"));
    }
    counter.stop();
    // Consumed, declared, unknown, expired; a number the central does not know is "unknown" too.
    assert!(
        sentences[0].contains("déjà été utilisée"),
        "{}",
        sentences[0]
    );
    assert!(
        sentences[1].contains("pas reconnue comme officielle"),
        "{}",
        sentences[1]
    );
    assert!(sentences[2].contains("inconnue"), "{}", sentences[2]);
    assert!(sentences[3].contains("expiré"), "{}", sentences[3]);
    assert_eq!(sentences[4], sentences[2]);

    let mut offline = env.config.clone();
    offline.central.url = "https://127.0.0.1:9".into();
    let counter = start(&offline);
    counter.send(Command::SignIn {
        name: SUPERVISOR.into(),
        secret: SECRET.into(),
    });
    wait(&counter, "signed in", |v| v.operator.is_some());
    let v = load(&counter, "DEMO000002");
    let refusal = v
        .enrolment
        .and_then(|e| e.pre_request_refusal)
        .expect("refusal");
    assert!(refusal.contains("ne répond pas"), "{refusal}");
    assert_eq!(v.devices.central, CentralStatus::Unreachable);
    counter.stop();
    audit_verifies(&env.config);
}

#[test]
fn an_abandoned_enrolment_is_audited_and_wiped() {
    let env = env();
    let counter = start(&env.config);
    setup_and_sign_in(&counter);
    load(&counter, "DEMO000001");
    counter.send(Command::ConfirmApplicant);
    wait(&counter, "photo step", |v| {
        matches!(step(v), Some(Step::Photo { .. }))
    });
    counter.send(Command::CancelEnrolment);
    let v = wait(&counter, "a blank enrolment", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.pre_request.is_none() && e.step == Step::PreRequest)
    });
    assert!(v.enrolment.expect("enrolment").photo.is_none());
    counter.stop();
    audit_verifies(&env.config);
    let db = rusqlite::Connection::open(AuditLog::default_path(&env.config.data_dir)).expect("db");
    let cancelled: Vec<String> = db
        .prepare("SELECT event FROM audit WHERE event LIKE '%enrolment-cancelled%'")
        .and_then(|mut s| {
            s.query_map([], |r| r.get(0))
                .and_then(|rows| rows.collect::<Result<_, _>>())
        })
        .expect("query");
    assert_eq!(cancelled.len(), 1, "{cancelled:?}");
    assert!(cancelled[0].contains("DEMO000001"), "{}", cancelled[0]);
    assert!(cancelled[0].contains("\"photo\""), "{}", cancelled[0]);
}

/// Sign-in attempts refused so far, as the audit log holds them.
fn refusals_audited(audit: &Path) -> i64 {
    let Ok(db) = rusqlite::Connection::open(audit) else {
        return 0;
    };
    db.query_row(
        "SELECT COUNT(*) FROM audit WHERE event LIKE '%sign-in-refused%' OR event LIKE '%account-locked%'",
        [],
        |r| r.get(0),
    )
    .unwrap_or(0)
}

#[test]
fn five_wrong_pins_lock_the_account_with_a_plain_message() {
    let env = env();
    let counter = start(&env.config);
    setup_and_sign_in(&counter);
    counter.send(Command::SignOut { idle: false });
    wait(&counter, "signed out", |v| v.operator.is_none());
    let mut last = String::new();
    for attempt in 1..=6u32 {
        counter.send(Command::SignIn {
            name: SUPERVISOR.into(),
            secret: format!("wrong-{attempt}").into(),
        });
        let expected = if attempt < 5 {
            format!("Encore {}", 5 - attempt)
        } else {
            "Compte bloqué".to_owned()
        };
        let v = wait(&counter, "refusal", |v| {
            v.sign_in_error
                .as_ref()
                .is_some_and(|e| e.contains(&expected))
        });
        last = v.sign_in_error.expect("error");
    }
    assert!(last.contains("Compte bloqué"), "{last}");
    // Even the right PIN is refused while locked.
    counter.send(Command::SignIn {
        name: SUPERVISOR.into(),
        secret: SECRET.into(),
    });
    // Every attempt is audited once handled: the seventh entry says the core has handled this one.
    let audit = AuditLog::default_path(&env.config.data_dir);
    wait(&counter, "the right PIN handled", |_| {
        refusals_audited(&audit) == 7
    });
    let v = counter.view();
    assert!(v.operator.is_none());
    assert!(
        v.sign_in_error
            .as_ref()
            .is_some_and(|e| e.contains("Compte bloqué")),
        "{:?}",
        v.sign_in_error
    );
    counter.stop();
    audit_verifies(&env.config);
}

#[test]
fn an_idle_sign_out_mid_flow_keeps_the_capture_for_the_next_clerk() {
    let env = env();
    let counter = start(&env.config);
    setup_and_sign_in(&counter);
    // A first identity card (free): the fee is not what this test is about.
    load(&counter, "8D514IOZQ5");
    counter.send(Command::ConfirmApplicant);
    wait(&counter, "photo step", |v| {
        matches!(step(v), Some(Step::Photo { .. }))
    });
    counter.send(Command::PhotoOnPaper);
    wait(&counter, "fingers", |v| {
        matches!(step(v), Some(Step::Finger { .. }))
    });
    let v = capture_finger(&counter);
    let taken = captures(&v);
    counter.send(Command::SignOut { idle: true });
    let v = wait(&counter, "suspended", |v| {
        v.operator.is_none() && v.suspended.is_some()
    });
    assert_eq!(v.suspended.expect("suspended").pre_request, "8D514IOZQ5");
    assert!(v.enrolment.is_none());
    counter.send(Command::SignIn {
        name: SUPERVISOR.into(),
        secret: SECRET.into(),
    });
    let v = wait(&counter, "signed in", |v| v.operator.is_some());
    assert!(v.suspended.is_some(), "offered back at sign-in");
    // A new enrolment cannot start over it.
    counter.send(Command::LoadPreRequest {
        number: "DEMO000001".into(),
    });
    wait(&counter, "refused", |v| {
        v.notice.as_ref().is_some_and(|n| n.error)
    });
    counter.send(Command::ResumeEnrolment);
    let v = wait(&counter, "resumed", |v| v.suspended.is_none());
    let e = v.enrolment.expect("enrolment");
    assert!(e.photo_on_paper);
    assert_eq!(e.fingers.iter().map(|f| f.attempts).sum::<u32>(), taken);
    assert!(
        e.fingers[0].best.is_some(),
        "the captured image is still there"
    );
    counter.stop();
    audit_verifies(&env.config);
}

#[test]
fn a_child_under_12_gives_no_fingerprints() {
    let env = env();
    let counter = start(&env.config);
    setup_and_sign_in(&counter);
    let v = load(&counter, "DEMO000003");
    assert!(v.enrolment.expect("enrolment").exempt);
    counter.send(Command::ConfirmApplicant);
    wait(&counter, "photo step", |v| {
        matches!(step(v), Some(Step::Photo { .. }))
    });
    photo(&counter);
    assert_eq!(
        step(&counter.view()),
        Some(Step::Review),
        "straight to the review"
    );
    counter_steps::answer_storage_if_asked(&counter);
    counter_steps::sign_if_asked(&counter);
    counter.send(Command::ConfirmReview);
    let v = wait(&counter, "receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    let receipt = v.enrolment.and_then(|e| e.receipt).expect("receipt");
    assert!(
        receipt.captured.iter().any(|l| l.contains("dispense")),
        "{:?}",
        receipt.captured
    );
    counter.stop();
    audit_verifies(&env.config);
}

/// The outbox's commit fails (another process holds the outbox database's write lock, as a backup
/// tool or a stuck SQLite shell would): nothing the applicant gave is lost, the clerk reads why,
/// nothing is audited as sealed, and Enter (confirm again) seals and queues once the lock is gone.
#[test]
fn a_failed_outbox_commit_keeps_the_review_and_confirming_again_queues_it() {
    let env = env();
    let counter = start(&env.config);
    setup_and_sign_in(&counter);
    let v = load(&counter, "DEMO000003");
    assert!(v.enrolment.expect("enrolment").exempt);
    counter.send(Command::ConfirmApplicant);
    wait(&counter, "photo step", |v| {
        matches!(step(v), Some(Step::Photo { .. }))
    });
    photo(&counter);
    assert_eq!(step(&counter.view()), Some(Step::Review));
    let before = counter.view().enrolment.expect("enrolment");

    let lock = rusqlite::Connection::open(env.config.outbox_path()).expect("outbox database");
    lock.execute_batch("BEGIN EXCLUSIVE").expect("write lock");
    let serial = counter.view().notice.map_or(0, |n| n.serial);
    counter_steps::answer_storage_if_asked(&counter);
    counter_steps::sign_if_asked(&counter);
    counter.send(Command::ConfirmReview);
    let v = wait(&counter, "the failure said", |v| {
        v.notice.as_ref().is_some_and(|n| n.serial > serial)
    });
    let kept = v.enrolment.clone().expect("enrolment");
    assert_eq!(kept.step, Step::Review, "still on the review");
    assert!(kept.receipt.is_none());
    assert_eq!(kept.photo_on_paper, before.photo_on_paper);
    assert_eq!(kept.photo.is_some(), before.photo.is_some());
    let notice = v.notice.clone().expect("notice");
    assert!(notice.error, "{notice:?}");
    assert!(
        notice.text.contains("Rien n'est perdu") && notice.text.contains("Entrée"),
        "the clerk is told nothing is lost and how to retry: {}",
        notice.text
    );
    let events = counter_steps::audit_events(&env.config);
    assert!(
        !events
            .iter()
            .any(|e| e["event"] == "sealed" || e["event"] == "queued"),
        "nothing audited as sealed or queued: {events:?}"
    );
    lock.execute_batch("ROLLBACK").expect("lock released");
    drop(lock);

    counter_steps::answer_storage_if_asked(&counter);

    counter_steps::sign_if_asked(&counter);
    counter.send(Command::ConfirmReview);
    let v = wait(&counter, "receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    let receipt = v.enrolment.and_then(|e| e.receipt).expect("receipt");
    assert_eq!(receipt.pre_request, "DEMO000003");
    let id = receipt.record_id.clone();
    wait(&counter, "record in the outbox", |v| {
        v.outbox.recent.iter().any(|r| r.record_id == id)
    });
    counter.stop();
    let events = counter_steps::audit_events(&env.config);
    let sealed = events.iter().filter(|e| e["event"] == "sealed").count();
    assert_eq!(sealed, 1, "{events:?}");
    audit_verifies(&env.config);
}

#[test]
fn a_finger_that_stays_poor_is_kept_below_threshold_after_the_last_attempt_in_english() {
    let mut env = env();
    env.config.ui.language = station::language::Language::English;
    let counter = start(&env.config);
    setup_and_sign_in(&counter);
    load(&counter, "DEMO000001");
    counter.send(Command::ConfirmApplicant);
    wait(&counter, "photo step", |v| {
        matches!(step(v), Some(Step::Photo { .. }))
    });
    counter.send(Command::PhotoOnPaper);
    wait(&counter, "fingers", |v| {
        matches!(step(v), Some(Step::Finger { .. }))
    });
    let v = counter.view();
    assert_eq!(
        v.enrolment
            .as_ref()
            .and_then(|e| e.live.as_ref())
            .map(|l| l.instruction.clone()),
        None
    );
    env.sensor().place_target(Target::Blank);
    counter.send(Command::CaptureFinger);
    let v = wait(&counter, "live prompt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.live.is_some())
    });
    let live = v.enrolment.and_then(|e| e.live).expect("live");
    // Whichever phase the capture is in, the applicant reads English.
    assert!(
        [
            "Place your left index finger flat on the sensor",
            "Keep still, reading the print…",
            "You can lift your finger",
        ]
        .contains(&live.instruction.as_str()),
        "{}",
        live.instruction
    );
    wait(&counter, "first capture", |v| captures(v) == 1);
    for _ in 1..env.config.counter.max_attempts {
        capture_finger(&counter);
    }
    let v = wait(&counter, "right index asked", |v| {
        matches!(
            step(v),
            Some(Step::Finger {
                position: FingerPosition::RightIndex,
                ..
            })
        )
    });
    let left = v.enrolment.expect("enrolment").fingers[0].clone();
    assert!(left.settled && left.below_threshold, "{left:?}");
    assert_eq!(left.attempts, env.config.counter.max_attempts);
    let notice = v.notice.expect("notice").text;
    assert!(notice.contains("below the quality threshold"), "{notice}");
    counter.stop();
    audit_verifies(&env.config);
}

#[test]
fn retaking_a_compliant_photo_puts_it_away_and_takes_the_next_attempt() {
    let env = env();
    let counter = start(&env.config);
    setup_and_sign_in(&counter);
    load(&counter, "DEMO000001");
    counter.send(Command::ConfirmApplicant);
    wait(&counter, "photo step", |v| {
        matches!(step(v), Some(Step::Photo { .. }))
    });
    let taken = |v: &CounterView| {
        v.busy.is_none() && v.enrolment.as_ref().is_some_and(|e| e.photo.is_some())
    };
    counter.send(Command::CapturePhoto);
    let v = wait(&counter, "first photo", taken);
    let first = v
        .enrolment
        .as_ref()
        .and_then(|e| e.photo.clone())
        .expect("first photo");
    assert!(first.compliant, "the demo's applicant poses well");
    assert_eq!(first.attempt, 1);
    assert_eq!(step(&v), Some(Step::Photo { attempt: 1 }));

    // The clerk wants another one: the compliant photo is put away, the preview comes back.
    counter.send(Command::RetakePhoto);
    wait(&counter, "photo put away, second attempt", |v| {
        step(v) == Some(Step::Photo { attempt: 2 })
            && v.enrolment.as_ref().is_some_and(|e| e.photo.is_none())
    });
    counter.send(Command::CapturePhoto);
    let v = wait(&counter, "second photo", taken);
    let second = v
        .enrolment
        .as_ref()
        .and_then(|e| e.photo.clone())
        .expect("second photo");
    assert_eq!(second.attempt, 2, "the photo on screen is the new one");
    assert_ne!(second.picture.id, first.picture.id);
    assert_eq!(step(&v), Some(Step::Photo { attempt: 2 }));
    counter.send(Command::AcceptPhoto);
    wait(&counter, "fingers step", |v| {
        matches!(step(v), Some(Step::Finger { .. }))
    });
    counter.stop();
}

#[test]
fn stopping_a_capture_during_the_image_transfer_records_nothing() {
    // Paced: the image takes about three seconds on the line, time enough to stop it midway.
    let env = Env::start_paced(false);
    let counter = start(&env.config);
    counter_steps::to_the_fingers(&counter, "DEMO000001");
    env.sensor().place_finger(GOOD_FINGER, 0);
    counter.send(Command::CaptureFinger);
    let v = wait(&counter, "the image halfway", |v| {
        v.enrolment
            .as_ref()
            .and_then(|e| e.live.as_ref())
            .is_some_and(|l| (0.3..0.8).contains(&l.progress) && l.picture.is_some())
    });
    counter.send(Command::CancelCapture);
    // The screens draw the print as far as it has come: ridges at the top, white glass below.
    let arriving = v
        .enrolment
        .and_then(|e| e.live)
        .and_then(|l| l.picture)
        .expect("the image as it arrives");
    let width = arriving.width as usize;
    let rows: Vec<&[u8]> = arriving.pixels.chunks(width).collect();
    assert_eq!(rows.len(), arriving.height as usize);
    assert!(
        rows[..20].iter().any(|r| r.iter().any(|&p| p < 128)),
        "ridges at the top"
    );
    assert!(
        rows[rows.len() - 20..]
            .iter()
            .all(|r| r.iter().all(|&p| p == 255)),
        "not yet arrived"
    );
    let v = wait(&counter, "capture stopped", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.live.is_none())
    });
    assert_eq!(captures(&v), 0, "the stopped capture is not recorded");
    assert!(
        matches!(
            step(&v),
            Some(Step::Finger {
                position: FingerPosition::LeftIndex,
                attempt: 1,
                ..
            })
        ),
        "{:?}",
        step(&v)
    );
    let recorded = counter_steps::audit_events(&env.config)
        .iter()
        .filter(|e| e["event"] == "finger-captured")
        .count();
    assert_eq!(recorded, 0);

    // The next capture is a capture (no stale stop order waits for it).
    let v = capture_finger(&counter);
    assert_eq!(captures(&v), 1);
    counter.stop();
}

/// One check of who may do what, before any handler: nobody signed in may start an enrolment,
/// a clerk may not use the technician's routines; each is told so in French and nothing starts.
#[test]
fn a_signed_out_enrolment_and_a_clerks_technician_command_are_refused_in_french() {
    let env = env();
    {
        let operators =
            Operators::open_station(&env.config, LockoutPolicy::default()).expect("accounts");
        let chef = operators
            .create_first_supervisor(SUPERVISOR, SECRET, 0)
            .expect("supervisor");
        operators
            .create(&chef, "agent", Role::Clerk, SECRET, 0)
            .expect("clerk");
    }
    let counter = start(&env.config);
    let v = wait(&counter, "sign-in screen", |v| v.generation > 0);
    assert!(v.operator.is_none() && !v.needs_first_supervisor);
    let refused = |command: Command| {
        let serial = counter.view().notice.map_or(0, |n| n.serial);
        assert!(counter.send(command));
        let v = wait(&counter, "refusal", |v| {
            v.notice.as_ref().is_some_and(|n| n.serial > serial)
        });
        let notice = v.notice.clone().expect("notice");
        assert!(notice.error, "{notice:?}");
        (v, notice.text)
    };
    let (v, text) = refused(Command::LoadPreRequest {
        number: "DEMO000001".into(),
    });
    assert_eq!(text, "Connectez-vous d'abord.");
    assert!(
        v.enrolment.is_none() && v.busy.is_none(),
        "no lookup started"
    );

    assert!(counter.send(Command::SignIn {
        name: "agent".into(),
        secret: SECRET.into(),
    }));
    wait(&counter, "clerk signed in", |v| v.operator.is_some());
    let (v, text) = refused(Command::Technician(TechnicianCommand::Discover));
    assert_eq!(
        text,
        "Votre compte ne donne pas accès à l'espace technique."
    );
    assert!(v.technician.running.is_none(), "no routine started");
    assert!(v.technician.discovery.is_none());
    counter.stop();
}

/// Height and eye colour: shown as the pre-request declares them, a wrong height refused with a
/// sentence (and the content not confirmed with it), a correction confirmed; the next applicant
/// gets their own values, never the previous one's.
#[test]
fn height_and_eye_colour_are_shown_corrected_refused_and_confirmed() {
    use wire::physical::EyeColour;
    let env = env();
    let counter = start(&env.config);
    setup_and_sign_in(&counter);
    let v = load(&counter, "DEMO000001");
    let physical = v.enrolment.expect("enrolment").physical;
    assert_eq!(
        (physical.height_cm, physical.eye_colour, physical.refusal),
        (Some(155), Some(EyeColour::Bleu), None),
        "as the pre-request declares them"
    );

    // Refused: a height no person has, then one that is not a number. Each time the content
    // cannot be confirmed and the clerk reads why.
    for (typed, expected) in [
        ("1550", "1550 cm n'est pas possible"),
        ("1,55", "en chiffres"),
    ] {
        counter.send(Command::CorrectPhysical {
            height_cm: typed.into(),
            eye_colour: Some(EyeColour::Bleu),
        });
        let v = wait(&counter, "refusal", |v| {
            v.enrolment
                .as_ref()
                .and_then(|e| e.physical.refusal.as_ref())
                .is_some_and(|r| r.contains(expected))
        });
        let refusal = v
            .enrolment
            .and_then(|e| e.physical.refusal)
            .expect("refusal");
        let serial = v.notice.as_ref().map_or(0, |n| n.serial);
        counter.send(Command::ConfirmApplicant);
        let v = wait(&counter, "confirmation refused", |v| {
            v.notice.as_ref().is_some_and(|n| n.serial > serial)
        });
        assert_eq!(step(&v), Some(Step::PreRequest), "{typed} was confirmed");
        let notice = v.notice.expect("notice");
        assert!(notice.error && notice.text == refusal, "{notice:?}");
    }

    // No colour chosen: a sentence too.
    counter.send(Command::CorrectPhysical {
        height_cm: "181".into(),
        eye_colour: None,
    });
    let serial = counter.view().notice.map_or(0, |n| n.serial);
    counter.send(Command::ConfirmApplicant);
    let v = wait(&counter, "no colour refused", |v| {
        v.notice.as_ref().is_some_and(|n| n.serial > serial)
    });
    assert!(
        v.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("couleur des yeux")),
        "{:?}",
        v.notice
    );
    assert_eq!(step(&v), Some(Step::PreRequest));

    // Corrected and confirmed.
    counter.send(Command::CorrectPhysical {
        height_cm: " 181 cm".into(),
        eye_colour: Some(EyeColour::Vert),
    });
    counter.send(Command::ConfirmApplicant);
    let v = wait(&counter, "photo step", |v| {
        matches!(step(v), Some(Step::Photo { .. }))
    });
    let physical = v.enrolment.expect("enrolment").physical;
    assert_eq!(
        (physical.height_cm, physical.eye_colour, physical.refusal),
        (Some(181), Some(EyeColour::Vert), None)
    );
    // Once confirmed, nothing more is corrected here.
    let serial = counter.view().notice.map_or(0, |n| n.serial);
    counter.send(Command::CorrectPhysical {
        height_cm: "120".into(),
        eye_colour: Some(EyeColour::Gris),
    });
    let v = wait(&counter, "late correction refused", |v| {
        v.notice.as_ref().is_some_and(|n| n.serial > serial)
    });
    assert_eq!(
        v.enrolment.expect("enrolment").physical.height_cm,
        Some(181)
    );

    // The next applicant: their own declared values.
    let v = load(&counter, "DEMO000002");
    let physical = v.enrolment.expect("enrolment").physical;
    assert_eq!(
        (physical.height_cm, physical.eye_colour, physical.refusal),
        (Some(162), Some(EyeColour::Marron), None)
    );
    counter.stop();
}
