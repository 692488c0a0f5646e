//! Connected regions of a pixel mask (4-connected, as OpenCV's `floodFill`), shared by the photo
//! checks (face and skin regions) and the fingerprint quality checks (foreground blobs).

/// The 4-connected region of pixels where `inside` holds, from `start`.
pub(crate) fn flood(
    start: usize,
    w: usize,
    h: usize,
    seen: &mut [bool],
    inside: impl Fn(usize) -> bool,
) -> Vec<usize> {
    let mut region = Vec::new();
    if !inside(start) {
        return region;
    }
    let mut stack = vec![start];
    seen[start] = true;
    while let Some(i) = stack.pop() {
        region.push(i);
        let (x, y) = (i % w, i / w);
        let mut visit = |j: usize| {
            if !seen[j] && inside(j) {
                seen[j] = true;
                stack.push(j);
            }
        };
        if x > 0 {
            visit(i - 1);
        }
        if x + 1 < w {
            visit(i + 1);
        }
        if y > 0 {
            visit(i - w);
        }
        if y + 1 < h {
            visit(i + w);
        }
    }
    region
}

/// The bounding box `(x0, x1, y0, y1)` of a region, inclusive.
pub(crate) fn bounds(region: &[usize], w: usize) -> (usize, usize, usize, usize) {
    let (mut x0, mut x1, mut y0, mut y1) = (usize::MAX, 0, usize::MAX, 0);
    for &i in region {
        let (x, y) = (i % w, i / w);
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    (x0, x1, y0, y1)
}
