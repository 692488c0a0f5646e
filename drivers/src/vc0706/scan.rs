//! A strict walk through a baseline JPEG, stricter than a decoder: every marker segment has the
//! length it announces, the tables and the frame header are legal, and the entropy-coded scan is
//! decoded code by code (Huffman codes that exist in the tables, coefficient positions that stay in
//! the 8×8 block, restart markers in sequence) until exactly the number of blocks the frame header
//! asks for, after which only 1-bits of padding may remain before the end-of-image marker, which
//! must be the last two bytes. A decoder pads, resynchronises and forgives; this does not.
//!
//! It catches a flipped bit that changes the meaning of the stream (a marker, a length, a table, a
//! Huffman code, an end-of-block). It cannot catch a flip in a coefficient's magnitude bits, which
//! the JPEG format leaves unchecked: those decode to other, legal pixels (ISO/IEC 10918-1 has no
//! checksum). The camera's [`crate::vc0706::Verify`] documentation gives the measured share.

/// Why the walk refused a JPEG.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScanProblem {
    /// The bytes end inside a segment or the scan.
    #[error("the JPEG ends early")]
    Truncated,
    /// A marker that is not expected here, or no marker where one must be.
    #[error("unexpected marker byte {0:#04x}")]
    Marker(u8),
    /// A table, frame header or scan header that baseline JPEG does not allow.
    #[error("illegal {0}")]
    Header(&'static str),
    /// A Huffman code that is not in the table.
    #[error("Huffman code not in the table")]
    Code,
    /// A coefficient beyond the 64 of a block, or a magnitude category too large.
    #[error("coefficient out of range")]
    Coefficient,
    /// A restart marker out of sequence or missing.
    #[error("restart marker out of sequence")]
    Restart,
    /// Bits left after the last block that are not 1-padding, or bytes between the scan and EOI.
    #[error("data after the last block")]
    Trailing,
}

/// One Huffman table as lookup by (length, code).
#[derive(Clone, Default)]
struct Huffman {
    /// For each code length 1..=16: the first code, the index of its first value, the count.
    first_code: [u32; 17],
    first_index: [usize; 17],
    count: [u32; 17],
    values: Vec<u8>,
}

impl Huffman {
    fn parse(counts: &[u8], values: &[u8]) -> Result<Huffman, ScanProblem> {
        let mut table = Huffman {
            values: values.to_vec(),
            ..Huffman::default()
        };
        let (mut code, mut index) = (0u32, 0usize);
        for length in 1..=16 {
            let n = u32::from(counts[length - 1]);
            table.first_code[length] = code;
            table.first_index[length] = index;
            table.count[length] = n;
            code += n;
            index += n as usize;
            // Codes of one length must fit in that many bits (all ones is reserved).
            if code > (1 << length) {
                return Err(ScanProblem::Header("Huffman table"));
            }
            code <<= 1;
        }
        if index != values.len() {
            return Err(ScanProblem::Header("Huffman table"));
        }
        Ok(table)
    }
}

/// Reads the entropy-coded bits, unstuffing FF 00 and stopping at any other marker.
struct Bits<'a> {
    data: &'a [u8],
    at: usize,
    buffer: u32,
    held: u32,
    /// A marker met in the data (its second byte); no more bits until it is dealt with.
    marker: Option<u8>,
}

impl Bits<'_> {
    fn bit(&mut self) -> Result<u32, ScanProblem> {
        if self.held == 0 {
            if self.marker.is_some() {
                return Err(ScanProblem::Marker(self.marker.unwrap_or(0)));
            }
            let byte = *self.data.get(self.at).ok_or(ScanProblem::Truncated)?;
            self.at += 1;
            if byte == 0xFF {
                let next = *self.data.get(self.at).ok_or(ScanProblem::Truncated)?;
                self.at += 1;
                if next != 0x00 {
                    self.marker = Some(next);
                    return Err(ScanProblem::Marker(next));
                }
            }
            self.buffer = u32::from(byte);
            self.held = 8;
        }
        self.held -= 1;
        Ok((self.buffer >> self.held) & 1)
    }

    fn bits(&mut self, n: u32) -> Result<u32, ScanProblem> {
        let mut value = 0;
        for _ in 0..n {
            value = (value << 1) | self.bit()?;
        }
        Ok(value)
    }

    fn decode(&mut self, table: &Huffman) -> Result<u8, ScanProblem> {
        let mut code = 0u32;
        for length in 1..=16 {
            code = (code << 1) | self.bit()?;
            let offset = code.wrapping_sub(table.first_code[length]);
            if code >= table.first_code[length] && offset < table.count[length] {
                return table
                    .values
                    .get(table.first_index[length] + offset as usize)
                    .copied()
                    .ok_or(ScanProblem::Code);
            }
        }
        Err(ScanProblem::Code)
    }

    /// Leftover bits of the current byte must all be 1 (padding before a marker).
    fn padding_ok(&self) -> bool {
        let mask = (1u32 << self.held) - 1;
        self.buffer & mask == mask
    }

    /// Consumes a marker that follows the padding: returns its second byte.
    fn next_marker(&mut self) -> Result<u8, ScanProblem> {
        if !self.padding_ok() {
            return Err(ScanProblem::Trailing);
        }
        self.held = 0;
        if let Some(marker) = self.marker.take() {
            return Ok(marker);
        }
        if self.data.get(self.at) != Some(&0xFF) {
            return Err(ScanProblem::Trailing);
        }
        let marker = *self.data.get(self.at + 1).ok_or(ScanProblem::Truncated)?;
        self.at += 2;
        Ok(marker)
    }
}

