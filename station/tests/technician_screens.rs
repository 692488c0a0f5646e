//! The technician area end to end: egui_kittest (no GPU) on the real counter core, both
//! simulators over pseudo-terminals (unpaced) and a real central on loopback. A technician runs
//! discovery, a diagnosis and both calibrations from the screens and sees the results; a clerk is
//! kept out; a fingerprint module unplugged and plugged back shows on the clerk's home screen
//! within seconds.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::locale_files::{self, Words};
use crate::screen_texts;

use std::{
    path::PathBuf,
    sync::Arc,
    time::{Duration, Instant},
};

use central::{Central, CentralConfig, RunningCentral};
use drivers::{
    diagnostics::{Step, Verdict},
    discovery::{DeviceKind, Found},
};
use eframe::egui;
use egui_kittest::{Harness, kittest::Queryable};
use firmware_sim::{
    synth::sensor_defects::Target,
    vc0706_firmware::CameraSim,
    zfm_firmware::{FingerMode, FingerprintSim, FingerprintSimConfig},
};
use station::{
    audit::{AuditLog, verify_file},
    calibration::CalibrationHistory,
    config::{Mode, StationConfig},
    desk::{Command, Counter, CounterView, TechnicianCommand, technician_view::TargetPrompt},
    operators::{LockoutPolicy, Operators, Role},
    seal::StationIdentity,
    ui::{AppSettings, StationApp},
};
use station_demo::local_station;

const WAIT: Duration = Duration::from_secs(90);
const SECRET: &str = "1234-abcd";

struct Env {
    _dir: tempfile::TempDir,
    central: Option<RunningCentral>,
    finger: Option<FingerprintSim>,
    camera: Option<CameraSim>,
    config: StationConfig,
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some(c) = self.camera.take() {
            c.stop();
        }
        if let Some(f) = self.finger.take() {
            f.stop();
        }
        if let Some(central) = self.central.take() {
            central.stop();
        }
    }
}

/// Simulators, central, and three accounts: `chef` (supervisor), `tech` (technician), `agent`
/// (clerk).
fn env() -> Env {
    env_with(|_| {})
}

/// As [`env`], with the configuration file's table changed by `settings` before it is read.
fn env_with(settings: impl FnOnce(&mut toml::Table)) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let central = Central::start(CentralConfig::new(root.join("central"))).unwrap();
    let mut config = local_station::provision(&root.join("station"), &central).unwrap();
    config.devices = local_station::simulator_devices(&root);
    // Read back from a file, as `station app --config` does: the devices screen saves into it.
    // Beside the data directory, not in it: the station's files are private, this one the test writes.
    let file = root.join("station.toml");
    let mut table: toml::Table = config.to_toml().parse().unwrap();
    settings(&mut table);
    std::fs::write(&file, toml::to_string(&table).unwrap()).unwrap();
    let config = StationConfig::load_in(&file, Mode::Development).unwrap();
    let (finger, camera) = local_station::start_simulators(&root, false).unwrap();
    let operators = Operators::open_station(&config, LockoutPolicy::default()).unwrap();
    let chef = operators
        .create_first_supervisor("chef", SECRET, 0)
        .unwrap();
    operators
        .create(&chef, "tech", Role::Technician, SECRET, 0)
        .unwrap();
    operators
        .create(&chef, "agent", Role::Clerk, SECRET, 0)
        .unwrap();
    Env {
        _dir: dir,
        central: Some(central),
        finger: Some(finger),
        camera: Some(camera),
        config,
    }
}

struct Station {
    counter: Arc<Counter>,
    h: Harness<'static, StationApp>,
}

fn station(config: &StationConfig) -> Station {
    let counter = Arc::new(Counter::start(config.clone(), Arc::new(|| {})).unwrap());
    let settings = AppSettings {
        applicant_window: false,
        ..AppSettings::from_config(config)
    };
    let app = StationApp::new(Arc::clone(&counter), settings, Instant::now());
    let h = Harness::builder()
        .with_size([1280.0, 1400.0])
        .with_step_dt(0.02)
        .build_ui_state(|ui, app: &mut StationApp| app.show(ui), app);
    Station { counter, h }
}

