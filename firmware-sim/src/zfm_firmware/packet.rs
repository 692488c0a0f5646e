//! The module's own packet framing (written apart from the driver's on purpose: two independent
//! ends catch more bugs). `EF 01 | ADDR(4) | PID | LEN(2) | PAYLOAD | SUM(2)`, LEN = payload + 2,
//! SUM = low 16 bits of PID + LEN bytes + payload bytes (reference, "Packet").

use std::time::{Duration, Instant};

/// Start of every packet.
pub const HEADER: [u8; 2] = [0xEF, 0x01];
/// Header, address, PID and LEN.
const PREFIX_LEN: usize = 9;
/// Longest packet body the module takes (256-byte data packet + checksum, with room to spare).
const MAX_LEN_FIELD: usize = 256 + 2 + 32;
/// A packet not completed within this time is abandoned, as a module's receive timeout does.
const PARTIAL_TIMEOUT: Duration = Duration::from_millis(500);

/// The checksum of a packet: PID + LEN + payload, low 16 bits.
pub fn checksum(pid: u8, len_field: u16, payload: &[u8]) -> u16 {
    let mut sum = u32::from(pid) + u32::from(len_field >> 8) + u32::from(len_field & 0xFF);
    for &b in payload {
        sum = sum.wrapping_add(u32::from(b));
    }
    (sum & 0xFFFF) as u16
}

/// Appends one packet to `out`.
pub fn encode_into(out: &mut Vec<u8>, address: u32, pid: u8, payload: &[u8]) {
    let len_field = u16::try_from(payload.len() + 2).unwrap_or(u16::MAX);
    out.extend_from_slice(&HEADER);
    out.extend_from_slice(&address.to_be_bytes());
    out.push(pid);
    out.extend_from_slice(&len_field.to_be_bytes());
    out.extend_from_slice(payload);
    out.extend_from_slice(&checksum(pid, len_field, payload).to_be_bytes());
}

/// One packet.
pub fn encode(address: u32, pid: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(payload.len() + 11);
    encode_into(&mut out, address, pid, payload);
    out
}

/// A packet taken off the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Packet {
    /// The address it was sent to.
    pub address: u32,
    /// Its packet identifier.
    pub pid: u8,
    /// Its payload (checksum removed).
    pub payload: Vec<u8>,
    /// Whether the checksum was right.
    pub checksum_ok: bool,
}

/// Cuts packets out of the bytes received, skipping stray bytes until `EF 01`.
#[derive(Debug, Default)]
pub struct PacketReader {
    buffer: Vec<u8>,
    last_byte_at: Option<Instant>,
}

impl PacketReader {
    /// An empty reader.
    pub fn new() -> Self {
        Self::default()
    }

    /// Takes bytes from the line.
    pub fn push(&mut self, bytes: &[u8], now: Instant) {
        if bytes.is_empty() {
            return;
        }
        self.expire(now);
        self.buffer.extend_from_slice(bytes);
        self.last_byte_at = Some(now);
    }

    /// Forgets a packet left incomplete for too long.
    pub fn expire(&mut self, now: Instant) {
        if let Some(at) = self.last_byte_at
            && !self.buffer.is_empty()
            && now.duration_since(at) > PARTIAL_TIMEOUT
        {
            tracing::debug!(bytes = self.buffer.len(), "incomplete packet abandoned");
            self.buffer.clear();
        }
    }

    /// Forgets everything (restart, client gone).
    pub fn clear(&mut self) {
        self.buffer.clear();
        self.last_byte_at = None;
    }

