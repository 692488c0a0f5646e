//! The accounts against an image of the disk: a PIN hash copied out tests no guess without the
//! accounts' key, and a lockout row edited outside the station (its failure count put back to
//! zero) is refused at sign-in, raises an alarm and is audited.

use std::{num::NonZeroU32, path::Path, sync::Arc, time::Duration};

use station::desk::{Command, Counter, CounterView};

use crate::files_private::config;

const PIN: &str = "918273";

fn first_view(counter: &Counter) -> CounterView {
    counter
        .wait_for(|v| v.generation > 0, Duration::from_secs(30))
        .expect("first view")
}

/// A station with its first supervisor `chef`, signed out.
fn set_up(data_dir: &Path) -> station::config::StationConfig {
    let config = config(data_dir.to_path_buf());
    let counter = Counter::start(config.clone(), Arc::new(|| {})).expect("first start");
    assert!(first_view(&counter).needs_first_supervisor);
    counter.send(Command::CreateFirstSupervisor {
        name: "chef".into(),
        secret: PIN.into(),
    });
    counter
        .wait_for(|v| v.operator.is_some(), Duration::from_secs(30))
        .expect("signed in");
    counter.stop();
    config
}

fn accounts(config: &station::config::StationConfig) -> rusqlite::Connection {
    rusqlite::Connection::open(config.data_dir.join("operators.sqlite")).expect("accounts file")
}

/// Sign-in attempts at the counter; the view after the last.
fn try_pins(counter: &Counter, pins: &[&str]) -> CounterView {
    let mut view = None;
    for pin in pins {
        let before = counter.view().generation;
        counter.send(Command::SignIn {
            name: "chef".into(),
            secret: (*pin).into(),
        });
        view = counter.wait_for(
            |v| v.generation > before && (v.sign_in_error.is_some() || v.operator.is_some()),
            Duration::from_secs(30),
        );
    }
    view.expect("an answer")
}

#[test]
fn a_copied_pin_hash_does_not_answer_the_right_pin() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = set_up(&dir.path().join("station"));
    let (iterations, salt, hash): (u32, Vec<u8>, Vec<u8>) = accounts(&config)
        .query_row(
            "SELECT iterations, salt, hash FROM operators WHERE name = 'chef'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .expect("chef's row");
    // The offline attack on a copied row: PBKDF2 of each guess with the row's salt and count,
    // compared with the stored bytes. Even the right PIN does not match: the stored hash is keyed
    // by a secret that is not in the row.
    let rounds = NonZeroU32::new(iterations).expect("iterations");
    let guessed = ring::pbkdf2::verify(
        ring::pbkdf2::PBKDF2_HMAC_SHA256,
        rounds,
        &salt,
        PIN.as_bytes(),
        &hash,
    );
    assert!(
        guessed.is_err(),
        "the right PIN is found from the copied row alone"
    );
}

#[test]
fn an_edited_lockout_row_is_refused_raises_an_alarm_and_is_audited() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = set_up(&dir.path().join("station"));
    let counter = Counter::start(config.clone(), Arc::new(|| {})).expect("start");
    first_view(&counter);
    let view = try_pins(&counter, &["000001", "000002", "000003", "000004"]);
    assert!(view.operator.is_none());
    counter.stop();
    let failures: u32 = accounts(&config)
        .query_row(
            "SELECT failures FROM operators WHERE name = 'chef'",
            [],
            |r| r.get(0),
        )
        .expect("failures");
    assert_eq!(failures, 4, "one more wrong PIN locks the account");

    // Someone with the disk puts the count back to zero, for five more guesses.
    accounts(&config)
        .execute("UPDATE operators SET failures = 0 WHERE name = 'chef'", [])
        .expect("edited");

    let counter = Counter::start(config.clone(), Arc::new(|| {})).expect("start again");
    let view = first_view(&counter);
    assert!(
        view.alarms
            .iter()
            .any(|a| a.contains("modifiés hors de l'application") && a.contains("chef")),
        "{:?}",
        view.alarms
    );
    // Refused, even with the right PIN: the row's state cannot be trusted.
    let view = try_pins(&counter, &[PIN]);
    assert!(view.operator.is_none(), "signed in on an edited row");
    assert!(
        view.sign_in_error
            .as_deref()
            .is_some_and(|e| e.contains("modifié hors de l'application")),
        "{:?}",
        view.sign_in_error
    );
    counter.stop();
    let audited: i64 = rusqlite::Connection::open(config.data_dir.join("audit.sqlite"))
        .expect("audit file")
        .query_row(
            "SELECT count(*) FROM audit WHERE event LIKE '%accounts-tampered%chef%'",
            [],
            |r| r.get(0),
        )
        .expect("audit");
    assert!(
        audited >= 2,
        "the alarm at start and the refused sign-in are audited"
    );
}
