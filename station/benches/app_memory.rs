//! Memory of the clerk's app with 10,000 records waiting in the outbox (goal: RSS ≤ 150 MB).
//!
//! Each phase runs in a child process (this bench re-executes itself with `--phase`), so each
//! starts with a fresh heap:
//! - baseline: a station with an empty outbox — the real counter core and the app (egui_kittest,
//!   no GPU, as `frame_time.rs` drives it) signed in, rendering home then the queue screen (F3);
//! - queued: the same with 10,000 sealed records queued (two 256x288 finger images and a portrait
//!   each, as `station-demo enrol-test --with-face` seals them), the central stopped so they stay queued.
//!
//! Prints VmRSS and VmHWM (`/proc/self/status`) of each phase and the ratio queued/baseline.
//! The records are sealed once per run into a temporary folder; with `APP_MEMORY_DIR=DIR` they are
//! kept in DIR (and reused when already there), e.g. for measuring the real `station app` on them
//! (`DIR/queued/station.toml`, see scripts/measure-memory.sh).
//!
//! `cargo bench -p station --bench app_memory` (`APP_MEMORY_RECORDS=N` to change the 10,000)

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::{
    path::{Path, PathBuf},
    process::Command as Process,
    sync::Arc,
    time::{Duration, Instant},
};

use central::{Central, CentralConfig};
use eframe::egui;
use egui_kittest::Harness;
use station::{
    config::StationConfig,
    desk::{Command, Counter, CounterView},
    outbox::Outbox,
    seal::{Sealer, now_rfc3339},
    ui::{AppSettings, StationApp},
};
use station_demo::{local_station, sample_record::sample_payload};

const SUPERVISOR: &str = "chef";
const SECRET: &str = "1234-abcd";
const WAIT: Duration = Duration::from_secs(120);
const FRAMES_PER_SCREEN: usize = 100;
/// The goal for the queued phase (RSS, MB).
const GOAL_MB: f64 = 150.0;

