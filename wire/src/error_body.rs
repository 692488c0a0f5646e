//! The JSON body of every error answer of the central: `{"error": "<code>", "detail": "<text>"}`.
//! The pre-request endpoints' 401 is the exception: ANTS's own body, `{"detail": "..."}`, which
//! reads here with an empty `error`.

use serde::{Deserialize, Serialize};

/// An error answer's body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ErrorBody {
    /// Stable machine-readable code (`bad-signature`, `no-templates`, ...); empty in ANTS's 401.
    #[serde(default)]
    pub error: String,
    /// Text for a person. A JSON value on reading: ANTS-shaped services may send an object here.
    #[serde(default)]
    pub detail: serde_json::Value,
}

impl ErrorBody {
    /// An error body with a text detail.
    pub fn new(code: &str, detail: impl Into<String>) -> Self {
        Self {
            error: code.to_owned(),
            detail: serde_json::Value::String(detail.into()),
        }
    }

    /// The detail as text: a string as is, `null` as empty, anything else as its JSON.
    pub fn detail_text(&self) -> String {
        match &self.detail {
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Null => String::new(),
            other => other.to_string(),
        }
    }
}