impl Station {
    fn until(&mut self, what: &str, ready: impl Fn(&CounterView) -> bool) -> CounterView {
        self.until_within(what, WAIT, ready)
    }

    fn until_within(
        &mut self,
        what: &str,
        limit: Duration,
        ready: impl Fn(&CounterView) -> bool,
    ) -> CounterView {
        let deadline = Instant::now() + limit;
        loop {
            self.h.step();
            let view = self.counter.view();
            if ready(&view) {
                self.h.run_steps(3);
                return view;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}: {:?} {:?}",
                view.notice,
                view.technician.error
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    fn frames(&mut self, n: usize) {
        self.h.run_steps(n);
    }

    fn type_in(&mut self, label: &str, text: &str) {
        let field = self.h.get_by_label(label);
        if !field.is_focused() {
            field.focus();
            self.frames(2);
        }
        self.h.get_by_label(label).type_text(text);
        self.frames(2);
    }

    fn key(&mut self, key: egui::Key) {
        self.h.key_press(key);
        self.frames(3);
    }

    fn click(&mut self, label: &str) {
        self.h.get_by_label(label).click();
        self.frames(3);
    }

    fn shows(&self, text: &str) -> bool {
        self.h.query_all_by_label_contains(text).next().is_some()
    }

    fn sign_in(&mut self, name: &str) {
        self.sign_in_with(name, "Nom du compte", "Code");
    }

    fn sign_in_with(&mut self, name: &str, name_label: &str, secret_label: &str) {
        self.until("sign-in screen", |v| {
            v.generation > 0 && v.operator.is_none()
        });
        self.type_in(name_label, name);
        self.key(egui::Key::Enter);
        self.type_in(secret_label, SECRET);
        self.key(egui::Key::Enter);
        self.until("signed in", |v| v.operator.is_some());
        self.until("fingerprint module", |v| v.devices.fingerprint.ready);
    }
}

fn port(config: &StationConfig, kind: DeviceKind) -> PathBuf {
    match kind {
        DeviceKind::Fingerprint => config.devices.fingerprint.as_ref().unwrap().path.clone(),
        DeviceKind::Camera => config.devices.camera.as_ref().unwrap().path.clone(),
    }
}

#[test]
fn a_technician_finds_diagnoses_and_calibrates_the_devices_from_the_screens() {
    let env = env();
    let mut s = station(&env.config);
    s.sign_in("tech");
    s.key(egui::Key::F6);
    assert!(s.shows("Espace technicien"));

    // Nothing found yet: nothing to save, and the screen offers no button for it.
    assert!(!s.shows("Enregistrer ces appareils"));
    s.counter
        .send(Command::Technician(TechnicianCommand::SaveDevices));
    let v = s.until("nothing to save", |v| v.technician.error.is_some());
    assert!(v.technician.error.unwrap().contains("rien à enregistrer"));

    // Devices: discovery through the workers (their ports are released for the probe).
    s.click("Rechercher les appareils");
    let v = s.until("discovery", |v| {
        v.technician.running.is_none() && v.technician.discovery.is_some()
    });
    let rows = v.technician.discovery.unwrap();
    let row = |kind: DeviceKind| {
        let path = port(&env.config, kind).to_string_lossy().into_owned();
        rows.iter()
            .find(|r| r.report.path == path)
            .unwrap_or_else(|| panic!("{kind:?} port in {rows:#?}"))
            .clone()
    };
    let finger_row = row(DeviceKind::Fingerprint);
    let Found::Fingerprint(identity) = &finger_row.report.found else {
        panic!("fingerprint module not identified: {finger_row:#?}");
    };
    assert_eq!(finger_row.configured_for, Some(DeviceKind::Fingerprint));
    assert!(matches!(
        row(DeviceKind::Camera).report.found,
        Found::Camera(_)
    ));
    assert!(
        s.shows(&identity.model),
        "model {} on screen",
        identity.model
    );
    // The workers took their ports back.
    s.until("devices ready again", |v| {
        v.devices.fingerprint.ready && v.devices.camera.as_ref().is_some_and(|c| c.ready)
    });
    // A file that cannot be written (a folder stands in its place) is said, and nothing is lost:
    // the same button works once the file can be written.
    let file = env.config.file.clone().expect("loaded from a file");
    std::fs::remove_file(&file).unwrap();
    std::fs::create_dir(&file).unwrap();
    s.click("Enregistrer ces appareils dans la configuration");
    let v = s.until("save refused", |v| v.technician.error.is_some());
    assert!(
        v.technician
            .error
            .unwrap()
            .contains("La configuration n'a pas pu être enregistrée")
    );
    // The system's own words stay apart, on a line labelled for the technician.
    assert!(v.technician.error_detail.is_some());
    assert!(s.shows("Détail technique :"));
    assert!(v.technician.devices_saved.is_none());
    std::fs::remove_dir(&file).unwrap();
    // Saved into the configuration file, whose [devices] had been emptied meanwhile.
    let mut bare = env.config.clone();
    bare.devices = station::config::DeviceSettings::default();
    std::fs::write(&file, bare.to_toml()).unwrap();
    s.click("Enregistrer ces appareils dans la configuration");
    s.until("devices saved", |v| v.technician.devices_saved.is_some());
    assert!(s.shows("pris en compte au prochain démarrage"));
    let saved = StationConfig::load_in(&file, Mode::Development)
        .expect("the saved file is still a configuration");
    // The port, at the baud the discovery found it answering (an unpaced simulator answers at
    // any baud, so not necessarily the configured one).
    let saved_finger = saved.devices.fingerprint.expect("fingerprint saved");
    assert_eq!(
        saved_finger.path,
        port(&env.config, DeviceKind::Fingerprint)
    );
    assert_eq!(Some(saved_finger.baud), finger_row.report.baud());
    assert_eq!(
        saved.devices.camera.as_ref().map(|c| &c.path),
        env.config.devices.camera.as_ref().map(|c| &c.path)
    );
    assert_eq!(saved.station_id, env.config.station_id);

    // Diagnostics: self-test with the live log and counters, then the report.
    s.click("Diagnostic");
    s.click("Diagnostiquer le capteur d'empreintes");
    let v = s.until("diagnosis", |v| {
        v.technician.running.is_none() && !v.technician.diagnoses.is_empty()
    });
    let diagnosis = &v.technician.diagnoses[0];
    assert_eq!(diagnosis.port.kind(), Some(DeviceKind::Fingerprint));
    assert_ne!(diagnosis.verdict(), Verdict::Fail, "{diagnosis:#?}");
    assert!(diagnosis.checks.iter().any(|c| c.step == Step::Handshake));
    assert!(v.technician.counters.commands > 0);
    assert!(!v.technician.log.is_empty());
    assert!(s.shows("Prise de contact"));
    assert!(s.shows("Commandes envoyées"));
    s.click("Exporter le rapport");
    let v = s.until("report", |v| v.technician.report.is_some());
    let report = std::fs::read_to_string(v.technician.report.unwrap()).unwrap();
    assert!(report.contains("handshake"), "{report}");

    // Calibration of the sensor: the prompts ask for each target in turn.
    let sensor = env.finger.as_ref().unwrap().control();
    sensor.set_auto(false);
    sensor.lift_finger();
    s.click("Étalonnage");
    s.click("Étalonner le capteur d'empreintes");
    s.until("blank target prompt", |v| {
        v.technician.prompt == Some(TargetPrompt::LayBlankTarget)
    });
    assert!(s.shows("Posez la cible blanche"));
    sensor.place_target(Target::Blank);
    s.click("C'est fait");
    s.until("dark target prompt", |v| {
        v.technician.prompt == Some(TargetPrompt::LayFlatTarget)
    });
    assert!(s.shows("Posez la cible sombre"));
    sensor.place_target(Target::Flat);
    s.click("C'est fait");
    let v = s.until("sensor calibrated", |v| v.technician.fingerprint.is_some());
    sensor.lift_finger();
    let result = v.technician.fingerprint.clone().unwrap();
    assert!(result.measures.iter().any(|m| m.measure == "snr"));
    assert_eq!(
        result
            .blank_histogram
            .iter()
            .map(|n| u64::from(*n))
            .sum::<u64>(),
        256 * 288
    );
    assert!(result.uniformity.values.len() > 4);
    assert!(v.technician.flat_field_in_force);
    assert!(s.shows("Rapport signal sur bruit"));
    assert!(s.shows("CONFORME"));
    assert_eq!(v.technician.history.len(), 1);

    // Calibration of the camera: the grey card first.
    let camera = env.camera.as_ref().unwrap().control();
    s.click("Étalonner l'appareil photo");
    assert!(s.shows("Tenez la carte grise"));
    camera.show_grey_card();
    s.click("C'est fait");
    let v = s.until("camera calibrated", |v| {
        v.technician.camera.is_some() && v.technician.running.is_none()
    });
    let result = v.technician.camera.unwrap();
    assert!(result.measures.iter().any(|m| m.measure == "exposure"));
    assert!(result.portrait_bytes <= result.target_bytes);
    assert_eq!(v.technician.history.len(), 2);
    assert!(s.shows("Historique des étalonnages"));
    s.until("devices ready again", |v| {
        v.devices.fingerprint.ready && v.devices.camera.as_ref().is_some_and(|c| c.ready)
    });

    // Stored per serial number and audited.
    let history =
        CalibrationHistory::open(&CalibrationHistory::default_path(&env.config.data_dir)).unwrap();
    let serial = &v.technician.fingerprint.as_ref().unwrap().serial;
    assert_eq!(history.history(serial).unwrap().len(), 1);
    assert!(history.latest_flat_field(serial).unwrap().is_some());
    drop(s);
    let audit_path = AuditLog::default_path(&env.config.data_dir);
    let key = StationIdentity::load_or_create(&env.config.identity_path())
        .unwrap()
        .public_key();
    verify_file(&audit_path, key).expect("audit chain intact");
    let conn = rusqlite::Connection::open(&audit_path).unwrap();
    let calibrations: i64 = conn
        .query_row(
            "SELECT count(*) FROM audit WHERE event LIKE '%\"calibration\"%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(calibrations, 2);
}

/// A station started from a configuration built in memory has no file to save the devices into,
/// and says so.
#[test]
fn saving_the_devices_needs_a_configuration_file() {
    let env = env();
    let mut config = env.config.clone();
    config.file = None;
    let mut s = station(&config);
    s.sign_in("tech");
    s.counter
        .send(Command::Technician(TechnicianCommand::SaveDevices));
    let v = s.until("no file", |v| v.technician.error.is_some());
    assert!(v.technician.error.unwrap().contains("rien où enregistrer"));
    assert!(v.technician.devices_saved.is_none());
}

#[test]
fn a_clerk_is_not_let_into_the_technician_area() {
    let env = env();
    let mut s = station(&env.config);
    s.sign_in("agent");
    assert!(!s.shows("Technicien"));
    s.key(egui::Key::F6);
    assert!(!s.shows("Espace technicien"));
    // Nor through the core directly.
    s.counter
        .send(Command::Technician(TechnicianCommand::Discover));
    let v = s.until("refusal", |v| v.notice.is_some());
    assert!(v.notice.unwrap().error);
    s.frames(20);
    assert!(s.counter.view().technician.discovery.is_none());
    assert!(s.counter.view().technician.running.is_none());
}

#[test]
fn an_unplugged_fingerprint_module_shows_on_home_within_seconds_and_comes_back() {
    let mut env = env();
    let mut s = station(&env.config);
    s.sign_in("agent");
    assert!(s.shows("Capteur d'empreintes : prêt"));

    let link = port(&env.config, DeviceKind::Fingerprint);
    let sim = env.finger.take().unwrap();
    let unplugged = Instant::now();
    sim.control().unplug().unwrap();
    s.until_within("module seen gone", Duration::from_secs(5), |v| {
        !v.devices.fingerprint.ready
    });
    let seen_gone = unplugged.elapsed();
    assert!(s.shows("débranché"), "the clerk sees it");
    sim.stop();

    let plugged = Instant::now();
    env.finger = Some(
        FingerprintSim::start_linked(
            FingerprintSimConfig {
                finger: FingerMode::Auto,
                paced: false,
                ..FingerprintSimConfig::default()
            },
            &link,
        )
        .unwrap(),
    );
    s.until_within("module back", Duration::from_secs(10), |v| {
        v.devices.fingerprint.ready
    });
    let seen_back = plugged.elapsed();
    assert!(s.shows("Capteur d'empreintes : prêt"));
    println!(
        "unplugged seen after {} ms, plugged back seen after {} ms",
        seen_gone.as_millis(),
        seen_back.as_millis()
    );
}

/// Sets `[section] key = value` in a configuration file's table.
fn set(table: &mut toml::Table, section: &str, key: &str, value: impl Into<toml::Value>) {
    table
        .entry(section)
        .or_insert_with(|| toml::Value::Table(toml::Table::new()))
        .as_table_mut()
        .expect("a section")
        .insert(key.to_owned(), value.into());
}

impl Station {
    /// Whatever this frame shows that a technician reading `french` or English must not read.
    fn misread(&self, screen: &str, french: bool, findings: &mut Vec<String>) {
        let texts = screen_texts::visible_texts(&self.h);
        assert!(texts.len() > 10, "{screen}: only {texts:?} read");
        let written = screen_texts::written_words();
        for text in texts {
            for problem in screen_texts::problems(&text, french, &written) {
                findings.push(format!("{screen}: {problem} in {text:?}"));
            }
        }
    }
}

/// Every technician screen after a discovery, a diagnosis of both devices, a calibration left
/// without its target, then both calibrations; returns what a technician must not read on them.
fn walk_the_technician_screens(locale: &'static str) -> Vec<String> {
    let env = env_with(|table| {
        set(table, "ui", "language", locale);
        // A target not laid is reported after this, not the default 30 s.
        set(table, "technician", "target_wait_s", 2);
    });
    let words = Words::new(locale);
    let french = locale == "fr";
    let mut findings = Vec::new();
    let mut s = station(&env.config);
    s.sign_in_with(
        "tech",
        words.t("ui.sign_in.name"),
        words.t("ui.sign_in.secret"),
    );
    s.key(egui::Key::F6);
    assert!(s.shows(words.t("technician.title")));
    // Nothing on the glass: the blank captures and the calibration expect nothing there.
    let sensor = env.finger.as_ref().unwrap().control();
    sensor.set_auto(false);
    sensor.lift_finger();
    let both_ready = |v: &CounterView| {
        v.devices.fingerprint.ready && v.devices.camera.as_ref().is_some_and(|c| c.ready)
    };

    s.click(words.t("technician.devices.discover"));
    s.until("discovery", |v| {
        v.technician.running.is_none() && v.technician.discovery.is_some()
    });
    s.until("devices ready again", both_ready);
    s.click(words.t("technician.devices.save"));
    s.until("devices saved", |v| v.technician.devices_saved.is_some());
    s.misread("devices", french, &mut findings);

    s.click(words.t("technician.tab.diagnostics"));
    s.click(words.t("technician.diagnostics.fingerprint"));
    s.until("sensor diagnosis", |v| {
        v.technician.running.is_none() && v.technician.diagnoses.len() == 1
    });
    s.until("sensor ready again", both_ready);
    s.click(words.t("technician.diagnostics.camera"));
    s.until("camera diagnosis", |v| {
        v.technician.running.is_none() && v.technician.diagnoses.len() == 2
    });
    s.until("camera ready again", both_ready);
    s.click(words.t("technician.diagnostics.export"));
    s.until("report", |v| v.technician.report.is_some());
    s.misread("diagnostics", french, &mut findings);

    s.click(words.t("technician.tab.calibration"));
    s.click(words.t("technician.calibration.fingerprint"));
    s.until("blank target prompt", |v| {
        v.technician.prompt == Some(TargetPrompt::LayBlankTarget)
    });
    s.misread("calibration prompt", french, &mut findings);
    // Confirmed, but nothing laid.
    s.click(words.t("technician.prompt.done"));
    s.until("no target", |v| {
        v.technician.running.is_none() && v.technician.error.is_some()
    });
    s.misread("calibration without its target", french, &mut findings);
    s.until("sensor ready again", both_ready);

    s.click(words.t("technician.calibration.fingerprint"));
    s.until("blank target prompt", |v| {
        v.technician.prompt == Some(TargetPrompt::LayBlankTarget)
    });
    sensor.place_target(Target::Blank);
    s.click(words.t("technician.prompt.done"));
    s.until("dark target prompt", |v| {
        v.technician.prompt == Some(TargetPrompt::LayFlatTarget)
    });
    sensor.place_target(Target::Flat);
    s.click(words.t("technician.prompt.done"));
    s.until("sensor calibrated", |v| {
        v.technician.running.is_none() && v.technician.fingerprint.is_some()
    });
    sensor.lift_finger();
    s.until("sensor ready again", both_ready);
    let camera = env.camera.as_ref().unwrap().control();
    camera.show_grey_card();
    s.click(words.t("technician.calibration.camera"));
    s.click(words.t("technician.prompt.done"));
    s.until("camera calibrated", |v| {
        v.technician.running.is_none() && v.technician.camera.is_some()
    });
    s.misread("calibration", french, &mut findings);
    findings
}

#[test]
fn the_technician_screens_in_french_show_no_code_name_debug_duration_or_english() {
    let findings = walk_the_technician_screens("fr");
    assert!(findings.is_empty(), "\n{}", findings.join("\n"));
}

#[test]
fn the_technician_screens_in_english_show_no_code_name_or_debug_duration() {
    let findings = walk_the_technician_screens("en");
    assert!(findings.is_empty(), "\n{}", findings.join("\n"));
}

/// The white target asked for and confirmed, but never laid: the technician reads why, in whole
/// seconds, and what to do; the wait is the configured one.
#[test]
fn a_calibration_whose_target_is_never_laid_says_so_in_french() {
    let env = env_with(|table| set(table, "technician", "target_wait_s", 2));
    let mut s = station(&env.config);
    s.sign_in("tech");
    s.key(egui::Key::F6);
    let sensor = env.finger.as_ref().unwrap().control();
    sensor.set_auto(false);
    sensor.lift_finger();
    s.click("Étalonnage");
    s.click("Étalonner le capteur d'empreintes");
    s.until("blank target prompt", |v| {
        v.technician.prompt == Some(TargetPrompt::LayBlankTarget)
    });
    let confirmed = Instant::now();
    s.click("C'est fait");
    let v = s.until("no target", |v| v.technician.error.is_some());
    let waited = confirmed.elapsed();
    let error = v.technician.error.unwrap();
    assert!(
        error.contains("Aucune cible n'a été posée sur le capteur en 2 s")
            && error.contains("posez la cible blanche"),
        "{error}"
    );
    assert!(s.shows("Aucune cible n'a été posée sur le capteur en 2 s"));
    assert!(!s.shows("within") && !s.shows("finger"));
    assert!(waited < Duration::from_secs(20), "waited {waited:?}");
}

/// Every `"technician.…"` key the technician's code names is in `locales/technician.yml` in
/// French and in English: rust-i18n shows a missing key as the key itself, and falls back to
/// French for a missing English text.
#[test]
fn every_technician_text_is_there_in_french_and_english() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let catalogue = locale_files::catalogue(&root.join("locales/technician.yml"));
    let mut sources = Vec::new();
    for dir in ["src/ui/technician", "src/desk", "src/desk/technician_view"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if dir != "src/desk" || name.starts_with("technician") {
                sources.extend(std::fs::read_to_string(&path).ok());
            }
        }
    }
    let mut used: Vec<&str> = sources
        .iter()
        .flat_map(|source| {
            source
                .match_indices("\"technician.")
                .map(move |(i, _)| &source[i + 1..])
        })
        .filter_map(|rest| rest.split_once('"').map(|(key, _)| key))
        // A key, not a prefix looked for ("technician.").
        .filter(|key| !key.ends_with('.'))
        .collect();
    used.sort_unstable();
    used.dedup();
    assert!(
        used.len() > 150,
        "only {} keys found: the scan is broken",
        used.len()
    );
    for key in used {
        let texts = catalogue
            .get(key)
            .unwrap_or_else(|| panic!("{key} is used but not in technician.yml"));
        for locale in ["fr", "en"] {
            assert!(
                texts.get(locale).is_some_and(|t| !t.is_empty()),
                "{key} has no {locale} text"
            );
        }
    }
    for (key, texts) in &catalogue {
        if let (Some(fr), Some(en)) = (texts.get("fr"), texts.get("en")) {
            assert_eq!(
                locale_files::placeholders(fr),
                locale_files::placeholders(en),
                "{key}: placeholders differ"
            );
        }
    }
}
