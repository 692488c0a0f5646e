//! ISO/IEC 19794-7:2007 signature/sign time series data, full format: the writer the station
//! uses and the reader the central checks records with. The layout, field by field, with where
//! each comes from, is in docs/record-format.md ("signature.iso19794-7"). Big-endian throughout.
//!
//! What this station writes: channels x, y, t, f (only when the pen reported its force) and s
//! (the tip switch: 1 while the pen touches the pad). A pen-up sample (s = 0, at the stroke's last
//! position and time) closes each stroke, so the strokes come back from the record alone.

use super::{MAX_DURATION_MS, MAX_POINTS, PAD_HEIGHT, PAD_WIDTH, PenSample, Signature};

/// `"SDI"` and its NUL: the format identifier.
pub const FORMAT_ID: &[u8; 4] = b"SDI\0";
/// `" 10"` and its NUL: the version of the 2007 edition.
pub const VERSION: &[u8; 4] = b" 10\0";

/// Channels in the order of the channel-inclusion bit-map, most significant bit first.
const CHANNELS: [&str; 16] = [
    "x", "y", "z", "vx", "vy", "ax", "ay", "t", "dt", "f", "s", "tx", "ty", "az", "el", "r",
];
/// Bit of each channel in the inclusion field.
const fn bit(index: usize) -> u16 {
    1 << (15 - index)
}
const X: u16 = bit(0);
const Y: u16 = bit(1);
const T: u16 = bit(7);
const F: u16 = bit(9);
const S: u16 = bit(10);
/// `s` is the only channel whose samples are one byte (UnsignedInt8); every other is two.
const S_INDEX: usize = 10;

/// Channel description preamble bits.
const HAS_SCALING: u8 = 0x80;
const HAS_MIN: u8 = 0x40;
const HAS_MAX: u8 = 0x20;
const HAS_MEAN: u8 = 0x10;
const HAS_STD: u8 = 0x08;

/// The body's optionality bit-map: extended data present.
const HAS_EXTENDED_DATA: u8 = 0x80;

/// The time channel's scaling value, 1000 units per second (milliseconds): exponent 9, fraction
/// 1952, as 2^9 × (1 + 1952/2048) = 1000. The exponent sits in the top 5 bits (two's
/// complement), the fraction in the low 11.
const T_SCALING: u16 = (9 << 11) | 1952;

/// Why a record was not written or was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("ISO/IEC 19794-7 signature record: {0}")]
pub struct SignatureRecordError(pub String);

fn fail<T>(text: impl Into<String>) -> Result<T, SignatureRecordError> {
    Err(SignatureRecordError(text.into()))
}

/// A record read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedSignature {
    /// The channel-inclusion bit-map as written.
    pub channels: u16,
    /// The sample points, pen-up marks included.
    pub points: usize,
    /// The strokes rebuilt from the tip switch (one stroke when the record has no `s` channel).
    pub signature: Signature,
    /// Whether the record has the force channel.
    pub pressure: bool,
}

impl ParsedSignature {
    /// The included channels' names (`x`, `y`, `t`, …), in the record's order.
    pub fn channel_names(&self) -> Vec<&'static str> {
        CHANNELS
            .iter()
            .enumerate()
            .filter(|(i, _)| self.channels & bit(*i) != 0)
            .map(|(_, name)| *name)
            .collect()
    }
}

