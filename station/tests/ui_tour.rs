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
    assert!(s.shows("Tournée du 14/12/2026 prête : 3 rendez-vous gardés (chiffrés)"));
    assert!(s.shows("Liste de la tournée du 14/12/2026 : 3 rendez-vous restants"));
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
    s.remember_texts();
    let misread = s.misread();
    assert!(misread.is_empty(), "{misread:#?}");
}
