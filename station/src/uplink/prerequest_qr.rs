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

/// The pre-request number in a QR code seen in a greyscale picture (a camera frame): the first
/// code found that decodes is read with [`number_in`]; a picture with no readable code is
/// [`QrProblem::Unreadable`].
pub fn number_in_picture(picture: &image::GrayImage) -> Result<PreRequestNumber, QrProblem> {
    let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
        picture.width() as usize,
        picture.height() as usize,
        |x, y| {
            let (x, y) = (
                u32::try_from(x).unwrap_or(u32::MAX),
                u32::try_from(y).unwrap_or(u32::MAX),
            );
            picture.get_pixel_checked(x, y).map_or(255, |p| p.0[0])
        },
    );
    let mut last = QrProblem::Unreadable;
    for grid in prepared.detect_grids() {
        // A grid that does not decode (a smudge taken for a finder pattern) is passed over.
        if let Ok((_, content)) = grid.decode() {
            match number_in(&content) {
                Ok(number) => return Ok(number),
                Err(problem) => last = problem,
            }
        }
    }
    Err(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `content` as a QR code drawn black on white, `scale` pixels a module, with a quiet zone.
    fn drawn(content: &str, scale: u32) -> image::GrayImage {
        let code = qrcode::QrCode::new(content.as_bytes()).expect("encodes");
        let width = code.width() as u32;
        let colors = code.to_colors();
        let side = (width + 8) * scale;
        image::GrayImage::from_fn(side, side, |x, y| {
            let (mx, my) = (x / scale, y / scale);
            let inside = (4..width + 4).contains(&mx) && (4..width + 4).contains(&my);
            let dark =
                inside && colors[((my - 4) * width + (mx - 4)) as usize] == qrcode::Color::Dark;
            image::Luma([if dark { 0 } else { 255 }])
        })
    }

    #[test]
    fn a_pre_request_code_in_a_picture_gives_its_number_and_others_do_not() {
        let picture = drawn(
            "https://passeport.ants.gouv.fr/pre-demande?numero=DEMO000001",
            4,
        );
        assert_eq!(
            number_in_picture(&picture).map(|n| n.as_str().to_owned()),
            Ok("DEMO000001".to_owned())
        );
        assert_eq!(
            number_in_picture(&drawn("WIFI:S:mairie;T:WPA;P:secret;;", 4)),
            Err(QrProblem::NoNumber)
        );
        let blank = image::GrayImage::from_pixel(64, 64, image::Luma([255]));
        assert_eq!(number_in_picture(&blank), Err(QrProblem::Unreadable));
        let noise = image::GrayImage::from_fn(97, 61, |x, y| {
            image::Luma([((x * 31 + y * 17) % 7 * 40) as u8])
        });
        assert_eq!(number_in_picture(&noise), Err(QrProblem::Unreadable));
    }

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
