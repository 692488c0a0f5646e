//! Electronic tax stamps: the stamps the central can check (in the reference central, a file
//! standing for the tax administration's register; the demo's is `central/demo/tax_stamps.json`),
//! and whether one pays for a record at intake. A stamp is marked used in the same transaction as
//! the record's receipt (`Database::commit_intake`), so a record refused at intake leaves its
//! stamp unused and one stamp never pays for two records.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use wire::tax_stamp::{StampNumber, StampStanding};

/// The demo stamps shipped with the central (written by `central/demo/generate.py`).
pub const DEMO_TAX_STAMPS: &str = include_str!("../../demo/tax_stamps.json");

/// One stamp of the register file.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
struct Entry {
    number: StampNumber,
    amount_cents: u32,
    /// Used before this central saw it (spent on another procedure).
    #[serde(default)]
    used: bool,
}

/// Why a stamp file was refused.
#[derive(Debug, thiserror::Error)]
pub enum StampBookError {
    /// The file could not be read.
    #[error("tax stamp file {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The JSON does not have the expected shape (or a number is not 16 digits).
    #[error("tax stamp file: {0}")]
    Json(#[from] serde_json::Error),
    /// Two entries share a number.
    #[error("tax stamp {0} appears twice")]
    Duplicate(String),
}

/// The stamps the central knows, by number. Empty: every stamp is unknown.
#[derive(Debug, Clone, Default)]
pub struct StampBook {
    entries: BTreeMap<StampNumber, Entry>,
}

impl StampBook {
    /// The demo stamps.
    pub fn demo() -> Result<Self, StampBookError> {
        Self::from_json(DEMO_TAX_STAMPS)
    }

    /// Loads a file holding a JSON array of `{number, amount_cents, used}`.
    pub fn from_file(path: &Path) -> Result<Self, StampBookError> {
        let text = std::fs::read_to_string(path).map_err(|source| StampBookError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        Self::from_json(&text)
    }

    /// Parses a JSON array of stamps.
    pub fn from_json(text: &str) -> Result<Self, StampBookError> {
        let list: Vec<Entry> = serde_json::from_str(text)?;
        let mut entries = BTreeMap::new();
        for entry in list {
            let number = entry.number.clone();
            if entries.insert(number.clone(), entry).is_some() {
                return Err(StampBookError::Duplicate(number.to_string()));
            }
        }
        Ok(Self { entries })
    }

    /// What the register says of a stamp, `used_here` being whether a record received here used
    /// it; `None` for a stamp it does not hold.
    pub fn standing(&self, number: &StampNumber, used_here: bool) -> Option<StampStanding> {
        self.entries.get(number).map(|e| StampStanding {
            number: e.number.clone(),
            amount_cents: e.amount_cents,
            used: e.used || used_here,
        })
    }

    /// How many stamps are known.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether no stamp is known.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_book_reads_and_holds_a_used_stamp() {
        let book = StampBook::demo().expect("reads");
        assert!(book.len() >= 4);
        assert!(
            book.entries.values().any(|e| e.used),
            "the demo shows a refusal"
        );
    }

    #[test]
    fn a_duplicate_or_a_short_number_is_refused() {
        let one = r#"{"number":"1111222233334444","amount_cents":8600}"#;
        assert!(matches!(
            StampBook::from_json(&format!("[{one},{one}]")),
            Err(StampBookError::Duplicate(_))
        ));
        assert!(StampBook::from_json(r#"[{"number":"123","amount_cents":1}]"#).is_err());
    }
}
