//! The abandon question is asked where the clerk looks: on the smallest counter screen
//! (1280×800), a long step (a child's pre-request, its content and the "no fingerprints" line)
//! pushes the abandon row below the fold, and Escape must not ask a question nobody sees before
//! a second Escape erases the applicant's enrolment.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::app_harness;
use crate::local_station_env;

use std::time::Duration;

use eframe::egui;
use egui_kittest::kittest::{NodeT, Queryable};

use app_harness::{SMALL_SCREEN as SMALL, station};
use local_station_env::Env;

#[test]
fn escape_on_a_long_step_brings_the_abandon_question_into_view() {
    let env = Env::start(false);
    let mut s = station(&env.config, Duration::from_secs(3600));
    s.h.set_size(SMALL);
    s.first_start();
    let v = s.pre_request("DEMO000003");
    assert!(v.enrolment.unwrap().pre_request.is_some());

    s.key(egui::Key::Escape);
    s.frames(4);
    let question = "Tout ce qui a été pris pour cet usager sera effacé. Abandonner ?";
    let node = s.h.get_by_label(question);
    let shown = node.accesskit_node().bounding_box().unwrap();
    assert!(
        shown.y0 >= 0.0 && shown.y1 <= f64::from(SMALL.y),
        "the question is drawn at y {}..{}, outside a {}-pixel-high window",
        shown.y0,
        shown.y1,
        SMALL.y
    );

    // And the second Escape does what the question says.
    s.key(egui::Key::Escape);
    s.until("a blank enrolment", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.pre_request.is_none())
    });
    s.frames(2);
    assert!(s.shows("Enrôlement abandonné"));
}
