//! Packets on the wire: `EF 01 | ADDR (4) | PID (1) | LEN (2) | PAYLOAD | SUM (2)`, all big-endian
//! (reference: `docs/reference/zfm-fingerprint-protocol.md`, "Packet").
//!
//! [`decode`] is a pure function over a byte buffer (tested and fuzzed on its own); [`FrameReader`]
//! feeds it from a [`Transport`] under a deadline.

use std::time::Instant;

use crate::transport::{Transport, TransportError};

/// Every packet starts with these two bytes.
pub const HEADER: [u8; 2] = [0xEF, 0x01];
/// The module's factory address.
pub const DEFAULT_ADDRESS: u32 = 0xFFFF_FFFF;
/// Header (2) + address (4) + PID (1) + LEN (2): the bytes before the payload.
pub const PREAMBLE_LEN: usize = 9;
/// The largest payload a packet may carry: a 256-byte data packet (packet size code 3).
pub const MAX_PAYLOAD: usize = 256;
/// Largest LEN field we believe (payload + 2 checksum bytes); anything larger is line noise.
const MAX_LEN_FIELD: u16 = MAX_PAYLOAD as u16 + 2;

/// The packet identifier (PID) byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PacketKind {
    /// 0x01: a command from the host.
    Command,
    /// 0x02: a data packet, more follow.
    Data,
    /// 0x07: the module's acknowledgement (confirmation code first).
    Ack,
    /// 0x08: the last data packet.
    EndData,
}

impl PacketKind {
    /// The PID byte on the wire.
    pub fn pid(self) -> u8 {
        match self {
            PacketKind::Command => 0x01,
            PacketKind::Data => 0x02,
            PacketKind::Ack => 0x07,
            PacketKind::EndData => 0x08,
        }
    }

    /// The kind for a PID byte, if it is one the protocol defines.
    pub fn from_pid(pid: u8) -> Option<Self> {
        match pid {
            0x01 => Some(PacketKind::Command),
            0x02 => Some(PacketKind::Data),
            0x07 => Some(PacketKind::Ack),
            0x08 => Some(PacketKind::EndData),
            _ => None,
        }
    }
}

/// One packet, checksum already verified (when decoded) or still to compute (when encoding).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// The module address the packet is for or from.
    pub address: u32,
    /// What the packet is.
    pub kind: PacketKind,
    /// The bytes between LEN and SUM.
    pub payload: Vec<u8>,
}

impl Packet {
    /// A command packet to the module at `address`: the instruction code then its arguments.
    pub fn command(address: u32, code: u8, args: &[u8]) -> Self {
        let mut payload = Vec::with_capacity(1 + args.len());
        payload.push(code);
        payload.extend_from_slice(args);
        Self {
            address,
            kind: PacketKind::Command,
            payload,
        }
    }

    /// The packet's bytes on the wire. Payloads longer than [`MAX_PAYLOAD`] are refused.
    pub fn encode(&self) -> Result<Vec<u8>, FrameError> {
        let mut out = Vec::with_capacity(PREAMBLE_LEN + self.payload.len() + 2);
        self.encode_into(&mut out)?;
        Ok(out)
    }

    /// Appends the packet's bytes to `out`.
    pub fn encode_into(&self, out: &mut Vec<u8>) -> Result<(), FrameError> {
        if self.payload.len() > MAX_PAYLOAD {
            return Err(FrameError::TooLong {
                len: self.payload.len(),
            });
        }
        // Fits: at most 258.
        let len_field = (self.payload.len() + 2) as u16;
        let pid = self.kind.pid();
        out.extend_from_slice(&HEADER);
        out.extend_from_slice(&self.address.to_be_bytes());
        out.push(pid);
        out.extend_from_slice(&len_field.to_be_bytes());
        out.extend_from_slice(&self.payload);
        out.extend_from_slice(&checksum(pid, len_field, &self.payload).to_be_bytes());
        Ok(())
    }

    /// Bytes this packet occupies on the wire.
    pub fn wire_len(&self) -> usize {
        PREAMBLE_LEN + self.payload.len() + 2
    }
}

/// The reference's checksum: the low 16 bits of PID + LEN_hi + LEN_lo + every payload byte.
pub fn checksum(pid: u8, len_field: u16, payload: &[u8]) -> u16 {
    let [hi, lo] = len_field.to_be_bytes();
    let start = u16::from(pid)
        .wrapping_add(u16::from(hi))
        .wrapping_add(u16::from(lo));
    payload
        .iter()
        .fold(start, |sum, &byte| sum.wrapping_add(u16::from(byte)))
}

/// A packet that was framed but cannot be trusted.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// The checksum does not match the bytes received.
    #[error("checksum mismatch: computed {computed:#06x}, packet says {received:#06x}")]
    Checksum {
        /// What the bytes add up to.
        computed: u16,
        /// What the packet carried.
        received: u16,
    },
    /// The checksum matched but the address is not the module's.
    #[error("packet for address {found:#010x}, expected {expected:#010x}")]
    WrongAddress {
        /// The address we talk to.
        expected: u32,
        /// The address in the packet.
        found: u32,
    },
    /// A payload too long to encode.
    #[error("payload of {len} bytes is longer than the protocol allows ({MAX_PAYLOAD})")]
    TooLong {
        /// The payload length asked for.
        len: usize,
    },
}

