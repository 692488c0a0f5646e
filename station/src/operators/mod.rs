//! Operator accounts: clerks, technicians and supervisors, with PIN or passphrase hashed by PBKDF2
//! and keyed by a secret in the station's token, lockout after repeated failures, every row
//! authenticated by the same secret, and the first supervisor created at first start.
//!
//! Stored in their own SQLite file next to the outbox, opened with the outbox's pragma and migration
//! code (`outbox::database`), so both get the same durability and privacy settings.

pub mod accounts;
pub mod integrity;
pub mod lockout;
pub mod pin;
pub mod pin_key;
pub mod role;
pub mod secret;

pub use accounts::{Operators, SignedIn};
pub use integrity::Tampering;
pub use lockout::{LockState, LockoutPolicy};
pub use pin::Pin;
pub use pin_key::PinKey;
pub use role::Role;

use crate::outbox::OutboxError;

/// Why an account operation failed. Wrong name and wrong secret are the same error on purpose.
#[derive(Debug, thiserror::Error)]
pub enum OperatorError {
    /// The database could not be opened, migrated or used.
    #[error("operators database: {0}")]
    Database(#[from] OutboxError),
    /// Unknown account or wrong PIN/passphrase.
    #[error("unknown account or wrong PIN")]
    WrongCredentials {
        /// Attempts left before the account is locked (0 when the name is unknown).
        attempts_left: u32,
    },
    /// Too many failures: locked until the given time.
    #[error("account locked until {until_ms} (Unix ms)")]
    Locked {
        /// Unix milliseconds.
        until_ms: i64,
    },
    /// The account is disabled.
    #[error("account disabled")]
    Disabled,
    /// The operator signed in may not do this.
    #[error("a {role} may not {action}")]
    NotAllowed {
        /// The operator's role.
        role: &'static str,
        /// What was attempted.
        action: &'static str,
    },
    /// The first supervisor already exists.
    #[error("the station is already set up")]
    AlreadySetUp,
    /// An account with this name exists.
    #[error("account {0} already exists")]
    Exists(String),
    /// No account with this name.
    #[error("no account {0}")]
    NoSuchAccount(String),
    /// The name is not 1..=64 of `a-z 0-9 . _ -`.
    #[error("account names are 1 to 64 of a-z, 0-9, '.', '_', '-'")]
    BadName,
    /// The PIN or passphrase is too short or too long.
    #[error("PIN or passphrase must be {min} to {max} characters")]
    WeakSecret {
        /// Fewest characters.
        min: usize,
        /// Most characters.
        max: usize,
    },
    /// The system random generator failed.
    #[error("system random generator failed")]
    Random,
    /// A stored hash is unusable (zero iterations, wrong sizes).
    #[error("stored hash is unusable")]
    BadStoredHash,
    /// The accounts' key (in the token, or the development file) could not be opened or used.
    #[error("accounts' key: {0}")]
    Key(String),
    /// An account row, or the list of accounts, does not verify with the accounts' key: it was
    /// edited (a failure count reset, a lock lifted, a role raised), added or deleted outside the
    /// station.
    #[error("account {0} was changed outside the station (it does not verify)")]
    Tampered(String),
}

impl From<rusqlite::Error> for OperatorError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Database(OutboxError::Sqlite(e))
    }
}
