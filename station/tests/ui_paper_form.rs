//! The paper form on the clerk's screen, typed and clicked through egui_kittest against the real
//! counter core and a central on loopback: F8 opens it, Tab and Enter drive it, a refused field
//! says why beside it in French, the whole form is in view at 1280×800, and the next applicant's
//! form is empty.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::app_harness;
use crate::local_station_env;

use std::time::Duration;

use eframe::egui;
use egui_kittest::kittest::{NodeT, Queryable};
use station::enrolment::Step;

use app_harness::{SMALL_SCREEN as SMALL, station};
use local_station_env::Env;

const SURNAME: &str = "Nom";
const BIRTH_DATE: &str = "Date de naissance";
const ADDRESS: &str = "Adresse";

/// Types the child's form, with a digit in the surname and a date that does not exist.
fn type_the_form_with_two_mistakes(s: &mut app_harness::Station) {
    for choice in [
        "Carte nationale d'identité",
        "Première demande",
        "Masculin",
        "Bleu-gris",
    ] {
        s.h.get_by_label(choice).click();
        s.frames(2);
    }
    s.type_in(SURNAME, "Le G0ff");
    s.type_in("Prénoms", "Maël Yann");
    s.type_in(BIRTH_DATE, "30/02/2019");
    s.type_in("Lieu de naissance", "Brest (29)");
    s.type_in("Taille (cm)", "116");
    s.type_in(ADDRESS, "41 rue Garibaldi, 69006 Lyon");
}

#[test]
fn the_clerk_types_the_paper_form_is_told_what_is_wrong_beside_each_field_and_starts() {
    let env = Env::start(false);
    let mut s = station(&env.config, Duration::from_secs(3600));
    s.first_start();
    s.key(egui::Key::F2);
    assert!(s.shows("Sans pré-demande (formulaire papier)  [F8]"));
    s.key(egui::Key::F8);
    s.until("the form", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.paper_form.is_some())
    });
    assert!(s.shows("CERFA 12100*03"));
    // The keyboard is in the form: on its first field.
    assert!(s.h.get_by_label(SURNAME).is_focused());

    type_the_form_with_two_mistakes(&mut s);
    // Enter in the last field sends the form.
    s.key(egui::Key::Enter);
    s.until("the refusals", |v| {
        v.enrolment
            .as_ref()
            .and_then(|e| e.paper_form.as_ref())
            .is_some_and(|f| f.problems.len() == 2)
    });
    assert!(s.shows("« 0 » non admis ici"));
    assert!(s.shows("Date invalide (JJ/MM/AAAA)"));
    assert_eq!(s.step(), Some(Step::PreRequest));
    // The keyboard goes to the first refused field, where the sentence stands beside it.
    assert!(s.h.get_by_label(SURNAME).is_focused());
    let field =
        s.h.get_by_label(SURNAME)
            .accesskit_node()
            .bounding_box()
            .unwrap();
    let sentence =
        s.h.get_by_label_contains("« 0 » non admis")
            .accesskit_node()
            .bounding_box()
            .unwrap();
    assert!(
        sentence.x0 > field.x1 && sentence.y0 < field.y1 && sentence.y1 > field.y0,
        "the sentence is not beside its field: {sentence:?} vs {field:?}"
    );

    // Corrected with the keyboard; Enter starts the enrolment at the photo.
    s.clear(SURNAME);
    s.type_in(SURNAME, "Le Goff");
    s.clear(BIRTH_DATE);
    s.type_in(BIRTH_DATE, "21/02/2019");
    s.key(egui::Key::Enter);
    let v = s.until("photo step", |v| {
        matches!(
            v.enrolment.as_ref().map(|e| &e.step),
            Some(Step::Photo { .. })
        )
    });
    assert!(v.enrolment.unwrap().exempt, "a child of 7 gives no fingers");

    // Abandoned: the next applicant's form is empty.
    s.key(egui::Key::Escape);
    s.frames(2);
    s.key(egui::Key::Escape);
    s.until("a blank enrolment", |v| {
        v.enrolment
            .as_ref()
            .is_some_and(|e| e.step == Step::PreRequest && e.paper_form.is_none())
    });
    if s.shows("Nouvel enrôlement") {
        s.key(egui::Key::F2);
    }
    s.key(egui::Key::F8);
    s.until("a new form", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.paper_form.is_some())
    });
    for label in [SURNAME, BIRTH_DATE, ADDRESS, "Taille (cm)"] {
        assert_eq!(
            s.h.get_by_label(label).value().as_deref(),
            Some(""),
            "{label} keeps the previous applicant's value"
        );
    }
    assert!(!s.shows("Le Goff"));
    assert!(!s.shows("« 0 » non admis"));
    // F8 again: back to the number.
    s.key(egui::Key::F8);
    s.until("the number again", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.paper_form.is_none())
    });
    assert!(s.h.get_by_label("Numéro de pré-demande").is_focused());
    let misread = s.misread();
    assert!(misread.is_empty(), "{misread:#?}");
}

#[test]
fn the_whole_paper_form_and_its_buttons_are_in_view_at_1280_by_800() {
    let env = Env::start(false);
    let mut s = station(&env.config, Duration::from_secs(3600));
    s.h.set_size(SMALL);
    s.first_start();
    s.key(egui::Key::F2);
    s.key(egui::Key::F8);
    s.until("the form", |v| {
        v.enrolment.as_ref().is_some_and(|e| e.paper_form.is_some())
    });
    // Sent empty, so that every field's sentence is on screen too.
    s.h.get_by_label("Valider le formulaire  [Entrée]").click();
    s.until("the refusals", |v| {
        v.enrolment
            .as_ref()
            .and_then(|e| e.paper_form.as_ref())
            .is_some_and(|f| f.problems.len() == 10)
    });
    for label in [
        "Changement d'adresse",
        "Vairons",
        "Taille (cm)",
        "Valider le formulaire  [Entrée]",
        "Revenir au numéro de pré-demande  [F8]",
        "Abandonner cet enrôlement  [Échap]",
    ] {
        let shown =
            s.h.get_by_label(label)
                .accesskit_node()
                .bounding_box()
                .unwrap();
        assert!(
            shown.y0 >= 0.0 && shown.y1 <= f64::from(SMALL.y) && shown.x1 <= f64::from(SMALL.x),
            "\"{label}\" is drawn at {shown:?}, outside a 1280×800 window"
        );
    }
    for sentence in s.h.query_all_by_label("Choisissez une valeur.") {
        let shown = sentence.accesskit_node().bounding_box().unwrap();
        assert!(
            shown.x1 <= f64::from(SMALL.x) && shown.y1 <= f64::from(SMALL.y),
            "a refusal is drawn at {shown:?}, outside a 1280×800 window"
        );
    }
}
