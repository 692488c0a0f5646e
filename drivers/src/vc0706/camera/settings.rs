//! Putting settings in force: picture size and compression (stored, applied at the next reset),
//! the reset and its boot text, and the line speed.

use std::time::{Duration, Instant};

use super::{Camera, MAX_STRAY};
use crate::transport::{Transport, TransportError};
use crate::vc0706::command::{
    Baud, Command, GetImageSize, GetVersion, ImageSize, Reset, SetBaud, SetCompression,
    SetImageSize,
};
use crate::vc0706::error::CameraError;

/// The compression byte the camera ships with (Adafruit's default, 0x36).
pub const DEFAULT_COMPRESSION: u8 = 0x36;
/// The compression byte for the kept photo. The record keeps only the 35×45 mm cut of the frame,
/// re-encoded at 300 dpi, and the line carries every JPEG byte twice (it has no checksum, see
/// [`super::Verify`]): at the default 0x36 a simulated 640×480 portrait is 25–30 KB, 4.4 s or more
/// for both reads at 115,200 baud; at this setting (JPEG quality 41 on the simulator) it is about
/// 14 KB, 2.4 s for both reads, and the checks and the cut still pass; at 0xD0 the first portraits are refused.
/// The table behind the choice: e2e test `photo_compression::compression_sweep`.
pub const PORTRAIT_COMPRESSION: u8 = 0xA0;
/// The most a 640×480 portrait's JPEG should weigh at [`PORTRAIT_COMPRESSION`], bytes: read
/// twice at 115,200 baud, such a frame crosses the line in under 2.7 s.
pub const PORTRAIT_FRAME_BYTES: u32 = 15 * 1024;
/// How long the boot text may take after a reset (it is about 70 bytes, 20 ms at 38,400 baud,
/// printed once the chip has restarted; the reference advises ~200 ms before configuring).
pub const BOOT_TIMEOUT: Duration = Duration::from_millis(1_500);
/// The last line of the boot text.
const BOOT_END: &[u8] = b"Init end\r\n";

/// The settings the camera takes at reset: picture size and compression (stored, applied at the
/// next reset), then the line speed (applied at once, lost at the next reset).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Settings {
    /// Picture size.
    pub size: ImageSize,
    /// Compression byte: higher means smaller, coarser JPEGs.
    pub compression: u8,
    /// Line speed after configuration.
    pub baud: Baud,
}

impl Settings {
    /// The photo kept in the record: 640×480, compressed for the record
    /// ([`PORTRAIT_COMPRESSION`]), 115,200 baud.
    pub fn capture() -> Self {
        Self {
            size: ImageSize::Vga,
            compression: PORTRAIT_COMPRESSION,
            baud: Baud::B115200,
        }
    }

    /// A live preview at `size` (160×120 or 320×240), compressed as the kept photo, 115,200 baud.
    pub fn preview(size: ImageSize) -> Self {
        Self {
            size,
            ..Self::capture()
        }
    }
}

/// What [`Camera::configure`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigReport {
    /// The settings now in force.
    pub settings: Settings,
    /// The boot text the reset printed (drained, never mistaken for a reply).
    pub boot_text: String,
    /// The version text read back at the new speed.
    pub version: String,
    /// How long the whole configuration took.
    pub elapsed: Duration,
}

impl<T: Transport> Camera<T> {
    /// Resets the camera: it answers at the current speed, restarts at 38,400 baud and prints
    /// its boot text, which is read and drained here so that it is never taken for a reply.
    /// Returns the boot text.
    pub fn reset(&mut self) -> Result<String, CameraError> {
        self.send(&Reset)?;
        let name = Reset::NAME;
        self.line
            .set_baud(Baud::DEFAULT.bits_per_second())
            .map_err(|e| CameraError::from_transport(name, e))?;
        self.size = None;
        let deadline = Instant::now() + BOOT_TIMEOUT;
        let mut boot = Vec::new();
        let mut scratch = [0u8; 128];
        while !boot.windows(BOOT_END.len()).any(|w| w == BOOT_END) && boot.len() < MAX_STRAY {
            match self.line.read_some_by(&mut scratch, deadline) {
                Ok(n) => boot.extend_from_slice(&scratch[..n]),
                Err(TransportError::Timeout) => {
                    tracing::warn!(
                        device = "vc0706",
                        bytes = boot.len(),
                        "no end of boot text after reset"
                    );
                    break;
                }
                Err(e) => return Err(CameraError::from_transport(name, e)),
            }
        }
        // Whatever follows the boot text (noise, a second banner) is drained too.
        self.line
            .drain(Duration::from_millis(30), Duration::from_millis(300))
            .map_err(|e| CameraError::from_transport(name, e))?;
        Ok(String::from_utf8_lossy(&boot).trim().to_owned())
    }

    /// Changes the line speed: the camera answers at the old speed, then both ends switch and
    /// the new speed is checked with a version request. A reset returns the camera to 38,400.
    pub fn set_baud(&mut self, baud: Baud) -> Result<(), CameraError> {
        self.send(&SetBaud(baud))?;
        self.line
            .set_baud(baud.bits_per_second())
            .map_err(|e| CameraError::from_transport(SetBaud::NAME, e))?;
        self.line
            .drain(Duration::from_millis(10), Duration::from_millis(100))
            .map_err(|e| CameraError::from_transport(SetBaud::NAME, e))?;
        let mut last = None;
        for _ in 0..2 {
            match self.send(&GetVersion) {
                Ok(_) => return Ok(()),
                Err(CameraError::PortGone) => return Err(CameraError::PortGone),
                Err(error) => last = Some(error),
            }
        }
        Err(last.unwrap_or(CameraError::Timeout {
            command: SetBaud::NAME,
        }))
    }

    /// The picture size stored in the camera (the size in force, if no write since the last
    /// reset).
    pub fn image_size(&mut self) -> Result<ImageSize, CameraError> {
        self.send(&GetImageSize)?
            .map_err(|unknown| CameraError::SizeMismatch {
                expected: ImageSize::Vga.code(),
                found: unknown.0,
            })
    }

    /// Stores a picture size; it applies at the next reset.
    pub fn set_image_size(&mut self, size: ImageSize) -> Result<(), CameraError> {
        self.send(&SetImageSize(size))
    }

    /// Stores a compression byte; it applies at the next reset.
    pub fn set_compression(&mut self, compression: u8) -> Result<(), CameraError> {
        self.send(&SetCompression(compression))
    }

    /// Puts settings in force: size and compression are stored, the camera is reset (they apply
    /// then, and the boot text is drained), the size is read back, and the speed is raised.
    pub fn configure(&mut self, settings: &Settings) -> Result<ConfigReport, CameraError> {
        let started = Instant::now();
        self.set_image_size(settings.size)?;
        self.set_compression(settings.compression)?;
        let boot_text = self.reset()?;
        let size = self.image_size()?;
        if size != settings.size {
            return Err(CameraError::SizeMismatch {
                expected: settings.size.code(),
                found: size.code(),
            });
        }
        self.size = Some(size);
        if settings.baud != Baud::DEFAULT {
            self.set_baud(settings.baud)?;
        }
        let version = self.version()?;
        tracing::info!(
            device = "vc0706",
            size = %settings.size,
            compression = settings.compression,
            baud = settings.baud.bits_per_second(),
            "camera configured"
        );
        Ok(ConfigReport {
            settings: *settings,
            boot_text,
            version,
            elapsed: started.elapsed(),
        })
    }
}
