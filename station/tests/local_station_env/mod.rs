//! A whole station on this machine for the counter and screen tests: a central on loopback, both
//! simulators on pseudo-terminals (unpaced) and a provisioned station, all in a temporary directory
//! and all stopped on drop. Built with the same `station_demo::local_station` pieces as the demo.

use central::{Central, CentralConfig, RunningCentral};
use firmware_sim::{
    vc0706_firmware::{CameraControl, CameraSim},
    zfm_firmware::{FingerprintSim, SimControl},
};
use station::config::StationConfig;
use station_demo::local_station;

/// The running station's parts.
pub struct Env {
    _dir: tempfile::TempDir,
    central: Option<RunningCentral>,
    /// Where the stopped central listened, to come back there.
    central_at: Option<std::net::SocketAddr>,
    sims: Option<(FingerprintSim, CameraSim)>,
    /// The station's configuration, pointing at the simulators and the central.
    pub config: StationConfig,
}

impl Env {
    /// Starts everything. `same_finger_check` is off in `local_station` (the simulator's auto mode
    /// lays one finger for every position); tests that place each finger by hand turn it on.
    pub fn start(same_finger_check: bool) -> Self {
        Self::start_with(same_finger_check, false)
    }

    /// As [`Env::start`], with both simulators sending at their real line speeds: for what must
    /// happen while an image is on its way.
    pub fn start_paced(same_finger_check: bool) -> Self {
        Self::start_with(same_finger_check, true)
    }

    fn start_with(same_finger_check: bool, paced: bool) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_path_buf();
        let central = Central::start(CentralConfig::new(root.join("central"))).expect("central");
        let mut config =
            local_station::provision(&root.join("station"), &central).expect("provision");
        config.devices = local_station::simulator_devices(&root);
        config.counter.same_finger_check = same_finger_check;
        let sims = local_station::start_simulators(&root, paced).expect("simulators");
        Self {
            _dir: dir,
            central: Some(central),
            central_at: None,
            sims: Some(sims),
            config,
        }
    }

    /// The simulated fingerprint module's control (place a finger or a target, lift).
    pub fn sensor(&self) -> SimControl {
        self.sims.as_ref().expect("simulators").0.control()
    }

    /// The simulated camera's control (who stands before it, with which defects).
    pub fn camera(&self) -> CameraControl {
        self.sims.as_ref().expect("simulators").1.control()
    }

    /// The national service goes away (its port closes); [`Env::restart_central`] brings it back.
    pub fn stop_central(&mut self) {
        if let Some(central) = self.central.take() {
            self.central_at = Some(central.addr);
            central.stop();
        }
    }

    /// The national service comes back at the same address with the same data (keys, stations,
    /// records, consumed pre-requests).
    pub fn restart_central(&mut self) {
        let listen = self.central_at.take().expect("the central was stopped");
        let config = CentralConfig {
            listen,
            ..CentralConfig::new(self._dir.path().join("central"))
        };
        self.central = Some(Central::start(config).expect("central restarted"));
    }

    /// The running national service.
    pub fn central(&self) -> &RunningCentral {
        self.central.as_ref().expect("the central is running")
    }
}

impl Drop for Env {
    fn drop(&mut self) {
        if let Some((f, c)) = self.sims.take() {
            c.stop();
            f.stop();
        }
        if let Some(central) = self.central.take() {
            central.stop();
        }
    }
}
