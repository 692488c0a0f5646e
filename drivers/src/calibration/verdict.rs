//! Pass or fail, per measure and overall.

use std::fmt;

/// How a measure is compared with its limit.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Rule {
    /// The value must be at least this.
    AtLeast(f64),
    /// The value must be at most this.
    AtMost(f64),
    /// The value must lie within these bounds (inclusive).
    Within(f64, f64),
}

impl Rule {
    fn admits(self, value: f64) -> bool {
        match self {
            Self::AtLeast(limit) => value >= limit,
            Self::AtMost(limit) => value <= limit,
            Self::Within(low, high) => (low..=high).contains(&value),
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::AtLeast(limit) => write!(f, "≥ {limit}"),
            Self::AtMost(limit) => write!(f, "≤ {limit}"),
            Self::Within(low, high) => write!(f, "{low} – {high}"),
        }
    }
}

/// One measure judged against its limit.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    /// The measure's name, as the technician reads it (`temporal_snr`, `dead_pixels`…).
    pub measure: &'static str,
    /// The value measured.
    pub value: f64,
    /// The limit it is judged against.
    pub rule: Rule,
    /// Whether it passes.
    pub pass: bool,
    /// Where the limit comes from (see [`super::limits`]).
    pub source: &'static str,
}

impl Check {
    /// Judges `value` against `rule`. A value that is not a number fails.
    pub fn new(measure: &'static str, value: f64, rule: Rule, source: &'static str) -> Self {
        Self {
            measure,
            value,
            rule,
            pass: !value.is_nan() && rule.admits(value),
            source,
        }
    }
}

/// Every check of a calibration; it passes when all of them pass.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Verdict {
    /// The checks, in the order they were made.
    pub checks: Vec<Check>,
}

impl Verdict {
    /// Whether every check passes.
    pub fn pass(&self) -> bool {
        self.checks.iter().all(|c| c.pass)
    }

    /// The check of `measure`, if made.
    pub fn check(&self, measure: &str) -> Option<&Check> {
        self.checks.iter().find(|c| c.measure == measure)
    }

    /// The checks that failed.
    pub fn failures(&self) -> impl Iterator<Item = &Check> {
        self.checks.iter().filter(|c| !c.pass)
    }
}
