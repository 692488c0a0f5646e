//! The technician's actions in the counter core: discovery, diagnostics, calibration, the
//! report, and hot-plug. The devices stay with their workers: a routine is lent the worker's port
//! ([`Lent`]) and runs on the worker's thread, which reopens the port afterwards. Results land in
//! [`TechnicianView`]; calibrations are stored per device serial number
//! (`station::calibration`), the sensor's flat-field correction is put in force for every later
//! capture, and calibrations are audited.

use std::sync::mpsc::sync_channel;

use drivers::discovery::{
    DeviceEvent, DeviceKind, DiscoveryOptions, PortReport, candidate_ports, discover,
};
use rust_i18n::t;
use tracing::{info, warn};

use super::{
    core::Core,
    input::Input,
    report::Reporter,
    technician::{configured, same_port},
    technician_command::TechnicianCommand,
    technician_jobs::{self, CALIBRATION_FRAMES, Lent, TechnicianReport},
    technician_view::{
        CameraCalibrationView, DiscoveredPort, HistoryPoint, MeasureRow, SensorCalibrationView,
        TechnicianTask,
        texts::{self, Sentence},
    },
};
use crate::{
    audit::AuditEvent,
    calibration::{self, camera_measures_json, fingerprint_measures_json},
    outbox::now_ms,
};

/// Hot-plug lines kept for the technician.
const PORT_EVENTS: usize = 50;

impl Core {
    fn tr(&self, key: &str) -> String {
        t!(key, locale = self.texts.language.code()).into_owned()
    }

    /// Shows why the last action failed, with its technical detail when there is one.
    fn technician_failed(&mut self, said: Sentence) {
        self.view.technician.error = Some(said.text);
        self.view.technician.error_detail = said.detail;
    }

    /// Shows a failure that one sentence says all of.
    fn technician_refused(&mut self, key: &str) {
        let text = self.tr(key);
        self.technician_failed(Sentence { text, detail: None });
    }

    /// Applies a technician's command (technician and supervisor accounts only).
    pub(crate) fn technician_command(&mut self, command: TechnicianCommand) {
        match command {
            TechnicianCommand::TargetReady | TechnicianCommand::CancelCalibration => {
                let go_on = command == TechnicianCommand::TargetReady;
                if let Some(answers) = &self.technician.answers {
                    let _ = answers.try_send(go_on);
                }
                return;
            }
            TechnicianCommand::ExportReport => return self.export_report(),
            TechnicianCommand::LoadHistory => return self.load_history(),
            _ => {}
        }
        if self.view.technician.running.is_some() {
            self.technician_refused("technician.error.running");
            return;
        }
        self.view.technician.error = None;
        self.view.technician.error_detail = None;
        match command {
            TechnicianCommand::Discover => self.discover(),
            TechnicianCommand::SaveDevices => self.save_devices(),
            TechnicianCommand::Diagnose { device } => self.lend(
                device,
                TechnicianTask::Diagnosis(device),
                |path, _, events| technician_jobs::diagnose(&path, &events),
            ),
            TechnicianCommand::Calibrate { device } => {
                let (answers, asked) = sync_channel(2);
                self.technician.answers = Some(answers);
                let target_wait = self.config.technician.target_wait();
                self.lend(
                    device,
                    TechnicianTask::Calibration(device),
                    move |_, port, events| match device {
                        DeviceKind::Fingerprint => technician_jobs::calibrate_sensor(
                            &port,
                            CALIBRATION_FRAMES,
                            target_wait,
                            &asked,
                            &events,
                        ),
                        DeviceKind::Camera => technician_jobs::calibrate_lens(&port, &events),
                    },
                );
            }
            _ => {}
        }
    }

    /// Lends `device`'s port to `job` (run on the device's worker thread).
    fn lend(
        &mut self,
        device: DeviceKind,
        task: TechnicianTask,
        job: impl FnOnce(String, crate::config::PortSettings, Reporter<TechnicianReport>)
        + Send
        + 'static,
    ) {
        let port = match device {
            DeviceKind::Fingerprint => self.config.devices.fingerprint.clone(),
            DeviceKind::Camera => self.config.devices.camera.clone(),
        };
        let Some(port) = port else {
            self.technician_refused("technician.error.not_configured");
            return;
        };
        let events = self.reporter(Input::Technician);
        let path = port.path.to_string_lossy().into_owned();
        let lent = Lent::new(events.clone(), move || job(path, port, events));
        if self.devices.lend(device, lent) {
            info!(device = device.name(), ?task, "technician routine started");
            self.view.technician.running = Some(task);
            if matches!(task, TechnicianTask::Diagnosis(_)) {
                self.view.technician.log.clear();
            }
        } else {
            self.technician_refused("technician.error.busy");
        }
    }

