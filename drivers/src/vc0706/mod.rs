//! VC0706 serial JPEG camera (Adafruit TTL camera and clones): `frame` (bytes ⇄ requests and
//! replies), `command` (one typed request per command), `camera` (the device API), `picture`
//! (accepting a JPEG), `scan` (a strict walk through a JPEG's segments and scan) and `error`.
//!
//! Protocol facts: `docs/reference/vc0706-camera-protocol.md`.

pub mod camera;
pub mod command;
pub mod error;
pub mod frame;
pub mod picture;
pub mod scan;

pub use camera::{
    Camera, CameraOptions, CaptureProgress, CaptureStats, ConfigReport, Photo, PreviewStats,
    ProbeReport, Settings, Verify, line_time,
};
pub use command::{Baud, CameraStatus, FrameAction, ImageSize};
pub use error::CameraError;
pub use picture::{PictureProblem, check_jpeg};
