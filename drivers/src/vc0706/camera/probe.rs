//! Finding the camera: the speed it answers at, and its version.

use std::time::Duration;

use super::Camera;
use crate::transport::Transport;
use crate::vc0706::command::{Baud, Command, GetVersion};
use crate::vc0706::error::CameraError;

/// What [`Camera::probe`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeReport {
    /// The speed the camera answered at.
    pub baud: u32,
    /// Its version text.
    pub version: String,
}

impl<T: Transport> Camera<T> {
    /// Finds the camera's speed: tries the line's current speed, then every speed the camera
    /// has, asking for the version at each.
    pub fn probe(&mut self) -> Result<ProbeReport, CameraError> {
        let mut candidates = vec![self.line.baud()];
        for baud in [Baud::DEFAULT]
            .into_iter()
            .chain(Baud::ALL)
            .map(Baud::bits_per_second)
        {
            if !candidates.contains(&baud) {
                candidates.push(baud);
            }
        }
        for baud in candidates {
            self.line
                .set_baud(baud)
                .map_err(|e| CameraError::from_transport(GetVersion::NAME, e))?;
            self.line
                .drain(Duration::from_millis(20), Duration::from_millis(300))
                .map_err(|e| CameraError::from_transport(GetVersion::NAME, e))?;
            match self.send(&GetVersion) {
                Ok(version) => {
                    tracing::info!(device = "vc0706", baud, %version, "camera found");
                    return Ok(ProbeReport { baud, version });
                }
                Err(CameraError::PortGone) => return Err(CameraError::PortGone),
                Err(CameraError::Line { command, source }) => {
                    return Err(CameraError::Line { command, source });
                }
                Err(error) => {
                    tracing::debug!(device = "vc0706", baud, %error, "no answer at this speed");
                }
            }
        }
        Err(CameraError::Timeout {
            command: GetVersion::NAME,
        })
    }

    /// The firmware's version text.
    pub fn version(&mut self) -> Result<String, CameraError> {
        self.send(&GetVersion)
    }
}
