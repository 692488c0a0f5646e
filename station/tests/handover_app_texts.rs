//! Every text of the same-finger check and the handover screen exists in French and English in
//! `locales/handover.yml`, with the same placeholders (rust-i18n would show a missing key as the
//! key itself, on the clerk's screen).

use crate::locale_files;

use std::{fs, path::Path};

use locale_files::{catalogue, placeholders};

#[test]
fn every_handover_text_is_there_in_french_and_english() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalogue = catalogue(&root.join("locales/handover.yml"));
    let mut used = Vec::new();
    for file in [
        "src/desk/handover.rs",
        "src/desk/same_finger.rs",
        "src/ui/handover.rs",
        "src/ui/app.rs",
    ] {
        let source = fs::read_to_string(root.join(file)).expect("source");
        for (i, _) in source.match_indices("\"handover.") {
            let rest = &source[i + 1..];
            if let Some(end) = rest.find('"') {
                used.push(rest[..end].to_owned());
            }
        }
    }
    used.sort();
    used.dedup();
    assert!(
        used.len() >= 20,
        "only {} keys found: the scan is broken",
        used.len()
    );
    for key in &used {
        let texts = catalogue
            .get(key)
            .unwrap_or_else(|| panic!("{key} missing from handover.yml"));
        let (Some(fr), Some(en)) = (texts.get("fr"), texts.get("en")) else {
            panic!("{key}: French and English both needed, got {texts:?}");
        };
        assert!(!fr.is_empty() && !en.is_empty(), "{key}");
        assert_eq!(placeholders(fr), placeholders(en), "{key}");
    }
    let unused: Vec<_> = catalogue.keys().filter(|k| !used.contains(k)).collect();
    assert!(unused.is_empty(), "texts nobody uses: {unused:?}");
}
