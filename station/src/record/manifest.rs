//! `manifest.json`: what was captured, how, by whom, for which pre-request. The shared wire type
//! (docs/record-format.md); the station fills it in `enrolment::review` and writes it in
//! [`Payload::to_tar`](super::Payload::to_tar).

pub use wire::manifest::{
    Device, Finger, FingerException, MANIFEST_FORMAT, Manifest, PHOTO_FROM_CAMERA, PHOTO_ON_PAPER,
    Photo, Quality, UNDER_12,
};
