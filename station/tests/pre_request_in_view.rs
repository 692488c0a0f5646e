//! What the clerk confirms on the pre-request step is drawn where the clerk looks: on the
//! smallest counter screen (1280×800), the nine eye-colour buttons and the confirm button once
//! fell below the fold, under the pre-request's content.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::app_harness;
use crate::local_station_env;

use std::time::Duration;

use eframe::egui;
use egui_kittest::kittest::{NodeT, Queryable};

use app_harness::{SMALL_SCREEN as SMALL, station};
use local_station_env::Env;

/// What the clerk confirms on the pre-request step (the height, the nine eye colours and the
/// confirm button) is drawn inside the smallest counter screen, for an adult and for a child
/// (whose content has one more line).
#[test]
fn the_height_the_eye_colours_and_the_confirmation_are_in_view_at_1280_by_800() {
    let env = Env::start(false);
    let mut s = station(&env.config, Duration::from_secs(3600));
    s.h.set_size(SMALL);
    s.first_start();
    for number in ["DEMO000001", "DEMO000003"] {
        let v = s.pre_request(number);
        assert!(v.enrolment.unwrap().pre_request.is_some());
        s.frames(2);
        for label in [
            "Taille (cm)",
            "Bleus",
            "Vairons",
            "Les pièces correspondent : confirmer  [Entrée]",
        ] {
            let node = s.h.get_by_label(label);
            let shown = node.accesskit_node().bounding_box().unwrap();
            assert!(
                shown.y0 >= 0.0 && shown.y1 <= f64::from(SMALL.y),
                "{number}: \"{label}\" is drawn at y {}..{}, outside a {}-pixel-high window",
                shown.y0,
                shown.y1,
                SMALL.y
            );
        }
        s.key(egui::Key::Escape);
        s.frames(2);
        s.key(egui::Key::Escape);
        s.until("a blank enrolment", |v| {
            v.enrolment
                .as_ref()
                .is_some_and(|e| e.pre_request.is_none())
        });
    }
}
