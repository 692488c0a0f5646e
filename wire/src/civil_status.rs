//! The checks of an applicant's civil status, one set for both ways it reaches a record: the online
//! pre-request the central serves (checked when the central loads its pre-requests) and the paper
//! form (CERFA 12100*03 / 12101*03) the clerk types at the counter (checked by the station before
//! the enrolment starts and again by the central at intake). Written once here so that the two
//! entry paths cannot drift apart.

use crate::prerequest::Applicant;

/// Longest name (surname or given names) accepted, in characters: the central file's name fields
/// are bounded, and anything longer is a paste gone wrong, not a name.
pub const NAME_MAX: usize = 80;
/// Longest place of birth, in characters.
pub const PLACE_MAX: usize = 120;
/// Longest address, in characters (one line).
pub const ADDRESS_MAX: usize = 200;
/// Earliest birth date accepted: no living applicant was born before it.
pub const EARLIEST_BIRTH: &str = "1900-01-01";

/// A field of the civil status, as the paper form and the screens name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// Nom.
    Surname,
    /// Prénoms.
    GivenNames,
    /// Date de naissance.
    BirthDate,
    /// Lieu de naissance.
    BirthPlace,
    /// Adresse.
    Address,
    /// Taille.
    Height,
}

impl Field {
    /// Every field, in the order of the paper form (and of the screen's Tab order).
    pub const ALL: [Self; 6] = [
        Self::Surname,
        Self::GivenNames,
        Self::BirthDate,
        Self::BirthPlace,
        Self::Address,
        Self::Height,
    ];

    /// A stable name, used in error messages and as the key of the field's texts.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Surname => "surname",
            Self::GivenNames => "given_names",
            Self::BirthDate => "birth_date",
            Self::BirthPlace => "birth_place",
            Self::Address => "address",
            Self::Height => "height",
        }
    }
}

/// What is wrong with a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    /// Empty (or only spaces).
    Missing,
    /// Longer than the field allows.
    TooLong,
    /// A character a name cannot hold (digits, punctuation other than `-` and `'`).
    BadCharacter(char),
    /// Not a real `YYYY-MM-DD` date.
    NotADate,
    /// After the day of the check.
    InTheFuture,
    /// Before [`EARLIEST_BIRTH`].
    TooOld,
    /// A height no person has (see [`crate::physical::HEIGHT_CM`]).
    OutOfRange,
}

impl Problem {
    /// A stable name, used in error messages and as the key of the problem's texts.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Missing => "missing",
            Self::TooLong => "too_long",
            Self::BadCharacter(_) => "bad_character",
            Self::NotADate => "not_a_date",
            Self::InTheFuture => "in_the_future",
            Self::TooOld => "too_old",
            Self::OutOfRange => "out_of_range",
        }
    }
}

/// One field refused, with why.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldProblem {
    /// The field.
    pub field: Field,
    /// Why.
    pub problem: Problem,
}

impl std::fmt::Display for FieldProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.problem {
            Problem::BadCharacter(c) => write!(f, "{}: bad character {c:?}", self.field.as_str()),
            other => write!(f, "{}: {}", self.field.as_str(), other.as_str()),
        }
    }
}

/// Checks a civil status on the day `today` (`YYYY-MM-DD`, the checker's local date). Returns every
/// problem found, in the order of [`Field::ALL`]; empty when the civil status is acceptable.
pub fn check(applicant: &Applicant, today: &str) -> Vec<FieldProblem> {
    let mut problems = Vec::new();
    let mut report = |field, result: Result<(), Problem>| {
        if let Err(problem) = result {
            problems.push(FieldProblem { field, problem });
        }
    };
    report(Field::Surname, check_name(&applicant.surname));
    report(Field::GivenNames, check_name(&applicant.given_names));
    report(
        Field::BirthDate,
        check_birth_date(&applicant.birth_date, today),
    );
    report(
        Field::BirthPlace,
        check_text(&applicant.birth_place, PLACE_MAX),
    );
    report(Field::Address, check_text(&applicant.address, ADDRESS_MAX));
    report(
        Field::Height,
        match applicant.height_cm {
            Some(cm) if !crate::physical::is_plausible_height(cm) => Err(Problem::OutOfRange),
            _ => Ok(()),
        },
    );
    problems
}

/// A name: letters of any script, spaces, hyphens and apostrophes (`N'Diaye`, `Le Goff`,
/// `Dupont-Moretti`, `Nguyễn`), at least one letter.
fn check_name(text: &str) -> Result<(), Problem> {
    let text = text.trim();
    if !text.chars().any(char::is_alphabetic) {
        return match text.chars().find(|c| !is_name_char(*c)) {
            Some(c) => Err(Problem::BadCharacter(c)),
            None => Err(Problem::Missing),
        };
    }
    if text.chars().count() > NAME_MAX {
        return Err(Problem::TooLong);
    }
    match text.chars().find(|c| !is_name_char(*c)) {
        Some(c) => Err(Problem::BadCharacter(c)),
        None => Ok(()),
    }
}

