//! What can go wrong on the line, written the same way on the command line, in tests and on the
//! control channel: `flip=1e-3,drop=1e-4,stall=1e-4@300ms,garbage=32,mute-after=20,vanish-after=20`.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// Faults applied to what the simulated device sends (`firmware-sim … --faults`, see the README).
///
/// The empty text (or `none`) means a clean line. Every item is optional:
/// - `flip=R`: each bit sent is inverted with probability R;
/// - `drop=R`: each byte sent is lost with probability R (its line time is still spent);
/// - `stall=R@D`: before each byte, with probability R, the line goes quiet for D (`300ms`, `1s`, `500us`);
/// - `garbage=N`: N random bytes precede the boot output at every power-up;
/// - `mute-after=N`: after N commands since power-up (or since the faults were set) the device stops
///   answering, as a hung module does, until it is power-cycled;
/// - `vanish-after=N`: after N commands the port disappears (the master side closes: the client gets
///   EIO / hang-up, the symlink is removed), as when the USB adapter is pulled out.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct FaultSpec {
    /// Probability that any one bit sent is inverted.
    pub flip_per_bit: f64,
    /// Probability that any one byte sent is lost.
    pub drop_per_byte: f64,
    /// Probability, before each byte, that the line stalls for `stall_length`.
    pub stall_per_byte: f64,
    /// How long one stall lasts.
    pub stall_length: Duration,
    /// Random bytes sent before the boot output at power-up.
    pub garbage_at_boot: u32,
    /// Stop answering after this many commands since power-up.
    pub mute_after: Option<u32>,
    /// Close the port after this many commands since power-up.
    pub vanish_after: Option<u32>,
}

/// Why a fault specification could not be read.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FaultSpecError {
    /// An item was not of the form `name=value`.
    #[error("fault item {0:?} is not name=value")]
    NotNameValue(String),
    /// The name is not one of flip, drop, stall, garbage, mute-after, vanish-after.
    #[error("unknown fault {0:?} (expected flip, drop, stall, garbage, mute-after, vanish-after)")]
    UnknownFault(String),
    /// A rate was not a probability between 0 and 1.
    #[error("fault {name}: {value:?} is not a probability between 0 and 1")]
    BadRate {
        /// The fault's name.
        name: String,
        /// The text given.
        value: String,
    },
    /// A count was not a non-negative integer.
    #[error("fault {name}: {value:?} is not a whole number")]
    BadCount {
        /// The fault's name.
        name: String,
        /// The text given.
        value: String,
    },
    /// A stall was not written `RATE@DURATION` with a unit (us, ms, s).
    #[error("stall {0:?} must be RATE@DURATION, e.g. 1e-4@300ms")]
    BadStall(String),
}

impl FaultSpec {
    /// A clean line: no fault at all.
    pub fn none() -> Self {
        Self::default()
    }

    /// True when no fault is configured.
    pub fn is_clean(&self) -> bool {
        *self == Self::default()
    }

    /// True when some fault alters the bytes or timing of what is sent.
    pub fn alters_stream(&self) -> bool {
        self.flip_per_bit > 0.0 || self.drop_per_byte > 0.0 || self.stall_per_byte > 0.0
    }
}

fn parse_rate(name: &str, value: &str) -> Result<f64, FaultSpecError> {
    match value.trim().parse::<f64>() {
        Ok(r) if (0.0..=1.0).contains(&r) => Ok(r),
        _ => Err(FaultSpecError::BadRate {
            name: name.to_owned(),
            value: value.to_owned(),
        }),
    }
}

fn parse_count(name: &str, value: &str) -> Result<u32, FaultSpecError> {
    value
        .trim()
        .parse::<u32>()
        .map_err(|_| FaultSpecError::BadCount {
            name: name.to_owned(),
            value: value.to_owned(),
        })
}

/// Reads `300ms`, `1.5s`, `500us` (a unit is required).
pub fn parse_duration(text: &str) -> Option<Duration> {
    let text = text.trim();
    let (number, scale) = if let Some(n) = text.strip_suffix("ms") {
        (n, 1e-3)
    } else if let Some(n) = text.strip_suffix("us") {
        (n, 1e-6)
    } else if let Some(n) = text.strip_suffix('s') {
        (n, 1.0)
    } else {
        return None;
    };
    let value: f64 = number.trim().parse().ok()?;
    if !value.is_finite() || value < 0.0 || value * scale > 86_400.0 {
        return None;
    }
    Some(Duration::from_secs_f64(value * scale))
}

fn format_duration(d: Duration) -> String {
    if d.subsec_nanos().is_multiple_of(1_000_000) {
        format!("{}ms", d.as_millis())
    } else {
        format!("{}us", d.as_micros())
    }
}