    /// The next complete packet, if one has arrived.
    pub fn next_packet(&mut self) -> Option<Packet> {
        loop {
            // Skip to the next header.
            let start = self.buffer.windows(2).position(|w| w == HEADER);
            match start {
                Some(0) => {}
                Some(n) => {
                    self.buffer.drain(..n);
                }
                None => {
                    // Keep a trailing 0xEF: it may be the start of a header.
                    let keep = usize::from(self.buffer.last() == Some(&HEADER[0]));
                    let drop = self.buffer.len() - keep;
                    self.buffer.drain(..drop);
                    return None;
                }
            }
            if self.buffer.len() < PREFIX_LEN {
                return None;
            }
            let len_field = usize::from(u16::from_be_bytes([self.buffer[7], self.buffer[8]]));
            if !(3..=MAX_LEN_FIELD).contains(&len_field) {
                // Not a packet after all: look for the next header.
                self.buffer.drain(..1);
                continue;
            }
            let total = PREFIX_LEN + len_field;
            if self.buffer.len() < total {
                return None;
            }
            let address = u32::from_be_bytes([
                self.buffer[2],
                self.buffer[3],
                self.buffer[4],
                self.buffer[5],
            ]);
            let pid = self.buffer[6];
            let payload = self.buffer[PREFIX_LEN..total - 2].to_vec();
            let sum = u16::from_be_bytes([self.buffer[total - 2], self.buffer[total - 1]]);
            let checksum_ok = sum == checksum(pid, len_field as u16, &payload);
            self.buffer.drain(..total);
            return Some(Packet {
                address,
                pid,
                payload,
                checksum_ok,
            });
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn worked_examples_of_the_reference() {
        assert_eq!(
            encode(0xFFFF_FFFF, 0x01, &[0x01]),
            [
                0xEF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x03, 0x01, 0x00, 0x05
            ]
        );
        assert_eq!(
            encode(0xFFFF_FFFF, 0x01, &[0x13, 0, 0, 0, 0]),
            [
                0xEF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x07, 0x13, 0, 0, 0, 0, 0x00, 0x1B
            ]
        );
        assert_eq!(
            encode(0xFFFF_FFFF, 0x07, &[0x00]),
            [
                0xEF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x03, 0x00, 0x00, 0x0A
            ]
        );
    }

    #[test]
    fn finds_packets_among_stray_bytes_and_pieces() {
        let now = Instant::now();
        let mut reader = PacketReader::new();
        let mut bytes = vec![0x55, 0xEF, 0x00, 0xEF];
        bytes.extend(encode(0xFFFF_FFFF, 0x01, &[0x01]));
        bytes.extend(encode(0x1234_5678, 0x01, &[0x0F]));
        for piece in bytes.chunks(5) {
            reader.push(piece, now);
        }
        let first = reader.next_packet().unwrap();
        assert_eq!(
            (first.pid, first.payload.as_slice(), first.checksum_ok),
            (1, &[1u8][..], true)
        );
        let second = reader.next_packet().unwrap();
        assert_eq!(second.address, 0x1234_5678);
        assert!(reader.next_packet().is_none());
    }

    #[test]
    fn a_bad_checksum_is_reported_not_hidden() {
        let mut bytes = encode(0xFFFF_FFFF, 0x01, &[0x01]);
        bytes[11] ^= 1;
        let mut reader = PacketReader::new();
        reader.push(&bytes, Instant::now());
        assert!(!reader.next_packet().unwrap().checksum_ok);
    }

    #[test]
    fn an_incomplete_packet_expires() {
        let t0 = Instant::now();
        let mut reader = PacketReader::new();
        reader.push(&encode(0xFFFF_FFFF, 0x01, &[0x01])[..6], t0);
        reader.push(
            &encode(0xFFFF_FFFF, 0x01, &[0x01]),
            t0 + Duration::from_secs(1),
        );
        assert!(reader.next_packet().unwrap().checksum_ok);
    }

    proptest::proptest! {
        #[test]
        fn never_panics_and_finds_a_packet_after_noise(noise in proptest::collection::vec(0u8..=255, 0..300)) {
            let mut reader = PacketReader::new();
            let now = Instant::now();
            reader.push(&noise, now);
            while reader.next_packet().is_some() {}
            // Whatever came before, a clean packet after a pause is found.
            let later = now + Duration::from_secs(1);
            reader.push(&encode(0xFFFF_FFFF, 0x01, &[0x40]), later);
            let mut found = false;
            while let Some(p) = reader.next_packet() {
                found |= p.checksum_ok && p.payload == [0x40];
            }
            proptest::prop_assert!(found);
        }
    }
}
