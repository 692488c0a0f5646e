//! What the accounts' key authenticates: each account row whole (so that a failure count put back
//! to zero, a lock lifted, a role raised or a hash swapped no longer verifies), and the list of
//! account names (so that a deleted account is seen). The messages are length-prefixed fields
//! under a versioned context, so that no two rows, and no row and a roster, can share a tag.

use super::{LockState, secret::SecretHash};

/// An account row as stored.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub name: String,
    pub role: String,
    pub stored: SecretHash,
    pub lock: LockState,
    pub disabled: bool,
    pub created_at_ms: i64,
    /// Whether the hash is keyed by the accounts' key (false only in rows from before it).
    pub keyed: bool,
    /// The row's tag (none in rows from before the key).
    pub mac: Option<Vec<u8>>,
}

struct Message(Vec<u8>);

impl Message {
    fn new(context: &[u8]) -> Self {
        Self(context.to_vec())
    }

    fn bytes(mut self, field: &[u8]) -> Self {
        self.0
            .extend_from_slice(&u32::try_from(field.len()).unwrap_or(u32::MAX).to_be_bytes());
        self.0.extend_from_slice(field);
        self
    }
}

/// The message a row's tag is computed over: every column but the tag.
pub(crate) fn row_message(row: &Row) -> Vec<u8> {
    Message::new(b"station operator row v1\0")
        .bytes(row.name.as_bytes())
        .bytes(row.role.as_bytes())
        .bytes(&row.stored.iterations.to_be_bytes())
        .bytes(&row.stored.salt)
        .bytes(&row.stored.hash)
        .bytes(&row.lock.failures.to_be_bytes())
        .bytes(&row.lock.locked_until_ms.to_be_bytes())
        .bytes(&[u8::from(row.disabled)])
        .bytes(&row.created_at_ms.to_be_bytes())
        .bytes(&[u8::from(row.keyed)])
        .0
}

/// The message the roster's tag is computed over: the account names, sorted.
pub(crate) fn roster_message(names: &[String]) -> Vec<u8> {
    let mut sorted: Vec<&String> = names.iter().collect();
    sorted.sort();
    let mut message = Message::new(b"station operator roster v1\0").bytes(
        &u32::try_from(sorted.len())
            .unwrap_or(u32::MAX)
            .to_be_bytes(),
    );
    for name in sorted {
        message = message.bytes(name.as_bytes());
    }
    message.0
}

/// What an integrity check of the accounts found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tampering {
    /// Accounts whose row does not verify (edited, copied from elsewhere, or added), by name.
    pub accounts: Vec<String>,
    /// The list of accounts does not verify: an account was deleted, or added.
    pub roster_changed: bool,
}

impl Tampering {
    /// Nothing found.
    pub fn is_clean(&self) -> bool {
        self.accounts.is_empty() && !self.roster_changed
    }
}