/// Writes `signature` as a full-format record. Refuses an empty one, one outside the pad, one
/// longer than [`MAX_DURATION_MS`] or [`MAX_POINTS`], or one whose pressure is known for some
/// samples only.
pub fn write(signature: &Signature) -> Result<Vec<u8>, SignatureRecordError> {
    let samples = signature.samples();
    if samples == 0 || signature.strokes.iter().any(Vec::is_empty) {
        return fail("no sample, or an empty stroke");
    }
    let points = signature.record_points();
    if points > MAX_POINTS {
        return fail(format!("{points} sample points (at most {MAX_POINTS})"));
    }
    let pressure = signature.has_pressure();
    let mixed = !pressure
        && signature
            .strokes
            .iter()
            .flatten()
            .any(|s| s.pressure.is_some());
    if mixed {
        return fail("pressure known for some samples only");
    }
    let first = signature
        .strokes
        .iter()
        .flatten()
        .map(|s| s.t_ms)
        .min()
        .unwrap_or(0);
    let mut last_t = 0u32;
    for sample in signature.strokes.iter().flatten() {
        if sample.x > PAD_WIDTH || sample.y > PAD_HEIGHT {
            return fail(format!(
                "sample at ({}, {}) outside the pad",
                sample.x, sample.y
            ));
        }
        let t = sample.t_ms - first;
        if t < last_t {
            return fail("sample times go backwards");
        }
        if t > MAX_DURATION_MS {
            return fail(format!("{t} ms long (at most {MAX_DURATION_MS} ms)"));
        }
        last_t = t;
    }
    let channels = X | Y | T | S | if pressure { F } else { 0 };
    let mut out = Vec::with_capacity(64 + points * 9);
    out.extend_from_slice(FORMAT_ID);
    out.extend_from_slice(VERSION);
    out.extend_from_slice(&channels.to_be_bytes());
    // Channel descriptions, in bit-map order: the pad's extent for x and y, the time unit for t,
    // the full scale for f, the two states of s.
    let extent = |out: &mut Vec<u8>, max: u16| {
        out.push(HAS_MIN | HAS_MAX);
        out.extend_from_slice(&0u16.to_be_bytes());
        out.extend_from_slice(&max.to_be_bytes());
    };
    extent(&mut out, PAD_WIDTH);
    extent(&mut out, PAD_HEIGHT);
    out.push(HAS_SCALING);
    out.extend_from_slice(&T_SCALING.to_be_bytes());
    if pressure {
        extent(&mut out, u16::MAX);
    }
    extent(&mut out, 1);
    // The body: its optionality bit-map (no extended data), then the count of sample points.
    out.push(0);
    let count =
        u32::try_from(points).map_err(|_| SignatureRecordError("too many points".into()))?;
    out.extend_from_slice(&count.to_be_bytes()[1..]);
    let push = |sample: &PenSample, down: bool, out: &mut Vec<u8>| {
        // x and y are SignedInt16 in the record; on the pad they are at most 1000.
        out.extend_from_slice(&(sample.x as i16).to_be_bytes());
        out.extend_from_slice(&(sample.y as i16).to_be_bytes());
        out.extend_from_slice(&((sample.t_ms - first) as u16).to_be_bytes());
        if pressure {
            let force = if down {
                sample.pressure.unwrap_or(0)
            } else {
                0
            };
            out.extend_from_slice(&force.to_be_bytes());
        }
        out.push(u8::from(down));
    };
    for stroke in &signature.strokes {
        for sample in stroke {
            push(sample, true, &mut out);
        }
        if let Some(last) = stroke.last() {
            push(last, false, &mut out);
        }
    }
    Ok(out)
}

