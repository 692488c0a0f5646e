//! A PIN or passphrase on its way from the keyboard to the hash: wiped from memory when dropped,
//! never shown by `Debug`.

use zeroize::Zeroizing;

/// A typed PIN or passphrase.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Pin(Zeroizing<String>);

impl Pin {
    /// The text, to hash or check.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Takes the text of a field, leaving it empty: the field's buffer is wiped, not only
    /// cleared.
    pub fn take(field: &mut Zeroizing<String>) -> Self {
        Self(Zeroizing::new(std::mem::take(&mut **field)))
    }
}

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(…)")
    }
}

impl From<String> for Pin {
    fn from(text: String) -> Self {
        Self(Zeroizing::new(text))
    }
}

impl From<&str> for Pin {
    fn from(text: &str) -> Self {
        Self(Zeroizing::new(text.to_owned()))
    }
}
