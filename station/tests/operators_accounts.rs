//! Operator accounts on a real SQLite file: hashing, first supervisor, roles, wrong PINs, lockout
//! and its expiry, unlock, disable, persistence across a restart.

use std::path::Path;

use station::operators::{
    LockoutPolicy, OperatorError, Operators, PinKey, Role, SignedIn,
    secret::{HASH_LEN, MIN_ITERATIONS, SALT_LEN, SecretHash, hash_secret, verify_secret},
};

const T0: i64 = 1_795_770_000_000;
const LOCK_MS: u64 = 60_000;

fn policy() -> LockoutPolicy {
    LockoutPolicy {
        max_failures: 5,
        lockout_ms: LOCK_MS,
    }
}

/// The development key, in a file beside the accounts (created at the first opening).
fn file_key(dir: &Path) -> PinKey {
    PinKey::from_file(&dir.join("operators.hmac")).expect("accounts' key")
}

fn open(dir: &tempfile::TempDir) -> Operators {
    Operators::open(
        &Operators::default_path(dir.path()),
        policy(),
        file_key(dir.path()),
    )
    .expect("open")
}

/// A station with a supervisor `chef` (PIN 918273) and a clerk `agent.martin` (PIN 246810).
fn set_up() -> (tempfile::TempDir, Operators, SignedIn) {
    let dir = tempfile::tempdir().expect("tempdir");
    let ops = open(&dir);
    assert!(ops.needs_first_supervisor().expect("count"));
    let chef = ops
        .create_first_supervisor("chef", "918273", T0)
        .expect("first supervisor");
    ops.create(&chef, "agent.martin", Role::Clerk, "246810", T0)
        .expect("clerk");
    (dir, ops, chef)
}

#[test]
fn hashes_are_salted_slow_keyed_and_checked() {
    let dir = tempfile::tempdir().expect("tempdir");
    let key = file_key(dir.path());
    let hash_secret = |pin: &str| hash_secret(pin, "agent.martin", &key);
    let verify_secret = |pin: &str, stored: &SecretHash| {
        verify_secret(pin, "agent.martin", stored, &key).expect("checked")
    };
    let a = hash_secret("246810").expect("hash");
    let b = hash_secret("246810").expect("hash");
    assert!(a.iterations >= 100_000 && MIN_ITERATIONS >= 100_000);
    assert_eq!((a.salt.len(), a.hash.len()), (SALT_LEN, HASH_LEN));
    assert_ne!(a.salt, b.salt, "per-account salt");
    assert_ne!(a.hash, b.hash, "same PIN, different hashes");
    assert!(verify_secret("246810", &a));
    assert!(verify_secret("246810", &b));
    for wrong in ["246811", "24681", "2468100", "", "246810 "] {
        assert!(!verify_secret(wrong, &a), "{wrong:?}");
    }
    // The same derivation with too few iterations is not trusted even when it matches.
    let mut weak = vec![0u8; HASH_LEN];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        std::num::NonZeroU32::new(1_000).expect("non-zero"),
        &a.salt,
        b"246810",
        &mut weak,
    );
    let weak = SecretHash {
        iterations: 1_000,
        salt: a.salt.clone(),
        hash: weak,
    };
    assert!(!verify_secret("246810", &weak));
    for short in ["", "12345"] {
        assert!(matches!(
            hash_secret(short),
            Err(OperatorError::WeakSecret { .. })
        ));
    }
    assert!(hash_secret(&"x".repeat(129)).is_err());
    // Bound to its account: the same bytes under another name do not verify.
    assert!(!verify_secret_for("chef", &a, &key));
    // And to the key: another key does not verify them, even with the right PIN.
    let other = tempfile::tempdir().expect("tempdir");
    assert!(!verify_with("246810", &a, &file_key(other.path())));
}

fn verify_secret_for(name: &str, stored: &SecretHash, key: &PinKey) -> bool {
    verify_secret("246810", name, stored, key).expect("checked")
}

fn verify_with(pin: &str, stored: &SecretHash, key: &PinKey) -> bool {
    verify_secret(pin, "agent.martin", stored, key).expect("checked")
}