impl FromStr for FaultSpec {
    type Err = FaultSpecError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let mut spec = FaultSpec::default();
        let text = text.trim();
        if text.is_empty() || text == "none" {
            return Ok(spec);
        }
        for item in text.split(',').map(str::trim).filter(|i| !i.is_empty()) {
            let (name, value) = item
                .split_once('=')
                .ok_or_else(|| FaultSpecError::NotNameValue(item.to_owned()))?;
            let name = name.trim();
            match name {
                "flip" => spec.flip_per_bit = parse_rate(name, value)?,
                "drop" => spec.drop_per_byte = parse_rate(name, value)?,
                "stall" => {
                    let (rate, length) = value
                        .split_once('@')
                        .ok_or_else(|| FaultSpecError::BadStall(value.to_owned()))?;
                    spec.stall_per_byte = parse_rate(name, rate)?;
                    spec.stall_length = parse_duration(length)
                        .ok_or_else(|| FaultSpecError::BadStall(value.to_owned()))?;
                }
                "garbage" => spec.garbage_at_boot = parse_count(name, value)?,
                "mute-after" => spec.mute_after = Some(parse_count(name, value)?),
                "vanish-after" => spec.vanish_after = Some(parse_count(name, value)?),
                other => return Err(FaultSpecError::UnknownFault(other.to_owned())),
            }
        }
        Ok(spec)
    }
}

impl fmt::Display for FaultSpec {
    /// The canonical text, which `from_str` reads back to the same value; `none` for a clean line.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut items = Vec::new();
        if self.flip_per_bit > 0.0 {
            items.push(format!("flip={:e}", self.flip_per_bit));
        }
        if self.drop_per_byte > 0.0 {
            items.push(format!("drop={:e}", self.drop_per_byte));
        }
        if self.stall_per_byte > 0.0 || self.stall_length > Duration::ZERO {
            items.push(format!(
                "stall={:e}@{}",
                self.stall_per_byte,
                format_duration(self.stall_length)
            ));
        }
        if self.garbage_at_boot > 0 {
            items.push(format!("garbage={}", self.garbage_at_boot));
        }
        if let Some(n) = self.mute_after {
            items.push(format!("mute-after={n}"));
        }
        if let Some(n) = self.vanish_after {
            items.push(format!("vanish-after={n}"));
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
    fn reads_the_example_of_the_contract() {
        let spec: FaultSpec =
            "flip=1e-3,drop=1e-4,stall=1e-4@300ms,garbage=32,mute-after=20,vanish-after=20"
                .parse()
                .unwrap();
        assert_eq!(spec.flip_per_bit, 1e-3);
        assert_eq!(spec.drop_per_byte, 1e-4);
        assert_eq!(spec.stall_per_byte, 1e-4);
        assert_eq!(spec.stall_length, Duration::from_millis(300));
        assert_eq!(spec.garbage_at_boot, 32);
        assert_eq!(spec.mute_after, Some(20));
        assert_eq!(spec.vanish_after, Some(20));
        assert_eq!(
            spec.to_string(),
            "flip=1e-3,drop=1e-4,stall=1e-4@300ms,garbage=32,mute-after=20,vanish-after=20"
        );
    }

    #[test]
    fn empty_and_none_are_a_clean_line() {
        assert!("".parse::<FaultSpec>().unwrap().is_clean());
        assert!("none".parse::<FaultSpec>().unwrap().is_clean());
        assert_eq!(FaultSpec::none().to_string(), "none");
    }

    #[test]
    fn refuses_nonsense() {
        assert!("flip=2".parse::<FaultSpec>().is_err());
        assert!("flip=-1e-3".parse::<FaultSpec>().is_err());
        assert!("flip".parse::<FaultSpec>().is_err());
        assert!("wobble=3".parse::<FaultSpec>().is_err());
        assert!("stall=1e-3".parse::<FaultSpec>().is_err());
        assert!("stall=1e-3@300".parse::<FaultSpec>().is_err());
        assert!("garbage=-1".parse::<FaultSpec>().is_err());
        assert!("flip=NaN".parse::<FaultSpec>().is_err());
    }

    #[test]
    fn durations_in_every_unit() {
        assert_eq!(parse_duration("1.5s"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_duration("500us"), Some(Duration::from_micros(500)));
        assert_eq!(parse_duration("20ms"), Some(Duration::from_millis(20)));
        assert_eq!(parse_duration("20"), None);
    }

    proptest::proptest! {
        #[test]
        fn display_reads_back(flip in 0.0f64..1.0, drop in 0.0f64..1.0, stall in 0.0f64..1.0,
                              micros in 0u64..10_000_000, garbage in 0u32..1000,
                              mute in proptest::option::of(0u32..1000),
                              vanish in proptest::option::of(0u32..1000)) {
            let spec = FaultSpec {
                flip_per_bit: flip,
                drop_per_byte: drop,
                stall_per_byte: stall,
                stall_length: Duration::from_micros(micros),
                garbage_at_boot: garbage,
                mute_after: mute,
                vanish_after: vanish,
            };
            let again: FaultSpec = spec.to_string().parse().unwrap();
            proptest::prop_assert_eq!(again, spec);
        }

        #[test]
        fn never_panics_on_any_text(text in ".{0,80}") {
            let _ = text.parse::<FaultSpec>();
        }
    }
}
