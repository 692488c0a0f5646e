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