    /// Writes the devices of the last discovery into the configuration file's `[devices]`. The
    /// running workers keep their ports: the file is read at the next start.
    fn save_devices(&mut self) {
        let Some(file) = self.config.file.clone() else {
            self.technician_refused("technician.error.no_config_file");
            return;
        };
        let reports: Vec<PortReport> = self
            .view
            .technician
            .discovery
            .iter()
            .flatten()
            .map(|row| row.report.clone())
            .collect();
        if !reports.iter().any(|r| r.kind().is_some()) {
            self.technician_refused("technician.error.nothing_to_save");
            return;
        }
        match crate::config::devices_file::save(&file, &reports) {
            Ok(said) => {
                info!(file = %file.display(), "discovered devices saved to the configuration");
                self.view.technician.devices_saved = Some(said);
                let actor = self.actor();
                self.audit(
                    &actor,
                    &AuditEvent::ConfigurationChanged {
                        setting: "devices".into(),
                    },
                );
            }
            Err(error) => {
                let detail = format!("{error:#}");
                warn!(file = %file.display(), error = %detail, "devices not saved");
                let text = self.tr("technician.error.save_failed");
                self.technician_failed(Sentence {
                    text,
                    detail: Some(detail),
                });
            }
        }
    }

    /// Every port identified: the devices' own ports by their workers, the others here.
    fn discover(&mut self) {
        let mut pending = 0;
        let held = configured(&self.config);
        for (kind, path) in &held {
            let (kind, path) = (*kind, path.clone());
            let events = self.reporter(Input::Technician);
            let lent = Lent::new(self.reporter(Input::Technician), move || {
                technician_jobs::probe(path, Some(kind), &events);
            });
            if self.devices.lend(kind, lent) {
                pending += 1;
            }
        }
        let events = self.reporter(Input::Technician);
        let spawned = std::thread::Builder::new()
            .name("discovery".into())
            .spawn(move || {
                let others: Vec<_> = candidate_ports(&[])
                    .into_iter()
                    .filter(|c| !held.iter().any(|(_, p)| same_port(p, &c.path)))
                    .collect();
                let reports = discover(&others, &DiscoveryOptions::default());
                events.send(TechnicianReport::Discovered {
                    reports,
                    configured_for: None,
                });
            });
        match spawned {
            Ok(thread) => {
                pending += 1;
                self.technician.discovery = Some(thread);
            }
            Err(error) => warn!(%error, "discovery thread not started"),
        }
        self.technician.pending = pending;
        self.view.technician.discovery = Some(Vec::new());
        if pending > 0 {
            self.view.technician.running = Some(TechnicianTask::Discovery);
        }
        info!(parts = pending, "discovery started");
    }

    /// A report from a technician's routine.
    pub(crate) fn technician_report(&mut self, report: TechnicianReport) {
        let tech = &mut self.view.technician;
        match report {
            TechnicianReport::Discovered {
                reports,
                configured_for,
            } => {
                let rows = tech.discovery.get_or_insert_with(Vec::new);
                for report in reports {
                    rows.retain(|r| r.report.path != report.path);
                    rows.push(DiscoveredPort {
                        report,
                        configured_for,
                    });
                }
                rows.sort_by(|a, b| a.report.path.cmp(&b.report.path));
                self.technician.pending = self.technician.pending.saturating_sub(1);
                if self.technician.pending == 0 && tech.running == Some(TechnicianTask::Discovery) {
                    tech.running = None;
                }
            }
            TechnicianReport::LogLines { entries, counters } => {
                if matches!(tech.running, Some(TechnicianTask::Diagnosis(_))) {
                    tech.log = entries;
                    tech.counters = counters;
                }
            }
            TechnicianReport::Diagnosed(diagnosis) => {
                tech.running = None;
                tech.log.clone_from(&diagnosis.log);
                tech.counters = diagnosis.counters;
                let kind = diagnosis.port.kind();
                tech.diagnoses.retain(|d| {
                    d.port.path != diagnosis.port.path && (kind.is_none() || d.port.kind() != kind)
                });
                tech.diagnoses.push(*diagnosis);
                tech.diagnoses.sort_by_key(|d| d.port.kind());
            }
            TechnicianReport::Prompt(prompt) => tech.prompt = prompt,
            TechnicianReport::SensorCalibrated(done) => {
                tech.running = None;
                tech.prompt = None;
                self.technician.answers = None;
                self.sensor_calibrated(*done);
            }
            TechnicianReport::CameraCalibrated(done) => {
                tech.running = None;
                self.technician.answers = None;
                self.camera_calibrated(*done);
            }
            TechnicianReport::Failed(failure) => {
                warn!(?failure, "technician routine failed");
                tech.running = None;
                tech.prompt = None;
                self.technician.answers = None;
                self.technician.pending = 0;
                let said = texts::failure(self.texts.language, &failure);
                self.technician_failed(said);
            }
        }
    }

