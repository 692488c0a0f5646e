//! The electronic tax stamp (timbre fiscal électronique): its number as the clerk types or scans it,
//! the fee a document costs on the day, what the manifest carries and what the central answers when
//! a station asks about a stamp. The station and the central share the fee rule so that the amount
//! shown at the counter is the amount the central checks at intake.

use serde::{Deserialize, Serialize};

use crate::prerequest::{DocumentType, Reason};

/// Digits in a stamp's number (printed in four groups of four on the stamp).
pub const NUMBER_DIGITS: usize = 16;

/// Passport fee for an adult, in euro cents.
pub const PASSPORT_ADULT_CENTS: u32 = 8_600;
/// Passport fee from the 15th birthday to the day before the 18th, in euro cents.
pub const PASSPORT_15_TO_17_CENTS: u32 = 4_200;
/// Passport fee before the 15th birthday, in euro cents.
pub const PASSPORT_UNDER_15_CENTS: u32 = 1_700;
/// Identity-card fee when the previous card was lost or stolen, in euro cents (otherwise free).
pub const CNI_LOSS_OR_THEFT_CENTS: u32 = 2_500;

/// A stamp's number: exactly [`NUMBER_DIGITS`] ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct StampNumber(String);

/// Why what was typed or scanned is not a stamp number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum EntryProblem {
    /// Nothing typed.
    #[error("nothing typed")]
    Empty,
    /// Typed by hand with another count of digits.
    #[error("a stamp number has 16 digits, this one has {0}")]
    DigitCount(usize),
    /// Scanned content without a run of exactly 16 digits.
    #[error("the scanned content holds no 16-digit number")]
    NoNumberInScan,
    /// Scanned content with more than one run of exactly 16 digits: which one is the stamp's is
    /// not guessed.
    #[error("the scanned content holds several 16-digit numbers")]
    SeveralNumbersInScan,
}

impl StampNumber {
    /// Reads what the clerk's field holds: either typed by hand (digits, spaces and hyphens as
    /// the number is printed, `1234 5678 9012 3456`) or the content of the stamp's 2D code as a
    /// scanner types it. The layout of that content is not published by the tax administration,
    /// so no layout is assumed: content holding exactly one run of exactly 16 digits (not part of
    /// a longer run) gives that run; any other content is refused rather than guessed at.
    pub fn read(entry: &str) -> Result<Self, EntryProblem> {
        let text = entry.trim();
        if text.is_empty() {
            return Err(EntryProblem::Empty);
        }
        if text
            .chars()
            .all(|c| c.is_ascii_digit() || c == ' ' || c == '-')
        {
            let digits: String = text.chars().filter(char::is_ascii_digit).collect();
            return if digits.len() == NUMBER_DIGITS {
                Ok(Self(digits))
            } else {
                Err(EntryProblem::DigitCount(digits.len()))
            };
        }
        let runs: Vec<&str> = text
            .split(|c: char| !c.is_ascii_digit())
            .filter(|run| run.len() == NUMBER_DIGITS)
            .collect();
        match runs.as_slice() {
            [one] => Ok(Self((*one).to_owned())),
            [] => Err(EntryProblem::NoNumberInScan),
            _ => Err(EntryProblem::SeveralNumbersInScan),
        }
    }

    /// The 16 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// As printed on the stamp: four groups of four (`1234 5678 9012 3456`).
    pub fn grouped(&self) -> String {
        group_digits(&self.0)
    }
}

/// Digits in groups of four separated by spaces, as a stamp prints its number; also used to show
/// a number while it is typed.
pub fn group_digits(digits: &str) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 4);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && i.is_multiple_of(4) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

impl TryFrom<String> for StampNumber {
    type Error = String;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        if value.len() == NUMBER_DIGITS && value.bytes().all(|b| b.is_ascii_digit()) {
            Ok(Self(value))
        } else {
            Err(format!("{value:?} is not a 16-digit stamp number"))
        }
    }
}

impl From<StampNumber> for String {
    fn from(value: StampNumber) -> Self {
        value.0
    }
}

impl std::fmt::Display for StampNumber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A calendar day, enough to tell an age: the wire crate has no date library.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Day {
    /// Year.
    pub year: i32,
    /// Month, 1 to 12.
    pub month: u8,
    /// Day of the month, 1 to 31.
    pub day: u8,
}

