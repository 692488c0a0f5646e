//! The grey image as the measures see it: a borrowed 8-bit plane with its size, plus the whitespace
//! crop NFIQ 2 applies before measuring anything.

/// A read-only 8-bit grey plane, row-major.
#[derive(Clone, Copy)]
pub(crate) struct Plane<'a> {
    pub px: &'a [u8],
    pub width: usize,
    pub height: usize,
}

impl Plane<'_> {
    #[inline]
    pub fn at(&self, x: usize, y: usize) -> u8 {
        self.px[y * self.width + x]
    }

    /// Mean and population standard deviation of every pixel (OpenCV `meanStdDev`).
    pub fn mean_std(&self) -> (f64, f64) {
        let n = self.px.len();
        if n == 0 {
            return (0.0, 0.0);
        }
        let (mut s, mut s2) = (0u64, 0u64);
        for &v in self.px {
            s += u64::from(v);
            s2 += u64::from(v) * u64::from(v);
        }
        let mean = s as f64 / n as f64;
        let var = (s2 as f64 / n as f64 - mean * mean).max(0.0);
        (mean, var.sqrt())
    }
}

/// Mean grey level above which a row or column counts as white margin
/// (NFIQ 2 `removeWhiteFrameAroundFingerprint`, MU_THRESHOLD).
const WHITE_ROW_MEAN: f64 = 250.0;

/// The rectangle NFIQ 2 keeps after trimming near-white rows and columns on each side. Returns
/// (x, y, width, height); the whole image when every line is white. The published NFIQ 2 outputs
/// (data/nfiq2-examples) match a crop that keeps no extra margin line, so none is kept here.
pub(crate) fn white_frame_crop(img: Plane<'_>) -> (usize, usize, usize, usize) {
    let (w, h) = (img.width, img.height);
    let row_mean = |y: usize| {
        img.px[y * w..(y + 1) * w]
            .iter()
            .map(|&v| u64::from(v))
            .sum::<u64>() as f64
            / w as f64
    };
    let col_mean =
        |x: usize| (0..h).map(|y| u64::from(img.at(x, y))).sum::<u64>() as f64 / h as f64;
    let inked_rows: Vec<usize> = (0..h).filter(|&y| row_mean(y) <= WHITE_ROW_MEAN).collect();
    let inked_cols: Vec<usize> = (0..w).filter(|&x| col_mean(x) <= WHITE_ROW_MEAN).collect();
    match (
        inked_rows.first(),
        inked_rows.last(),
        inked_cols.first(),
        inked_cols.last(),
    ) {
        (Some(&top), Some(&bottom), Some(&left), Some(&right)) => {
            (left, top, right - left + 1, bottom - top + 1)
        }
        _ => (0, 0, w, h),
    }
}

/// Copies a rectangle out of a plane.
pub(crate) fn copy_rect(img: Plane<'_>, x0: usize, y0: usize, w: usize, h: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(w * h);
    for y in y0..y0 + h {
        out.extend_from_slice(&img.px[y * img.width + x0..y * img.width + x0 + w]);
    }
    out
}