/// A frame component: sampling factors and its tables in the scan.
#[derive(Clone, Copy)]
struct Component {
    id: u8,
    h: usize,
    v: usize,
    quant: usize,
    dc: usize,
    ac: usize,
}

/// Walks a whole baseline JPEG (`bytes` from FF D8 to FF D9) and refuses anything irregular.
pub fn verify(bytes: &[u8]) -> Result<(), ScanProblem> {
    if bytes.get(..2) != Some(&[0xFF, 0xD8]) {
        return Err(ScanProblem::Header("start of image"));
    }
    let mut at = 2usize;
    let mut dc_tables: [Option<Huffman>; 4] = Default::default();
    let mut ac_tables: [Option<Huffman>; 4] = Default::default();
    let mut quant = [false; 4];
    let mut components: Vec<Component> = Vec::new();
    let (mut width, mut height) = (0usize, 0usize);
    let mut restart_interval = 0usize;
    loop {
        if bytes.get(at) != Some(&0xFF) {
            return Err(ScanProblem::Marker(bytes.get(at).copied().unwrap_or(0)));
        }
        let marker = *bytes.get(at + 1).ok_or(ScanProblem::Truncated)?;
        at += 2;
        if marker == 0xD9 {
            // The scan was never seen: a header-only file.
            return Err(ScanProblem::Header("image without a scan"));
        }
        let length = usize::from(u16::from_be_bytes([
            *bytes.get(at).ok_or(ScanProblem::Truncated)?,
            *bytes.get(at + 1).ok_or(ScanProblem::Truncated)?,
        ]));
        if length < 2 {
            return Err(ScanProblem::Header("segment length"));
        }
        let segment = bytes
            .get(at + 2..at + length)
            .ok_or(ScanProblem::Truncated)?;
        at += length;
        match marker {
            0xDB => {
                let mut s = segment;
                while !s.is_empty() {
                    let (precision, id) = (s[0] >> 4, usize::from(s[0] & 0x0F));
                    let size = if precision == 0 { 64 } else { 128 };
                    if precision > 1 || id > 3 || s.len() < 1 + size {
                        return Err(ScanProblem::Header("quantisation table"));
                    }
                    quant[id] = true;
                    s = &s[1 + size..];
                }
            }
            0xC4 => {
                let mut s = segment;
                while !s.is_empty() {
                    let (class, id) = (s[0] >> 4, usize::from(s[0] & 0x0F));
                    let counts = s.get(1..17).ok_or(ScanProblem::Header("Huffman table"))?;
                    let total: usize = counts.iter().map(|&c| usize::from(c)).sum();
                    let values = s
                        .get(17..17 + total)
                        .ok_or(ScanProblem::Header("Huffman table"))?;
                    if class > 1 || id > 3 {
                        return Err(ScanProblem::Header("Huffman table"));
                    }
                    let table = Some(Huffman::parse(counts, values)?);
                    if class == 0 {
                        dc_tables[id] = table;
                    } else {
                        ac_tables[id] = table;
                    }
                    s = &s[17 + total..];
                }
            }
            0xC0 => {
                if segment.len() < 6 || segment[0] != 8 {
                    return Err(ScanProblem::Header("frame header"));
                }
                height = usize::from(u16::from_be_bytes([segment[1], segment[2]]));
                width = usize::from(u16::from_be_bytes([segment[3], segment[4]]));
                let n = usize::from(segment[5]);
                if width == 0 || height == 0 || !(1..=4).contains(&n) || segment.len() != 6 + 3 * n
                {
                    return Err(ScanProblem::Header("frame header"));
                }
                for c in segment[6..].chunks(3) {
                    let (h, v, q) = (usize::from(c[1] >> 4), usize::from(c[1] & 0x0F), c[2]);
                    if !(1..=4).contains(&h) || !(1..=4).contains(&v) || q > 3 {
                        return Err(ScanProblem::Header("frame component"));
                    }
                    components.push(Component {
                        id: c[0],
                        h,
                        v,
                        quant: usize::from(q),
                        dc: 0,
                        ac: 0,
                    });
                }
            }
            0xDD => {
                if segment.len() != 2 {
                    return Err(ScanProblem::Header("restart interval"));
                }
                restart_interval = usize::from(u16::from_be_bytes([segment[0], segment[1]]));
            }
            0xDA => {
                if components.is_empty() {
                    return Err(ScanProblem::Header("scan before the frame header"));
                }
                let n = usize::from(*segment.first().ok_or(ScanProblem::Truncated)?);
                // One scan holding every component, baseline spectral selection.
                if n != components.len() || segment.len() != 1 + 2 * n + 3 {
                    return Err(ScanProblem::Header("scan header"));
                }
                for (k, c) in segment[1..1 + 2 * n].chunks(2).enumerate() {
                    let component = &mut components[k];
                    let (dc, ac) = (usize::from(c[1] >> 4), usize::from(c[1] & 0x0F));
                    // Tables may follow the frame header, but must all be there by the scan.
                    if c[0] != component.id
                        || !quant[component.quant]
                        || dc > 3
                        || ac > 3
                        || dc_tables[dc].is_none()
                        || ac_tables[ac].is_none()
                    {
                        return Err(ScanProblem::Header("scan component"));
                    }
                    component.dc = dc;
                    component.ac = ac;
                }
                if segment[1 + 2 * n..] != [0, 63, 0] {
                    return Err(ScanProblem::Header("scan spectral selection"));
                }
                let scan = ScanLayout {
                    components: &components,
                    width,
                    height,
                    restart_interval,
                };
                let end = walk_scan(&bytes[at..], &scan, &dc_tables, &ac_tables)?;
                // The end-of-image marker, and nothing after it.
                return if at + end == bytes.len() {
                    Ok(())
                } else {
                    Err(ScanProblem::Trailing)
                };
            }
            0xC1..=0xCF => return Err(ScanProblem::Header("not a baseline JPEG")),
            0xE0..=0xEF | 0xFE => {}
            other => return Err(ScanProblem::Marker(other)),
        }
    }
}

