//! `manifest.json` inside the payload tar: the shared wire type (the checks are in `payload.rs`).

pub use wire::manifest::{
    Device, Finger, FingerException, MANIFEST_FORMAT, Manifest, PHOTO_FROM_CAMERA, PHOTO_ON_PAPER,
    Photo, Quality, UNDER_12,
};