    fn sensor_calibrated(&mut self, done: technician_jobs::SensorCalibrated) {
        let c = &done.calibration;
        let pass = c.verdict.pass();
        if let Some(history) = &self.technician.history
            && let Err(error) = history.record(
                &done.serial,
                calibration::DeviceKind::Fingerprint,
                time::OffsetDateTime::now_utc(),
                &fingerprint_measures_json(c),
                pass,
                Some(&c.flat_field),
            )
        {
            warn!(%error, "calibration not stored");
        }
        // The correction applies from the next capture on (CAL: the latest stored one is the one
        // in force, pass or fail: a vignetted sensor is exactly what it corrects).
        self.technician
            .flat_field
            .replace(Some(c.flat_field.clone()));
        self.technician.flat_field_serial = Some(done.serial.clone());
        self.view.technician.flat_field_in_force = true;
        let actor = self.actor();
        self.audit(
            &actor,
            &AuditEvent::Calibration {
                device: "fingerprint".into(),
            },
        );
        self.audit(
            &actor,
            &AuditEvent::ConfigurationChanged {
                setting: "fingerprint.flat_field".into(),
            },
        );
        self.view.technician.fingerprint = Some(SensorCalibrationView {
            serial: done.serial,
            pass,
            measures: rows(&c.verdict),
            uniformity: done.uniformity,
            blank_histogram: done.blank_histogram,
            dark_histogram: done.dark_histogram,
            bad_pixels: c.measures.bad_pixels.count(),
            residue_regions: c.measures.residue.len(),
        });
        self.load_history();
    }

    fn camera_calibrated(&mut self, done: technician_jobs::CameraCalibrated) {
        let c = &done.calibration;
        let pass = c.measures.verdict.pass();
        if let Some(history) = &self.technician.history
            && let Err(error) = history.record(
                &done.serial,
                calibration::DeviceKind::Camera,
                time::OffsetDateTime::now_utc(),
                &camera_measures_json(c),
                pass,
                None,
            )
        {
            warn!(%error, "calibration not stored");
        }
        let actor = self.actor();
        self.audit(
            &actor,
            &AuditEvent::Calibration {
                device: "camera".into(),
            },
        );
        self.audit(
            &actor,
            &AuditEvent::ConfigurationChanged {
                setting: "camera.compression".into(),
            },
        );
        self.view.technician.camera = Some(CameraCalibrationView {
            serial: done.serial,
            pass,
            measures: rows(&c.measures.verdict),
            compression: c.compression.compression,
            portrait_bytes: c.compression.frame_len,
            target_bytes: c.compression.target,
        });
        self.load_history();
    }

    /// The serials whose history is shown: the connected sensor's and the camera's.
    fn serials(&self) -> Vec<String> {
        let mut serials = Vec::new();
        if let Some(d) = &self.devices.fingerprint_device {
            serials.push(d.serial.clone());
        }
        if let Some(s) = &self.technician.flat_field_serial {
            serials.push(s.clone());
        }
        if let Some(c) = &self.view.technician.fingerprint {
            serials.push(c.serial.clone());
        }
        if let Some(c) = &self.view.technician.camera {
            serials.push(c.serial.clone());
        }
        if let Some(p) = &self.config.devices.camera {
            serials.push(format!("vc0706@{}", p.path.to_string_lossy()));
        }
        serials.sort();
        serials.dedup();
        serials
    }

    fn load_history(&mut self) {
        let Some(history) = &self.technician.history else {
            return;
        };
        let mut points = Vec::new();
        for serial in self.serials() {
            match history.history(&serial) {
                Ok(entries) => points.extend(entries.into_iter().map(|e| HistoryPoint {
                    values: check_values(&e.measures),
                    serial: e.serial,
                    kind: e.kind.as_str().to_owned(),
                    at_unix_s: e.at.unix_timestamp(),
                    pass: e.pass,
                })),
                Err(error) => warn!(%error, serial, "calibration history not readable"),
            }
        }
        points.sort_by_key(|p| p.at_unix_s);
        self.view.technician.history = points;
    }