impl Day {
    /// Reads `YYYY-MM-DD` (the leading part of an RFC 3339 time is enough).
    pub fn parse(text: &str) -> Option<Self> {
        let head = text.get(..10)?;
        let mut parts = head.split('-');
        let year = parts.next()?.parse().ok()?;
        let month: u8 = parts.next()?.parse().ok()?;
        let day: u8 = parts.next()?.parse().ok()?;
        ((1..=12).contains(&month) && (1..=31).contains(&day)).then_some(Self { year, month, day })
    }

    /// Whole years from `birth` to `self`: a birthday counts from its day. Someone born on
    /// 29 February has their birthday on 1 March in other years.
    pub fn age_of(self, birth: Day) -> i32 {
        let before_birthday = (self.month, self.day) < (birth.month, birth.day);
        self.year - birth.year - i32::from(before_birthday)
    }
}

/// The fee for a document on the day of the request, in euro cents; 0 when nothing is due (then
/// no stamp is asked). Passport: by the applicant's age on the day; identity card: free, except
/// when the previous card was lost or stolen; both documents: the sum.
pub fn amount_due_cents(document: DocumentType, reason: Reason, birth: Day, on: Day) -> u32 {
    let passport = || match on.age_of(birth) {
        age if age >= 18 => PASSPORT_ADULT_CENTS,
        age if age >= 15 => PASSPORT_15_TO_17_CENTS,
        _ => PASSPORT_UNDER_15_CENTS,
    };
    let cni = || match reason {
        Reason::Loss | Reason::Theft => CNI_LOSS_OR_THEFT_CENTS,
        _ => 0,
    };
    match document {
        DocumentType::Passport => passport(),
        DocumentType::Cni => cni(),
        DocumentType::CniAndPassport => passport() + cni(),
    }
}

/// Euros as a French clerk reads them: `86 €`, `12,50 €`.
pub fn euros(cents: u32) -> String {
    if cents.is_multiple_of(100) {
        format!("{} €", cents / 100)
    } else {
        format!("{},{:02} €", cents / 100, cents % 100)
    }
}

/// The manifest's `tax_stamp`: the stamp that pays for the record's documents.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TaxStamp {
    /// The 16 digits.
    pub number: StampNumber,
    /// Its value in euro cents, as the central answered at the counter (or the amount due when the
    /// central could not be asked).
    pub amount_cents: u32,
    /// Whether the central confirmed it at the counter. `false` when the clerk went on while the
    /// central could not be reached: the central's check at intake is then the only one.
    #[serde(default)]
    pub checked_at_counter: bool,
}

/// What the central knows of a stamp (`GET /v1/tax-stamps/{number}`); an unknown stamp is a 404
/// with [`TAX_STAMP_UNKNOWN`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StampStanding {
    /// The 16 digits.
    pub number: StampNumber,
    /// Its value in euro cents.
    pub amount_cents: u32,
    /// Whether a record already used it.
    pub used: bool,
}

