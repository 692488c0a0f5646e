//! The applicant's signature through the real app: drawn on the applicant's window with the
//! pointer and with touch (force), seen forming on the clerk's review, "effacer" (F7), a dot
//! refused with its sentence on "valider" (F8), a pending signature holding back the review,
//! validated, sealed and taken by the central; the next applicant's pad is empty.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::app_harness;
use crate::local_station_env;

use eframe::egui::Key;
use egui_kittest::kittest::Queryable;
use station::{desk::CounterView, enrolment::Step};

use app_harness::{Station, a_signature, signed_in};
use local_station_env::Env;

fn ink(v: &CounterView) -> usize {
    v.enrolment
        .as_ref()
        .map_or(0, |e| e.signature.strokes.iter().map(Vec::len).sum())
}

/// From the pre-request to the review, good fingers laid one after the other.
fn to_the_review(s: &mut Station, env: &Env, number: &str, seed: u64) {
    s.pre_request(number);
    s.confirm_and_photo();
    s.fingers_to_the_review(&env.sensor(), seed);
    // An identity card: the storage question is answered before anything can be sealed.
    s.answer_storage(false);
}

#[test]
fn the_applicant_signs_the_clerk_clears_and_validates_and_the_next_pad_is_empty() {
    let env = Env::start(false);
    let mut s = signed_in(&env);
    to_the_review(&mut s, &env, "demo000001", 301);
    assert!(s.applicant_sees("Signez dans le cadre"));
    assert!(s.shows("En attente de la signature du demandeur"));
    assert!(s.shows("Effacer  [F7]"));
    assert!(s.shows("Valider la signature  [F8]"));
    assert!(s.shows("Ne peut pas signer  [F9]"));
    // Inside the smallest counter screen: the buttons were cut off at its right edge when they sat
    // in the review's row of buttons.
    for label in [
        "Effacer  [F7]",
        "Valider la signature  [F8]",
        "Ne peut pas signer  [F9]",
    ] {
        let rect = s.h.get_by_label_contains(label).rect();
        assert!(
            rect.right() <= app_harness::SMALL_SCREEN.x
                && rect.bottom() <= app_harness::SMALL_SCREEN.y,
            "{label} at {rect:?}"
        );
    }

    // A dot: "valider" refuses it with a sentence on the clerk's screen; the applicant is asked to
    // sign again.
    s.sign(&[vec![(0.5, 0.5), (0.5, 0.5), (0.5, 0.5)]], false);
    assert!(ink(&s.counter.view()) > 0);
    s.key(Key::F8);
    s.until("dot refused", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.signature.refusal.is_some())
    });
    s.frames(3);
    // Under the pad and in the notice.
    assert!(
        s.h.query_all_by_label_contains("Un point n'est pas une signature")
            .next()
            .is_some()
    );
    assert!(s.applicant_sees("Merci de signer à nouveau"));

    // Ink neither validated nor cleared holds the review back: the review says so, Enter does
    // not seal, and the core refuses it too with its own sentence.
    assert!(s.shows("validez-la (F8) ou effacez-la (F7)"));
    s.key(Key::Enter);
    s.frames(5);
    assert_eq!(s.step(), Some(Step::Review));
    s.counter.send(station::desk::Command::ConfirmReview);
    s.until("pending signature said", |v| {
        v.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("validez-la ou effacez-la"))
    });
    assert_eq!(s.step(), Some(Step::Review));

    // Effacer, a signature with the pointer, effacer again.
    s.key(Key::F7);
    s.until("pad cleared", |v| ink(v) == 0);
    s.sign(&a_signature(), false);
    let v = s.counter.view();
    assert_eq!(v.enrolment.as_ref().unwrap().signature.strokes.len(), 2);
    assert!(s.shows("Le demandeur signe"));
    s.key(Key::F7);
    s.until("pad cleared", |v| ink(v) == 0);

    // Signed again with touch and force, validated.
    s.sign(&a_signature(), true);
    s.key(Key::F8);
    s.until("signature validated", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.signature.validated)
    });
    s.frames(3);
    assert!(s.shows("Signature validée."));
    assert!(s.applicant_sees("votre signature est enregistrée"));

    // Sealed, and taken by the central: its intake parsed the signature's record and picture.
    s.key(Key::Enter);
    let v = s.until("receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    let record_id = v.enrolment.unwrap().receipt.unwrap().record_id;
    s.until("acknowledged by the central", |v| {
        v.outbox
            .recent
            .iter()
            .any(|r| r.record_id == record_id && r.receipt_at.is_some())
    });

    // The next applicant: nothing of the signature on either window.
    s.key(Key::Enter);
    s.until("next applicant", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.receipt.is_none() && e.step == Step::PreRequest)
    });
    assert_eq!(ink(&s.counter.view()), 0);
    // A free identity card (no stamp to pay before the capture).
    to_the_review(&mut s, &env, "8D514IOZQ5", 401);
    let v = s.counter.view();
    let signature = &v.enrolment.as_ref().unwrap().signature;
    assert!(signature.asked && !signature.validated && signature.strokes.is_empty());
    assert!(s.applicant_sees("Signez dans le cadre"));
    assert!(!s.applicant_sees("votre signature est enregistrée"));
    assert!(s.shows("En attente de la signature du demandeur"));
}