/// What [`decode`] found at the front of a buffer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Decoded {
    /// A whole, verified packet.
    Packet(Packet),
    /// A whole frame that failed verification.
    Corrupt(FrameError),
    /// No whole frame yet: read more bytes and call again.
    NeedMore,
}

/// One step of decoding: the outcome, how many bytes to drop from the front of the buffer, and how
/// many of those were stray bytes before a frame (noise, a boot byte, a false header).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeStep {
    /// The outcome.
    pub outcome: Decoded,
    /// Bytes consumed from the front of the buffer (stray bytes and the frame, if any).
    pub consumed: usize,
    /// Of those, the stray bytes skipped while looking for `EF 01`.
    pub skipped: usize,
}

/// Looks for one frame at the front of `buf`, skipping stray bytes up to the next plausible
/// `EF 01` header (a known PID and a LEN between 2 and 258; anything else is noise). Never
/// panics, and `consumed` never exceeds `buf.len()`.
///
/// `address`, when given, is checked on frames whose checksum matches (the checksum does not
/// cover the address).
pub fn decode(buf: &[u8], address: Option<u32>) -> DecodeStep {
    let mut start = 0;
    loop {
        let Some(offset) = find_header(&buf[start..]) else {
            // Keep a trailing 0xEF: it may be the first half of a header.
            let keep = usize::from(buf.last() == Some(&HEADER[0]));
            let skipped = buf.len() - keep;
            return DecodeStep {
                outcome: Decoded::NeedMore,
                consumed: skipped,
                skipped,
            };
        };
        let at = start + offset;
        let Some(preamble) = buf.get(at..at + PREAMBLE_LEN) else {
            return DecodeStep {
                outcome: Decoded::NeedMore,
                consumed: at,
                skipped: at,
            };
        };
        let found_address =
            u32::from_be_bytes([preamble[2], preamble[3], preamble[4], preamble[5]]);
        let pid = preamble[6];
        let len_field = u16::from_be_bytes([preamble[7], preamble[8]]);
        let kind = PacketKind::from_pid(pid);
        let (Some(kind), 2..=MAX_LEN_FIELD) = (kind, len_field) else {
            // Not a real header: resynchronise from the next byte.
            start = at + 1;
            continue;
        };
        let total = PREAMBLE_LEN + usize::from(len_field);
        let Some(frame) = buf.get(at..at + total) else {
            return DecodeStep {
                outcome: Decoded::NeedMore,
                consumed: at,
                skipped: at,
            };
        };
        let payload = &frame[PREAMBLE_LEN..total - 2];
        let received = u16::from_be_bytes([frame[total - 2], frame[total - 1]]);
        let computed = checksum(pid, len_field, payload);
        let outcome = if computed != received {
            Decoded::Corrupt(FrameError::Checksum { computed, received })
        } else if let Some(expected) = address.filter(|&a| a != found_address) {
            Decoded::Corrupt(FrameError::WrongAddress {
                expected,
                found: found_address,
            })
        } else {
            Decoded::Packet(Packet {
                address: found_address,
                kind,
                payload: payload.to_vec(),
            })
        };
        return DecodeStep {
            outcome,
            consumed: at + total,
            skipped: at,
        };
    }
}

fn find_header(buf: &[u8]) -> Option<usize> {
    buf.windows(2).position(|pair| pair == HEADER)
}

/// Why [`FrameReader::next_packet`] returned no packet.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// The line failed or the deadline passed.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// A frame arrived but failed verification.
    #[error(transparent)]
    Corrupt(#[from] FrameError),
}

/// Reads packets from a transport, keeping bytes that arrived early for the next packet.
#[derive(Debug)]
pub struct FrameReader {
    buf: Vec<u8>,
    address: u32,
    stray_bytes: u64,
}

impl FrameReader {
    /// A reader accepting packets from the module at `address`.
    pub fn new(address: u32) -> Self {
        Self {
            buf: Vec::with_capacity(4096),
            address,
            stray_bytes: 0,
        }
    }

    /// Reads until one whole frame is in, or `deadline` passes. Stray bytes before a header are
    /// skipped (and counted); a frame that fails verification is consumed and reported.
    pub fn next_packet<T: Transport + ?Sized>(
        &mut self,
        transport: &mut T,
        deadline: Instant,
    ) -> Result<Packet, ReadError> {
        let mut chunk = [0u8; 1024];
        loop {
            let step = decode(&self.buf, Some(self.address));
            self.stray_bytes += step.skipped as u64;
            self.buf.drain(..step.consumed.min(self.buf.len()));
            match step.outcome {
                Decoded::Packet(packet) => return Ok(packet),
                Decoded::Corrupt(error) => return Err(ReadError::Corrupt(error)),
                Decoded::NeedMore => {}
            }
            let n = transport.read_some_by(&mut chunk, deadline)?;
            self.buf.extend_from_slice(&chunk[..n]);
        }
    }

    /// Forgets any bytes already buffered (after a drain, a reset or a baud change).
    pub fn clear(&mut self) {
        self.buf.clear();
    }

    /// Bytes buffered but not yet decoded.
    pub fn pending(&self) -> usize {
        self.buf.len()
    }

    /// Stray bytes skipped so far while resynchronising.
    pub fn stray_bytes(&self) -> u64 {
        self.stray_bytes
    }
}

#[cfg(test)]
mod tests;
