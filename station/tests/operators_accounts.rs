//! Operator accounts on a real SQLite file: hashing, first supervisor, roles, wrong PINs, lockout
//! and its expiry, unlock, disable, persistence across a restart.

use station::operators::{
    LockoutPolicy, OperatorError, Operators, Role, SignedIn,
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

fn open(dir: &tempfile::TempDir) -> Operators {
    Operators::open(&Operators::default_path(dir.path()), policy()).expect("open")
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
fn hashes_are_salted_slow_and_checked() {
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
