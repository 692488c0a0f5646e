//! Every text the counter core looks up exists in French and in English in
//! `locales/counter.yml` (rust-i18n shows a missing key as the key itself, which a clerk would
//! see on screen).

use std::{collections::BTreeMap, fs, path::Path};

/// `key -> {locale -> text}` from a rust-i18n version-2 file (`key:` then `  fr: "…"`).
fn catalogue(path: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let text = fs::read_to_string(path).expect("locales file");
    let mut keys: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    let mut current = None;
    for line in text.lines() {
        if line.starts_with('#') || line.trim().is_empty() || line.starts_with("_version") {
            continue;
        }
        if let Some(key) = line.strip_suffix(':').filter(|_| !line.starts_with(' ')) {
            current = Some(key.to_owned());
            keys.entry(key.to_owned()).or_default();
        } else if let (Some(key), Some((locale, value))) = (&current, line.trim().split_once(": "))
        {
            keys.entry(key.clone())
                .or_default()
                .insert(locale.to_owned(), value.trim_matches('"').to_owned());
        }
    }
    keys
}

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
    let used = used_keys(&[&root.join("src/counter/texts.rs")]);
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
        let holes = |t: &str| -> Vec<String> {
            t.match_indices("%{")
                .filter_map(|(i, _)| t[i..].find('}').map(|j| t[i..i + j + 1].to_owned()))
                .collect()
        };
        let (Some(fr), Some(en)) = (texts.get("fr"), texts.get("en")) else {
            continue;
        };
        let (mut a, mut b) = (holes(fr), holes(en));
        a.sort();
        b.sort();
        assert_eq!(a, b, "{key}: placeholders differ");
    }
}
