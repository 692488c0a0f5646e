//! The desk's devices, a part of the core that owns them: the fingerprint module's worker, the
//! camera's worker, and each device's description for the records' manifests.

use drivers::discovery::DeviceKind;

use super::{
    camera_worker::{CameraOrder, CameraWorker},
    fingerprint_worker::{FingerOrder, FingerprintWorker},
    technician_jobs::Lent,
};
use crate::record::manifest::Device;

/// The device workers and what their devices said of themselves.
pub(crate) struct Devices {
    /// The fingerprint module's worker.
    pub finger: FingerprintWorker,
    /// The camera's worker, when a camera is configured.
    pub camera: Option<CameraWorker>,
    /// The fingerprint module, once it answered.
    pub fingerprint_device: Option<Device>,
    /// The camera, once it answered.
    pub camera_device: Option<Device>,
}

impl Devices {
    /// The devices that answered, for a record's manifest.
    pub(crate) fn described(&self) -> Vec<Device> {
        self.fingerprint_device
            .iter()
            .chain(self.camera_device.iter())
            .cloned()
            .collect()
    }

    /// Lends `device`'s port to a technician's routine, run on the device's worker thread. False
    /// when the worker is busy or there is no such device.
    pub(crate) fn lend(&self, device: DeviceKind, lent: Lent) -> bool {
        match device {
            DeviceKind::Fingerprint => self.finger.order(FingerOrder::Lend(lent)),
            DeviceKind::Camera => self
                .camera
                .as_ref()
                .is_some_and(|c| c.order(CameraOrder::Lend(lent))),
        }
    }

    /// Stops both workers and waits for them.
    pub(crate) fn stop(&mut self) {
        self.finger.stop();
        if let Some(camera) = self.camera.as_mut() {
            camera.stop();
        }
    }
}
