//! Every text the counter core looks up exists in French and in English in
//! `locales/counter.yml` (rust-i18n shows a missing key as the key itself, which a clerk would
//! see on screen).

use crate::locale_files;

use std::{fs, path::Path};

use locale_files::{catalogue, placeholders};

/// The keys used in `t!("…"` calls of the counter core's texts.
fn used_keys(files: &[&Path]) -> Vec<String> {
    let mut keys = Vec::new();
    for path in files {
        {
            let source = fs::read_to_string(path).expect("source");
            for (i, _) in source.match_indices("t!(") {
                let rest = source[i + 3..].trim_start();
                if let Some(rest) = rest.strip_prefix('"')
                    && let Some(end) = rest.find('"')
                    && rest[..end].starts_with("counter.")
                {
                    keys.push(rest[..end].to_owned());
                }
            }
        }
    }
    keys.sort();
    keys.dedup();
    keys
}

#[test]
fn every_counter_text_is_there_in_french_and_english() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalogue = catalogue(&root.join("locales/counter.yml"));
    let used = used_keys(&[&root.join("src/desk/texts.rs")]);
    assert!(
        used.len() > 55,
        "only {} keys found: the scan is broken",
        used.len()
    );
    for key in &used {
        let texts = catalogue
            .get(key)
            .unwrap_or_else(|| panic!("{key} is used but not in counter.yml"));
        for locale in ["fr", "en"] {
            let text = texts
                .get(locale)
                .unwrap_or_else(|| panic!("{key} has no {locale} text"));
            assert!(!text.is_empty() && text != key, "{key} ({locale}) is empty");
        }
        assert_ne!(texts["fr"], texts["en"], "{key} is not translated");
    }
    // Every placeholder of the French text is in the English one.
    for (key, texts) in &catalogue {
        let (Some(fr), Some(en)) = (texts.get("fr"), texts.get("en")) else {
            continue;
        };
        let (a, b) = (placeholders(fr), placeholders(en));
        assert_eq!(a, b, "{key}: placeholders differ");
    }
}
