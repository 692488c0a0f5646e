//! The station's files at rest: what a start creates is private (the data directory 0700, every
//! file 0600, SQLite's -wal and -shm included); a looser mode stops the next start naming the file;
//! a configuration the station's own user may rewrite is refused outside development.

use std::{os::unix::fs::PermissionsExt, sync::Arc, time::Duration};

use station::{
    config::{CentralSettings, ConfigError, DeviceSettings, Mode, StationConfig},
    desk::{Counter, CounterError},
    files::{ConfigTrustError, FileModeError, check_data_dir},
};

/// A station with no device and a central never reached, in development mode.
pub(crate) fn config(data_dir: std::path::PathBuf) -> StationConfig {
    StationConfig {
        data_dir,
        station_id: "mairie-test-01-p1".into(),
        identity: Default::default(),
        central: CentralSettings {
            url: "https://127.0.0.1:9".into(),
            token: "t".into(),
            record_public_key: hex::encode([9u8; 32]),
            receipt_public_key: hex::encode([7u8; 32]),
        },
        freeze: Default::default(),
        uploader: Default::default(),
        http: Default::default(),
        devices: DeviceSettings {
            fingerprint: None,
            camera: None,
            auto_discover: false,
        },
        counter: Default::default(),
        ui: Default::default(),
        technician: Default::default(),
        printer: Default::default(),
        retention: Default::default(),
        mode: Default::default(),
        file: None,
        development: true,
    }
}

fn start_and_stop(config: &StationConfig) -> Result<(), CounterError> {
    let counter = Counter::start(config.clone(), Arc::new(|| {}))?;
    counter.wait_for(|v| v.generation > 0, Duration::from_secs(30));
    counter.stop();
    Ok(())
}

#[test]
fn a_start_creates_only_private_files_and_a_loose_one_stops_the_next_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let config = config(dir.path().join("station"));
    start_and_stop(&config).expect("a first start");
    let mode =
        |p: &std::path::Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
    assert_eq!(mode(&config.data_dir), 0o700);
    for name in [
        "outbox.sqlite",
        "operators.sqlite",
        "audit.sqlite",
        "counter.sqlite",
    ] {
        assert_eq!(mode(&config.data_dir.join(name)), 0o600, "{name}");
    }
    // Every file, the journals and the key included.
    check_data_dir(&config.data_dir).expect("everything private");
    start_and_stop(&config).expect("a second start on private files");

    let loose = config.data_dir.join("outbox.sqlite");
    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    match start_and_stop(&config) {
        Err(CounterError::Files(FileModeError::Loose { path, mode, .. })) => {
            assert_eq!((path, mode), (loose.clone(), 0o644));
        }
        other => panic!("a loose file must stop the station: {other:?}"),
    }
    let message = start_and_stop(&config)
        .expect_err("still loose")
        .to_string();
    assert!(message.contains(&loose.display().to_string()), "{message}");

    std::fs::set_permissions(&loose, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    std::fs::set_permissions(&config.data_dir, std::fs::Permissions::from_mode(0o755))
        .expect("chmod");
    assert!(matches!(
        start_and_stop(&config),
        Err(CounterError::Files(FileModeError::Loose { path, .. })) if path == config.data_dir
    ));
}

#[test]
fn a_configuration_the_station_may_write_is_refused_in_production() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("station.toml");
    std::fs::write(&file, config(dir.path().join("station")).to_toml()).expect("written");
    // The tests run as the user who wrote the file (root on CI): it is writable, so refused...
    match StationConfig::load_in(&file, Mode::Production) {
        Err(ConfigError::Writable(ConfigTrustError::Writable { path })) => {
            assert_eq!(path, file);
        }
        other => panic!("a writable configuration must be refused: {other:?}"),
    }
    // ...even read-only, while its directory lets the station replace it.
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).expect("chmod");
    let refused = StationConfig::load_in(&file, Mode::Production);
    assert!(
        matches!(refused, Err(ConfigError::Writable(_))),
        "{refused:?}"
    );
    // Development mode reads it, and says so.
    let loaded = StationConfig::load_in(&file, Mode::Development).expect("development");
    assert!(loaded.development);
}
