//! The accounts table: creating accounts, signing in, lockout, unlocking; every row and the list
//! of names authenticated by the accounts' key ([`PinKey`]), so that an edited or deleted row is
//! refused and reported instead of trusted.

use std::{
    path::Path,
    sync::{Mutex, MutexGuard},
};

use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use tracing::{info, warn};

use super::{
    LockState, LockoutPolicy, OperatorError, PinKey, Role,
    integrity::{Row, Tampering, roster_message, row_message},
    secret::{SecretHash, hash_secret, keyed, verify_secret},
};
use crate::outbox::database;

/// The schema, one entry per version (same migration code as the outbox).
pub const MIGRATIONS: &[&str] = &[
    r#"
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
"#,
    // The accounts' key: hashes keyed by it, a tag per row, and one over the list of names.
    r#"
ALTER TABLE operators ADD COLUMN keyed INTEGER NOT NULL DEFAULT 0;
ALTER TABLE operators ADD COLUMN mac BLOB;
CREATE TABLE roster (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    mac  BLOB NOT NULL
);
"#,
];

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
    key: PinKey,
}

impl Operators {
    /// The accounts database's usual place under the data directory.
    pub fn default_path(data_dir: &Path) -> std::path::PathBuf {
        data_dir.join("operators.sqlite")
    }

    /// Opens the accounts of the station `config` describes, with the key its `[identity]` names.
    pub fn open_station(
        config: &crate::config::StationConfig,
        policy: LockoutPolicy,
    ) -> Result<Self, OperatorError> {
        let key = PinKey::open(&config.identity, &config.data_dir, config.development)?;
        Self::open(&Self::default_path(&config.data_dir), policy, key)
    }

    /// Opens (or creates) the accounts database at `path`, keyed by `key`. When the key was made
    /// just now, rows from before it are moved to it: their PBKDF2 output keyed, a tag given to
    /// each and to the list. That is the only moment it can happen: at any later opening a row
    /// without a valid tag is a forgery.
    pub fn open(path: &Path, policy: LockoutPolicy, key: PinKey) -> Result<Self, OperatorError> {
        let mut conn = database::open_private(path)?;
        database::apply_pragmas(&conn)?;
        database::migrate(&mut conn, MIGRATIONS)?;
        if key.created {
            adopt(&mut conn, &key)?;
        }
        Ok(Self {
            conn: Mutex::new(conn),
            policy,
            key,
        })
    }

    /// The accounts' key, which also keys the outbox's hashes of pre-request numbers (one
    /// secret in the token, opened once: a token allows one session per application).
    pub fn key(&self) -> PinKey {
        self.key.clone()
    }

    /// The lockout rule in force.
    pub fn policy(&self) -> LockoutPolicy {
        self.policy
    }

    /// Whether no account exists yet (and none was deleted): the app shows the one-time setup
    /// screen.
    pub fn needs_first_supervisor(&self) -> Result<bool, OperatorError> {
        self.with_conn(|conn| Ok(names(conn)?.is_empty() && roster_holds(conn, &self.key)?))
    }

    /// Checks every row and the list of names against the accounts' key.
    pub fn check(&self) -> Result<Tampering, OperatorError> {
        self.with_conn(|conn| {
            let mut found = Tampering::default();
            for name in names(conn)? {
                if let Some(row) = read_raw(conn, &name)?
                    && !row_holds(&row, &self.key)?
                {
                    found.accounts.push(name);
                }
            }
            found.roster_changed = !roster_holds(conn, &self.key)?;
            Ok(found)
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
        let hashed = hash_secret(secret, name, &self.key)?;
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            if !names(&tx)?.is_empty() {
                return Err(OperatorError::AlreadySetUp);
            }
            insert(&tx, &self.key, name, Role::Supervisor, hashed, now_ms)?;
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
        let hashed = hash_secret(secret, name, &self.key)?;
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            insert(&tx, &self.key, name, role, hashed, now_ms)?;
            tx.commit()?;
            Ok(())
        })?;
        info!(operator = name, role = role.as_str(), by = %by.name, "account created");
        Ok(())
    }

