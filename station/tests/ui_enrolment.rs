//! The app end to end, as a clerk uses it: every step typed and clicked through egui_kittest (no
//! GPU) against the real counter core, both simulators over pseudo-terminals (unpaced) and a real
//! central on loopback.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::app_harness;
use crate::local_station_env;

use std::time::Duration;

use eframe::egui;
use egui_kittest::kittest::Queryable;
use firmware_sim::synth::sensor_defects::Target;
use station::enrolment::{ExceptionReason, FingerPosition, Step};

use app_harness::{SECRET, SUPERVISOR, finger_step, signed_in, station};
use local_station_env::Env;

/// A simulated finger whose first impression scores above the threshold.
const GOOD_FINGER: u64 = 101;

#[test]
fn a_whole_enrolment_typed_and_clicked_from_pre_request_to_receipt() {
    let env = Env::start(false);
    let mut s = signed_in(&env);
    let v = s.pre_request("demo000001");
    assert_eq!(
        v.enrolment.unwrap().pre_request.unwrap().applicant.surname,
        "Lefèvre"
    );
    assert!(s.shows("Lefèvre"));
    assert!(s.shows("12/03/1984"));
    s.confirm_and_photo();

    // Fallback: the left index is bandaged (F8, reason 2, Enter); the left middle finger is next.
    assert!(s.shows("Empreinte : Index gauche (prise 1 sur 3)"));
    s.key(egui::Key::F8);
    assert!(s.shows("Pourquoi ce doigt (index gauche)"));
    s.key(egui::Key::Num2);
    s.key(egui::Key::Enter);
    let v = s.until("left middle asked", |v| {
        finger_step(v).is_some_and(|(p, _)| p == FingerPosition::LeftMiddle)
    });
    assert_eq!(
        v.enrolment.unwrap().fingers[0].exception,
        Some(ExceptionReason::Bandaged)
    );
    assert!(s.shows("Index gauche : non pris (Pansement ou plâtre)"));

    // A retry: a blank card scores 0, the same finger is asked again; then a good finger.
    let sensor = env.sensor();
    sensor.place_target(Target::Blank);
    let v = s.capture();
    assert_eq!(finger_step(&v), Some((FingerPosition::LeftMiddle, 2)));
    assert!(s.shows("Qualité 0 (seuil 40)"));
    assert!(s.shows("Majeur gauche (prise 2 sur 3)"));
    sensor.place_finger(GOOD_FINGER, 0);
    s.capture();
    s.until("right index asked", |v| {
        finger_step(v).is_some_and(|(p, _)| p == FingerPosition::RightIndex)
    });
    assert!(s.shows("Majeur gauche : qualité"));
    sensor.place_finger(GOOD_FINGER + 1, 0);
    while finger_step(&s.counter.view()).is_some() {
        s.capture();
    }
    s.until("review", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.step == Step::Review)
    });
    assert!(s.shows("Vérification avant envoi"));
    assert!(s.shows("Index droit : qualité"));

    s.answer_storage(false);
    s.sign_if_asked();
    s.key(egui::Key::Enter);
    let v = s.until("receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    let receipt = v.enrolment.unwrap().receipt.unwrap();
    assert!(s.shows("Récépissé de dépôt de demande"));
    assert!(s.shows(&receipt.case_reference));
    assert!(
        !s.shows(&receipt.record_id),
        "the clerk reads the short reference, not the UUID"
    );
    assert!(s.shows("DEMO000001"));
    s.key(egui::Key::F9);
    let v = s.until("receipt PDF", |v| {
        v.enrolment
            .as_ref()
            .and_then(|e| e.receipt.as_ref())
            .is_some_and(|r| r.pdf.is_some())
    });
    let pdf = v.enrolment.unwrap().receipt.unwrap().pdf.unwrap();
    assert!(std::fs::read(&pdf).unwrap().starts_with(b"%PDF"));
    assert!(s.shows("Récépissé enregistré pour impression"));
    // The file the clerk is told of is named by the reference they read, not by the record's UUID.
    assert!(
        !s.shows(&receipt.record_id),
        "the saved receipt is named by its UUID on screen"
    );
    assert!(s.shows(&format!("{}.pdf", receipt.case_reference)));

    // Next applicant: the wizard is back at an empty number field with the keyboard.
    s.key(egui::Key::Enter);
    s.until("next applicant", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.receipt.is_none() && e.fingers.is_empty())
    });
    assert!(s.h.get_by_label("Numéro de pré-demande").is_focused());

    // The queue: the record is received by the central, and the search says so.
    s.key(egui::Key::Escape);
    s.key(egui::Key::F3);
    let id = receipt.record_id.clone();
    // Sealed with a paper photo: it leaves once the supervisor approves it.
    s.approve_waiting();
    s.until("central's receipt", |v| {
        v.outbox
            .recent
            .iter()
            .any(|r| r.record_id == id && r.receipt_at.is_some())
    });
    // Received: the station keeps a keyed hash of the number, which the queue cannot show.
    assert!(
        !s.shows("DEMO000001"),
        "the queue shows a received file's number"
    );
    assert!(
        s.shows(&receipt.case_reference),
        "the queue names the record by the reference on the applicant's receipt"
    );
    s.type_in("Numéro de pré-demande", "demo000001");
    s.key(egui::Key::Enter);
    let v = s.until("search answer", |v| v.search.is_some());
    assert!(s.shows(&v.search.unwrap().answer));
    assert!(s.shows("Dossier reçu"));
    assert!(s.shows("DEMO000001"), "the search shows the number typed");
}

