//! Whether what was drawn can be a signature: a dot, a straight line, a scribble of a few points
//! or a stroke too short to read is refused, with the reason the clerk and the applicant are told.
//! The same rules run on the station (before the clerk can validate) and at the central (a record
//! that breaks them was not checked by a station).

use super::{PAD_WIDTH, Signature};

/// Fewest pen-down samples a signature has: a few strokes at a window's 60 Hz give hundreds.
pub const MIN_SAMPLES: usize = 12;
/// Smallest extent (the longer side of the box around the ink), in pad units: below it the ink is
/// a dot, whatever it looks like up close. A twentieth of the pad's width.
pub const MIN_EXTENT: f64 = PAD_WIDTH as f64 / 20.0;
/// Least ink, in pad units: a fifth of the pad's width of pen travel.
pub const MIN_INK: f64 = PAD_WIDTH as f64 / 5.0;
/// The ink's spread across its main direction over its spread along it, below which it is a
/// straight line (a real signature, even a flat one, is about 0.2 or more).
pub const MIN_THICKNESS: f64 = 0.06;

/// Why what was drawn is not taken as a signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Nothing was drawn.
    Empty,
    /// Too few points to be anything.
    TooFewPoints,
    /// All the ink is within a dot.
    Dot,
    /// The ink is one straight line.
    StraightLine,
    /// Too little ink.
    TooShort,
    /// Longer than the record can carry.
    TooLong,
}

impl Refusal {
    /// A stable name (the station's locale key, the central's error text).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Empty => "empty",
            Self::TooFewPoints => "too-few-points",
            Self::Dot => "dot",
            Self::StraightLine => "straight-line",
            Self::TooShort => "too-short",
            Self::TooLong => "too-long",
        }
    }
}

/// Checks `signature` against the rules above.
pub fn assess(signature: &Signature) -> Result<(), Refusal> {
    let samples = signature.samples();
    if samples == 0 {
        return Err(Refusal::Empty);
    }
    if signature.record_points() > super::MAX_POINTS
        || signature.duration_ms() > super::MAX_DURATION_MS
    {
        return Err(Refusal::TooLong);
    }
    let points: Vec<(f64, f64)> = signature
        .strokes
        .iter()
        .flatten()
        .map(|s| (f64::from(s.x), f64::from(s.y)))
        .collect();
    let (min_x, max_x, min_y, max_y) = points.iter().fold(
        (f64::MAX, f64::MIN, f64::MAX, f64::MIN),
        |(a, b, c, d), (x, y)| (a.min(*x), b.max(*x), c.min(*y), d.max(*y)),
    );
    if (max_x - min_x).max(max_y - min_y) < MIN_EXTENT {
        return Err(Refusal::Dot);
    }
    if samples < MIN_SAMPLES {
        return Err(Refusal::TooFewPoints);
    }
    let ink: f64 = signature
        .strokes
        .iter()
        .map(|stroke| {
            stroke
                .windows(2)
                .map(|w| {
                    (f64::from(w[1].x) - f64::from(w[0].x))
                        .hypot(f64::from(w[1].y) - f64::from(w[0].y))
                })
                .sum::<f64>()
        })
        .sum();
    if ink < MIN_INK {
        return Err(Refusal::TooShort);
    }
    // The spread of the points along their two principal axes (the square roots of the covariance
    // matrix's eigenvalues): a line has all of it along one.
    let n = points.len() as f64;
    let (mx, my) = points
        .iter()
        .fold((0.0, 0.0), |(a, b), (x, y)| (a + x / n, b + y / n));
    let (sxx, syy, sxy) = points.iter().fold((0.0, 0.0, 0.0), |(a, b, c), (x, y)| {
        let (dx, dy) = (x - mx, y - my);
        (a + dx * dx / n, b + dy * dy / n, c + dx * dy / n)
    });
    let half_trace = (sxx + syy) / 2.0;
    let root = (((sxx - syy) / 2.0).powi(2) + sxy * sxy).sqrt();
    let (major, minor) = (half_trace + root, (half_trace - root).max(0.0));
    if major <= 0.0 || (minor / major).sqrt() < MIN_THICKNESS {
        return Err(Refusal::StraightLine);
    }
    Ok(())
}
