//! An applicant without a pre-request, through the counter core: the paper form typed by the clerk
//! is checked field by field with sentences, starts the enrolment once it passes, goes sealed in
//! the record to a real central on loopback, which keeps it and consumes no pre-request; the audit
//! log says who enrolled without a pre-request; the next applicant starts from an empty form.

use crate::counter_steps;
use crate::local_station_env;

use std::sync::Arc;

use station::{
    audit::AuditLog,
    config::StationConfig,
    desk::{Command, Counter, CounterView, FormField, PaperFormEntry},
    enrolment::Step,
};
use wire::{
    physical::EyeColour,
    prerequest::{DocumentType, Reason, Sex},
};

use counter_steps::{step, wait};
use local_station_env::Env;

fn start(config: &StationConfig) -> Counter {
    Counter::start(config.clone(), Arc::new(|| {})).expect("counter")
}

fn sign_in(counter: &Counter) {
    wait(counter, "setup screen", |v| v.generation > 0);
    counter.send(Command::CreateFirstSupervisor {
        name: "chef".into(),
        secret: "1234-abcd".into(),
    });
    wait(counter, "signed in", |v| v.operator.is_some());
}

/// A child's paper form (under 12: no fingers, straight from the photo to the review).
pub fn child_form() -> PaperFormEntry {
    PaperFormEntry {
        document_type: Some(DocumentType::Cni),
        reason: Some(Reason::First),
        surname: "Le Goff".into(),
        given_names: "Maël Yann".into(),
        sex: Some(Sex::M),
        birth_date: "21/02/2019".into(),
        birth_place: "Brest (29)".into(),
        address: "41 rue Garibaldi, 69006 Lyon".into(),
        height_cm: "116".into(),
        eye_colour: Some(EyeColour::BleuGris),
    }
}

fn problems(v: &CounterView) -> Vec<(FormField, String)> {
    v.enrolment
        .as_ref()
        .and_then(|e| e.paper_form.as_ref())
        .map(|f| f.problems.clone())
        .unwrap_or_default()
}

#[test]
fn an_applicant_without_pre_request_is_enrolled_from_the_typed_paper_form() {
    let env = Env::start(false);
    let counter = start(&env.config);
    sign_in(&counter);
    counter.send(Command::OpenPaperForm);
    wait(&counter, "the form", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.paper_form.is_some())
    });

    // Sent empty: every field says what is wrong, in French, and nothing starts.
    counter.send(Command::SubmitPaperForm(Box::default()));
    let v = wait(&counter, "the refusals", |v| !problems(v).is_empty());
    let refused = problems(&v);
    let fields: Vec<FormField> = refused.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        fields,
        [
            FormField::Surname,
            FormField::GivenNames,
            FormField::BirthDate,
            FormField::BirthPlace,
            FormField::Address,
            FormField::Height,
            FormField::Document,
            FormField::Reason,
            FormField::Sex,
            FormField::EyeColour,
        ]
    );
    assert!(
        refused.iter().any(|(_, t)| t == "À remplir."),
        "{refused:?}"
    );
    assert!(v.notice.as_ref().is_some_and(|n| n.error));
    assert_eq!(step(&v), Some(Step::PreRequest));

    // The same checks as an online pre-request's: a digit in a name, a date that does not exist.
    let mut wrong = child_form();
    wrong.surname = "Le G0ff".into();
    wrong.birth_date = "30/02/2019".into();
    counter.send(Command::SubmitPaperForm(Box::new(wrong)));
    let v = wait(&counter, "two refusals", |v| problems(v).len() == 2);
    let refused = problems(&v);
    assert!(
        refused[0].0 == FormField::Surname && refused[0].1.contains("« 0 »"),
        "{refused:?}"
    );
    assert!(
        refused[1].0 == FormField::BirthDate && refused[1].1.contains("JJ/MM/AAAA"),
        "{refused:?}"
    );

    // Corrected: the enrolment starts, the child gives no fingers.
    counter.send(Command::SubmitPaperForm(Box::new(child_form())));
    let v = wait(&counter, "photo step", |v| {
        matches!(step(v), Some(Step::Photo { .. }))
    });
    let e = v.enrolment.expect("enrolment");
    assert!(e.applicant_confirmed && e.exempt);
    assert_eq!(
        (e.physical.height_cm, e.physical.eye_colour),
        (Some(116), Some(EyeColour::BleuGris))
    );
    counter.send(Command::PhotoOnPaper);
    wait(&counter, "review", |v| step(v) == Some(Step::Review));
    counter.send(Command::ConfirmReview);
    let v = wait(&counter, "receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    let receipt = v.enrolment.and_then(|e| e.receipt).expect("receipt");
    assert_eq!(receipt.pre_request, "Sans pré-demande (formulaire papier)");
    let id = receipt.record_id.clone();
    // A paper photo is an exception: the record leaves once the supervisor has approved it.
    counter_steps::approve_waiting(&counter);
    wait(&counter, "central's receipt", |v| {
        v.outbox
            .recent
            .iter()
            .any(|r| r.record_id == id && r.receipt_at.is_some())
    });

    // The central holds the typed form, and no pre-request was consumed for it.
    let kept: serde_json::Value = serde_json::from_str(
        &env.central()
            .paper_form(&id)
            .expect("database")
            .expect("kept"),
    )
    .expect("json");
    assert_eq!(kept["applicant"]["surname"], "Le Goff");
    assert_eq!(kept["applicant"]["birth_date"], "2019-02-21");
    assert_eq!(kept["cerfa"], "12100*03");
    assert_eq!(env.central().consumed_count().expect("database"), 0);

    // The next applicant: a blank number, no form, nothing of the previous one.
    counter.send(Command::NextApplicant);
    let v = wait(&counter, "next applicant", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.receipt.is_none() && e.step == Step::PreRequest)
    });
    let e = v.enrolment.expect("enrolment");
    assert!(e.paper_form.is_none() && e.pre_request.is_none() && !e.applicant_confirmed);
    assert_eq!(e.physical, station::desk::PhysicalView::default());
    counter.send(Command::OpenPaperForm);
    let v = wait(&counter, "a new form", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.paper_form.is_some())
    });
    assert!(problems(&v).is_empty());
    counter.stop();

    // Audited under the clerk's name, without the civil status.
    let db = rusqlite::Connection::open(AuditLog::default_path(&env.config.data_dir)).expect("db");
    let rows: Vec<(String, String)> = db
        .prepare(
            "SELECT actor, event FROM audit WHERE event LIKE '%enrolment-without-pre-request%'",
        )
        .and_then(|mut s| {
            s.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
                .and_then(|rows| rows.collect::<Result<_, _>>())
        })
        .expect("query");
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert_eq!(rows[0].0, "chef");
    assert!(rows[0].1.contains("12100*03"), "{}", rows[0].1);
    assert!(!rows[0].1.contains("Le Goff"), "{}", rows[0].1);
}