#[test]
fn each_refused_pre_request_shows_its_own_sentence() {
    let env = Env::start(false);
    let mut s = signed_in(&env);
    let mut sentences = Vec::new();
    for number in ["5864SL1OQG", "P9QELMCLRP", "3ANPZX8TB6", "4P6KYQJR06"] {
        let v = s.pre_request(number);
        let e = v.enrolment.unwrap();
        assert!(e.pre_request.is_none(), "{number} must be refused");
        let refusal = e.pre_request_refusal.unwrap();
        assert!(s.shows(&refusal), "the refusal is on screen: {refusal}");
        assert!(!s.shows("Contenu de la pré-demande"));
        sentences.push(refusal);
    }
    sentences.sort();
    sentences.dedup();
    assert_eq!(sentences.len(), 4, "one sentence per status: {sentences:?}");
}

#[test]
fn five_wrong_pins_lock_the_account_even_for_the_right_pin() {
    let env = Env::start(false);
    let mut s = signed_in(&env);
    s.key(egui::Key::F12);
    s.until("signed out", |v| v.operator.is_none());
    // Each refusal has its own sentence (attempts left), shown as it comes.
    let mut last: Option<String> = None;
    for i in 0..5 {
        s.sign_in(SUPERVISOR, &format!("wrong-{i}"));
        let previous = last.clone();
        let v = s.until("refusal", |v| {
            v.sign_in_error.is_some() && v.sign_in_error != previous
        });
        let error = v.sign_in_error.unwrap();
        assert!(s.shows(&error), "{error}");
        last = Some(error);
    }
    s.sign_in(SUPERVISOR, SECRET);
    let v = s.until("locked", |v| {
        v.sign_in_error
            .as_deref()
            .is_some_and(|e| e.contains("bloqué"))
    });
    assert!(v.operator.is_none(), "locked: the right PIN is refused too");
    assert!(s.shows("Compte bloqué"));
}

