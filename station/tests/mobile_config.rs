//! `[mode]`: a mobile kit's switch and its own freeze limits are settings checked at load, each
//! refusal naming its key, and the freeze rule applies the kit's limits only on a kit.

use station::config::{Mode, StationConfig};
use station::outbox::{FreezeLimits, Frozen, OutboxStatus};

use crate::cli_station::config_text;

fn load(extra: &str) -> Result<StationConfig, String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("station.toml");
    let text = format!(
        "{}\n{extra}",
        config_text(std::path::Path::new("/tmp/station-data"), "")
    );
    std::fs::write(&path, text).expect("write");
    StationConfig::load_in(&path, Mode::Development).map_err(|e| e.to_string())
}

fn waiting(records: u64, oldest_hours_ago: u64, now_ms: i64) -> OutboxStatus {
    OutboxStatus {
        queued: records,
        oldest_unacknowledged_ms: Some(now_ms - (oldest_hours_ago * 3600 * 1000) as i64),
        ..OutboxStatus::default()
    }
}

#[test]
fn a_counter_station_keeps_the_counter_limits() {
    let config = load("").expect("loads");
    assert!(!config.mode.mobile);
    assert_eq!(config.freeze_limits(), FreezeLimits::default());
}

#[test]
fn a_mobile_kit_has_its_own_freeze_limits() {
    let config =
        load("[mode]\nmobile = true\nmobile_max_waiting = 400\nmobile_max_age_hours = 120\n")
            .expect("loads");
    assert!(config.mode.mobile);
    let limits = config.freeze_limits();
    assert_eq!(limits.max_backlog, 400);
    assert_eq!(limits.max_unacknowledged_hours, 120);
    let now = 1_800_000_000_000;
    // A day away: 250 records, the first sealed 80 h ago. The counter's rule (200, 72 h) freezes,
    // the kit's does not.
    let day_away = waiting(250, 80, now);
    assert!(matches!(
        FreezeLimits::default().check(&day_away, now),
        Err(Frozen::Backlog { .. })
    ));
    assert_eq!(limits.check(&day_away, now), Ok(()));
    // The kit's own limits still stop a kit that never came back.
    assert!(matches!(
        limits.check(&waiting(401, 1, now), now),
        Err(Frozen::Backlog { limit: 400, .. })
    ));
    assert!(matches!(
        limits.check(&waiting(3, 121, now), now),
        Err(Frozen::TooOld { limit: 120, .. })
    ));
    // The defaults, without the two limits written.
    let config = load("[mode]\nmobile = true\n").expect("loads");
    assert_eq!(config.freeze_limits().max_backlog, 300);
    assert_eq!(config.freeze_limits().max_unacknowledged_hours, 96);
}

#[test]
fn a_bad_mobile_setting_is_refused_naming_its_key() {
    for (extra, key) in [
        ("mobile_max_waiting = 0", "mode.mobile_max_waiting"),
        ("mobile_max_waiting = 100000", "mode.mobile_max_waiting"),
        ("mobile_max_age_hours = 0", "mode.mobile_max_age_hours"),
        ("mobile_max_age_hours = 2000", "mode.mobile_max_age_hours"),
        ("mobile = \"oui\"", "mobile"),
        ("mobile_max_waiting = -3", "mobile_max_waiting"),
        ("mobil = true", "mobil"),
    ] {
        let message = load(
            &format!("[mode]\nmobile = true\n{extra}\n")
                .replace("mobile = true\nmobile = \"oui\"", "mobile = \"oui\""),
        )
        .expect_err(extra);
        assert!(message.contains(key), "{extra}: {message}");
    }
}
