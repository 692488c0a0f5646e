//! Reading the rust-i18n locale files (`station/locales/*.yml`) back in tests: which keys exist, in
//! which languages, with which placeholders.

use std::{collections::BTreeMap, fs, path::Path};

/// `key -> {locale -> text}` from a rust-i18n version-2 file (`key:` then `  fr: "…"`).
pub fn catalogue(path: &Path) -> BTreeMap<String, BTreeMap<String, String>> {
    let text =
        fs::read_to_string(path).unwrap_or_else(|e| panic!("locales file {}: {e}", path.display()));
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

/// `%{name}` placeholders of a text, sorted.
pub fn placeholders(text: &str) -> Vec<&str> {
    let mut names: Vec<&str> = text
        .split("%{")
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
        .collect();
    names.sort_unstable();
    names
}

/// Every text of the station's locale files in one language: what a test reads on the screens
/// instead of writing the French or the English itself.
pub struct Words {
    locale: &'static str,
    texts: BTreeMap<String, BTreeMap<String, String>>,
}

impl Words {
    /// The texts in `locale` (`fr`, `en`).
    pub fn new(locale: &'static str) -> Self {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("locales");
        let mut texts = BTreeMap::new();
        for file in [
            "ui",
            "counter",
            "handover",
            "receipt",
            "technician",
            "mobile",
        ] {
            texts.extend(catalogue(&root.join(format!("{file}.yml"))));
        }
        Self { locale, texts }
    }

    /// Whether these are the French texts.
    pub fn french(&self) -> bool {
        self.locale == "fr"
    }

    /// The text of `key`.
    pub fn t(&self, key: &str) -> &str {
        self.texts
            .get(key)
            .and_then(|t| t.get(self.locale))
            .unwrap_or_else(|| panic!("{key} has no {} text", self.locale))
    }

    /// The text of `key` up to its first placeholder: what a screen shows whatever fills it.
    pub fn start_of(&self, key: &str) -> &str {
        let text = self.t(key);
        text.split("%{").next().unwrap_or(text)
    }
}
