//! What the applicant and the clerk see on the fingers and photo steps, as sequences on the real
//! core with both simulators: the hand drawing with the finger to lay and its rank ("1 sur 2", then
//! "2 sur 2"), the "Ne bougez plus" countdown while the photo is taken, then the portrait as the
//! record keeps it, 35×45 mm, on both windows.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::app_harness;
use crate::local_station_env;

use std::time::Duration;

use eframe::egui;
use egui_kittest::kittest::{NodeT, Queryable};
use station::enrolment::FingerPosition;

use app_harness::{Station, finger_step, station};
use local_station_env::Env;

/// A simulated finger whose first impression scores above the threshold.
const GOOD_FINGER: u64 = 301;

/// Width over height of a 35×45 mm portrait.
const PORTRAIT_RATIO: f64 = 35.0 / 45.0;

/// Signed in, the demo's adult loaded and confirmed: the photo step with its live preview.
fn at_the_photo(env: &Env) -> Station {
    let mut s = station(&env.config, Duration::from_secs(3600));
    s.first_start();
    let v = s.pre_request("demo000001");
    assert!(v.enrolment.unwrap().pre_request.is_some());
    s.confirm();
    s.preview();
    s
}

/// Width over height of the picture named `name` as drawn on a window.
fn drawn_ratio<'t>(node: impl NodeT<'t>) -> f64 {
    let b = node.accesskit_node().bounding_box().unwrap();
    (b.x1 - b.x0) / (b.y1 - b.y0)
}

#[test]
fn the_applicant_sees_the_hand_with_the_finger_to_lay_and_its_rank() {
    let env = Env::start(false);
    let mut s = at_the_photo(&env);
    s.key(egui::Key::F7);
    s.after_the_photo();
    s.frames(2);
    assert!(s.applicant_sees("Dessin de la main : posez votre index gauche sur le capteur"));
    assert!(s.applicant_sees("Index gauche"));
    assert!(s.applicant_sees("1 sur 2"));

    env.sensor().place_finger(GOOD_FINGER, 0);
    let v = s.capture();
    assert_eq!(finger_step(&v), Some((FingerPosition::RightIndex, 1)));
    s.frames(2);
    // The first finger's result, and the next finger already drawn with its rank.
    assert!(s.applicant_sees("C'est bon, merci"));
    assert!(s.applicant_sees("Dessin de la main : posez votre index droit sur le capteur"));
    assert!(s.applicant_sees("Index droit"));
    assert!(s.applicant_sees("2 sur 2"));
    assert!(!s.applicant_sees("1 sur 2"));

    // In English for an applicant who reads it.
    s.key(egui::Key::F10);
    s.until("the applicant's window in English", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.applicant_language == station::language::Language::English)
    });
    s.frames(2);
    assert!(s.applicant_sees("Right index"));
    assert!(s.applicant_sees("2 of 2"));
}

#[test]
fn the_photo_counts_down_then_shows_the_portrait_as_kept() {
    let env = Env::start(false);
    let mut s = at_the_photo(&env);
    s.key(egui::Key::Enter);
    // The count is the core's: it starts at 3 when the shot is asked for.
    s.until("the countdown", |v| {
        v.enrolment.as_ref().and_then(|e| e.countdown) == Some(3)
            || v.enrolment.as_ref().is_some_and(|e| e.photo.is_some())
    });
    let counting = s
        .counter
        .view()
        .enrolment
        .and_then(|e| e.countdown)
        .is_some();
    if counting {
        assert!(
            s.applicant_sees("Ne bougez plus : "),
            "the count on the applicant's window"
        );
        assert!(!s.applicant_sees("Regardez l'objectif"));
        // The clerk's window counts with the applicant's: the preview has stopped for the shot,
        // and "starting the preview" would be untrue there.
        assert!(
            s.shows("Ne bougez plus : "),
            "the count on the clerk's window"
        );
        assert!(!s.shows("Démarrage de l'aperçu"));
    }
    let v = s.until("photo verdict", |v| {
        v.busy.is_none() && v.enrolment.as_ref().is_some_and(|e| e.photo.is_some())
    });
    assert!(counting, "the countdown was on screen before the photo");
    let e = v.enrolment.unwrap();
    assert_eq!(e.countdown, None, "the count stops with the photo");
    let photo = e.photo.unwrap();
    assert!(photo.compliant, "the demo's applicant poses well");
    // The portrait kept, not the camera's 4:3 frame.
    let kept = photo
        .kept
        .expect("a compliant photo shows its portrait as kept");
    assert_eq!((kept.width, kept.height), (413, 531), "35×45 mm at 300 dpi");
    assert_eq!((photo.picture.width * 3), photo.picture.height * 4);

    s.frames(2);
    assert!(!s.applicant_sees("Ne bougez plus"));
    assert!(s.applicant_sees("Votre photo"));
    let ratio = drawn_ratio(s.applicant.get_by_label("Portrait conservé"));
    assert!((ratio - PORTRAIT_RATIO).abs() < 0.02, "applicant: {ratio}");
    // The clerk's: the portrait as kept beside the checks.
    assert!(s.shows("Tel qu'il sera gardé : 35 par 45 mm"));
    assert!(s.shows("Photo conforme"));
    let ratio = drawn_ratio(s.h.get_by_label("Portrait conservé"));
    assert!((ratio - PORTRAIT_RATIO).abs() < 0.02, "clerk: {ratio}");
}