/// Error code: the central does not know the stamp.
pub const TAX_STAMP_UNKNOWN: &str = "tax-stamp-unknown";
/// Error code: the stamp was already used by another record.
pub const TAX_STAMP_USED: &str = "tax-stamp-used";
/// Error code: the stamp is worth less than the fee.
pub const TAX_STAMP_TOO_LOW: &str = "tax-stamp-too-low";
/// Error code: a fee is due and the record carries no stamp.
pub const TAX_STAMP_MISSING: &str = "tax-stamp-missing";

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Day {
        Day::parse(text).expect("a day")
    }

    #[test]
    fn typed_numbers_are_sixteen_digits_with_or_without_groups() {
        let n = StampNumber::read("1234 5678 9012 3456").expect("reads");
        assert_eq!(n.as_str(), "1234567890123456");
        assert_eq!(n.grouped(), "1234 5678 9012 3456");
        assert_eq!(
            StampNumber::read("1234-5678-9012-3456").map(|n| n.to_string()),
            Ok("1234567890123456".to_owned())
        );
        assert_eq!(StampNumber::read("  "), Err(EntryProblem::Empty));
        assert_eq!(
            StampNumber::read("1234 5678 9012 345"),
            Err(EntryProblem::DigitCount(15))
        );
        assert_eq!(
            StampNumber::read("12345678901234567"),
            Err(EntryProblem::DigitCount(17))
        );
    }

    #[test]
    fn scanned_content_gives_its_one_sixteen_digit_run() {
        assert_eq!(
            StampNumber::read("TFE;1234567890123456;8600").map(|n| n.to_string()),
            Ok("1234567890123456".to_owned())
        );
        assert_eq!(
            StampNumber::read("https://timbres.impots.gouv.fr/?n=1234567890123456")
                .map(|n| n.to_string()),
            Ok("1234567890123456".to_owned())
        );
        // A longer run is not cut to 16 digits: it is something else.
        assert_eq!(
            StampNumber::read("ID:12345678901234567"),
            Err(EntryProblem::NoNumberInScan)
        );
        assert_eq!(
            StampNumber::read("A1234567890123456B6543210987654321"),
            Err(EntryProblem::SeveralNumbersInScan)
        );
    }

    #[test]
    fn the_passport_fee_follows_the_age_on_the_day() {
        let on = day("2026-12-07");
        let passport =
            |birth: &str| amount_due_cents(DocumentType::Passport, Reason::First, day(birth), on);
        // 14 the day before the 15th birthday, 15 on it.
        assert_eq!(passport("2011-12-08"), PASSPORT_UNDER_15_CENTS);
        assert_eq!(passport("2011-12-07"), PASSPORT_15_TO_17_CENTS);
        // 17 the day before the 18th birthday, 18 on it.
        assert_eq!(passport("2008-12-08"), PASSPORT_15_TO_17_CENTS);
        assert_eq!(passport("2008-12-07"), PASSPORT_ADULT_CENTS);
        assert_eq!(passport("1984-03-12"), PASSPORT_ADULT_CENTS);
        assert_eq!(passport("2026-01-01"), PASSPORT_UNDER_15_CENTS);
    }

    #[test]
    fn an_identity_card_costs_only_after_loss_or_theft_and_both_documents_add_up() {
        let on = day("2026-12-07");
        let adult = day("1984-03-12");
        let cni = |reason| amount_due_cents(DocumentType::Cni, reason, adult, on);
        assert_eq!(cni(Reason::First), 0);
        assert_eq!(cni(Reason::Renewal), 0);
        assert_eq!(cni(Reason::CivilStatusChange), 0);
        assert_eq!(cni(Reason::AddressChange), 0);
        assert_eq!(cni(Reason::Loss), CNI_LOSS_OR_THEFT_CENTS);
        assert_eq!(cni(Reason::Theft), CNI_LOSS_OR_THEFT_CENTS);
        assert_eq!(
            amount_due_cents(DocumentType::CniAndPassport, Reason::Theft, adult, on),
            PASSPORT_ADULT_CENTS + CNI_LOSS_OR_THEFT_CENTS
        );
        assert_eq!(
            amount_due_cents(
                DocumentType::CniAndPassport,
                Reason::Renewal,
                day("2012-01-01"),
                on
            ),
            PASSPORT_UNDER_15_CENTS
        );
    }

    #[test]
    fn a_leap_day_birthday_counts_from_the_first_of_march() {
        let birth = day("2008-02-29");
        assert_eq!(day("2026-02-28").age_of(birth), 17);
        assert_eq!(day("2026-03-01").age_of(birth), 18);
        assert_eq!(day("2028-02-29").age_of(birth), 20);
    }

    #[test]
    fn amounts_read_as_euros_and_numbers_serialise_as_digits() {
        assert_eq!(euros(8_600), "86 €");
        assert_eq!(euros(1_250), "12,50 €");
        let stamp = TaxStamp {
            number: StampNumber::read("1234567890123456").expect("reads"),
            amount_cents: 8_600,
            checked_at_counter: true,
        };
        let json = serde_json::to_string(&stamp).expect("serialises");
        assert_eq!(
            json,
            r#"{"number":"1234567890123456","amount_cents":8600,"checked_at_counter":true}"#
        );
        assert!(serde_json::from_str::<TaxStamp>(r#"{"number":"12","amount_cents":1}"#).is_err());
    }
}