    /// Signs in at `now_ms` (Unix ms). Five failures in a row (by policy) lock the account for the
    /// configured time; a success clears the count. A locked account is refused without checking the
    /// secret, so guessing cannot go on during the lock; so is a row that does not verify
    /// ([`OperatorError::Tampered`]), whatever its lock says.
    pub fn sign_in(
        &self,
        name: &str,
        secret: &str,
        now_ms: i64,
    ) -> Result<SignedIn, OperatorError> {
        // One connection guard for the whole check: two sign-ins cannot lose a failure between them.
        let conn = self.guard()?;
        let Some(mut row) = read_row(&conn, &self.key, name)? else {
            // Same work as a real check, so timing does not tell which names exist.
            let _ = hash_secret(secret, name, &self.key);
            return Err(OperatorError::WrongCredentials { attempts_left: 0 });
        };
        if row.lock.is_locked(now_ms) {
            return Err(OperatorError::Locked {
                until_ms: row.lock.locked_until_ms,
            });
        }
        if !verify_secret(secret, name, &row.stored, &self.key)? {
            let after = row.lock.after_failure(&self.policy, now_ms);
            row.lock = after;
            write_row(&conn, &self.key, &mut row)?;
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
        if row.lock != LockState::default() {
            row.lock = LockState::default();
            write_row(&conn, &self.key, &mut row)?;
        }
        info!(operator = name, role = role.as_str(), "signed in");
        Ok(SignedIn {
            name: name.to_owned(),
            role,
        })
    }

    /// Lifts a lock before it expires; only a supervisor may.
    pub fn unlock(&self, by: &SignedIn, name: &str) -> Result<(), OperatorError> {
        require_manager(by, "unlock accounts")?;
        self.update(name, |row| row.lock = LockState::default())?;
        info!(operator = name, by = %by.name, "account unlocked");
        Ok(())
    }

    /// Changes a PIN or passphrase: one's own, or anyone's for a supervisor.
    pub fn set_secret(&self, by: &SignedIn, name: &str, secret: &str) -> Result<(), OperatorError> {
        if by.name != name {
            require_manager(by, "change another account's PIN")?;
        }
        let hashed = hash_secret(secret, name, &self.key)?;
        self.update(name, |row| {
            row.stored = hashed;
            row.keyed = true;
        })?;
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
        self.update(name, |row| row.disabled = disabled)?;
        info!(operator = name, disabled, by = %by.name, "account status changed");
        Ok(())
    }

    /// The lock state of an account (for the supervisor's screen and the tests).
    pub fn lock_state(&self, name: &str) -> Result<LockState, OperatorError> {
        self.with_conn(|conn| read_row(conn, &self.key, name))?
            .map(|r| r.lock)
            .ok_or_else(|| OperatorError::NoSuchAccount(name.to_owned()))
    }

    /// Account names and roles, by name (an account whose row does not verify is left out).
    pub fn list(&self) -> Result<Vec<(String, Role)>, OperatorError> {
        self.with_conn(|conn| {
            let mut out = Vec::new();
            for name in names(conn)? {
                match read_row(conn, &self.key, &name) {
                    Ok(Some(row)) => out.push((
                        name,
                        Role::parse(&row.role).ok_or(OperatorError::BadStoredHash)?,
                    )),
                    Ok(None) | Err(OperatorError::Tampered(_)) => {}
                    Err(e) => return Err(e),
                }
            }
            Ok(out)
        })
    }

    /// Reads a verified row, changes it and writes it back with its new tag, in one transaction.
    fn update(&self, name: &str, change: impl FnOnce(&mut Row)) -> Result<(), OperatorError> {
        self.with_conn(|conn| {
            let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
            let mut row = read_row(&tx, &self.key, name)?
                .ok_or_else(|| OperatorError::NoSuchAccount(name.to_owned()))?;
            change(&mut row);
            write_row(&tx, &self.key, &mut row)?;
            tx.commit()?;
            Ok(())
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

/// Inserts a new account and tags the list again; refused if the list on disk does not verify
/// (tagging it again would hide a deleted account).
fn insert(
    conn: &Connection,
    key: &PinKey,
    name: &str,
    role: Role,
    hashed: SecretHash,
    now_ms: i64,
) -> Result<(), OperatorError> {
    if !roster_holds(conn, key)? {
        return Err(OperatorError::Tampered("(liste des comptes)".into()));
    }
    let row = Row {
        name: name.to_owned(),
        role: role.as_str().to_owned(),
        stored: hashed,
        lock: LockState::default(),
        disabled: false,
        created_at_ms: now_ms,
        keyed: true,
        mac: None,
    };
    let tag = key.mac(&row_message(&row))?;
    let result = conn.execute(
        "INSERT INTO operators (name, role, iterations, salt, hash, created_at_ms, keyed, mac)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7)",
        params![
            name,
            row.role,
            row.stored.iterations,
            row.stored.salt,
            row.stored.hash,
            now_ms,
            &tag[..]
        ],
    );
    match result {
        Ok(_) => write_roster(conn, key),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if e.code == rusqlite::ErrorCode::ConstraintViolation =>
        {
            Err(OperatorError::Exists(name.to_owned()))
        }
        Err(e) => Err(e.into()),
    }
}

fn names(conn: &Connection) -> Result<Vec<String>, OperatorError> {
    let mut stmt = conn.prepare("SELECT name FROM operators ORDER BY name")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// A row as stored, unchecked.
fn read_raw(conn: &Connection, name: &str) -> Result<Option<Row>, OperatorError> {
    Ok(conn
        .query_row(
            "SELECT role, iterations, salt, hash, failures, locked_until_ms, disabled,
                    created_at_ms, keyed, mac
             FROM operators WHERE name = ?1",
            [name],
            |r| {
                Ok(Row {
                    name: name.to_owned(),
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
                    created_at_ms: r.get(7)?,
                    keyed: r.get(8)?,
                    mac: r.get(9)?,
                })
            },
        )
        .optional()?)
}

fn row_holds(row: &Row, key: &PinKey) -> Result<bool, OperatorError> {
    match &row.mac {
        Some(tag) if row.keyed => key.verify(&row_message(row), tag),
        _ => Ok(false),
    }
}

/// A row whose tag verifies; one that does not is refused with [`OperatorError::Tampered`].
fn read_row(conn: &Connection, key: &PinKey, name: &str) -> Result<Option<Row>, OperatorError> {
    let Some(row) = read_raw(conn, name)? else {
        return Ok(None);
    };
    if row_holds(&row, key)? {
        Ok(Some(row))
    } else {
        warn!(
            operator = name,
            "account row does not verify: edited or forged"
        );
        Err(OperatorError::Tampered(name.to_owned()))
    }
}

fn write_row(conn: &Connection, key: &PinKey, row: &mut Row) -> Result<(), OperatorError> {
    let tag = key.mac(&row_message(row))?;
    conn.execute(
        "UPDATE operators SET role = ?2, iterations = ?3, salt = ?4, hash = ?5, failures = ?6,
                locked_until_ms = ?7, disabled = ?8, keyed = ?9, mac = ?10
         WHERE name = ?1",
        params![
            row.name,
            row.role,
            row.stored.iterations,
            row.stored.salt,
            row.stored.hash,
            row.lock.failures,
            row.lock.locked_until_ms,
            row.disabled,
            row.keyed,
            &tag[..]
        ],
    )?;
    row.mac = Some(tag.to_vec());
    Ok(())
}

/// Whether the list's tag matches the names in the table (no tag: only an empty table matches).
fn roster_holds(conn: &Connection, key: &PinKey) -> Result<bool, OperatorError> {
    let names = names(conn)?;
    let tag: Option<Vec<u8>> = conn
        .query_row("SELECT mac FROM roster WHERE id = 1", [], |r| r.get(0))
        .optional()?;
    match tag {
        None => Ok(names.is_empty()),
        Some(tag) => key.verify(&roster_message(&names), &tag),
    }
}

fn write_roster(conn: &Connection, key: &PinKey) -> Result<(), OperatorError> {
    let tag = key.mac(&roster_message(&names(conn)?))?;
    conn.execute(
        "INSERT INTO roster (id, mac) VALUES (1, ?1) ON CONFLICT (id) DO UPDATE SET mac = ?1",
        [&tag[..]],
    )?;
    Ok(())
}

/// Moves the rows from before the key to it, in one transaction: each hash keyed, each row and
/// the list tagged. Rows already keyed (by another key) are left as they are, and fail.
fn adopt(conn: &mut Connection, key: &PinKey) -> Result<(), OperatorError> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut adopted = 0usize;
    for name in names(&tx)? {
        let Some(mut row) = read_raw(&tx, &name)? else {
            continue;
        };
        if row.keyed {
            continue;
        }
        row.stored.hash = keyed(&name, &row.stored.hash, key)?.to_vec();
        row.keyed = true;
        write_row(&tx, key, &mut row)?;
        adopted += 1;
    }
    write_roster(&tx, key)?;
    tx.commit()?;
    if adopted > 0 {
        info!(accounts = adopted, "accounts moved to the accounts' key");
    }
    Ok(())
}