    /// Writes the latest diagnoses as text and JSON under `DATA_DIR/reports/`.
    fn export_report(&mut self) {
        let report = drivers::diagnostics::DiagnosticReport {
            generated_unix_s: u64::try_from(now_ms() / 1_000).unwrap_or(0),
            drivers_version: env!("CARGO_PKG_VERSION").to_owned(),
            devices: self.view.technician.diagnoses.clone(),
        };
        let dir = self.config.data_dir.join("reports");
        let stem = dir.join(format!("diagnostic-{}", report.generated_unix_s));
        let written = crate::files::create_private_dir(&dir)
            .map_err(std::io::Error::other)
            .and_then(|()| {
                crate::files::write_private(
                    &stem.with_extension("txt"),
                    report.to_text(50).as_bytes(),
                )
            })
            .and_then(|()| {
                let json = report.to_json().map_err(std::io::Error::other)?;
                crate::files::write_private(&stem.with_extension("json"), json.as_bytes())
            });
        match written {
            Ok(()) => {
                info!(path = %stem.display(), "diagnostic report written");
                self.view.technician.report = Some(stem.with_extension("txt"));
            }
            Err(error) => {
                warn!(%error, dir = %dir.display(), "diagnostic report not written");
                let text = t!(
                    "technician.error.report_failed",
                    locale = self.texts.language.code(),
                    dir = dir.display()
                )
                .into_owned();
                self.technician_failed(Sentence {
                    text,
                    detail: Some(error.to_string()),
                });
            }
        }
    }

    /// Hot-plug events and the sensor's correction; true when the view changed.
    pub(crate) fn technician_tick(&mut self) -> bool {
        let mut changed = false;
        let events: Vec<DeviceEvent> = self
            .technician
            .watch
            .as_ref()
            .map(|w| w.events().try_iter().collect())
            .unwrap_or_default();
        for event in events {
            self.port_event(event);
            changed = true;
        }
        let serial = self
            .devices
            .fingerprint_device
            .as_ref()
            .map(|d| d.serial.clone());
        if serial.is_some() && serial != self.technician.flat_field_serial {
            if let (Some(history), Some(serial)) = (&self.technician.history, &serial) {
                match history.latest_flat_field(serial) {
                    Ok(field) => {
                        info!(
                            serial,
                            found = field.is_some(),
                            "flat-field correction loaded"
                        );
                        self.view.technician.flat_field_in_force = field.is_some();
                        self.technician.flat_field.replace(field);
                    }
                    Err(error) => warn!(%error, serial, "flat-field correction not readable"),
                }
            }
            self.technician.flat_field_serial = serial;
            changed = true;
        }
        changed
    }

    fn port_event(&mut self, event: DeviceEvent) {
        let (port, gone) = match &event {
            DeviceEvent::Gone { port } => (port.clone(), true),
            DeviceEvent::Back { port } | DeviceEvent::Appeared { port, .. } => {
                (port.clone(), false)
            }
        };
        let Some(kind) = configured(&self.config)
            .into_iter()
            .find(|(_, p)| *p == port)
            .map(|(k, _)| k)
        else {
            return;
        };
        info!(device = kind.name(), port, gone, "device port change");
        let line = self.tr(if gone {
            "technician.hotplug.gone"
        } else {
            "technician.hotplug.back"
        });
        // The station's local time, as every time a person reads.
        let now = time::OffsetDateTime::now_utc();
        let now_ms = i64::try_from(now.unix_timestamp_nanos() / 1_000_000).unwrap_or(0);
        let stamp = now.to_offset(super::clock::local_offset(now_ms));
        let tech = &mut self.view.technician;
        tech.port_events.push(format!(
            "{:02}:{:02}:{:02} {port} {line}",
            stamp.hour(),
            stamp.minute(),
            stamp.second()
        ));
        let excess = tech.port_events.len().saturating_sub(PORT_EVENTS);
        tech.port_events.drain(..excess);
        if gone {
            let problem = self.tr(match kind {
                DeviceKind::Fingerprint => "technician.hotplug.fingerprint_gone",
                DeviceKind::Camera => "technician.hotplug.camera_gone",
            });
            let status = match kind {
                DeviceKind::Fingerprint => Some(&mut self.view.devices.fingerprint),
                DeviceKind::Camera => self.view.devices.camera.as_mut(),
            };
            if let Some(status) = status {
                status.ready = false;
                status.problem = Some(problem);
            }
        } else {
            // The worker drops the dead line and reopens the port; it reports Ready or Problem.
            if !self.devices.lend(kind, Lent::reconnect()) {
                warn!(
                    device = kind.name(),
                    "worker busy: it reconnects at its next capture"
                );
            }
        }
    }
}

fn rows(verdict: &drivers::calibration::Verdict) -> Vec<MeasureRow> {
    verdict
        .checks
        .iter()
        .map(|c| MeasureRow {
            measure: c.measure.to_owned(),
            value: c.value,
            limit: c.rule.to_string(),
            pass: c.pass,
        })
        .collect()
}

/// Each check's value from a stored calibration's JSON (`checks: [{measure, value}]`).
fn check_values(measures: &serde_json::Value) -> Vec<(String, f64)> {
    measures
        .get("checks")
        .and_then(|c| c.as_array())
        .map(|checks| {
            checks
                .iter()
                .filter_map(|c| {
                    Some((
                        c.get("measure")?.as_str()?.to_owned(),
                        c.get("value")?.as_f64()?,
                    ))
                })
                .collect()
        })
        .unwrap_or_default()
}
