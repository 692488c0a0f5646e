//! A whole station on this machine for the counter and screen tests: a central on loopback, both
//! simulators on pseudo-terminals (unpaced) and a provisioned station, all in a temporary directory
//! and all stopped on drop. Built with the same `cli::local_station` pieces as `station demo`.

use central::{Central, CentralConfig, RunningCentral};
use firmware_sim::{
    vc0706_firmware::CameraSim,
    zfm_firmware::{FingerprintSim, SimControl},
};
use station::{cli::local_station, config::StationConfig};

/// The running station's parts.
pub struct Env {
    _dir: tempfile::TempDir,
    central: Option<RunningCentral>,
    sims: Option<(FingerprintSim, CameraSim)>,
    /// The station's configuration, pointing at the simulators and the central.
    pub config: StationConfig,
}

impl Env {
    /// Starts everything. `same_finger_check` is off in `local_station` (the simulator's auto mode
    /// lays one finger for every position); tests that place each finger by hand turn it on.
    pub fn start(same_finger_check: bool) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().to_path_buf();
        let central = Central::start(CentralConfig::new(root.join("central"))).expect("central");
        let mut config =
            local_station::provision(&root.join("station"), &central).expect("provision");
        config.devices = local_station::simulator_devices(&root);
        config.counter.same_finger_check = same_finger_check;
        let sims = local_station::start_simulators(&root, false).expect("simulators");
        Self {
            _dir: dir,
            central: Some(central),
            sims: Some(sims),
            config,
        }
    }

    /// The simulated fingerprint module's control (place a finger or a target, lift).
    pub fn sensor(&self) -> SimControl {
        self.sims.as_ref().expect("simulators").0.control()
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
