//! Every text of the mobile kit (`"mobile.…"` keys in the desk's and the screen's tour files) is
//! in `locales/mobile.yml` in French and in English, translated, with the same placeholders:
//! rust-i18n would show a missing key as the key itself.

use std::{fs, path::Path};

use crate::locale_files::{catalogue, placeholders};

#[test]
fn every_mobile_text_is_there_in_french_and_english() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalogue = catalogue(&root.join("locales/mobile.yml"));
    let mut used = Vec::new();
    for file in ["src/desk/tour.rs", "src/ui/tour.rs"] {
        let source = fs::read_to_string(root.join(file)).expect("source");
        for (i, _) in source.match_indices("\"mobile.") {
            let rest = &source[i + 1..];
            if let Some(end) = rest.find('"') {
                used.push(rest[..end].to_owned());
            }
        }
    }
    used.sort();
    used.dedup();
    assert!(used.len() >= 14, "only {} keys found: {used:?}", used.len());
    for key in &used {
        let texts = catalogue
            .get(key)
            .unwrap_or_else(|| panic!("{key} is used but not in mobile.yml"));
        let (fr, en) = (&texts["fr"], &texts["en"]);
        assert!(!fr.is_empty() && !en.is_empty() && fr != en, "{key}");
        assert_eq!(placeholders(fr), placeholders(en), "{key}");
    }
    for key in catalogue.keys() {
        assert!(used.contains(key), "{key} is in mobile.yml but never used");
    }
}
