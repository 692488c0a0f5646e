//! The accounts table: creating accounts, signing in, lockout, unlocking.

use std::{
    path::Path,
    sync::{Mutex, MutexGuard},
};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tracing::{info, warn};

use super::{
    LockState, LockoutPolicy, OperatorError, Role,
    secret::{SecretHash, hash_secret, verify_secret},
};
use crate::outbox::database;

/// The schema, one entry per version (same migration code as the outbox).
pub const MIGRATIONS: &[&str] = &[r#"
CREATE TABLE operators (
    name             TEXT PRIMARY KEY,
    role             TEXT NOT NULL CHECK (role IN ('clerk', 'technician', 'supervisor')),
    iterations       INTEGER NOT NULL CHECK (iterations >= 100000),
    salt             BLOB NOT NULL,
    hash             BLOB NOT NULL,
    failures         INTEGER NOT NULL DEFAULT 0,
    locked_until_ms  INTEGER NOT NULL DEFAULT 0,
    disabled         INTEGER NOT NULL DEFAULT 0,
    created_at_ms    INTEGER NOT NULL
);
"#];

/// Someone signed in: the name and role every later action is checked and audited against.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedIn {
    /// Account name.
    pub name: String,
    /// Its role.
    pub role: Role,
}

/// The station's operator accounts.
#[derive(Debug)]
pub struct Operators {
    conn: Mutex<Connection>,
    policy: LockoutPolicy,
}

struct Row {
    role: String,
    stored: SecretHash,
    lock: LockState,
    disabled: bool,
}

impl Operators {
    /// The accounts database's usual place under the data directory.
    pub fn default_path(data_dir: &Path) -> std::path::PathBuf {
        data_dir.join("operators.sqlite")
    }

    /// Opens (or creates) the accounts database at `path`.
    pub fn open(path: &Path, policy: LockoutPolicy) -> Result<Self, OperatorError> {
        let mut conn = database::open_private(path)?;
        database::apply_pragmas(&conn)?;
        database::migrate(&mut conn, MIGRATIONS)?;
        Ok(Self {
            conn: Mutex::new(conn),
            policy,
        })
    }

    /// The lockout rule in force.
    pub fn policy(&self) -> LockoutPolicy {
        self.policy
    }

    /// Whether no account exists yet: the app shows the one-time setup screen.
    pub fn needs_first_supervisor(&self) -> Result<bool, OperatorError> {
        self.with_conn(|conn| {
            let count: i64 = conn.query_row("SELECT count(*) FROM operators", [], |r| r.get(0))?;
            Ok(count == 0)
        })
    }

