//! Text for PDF's builtin Helvetica: WinAnsiEncoding (Windows code page 1252) bytes, and the
//! font's advance widths to break lines.
//!
//! WinAnsi covers every letter of French (é è ê ë à â ç î ï ô ù û ü ÿ œ æ and capitals, « » ’ €),
//! so the receipt needs no embedded font. A character outside it (a Polish ł in a name, an emoji)
//! is printed as `?` and counted, so the caller can log it.

/// The characters at bytes 0x80..=0x9F of code page 1252 (PDF 32000-1 annex D.2, WinAnsiEncoding);
/// `None` where the encoding has no character.
const HIGH: [Option<char>; 32] = [
    Some('\u{20AC}'), // €
    None,
    Some('\u{201A}'), // ‚
    Some('\u{0192}'), // ƒ
    Some('\u{201E}'), // „
    Some('\u{2026}'), // …
    Some('\u{2020}'), // †
    Some('\u{2021}'), // ‡
    Some('\u{02C6}'), // ˆ
    Some('\u{2030}'), // ‰
    Some('\u{0160}'), // Š
    Some('\u{2039}'), // ‹
    Some('\u{0152}'), // Œ
    None,
    Some('\u{017D}'), // Ž
    None,
    None,
    Some('\u{2018}'), // ‘
    Some('\u{2019}'), // ’
    Some('\u{201C}'), // “
    Some('\u{201D}'), // ”
    Some('\u{2022}'), // •
    Some('\u{2013}'), // –
    Some('\u{2014}'), // —
    Some('\u{02DC}'), // ˜
    Some('\u{2122}'), // ™
    Some('\u{0161}'), // š
    Some('\u{203A}'), // ›
    Some('\u{0153}'), // œ
    None,
    Some('\u{017E}'), // ž
    Some('\u{0178}'), // Ÿ
];

/// The bullet, in WinAnsi.
pub const BULLET: u8 = 0x95;

/// `text` as WinAnsi bytes, and how many characters had to be replaced by `?`. Control characters
/// (a stray newline or tab in a town hall's name) become spaces; the narrow no-break space French
/// puts before `:` becomes a no-break space.
pub fn encode(text: &str) -> (Vec<u8>, usize) {
    let mut bytes = Vec::with_capacity(text.len());
    let mut replaced = 0;
    for c in text.chars() {
        let byte = match c {
            ' '..='~' => c as u8,
            '\u{A0}'..='\u{FF}' => c as u32 as u8,
            '\u{202F}' => 0xA0,
            c if c.is_control() => b' ',
            c => match HIGH.iter().position(|h| *h == Some(c)) {
                Some(i) => 0x80 + i as u8,
                None => {
                    replaced += 1;
                    b'?'
                }
            },
        };
        bytes.push(byte);
    }
    (bytes, replaced)
}

/// Advance width of one WinAnsi byte in Helvetica, in thousandths of the font size (from the font's
/// AFM metrics; accented letters take their base letter's width, as in the AFM).
pub fn helvetica_width(byte: u8) -> u16 {
    match byte {
        b' ' | b'!' | b',' | b'.' | b'/' | b':' | b';' | b'[' | b'\\' | b']' | b'f' | b't' => 278,
        b'I' | 0xA0 | 0xCC..=0xCF | 0xEC..=0xEF => 278,
        b'i' | b'j' | b'l' | 0x92 | 0x91 => 222,
        b'\'' => 191,
        b'"' => 355,
        b'(' | b')' | b'-' | b'`' | b'r' | 0xAD => 333,
        b'*' => 389,
        b'+' | b'<' | b'=' | b'>' | b'~' | 0xD7 | 0xF7 => 584,
        b'%' | 0xE6 => 889,
        b'@' => 1015,
        b'^' => 469,
        b'{' | b'}' => 334,
        b'|' => 260,
        b'&' | b'A' | b'B' | b'E' | b'K' | b'P' | b'S' | b'V' | b'X' | b'Y' => 667,
        0xC0..=0xC5 | 0xC8..=0xCB | 0xDD | 0xDE | 0x8A => 667,
        b'C' | b'D' | b'H' | b'N' | b'R' | b'U' | 0xC7 | 0xD0 | 0xD1 | 0xD9..=0xDC => 722,
        b'w' => 722,
        b'F' | b'T' | b'Z' | 0xDF | 0xF8 => 611,
        b'G' | b'O' | b'Q' | 0xD2..=0xD6 | 0xD8 => 778,
        b'J' | b'c' | b'k' | b's' | b'v' | b'x' | b'y' | b'z' | 0xE7 | 0xFD | 0xFF => 500,
        b'L' => 556,
        b'M' | b'm' => 833,
        b'W' | 0x9C => 944,
        0xC6 | 0x8C | 0x85 | 0x97 | 0x89 | 0x99 => 1000,
        0x95 => 350,
        0xB0 => 400,
        _ => 556,
    }
}

