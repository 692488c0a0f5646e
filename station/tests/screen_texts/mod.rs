//! What a person reads on a screen, and what must never be among it: a locale key rust-i18n fell
//! back to, a code name meant for logs (`handshake`, `background_level`, `blank-capture`), a Rust
//! `Debug` duration (`30.006718262s`), or, on a French screen, an English sentence.
//!
//! The texts are every label and value of the accesskit tree egui builds for the frame, which is
//! what egui_kittest queries and what a screen reader would say.

use std::{collections::BTreeSet, path::Path};

use eframe::egui::accesskit::Role;
use egui_kittest::{Harness, kittest::NodeT};

/// How a technical detail is labelled on the screens (a technician may read a driver's own
/// words only under this label, on a line of its own).
pub const TECHNICAL_DETAIL: [&str; 2] = ["Détail technique :", "Technical detail:"];

/// Code names of the diagnostics' steps and of the calibration's measures that a screen has
/// shown as they are: none may show, in either language.
const RAW_IDENTIFIERS: [&str; 9] = [
    "handshake",
    "blank-capture",
    "test-frame",
    "background_level",
    "snr",
    "uniformity_light",
    "uniformity_dark",
    "colour_cast",
    "residue_regions",
];

/// The same for code names that are also English words: wrong on a French screen only.
const RAW_ENGLISH_IDENTIFIERS: [&str; 8] = [
    "parameters",
    "sensor",
    "led",
    "settings",
    "exposure",
    "sharpness",
    "open",
    "drain",
];

/// The devices' commands as their manuals name them: a technician reading French sees them in
/// words ("prise d'image"), the manual's name only on demand.
const MANUAL_COMMAND_NAMES: [&str; 16] = [
    "GenImg",
    "UpImage",
    "Img2Tz",
    "RegModel",
    "VfyPwd",
    "ReadSysPara",
    "SetSysPara",
    "TemplateNum",
    "AuraLedConfig",
    "HandShake",
    "get version",
    "set image size",
    "set compression",
    "frame control",
    "frame length",
    "read frame buffer",
];

/// Words and phrases that mark an English sentence (lower case, with their spaces).
const ENGLISH_MARKERS: [&str; 16] = [
    " answers ",
    " the ",
    "flashed",
    "within",
    "baud, password",
    " was ",
    " were ",
    " not ",
    " and ",
    " of ",
    "timeout",
    "error",
    "no finger",
    "failed",
    "(incoming)",
    "check it by eye",
];

/// Words and phrases that mark a French sentence on an English screen (lower case, with their
/// spaces; none is in the test applicants' names or addresses).
const FRENCH_MARKERS: [&str; 14] = [
    " vous ",
    " votre ",
    " pour ",
    " avec ",
    " est ",
    " puis ",
    " pas ",
    " les ",
    " des ",
    " du ",
    "l'usager",
    "[entrée]",
    "[échap]",
    "prise n°",
];

/// The hyphenated words the translators wrote in the station's locale files ("rebranchez-le",
/// "flat-field"): words, not identifiers, wherever they show.
pub fn written_words() -> BTreeSet<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
    let mut words = BTreeSet::new();
    for entry in std::fs::read_dir(&dir).expect("locales") {
        let path = entry.expect("a locale file").path();
        if path.extension().is_none_or(|e| e != "yml") {
            continue;
        }
        for texts in super::locale_files::catalogue(&path).values() {
            for text in texts.values() {
                words.extend(
                    text.split_whitespace()
                        .map(word_of)
                        .filter(|w| is_snake_or_kebab(w))
                        .map(str::to_owned),
                );
            }
        }
    }
    words
}

