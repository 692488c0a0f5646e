//! Lays the receipt's blocks out on A4 pages and writes them as PDF with `pdf-writer`, in the
//! builtin Helvetica (WinAnsiEncoding): nothing embedded, no image, a few kilobytes. The QR code
//! is drawn as filled squares, one per dark module.

use pdf_writer::{Content, Finish, Name, Pdf, Rect, Ref, Str, TextStr};

use super::{
    blocks::Block,
    winansi::{self, BULLET},
};
use crate::language::Language;

/// A4 in points (210 × 297 mm).
const PAGE_WIDTH: f32 = 595.28;
const PAGE_HEIGHT: f32 = 841.89;
/// 20 mm.
const MARGIN: f32 = 56.7;
const CONTENT_WIDTH: f32 = PAGE_WIDTH - 2.0 * MARGIN;
/// Where values start, right of their labels.
const VALUE_COLUMN: f32 = 150.0;
/// Items' text, right of their bullet.
const ITEM_INDENT: f32 = 20.0;
const BODY_SIZE: f32 = 11.0;
/// The QR code's side with its quiet zone: 25 mm, which phone cameras and desk scanners read at
/// arm's length (a version-1 code then has modules of about 0.9 mm).
const CODE_SIDE: f32 = 70.9;
/// Light modules around the code, as the QR standard asks, so a reader finds its edges.
const QUIET_ZONE: usize = 4;

const REGULAR: Name<'static> = Name(b"F1");
const BOLD: Name<'static> = Name(b"F2");

/// One drawing operation on a page.
#[derive(Debug, Clone, PartialEq)]
enum Op {
    Text {
        bold: bool,
        size: f32,
        x: f32,
        y: f32,
        bytes: Vec<u8>,
    },
    Rule {
        y: f32,
    },
    /// Dark squares of side `module`, given as (column, row) from the top-left corner at (x, top).
    Squares {
        x: f32,
        top: f32,
        module: f32,
        dark: Vec<(u16, u16)>,
    },
}

/// Places lines top to bottom, starting a page when one is full.
struct Layout {
    pages: Vec<Vec<Op>>,
    y: f32,
    /// Characters printed as `?` (outside WinAnsi).
    replaced: usize,
}

impl Layout {
    fn new() -> Self {
        Self {
            pages: vec![Vec::new()],
            y: PAGE_HEIGHT - MARGIN,
            replaced: 0,
        }
    }

    fn encode(&mut self, text: &str) -> Vec<u8> {
        let (bytes, replaced) = winansi::encode(text);
        self.replaced += replaced;
        bytes
    }

    /// Moves down by `gap` and one line of `size`, on a new page if this one is full; returns the
    /// baseline.
    fn advance(&mut self, gap: f32, size: f32) -> f32 {
        let leading = size * 1.3;
        if self.y - gap - leading < MARGIN {
            self.pages.push(Vec::new());
            self.y = PAGE_HEIGHT - MARGIN - leading;
        } else {
            self.y -= gap + leading;
        }
        self.y
    }

    fn push(&mut self, op: Op) {
        if let Some(page) = self.pages.last_mut() {
            page.push(op);
        }
    }

    /// Wrapped text at `x`, `gap` above its first line.
    fn text(&mut self, text: &str, bold: bool, size: f32, x: f32, gap: f32) {
        let bytes = self.encode(text);
        let width = CONTENT_WIDTH - (x - MARGIN);
        for (i, line) in winansi::wrap(&bytes, size, bold, width)
            .into_iter()
            .enumerate()
        {
            let y = self.advance(if i == 0 { gap } else { 0.0 }, size);
            self.push(Op::Text {
                bold,
                size,
                x,
                y,
                bytes: line,
            });
        }
    }