/// Width of WinAnsi `bytes` set in Helvetica (`bold`: Helvetica-Bold, estimated 10 % wider, which
/// errs on the side of breaking a line early) at `size` points.
pub fn text_width(bytes: &[u8], size: f32, bold: bool) -> f32 {
    let thousandths: u32 = bytes.iter().map(|b| u32::from(helvetica_width(*b))).sum();
    let width = thousandths as f32 * size / 1000.0;
    if bold { width * 1.1 } else { width }
}

/// Breaks WinAnsi `bytes` into lines no wider than `max_width` points, at spaces; a word longer
/// than a line is cut where it overflows.
pub fn wrap(bytes: &[u8], size: f32, bold: bool, max_width: f32) -> Vec<Vec<u8>> {
    let mut lines = Vec::new();
    let mut line: Vec<u8> = Vec::new();
    for word in bytes.split(|b| *b == b' ').filter(|w| !w.is_empty()) {
        let mut candidate = line.clone();
        if !candidate.is_empty() {
            candidate.push(b' ');
        }
        candidate.extend_from_slice(word);
        if text_width(&candidate, size, bold) <= max_width {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // The word alone: cut it where it overflows (a record id, a very long name).
        for &byte in word {
            line.push(byte);
            if line.len() > 1 && text_width(&line, size, bold) > max_width {
                line.pop();
                lines.push(std::mem::replace(&mut line, vec![byte]));
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn french_letters_are_winansi() {
        let (bytes, replaced) = encode("Récépissé — œuvre « Noël » à Saint-Étienne, 12 €");
        assert_eq!(replaced, 0);
        assert_eq!(bytes[1], 0xE9); // é
        assert!(bytes.contains(&0x97)); // —
        assert!(bytes.contains(&0x9C)); // œ
        assert!(bytes.contains(&0xAB) && bytes.contains(&0xBB)); // « »
        assert!(bytes.contains(&0xC9)); // É
        assert!(bytes.contains(&0x80)); // €
    }

    #[test]
    fn outside_winansi_is_replaced_and_counted() {
        let (bytes, replaced) = encode("Łódź\n🙂");
        assert_eq!(bytes, b"?\xF3d? ?");
        assert_eq!(replaced, 3);
    }

    #[test]
    fn wrap_keeps_lines_within_width_and_words_whole() {
        let (text, _) = encode("Votre dossier est transmis au service national qui l'instruit.");
        let lines = wrap(&text, 11.0, false, 120.0);
        assert!(lines.len() > 2);
        for line in &lines {
            assert!(text_width(line, 11.0, false) <= 120.0);
        }
        assert_eq!(lines.join(&b' '), text);
    }

    #[test]
    fn wrap_cuts_a_word_longer_than_a_line() {
        let word = vec![b'W'; 40];
        let lines = wrap(&word, 10.0, false, 100.0);
        assert!(lines.len() >= 4);
        assert!(lines.iter().all(|l| text_width(l, 10.0, false) <= 100.0));
        assert_eq!(lines.concat(), word);
    }

    #[test]
    fn empty_text_is_one_empty_line() {
        assert_eq!(wrap(b"", 10.0, false, 100.0), vec![Vec::<u8>::new()]);
    }
}