struct ScanLayout<'a> {
    components: &'a [Component],
    width: usize,
    height: usize,
    restart_interval: usize,
}

/// Decodes every block of the scan; returns the offset just past the end-of-image marker.
fn walk_scan(
    data: &[u8],
    scan: &ScanLayout<'_>,
    dc_tables: &[Option<Huffman>; 4],
    ac_tables: &[Option<Huffman>; 4],
) -> Result<usize, ScanProblem> {
    let h_max = scan.components.iter().map(|c| c.h).max().unwrap_or(1);
    let v_max = scan.components.iter().map(|c| c.v).max().unwrap_or(1);
    let single = scan.components.len() == 1;
    // A single-component scan is not interleaved: one block per data unit.
    let mcus = if single {
        let c = scan.components[0];
        let cw = (scan.width * c.h).div_ceil(h_max);
        let ch = (scan.height * c.v).div_ceil(v_max);
        cw.div_ceil(8) * ch.div_ceil(8)
    } else {
        scan.width.div_ceil(8 * h_max) * scan.height.div_ceil(8 * v_max)
    };
    let mut bits = Bits {
        data,
        at: 0,
        buffer: 0,
        held: 0,
        marker: None,
    };
    let mut next_restart = 0u8;
    for mcu in 0..mcus {
        if scan.restart_interval > 0 && mcu > 0 && mcu % scan.restart_interval == 0 {
            if bits.next_marker()? != 0xD0 + next_restart {
                return Err(ScanProblem::Restart);
            }
            next_restart = (next_restart + 1) % 8;
        }
        for c in scan.components {
            let blocks = if single { 1 } else { c.h * c.v };
            let (Some(dc), Some(ac)) = (&dc_tables[c.dc], &ac_tables[c.ac]) else {
                return Err(ScanProblem::Header("scan component"));
            };
            for _ in 0..blocks {
                block(&mut bits, dc, ac)?;
            }
        }
    }
    if bits.next_marker()? != 0xD9 {
        return Err(ScanProblem::Trailing);
    }
    Ok(bits.at)
}

