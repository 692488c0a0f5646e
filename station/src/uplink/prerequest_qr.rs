//! What the pre-request's QR code holds, read by a scanner that types it (keyboard wedge) or by the
//! camera. The content of the code printed on the ANTS pre-request summary is not published; what
//! is known is that it leads to the pre-request, whose number is 10 letters or digits. So the
//! station accepts any content that names exactly one such number: the bare number, or a link or a
//! text holding it (preferably after a key such as `numero=`). Anything else (another kind of QR
//! code, a link with no number, two candidate numbers) is refused with a sentence, never guessed.

use super::PreRequestNumber;

/// Longest content read: a pre-request code is short; a longer text is not one.
pub const MAX_CONTENT: usize = 2048;

/// Keys that announce the number in a link or a text, lower-cased, without accents or separators.
const NUMBER_KEYS: [&str; 5] = ["numero", "number", "predemande", "prerequest", "ndeg"];

/// Why a QR code's content gave no pre-request number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QrProblem {
    /// Empty, too long, or not text.
    Unreadable,
    /// No 10-character run of letters and digits in it.
    NoNumber,
    /// Several different candidates and nothing says which one is the number.
    Ambiguous,
}

/// Whether `typed` looks like a scanned QR code's content rather than a number typed by hand: a
/// scanner types a whole link or text, a clerk types 10 letters and digits.
pub fn looks_scanned(typed: &str) -> bool {
    typed.contains("://") || typed.contains('=') || typed.contains('/') || typed.contains(':')
}

/// The pre-request number a QR code's content names.
pub fn number_in(content: &str) -> Result<PreRequestNumber, QrProblem> {
    let content = content.trim();
    if content.is_empty() || content.len() > MAX_CONTENT || content.chars().any(char::is_control) {
        return Err(QrProblem::Unreadable);
    }
    if let Ok(number) = PreRequestNumber::parse(content) {
        return Ok(number);
    }
    // Runs of ASCII letters and digits, each with the text just before it (its key, if any).
    let mut candidates: Vec<(String, String)> = Vec::new();
    let mut start = None;
    for (i, c) in content
        .char_indices()
        .chain(std::iter::once((content.len(), ' ')))
    {
        match (c.is_ascii_alphanumeric(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                let run = &content[s..i];
                if run.len() == 10 {
                    let before = content[..s].trim_end_matches(['=', ':', ' ', '/', '#']);
                    let key_start = before
                        .rfind(|c: char| !(c.is_alphanumeric() || c == '-' || c == '_' || c == '°'))
                        .map_or(0, |k| k + 1);
                    candidates.push((run.to_owned(), before[key_start..].to_owned()));
                }
                start = None;
            }
            _ => {}
        }
    }
    let keyed: Vec<&(String, String)> = candidates
        .iter()
        .filter(|(_, key)| {
            let key: String = key
                .to_lowercase()
                .replace(['é', 'è'], "e")
                .replace('°', "deg")
                .chars()
                .filter(char::is_ascii_alphanumeric)
                .collect();
            NUMBER_KEYS.iter().any(|k| key.ends_with(k))
        })
        .collect();
    let chosen: Vec<&String> = if keyed.is_empty() {
        candidates.iter().map(|(run, _)| run).collect()
    } else {
        keyed.iter().map(|(run, _)| run).collect()
    };
    let mut distinct: Vec<String> = chosen.iter().map(|r| r.to_ascii_uppercase()).collect();
    distinct.sort_unstable();
    distinct.dedup();
    match distinct.as_slice() {
        [] => Err(QrProblem::NoNumber),
        [one] => PreRequestNumber::parse(one).map_err(|_| QrProblem::NoNumber),
        _ => Err(QrProblem::Ambiguous),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(content: &str) -> Result<String, QrProblem> {
        number_in(content).map(|n| n.as_str().to_owned())
    }

    #[test]
    fn the_bare_number_and_links_holding_it_are_read() {
        assert_eq!(read("demo000001"), Ok("DEMO000001".into()));
        assert_eq!(read(" DEMO000001\n".trim()), Ok("DEMO000001".into()));
        assert_eq!(
            read("https://passeport.ants.gouv.fr/pre-demande?numero=DEMO000001"),
            Ok("DEMO000001".into())
        );
        assert_eq!(
            read("https://ants.example/predemande/4P6KYQJR06/recapitulatif"),
            Ok("4P6KYQJR06".into())
        );
        assert_eq!(
            read("ANTS pré-demande n° 4P6KYQJR06"),
            Ok("4P6KYQJR06".into())
        );
        // A 10-letter word beside the keyed number does not confuse it.
        assert_eq!(
            read("https://ants.example/recapitulatif?ref=ABCDEFGHIJ&numero=DEMO000002"),
            Ok("DEMO000002".into())
        );
    }

    #[test]
    fn foreign_or_garbage_content_is_refused_not_guessed() {
        assert_eq!(read(""), Err(QrProblem::Unreadable));
        assert_eq!(read("a\u{0}b"), Err(QrProblem::Unreadable));
        assert_eq!(
            read(&"A".repeat(MAX_CONTENT + 1)),
            Err(QrProblem::Unreadable)
        );
        assert_eq!(read("https://www.example.org/"), Err(QrProblem::NoNumber));
        assert_eq!(
            read("WIFI:S:mairie;T:WPA;P:secret;;"),
            Err(QrProblem::NoNumber)
        );
        assert_eq!(
            read("https://x.example/AAAAAAAAAA/BBBBBBBBBB"),
            Err(QrProblem::Ambiguous)
        );
        assert_eq!(read("DEMO-00001"), Err(QrProblem::NoNumber));
    }

    #[test]
    fn what_a_scanner_types_is_told_from_a_number_typed_by_hand() {
        assert!(looks_scanned("https://ants.example/?numero=DEMO000001"));
        assert!(!looks_scanned("DEMO000001"));
        assert!(!looks_scanned("DEMO00"));
    }
}