#[test]
fn first_supervisor_only_once_and_roles_are_enforced() {
    let (dir, ops, chef) = set_up();
    assert!(!ops.needs_first_supervisor().expect("count"));
    assert!(matches!(
        ops.create_first_supervisor("intrus", "000000", T0),
        Err(OperatorError::AlreadySetUp)
    ));
    let clerk = ops.sign_in("agent.martin", "246810", T0).expect("clerk");
    assert_eq!(clerk.role, Role::Clerk);
    assert!(matches!(
        ops.create(&clerk, "autre", Role::Supervisor, "135790", T0),
        Err(OperatorError::NotAllowed { role: "clerk", .. })
    ));
    assert!(matches!(
        ops.unlock(&clerk, "chef"),
        Err(OperatorError::NotAllowed { .. })
    ));
    ops.create(&chef, "tech.dupont", Role::Technician, "135790", T0)
        .expect("technician");
    assert!(matches!(
        ops.create(&chef, "tech.dupont", Role::Clerk, "135790", T0),
        Err(OperatorError::Exists(_))
    ));
    for bad in ["", "Chef", "agent martin", "é", &"a".repeat(65)] {
        assert!(
            matches!(
                ops.create(&chef, bad, Role::Clerk, "135790", T0),
                Err(OperatorError::BadName)
            ),
            "{bad:?}"
        );
    }
    // What each role may do.
    let table = [
        (Role::Clerk, true, false, false),
        (Role::Technician, false, true, false),
        (Role::Supervisor, true, true, true),
    ];
    for (role, enrol, calibrate, manage) in table {
        assert_eq!(
            (role.may_enrol(), role.may_calibrate(), role.may_manage()),
            (enrol, calibrate, manage),
            "{role:?}"
        );
        assert_eq!(Role::parse(role.as_str()), Some(role));
    }
    let names: Vec<_> = ops.list().expect("list");
    assert_eq!(
        names,
        [
            ("agent.martin".to_owned(), Role::Clerk),
            ("chef".to_owned(), Role::Supervisor),
            ("tech.dupont".to_owned(), Role::Technician)
        ]
    );
    // The PINs are nowhere in the database files in clear.
    drop(ops);
    for entry in std::fs::read_dir(dir.path()).expect("dir") {
        let bytes = std::fs::read(entry.expect("entry").path()).expect("read");
        for pin in [&b"246810"[..], b"918273", b"135790"] {
            assert!(!bytes.windows(pin.len()).any(|w| w == pin), "PIN in clear");
        }
    }
}

#[test]
fn wrong_pins_lock_the_account_until_the_lock_expires() {
    let (_dir, ops, _chef) = set_up();
    // Unknown names get the same answer as wrong PINs.
    assert!(matches!(
        ops.sign_in("personne", "246810", T0),
        Err(OperatorError::WrongCredentials { attempts_left: 0 })
    ));
    for (i, left) in [4, 3, 2, 1].into_iter().enumerate() {
        let at = T0 + i as i64;
        assert!(
            matches!(
                ops.sign_in("agent.martin", "000000", at),
                Err(OperatorError::WrongCredentials { attempts_left }) if attempts_left == left
            ),
            "failure {}",
            i + 1
        );
    }
    let fifth = T0 + 10;
    let until = fifth + LOCK_MS as i64;
    assert!(matches!(
        ops.sign_in("agent.martin", "000000", fifth),
        Err(OperatorError::Locked { until_ms }) if until_ms == until
    ));
    // The right PIN does not open a locked account, up to the last millisecond.
    for at in [fifth + 1, until - 1] {
        assert!(matches!(
            ops.sign_in("agent.martin", "246810", at),
            Err(OperatorError::Locked { .. })
        ));
    }
    // Other accounts are not affected.
    ops.sign_in("chef", "918273", fifth).expect("chef");
    // Expired: the right PIN works and the count starts afresh.
    ops.sign_in("agent.martin", "246810", until)
        .expect("after the lock");
    assert_eq!(ops.lock_state("agent.martin").expect("state").failures, 0);
}

#[test]
fn a_success_clears_the_failures() {
    let (_dir, ops, _chef) = set_up();
    for round in 0..3 {
        for i in 0..4 {
            assert!(
                ops.sign_in("agent.martin", "999999", T0 + round * 10 + i)
                    .is_err()
            );
        }
        ops.sign_in("agent.martin", "246810", T0 + round * 10 + 5)
            .expect("fifth attempt right");
    }
}

#[test]
fn locks_survive_a_restart_and_a_supervisor_can_lift_them() {
    let (dir, ops, chef) = set_up();
    for i in 0..5 {
        let _ = ops.sign_in("agent.martin", "000000", T0 + i);
    }
    drop(ops);
    let ops = open(&dir);
    assert!(matches!(
        ops.sign_in("agent.martin", "246810", T0 + 100),
        Err(OperatorError::Locked { .. })
    ));
    ops.unlock(&chef, "agent.martin").expect("unlock");
    ops.sign_in("agent.martin", "246810", T0 + 101)
        .expect("unlocked");
    assert!(matches!(
        ops.unlock(&chef, "personne"),
        Err(OperatorError::NoSuchAccount(_))
    ));
}

