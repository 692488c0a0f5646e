//! Sensor images on the wire: 4 bits a pixel, high nibble = left pixel (reference:
//! `docs/reference/zfm-fingerprint-protocol.md`, "Image upload").

use image::GrayImage;

/// Bytes on the wire for a `width` × `height` image (two pixels a byte).
pub fn packed_len(width: u32, height: u32) -> usize {
    (width as usize * height as usize).div_ceil(2)
}

/// Expands packed 4-bit pixels into an 8-bit image: nibble n becomes n × 17, so 0 → 0 and
/// 15 → 255 (the convention agreed with the simulator in `interfaces.md`). `None` if `packed` is
/// not exactly the size the dimensions call for.
pub fn expand_nibbles(packed: &[u8], width: u32, height: u32) -> Option<GrayImage> {
    if packed.len() != packed_len(width, height) {
        return None;
    }
    let pixels = width as usize * height as usize;
    let mut out = Vec::with_capacity(pixels + 1);
    for &byte in packed {
        out.push((byte >> 4) * 17);
        out.push((byte & 0x0F) * 17);
    }
    out.truncate(pixels);
    GrayImage::from_raw(width, height, out)
}

/// Expands the first bytes of an image still on its way: the pixels received, then white (the
/// sensor's empty glass) for the rest. Bytes beyond the image's size are ignored.
pub fn expand_partial(packed: &[u8], width: u32, height: u32) -> Option<GrayImage> {
    let pixels = width as usize * height as usize;
    let mut out = Vec::with_capacity(pixels + 1);
    for &byte in packed.iter().take(packed_len(width, height)) {
        out.push((byte >> 4) * 17);
        out.push((byte & 0x0F) * 17);
    }
    out.truncate(pixels);
    out.resize(pixels, u8::MAX);
    GrayImage::from_raw(width, height, out)
}

/// Packs an 8-bit image into 4-bit pixels (the top nibble of each pixel), as DownImage sends it.
pub fn pack_nibbles(image: &GrayImage) -> Vec<u8> {
    image
        .as_raw()
        .chunks(2)
        .map(|pair| {
            let left = pair.first().copied().unwrap_or(0) >> 4;
            let right = pair.get(1).copied().unwrap_or(0) >> 4;
            (left << 4) | right
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn nibbles_expand_left_pixel_first() {
        let image = expand_nibbles(&[0x0F, 0xA5], 2, 2).expect("size");
        assert_eq!(image.as_raw(), &vec![0, 255, 170, 85]);
        assert!(expand_nibbles(&[0; 3], 2, 2).is_none());
        assert_eq!(packed_len(256, 288), 36_864);
        assert_eq!(packed_len(192, 192), 18_432);
    }

    #[test]
    fn a_partial_image_is_the_rows_received_then_white() {
        let image = expand_partial(&[0x0F], 2, 2).expect("size");
        assert_eq!(image.as_raw(), &vec![0, 255, 255, 255]);
        let whole = expand_partial(&[0x0F, 0xA5, 0xFF], 2, 2).expect("size");
        assert_eq!(
            whole.as_raw(),
            &vec![0, 255, 170, 85],
            "extra bytes ignored"
        );
        assert_eq!(
            expand_partial(&[], 3, 1).expect("size").as_raw(),
            &vec![255; 3]
        );
    }

    proptest! {
        #[test]
        fn packing_then_expanding_keeps_the_top_nibbles(
            pixels in proptest::collection::vec(any::<u8>(), 16..=16)
        ) {
            let image = GrayImage::from_raw(4, 4, pixels.clone()).expect("4x4");
            let back = expand_nibbles(&pack_nibbles(&image), 4, 4).expect("size");
            let expected: Vec<u8> = pixels.iter().map(|v| (v >> 4) * 17).collect();
            prop_assert_eq!(back.as_raw(), &expected);
        }
    }
}
