//! A live preview: frames captured in a loop, read once, shown and never kept.

use std::time::{Duration, Instant};

use super::{Camera, Photo, Verify};
use crate::transport::Transport;
use crate::vc0706::error::CameraError;

/// Counts of a preview run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PreviewStats {
    /// Frames shown.
    pub frames: u32,
    /// Frames dropped because their JPEG was refused.
    pub dropped: u32,
    /// Time of the run.
    pub elapsed: Duration,
}

impl<T: Transport> Camera<T> {
    /// Captures frames in a loop for a live display until `on_frame` returns `false`. Frames
    /// whose JPEG is refused are dropped and counted; any other failure ends the preview.
    /// Preview frames are read once ([`Verify::Decode`]): they are only shown, never kept, and
    /// the next frame replaces a damaged one. Configure a preview size first
    /// ([`Settings::preview`](super::Settings::preview)).
    pub fn preview(
        &mut self,
        on_frame: &mut dyn FnMut(&Photo) -> bool,
    ) -> Result<PreviewStats, CameraError> {
        let kept = self.options.verify;
        self.options.verify = Verify::Decode;
        let outcome = self.preview_loop(on_frame);
        self.options.verify = kept;
        outcome
    }

    fn preview_loop(
        &mut self,
        on_frame: &mut dyn FnMut(&Photo) -> bool,
    ) -> Result<PreviewStats, CameraError> {
        let started = Instant::now();
        let mut stats = PreviewStats::default();
        loop {
            match self.capture(&mut |_| {}) {
                Ok(photo) => {
                    stats.frames += 1;
                    if !on_frame(&photo) {
                        stats.elapsed = started.elapsed();
                        return Ok(stats);
                    }
                }
                Err(CameraError::Picture { problem }) => {
                    tracing::debug!(device = "vc0706", %problem, "preview frame dropped");
                    stats.dropped += 1;
                }
                Err(error) => return Err(error),
            }
        }
    }
}