fn is_name_char(c: char) -> bool {
    c.is_alphabetic() || matches!(c, ' ' | '-' | '\'' | '’')
}

/// Free text on one line: not empty, not too long, no control character.
fn check_text(text: &str, max: usize) -> Result<(), Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Missing);
    }
    if text.chars().count() > max {
        return Err(Problem::TooLong);
    }
    match text.chars().find(|c| c.is_control()) {
        Some(c) => Err(Problem::BadCharacter(c)),
        None => Ok(()),
    }
}

/// A real calendar date, `YYYY-MM-DD`, between [`EARLIEST_BIRTH`] and `today`. Both being in this
/// one format, comparing the texts compares the dates.
fn check_birth_date(text: &str, today: &str) -> Result<(), Problem> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Problem::Missing);
    }
    if !is_calendar_date(text) {
        return Err(Problem::NotADate);
    }
    if text < EARLIEST_BIRTH {
        return Err(Problem::TooOld);
    }
    if is_calendar_date(today) && text > today {
        return Err(Problem::InTheFuture);
    }
    Ok(())
}

/// Whether `text` is `YYYY-MM-DD` and names a day that exists (29 February only in leap years).
pub fn is_calendar_date(text: &str) -> bool {
    let bytes = text.as_bytes();
    if bytes.len() != 10 || bytes[4] != b'-' || bytes[7] != b'-' {
        return false;
    }
    let digits = |range: std::ops::Range<usize>| -> Option<u32> {
        let part = text.get(range)?;
        if !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    let (Some(year), Some(month), Some(day)) = (digits(0..4), digits(5..7), digits(8..10)) else {
        return false;
    };
    let leap = (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&day)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::prerequest::Sex;

    fn applicant() -> Applicant {
        Applicant {
            surname: "N'Diaye".into(),
            given_names: "Aïssatou".into(),
            birth_date: "1991-07-28".into(),
            birth_place: "Dakar (Sénégal)".into(),
            sex: Sex::F,
            address: "3 place Bellecour, 69002 Lyon".into(),
            parents: Vec::new(),
            height_cm: Some(162),
            eye_colour: None,
        }
    }

    fn problems(a: &Applicant) -> Vec<(Field, Problem)> {
        check(a, "2026-12-07")
            .into_iter()
            .map(|p| (p.field, p.problem))
            .collect()
    }

    #[test]
    fn names_of_every_script_with_hyphens_and_apostrophes_pass() {
        for name in [
            "Nguyễn",
            "Dupont-Moretti",
            "O’Connor",
            "de La Fontaine",
            "Schœlcher",
        ] {
            let mut a = applicant();
            a.surname = name.into();
            assert!(problems(&a).is_empty(), "{name}");
        }
    }

    #[test]
    fn each_field_says_what_is_wrong() {
        let mut a = applicant();
        a.surname = "  ".into();
        a.given_names = "Jean2".into();
        a.birth_date = "1991-02-30".into();
        a.birth_place = String::new();
        a.address = "x".repeat(ADDRESS_MAX + 1);
        a.height_cm = Some(20);
        assert_eq!(
            problems(&a),
            vec![
                (Field::Surname, Problem::Missing),
                (Field::GivenNames, Problem::BadCharacter('2')),
                (Field::BirthDate, Problem::NotADate),
                (Field::BirthPlace, Problem::Missing),
                (Field::Address, Problem::TooLong),
                (Field::Height, Problem::OutOfRange),
            ]
        );
    }

    #[test]
    fn birth_dates_in_the_future_or_before_1900_are_refused() {
        let mut a = applicant();
        a.birth_date = "2026-12-08".into();
        assert_eq!(problems(&a), vec![(Field::BirthDate, Problem::InTheFuture)]);
        a.birth_date = "1899-12-31".into();
        assert_eq!(problems(&a), vec![(Field::BirthDate, Problem::TooOld)]);
        a.birth_date = "2026-12-07".into();
        assert!(problems(&a).is_empty());
        a.birth_date = "07/12/1990".into();
        assert_eq!(problems(&a), vec![(Field::BirthDate, Problem::NotADate)]);
    }

    #[test]
    fn calendar_dates_know_leap_years() {
        assert!(is_calendar_date("2024-02-29"));
        assert!(is_calendar_date("2000-02-29"));
        assert!(!is_calendar_date("1900-02-29"));
        assert!(!is_calendar_date("2023-02-29"));
        assert!(!is_calendar_date("2023-13-01"));
        assert!(!is_calendar_date("2023-00-10"));
        assert!(!is_calendar_date("2023-1-010"));
        assert!(!is_calendar_date("+023-01-10"));
        assert!(!is_calendar_date("２０２３-01-10"));
    }
}
