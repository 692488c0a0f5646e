//! The fields of an audit event that name a citizen's file (a pre-request number, the record a
//! command was run for), and how the chain covers them: an entry that holds any is written with a
//! random salt, and its hash covers each such value as SHA-256(salt ‖ field ‖ value), not the
//! value. Once the retention is over the values are replaced by those hashes and the salt is
//! deleted: the entry's hash is unchanged (the chain and the signed checkpoints still verify),
//! and without the salt the hashes say nothing of the numbers they came from.

use ring::{
    digest::{SHA256, digest},
    rand::{SecureRandom, SystemRandom},
};
use serde_json::Value;

/// The event fields that are personal data.
pub const PERSONAL_FIELDS: &[&str] = &["pre_request", "record"];

/// Bytes of a salt.
pub const SALT_LENGTH: usize = 16;

/// What a forgotten value starts with.
pub const FORGOTTEN_PREFIX: &str = "sha256:";

/// Whether `event_json` holds a personal value still in clear.
pub fn holds_personal(event_json: &str) -> bool {
    let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(event_json) else {
        return false;
    };
    PERSONAL_FIELDS.iter().any(|name| {
        matches!(fields.get(*name), Some(Value::String(value)) if !value.starts_with(FORGOTTEN_PREFIX))
    })
}

/// A fresh random salt, or `None` if the system has no randomness (the entry is then chained on
/// its clear values, as entries from before salts were).
pub fn new_salt() -> Option<[u8; SALT_LENGTH]> {
    let mut salt = [0u8; SALT_LENGTH];
    SystemRandom::new().fill(&mut salt).ok()?;
    Some(salt)
}

/// The event as the chain covers it: with a salt, each personal value replaced by its salted
/// hash; without one (an entry that has none, or whose values are already forgotten), the event
/// as stored.
pub fn chained_form(event_json: &str, salt: Option<&[u8]>) -> String {
    let Some(salt) = salt else {
        return event_json.to_owned();
    };
    let Ok(Value::Object(mut fields)) = serde_json::from_str::<Value>(event_json) else {
        // Not an object: nothing personal to hide; the hash covers it as it is.
        return event_json.to_owned();
    };
    for name in PERSONAL_FIELDS {
        if let Some(Value::String(value)) = fields.get_mut(*name) {
            let mut message = salt.to_vec();
            message.extend_from_slice(name.as_bytes());
            message.push(0);
            message.extend_from_slice(value.as_bytes());
            *value = format!(
                "{FORGOTTEN_PREFIX}{}",
                hex::encode(digest(&SHA256, &message))
            );
        }
    }
    Value::Object(fields).to_string()
}
