//! The pre-request number: exactly 10 characters `[A-Z0-9]`, upper-cased before checking, no known
//! check character (docs/reference/counter-workflow.md, "The pre-request check").

/// Length of a pre-request number.
pub const NUMBER_LENGTH: usize = 10;

/// Why a text is not a pre-request number.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum NumberError {
    /// Not exactly 10 characters.
    #[error("a pre-request number has 10 characters, this one has {0}")]
    Length(usize),
    /// A character outside `A-Z0-9`.
    #[error("a pre-request number holds only letters A-Z and digits, found {0:?}")]
    Character(char),
}

/// Upper-cases and checks a pre-request number, returning its canonical form.
pub fn normalise(text: &str) -> Result<String, NumberError> {
    let count = text.chars().count();
    if count != NUMBER_LENGTH {
        return Err(NumberError::Length(count));
    }
    let upper = text.to_ascii_uppercase();
    if let Some(bad) = upper
        .chars()
        .find(|c| !c.is_ascii_uppercase() && !c.is_ascii_digit())
    {
        return Err(NumberError::Character(bad));
    }
    Ok(upper)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_and_upper_cases() {
        assert_eq!(normalise("ab12cd34ef").as_deref(), Ok("AB12CD34EF"));
        assert_eq!(normalise("0000000000").as_deref(), Ok("0000000000"));
    }

    #[test]
    fn refuses_wrong_length_and_characters() {
        assert_eq!(normalise("AB12CD34E"), Err(NumberError::Length(9)));
        assert_eq!(normalise("AB12CD34EFG"), Err(NumberError::Length(11)));
        assert_eq!(normalise(""), Err(NumberError::Length(0)));
        assert_eq!(normalise("AB12CD34E-"), Err(NumberError::Character('-')));
        assert_eq!(normalise("AB12CD34É1"), Err(NumberError::Character('É')));
        assert_eq!(normalise("AB12CD34E "), Err(NumberError::Character(' ')));
    }
}
