//! The template library in the module's flash: numbered pages, each empty or holding a template.

use super::charfile::CharFile;

/// The library.
#[derive(Debug, Clone)]
pub struct Library {
    pages: Vec<Option<CharFile>>,
}

impl Library {
    /// An empty library of `size` pages.
    pub fn new(size: u16) -> Self {
        Self {
            pages: vec![None; usize::from(size)],
        }
    }

    /// Number of pages.
    pub fn size(&self) -> u16 {
        u16::try_from(self.pages.len()).unwrap_or(u16::MAX)
    }

    /// Stores a template; false if the page does not exist.
    pub fn store(&mut self, page: u16, template: CharFile) -> bool {
        match self.pages.get_mut(usize::from(page)) {
            Some(slot) => {
                *slot = Some(template);
                true
            }
            None => false,
        }
    }

    /// The template at a page: Err(()) if the page does not exist, Ok(None) if it is empty.
    pub fn load(&self, page: u16) -> Result<Option<&CharFile>, ()> {
        self.pages
            .get(usize::from(page))
            .map(Option::as_ref)
            .ok_or(())
    }

    /// Deletes `count` pages from `start`; false (and nothing deleted) if the range leaves the
    /// library or is empty.
    pub fn delete(&mut self, start: u16, count: u16) -> bool {
        let (start, count) = (usize::from(start), usize::from(count));
        if count == 0 || start + count > self.pages.len() {
            return false;
        }
        self.pages[start..start + count]
            .iter_mut()
            .for_each(|p| *p = None);
        true
    }

    /// Deletes everything.
    pub fn empty(&mut self) {
        self.pages.iter_mut().for_each(|p| *p = None);
    }

    /// Number of templates stored.
    pub fn count(&self) -> u16 {
        u16::try_from(self.pages.iter().filter(|p| p.is_some()).count()).unwrap_or(u16::MAX)
    }

    /// The 32-byte bitmap of index page `index` (pages 256 × index …): bit j of byte i is page
    /// 256 × index + 8 × i + j.
    pub fn index_table(&self, index: u8) -> [u8; 32] {
        let mut table = [0u8; 32];
        let base = usize::from(index) * 256;
        for (offset, byte) in table.iter_mut().enumerate() {
            for bit in 0..8 {
                if matches!(self.pages.get(base + offset * 8 + bit), Some(Some(_))) {
                    *byte |= 1 << bit;
                }
            }
        }
        table
    }

    /// Pages in `start .. start + count` that hold a template, with their templates.
    pub fn range(&self, start: u16, count: u16) -> impl Iterator<Item = (u16, &CharFile)> {
        let start = usize::from(start);
        let end = (start + usize::from(count)).min(self.pages.len());
        self.pages
            .get(start.min(end)..end)
            .unwrap_or(&[])
            .iter()
            .enumerate()
            .filter_map(move |(i, p)| {
                p.as_ref()
                    .map(|t| (u16::try_from(start + i).unwrap_or(u16::MAX), t))
            })
    }
}
