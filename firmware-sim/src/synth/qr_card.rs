//! The pre-request's QR code held up to the camera, printed on the summary page or shown on a
//! phone's screen: drawn over the applicant's picture in perspective (held at an angle, tilted
//! away), and moving as a hand does, so that some frames are blurred or show only part of the
//! code. A reader has to keep trying frames, as at a real counter.
//!
//! Same card and frame number, same pixels: the poses follow a fixed cycle.

use image::{RgbImage, imageops};

/// What the code is shown on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Holder {
    /// The printed pre-request summary (the code on off-white paper, text lines under it).
    Paper,
    /// A phone's screen (a dark bezel around a bright screen).
    Phone,
}

/// A QR code's content on its holder, ready to be drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QrCard {
    content: String,
    holder: Holder,
    /// Modules per side, without the quiet zone.
    width: usize,
    /// Dark modules, row by row.
    dark: Vec<bool>,
}

/// Why a content cannot be made into a QR code (too long for the largest version).
#[derive(Debug, thiserror::Error)]
#[error("this content does not fit in a QR code: {0}")]
pub struct TooLong(String);

/// Where the card is in one frame: its centre and height in frame heights, its roll, how much it
/// is tilted away (one side farther than the other), and the blur of a moving hand.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Pose {
    /// Centre, in frame widths and heights from the top left.
    pub centre: (f32, f32),
    /// The card's height in frame heights.
    pub height: f32,
    /// Roll in degrees (clockwise).
    pub roll_degrees: f32,
    /// The right edge's length over the left edge's, minus one (0: facing the camera).
    pub tilt: f32,
    /// Gaussian blur's sigma in pixels at 320×240 (0: sharp), scaled with the frame.
    pub blur: f32,
}

/// The hand's cycle: coming into view (the code cut by the frame's edge), moving (blurred), held
/// still at an angle, moving again, drifting out at the top, held still at another angle.
const CYCLE: [Pose; 6] = [
    Pose {
        centre: (0.06, 0.55),
        height: 0.8,
        roll_degrees: 20.0,
        tilt: 0.1,
        blur: 0.0,
    },
    Pose {
        centre: (0.45, 0.52),
        height: 0.78,
        roll_degrees: 16.0,
        tilt: 0.1,
        blur: 3.0,
    },
    Pose {
        centre: (0.52, 0.5),
        height: 0.8,
        roll_degrees: 13.0,
        tilt: 0.12,
        blur: 0.0,
    },
    Pose {
        centre: (0.5, 0.55),
        height: 0.8,
        roll_degrees: 4.0,
        tilt: 0.05,
        blur: 2.2,
    },
    Pose {
        centre: (0.5, 0.05),
        height: 0.8,
        roll_degrees: -5.0,
        tilt: -0.05,
        blur: 0.0,
    },
    Pose {
        centre: (0.47, 0.5),
        height: 0.8,
        roll_degrees: -7.0,
        tilt: 0.06,
        blur: 0.0,
    },
];

/// The pose of the `frame`-th frame since the card was shown.
pub fn pose(frame: u64) -> Pose {
    CYCLE[(frame % CYCLE.len() as u64) as usize]
}

impl QrCard {
    /// `content` encoded at the medium error-correction level (as printed summaries are) on `holder`.
    pub fn new(content: &str, holder: Holder) -> Result<Self, TooLong> {
        let code = qrcode::QrCode::with_error_correction_level(content, qrcode::EcLevel::M)
            .map_err(|e| TooLong(e.to_string()))?;
        let dark = code
            .to_colors()
            .into_iter()
            .map(|c| c == qrcode::Color::Dark)
            .collect();
        Ok(Self {
            content: content.to_owned(),
            holder,
            width: code.width(),
            dark,
        })
    }

    /// What the code holds.
    pub fn content(&self) -> &str {
        &self.content
    }

    /// What it is shown on.
    pub fn holder(&self) -> Holder {
        self.holder
    }

