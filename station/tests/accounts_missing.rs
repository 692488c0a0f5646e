//! A station already set up whose accounts file disappears (or is emptied) raises an alarm at the
//! next start instead of offering the one-time setup, which would let anyone who can delete a file
//! make themselves supervisor.

use std::{sync::Arc, time::Duration};

use station::desk::{Command, Counter, CounterView};

use crate::files_private::config;

fn first_view(counter: &Counter) -> CounterView {
    counter
        .wait_for(|v| v.generation > 0, Duration::from_secs(30))
        .expect("first view")
}

#[test]
fn lost_accounts_on_a_station_set_up_are_an_alarm_not_a_first_start() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config(dir.path().join("station"));
    let counter = Counter::start(config.clone(), Arc::new(|| {})).expect("first start");
    assert!(first_view(&counter).needs_first_supervisor);
    counter.send(Command::CreateFirstSupervisor {
        name: "chef".into(),
        secret: "1234-abcd".into(),
    });
    counter
        .wait_for(|v| v.operator.is_some(), Duration::from_secs(30))
        .expect("signed in");
    counter.stop();

    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(config.data_dir.join(format!("operators.sqlite{suffix}")));
    }
    for _ in 0..2 {
        // Twice: the second start finds an empty accounts file, not a missing one.
        let counter = Counter::start(config.clone(), Arc::new(|| {})).expect("start");
        let view = first_view(&counter);
        assert!(!view.needs_first_supervisor, "no setup screen is offered");
        assert!(view.accounts_lost);
        assert!(
            view.alarms.iter().any(|a| a.contains("comptes des agents")),
            "{:?}",
            view.alarms
        );
        counter.send(Command::CreateFirstSupervisor {
            name: "intrus".into(),
            secret: "1234-abcd".into(),
        });
        let refused = counter
            .wait_for(|v| v.sign_in_error.is_some(), Duration::from_secs(30))
            .expect("refused");
        assert!(refused.operator.is_none());
        counter.stop();
    }
}
