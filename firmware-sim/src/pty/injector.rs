//! Faults in force and the dice that apply them. The faults can be changed from another thread
//! (a test, the control channel) while the device is sending.

use std::sync::{Arc, Mutex, PoisonError};

use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::FaultSpec;

/// A shared handle on the faults in force on one line (cheap to clone).
#[derive(Debug, Clone, Default)]
pub struct FaultSwitch {
    inner: Arc<Mutex<(FaultSpec, u64)>>,
}

impl FaultSwitch {
    /// A switch set to `spec`.
    pub fn new(spec: FaultSpec) -> Self {
        Self {
            inner: Arc::new(Mutex::new((spec, 0))),
        }
    }

    /// Puts `spec` in force from the next byte sent; counting of commands (for `mute-after` and
    /// `vanish-after`) starts again.
    pub fn set(&self, spec: FaultSpec) {
        let mut guard = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        tracing::info!(faults = %spec, "faults changed");
        guard.0 = spec;
        guard.1 += 1;
    }

    /// The faults in force.
    pub fn get(&self) -> FaultSpec {
        self.snapshot().0
    }

    /// The faults in force and how many times they have been changed.
    pub(crate) fn snapshot(&self) -> (FaultSpec, u64) {
        self.inner
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// Draws faults for each byte, reproducibly from a seed.
#[derive(Debug)]
pub(crate) struct Injector {
    rng: ChaCha8Rng,
}

impl Injector {
    pub(crate) fn new(seed: u64) -> Self {
        Self {
            rng: ChaCha8Rng::seed_from_u64(seed ^ 0x6c69_6e65_6661_756c),
        }
    }

    /// The byte with each bit inverted at the spec's rate, and how many bits were flipped.
    pub(crate) fn flip(&mut self, spec: &FaultSpec, byte: u8) -> (u8, u32) {
        if spec.flip_per_bit <= 0.0 {
            return (byte, 0);
        }
        let mut mask = 0u8;
        for bit in 0..8 {
            if self.rng.random_bool(spec.flip_per_bit) {
                mask |= 1 << bit;
            }
        }
        (byte ^ mask, mask.count_ones())
    }

    /// Whether this byte is lost.
    pub(crate) fn drop(&mut self, spec: &FaultSpec) -> bool {
        spec.drop_per_byte > 0.0 && self.rng.random_bool(spec.drop_per_byte)
    }

    /// Whether the line stalls before this byte.
    pub(crate) fn stall(&mut self, spec: &FaultSpec) -> bool {
        spec.stall_per_byte > 0.0 && self.rng.random_bool(spec.stall_per_byte)
    }

    /// `count` random bytes (garbage at boot, or what a receiver at the wrong baud makes of a byte).
    pub(crate) fn garbage(&mut self, count: usize) -> Vec<u8> {
        (0..count).map(|_| self.rng.random::<u8>()).collect()
    }
}