    /// The holder's size in its own units (the height is 1).
    fn size(&self) -> (f32, f32) {
        match self.holder {
            Holder::Paper => (0.8, 1.0),
            Holder::Phone => (0.56, 1.0),
        }
    }

    /// The colour of the holder at `(u, v)` in its units (inside it).
    fn colour_at(&self, u: f32, v: f32) -> [f32; 3] {
        let (w, _) = self.size();
        let (paper, ink) = match self.holder {
            Holder::Paper => ([236.0, 233.0, 222.0], [28.0, 28.0, 32.0]),
            Holder::Phone => ([238.0, 242.0, 248.0], [12.0, 12.0, 16.0]),
        };
        if self.holder == Holder::Phone {
            let bezel = 0.035;
            if !(bezel..=w - bezel).contains(&u) || !(0.07..=0.93).contains(&v) {
                return [22.0, 22.0, 26.0];
            }
        }
        // The code, quiet zone included, centred across, in the upper part.
        let side = w * 0.86;
        let (left, top) = ((w - side) / 2.0, 0.1);
        let modules = self.width + 8;
        if (left..left + side).contains(&u) && (top..top + side).contains(&v) {
            let mx = ((u - left) / side * modules as f32) as usize;
            let my = ((v - top) / side * modules as f32) as usize;
            let inside = (4..self.width + 4).contains(&mx) && (4..self.width + 4).contains(&my);
            let dark = inside && self.dark[(my - 4) * self.width + (mx - 4)];
            return if dark { ink } else { paper };
        }
        // Under the code, lines of text (grey bands) on the paper, a button on the phone.
        let below = v - (top + side);
        let line = (below / 0.05) as u32;
        let in_line = below.rem_euclid(0.05) < 0.022 && line < 4 && u > 0.08 && u < w - 0.08;
        match self.holder {
            Holder::Paper if in_line => [120.0, 120.0, 126.0],
            Holder::Phone if line == 1 && in_line => [40.0, 90.0, 200.0],
            _ => paper,
        }
    }

    /// Draws the card over `picture` in `pose` (the hand's blur blurs the whole frame: the camera
    /// focuses on the card, the applicant behind it moves with it).
    pub fn draw(&self, picture: &mut RgbImage, pose: Pose) {
        let (fw, fh) = (picture.width() as f32, picture.height() as f32);
        let (w, h) = self.size();
        let scale = pose.height * fh;
        let (sin, cos) = pose.roll_degrees.to_radians().sin_cos();
        // Corners in card units (top left, top right, bottom right, bottom left), the right side
        // longer or shorter by the tilt, then rolled and placed.
        let corners = [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)].map(|(u, v): (f32, f32)| {
            let stretch = 1.0 + pose.tilt * (u / w);
            let (x, y) = ((u - w / 2.0) * scale, (v - h / 2.0) * stretch * scale);
            (
                pose.centre.0 * fw + x * cos - y * sin,
                pose.centre.1 * fh + x * sin + y * cos,
            )
        });
        let Some(to_card) = Homography::mapping(corners, [(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)])
        else {
            return;
        };
        let (x0, x1, y0, y1) = corners.iter().fold(
            (f32::MAX, f32::MIN, f32::MAX, f32::MIN),
            |(a, b, c, d), &(x, y)| (a.min(x), b.max(x), c.min(y), d.max(y)),
        );
        let clamp = |v: f32, max: u32| (v.max(0.0) as u32).min(max);
        for py in clamp(y0.floor(), picture.height())..clamp(y1.ceil() + 1.0, picture.height()) {
            for px in clamp(x0.floor(), picture.width())..clamp(x1.ceil() + 1.0, picture.width()) {
                // Four samples a pixel: the code's edges are smooth, as a lens sees them.
                let mut sum = [0.0f32; 3];
                let mut covered = 0u32;
                for (dx, dy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
                    let (u, v) = to_card.apply(px as f32 + dx, py as f32 + dy);
                    if (0.0..w).contains(&u) && (0.0..h).contains(&v) {
                        // Light falls off across the card.
                        let light = 1.0 - 0.12 * (u / w) - 0.05 * (v / h);
                        let c = self.colour_at(u, v);
                        for (s, c) in sum.iter_mut().zip(c) {
                            *s += c * light;
                        }
                        covered += 1;
                    }
                }
                if covered == 0 {
                    continue;
                }
                let pixel = picture.get_pixel_mut(px, py);
                let behind = covered as f32 / 4.0;
                for (channel, s) in pixel.0.iter_mut().zip(sum) {
                    let card = s / covered as f32;
                    *channel = (card * behind + f32::from(*channel) * (1.0 - behind))
                        .round()
                        .clamp(0.0, 255.0) as u8;
                }
            }
        }
        if pose.blur > 0.0 {
            *picture = imageops::blur(picture, pose.blur * fw / 320.0);
        }
    }
}

