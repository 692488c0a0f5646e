//! Lockout after repeated failed sign-ins (5 failures, then locked for a configured time;
//! docs/reference/counter-workflow.md: MOSIP locks operators out after failed logins).

use serde::{Deserialize, Serialize};

/// Failures allowed before an account is locked.
pub const DEFAULT_MAX_FAILURES: u32 = 5;
/// How long a locked account stays locked by default: 15 minutes, the station's default idle
/// sign-out time (`idle_sign_out_min`) and MOSIP's 900 s (docs/reference/counter-workflow.md).
pub const DEFAULT_LOCKOUT_MS: u64 = 15 * 60 * 1000;

/// The lockout rule, from the station's configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct LockoutPolicy {
    /// Consecutive failures that lock the account.
    pub max_failures: u32,
    /// How long the lock lasts, in milliseconds.
    pub lockout_ms: u64,
}

impl Default for LockoutPolicy {
    fn default() -> Self {
        Self {
            max_failures: DEFAULT_MAX_FAILURES,
            lockout_ms: DEFAULT_LOCKOUT_MS,
        }
    }
}

/// An account's failure count and lock, as stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LockState {
    /// Consecutive failures since the last success or lock.
    pub failures: u32,
    /// Unix milliseconds until which the account is locked (0: not locked).
    pub locked_until_ms: i64,
}

impl LockState {
    /// Whether the account is locked at `now_ms`.
    pub fn is_locked(&self, now_ms: i64) -> bool {
        now_ms < self.locked_until_ms
    }

    /// The state after a failed attempt at `now_ms`: one more failure, and a lock (with the count
    /// reset) when the policy's limit is reached.
    pub fn after_failure(self, policy: &LockoutPolicy, now_ms: i64) -> Self {
        let failures = self.failures.saturating_add(1);
        if failures >= policy.max_failures.max(1) {
            let lock = i64::try_from(policy.lockout_ms).unwrap_or(i64::MAX);
            Self {
                failures: 0,
                locked_until_ms: now_ms.saturating_add(lock),
            }
        } else {
            Self {
                failures,
                locked_until_ms: self.locked_until_ms,
            }
        }
    }
}
