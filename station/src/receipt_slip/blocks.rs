//! What a receipt says, top to bottom, as blocks that both the on-screen text and the PDF lay out:
//! the two can never say different things.

use super::wording::wording;
use crate::{desk::ReceiptView, language::Language};

/// One part of the receipt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// The town hall's name, at the top.
    TownHall(String),
    /// The document's title.
    Title(String),
    /// A horizontal line under the title.
    Rule,
    /// A label and its value ("N° de pré-demande", "AB12CD34EF").
    Field {
        /// The label.
        label: String,
        /// The value.
        value: String,
    },
    /// A section heading.
    Heading(String),
    /// One item of a list.
    Item(String),
    /// A paragraph.
    Paragraph(String),
    /// The closing note, in small type.
    Note(String),
    /// A QR code of this text (the case reference), so that a phone or a desk scanner reads the
    /// reference without typing it. Printed only: the screen already shows the reference.
    Code(String),
}

/// The receipt's blocks in `language`. Values are cleaned of control characters (a newline typed
/// into a town hall's name would otherwise break the layout).
pub fn blocks(receipt: &ReceiptView, language: Language) -> Vec<Block> {
    let w = wording(language);
    let mut blocks = vec![
        Block::TownHall(clean(&receipt.town_hall)),
        Block::Title(w.title),
        Block::Rule,
        Block::Field {
            label: w.date,
            value: clean(&receipt.date),
        },
        Block::Field {
            label: w.pre_request,
            value: clean(&receipt.pre_request),
        },
        Block::Field {
            label: w.case_reference,
            value: clean(&receipt.case_reference),
        },
        Block::Field {
            label: w.record_id,
            value: clean(&receipt.record_id),
        },
        Block::Code(clean(&receipt.case_reference)),
        Block::Heading(w.captured),
    ];
    let captured: Vec<String> = receipt
        .captured
        .iter()
        .map(|line| clean(line))
        .filter(|line| !line.is_empty())
        .collect();
    if captured.is_empty() {
        blocks.push(Block::Paragraph(w.captured_unknown));
    } else {
        blocks.extend(captured.into_iter().map(Block::Item));
    }
    blocks.push(Block::Heading(w.next));
    blocks.push(Block::Paragraph(w.next_text));
    blocks.push(Block::Note(w.note));
    blocks
}

/// Control characters become spaces, runs of spaces one space, ends trimmed.
fn clean(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The receipt as plain text, one block per line (lists indented), for the screen and tests.
pub fn to_text(blocks: &[Block]) -> String {
    let mut text = String::new();
    for block in blocks {
        match block {
            Block::TownHall(t) | Block::Title(t) => {
                text.push_str(t);
                text.push('\n');
            }
            Block::Rule => text.push('\n'),
            Block::Field { label, value } => {
                text.push_str(&format!("{label} : {value}\n"));
            }
            Block::Heading(t) => text.push_str(&format!("\n{t}\n")),
            Block::Item(t) => text.push_str(&format!("  - {t}\n")),
            Block::Paragraph(t) => {
                text.push_str(t);
                text.push('\n');
            }
            Block::Note(t) => text.push_str(&format!("\n{t}\n")),
            Block::Code(_) => {}
        }
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_flattens_control_characters() {
        assert_eq!(clean("  Mairie\nde\t Lyon\u{7} "), "Mairie de Lyon");
    }
}
