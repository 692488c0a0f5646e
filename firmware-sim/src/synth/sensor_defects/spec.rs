//! The fingerprint sensor's defects as written on the command line, in tests and on the control
//! socket.

use std::fmt;
use std::str::FromStr;

/// Largest vignetting accepted: the corners keep at least a tenth of the light.
const MAX_VIGNETTING: f64 = 0.9;
/// Largest noise accepted, grey levels (standard deviation).
const MAX_NOISE: f64 = 64.0;
/// Most dead or stuck pixels accepted (a sensor with more is not worth calibrating).
const MAX_BAD_PIXELS: u32 = 10_000;
/// Largest dirty patch radius accepted, pixels.
const MAX_DIRTY_RADIUS: u32 = 200;

/// A latent-print residue on the glass: a disc of `radius` pixels, at `centre` or, when `None`,
/// at a place drawn from the simulator's seed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DirtyPatch {
    /// Radius, pixels.
    pub radius: u32,
    /// Centre (x, y), pixels; `None`: drawn from the seed.
    pub centre: Option<(u32, u32)>,
}

/// What is wrong with a simulated fingerprint sensor. The default is a perfect sensor, which
/// leaves every image exactly as synthesised.
///
/// - `vignetting=V`: the light falls off towards the edges; the corners lose the fraction V
///   (0 ≤ V ≤ 0.9) of it, following the square of the distance from the centre;
/// - `noise=S`: every frame gets Gaussian temporal noise of S grey levels (standard deviation);
/// - `dead=N`: N pixels always read 0; `stuck=N`: N pixels always read 255 (placed from the seed);
/// - `dirty=R` or `dirty=R@XxY`: a latent print of radius R on the glass, at (X, Y) or placed from
///   the seed, that darkens what is seen through it by [`super::layout::DIRTY_DEPTH`];
/// - `dimming=D`: the light source loses the fraction D of its brightness every 100 captures.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SensorDefects {
    /// Fraction of the light lost in the corners (0 = none).
    pub vignetting: f64,
    /// Temporal noise, grey levels (standard deviation).
    pub noise: f64,
    /// Pixels that always read 0.
    pub dead: u32,
    /// Pixels that always read 255.
    pub stuck: u32,
    /// A latent-print residue on the glass.
    pub dirty: Option<DirtyPatch>,
    /// Fraction of the light lost every 100 captures.
    pub dimming: f64,
}

/// Why a defect specification could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SensorDefectsError {
    /// An item was not of the form `name=value`.
    #[error("defect item {0:?} is not name=value")]
    NotNameValue(String),
    /// The name is not one of the known defects.
    #[error("unknown defect {0:?} (expected vignetting, noise, dead, stuck, dirty, dimming)")]
    UnknownDefect(String),
    /// The value is not a number in the accepted range.
    #[error("defect {name}: {value:?} is not a number in {range}")]
    BadValue {
        /// The defect's name.
        name: String,
        /// The text given.
        value: String,
        /// The range accepted.
        range: &'static str,
    },
    /// A dirty patch was not written `R` or `R@XxY`.
    #[error("dirty patch {0:?} must be RADIUS or RADIUS@XxY, e.g. 40@120x90")]
    BadPatch(String),
}

impl SensorDefects {
    /// A perfect sensor.
    pub fn none() -> Self {
        Self::default()
    }

    /// True when the sensor has no defect at all (images pass through unchanged).
    pub fn is_none(&self) -> bool {
        *self == Self::default()
    }
}

fn bad(name: &str, value: &str, range: &'static str) -> SensorDefectsError {
    SensorDefectsError::BadValue {
        name: name.to_owned(),
        value: value.to_owned(),
        range,
    }
}

fn parse_fraction(name: &str, value: &str, max: f64) -> Result<f64, SensorDefectsError> {
    match value.trim().parse::<f64>() {
        Ok(v) if (0.0..=max).contains(&v) => Ok(v),
        _ => Err(bad(name, value, "0..=max")),
    }
}

fn parse_count(name: &str, value: &str, max: u32) -> Result<u32, SensorDefectsError> {
    match value.trim().parse::<u32>() {
        Ok(v) if v <= max => Ok(v),
        _ => Err(bad(name, value, "a whole number within limits")),
    }
}

fn parse_patch(value: &str) -> Result<DirtyPatch, SensorDefectsError> {
    let refuse = || SensorDefectsError::BadPatch(value.to_owned());
    let number = |t: &str| t.trim().parse::<u32>().map_err(|_| refuse());
    let (radius, centre) = match value.split_once('@') {
        None => (number(value)?, None),
        Some((radius, at)) => {
            let (x, y) = at.split_once('x').ok_or_else(refuse)?;
            (number(radius)?, Some((number(x)?, number(y)?)))
        }
    };
    if radius == 0 || radius > MAX_DIRTY_RADIUS {
        return Err(refuse());
    }
    Ok(DirtyPatch { radius, centre })
}