/// An adult's passport from the paper form: 86 €, as for a pre-request.
fn adult_passport_form() -> PaperFormEntry {
    PaperFormEntry {
        document_type: Some(DocumentType::Passport),
        reason: Some(Reason::First),
        surname: "Ait Ouaziz".into(),
        given_names: "Lounès".into(),
        sex: Some(Sex::M),
        birth_date: "03/03/1976".into(),
        birth_place: "Tizi Ouzou (Algérie)".into(),
        address: "28 rue Pasteur, 69007 Lyon".into(),
        height_cm: "176".into(),
        eye_colour: Some(EyeColour::Marron),
    }
}

#[test]
fn a_passport_from_the_paper_form_asks_for_its_stamp_and_is_sealed_only_once_paid() {
    use station::uplink::tax_stamp::StampAnswer;
    use wire::tax_stamp::StampNumber;
    const STAMP: &str = "0860000000000002";
    let env = Env::start(false);
    let counter = start(&env.config);
    sign_in(&counter);
    wait(&counter, "fingerprint module", |v| {
        v.devices.fingerprint.ready
    });
    counter.send(Command::OpenPaperForm);
    wait(&counter, "the form", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.paper_form.is_some())
    });
    counter.send(Command::SubmitPaperForm(Box::new(adult_passport_form())));
    // The form passes; the fee is due before anything is taken, as for a pre-request.
    let v = wait(&counter, "the fee asked", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.tax_stamp.due_cents > 0)
    });
    let e = v.enrolment.expect("enrolment");
    assert_eq!(e.tax_stamp.due_cents, 8_600);
    assert!(!e.applicant_confirmed, "not started without its stamp");
    assert!(
        e.paper_form.is_none(),
        "the stamp is asked with the content"
    );
    assert_eq!(step(&counter.view()), Some(Step::PreRequest));
    let serial = counter.view().notice.map_or(0, |n| n.serial);
    counter.send(Command::ConfirmApplicant);
    let v = wait(&counter, "refused without the stamp", |v| {
        v.notice.as_ref().is_some_and(|n| n.serial > serial)
    });
    assert_eq!(step(&v), Some(Step::PreRequest));
    let notice = v.notice.expect("notice");
    assert!(notice.error && notice.text.contains("86 €"), "{notice:?}");

    counter.send(Command::CheckTaxStamp {
        entry: STAMP.into(),
    });
    wait(&counter, "the stamp checked", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.tax_stamp.accepted.is_some())
    });
    counter.send(Command::ConfirmApplicant);
    wait(&counter, "photo step", |v| {
        matches!(step(v), Some(Step::Photo { .. }))
    });
    counter.send(Command::PhotoOnPaper);
    let sensor = env.sensor();
    let mut n = 0;
    while !matches!(step(&counter.view()), Some(Step::Review)) {
        wait(&counter, "a finger or the review", |v| {
            matches!(step(v), Some(Step::Finger { .. } | Step::Review))
        });
        if step(&counter.view()) == Some(Step::Review) {
            break;
        }
        sensor.place_finger(41_000 + n, 0);
        n += 1;
        let before = counter_steps::captures(&counter.view());
        counter.send(Command::CaptureFinger);
        wait(&counter, "finger captured", |v| {
            counter_steps::captures(v) > before || step(v) == Some(Step::Review)
        });
    }
    counter_steps::sign_if_asked(&counter);
    counter.send(Command::ConfirmReview);
    let v = wait(&counter, "receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    let id = v
        .enrolment
        .and_then(|e| e.receipt)
        .expect("receipt")
        .record_id;
    // A paper photo: the record leaves once the supervisor approves it.
    counter_steps::approve_waiting(&counter);
    wait(&counter, "central's receipt", |v| {
        v.outbox
            .recent
            .iter()
            .any(|r| r.record_id == id && r.receipt_at.is_some())
    });
    let standing = env
        .config
        .central_client()
        .tax_stamp(&StampNumber::read(STAMP).expect("a stamp number"))
        .expect("the central answers");
    assert!(
        matches!(standing, StampAnswer::Known(s) if s.used),
        "used with its record"
    );

    // The next applicant sees nothing of the fee or the stamp.
    counter.send(Command::NextApplicant);
    let v = wait(&counter, "next applicant", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.receipt.is_none() && e.step == Step::PreRequest)
    });
    assert_eq!(
        v.enrolment.expect("enrolment").tax_stamp,
        station::desk::TaxStampView::default()
    );
}
