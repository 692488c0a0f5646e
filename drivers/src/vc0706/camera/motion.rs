//! Motion detection: the camera sends a notice of its own when the scene moves.

use std::time::Instant;

use super::Camera;
use crate::transport::Transport;
use crate::vc0706::command::{MOTION_DETECTED, MotionControl, SetMotionDetection};
use crate::vc0706::error::CameraError;

impl<T: Transport> Camera<T> {
    /// Turns motion detection on (the camera then sends a notice when the scene moves) or off.
    pub fn set_motion_detection(&mut self, on: bool) -> Result<(), CameraError> {
        if on {
            self.send(&MotionControl)?;
        }
        self.send(&SetMotionDetection(on))
    }

    /// Waits for the camera's "motion detected" notice until `deadline`: `true` if it came.
    pub fn wait_for_motion(&mut self, deadline: Instant) -> Result<bool, CameraError> {
        match self.read_reply("motion detected", MOTION_DETECTED, deadline) {
            Ok(_) => Ok(true),
            Err(CameraError::Timeout { .. }) => Ok(false),
            Err(error) => Err(error),
        }
    }
}
