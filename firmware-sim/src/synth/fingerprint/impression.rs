//! The conditions of one impression: how the finger was laid on the glass this time.

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::noise::{derive_seed, gaussian};

/// A part of the finger that did not touch the glass: everything beyond a straight line.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartialContact {
    /// Direction from the print centre towards the lifted side, radians (0 = right, π/2 = down).
    pub angle: f32,
    /// Distance of the cut line from the print centre, pixels.
    pub distance: f32,
}

/// How a finger was placed for one impression. Public fields so that tests can set each condition.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Impression {
    /// Horizontal shift of the finger on the sensor, pixels (right).
    pub shift_x: f32,
    /// Vertical shift of the finger on the sensor, pixels (down).
    pub shift_y: f32,
    /// Rotation of the finger, degrees (clockwise on the image), within ±15°.
    pub rotation_deg: f32,
    /// Pressure, 0 (barely touching: small contact, thin ridges) to 1 (pressed: large contact,
    /// thick ridges); 0.5 is normal.
    pub pressure: f32,
    /// Skin moisture, −1 (dry: broken ridges) to 1 (wet: merged ridges); 0 is normal.
    pub moisture: f32,
    /// Sensor noise, standard deviation in grey levels.
    pub noise: f32,
    /// Plastic distortion: how far the skin away from the centre is dragged, pixels.
    pub distortion: f32,
    /// Direction of the drag, radians.
    pub distortion_angle: f32,
    /// A part of the finger left off the glass, if any.
    pub partial: Option<PartialContact>,
    /// Seed of this impression's random textures (dryness, noise, edge of the contact area).
    pub texture_seed: u64,
}

impl Impression {
    /// The best impression a clerk could hope for: centred, straight, normal pressure and
    /// moisture, no noise, no distortion, full contact.
    pub fn ideal() -> Self {
        Self {
            shift_x: 0.0,
            shift_y: 0.0,
            rotation_deg: 0.0,
            pressure: 0.5,
            moisture: 0.0,
            noise: 0.0,
            distortion: 0.0,
            distortion_angle: 0.0,
            partial: None,
            texture_seed: 0,
        }
    }

    /// Impression number `impression` of finger `finger_seed`: the same pair gives the same
    /// conditions every time; conditions vary as a person's placements do.
    pub fn from_seed(finger_seed: u64, impression: u32) -> Self {
        let seed = derive_seed(derive_seed(finger_seed, 0x1A9E), u64::from(impression));
        let mut rng = ChaCha8Rng::seed_from_u64(seed);
        let shift_x = (gaussian(&mut rng) * 18.0).clamp(-45.0, 45.0);
        let shift_y = (gaussian(&mut rng) * 22.0).clamp(-55.0, 55.0);
        let rotation_deg = (gaussian(&mut rng) * 6.0).clamp(-15.0, 15.0);
        let pressure = (0.5 + gaussian(&mut rng) * 0.15).clamp(0.15, 0.9);
        let moisture = (gaussian(&mut rng) * 0.3).clamp(-0.9, 0.9);
        let noise = rng.random_range(2.0..=9.0);
        let distortion = rng.random_range(0.0..=6.0);
        let distortion_angle = rng.random_range(0.0..std::f32::consts::TAU);
        let partial = rng.random_bool(0.15).then(|| PartialContact {
            angle: rng.random_range(0.0..std::f32::consts::TAU),
            distance: rng.random_range(60.0..=120.0),
        });
        Self {
            shift_x,
            shift_y,
            rotation_deg,
            pressure,
            moisture,
            noise,
            distortion,
            distortion_angle,
            partial,
            texture_seed: rng.random(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_pair_gives_the_same_conditions() {
        assert_eq!(Impression::from_seed(42, 3), Impression::from_seed(42, 3));
        assert_ne!(Impression::from_seed(42, 3), Impression::from_seed(42, 4));
        assert_ne!(Impression::from_seed(42, 3), Impression::from_seed(43, 3));
    }

    #[test]
    fn conditions_stay_in_their_ranges() {
        for finger in 0..20 {
            for n in 0..20 {
                let c = Impression::from_seed(finger, n);
                assert!(c.rotation_deg.abs() <= 15.0);
                assert!((0.0..=1.0).contains(&c.pressure));
                assert!((-1.0..=1.0).contains(&c.moisture));
                assert!(c.noise >= 0.0 && c.distortion >= 0.0);
            }
        }
    }
}