/// A plane-to-plane projective map.
#[derive(Debug, Clone, Copy)]
struct Homography([f32; 8]);

impl Homography {
    /// The map taking each of `from` to the matching `to`; None when the points are degenerate.
    fn mapping(from: [(f32, f32); 4], to: [(f32, f32); 4]) -> Option<Self> {
        // u = (h0 x + h1 y + h2) / (h6 x + h7 y + 1), v likewise with h3..h5: two linear
        // equations a point, solved by elimination with partial pivoting (in f64).
        let mut rows = [[0.0f64; 9]; 8];
        for (i, ((x, y), (u, v))) in from.into_iter().zip(to).enumerate() {
            let (x, y, u, v) = (f64::from(x), f64::from(y), f64::from(u), f64::from(v));
            rows[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -x * u, -y * u, u];
            rows[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -x * v, -y * v, v];
        }
        for col in 0..8 {
            let pivot =
                (col..8).max_by(|&a, &b| rows[a][col].abs().total_cmp(&rows[b][col].abs()))?;
            if rows[pivot][col].abs() < 1e-12 {
                return None;
            }
            rows.swap(col, pivot);
            let pivot_row = rows[col];
            for (row, values) in rows.iter_mut().enumerate() {
                if row != col {
                    let factor = values[col] / pivot_row[col];
                    for (value, pivot) in values.iter_mut().zip(pivot_row).skip(col) {
                        *value -= factor * pivot;
                    }
                }
            }
        }
        let mut h = [0.0f32; 8];
        for (i, value) in h.iter_mut().enumerate() {
            *value = (rows[i][8] / rows[i][i]) as f32;
        }
        Some(Self(h))
    }

    fn apply(&self, x: f32, y: f32) -> (f32, f32) {
        let h = &self.0;
        let d = h[6] * x + h[7] * y + 1.0;
        (
            (h[0] * x + h[1] * y + h[2]) / d,
            (h[3] * x + h[4] * y + h[5]) / d,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_map_takes_each_corner_where_asked() {
        let from = [(10.0, 20.0), (200.0, 35.0), (190.0, 220.0), (5.0, 200.0)];
        let to = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)];
        let map = Homography::mapping(from, to).expect("a map");
        for (f, t) in from.into_iter().zip(to) {
            let (u, v) = map.apply(f.0, f.1);
            assert!(
                (u - t.0).abs() < 1e-3 && (v - t.1).abs() < 1e-3,
                "{f:?} → {u},{v}"
            );
        }
        assert!(Homography::mapping([(0.0, 0.0); 4], to).is_none());
    }

    #[test]
    fn a_content_too_long_for_any_code_is_refused() {
        assert!(QrCard::new(&"A".repeat(5000), Holder::Paper).is_err());
        let card = QrCard::new("DEMO000001", Holder::Phone).expect("fits");
        assert_eq!(card.content(), "DEMO000001");
    }

    #[test]
    fn the_poses_come_round_again() {
        assert_eq!(pose(0), pose(CYCLE.len() as u64));
        assert!(CYCLE.iter().any(|p| p.blur > 0.0));
    }
}