#[test]
fn pins_change_and_accounts_can_be_disabled() {
    let (_dir, ops, chef) = set_up();
    let clerk = ops.sign_in("agent.martin", "246810", T0).expect("clerk");
    ops.set_secret(&clerk, "agent.martin", "nouveau-code")
        .expect("own PIN");
    assert!(ops.sign_in("agent.martin", "246810", T0).is_err());
    ops.sign_in("agent.martin", "nouveau-code", T0)
        .expect("new PIN");
    assert!(matches!(
        ops.set_secret(&clerk, "chef", "123456"),
        Err(OperatorError::NotAllowed { .. })
    ));
    ops.set_disabled(&chef, "agent.martin", true)
        .expect("disable");
    assert!(matches!(
        ops.sign_in("agent.martin", "nouveau-code", T0),
        Err(OperatorError::Disabled)
    ));
    assert!(matches!(
        ops.set_disabled(&chef, "chef", true),
        Err(OperatorError::NotAllowed { .. })
    ));
    ops.set_disabled(&chef, "agent.martin", false)
        .expect("enable");
    ops.sign_in("agent.martin", "nouveau-code", T0)
        .expect("enabled again");
}

/// An accounts file as stations wrote it before the accounts' key: schema 1, the PBKDF2 output
/// stored as it is.
fn accounts_before_the_key(dir: &Path) {
    let conn = rusqlite::Connection::open(Operators::default_path(dir)).expect("file");
    conn.execute_batch(station::operators::accounts::MIGRATIONS[0])
        .expect("schema 1");
    conn.pragma_update(None, "user_version", 1)
        .expect("version");
    let salt = [3u8; 16];
    let mut hash = [0u8; 32];
    ring::pbkdf2::derive(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        std::num::NonZeroU32::new(210_000).expect("non-zero"),
        &salt,
        b"246810",
        &mut hash,
    );
    conn.execute(
        "INSERT INTO operators (name, role, iterations, salt, hash, created_at_ms)
         VALUES ('agent.martin', 'clerk', 210000, ?1, ?2, ?3)",
        rusqlite::params![&salt[..], &hash[..], T0],
    )
    .expect("row");
}

#[test]
fn rows_from_before_the_key_move_to_it_when_it_is_made_and_only_then() {
    let dir = tempfile::tempdir().expect("tempdir");
    accounts_before_the_key(dir.path());
    // The key is made at this opening: the rows move to it.
    let ops = open(&dir);
    assert!(ops.check().expect("check").is_clean());
    ops.sign_in("agent.martin", "246810", T0)
        .expect("the same PIN after the move");
    let stored: Vec<u8> = rusqlite::Connection::open(Operators::default_path(dir.path()))
        .expect("file")
        .query_row("SELECT hash FROM operators", [], |r| r.get(0))
        .expect("hash");
    assert_ne!(stored, [0u8; 32]);
    drop(ops);

    // A row of the old kind written in once the key exists is a forgery, not a migration.
    let other = tempfile::tempdir().expect("tempdir");
    accounts_before_the_key(other.path());
    let _ = file_key(other.path());
    let ops = open(&other);
    let found = ops.check().expect("check");
    assert_eq!(found.accounts, ["agent.martin"]);
    assert!(found.roster_changed);
    assert!(matches!(
        ops.sign_in("agent.martin", "246810", T0),
        Err(OperatorError::Tampered(_))
    ));
    assert!(!ops.needs_first_supervisor().expect("count"));
}

#[test]
fn edited_added_or_deleted_rows_are_seen_and_refused() {
    let (dir, ops, chef) = set_up();
    let db = || rusqlite::Connection::open(Operators::default_path(dir.path())).expect("file");
    assert!(ops.check().expect("check").is_clean());

    // A clerk made supervisor by hand.
    db().execute(
        "UPDATE operators SET role = 'supervisor' WHERE name = 'agent.martin'",
        [],
    )
    .expect("edit");
    assert_eq!(ops.check().expect("check").accounts, ["agent.martin"]);
    assert!(matches!(
        ops.sign_in("agent.martin", "246810", T0),
        Err(OperatorError::Tampered(_))
    ));
    assert!(matches!(
        ops.lock_state("agent.martin"),
        Err(OperatorError::Tampered(_))
    ));
    assert!(ops.unlock(&chef, "agent.martin").is_err(), "not laundered");

    // The chef's row copied under another name: bound to its name, it does not verify there.
    db().execute(
        "INSERT INTO operators SELECT 'intrus', role, iterations, salt, hash, failures,
                locked_until_ms, disabled, created_at_ms, keyed, mac
         FROM operators WHERE name = 'chef'",
        [],
    )
    .expect("copy");
    let found = ops.check().expect("check");
    assert!(found.accounts.contains(&"intrus".to_owned()));
    assert!(found.roster_changed);
    assert!(matches!(
        ops.sign_in("intrus", "918273", T0),
        Err(OperatorError::Tampered(_))
    ));

    // Deleting them all does not bring back the first-supervisor screen, and no account can be
    // made on a list that does not verify.
    db().execute("DELETE FROM operators", []).expect("delete");
    assert!(ops.check().expect("check").roster_changed);
    assert!(!ops.needs_first_supervisor().expect("count"));
    assert!(matches!(
        ops.create_first_supervisor("intrus", "918273", T0),
        Err(OperatorError::Tampered(_))
    ));
}
