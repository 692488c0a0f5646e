//! Textures for the pictures in the view (preview, photo, fingerprints), uploaded once per picture
//! id and dropped when no longer shown.

use std::collections::HashMap;

use eframe::egui::{self, ColorImage, TextureHandle, TextureOptions};

use crate::desk::Picture;

/// The textures of the pictures shown recently.
#[derive(Default)]
pub(crate) struct Pictures {
    textures: HashMap<u64, (TextureHandle, u64)>,
    frame: u64,
}

impl std::fmt::Debug for Pictures {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pictures")
            .field("textures", &self.textures.len())
            .finish()
    }
}

/// Frames a texture is kept after it was last drawn.
const KEEP_FRAMES: u64 = 120;

impl Pictures {
    /// Called once per frame: textures unused for a while are freed.
    pub(crate) fn next_frame(&mut self) {
        self.frame += 1;
        let frame = self.frame;
        self.textures
            .retain(|_, (_, used)| frame.saturating_sub(*used) < KEEP_FRAMES);
    }

    /// The texture for `picture`, uploading it the first time; `None` if its pixels do not match
    /// its size (never panics on a malformed picture).
    pub(crate) fn texture(
        &mut self,
        ctx: &egui::Context,
        picture: &Picture,
    ) -> Option<&TextureHandle> {
        let frame = self.frame;
        if let std::collections::hash_map::Entry::Vacant(slot) = self.textures.entry(picture.id) {
            let image = color_image(picture)?;
            let handle = ctx.load_texture(
                format!("picture-{}", picture.id),
                image,
                TextureOptions::LINEAR,
            );
            slot.insert((handle, frame));
        }
        let entry = self.textures.get_mut(&picture.id)?;
        entry.1 = frame;
        Some(&entry.0)
    }

    /// Draws `picture` scaled to fit `max` (keeping its aspect ratio), or a grey box.
    /// Returns where it was drawn, for what is drawn over it (the photo's face guide).
    pub(crate) fn show(
        &mut self,
        ui: &mut egui::Ui,
        picture: &Picture,
        max: egui::Vec2,
    ) -> egui::Rect {
        self.show_named(ui, picture, max, None)
    }

    /// As [`Pictures::show`], the picture named for screen readers (and the tests) by `name`.
    pub(crate) fn show_named(
        &mut self,
        ui: &mut egui::Ui,
        picture: &Picture,
        max: egui::Vec2,
        name: Option<&str>,
    ) -> egui::Rect {
        let ctx = ui.ctx().clone();
        match self.texture(&ctx, picture) {
            Some(texture) => {
                let size = fit(texture.size_vec2(), max);
                let mut image = egui::Image::new((texture.id(), size));
                if let Some(name) = name {
                    image = image.alt_text(name);
                }
                ui.add(image).rect
            }
            None => ui.allocate_space(max).1,
        }
    }
}

fn color_image(picture: &Picture) -> Option<ColorImage> {
    let (w, h) = (picture.width as usize, picture.height as usize);
    let expected = w
        .checked_mul(h)?
        .checked_mul(usize::from(picture.channels))?;
    if expected == 0 || picture.pixels.len() != expected {
        tracing::warn!(
            id = picture.id,
            width = w,
            height = h,
            channels = picture.channels,
            bytes = picture.pixels.len(),
            "picture with a wrong size not shown"
        );
        return None;
    }
    match picture.channels {
        1 => Some(ColorImage::from_gray([w, h], &picture.pixels)),
        3 => Some(ColorImage::from_rgb([w, h], &picture.pixels)),
        4 => Some(ColorImage::from_rgba_unmultiplied([w, h], &picture.pixels)),
        _ => None,
    }
}

/// `size` scaled to fit in `max`, aspect kept.
pub(crate) fn fit(size: egui::Vec2, max: egui::Vec2) -> egui::Vec2 {
    if size.x <= 0.0 || size.y <= 0.0 {
        return max;
    }
    let scale = (max.x / size.x).min(max.y / size.y);
    size * scale
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use super::*;

    #[test]
    fn a_picture_whose_pixels_do_not_match_its_size_is_not_made_an_image() {
        let bad = Picture {
            id: 1,
            width: 10,
            height: 10,
            channels: 1,
            pixels: Arc::new(vec![0; 99]),
        };
        assert!(color_image(&bad).is_none());
        let huge = Picture {
            width: u32::MAX,
            height: u32::MAX,
            channels: 4,
            ..bad.clone()
        };
        assert!(color_image(&huge).is_none());
        let good = Picture {
            pixels: Arc::new(vec![7; 100]),
            ..bad
        };
        assert_eq!(color_image(&good).map(|i| i.size), Some([10, 10]));
    }

    #[test]
    fn fit_keeps_the_aspect_ratio() {
        let s = fit(egui::vec2(256.0, 288.0), egui::vec2(128.0, 400.0));
        assert!((s.x - 128.0).abs() < 0.01 && (s.y - 144.0).abs() < 0.01);
    }
}