#[test]
fn an_idle_sign_out_mid_flow_keeps_the_capture_and_the_clerk_resumes_it() {
    let env = Env::start(false);
    let mut s = station(&env.config, Duration::from_secs(30));
    s.first_start();
    // A first identity card (free): the fee is not what this test is about.
    s.pre_request("8D514IOZQ5");
    s.confirm_and_photo();
    env.sensor().place_finger(GOOD_FINGER, 0);
    s.capture();
    let taken = s.counter.view().enrolment.unwrap().fingers.len();
    assert!(taken >= 1);
    // Nobody touches anything for 32 s of egui's clock.
    s.frames(1600);
    s.until("signed out for inactivity", |v| v.operator.is_none());
    let v = s.until("suspended", |v| v.suspended.is_some());
    assert_eq!(v.suspended.unwrap().pre_request, "8D514IOZQ5");
    assert!(s.shows("Un enrôlement a été mis de côté (pré-demande 8D514IOZQ5"));

    s.sign_in(SUPERVISOR, SECRET);
    s.until("signed in", |v| v.operator.is_some());
    assert!(s.shows("Reprendre l'enrôlement"));
    s.key(egui::Key::F4);
    let v = s.until("resumed", |v| {
        v.suspended.is_none() && v.enrolment.as_ref().is_some_and(|e| !e.fingers.is_empty())
    });
    assert_eq!(v.enrolment.unwrap().fingers.len(), taken, "nothing lost");
    assert!(s.shows("Index gauche : qualité"));
    assert!(s.step().is_some_and(|st| matches!(st, Step::Finger { .. })));
}

#[test]
fn a_child_under_12_goes_from_the_photo_to_the_review_with_no_fingers() {
    let env = Env::start(false);
    let mut s = signed_in(&env);
    s.pre_request("DEMO000003");
    assert!(s.shows("Enfant de moins de 12 ans : pas d'empreintes à prendre."));
    assert!(s.shows("Contenu de la pré-demande"));
    s.key(egui::Key::Enter);
    s.until_photo_step();
    s.key(egui::Key::F7);
    let v = s.until("review", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.step == Step::Review)
    });
    let e = v.enrolment.unwrap();
    assert!(e.exempt && e.fingers.is_empty() && e.photo_on_paper);
    assert!(s.shows("Photo fournie sur papier"));
    assert!(s.shows("dispensé d'empreintes"));
    s.key(egui::Key::Enter);
    s.until("receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    assert!(s.shows("Récépissé de dépôt de demande"));
}

/// Height and eye colour on the pre-request screen: filled from the pre-request, a wrong height
/// answered with a sentence, a correction confirmed with the keyboard and a click; the next
/// applicant's screen shows their own values, never the previous applicant's.
#[test]
fn height_and_eye_colour_are_confirmed_on_screen_and_the_next_applicant_sees_only_their_own() {
    use wire::physical::EyeColour;
    const HEIGHT: &str = "Taille (cm)";
    let env = Env::start(false);
    let mut s = signed_in(&env);
    s.pre_request("demo000001");
    assert!(s.shows("Vérifiez la taille et les yeux"));
    assert_eq!(s.h.get_by_label(HEIGHT).value().as_deref(), Some("155"));

    // A height no person has: Enter in the field is refused with a sentence.
    s.clear(HEIGHT);
    s.type_in(HEIGHT, "1550");
    s.key(egui::Key::Enter);
    s.until("refusal", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.physical.refusal.is_some())
    });
    s.frames(3);
    // Under the field and in the notice.
    assert!(
        s.h.query_all_by_label_contains("1550 cm n'est pas possible")
            .next()
            .is_some()
    );
    assert_eq!(s.step(), Some(Step::PreRequest));

    // Corrected: 181 cm, green eyes, confirmed.
    s.clear(HEIGHT);
    s.type_in(HEIGHT, "181");
    s.h.get_by_label("Verts").click();
    s.frames(3);
    s.h.query_by_label_contains("Les pièces correspondent")
        .expect("confirm button")
        .click();
    let v = s.until_photo_step();
    let physical = v.enrolment.unwrap().physical;
    assert_eq!(
        (physical.height_cm, physical.eye_colour),
        (Some(181), Some(EyeColour::Vert))
    );

    // The next applicant.
    s.next_applicant();
    s.clear("Numéro de pré-demande");
    s.type_in("Numéro de pré-demande", "demo000002");
    s.key(egui::Key::Enter);
    s.until("second pre-request", |v| {
        v.enrolment
            .as_ref()
            .and_then(|e| e.pre_request.as_ref())
            .is_some_and(|p| p.number == "DEMO000002")
    });
    s.frames(3);
    assert_eq!(s.h.get_by_label(HEIGHT).value().as_deref(), Some("162"));
    assert!(
        s.h.query_all_by_label_contains("181").next().is_none(),
        "the previous applicant's height is shown"
    );
}