/// A cursor over the record that says where it ended instead of panicking.
struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn take(&mut self, n: usize, what: &str) -> Result<&[u8], SignatureRecordError> {
        let end = self.at.saturating_add(n);
        let slice = self.bytes.get(self.at..end).ok_or_else(|| {
            SignatureRecordError(format!(
                "the record ends at byte {} inside the {what}",
                self.bytes.len()
            ))
        })?;
        self.at = end;
        Ok(slice)
    }

    fn u8(&mut self, what: &str) -> Result<u8, SignatureRecordError> {
        Ok(self.take(1, what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16, SignatureRecordError> {
        let b = self.take(2, what)?;
        Ok(u16::from_be_bytes([b[0], b[1]]))
    }
}

/// Reads a full-format record: identifier, version, channels (x and y required), descriptions,
/// samples; nothing may follow the last sample. Any input gives a record or an error, never a
/// panic.
pub fn parse(bytes: &[u8]) -> Result<ParsedSignature, SignatureRecordError> {
    let mut r = Reader { bytes, at: 0 };
    if r.take(4, "format identifier")? != FORMAT_ID {
        return fail("it does not start with \"SDI\"");
    }
    let version = r.take(4, "version")?;
    if version != VERSION {
        return fail(format!(
            "version {:?}, expected \" 10\" (the 2007 edition)",
            String::from_utf8_lossy(version)
        ));
    }
    let channels = r.u16("channel inclusion field")?;
    if channels & (X | Y) != (X | Y) {
        return fail("the x and y channels are required");
    }
    let mut sizes = Vec::new();
    let mut max_x = None;
    let mut max_y = None;
    for (index, name) in CHANNELS.iter().enumerate() {
        if channels & bit(index) == 0 {
            continue;
        }
        let preamble = r.u8("channel description")?;
        let mut max = None;
        for (flag, field) in [
            (HAS_SCALING, "scaling value"),
            (HAS_MIN, "minimum"),
            (HAS_MAX, "maximum"),
            (HAS_MEAN, "mean"),
            (HAS_STD, "standard deviation"),
        ] {
            if preamble & flag != 0 {
                let value = r.u16(&format!("{name} channel's {field}"))?;
                if flag == HAS_MAX {
                    max = Some(value);
                }
            }
        }
        match index {
            0 => max_x = max,
            1 => max_y = max,
            _ => {}
        }
        sizes.push((index, if index == S_INDEX { 1 } else { 2 }));
    }
    let body = r.u8("body's optionality field")?;
    if body & HAS_EXTENDED_DATA != 0 {
        return fail("extended data is not expected in a station's signature");
    }
    let count = r.take(3, "number of sample points")?;
    let points =
        (usize::from(count[0]) << 16) | (usize::from(count[1]) << 8) | usize::from(count[2]);
    if points == 0 {
        return fail("no sample point");
    }
    if points > MAX_POINTS {
        return fail(format!("{points} sample points (at most {MAX_POINTS})"));
    }
    let per_point: usize = sizes.iter().map(|(_, size)| size).sum();
    let expected = points.saturating_mul(per_point);
    let left = bytes.len().saturating_sub(r.at);
    if left != expected {
        return fail(format!(
            "{points} sample points of {per_point} bytes need {expected} bytes, the record has {left}"
        ));
    }
    let bound = |max: Option<u16>, pad: u16| max.unwrap_or(pad).min(pad);
    let (max_x, max_y) = (bound(max_x, PAD_WIDTH), bound(max_y, PAD_HEIGHT));
    let has_s = channels & S != 0;
    let mut signature = Signature::default();
    let mut stroke = Vec::new();
    let mut last_t = 0u32;
    for point in 0..points {
        let mut values = [0u16; 16];
        for (index, size) in &sizes {
            values[*index] = if *size == 1 {
                u16::from(r.u8("sample")?)
            } else {
                r.u16("sample")?
            };
        }
        let (x, y) = (values[0] as i16, values[1] as i16);
        let (Ok(x), Ok(y)) = (u16::try_from(x), u16::try_from(y)) else {
            return fail(format!("sample {point} at ({x}, {y}) is off the pad"));
        };
        if x > max_x || y > max_y {
            return fail(format!("sample {point} at ({x}, {y}) is off the pad"));
        }
        let t = u32::from(values[7]);
        if channels & T != 0 {
            if t < last_t {
                return fail(format!("sample {point}'s time goes backwards"));
            }
            last_t = t;
        }
        let down = !has_s || values[S_INDEX] != 0;
        if has_s && values[S_INDEX] > 1 {
            return fail(format!(
                "sample {point}'s tip switch is {}",
                values[S_INDEX]
            ));
        }
        if down {
            stroke.push(PenSample {
                x,
                y,
                t_ms: t,
                pressure: (channels & F != 0).then_some(values[9]),
            });
        } else if !stroke.is_empty() {
            signature.strokes.push(std::mem::take(&mut stroke));
        }
    }
    if !stroke.is_empty() {
        signature.strokes.push(stroke);
    }
    if signature.strokes.is_empty() {
        return fail("the pen never touches the pad");
    }
    Ok(ParsedSignature {
        channels,
        points,
        signature,
        pressure: channels & F != 0,
    })
}