impl FromStr for SensorDefects {
    type Err = SensorDefectsError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut defects = SensorDefects::default();
        let text = text.trim();
        if text.is_empty() || text == "none" {
            return Ok(defects);
        }
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (name, value) = item
                .split_once('=')
                .ok_or_else(|| SensorDefectsError::NotNameValue(item.to_owned()))?;
            let name = name.trim();
            match name {
                "vignetting" => {
                    defects.vignetting = parse_fraction(name, value, MAX_VIGNETTING)
                        .map_err(|_| bad(name, value, "0..=0.9"))?;
                }
                "noise" => {
                    defects.noise = parse_fraction(name, value, MAX_NOISE)
                        .map_err(|_| bad(name, value, "0..=64"))?;
                }
                "dead" => defects.dead = parse_count(name, value, MAX_BAD_PIXELS)?,
                "stuck" => defects.stuck = parse_count(name, value, MAX_BAD_PIXELS)?,
                "dirty" => defects.dirty = Some(parse_patch(value)?),
                "dimming" => {
                    defects.dimming =
                        parse_fraction(name, value, 1.0).map_err(|_| bad(name, value, "0..=1"))?;
                }
                other => return Err(SensorDefectsError::UnknownDefect(other.to_owned())),
            }
        }
        Ok(defects)
    }
}

impl fmt::Display for SensorDefects {
    /// The canonical text, which `from_str` reads back to the same value; `none` for a perfect
    /// sensor.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut items = Vec::new();
        if self.vignetting > 0.0 {
            items.push(format!("vignetting={}", self.vignetting));
        }
        if self.noise > 0.0 {
            items.push(format!("noise={}", self.noise));
        }
        if self.dead > 0 {
            items.push(format!("dead={}", self.dead));
        }
        if self.stuck > 0 {
            items.push(format!("stuck={}", self.stuck));
        }
        match self.dirty {
            Some(DirtyPatch {
                radius,
                centre: Some((x, y)),
            }) => items.push(format!("dirty={radius}@{x}x{y}")),
            Some(DirtyPatch {
                radius,
                centre: None,
            }) => items.push(format!("dirty={radius}")),
            None => {}
        }
        if self.dimming > 0.0 {
            items.push(format!("dimming={}", self.dimming));
        }
        if items.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&items.join(","))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_example() {
        let d: SensorDefects =
            "vignetting=0.4,noise=6,dead=12,stuck=5,dirty=40@120x90,dimming=0.02"
                .parse()
                .unwrap();
        assert_eq!(d.vignetting, 0.4);
        assert_eq!(d.noise, 6.0);
        assert_eq!(d.dead, 12);
        assert_eq!(d.stuck, 5);
        assert_eq!(
            d.dirty,
            Some(DirtyPatch {
                radius: 40,
                centre: Some((120, 90))
            })
        );
        assert_eq!(d.dimming, 0.02);
        assert_eq!(
            d.to_string(),
            "vignetting=0.4,noise=6,dead=12,stuck=5,dirty=40@120x90,dimming=0.02"
        );
    }

    #[test]
    fn empty_and_none_are_perfect() {
        assert!("".parse::<SensorDefects>().unwrap().is_none());
        assert!("none".parse::<SensorDefects>().unwrap().is_none());
        assert_eq!(SensorDefects::none().to_string(), "none");
        assert_eq!(
            "dirty=30".parse::<SensorDefects>().unwrap().to_string(),
            "dirty=30"
        );
    }

    #[test]
    fn refuses_nonsense() {
        for text in [
            "vignetting=1.5",
            "noise=-1",
            "noise=NaN",
            "dead=x",
            "dirty=0",
            "dirty=10@5",
            "dirty=10@ax3",
            "wobble=1",
            "dead",
            "dimming=2",
        ] {
            assert!(text.parse::<SensorDefects>().is_err(), "{text}");
        }
    }

    proptest::proptest! {
        #[test]
        fn display_reads_back(v in 0.0f64..0.9, n in 0.0f64..64.0, dead in 0u32..1000,
                              stuck in 0u32..1000, r in 1u32..200,
                              at in proptest::option::of((0u32..300, 0u32..300)),
                              dim in 0.0f64..1.0) {
            let d = SensorDefects { vignetting: v, noise: n, dead, stuck,
                dirty: Some(DirtyPatch { radius: r, centre: at }), dimming: dim };
            let again: SensorDefects = d.to_string().parse().unwrap();
            proptest::prop_assert_eq!(again, d);
        }

        #[test]
        fn never_panics_on_any_text(text in ".{0,80}") {
            let _ = text.parse::<SensorDefects>();
        }
    }
}
