//! A station configuration in a temporary directory for running the `station` binary as a process:
//! no devices, a central address nothing answers at, the golden central keys.

use std::{
    path::{Path, PathBuf},
    process::Command,
};

use wire::golden;

/// A configuration file and its data directory, removed on drop.
pub struct CliStation {
    /// The temporary directory holding both.
    pub dir: tempfile::TempDir,
    /// The configuration file.
    pub config: PathBuf,
}

impl CliStation {
    /// A valid configuration (`extra` appended to it as TOML).
    pub fn new(extra: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let config = dir.path().join("station.toml");
        std::fs::write(&config, config_text(&dir.path().join("data"), extra)).expect("write");
        Self { dir, config }
    }

    /// The data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// The outbox file.
    pub fn outbox_path(&self) -> PathBuf {
        self.data_dir().join("outbox.sqlite")
    }

    /// `station ARGS…` in development mode, not yet run.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_station"));
        // Test configurations live in temporary directories the test (and so the station) may write.
        command.env(station::config::Mode::VARIABLE, "1").args(args);
        command
    }

    /// `station outbox --config FILE SUBCOMMAND`.
    pub fn outbox(&self, subcommand: &str) -> Command {
        let mut command = self.command(&["outbox", "--config"]);
        command.arg(&self.config).arg(subcommand);
        command
    }
}

/// The text of a valid configuration whose data directory is `data_dir`, then `extra`.
pub fn config_text(data_dir: &Path, extra: &str) -> String {
    format!(
        "data_dir = {data_dir:?}\nstation_id = \"mairie-test-01\"\n\n[central]\nurl = \"https://127.0.0.1:9\"\nrecord_public_key = \"{}\"\nreceipt_public_key = \"{}\"\n{extra}",
        golden::CENTRAL_RECORD_PUBLIC_KEY,
        golden::RECEIPT_PUBLIC_KEY,
    )
}
