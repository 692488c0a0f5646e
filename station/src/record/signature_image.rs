//! The signature drawn as a picture, `signature.png` beside its ISO/IEC 19794-7 record: what the
//! card printer and a person reading the file use, where the time series is what a comparison
//! uses. Black ink on white, 8-bit greyscale, half the pad's units a pixel.

use image::{GrayImage, ImageEncoder, Luma, codecs::png::PngEncoder};
use wire::signature::{PAD_HEIGHT, PAD_WIDTH, Signature};
use zeroize::{Zeroize, Zeroizing};

use super::RecordError;

/// Pad units per pixel.
const UNITS_PER_PIXEL: f32 = 2.0;
/// Width of the picture in pixels.
pub const IMAGE_WIDTH: u32 = PAD_WIDTH as u32 / 2;
/// Height of the picture in pixels.
pub const IMAGE_HEIGHT: u32 = PAD_HEIGHT as u32 / 2;
/// Half the pen's width, in pixels: about a ballpoint's line at the printed size.
const PEN_RADIUS: f32 = 1.6;

/// Draws `signature` and encodes it as PNG. The pixels are wiped once encoded.
pub fn render_png(signature: &Signature) -> Result<Zeroizing<Vec<u8>>, RecordError> {
    let mut canvas = GrayImage::from_pixel(IMAGE_WIDTH, IMAGE_HEIGHT, Luma([255]));
    for stroke in &signature.strokes {
        let points: Vec<(f32, f32)> = stroke
            .iter()
            .map(|s| {
                (
                    f32::from(s.x) / UNITS_PER_PIXEL,
                    f32::from(s.y) / UNITS_PER_PIXEL,
                )
            })
            .collect();
        if let [only] = points.as_slice() {
            dab(&mut canvas, *only);
        }
        for pair in points.windows(2) {
            let ((x0, y0), (x1, y1)) = (pair[0], pair[1]);
            let steps = ((x1 - x0).hypot(y1 - y0) * 2.0).ceil().max(1.0);
            // At most a few thousand dabs per segment: the pad is 500 pixels wide.
            let steps = steps.min(4_000.0) as u32;
            for i in 0..=steps {
                let k = i as f32 / steps as f32;
                dab(&mut canvas, (x0 + (x1 - x0) * k, y0 + (y1 - y0) * k));
            }
        }
    }
    let mut png = Zeroizing::new(Vec::new());
    let encoded = PngEncoder::new(&mut *png).write_image(
        canvas.as_raw(),
        IMAGE_WIDTH,
        IMAGE_HEIGHT,
        image::ExtendedColorType::L8,
    );
    canvas.into_raw().zeroize();
    encoded.map_err(|e| RecordError::ImageEncoding(e.to_string()))?;
    Ok(png)
}

/// Inks a round dab of the pen centred at `(cx, cy)`.
fn dab(canvas: &mut GrayImage, (cx, cy): (f32, f32)) {
    let r = PEN_RADIUS.ceil() as i64;
    let (ix, iy) = (cx.round() as i64, cy.round() as i64);
    for y in (iy - r)..=(iy + r) {
        for x in (ix - r)..=(ix + r) {
            let (Ok(px), Ok(py)) = (u32::try_from(x), u32::try_from(y)) else {
                continue;
            };
            if px >= canvas.width() || py >= canvas.height() {
                continue;
            }
            let d = (x as f32 - cx).hypot(y as f32 - cy);
            if d <= PEN_RADIUS {
                canvas.put_pixel(px, py, Luma([0]));
            }
        }
    }
}