    /// Creates the first supervisor; refused once any account exists.
    pub fn create_first_supervisor(
        &self,
        name: &str,
        secret: &str,
        now_ms: i64,
    ) -> Result<SignedIn, OperatorError> {
        check_name(name)?;
        let hashed = hash_secret(secret)?;
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let count: i64 = tx.query_row("SELECT count(*) FROM operators", [], |r| r.get(0))?;
            if count != 0 {
                return Err(OperatorError::AlreadySetUp);
            }
            insert(&tx, name, Role::Supervisor, &hashed, now_ms)?;
            tx.commit()?;
            Ok(())
        })?;
        info!(operator = name, "first supervisor created");
        Ok(SignedIn {
            name: name.to_owned(),
            role: Role::Supervisor,
        })
    }

    /// Creates an account; only a supervisor may.
    pub fn create(
        &self,
        by: &SignedIn,
        name: &str,
        role: Role,
        secret: &str,
        now_ms: i64,
    ) -> Result<(), OperatorError> {
        require_manager(by, "create accounts")?;
        check_name(name)?;
        let hashed = hash_secret(secret)?;
        self.with_conn(|conn| insert(conn, name, role, &hashed, now_ms))?;
        info!(operator = name, role = role.as_str(), by = %by.name, "account created");
        Ok(())
    }

    /// Signs in at `now_ms` (Unix ms). Five failures in a row (by policy) lock the account for the
    /// configured time; a success clears the count. A locked account is refused without checking the
    /// secret, so guessing cannot go on during the lock.
    pub fn sign_in(
        &self,
        name: &str,
        secret: &str,
        now_ms: i64,
    ) -> Result<SignedIn, OperatorError> {
        // One connection guard for the whole check: two sign-ins cannot lose a failure between them.
        let conn = self.guard()?;
        let Some(row) = read_row(&conn, name)? else {
            // Same work as a real check, so timing does not tell which names exist.
            let _ = hash_secret(secret);
            return Err(OperatorError::WrongCredentials { attempts_left: 0 });
        };
        if row.lock.is_locked(now_ms) {
            return Err(OperatorError::Locked {
                until_ms: row.lock.locked_until_ms,
            });
        }
        if !verify_secret(secret, &row.stored) {
            let after = row.lock.after_failure(&self.policy, now_ms);
            write_lock(&conn, name, after)?;
            if after.is_locked(now_ms) {
                warn!(
                    operator = name,
                    until_ms = after.locked_until_ms,
                    "account locked"
                );
                return Err(OperatorError::Locked {
                    until_ms: after.locked_until_ms,
                });
            }
            warn!(
                operator = name,
                failures = after.failures,
                "sign-in refused"
            );
            return Err(OperatorError::WrongCredentials {
                attempts_left: self.policy.max_failures.saturating_sub(after.failures),
            });
        }
        if row.disabled {
            return Err(OperatorError::Disabled);
        }
        let role = Role::parse(&row.role).ok_or(OperatorError::BadStoredHash)?;
        write_lock(&conn, name, LockState::default())?;
        info!(operator = name, role = role.as_str(), "signed in");
        Ok(SignedIn {
            name: name.to_owned(),
            role,
        })
    }

    /// Lifts a lock before it expires; only a supervisor may.
    pub fn unlock(&self, by: &SignedIn, name: &str) -> Result<(), OperatorError> {
        require_manager(by, "unlock accounts")?;
        let changed = self.with_conn(|conn| {
            Ok(conn.execute(
                "UPDATE operators SET failures = 0, locked_until_ms = 0 WHERE name = ?1",
                [name],
            )?)
        })?;
        if changed == 0 {
            return Err(OperatorError::NoSuchAccount(name.to_owned()));
        }
        info!(operator = name, by = %by.name, "account unlocked");
        Ok(())
    }

    /// Changes a PIN or passphrase: one's own, or anyone's for a supervisor.
    pub fn set_secret(&self, by: &SignedIn, name: &str, secret: &str) -> Result<(), OperatorError> {
        if by.name != name {
            require_manager(by, "change another account's PIN")?;
        }
        let hashed = hash_secret(secret)?;
        let changed = self.with_conn(|conn| {
            Ok(conn.execute(
                "UPDATE operators SET iterations = ?2, salt = ?3, hash = ?4 WHERE name = ?1",
                params![name, hashed.iterations, hashed.salt, hashed.hash],
            )?)
        })?;
        if changed == 0 {
            return Err(OperatorError::NoSuchAccount(name.to_owned()));
        }
        info!(operator = name, by = %by.name, "PIN changed");
        Ok(())
    }

    /// Disables or re-enables an account; only a supervisor may, and not their own.
    pub fn set_disabled(
        &self,
        by: &SignedIn,
        name: &str,
        disabled: bool,
    ) -> Result<(), OperatorError> {
        require_manager(by, "disable accounts")?;
        if by.name == name {
            return Err(OperatorError::NotAllowed {
                role: by.role.as_str(),
                action: "disable their own account",
            });
        }
        let changed = self.with_conn(|conn| {
            Ok(conn.execute(
                "UPDATE operators SET disabled = ?2 WHERE name = ?1",
                params![name, disabled],
            )?)
        })?;
        if changed == 0 {
            return Err(OperatorError::NoSuchAccount(name.to_owned()));
        }
        info!(operator = name, disabled, by = %by.name, "account status changed");
        Ok(())
    }

    /// The lock state of an account (for the supervisor's screen and the tests).
    pub fn lock_state(&self, name: &str) -> Result<LockState, OperatorError> {
        self.with_conn(|conn| read_row(conn, name))?
            .map(|r| r.lock)
            .ok_or_else(|| OperatorError::NoSuchAccount(name.to_owned()))
    }

    /// Account names and roles, by name.
    pub fn list(&self) -> Result<Vec<(String, Role)>, OperatorError> {
        self.with_conn(|conn| {
            let mut stmt = conn.prepare("SELECT name, role FROM operators ORDER BY name")?;
            let rows =
                stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))?;
            let mut out = Vec::new();
            for row in rows {
                let (name, role) = row?;
                out.push((
                    name,
                    Role::parse(&role).ok_or(OperatorError::BadStoredHash)?,
                ));
            }
            Ok(out)
        })
    }

    fn guard(&self) -> Result<MutexGuard<'_, Connection>, OperatorError> {
        self.conn
            .lock()
            .map_err(|_| OperatorError::Database(crate::outbox::OutboxError::Poisoned))
    }

    fn with_conn<T>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, OperatorError>,
    ) -> Result<T, OperatorError> {
        let mut conn = self.guard()?;
        f(&mut conn)
    }
}

fn require_manager(by: &SignedIn, action: &'static str) -> Result<(), OperatorError> {
    if by.role.may_manage() {
        Ok(())
    } else {
        Err(OperatorError::NotAllowed {
            role: by.role.as_str(),
            action,
        })
    }
}

fn check_name(name: &str) -> Result<(), OperatorError> {
    let ok = (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"._-".contains(&b));
    if ok {
        Ok(())
    } else {
        Err(OperatorError::BadName)
    }
}

fn insert(
    conn: &Connection,
    name: &str,
    role: Role,
    hashed: &SecretHash,
    now_ms: i64,
) -> Result<(), OperatorError> {
    let result = conn.execute(
        "INSERT INTO operators (name, role, iterations, salt, hash, created_at_ms)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            name,
            role.as_str(),
            hashed.iterations,
            hashed.salt,
            hashed.hash,
            now_ms
        ],
    );
    match result {
        Ok(_) => Ok(()),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Err(OperatorError::Exists(name.to_owned()))
        }
        Err(e) => Err(e.into()),
    }
}

fn read_row(conn: &Connection, name: &str) -> Result<Option<Row>, OperatorError> {
    Ok(conn
        .query_row(
            "SELECT role, iterations, salt, hash, failures, locked_until_ms, disabled
             FROM operators WHERE name = ?1",
            [name],
            |r| {
                Ok(Row {
                    role: r.get(0)?,
                    stored: SecretHash {
                        iterations: r.get(1)?,
                        salt: r.get(2)?,
                        hash: r.get(3)?,
                    },
                    lock: LockState {
                        failures: r.get(4)?,
                        locked_until_ms: r.get(5)?,
                    },
                    disabled: r.get(6)?,
                })
            },
        )
        .optional()?)
}

fn write_lock(conn: &Connection, name: &str, lock: LockState) -> Result<(), OperatorError> {
    conn.execute(
        "UPDATE operators SET failures = ?2, locked_until_ms = ?3 WHERE name = ?1",
        params![name, lock.failures, lock.locked_until_ms],
    )?;
    Ok(())
}