/// One 8×8 block: a DC difference and up to 63 AC coefficients.
fn block(bits: &mut Bits<'_>, dc: &Huffman, ac: &Huffman) -> Result<(), ScanProblem> {
    let size = u32::from(bits.decode(dc)?);
    if size > 11 {
        return Err(ScanProblem::Coefficient);
    }
    bits.bits(size)?;
    let mut k = 1;
    while k < 64 {
        let symbol = bits.decode(ac)?;
        let (run, size) = (usize::from(symbol >> 4), u32::from(symbol & 0x0F));
        if size == 0 {
            match run {
                0 => return Ok(()), // end of block
                15 => k += 16,      // sixteen zeros
                _ => return Err(ScanProblem::Coefficient),
            }
        } else {
            if size > 10 {
                return Err(ScanProblem::Coefficient);
            }
            k += run;
            if k > 63 {
                return Err(ScanProblem::Coefficient);
            }
            bits.bits(size)?;
            k += 1;
        }
    }
    if k > 64 {
        return Err(ScanProblem::Coefficient);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use image::RgbImage;
    use image::codecs::jpeg::JpegEncoder;
    use proptest::prelude::*;

    fn jpeg(width: u32, height: u32, quality: u8) -> Vec<u8> {
        let picture = RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([
                (x * 3 % 256) as u8,
                (y * 5 % 256) as u8,
                ((x ^ y) % 256) as u8,
            ])
        });
        let mut out = Vec::new();
        JpegEncoder::new_with_quality(&mut out, quality)
            .encode_image(&picture)
            .unwrap_or_else(|e| panic!("{e}"));
        out
    }

    #[test]
    fn whole_jpegs_of_odd_sizes_pass() {
        for (w, h) in [(8, 8), (17, 9), (64, 48), (160, 120), (33, 65)] {
            let bytes = jpeg(w, h, 85);
            assert_eq!(verify(&bytes), Ok(()), "{w}×{h}");
        }
    }

    #[test]
    fn cut_extended_or_shifted_jpegs_are_refused() {
        let bytes = jpeg(64, 48, 85);
        assert!(verify(&bytes[..bytes.len() - 2]).is_err());
        assert!(verify(&bytes[..bytes.len() - 40]).is_err());
        let mut longer = bytes.clone();
        longer.extend_from_slice(&[0xFF, 0xD9]);
        assert_eq!(verify(&longer), Err(ScanProblem::Trailing));
        let mut shifted = bytes.clone();
        shifted.remove(bytes.len() / 2);
        assert!(verify(&shifted).is_err());
    }

    proptest! {
        #[test]
        fn never_panics(noise in proptest::collection::vec(any::<u8>(), 0..512), at in 0usize..4000) {
            let _ = verify(&noise);
            let mut bytes = jpeg(32, 24, 70);
            let cut = at % bytes.len();
            bytes.splice(cut..cut, noise);
            let _ = verify(&bytes);
        }
    }
}

/// How many single-bit flips in a camera JPEG each check lets through (the figures quoted in
/// [`crate::vc0706::Verify`]): `cargo test -p drivers --lib flips_let_through -- --nocapture`.
#[cfg(test)]
mod flips {
    use super::verify;
    use firmware_sim::synth::portrait::{Defects, Portrait};
    use image::codecs::jpeg::JpegEncoder;
    use rand::{Rng, SeedableRng};

    #[test]
    fn flips_let_through() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let (mut flips, mut decoder_missed, mut strict_missed) = (0u32, 0u32, 0u32);
        for seed in 0..4u64 {
            let picture = Portrait::from_seed(seed).render(&Defects::none(), 640, 480);
            let mut jpeg = Vec::new();
            JpegEncoder::new_with_quality(&mut jpeg, 85)
                .encode_image(&picture)
                .unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(verify(&jpeg), Ok(()));
            for _ in 0..100 {
                let mut bad = jpeg.clone();
                let at = rng.random_range(2..bad.len() - 2);
                bad[at] ^= 1 << rng.random_range(0..8);
                flips += 1;
                let decodes = image::load_from_memory_with_format(&bad, image::ImageFormat::Jpeg)
                    .is_ok_and(|d| d.width() == 640 && d.height() == 480);
                let markers = bad.starts_with(&[0xFF, 0xD8]) && bad.ends_with(&[0xFF, 0xD9]);
                if decodes && markers {
                    decoder_missed += 1;
                    if verify(&bad).is_ok() {
                        strict_missed += 1;
                    }
                }
            }
        }
        println!(
            "{flips} single-bit flips: markers + decode let {decoder_missed} through, \
             + strict walk lets {strict_missed} through"
        );
        assert!(strict_missed <= decoder_missed);
        assert!(decoder_missed > 0, "the decoder should miss some flips");
    }
}