/// `VmRSS` and `VmHWM` of this process, in KiB.
fn memory_kib() -> (u64, u64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap();
    let field = |name: &str| {
        status
            .lines()
            .find_map(|l| l.strip_prefix(name))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
            .unwrap_or(0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// Provisions a station in `dir/NAME` against `central`, with no devices, and writes its
/// `station.toml`; seals and queues `records` records into its outbox.
fn make_station(root: &Path, name: &str, central: &central::RunningCentral, records: u64) {
    let dir = root.join(name);
    let mut config = local_station::provision(&dir.join("data"), central).unwrap();
    config.devices.auto_discover = false;
    let sealer = Sealer {
        signer: config.signer().unwrap(),
        central: config.central_keys().unwrap(),
        station_id: config.station_id.clone(),
    };
    let outbox = Outbox::open(&config.outbox_path()).unwrap();
    let started = Instant::now();
    for index in 0..records {
        let number = format!("CR{index:08}");
        let record_id = uuid::Uuid::new_v4().to_string();
        let payload = sample_payload(
            &record_id,
            &config.station_id,
            &number,
            &now_rfc3339(),
            index,
            true,
        )
        .unwrap();
        let sealed = sealer.seal(&payload).unwrap();
        drop(payload);
        outbox.enqueue(&sealed, Some(&number)).unwrap();
    }
    if records > 0 {
        println!(
            "sealed and queued {records} records in {:.1} s",
            started.elapsed().as_secs_f64()
        );
    }
    std::fs::write(dir.join("station.toml"), config.to_toml()).unwrap();
}

/// Fills `root` once: an empty station and one with `records` queued, the central then stopped.
fn fill(root: &Path, records: u64) {
    let done = root.join("filled");
    if std::fs::read_to_string(&done).ok().as_deref() == Some(&records.to_string()) {
        println!("reusing the stations in {}", root.display());
        return;
    }
    let central = Central::start(CentralConfig::new(root.join("central"))).unwrap();
    make_station(root, "empty", &central, 0);
    make_station(root, "queued", &central, records);
    // The central is stopped: its address no longer answers, so the records stay queued.
    central.stop();
    std::fs::write(done, records.to_string()).unwrap();
}

fn until<S>(
    h: &mut Harness<'_, S>,
    counter: &Counter,
    what: &str,
    ready: impl Fn(&CounterView) -> bool,
) {
    let deadline = Instant::now() + WAIT;
    while !ready(&counter.view()) {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        h.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    h.run_steps(2);
}

fn frames<S>(h: &mut Harness<'_, S>, n: usize) {
    for _ in 0..n {
        h.step();
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// One phase, in this (child) process: the core and the app on `config`, signed in, home then
/// queue; prints `phase NAME rss_kib=… hwm_kib=… queued=…`.
fn phase(name: &str, config_path: &Path) {
    let config = StationConfig::load_in(config_path, station::config::Mode::Development).unwrap();
    let counter = Arc::new(Counter::start(config.clone(), Arc::new(|| {})).unwrap());
    let settings = AppSettings {
        idle_sign_out: Duration::from_secs(3600),
        ..AppSettings::from_config(&config)
    };
    let app = StationApp::new(Arc::clone(&counter), settings, Instant::now());
    let mut h = Harness::builder()
        .with_size([1280.0, 1000.0])
        .with_step_dt(1.0 / 60.0)
        .build_ui_state(|ui, app: &mut StationApp| app.show(ui), app);
    h.run_steps(2);
    // The first run creates the supervisor; a later run on a kept folder signs in with it.
    counter.send(if counter.view().needs_first_supervisor {
        Command::CreateFirstSupervisor {
            name: SUPERVISOR.into(),
            secret: SECRET.into(),
        }
    } else {
        Command::SignIn {
            name: SUPERVISOR.into(),
            secret: SECRET.into(),
        }
    });
    let expected = std::env::var("APP_MEMORY_EXPECT")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0);
    until(&mut h, &counter, "signed in, outbox counted", |v| {
        v.operator.is_some() && v.outbox.queued + v.outbox.sending >= expected
    });
    frames(&mut h, FRAMES_PER_SCREEN);
    let (home_rss, _) = memory_kib();
    h.key_press(egui::Key::F3);
    frames(&mut h, FRAMES_PER_SCREEN);
    let (rss, hwm) = memory_kib();
    let view = counter.view();
    println!(
        "phase {name} home_rss_kib={home_rss} rss_kib={rss} hwm_kib={hwm} queued={} rows_listed={}",
        view.outbox.queued + view.outbox.sending,
        view.outbox.recent.len()
    );
    match Arc::try_unwrap(counter) {
        Ok(c) => c.stop(),
        Err(c) => {
            c.send(Command::Shutdown);
        }
    }
}

struct Measured {
    home_rss: f64,
    rss: f64,
    hwm: f64,
    queued: u64,
    rows: u64,
}

fn run_child(name: &str, config: &Path, expect: u64) -> Measured {
    let out = Process::new(std::env::current_exe().unwrap())
        .arg("--phase")
        .arg(name)
        .arg(config)
        .env("APP_MEMORY_EXPECT", expect.to_string())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "phase {name} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    let line = text
        .lines()
        .find(|l| l.starts_with(&format!("phase {name} ")))
        .unwrap_or_else(|| panic!("phase {name} printed no figures: {text}"));
    let get = |key: &str| {
        line.split_whitespace()
            .find_map(|w| w.strip_prefix(key))
            .and_then(|v| v.parse::<u64>().ok())
            .unwrap()
    };
    let mb = |kib: u64| kib as f64 / 1024.0;
    Measured {
        home_rss: mb(get("home_rss_kib=")),
        rss: mb(get("rss_kib=")),
        hwm: mb(get("hwm_kib=")),
        queued: get("queued="),
        rows: get("rows_listed="),
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--phase") {
        phase(&args[at + 1], Path::new(&args[at + 2]));
        return;
    }
    let records = std::env::var("APP_MEMORY_RECORDS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(10_000);
    let temp = tempfile::tempdir().unwrap();
    let root: PathBuf = match std::env::var_os("APP_MEMORY_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => temp.path().to_path_buf(),
    };
    std::fs::create_dir_all(&root).unwrap();
    fill(&root, records);

    let base = run_child("baseline", &root.join("empty/station.toml"), 0);
    let queued = run_child("queued", &root.join("queued/station.toml"), records);
    assert_eq!(queued.queued, records, "the records did not stay queued");

    println!("memory of the clerk's app (core + UI, no GPU), one fresh process per phase");
    println!(
        "{:<28} {:>8} {:>12} {:>12} {:>12} {:>12}",
        "phase", "queued", "rows listed", "RSS home MB", "RSS queue MB", "VmHWM MB"
    );
    for (name, m) in [
        ("baseline: empty outbox", &base),
        ("10,000 queued", &queued),
    ] {
        println!(
            "{name:<28} {:>8} {:>12} {:>12.1} {:>12.1} {:>12.1}",
            m.queued, m.rows, m.home_rss, m.rss, m.hwm
        );
    }
    println!(
        "ratio queued/baseline: RSS {:.2}x, VmHWM {:.2}x; queued VmHWM goal {GOAL_MB:.0} MB: {}",
        queued.rss / base.rss,
        queued.hwm / base.hwm,
        if queued.hwm <= GOAL_MB {
            "met"
        } else {
            "NOT met"
        }
    );
}
