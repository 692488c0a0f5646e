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
        match step {
            CameraStep::ShowGreyCard => self.camera.show_grey_card(),
            // The card is taken away: the portrait step and the enrolments after it see the
            // applicant (left in front, the card was every self-test photo, refused three times).
            CameraStep::ShowPortrait | CameraStep::Done => {
                let applicant = self.camera.applicant();
                self.camera.set_applicant(applicant.seed, applicant.defects);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use firmware_sim::vc0706_firmware::{CameraSim, CameraSimConfig};
    use firmware_sim::zfm_firmware::{FingerprintSim, FingerprintSimConfig};

    #[test]
    fn the_grey_card_is_taken_away_for_the_portrait_and_after() {
        let camera = CameraSim::start(CameraSimConfig {
            paced: false,
            ..CameraSimConfig::default()
        })
        .expect("camera simulator");
        let sensor = FingerprintSim::start(FingerprintSimConfig {
            paced: false,
            ..FingerprintSimConfig::default()
        })
        .expect("fingerprint simulator");
        let targets = SimTargets {
            sensor: sensor.control(),
            camera: camera.control(),
        };
        let applicant = camera.control().applicant();
        targets.camera_step(CameraStep::ShowGreyCard);
        assert!(camera.control().applicant().grey_card);
        targets.camera_step(CameraStep::ShowPortrait);
        assert_eq!(
            camera.control().applicant(),
            applicant,
            "the applicant stands before the camera again, not the grey card"
        );
        targets.camera_step(CameraStep::Done);
        assert_eq!(camera.control().applicant(), applicant);
    }
}
