//! Ages on the command line: `24h`, `90m`, `2d`, `30s`, `0s`.

/// A text that is not an age.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("age {0:?}: write a whole number and a unit among s, m, h, d (e.g. 24h)")]
pub struct AgeError(pub String);

/// Parses an age such as `24h`.
pub fn parse_age(text: &str) -> Result<std::time::Duration, AgeError> {
    let bad = || AgeError(text.to_owned());
    let text = text.trim();
    let split = text.len().checked_sub(1).ok_or_else(bad)?;
    let (number, unit) = text.split_at(split);
    let number: u64 = number.parse().map_err(|_| bad())?;
    let seconds = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(bad()),
    };
    number
        .checked_mul(seconds)
        .map(std::time::Duration::from_secs)
        .ok_or_else(bad)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_with_their_unit_and_nothing_else() {
        assert_eq!(parse_age("24h"), Ok(std::time::Duration::from_secs(86_400)));
        assert_eq!(parse_age("0s"), Ok(std::time::Duration::ZERO));
        assert_eq!(parse_age("2d"), Ok(std::time::Duration::from_secs(172_800)));
        assert_eq!(parse_age("90m"), Ok(std::time::Duration::from_secs(5_400)));
        for bad in ["", "h", "24", "24 h", "-1h", "1.5h", "24H", "1y"] {
            assert!(parse_age(bad).is_err(), "{bad:?}");
        }
    }
}
