//! An independent reader of ISO/IEC 19794-2 finger minutiae records, 2005 (version " 20") and 2011
//! (version "030"), written from docs/reference/iso19794-records.md §3 and §4.

/// One finger view (2005) or representation (2011).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutiaeView {
    /// Finger position code.
    pub position: u8,
    /// View (2005) or representation (2011) number.
    pub number: u8,
    /// Number of minutiae.
    pub minutiae: usize,
}

/// A minutiae record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MinutiaeRecord {
    /// 2005 or 2011.
    pub edition: u16,
    /// The views or representations, in order.
    pub views: Vec<MinutiaeView>,
}

/// Why a minutiae record was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ISO/IEC 19794-2 record: {0}")]
pub struct MinutiaeRecordError(pub String);

fn fail<T>(text: impl Into<String>) -> Result<T, MinutiaeRecordError> {
    Err(MinutiaeRecordError(text.into()))
}

/// A bounds-checked reader.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize, what: &str) -> Result<&'a [u8], MinutiaeRecordError> {
        match self
            .at
            .checked_add(n)
            .filter(|end| *end <= self.bytes.len())
        {
            Some(end) => {
                let part = &self.bytes[self.at..end];
                self.at = end;
                Ok(part)
            }
            None => fail(format!(
                "{what}: needs {n} bytes at offset {}, the record ends first",
                self.at
            )),
        }
    }
    fn u8(&mut self, what: &str) -> Result<u8, MinutiaeRecordError> {
        Ok(self.take(1, what)?[0])
    }
    fn u16(&mut self, what: &str) -> Result<u16, MinutiaeRecordError> {
        let b = self.take(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
    fn u32(&mut self, what: &str) -> Result<u32, MinutiaeRecordError> {
        let b = self.take(4, what)?;
        Ok(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
    }
}

/// Parses and checks a whole record of either edition.
pub fn parse(bytes: &[u8]) -> Result<MinutiaeRecord, MinutiaeRecordError> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(4, "format identifier")? != b"FMR\0" {
        return fail("format identifier is not FMR\\0");
    }
    let version = r.take(4, "version")?;
    let length = r.u32("record length")? as usize;
    if length != bytes.len() {
        return fail(format!(
            "record length field says {length}, the record has {} bytes",
            bytes.len()
        ));
    }
    let record = match version {
        b" 20\0" => parse_2005(&mut r)?,
        b"030\0" => parse_2011(&mut r)?,
        _ => return fail("version is neither \" 20\" (2005) nor \"030\" (2011)"),
    };
    if r.at != bytes.len() {
        return fail(format!("{} bytes after the last view", bytes.len() - r.at));
    }
    for view in &record.views {
        let same = record
            .views
            .iter()
            .filter(|v| v.position == view.position && v.number == view.number)
            .count();
        if same != 1 {
            return fail(format!(
                "position {} view {} appears {same} times",
                view.position, view.number
            ));
        }
    }
    Ok(record)
}

fn minutia(
    r: &mut Reader<'_>,
    index: usize,
    with_quality: bool,
    width: u16,
    height: u16,
    quality_ok: fn(u8) -> bool,
) -> Result<(), MinutiaeRecordError> {
    let xw = r.u16("minutia x")?;
    let yw = r.u16("minutia y")?;
    let _angle = r.u8("minutia angle")?;
    let kind = xw >> 14;
    if kind == 3 {
        return fail(format!("minutia {index}: type 3 is reserved"));
    }
    let (x, y) = (xw & 0x3FFF, yw & 0x3FFF);
    if (width != 0 && x >= width) || (height != 0 && y >= height) {
        return fail(format!(
            "minutia {index}: ({x}, {y}) outside the {width}x{height} image"
        ));
    }
    if with_quality {
        let q = r.u8("minutia quality")?;
        if !quality_ok(q) {
            return fail(format!("minutia {index}: quality {q}"));
        }
    }
    Ok(())
}

fn parse_2005(r: &mut Reader<'_>) -> Result<MinutiaeRecord, MinutiaeRecordError> {
    let _equipment = r.u16("capture equipment")?;
    let width = r.u16("width")?;
    let height = r.u16("height")?;
    let (xres, yres) = (r.u16("x resolution")?, r.u16("y resolution")?);
    if xres == 0 || yres == 0 {
        return fail("resolution is 0");
    }
    let count = r.u8("number of views")?;
    if r.u8("reserved")? != 0 {
        return fail("reserved header byte is not 0");
    }
    let mut views = Vec::with_capacity(usize::from(count));
    for v in 0..count {
        let position = r.u8("finger position")?;
        if position > 10 {
            return fail(format!(
                "view {v}: finger position {position} (0..=10 in 2005)"
            ));
        }
        let packed = r.u8("view number / impression")?;
        let (number, impression) = (packed >> 4, packed & 0x0F);
        if !matches!(impression, 0..=3 | 8 | 9) {
            return fail(format!("view {v}: impression type {impression}"));
        }
        let quality = r.u8("finger quality")?;
        if quality > 100 {
            return fail(format!("view {v}: finger quality {quality}"));
        }
        let n = usize::from(r.u8("number of minutiae")?);
        for m in 0..n {
            minutia(r, m, true, width, height, |q| q <= 100)?;
        }
        let extended = usize::from(r.u16("extended data length")?);
        r.take(extended, "extended data")?;
        views.push(MinutiaeView {
            position,
            number,
            minutiae: n,
        });
    }
    Ok(MinutiaeRecord {
        edition: 2005,
        views,
    })
}

fn parse_2011(r: &mut Reader<'_>) -> Result<MinutiaeRecord, MinutiaeRecordError> {
    let count = r.u16("number of representations")?;
    if count == 0 {
        return fail("number of representations is 0");
    }
    let certified = r.u8("certification flag")?;
    if certified > 1 {
        return fail(format!("certification flag {certified}"));
    }
    let mut views = Vec::new();
    for v in 0..count {
        let start = r.at;
        let length = r.u32("representation length")? as usize;
        let end = start
            .checked_add(length)
            .filter(|end| *end <= r.bytes.len())
            .ok_or_else(|| {
                MinutiaeRecordError(format!(
                    "representation {v}: length {length} runs past the record"
                ))
            })?;
        r.take(9, "capture date and time")?;
        let technology = r.u8("capture device technology")?;
        if technology > 20 {
            return fail(format!(
                "representation {v}: device technology {technology}"
            ));
        }
        r.take(4, "vendor and device type")?;
        let blocks = usize::from(r.u8("quality block count")?);
        for _ in 0..blocks {
            let score = r.u8("quality score")?;
            if score > 100 && score != 255 {
                return fail(format!("representation {v}: quality score {score}"));
            }
            r.take(4, "quality algorithm")?;
        }
        if certified == 1 {
            let c = usize::from(r.u8("certification block count")?);
            r.take(3 * c, "certification blocks")?;
        }
        let position = r.u8("finger position")?;
        if !matches!(position, 0..=10 | 13..=15 | 40..=50) {
            return fail(format!("representation {v}: finger position {position}"));
        }
        let number = r.u8("representation number")?;
        if number > 15 {
            return fail(format!("representation {v}: number {number}"));
        }
        let (xres, yres) = (r.u16("x resolution")?, r.u16("y resolution")?);
        if xres == 0 || yres == 0 {
            return fail(format!("representation {v}: resolution is 0"));
        }
        let impression = r.u8("impression type")?;
        if !matches!(impression, 0..=9 | 24 | 28 | 29) {
            return fail(format!("representation {v}: impression type {impression}"));
        }
        let width = r.u16("width")?;
        let height = r.u16("height")?;
        if width > 0x3FFF || height > 0x3FFF {
            return fail(format!(
                "representation {v}: image {width}x{height} too large"
            ));
        }
        let field = r.u8("minutia field length")?;
        let with_quality = match field >> 4 {
            5 => false,
            6 => true,
            other => return fail(format!("representation {v}: minutia field length {other}")),
        };
        if field & 0x0F > 1 {
            return fail(format!(
                "representation {v}: ridge ending type {}",
                field & 0x0F
            ));
        }
        let n = usize::from(r.u8("number of minutiae")?);
        for m in 0..n {
            minutia(r, m, with_quality, width, height, |q| q <= 100 || q >= 254)?;
        }
        let extended = usize::from(r.u16("extended data length")?);
        r.take(extended, "extended data")?;
        if r.at != end {
            return fail(format!(
                "representation {v}: length says {length}, its fields take {}",
                r.at - start
            ));
        }
        views.push(MinutiaeView {
            position,
            number,
            minutiae: n,
        });
    }
    Ok(MinutiaeRecord {
        edition: 2011,
        views,
    })
}
