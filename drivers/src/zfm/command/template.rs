//! Templates: feature extraction, matching, the module's library.

use std::time::Duration;

use super::{Command, ParseError, parse_empty, simple_command, take};

/// One of the module's two character (feature) buffers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharBuffer {
    /// Buffer 1.
    One,
    /// Buffer 2.
    Two,
}

impl CharBuffer {
    fn id(self) -> u8 {
        match self {
            CharBuffer::One => 1,
            CharBuffer::Two => 2,
        }
    }
}

/// 0x02 (GenChar): extract features from the image buffer into a character buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Img2Tz {
    /// Where the features go.
    pub buffer: CharBuffer,
}

impl Command for Img2Tz {
    const CODE: u8 = 0x02;
    const NAME: &'static str = "Img2Tz";
    type Response = ();
    fn args(&self, out: &mut Vec<u8>) {
        out.push(self.buffer.id());
    }
    fn timeout(&self) -> Duration {
        Duration::from_millis(1_500)
    }
    fn parse(&self, data: &[u8]) -> Result<(), ParseError> {
        parse_empty(data)
    }
}

/// 0x03: compare buffer 1 with buffer 2; answers the match score (confirmation 0x08 if no match).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Match;

impl Command for Match {
    const CODE: u8 = 0x03;
    const NAME: &'static str = "Match";
    type Response = u16;
    fn parse(&self, data: &[u8]) -> Result<u16, ParseError> {
        take::<2>(data).map(u16::from_be_bytes)
    }
}

/// Where Search found a template.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SearchHit {
    /// Library page of the matching template.
    pub page: u16,
    /// Match score.
    pub score: u16,
}

/// 0x04: search the library for the features in a buffer (confirmation 0x09 if not found).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Search {
    /// The buffer holding the features to look for.
    pub buffer: CharBuffer,
    /// First library page to search.
    pub start: u16,
    /// Number of pages to search.
    pub count: u16,
}

impl Command for Search {
    const CODE: u8 = 0x04;
    const NAME: &'static str = "Search";
    type Response = SearchHit;
    fn args(&self, out: &mut Vec<u8>) {
        out.push(self.buffer.id());
        out.extend_from_slice(&self.start.to_be_bytes());
        out.extend_from_slice(&self.count.to_be_bytes());
    }
    fn timeout(&self) -> Duration {
        Duration::from_millis(3_000)
    }
    fn parse(&self, data: &[u8]) -> Result<SearchHit, ParseError> {
        let b: [u8; 4] = take(data)?;
        Ok(SearchHit {
            page: u16::from_be_bytes([b[0], b[1]]),
            score: u16::from_be_bytes([b[2], b[3]]),
        })
    }
}

simple_command!(
    /// 0x05: combine buffers 1 and 2 into one template (in both buffers).
    RegModel,
    0x05,
    "RegModel",
    Duration::from_millis(1_500)
);

/// 0x06: store a buffer's template at a library page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Store {
    /// The buffer to store.
    pub buffer: CharBuffer,
    /// The library page.
    pub page: u16,
}

impl Command for Store {
    const CODE: u8 = 0x06;
    const NAME: &'static str = "Store";
    type Response = ();
    fn args(&self, out: &mut Vec<u8>) {
        out.push(self.buffer.id());
        out.extend_from_slice(&self.page.to_be_bytes());
    }
    fn timeout(&self) -> Duration {
        Duration::from_millis(1_500)
    }
    fn parse(&self, data: &[u8]) -> Result<(), ParseError> {
        parse_empty(data)
    }
}

/// 0x07: load a library page's template into a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadChar {
    /// The buffer to load into.
    pub buffer: CharBuffer,
    /// The library page.
    pub page: u16,
}

impl Command for LoadChar {
    const CODE: u8 = 0x07;
    const NAME: &'static str = "LoadChar";
    type Response = ();
    fn args(&self, out: &mut Vec<u8>) {
        out.push(self.buffer.id());
        out.extend_from_slice(&self.page.to_be_bytes());
    }
    fn parse(&self, data: &[u8]) -> Result<(), ParseError> {
        parse_empty(data)
    }
}

/// 0x0C: delete `count` templates from `page` on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeleteChar {
    /// First page to delete.
    pub page: u16,
    /// How many.
    pub count: u16,
}

impl Command for DeleteChar {
    const CODE: u8 = 0x0C;
    const NAME: &'static str = "DeleteChar";
    type Response = ();
    fn args(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&self.page.to_be_bytes());
        out.extend_from_slice(&self.count.to_be_bytes());
    }
    fn timeout(&self) -> Duration {
        Duration::from_millis(1_500)
    }
    fn parse(&self, data: &[u8]) -> Result<(), ParseError> {
        parse_empty(data)
    }
}

simple_command!(
    /// 0x0D: delete every template in the library.
    Empty,
    0x0D,
    "Empty",
    Duration::from_millis(3_000)
);

/// 0x1D: how many templates the library holds.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TemplateNum;

impl Command for TemplateNum {
    const CODE: u8 = 0x1D;
    const NAME: &'static str = "TemplateNum";
    type Response = u16;
    fn parse(&self, data: &[u8]) -> Result<u16, ParseError> {
        take::<2>(data).map(u16::from_be_bytes)
    }
}

/// 0x1F: which pages of one index page (256 templates) are used: a 32-byte bitmap.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReadIndexTable {
    /// Index page (0 covers templates 0..256).
    pub page: u8,
}

impl Command for ReadIndexTable {
    const CODE: u8 = 0x1F;
    const NAME: &'static str = "ReadIndexTable";
    type Response = [u8; 32];
    fn args(&self, out: &mut Vec<u8>) {
        out.push(self.page);
    }
    fn parse(&self, data: &[u8]) -> Result<[u8; 32], ParseError> {
        take(data)
    }
}
