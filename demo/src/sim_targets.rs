//! The simulated devices lay the calibration targets when the self-test asks: the blank and flat
//! targets on the simulated sensor, the grey card before the simulated camera.

use drivers::calibration::{CameraStep, FingerprintStep};
use firmware_sim::{
    synth::sensor_defects::Target, vc0706_firmware::CameraControl, zfm_firmware::SimControl,
};
use station::cli::selftest::CalibrationTargets;

/// The simulators' control handles.
pub struct SimTargets {
    /// The fingerprint simulator.
    pub sensor: SimControl,
    /// The camera simulator.
    pub camera: CameraControl,
}

impl CalibrationTargets for SimTargets {
    fn finger_at_every_capture(&self, on: bool) {
        self.sensor.set_auto(on);
        if !on {
            self.sensor.lift_finger();
        }
    }

    fn fingerprint_step(&self, step: FingerprintStep) {
        match step {
            FingerprintStep::LayBlankTarget => self.sensor.place_target(Target::Blank),
            FingerprintStep::LayFlatTarget => self.sensor.place_target(Target::Flat),
            FingerprintStep::Done => self.sensor.lift_finger(),
        }
    }

    fn camera_step(&self, step: CameraStep) {
        if step == CameraStep::ShowGreyCard {
            self.camera.show_grey_card();
        }
    }
}