/// A token without the punctuation around it.
fn word_of(token: &str) -> &str {
    token
        .trim_matches(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.'))
        .trim_end_matches('.')
}

/// Every text of the frame: the label and the value of each accesskit node.
pub fn visible_texts<State>(h: &Harness<'_, State>) -> Vec<String> {
    let mut texts = Vec::new();
    for node in h.root().children_recursive() {
        let node = node.accesskit_node();
        // A wrapped label's rows: pieces of the label's own text, cut anywhere.
        if node.role() == Role::TextRun {
            continue;
        }
        for text in [node.label(), node.value()].into_iter().flatten() {
            let text = text.trim().to_owned();
            if !text.is_empty() && !texts.contains(&text) {
                texts.push(text);
            }
        }
    }
    texts
}

/// What is wrong with `text` on a screen in French (`french`) or English; empty when nothing is.
/// `written`: the hyphenated words of the locale files ([`written_words`]).
pub fn problems(text: &str, french: bool, written: &BTreeSet<String>) -> Vec<String> {
    let mut found = Vec::new();
    if TECHNICAL_DETAIL.iter().any(|label| text.starts_with(label)) {
        return found;
    }
    for token in text.split_whitespace() {
        // A port, a file or a serial naming its port ("zfm@/dev/pts/3"): data, not words.
        if token.contains(['/', '\\', '@']) {
            continue;
        }
        let word = word_of(token);
        if is_locale_key(word) {
            found.push(format!("locale key {word:?}"));
        } else if RAW_IDENTIFIERS.contains(&word)
            || (french && RAW_ENGLISH_IDENTIFIERS.contains(&word))
        {
            found.push(format!("code name {word:?}"));
        } else if is_snake_or_kebab(word) && !written.contains(word) {
            found.push(format!("identifier {word:?}"));
        }
    }
    if let Some(duration) = debug_duration(text) {
        found.push(format!("Debug duration {duration:?}"));
    }
    let lower = format!(" {} ", text.to_lowercase());
    if !french {
        for marker in FRENCH_MARKERS {
            if lower.contains(marker) {
                found.push(format!("French {marker:?}"));
            }
        }
    }
    if french {
        for name in MANUAL_COMMAND_NAMES {
            if text.contains(name) {
                found.push(format!("device command {name:?}"));
            }
        }
        for marker in ENGLISH_MARKERS {
            if lower.contains(marker) {
                found.push(format!("English {marker:?}"));
            }
        }
    }
    found
}

/// `technician.error.busy`: a key of one of the station's locale files.
fn is_locale_key(word: &str) -> bool {
    ["technician.", "ui.", "counter.", "handover.", "receipt."]
        .iter()
        .any(|prefix| {
            word.strip_prefix(prefix)
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_lowercase()))
        })
}

/// `background_level`, `blank-capture`: lower-case ASCII parts joined by `_` or `-`.
fn is_snake_or_kebab(word: &str) -> bool {
    let parts: Vec<&str> = word.split(['_', '-']).collect();
    parts.len() >= 2
        && word.starts_with(|c: char| c.is_ascii_lowercase())
        && parts.iter().all(|p| {
            !p.is_empty()
                && p.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
}

/// `30.006718262s`, `1.2345ms`: a duration as Rust's `Debug` writes it.
fn debug_duration(text: &str) -> Option<&str> {
    let bytes = text.as_bytes();
    for (dot, _) in text.match_indices('.') {
        let start = text[..dot]
            .rfind(|c: char| !c.is_ascii_digit())
            .map_or(0, |i| i + 1);
        if start == dot {
            continue;
        }
        let decimals = bytes[dot + 1..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        let after = dot + 1 + decimals;
        if decimals < 4 {
            continue;
        }
        if let Some(unit) = ["s", "ms", "µs", "ns"]
            .iter()
            .find(|u| text[after..].starts_with(*u))
        {
            return Some(&text[start..after + unit.len()]);
        }
    }
    None
}

#[test]
fn the_checks_catch_what_the_technician_saw() {
    let french = true;
    let written = written_words();
    assert!(written.contains("flat-field"), "{written:?}");
    let problems = |text: &str, french: bool| problems(text, french, &written);
    for (text, caught) in [
        ("ZFM-60 answers at 115200 baud, password verified", true),
        ("flashed purple 3 times, then off: check it by eye", true),
        ("handshake", true),
        ("blank-capture", true),
        ("background_level", true),
        ("snr", true),
        (
            "no finger was placed on the sensor within 30.006718262s",
            true,
        ),
        ("technician.error.busy", true),
        ("Échec : technician.measure.snr", true),
        ("Prise de contact", false),
        ("Rapport écrit : /tmp/x/reports/diagnostic-17.txt", false),
        ("Appareil photo vc0706@/tmp/tmp.b/demo/camera", false),
        (
            "Correction d'uniformité (flat-field) appliquée à chaque prise d'empreinte.",
            false,
        ),
        ("Détail technique : the port is gone", false),
        ("06/12 14:30", false),
        ("Rapport signal sur bruit", false),
    ] {
        let found = problems(text, french);
        assert_eq!(!found.is_empty(), caught, "{text:?}: {found:?}");
    }
    assert!(problems("Signal-to-noise ratio", false).is_empty());
    assert!(problems("The fingerprint sensor answers at 57600 baud", false).is_empty());
    assert!(!problems("uniformity_light", false).is_empty());
    // French left on an English screen: a key's name, a sentence.
    assert!(!problems("Take the photo  [Entrée]", false).is_empty());
    assert!(!problems("Posez votre index gauche", false).is_empty());
    assert!(problems("Take the photo  [Enter]", false).is_empty());
    assert!(!problems("GenImg → 12 o", true).is_empty());
    assert_eq!(debug_duration("after 30.006718262s"), Some("30.006718262s"));
    assert_eq!(debug_duration("1.5 s, 12.25 ms"), None);
    assert_eq!(debug_duration("took 1.23456ms"), Some("1.23456ms"));
}