    fn block(&mut self, block: &Block) {
        match block {
            Block::TownHall(t) => self.text(t, true, 13.0, MARGIN, 0.0),
            Block::Title(t) => self.text(t, true, 20.0, MARGIN, 14.0),
            Block::Rule => {
                self.y -= 8.0;
                let y = self.y;
                self.push(Op::Rule { y });
                self.y -= 6.0;
            }
            Block::Field { label, value } => {
                let label = self.encode(label);
                let value = self.encode(value);
                let lines = winansi::wrap(&value, BODY_SIZE, false, CONTENT_WIDTH - VALUE_COLUMN);
                for (i, line) in lines.into_iter().enumerate() {
                    let y = self.advance(if i == 0 { 8.0 } else { 0.0 }, BODY_SIZE);
                    if i == 0 {
                        self.push(Op::Text {
                            bold: true,
                            size: BODY_SIZE,
                            x: MARGIN,
                            y,
                            bytes: label.clone(),
                        });
                    }
                    self.push(Op::Text {
                        bold: false,
                        size: BODY_SIZE,
                        x: MARGIN + VALUE_COLUMN,
                        y,
                        bytes: line,
                    });
                }
            }
            Block::Heading(t) => self.text(t, true, 12.0, MARGIN, 18.0),
            Block::Item(t) => {
                let bytes = self.encode(t);
                let width = CONTENT_WIDTH - ITEM_INDENT;
                for (i, line) in winansi::wrap(&bytes, BODY_SIZE, false, width)
                    .into_iter()
                    .enumerate()
                {
                    let y = self.advance(if i == 0 { 4.0 } else { 0.0 }, BODY_SIZE);
                    if i == 0 {
                        self.push(Op::Text {
                            bold: false,
                            size: BODY_SIZE,
                            x: MARGIN + 6.0,
                            y,
                            bytes: vec![BULLET],
                        });
                    }
                    self.push(Op::Text {
                        bold: false,
                        size: BODY_SIZE,
                        x: MARGIN + ITEM_INDENT,
                        y,
                        bytes: line,
                    });
                }
            }
            Block::Paragraph(t) => self.text(t, false, BODY_SIZE, MARGIN, 6.0),
            Block::Note(t) => self.text(t, false, 9.0, MARGIN, 28.0),
            Block::Code(text) => self.code(text),
        }
    }

    /// A QR code of `text` at the left margin; nothing when `text` is empty or too long for one.
    fn code(&mut self, text: &str) {
        let Some((width, dark)) = qr_modules(text) else {
            return;
        };
        let module = CODE_SIDE / (width + 2 * QUIET_ZONE) as f32;
        if self.y - CODE_SIDE < MARGIN {
            self.pages.push(Vec::new());
            self.y = PAGE_HEIGHT - MARGIN;
        }
        let top = self.y - QUIET_ZONE as f32 * module;
        self.push(Op::Squares {
            x: MARGIN,
            top,
            module,
            dark,
        });
        self.y -= CODE_SIDE;
    }
}

/// The side of `text`'s QR code in modules and its dark modules as (column, row); `None` when the
/// text is empty or does not fit a QR code.
fn qr_modules(text: &str) -> Option<(usize, Vec<(u16, u16)>)> {
    if text.is_empty() {
        return None;
    }
    let code = qrcode::QrCode::with_error_correction_level(text, qrcode::EcLevel::M).ok()?;
    let width = code.width();
    let dark = code
        .to_colors()
        .iter()
        .enumerate()
        .filter(|(_, c)| **c == qrcode::Color::Dark)
        .map(|(i, _)| ((i % width) as u16, (i / width) as u16))
        .collect();
    Some((width, dark))
}

/// The PDF file, how many pages it has, and how many characters were printed as `?`.
pub struct Rendered {
    /// The file's bytes.
    pub bytes: Vec<u8>,
    /// Pages.
    pub pages: usize,
    /// Characters outside WinAnsi, printed as `?`.
    pub replaced: usize,
}

