//! Commands run as the station binary by a signed-in operator: a station's accounts (a supervisor,
//! a technician and a clerk), the PIN typed on the command's standard input, and the audit log
//! read back to see what was recorded.
#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

use std::ffi::OsStr;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use station::config::{Mode, StationConfig};
use station::operators::{LockoutPolicy, Operators, Role};

/// The supervisor's name and PIN.
pub const SUPERVISOR: (&str, &str) = ("chef", "918273");
/// A technician's name and PIN.
pub const TECHNICIAN: (&str, &str) = ("tech.dupont", "135790");
/// A clerk's name and PIN.
pub const CLERK: (&str, &str) = ("agent.martin", "246810");

/// A station configuration (data under `dir/station`, a central that is never reached) with the
/// three accounts.
pub fn station_config(dir: &Path) -> PathBuf {
    let data = dir.join("station");
    station::files::create_private_dir(&data).unwrap();
    let path = dir.join("station.toml");
    std::fs::write(
        &path,
        format!(
            "data_dir = {:?}\nstation_id = \"mairie-cli-02\"\n\n[central]\nurl = \"https://127.0.0.1:9\"\n\
             token = \"t\"\nrecord_public_key = {:?}\nreceipt_public_key = {:?}\n",
            data.display().to_string(),
            hex::encode([9u8; 32]),
            hex::encode([7u8; 32])
        ),
    )
    .unwrap();
    add_accounts(&path);
    path
}

/// Creates the three accounts on the station `config` describes.
pub fn add_accounts(config: &Path) {
    let config = StationConfig::load_in(config, Mode::Development).unwrap();
    let operators = Operators::open_station(&config, LockoutPolicy::default()).unwrap();
    let chef = operators
        .create_first_supervisor(SUPERVISOR.0, SUPERVISOR.1, 1)
        .unwrap();
    operators
        .create(&chef, TECHNICIAN.0, Role::Technician, TECHNICIAN.1, 1)
        .unwrap();
    operators
        .create(&chef, CLERK.0, Role::Clerk, CLERK.1, 1)
        .unwrap();
}

/// `--config CONFIG --operator NAME`, as owned strings.
pub fn as_operator(config: &Path, name: &str) -> Vec<String> {
    vec![
        "--config".to_owned(),
        config.display().to_string(),
        "--operator".to_owned(),
        name.to_owned(),
    ]
}

/// The station binary with `args` and the environment `env`, `pin` typed on its standard input.
pub fn run_with_pin_in(args: &[&OsStr], pin: &str, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_station"));
    // Test configurations live in temporary directories the test (and so the station) may write.
    command.env(Mode::VARIABLE, "1");
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // A command that refuses before reading its PIN closes its end: the write may fail.
    let _ = child
        .stdin
        .take()
        .unwrap()
        .write_all(format!("{pin}\n").as_bytes());
    child.wait_with_output().unwrap()
}

/// The station binary with `args`, `pin` typed on its standard input.
pub fn run_with_pin(args: &[&OsStr], pin: &str) -> Output {
    run_with_pin_in(args, pin, &[])
}

/// The station binary with string arguments, `pin` typed on its standard input.
pub fn run_str_with_pin(args: &[&str], pin: &str) -> Output {
    let args: Vec<&OsStr> = args.iter().map(OsStr::new).collect();
    run_with_pin(&args, pin)
}

/// How many entries of the audit log beside `config` (under `station/`) match the SQL `LIKE`
/// `pattern`.
pub fn audited(config: &Path, pattern: &str) -> i64 {
    let data = config.parent().unwrap().join("station");
    rusqlite::Connection::open(data.join("audit.sqlite"))
        .unwrap()
        .query_row(
            "SELECT count(*) FROM audit WHERE event LIKE ?1",
            [pattern],
            |r| r.get(0),
        )
        .unwrap()
}
