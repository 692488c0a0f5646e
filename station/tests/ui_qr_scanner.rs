//! A scanner that reads the pre-request's QR code types its content into the number field and
//! presses Enter, as fast as it can: the number is taken out of the content and the pre-request
//! loaded; a QR code that is not the pre-request's gets a sentence and nothing is sent.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::app_harness;
use crate::local_station_env;

use std::time::Duration;

use eframe::egui;
use egui_kittest::kittest::Queryable;

use app_harness::station;
use local_station_env::Env;

const NUMBER: &str = "Numéro de pré-demande";

#[test]
fn a_scanned_link_loads_its_pre_request_and_a_foreign_code_is_refused_in_words() {
    let env = Env::start(false);
    let mut s = station(&env.config, Duration::from_secs(3600));
    s.first_start();
    s.key(egui::Key::F2);

    // Another QR code (a link with no number): a sentence, nothing asked of the central.
    s.h.get_by_label(NUMBER)
        .type_text("https://www.example.org/wifi");
    s.frames(2);
    s.key(egui::Key::Enter);
    assert!(s.shows("Ce QR code ne contient pas de numéro de pré-demande"));
    let v = s.counter.view();
    assert!(
        v.enrolment
            .as_ref()
            .is_none_or(|e| e.pre_request.is_none() && e.pre_request_refusal.is_none()),
        "something was looked up"
    );

    // The pre-request's code: the whole link typed at once, then Enter.
    s.clear(NUMBER);
    s.clear(NUMBER);
    s.clear(NUMBER);
    s.h.get_by_label(NUMBER)
        .type_text("https://passeport.ants.gouv.fr/pre-demande?numero=demo000001");
    s.frames(2);
    s.key(egui::Key::Enter);
    let v = s.until("the pre-request", |v| {
        v.enrolment
            .as_ref()
            .and_then(|e| e.pre_request.as_ref())
            .is_some()
    });
    assert_eq!(
        v.enrolment.unwrap().pre_request.unwrap().number,
        "DEMO000001"
    );
    assert!(
        s.h.query_all_by_label(NUMBER)
            .any(|n| n.value().as_deref() == Some("DEMO000001")),
        "the field shows the number, not the link"
    );
    let misread = s.misread();
    assert!(misread.is_empty(), "{misread:#?}");
}