#[test]
fn an_applicant_who_cannot_sign_has_the_reason_recorded_with_f9() {
    let env = Env::start(false);
    let mut s = signed_in(&env);
    to_the_review(&mut s, &env, "demo000001", 501);
    s.key(Key::F9);
    s.frames(3);
    assert!(s.shows("indiquez le motif"));
    // The reason field replaces the "missing" line, inside the smallest counter screen.
    assert!(!s.shows("Signature manquante"));
    let field = s.h.get_by_label("Motif").rect();
    assert!(
        field.bottom() <= app_harness::SMALL_SCREEN.y,
        "the reason field at {field:?}"
    );
    // An empty reason is refused with a sentence.
    s.key(Key::Enter);
    s.frames(3);
    s.type_in("Motif", "bras dans le plâtre");
    s.key(Key::Enter);
    s.until("cannot sign recorded", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.signature.cannot_sign.is_some())
    });
    s.frames(3);
    assert!(s.shows("Le demandeur ne peut pas signer : bras dans le plâtre"));
    assert!(!s.applicant_sees("Signez dans le cadre"));
    s.key(Key::Enter);
    let v = s.until("receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    let record_id = v.enrolment.unwrap().receipt.unwrap().record_id;
    s.until("acknowledged by the central", |v| {
        v.outbox
            .recent
            .iter()
            .any(|r| r.record_id == record_id && r.receipt_at.is_some())
    });
}

#[test]
fn an_empty_pad_is_not_sealed_and_the_review_says_the_signature_is_missing() {
    let env = Env::start(false);
    let mut s = signed_in(&env);
    to_the_review(&mut s, &env, "demo000001", 601);
    // The storage question is answered; only the signature is missing, and the review says so.
    assert!(s.shows("Signature manquante"));
    s.key(Key::Enter);
    s.frames(5);
    assert_eq!(s.step(), Some(Step::Review));
    assert!(s.counter.view().enrolment.unwrap().receipt.is_none());
    // The core refuses it too, whatever asks: the sentence names what to do.
    s.counter.send(station::desk::Command::ConfirmReview);
    s.until("missing signature said", |v| {
        v.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("La signature manque"))
    });
    assert_eq!(s.step(), Some(Step::Review));

    // Signed and validated: nothing is missing any more, and Enter seals.
    s.sign_if_asked();
    assert!(!s.shows("Signature manquante"));
    s.key(Key::Enter);
    s.until("receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
}

/// The applicant's window is 800 × 600: everything on it at the review (the sentence, the storage
/// question or its answer, the pad, "sign again") lies inside, whole.
fn applicant_fits(s: &Station, state: &str) {
    let window = eframe::egui::Rect::from_min_size(
        eframe::egui::Pos2::ZERO,
        eframe::egui::vec2(800.0, 600.0),
    );
    let pad = s.applicant.get_by_label("Cadre de signature").rect();
    assert!(window.contains_rect(pad), "{state}: the pad at {pad:?}");
    for text in [
        "L'agent vérifie",
        "Vos empreintes",
        "Votre choix",
        "Signez dans le cadre",
        "Merci de signer à nouveau",
        "votre signature est enregistrée",
    ] {
        for node in s.applicant.query_all_by_label_contains(text) {
            let rect = node.rect();
            assert!(window.contains_rect(rect), "{state}: {text:?} at {rect:?}");
        }
    }
}

#[test]
fn the_applicant_window_holds_the_storage_question_and_the_pad_in_800_by_600() {
    let env = Env::start(false);
    let mut s = signed_in(&env);
    s.pre_request("demo000001");
    s.confirm_and_photo();
    s.fingers_to_the_review(&env.sensor(), 701);
    assert!(s.applicant_sees("Vos empreintes"));
    applicant_fits(&s, "question unanswered");
    // The longest answer: the refusal, with its 90 days.
    s.answer_storage(true);
    s.frames(3);
    assert!(s.applicant_sees("Votre choix"));
    applicant_fits(&s, "storage refused");
    // A dot refused: "sign again" under the pad.
    s.sign(&[vec![(0.5, 0.5), (0.5, 0.5), (0.5, 0.5)]], false);
    s.key(Key::F8);
    s.until("dot refused", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.signature.refusal.is_some())
    });
    s.frames(3);
    assert!(s.applicant_sees("Merci de signer à nouveau"));
    applicant_fits(&s, "sign again");
    s.key(Key::F7);
    s.until("pad cleared", |v| ink(v) == 0);
    s.sign_if_asked();
    s.frames(3);
    assert!(s.applicant_sees("votre signature est enregistrée"));
    applicant_fits(&s, "signed");
}