/// Lays out `blocks` and writes the PDF. `title` goes in the document information (shown in a
/// viewer's title bar and the print queue).
pub fn render(blocks: &[Block], title: &str, language: Language) -> Rendered {
    let mut layout = Layout::new();
    for block in blocks {
        layout.block(block);
    }
    let page_count = layout.pages.len();
    if page_count > 1 {
        for (i, page) in layout.pages.iter_mut().enumerate() {
            let (bytes, _) = winansi::encode(&format!("{}/{page_count}", i + 1));
            let x = PAGE_WIDTH - MARGIN - winansi::text_width(&bytes, 9.0, false);
            page.push(Op::Text {
                bold: false,
                size: 9.0,
                x,
                y: MARGIN / 2.0,
                bytes,
            });
        }
    }

    let catalog_id = Ref::new(1);
    let tree_id = Ref::new(2);
    let regular_id = Ref::new(3);
    let bold_id = Ref::new(4);
    let info_id = Ref::new(5);
    let first_page = 6;
    let page_ids: Vec<Ref> = (0..page_count)
        .map(|i| Ref::new(first_page + 2 * i as i32))
        .collect();

    let mut pdf = Pdf::new();
    let mut catalog = pdf.catalog(catalog_id);
    catalog.pages(tree_id);
    catalog.lang(TextStr(match language {
        Language::French => "fr-FR",
        Language::English => "en-GB",
    }));
    catalog.finish();
    pdf.pages(tree_id)
        .kids(page_ids.iter().copied())
        .count(page_count as i32);
    pdf.type1_font(regular_id)
        .base_font(Name(b"Helvetica"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.type1_font(bold_id)
        .base_font(Name(b"Helvetica-Bold"))
        .encoding_predefined(Name(b"WinAnsiEncoding"));
    pdf.document_info(info_id)
        .title(TextStr(title))
        .producer(TextStr(concat!("station ", env!("CARGO_PKG_VERSION"))));

    for (ops, page_id) in layout.pages.iter().zip(&page_ids) {
        let content_id = Ref::new(page_id.get() + 1);
        let mut page = pdf.page(*page_id);
        page.parent(tree_id)
            .media_box(Rect::new(0.0, 0.0, PAGE_WIDTH, PAGE_HEIGHT))
            .contents(content_id);
        let mut resources = page.resources();
        let mut fonts = resources.fonts();
        fonts.pair(REGULAR, regular_id).pair(BOLD, bold_id);
        fonts.finish();
        resources.finish();
        page.finish();
        pdf.stream(content_id, &draw(ops));
    }
    Rendered {
        bytes: pdf.finish(),
        pages: page_count,
        replaced: layout.replaced,
    }
}

/// One page's content stream.
fn draw(ops: &[Op]) -> Vec<u8> {
    let mut content = Content::new();
    for op in ops {
        match op {
            Op::Text {
                bold,
                size,
                x,
                y,
                bytes,
            } => {
                content
                    .begin_text()
                    .set_font(if *bold { BOLD } else { REGULAR }, *size)
                    .next_line(*x, *y)
                    .show(Str(bytes))
                    .end_text();
            }
            Op::Rule { y } => {
                content
                    .set_line_width(0.8)
                    .move_to(MARGIN, *y)
                    .line_to(PAGE_WIDTH - MARGIN, *y)
                    .stroke();
            }
            Op::Squares {
                x,
                top,
                module,
                dark,
            } => {
                for &(column, row) in dark {
                    content.rect(
                        x + f32::from(column) * module,
                        top - f32::from(row + 1) * module,
                        *module,
                        *module,
                    );
                }
                content.set_fill_gray(0.0).fill_nonzero();
            }
        }
    }
    content.finish().to_vec()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn laid_out(blocks: &[Block]) -> Vec<Vec<Op>> {
        let mut layout = Layout::new();
        for block in blocks {
            layout.block(block);
        }
        layout.pages
    }

    #[test]
    fn every_line_stays_inside_the_margins() {
        let long = "Mairie annexe du quatrième arrondissement, Hôtel de ville, place de la \
                    République, ";
        let mut blocks = vec![
            Block::TownHall(long.repeat(3)),
            Block::Title("Récépissé de dépôt de demande".into()),
            Block::Rule,
            Block::Field {
                label: "N° de dossier".into(),
                value: "W".repeat(120),
            },
        ];
        blocks.extend((0..60).map(|i| Block::Item(format!("{i} {}", long.repeat(2)))));
        blocks.push(Block::Paragraph(long.repeat(5)));
        let pages = laid_out(&blocks);
        assert!(pages.len() > 1);
        for op in pages.iter().flatten() {
            match op {
                Op::Text {
                    bold,
                    size,
                    x,
                    y,
                    bytes,
                } => {
                    let right = x + winansi::text_width(bytes, *size, *bold);
                    assert!(right <= PAGE_WIDTH - MARGIN + 0.01, "{right} {bytes:?}");
                    assert!(*y >= MARGIN && *y <= PAGE_HEIGHT - MARGIN, "{y}");
                }
                Op::Rule { y } => assert!(*y >= MARGIN),
                Op::Squares { .. } => {}
            }
        }
    }

    /// Paints the page's squares as the PDF viewer would (y up in the PDF, down in the image), one
    /// pixel per point, and reads the QR code back.
    fn read_code(page: &[Op]) -> Option<String> {
        let mut image = image::GrayImage::from_pixel(
            PAGE_WIDTH as u32 * 2,
            PAGE_HEIGHT as u32 * 2,
            image::Luma([255]),
        );
        for op in page {
            if let Op::Squares {
                x,
                top,
                module,
                dark,
            } = op
            {
                for &(column, row) in dark {
                    let left = (x + f32::from(column) * module) * 2.0;
                    let bottom = (top - f32::from(row + 1) * module) * 2.0;
                    let side = module * 2.0;
                    for py in (bottom as u32)..((bottom + side) as u32) {
                        for px in (left as u32)..((left + side) as u32) {
                            let flipped = PAGE_HEIGHT as u32 * 2 - 1 - py;
                            image.put_pixel(px, flipped, image::Luma([0]));
                        }
                    }
                }
            }
        }
        let mut prepared = rqrr::PreparedImage::prepare_from_greyscale(
            image.width() as usize,
            image.height() as usize,
            |x, y| image.get_pixel(x as u32, y as u32).0[0],
        );
        let grids = prepared.detect_grids();
        let (_, content) = grids.first()?.decode().ok()?;
        Some(content)
    }

    #[test]
    fn the_code_on_the_page_reads_back_as_the_case_reference() {
        let pages = laid_out(&[
            Block::Title("Récépissé de dépôt de demande".into()),
            Block::Field {
                label: "Référence".into(),
                value: "KXH7-3MPA-RTW9".into(),
            },
            Block::Code("KXH7-3MPA-RTW9".into()),
            Block::Paragraph("Suite".into()),
        ]);
        assert_eq!(pages.len(), 1);
        assert_eq!(read_code(&pages[0]).as_deref(), Some("KXH7-3MPA-RTW9"));
        // The code sits inside the margins and the next text starts below it.
        let (code_top, code_bottom) = pages[0]
            .iter()
            .find_map(|op| match op {
                Op::Squares { top, module, .. } => {
                    Some((*top, top - (CODE_SIDE - 2.0 * QUIET_ZONE as f32 * module)))
                }
                _ => None,
            })
            .unwrap();
        assert!(code_top <= PAGE_HEIGHT - MARGIN && code_bottom >= MARGIN);
        let after = pages[0]
            .iter()
            .filter_map(|op| match op {
                Op::Text { y, bytes, .. } if bytes.as_slice() == b"Suite" => Some(*y),
                _ => None,
            })
            .next()
            .unwrap();
        assert!(after < code_bottom, "{after} {code_bottom}");
    }

    #[test]
    fn no_code_for_an_empty_reference() {
        let pages = laid_out(&[Block::Code(String::new())]);
        assert!(pages[0].is_empty());
    }

    #[test]
    fn one_page_needs_no_page_numbers() {
        let rendered = render(&[Block::Title("Titre".into())], "Titre", Language::French);
        assert_eq!(rendered.pages, 1);
        assert!(!rendered.bytes.windows(3).any(|w| w == b"1/1"));
    }
}
