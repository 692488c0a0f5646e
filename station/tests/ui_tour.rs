//! The mobile kit's panel on the home screen as the clerk uses it: the day typed, F11 "Préparer la
//! tournée", the count of what was fetched, then the central gone and the applicant found in the
//! kept list; the panel is drawn inside the smallest counter screen, in French words only.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::app_harness;
use crate::local_station_env;

use std::time::Duration;

use eframe::egui;
use egui_kittest::kittest::{NodeT, Queryable};

use app_harness::{SMALL_SCREEN as SMALL, station};
use local_station_env::Env;
use station::enrolment::Step;

#[test]
fn the_clerk_prepares_the_tour_with_f11_and_finds_the_applicant_offline() {
    let mut env = Env::start(false);
    env.config.mode.mobile = true;
    let mut s = station(&env.config, Duration::from_secs(3600));
    s.h.set_size(SMALL);
    s.first_start();
    assert!(s.shows("Tournée (kit mobile)"));
    assert!(s.shows("Aucune liste de tournée sur la station"));
    assert!(s.shows("Aucun dossier n'attend l'envoi."));
    let date = "Jour des visites (AAAA-MM-JJ)";
    s.clear(date);
    s.type_in(date, "2026-12-14");
    s.key(egui::Key::F11);
    s.until("the tour prepared", |v| {
        v.tour.as_ref().is_some_and(|t| t.appointments == 3)
    });
    assert!(
        s.shows("Tournée du 14/12/2026 prête, rendez-vous gardés (chiffrés) sur la station : 3.")
    );
    assert!(s.shows("Rendez-vous restants dans la liste de la tournée du 14/12/2026 (gardée chiffrée sur la station) : 3"));
    for label in [date, "Préparer la tournée  [F11]"] {
        let shown =
            s.h.get_by_label(label)
                .accesskit_node()
                .bounding_box()
                .unwrap();
        assert!(
            shown.y0 >= 0.0 && shown.y1 <= f64::from(SMALL.y),
            "\"{label}\" is drawn at y {}..{}, outside a {}-pixel-high window",
            shown.y0,
            shown.y1,
            SMALL.y
        );
    }
    s.remember_texts();

    env.stop_central();
    let v = s.pre_request("TOURNEE002");
    let pre = v
        .enrolment
        .unwrap()
        .pre_request
        .expect("found in the kept list");
    assert_eq!(pre.applicant.surname, "Giraud");
    assert!(s.shows("Giraud"));
    // A first passport: its stamp cannot be checked with the central out of reach, so the clerk
    // goes on with it unchecked (F9); the central checks it when the record arrives.
    s.h.get_by_label("Numéro du timbre")
        .type_text("0860000000000001");
    s.key(egui::Key::Enter);
    s.until("the stamp offered unchecked", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.tax_stamp.unchecked_offer.is_some())
    });
    s.key(egui::Key::F9);
    s.until("the stamp kept unchecked", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.tax_stamp.accepted.is_some())
    });
    s.confirm_and_photo();
    while app_harness::finger_step(&s.counter.view()).is_some() {
        s.capture();
    }
    s.until("review", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.step == Step::Review)
    });
    s.sign_if_asked();
    s.key(egui::Key::Enter);
    s.until("receipt", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_some())
    });
    // Home: the list lost the applicant just enrolled, the record waits, and says since when.
    s.key(egui::Key::Enter);
    s.until("next applicant", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.receipt.is_none())
    });
    s.key(egui::Key::Escape);
    if !s.shows("Tournée (kit mobile)") {
        s.key(egui::Key::F1);
    }
    s.until("the record waits", |v| {
        v.tour
            .as_ref()
            .is_some_and(|t| t.waiting == 1 && t.appointments == 2)
    });
    assert!(
        s.shows("(gardée chiffrée sur la station) : 2"),
        "{:?}",
        crate::screen_texts::visible_texts(&s.h)
    );
    assert!(
        s.shows("Dossiers en attente d'envoi au centre national : 1, le plus ancien depuis le ")
    );
    s.remember_texts();

    // Back: F5 asks the central, which answers; the record leaves and nothing waits.
    env.restart_central();
    s.key(egui::Key::F5);
    s.until("nothing waits", |v| {
        v.tour.as_ref().is_some_and(|t| t.waiting == 0)
    });
    s.frames(3);
    assert!(s.shows("Aucun dossier n'attend l'envoi."));
    s.remember_texts();
    let misread = s.misread();
    assert!(misread.is_empty(), "{misread:#?}");
}
