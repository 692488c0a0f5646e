//! Turning device images into [`Picture`]s the screens can draw.

use std::sync::{
    Arc,
    atomic::{AtomicU64, Ordering},
};

use image::{GrayImage, RgbImage};

use super::view::Picture;

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn next_id() -> u64 {
    NEXT_ID.fetch_add(1, Ordering::Relaxed)
}

/// A fingerprint image, grey.
pub(crate) fn from_grey(image: &GrayImage) -> Picture {
    Picture {
        id: next_id(),
        width: image.width(),
        height: image.height(),
        channels: 1,
        pixels: Arc::new(image.as_raw().clone()),
    }
}

/// The portrait as the record keeps it, read back from its JPEG file: the screens then show the
/// very pixels that go into the face record (the cut and the compression), not the camera's frame.
/// `None`, logged, when the file cannot be read.
pub(crate) fn from_jpeg(jpeg: &[u8]) -> Option<Picture> {
    match image::load_from_memory_with_format(jpeg, image::ImageFormat::Jpeg) {
        Ok(decoded) => Some(from_rgb(&decoded.to_rgb8())),
        Err(e) => {
            tracing::warn!(error = %e, "the kept portrait could not be read back for the screens");
            None
        }
    }
}

/// A camera frame, as RGBA.
pub(crate) fn from_rgb(image: &RgbImage) -> Picture {
    let mut pixels = Vec::with_capacity(image.as_raw().len() / 3 * 4);
    for p in image.as_raw().chunks_exact(3) {
        pixels.extend_from_slice(&[p[0], p[1], p[2], 255]);
    }
    Picture {
        id: next_id(),
        width: image.width(),
        height: image.height(),
        channels: 4,
        pixels: Arc::new(pixels),
    }
}
