//! The tax stamp on the pre-request screen, through the real app (egui_kittest): a number typed by
//! hand is shown in groups of four as it is typed, a scanner's fast typing of the 2D code's content
//! followed by Enter is read and checked, the content is confirmed only then, and the next
//! applicant's field is empty.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::app_harness;
use crate::local_station_env;

use eframe::egui;
use egui_kittest::kittest::Queryable;
use station::enrolment::Step;

use app_harness::signed_in;
use local_station_env::Env;

const STAMP: &str = "Numéro du timbre";

fn stamp_field(s: &app_harness::Station) -> String {
    s.h.get_by_label(STAMP).value().unwrap_or_default()
}

#[test]
fn a_stamp_typed_by_hand_is_grouped_a_scanned_one_is_read_and_the_next_applicant_starts_empty() {
    let env = Env::start(false);
    let mut s = signed_in(&env);
    s.pre_request("DEMO000002");
    assert!(s.shows("montant dû : 86 €"));
    assert!(s.h.get_by_label(STAMP).is_focused(), "ready for a scan");

    // By hand, one key at a time: grouped as printed on the stamp, the cursor staying at the end.
    for c in "086000000000000".chars() {
        s.h.get_by_label(STAMP).type_text(&c.to_string());
        s.frames(1);
    }
    assert_eq!(stamp_field(&s), "0860 0000 0000 000");
    assert!(s.shows("15 chiffres sur 16"));
    // Enter on 15 digits: the sentence, not a check.
    s.key(egui::Key::Enter);
    s.until("refused", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.tax_stamp.refusal.is_some())
    });
    s.frames(3);
    assert!(s.shows("celui-ci en a 15"));
    // Enter elsewhere does not confirm the content without the stamp.
    assert_eq!(s.step(), Some(Step::PreRequest));

    // A scanner: the code's content typed at once, then Enter.
    s.h.get_by_label(STAMP).focus();
    s.frames(2);
    for _ in 0..24 {
        s.h.key_press(egui::Key::Backspace);
    }
    s.frames(2);
    s.h.get_by_label(STAMP)
        .type_text("TFE;0860000000000002;8600;EUR");
    s.frames(1);
    assert_eq!(
        stamp_field(&s),
        "TFE;0860000000000002;8600;EUR",
        "not regrouped"
    );
    s.key(egui::Key::Enter);
    s.until("accepted", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.tax_stamp.accepted.is_some())
    });
    s.frames(3);
    assert!(s.shows("Timbre 0860 0000 0000 0002 vérifié : 86 €"));

    // Enter now confirms the content.
    s.key(egui::Key::Enter);
    s.until_photo_step();

    // The next applicant: another adult's passport, an empty field and nothing of the stamp.
    s.next_applicant();
    s.pre_request("82TYIB5L7S");
    s.frames(3);
    assert!(s.shows("montant dû : 86 €"));
    assert_eq!(stamp_field(&s), "");
    assert!(
        s.h.query_all_by_label_contains("0860").next().is_none(),
        "the previous applicant's stamp is shown"
    );
    let v = s.counter.view();
    assert_eq!(v.enrolment.unwrap().tax_stamp.accepted, None);
}

#[test]
fn with_the_central_down_f9_goes_on_with_the_stamp_unchecked() {
    let mut env = Env::start(false);
    let mut s = signed_in(&env);
    s.pre_request("DEMO000002");
    env.stop_central();
    s.type_in(STAMP, "0860000000000003");
    assert_eq!(stamp_field(&s), "0860 0000 0000 0003");
    s.key(egui::Key::F8);
    s.until("not checked", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.tax_stamp.unchecked_offer.is_some())
    });
    s.frames(3);
    assert!(s.shows("ne répond pas"));
    assert!(s.shows("Poursuivre sans vérification  [F9]"));
    s.key(egui::Key::F9);
    s.until("kept", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.tax_stamp.accepted.is_some())
    });
    s.frames(3);
    // In the notice and beside the content.
    assert!(
        s.h.query_all_by_label_contains("Timbre 0860 0000 0000 0003 gardé sans vérification")
            .next()
            .is_some()
    );
    s.key(egui::Key::Enter);
    s.until_photo_step();
}
