//! Reading the host's requests off the line: `56 <serial> <command> <length> <args…>`
//! (`docs/reference/vc0706-camera-protocol.md`, "Framing"). Written apart from the driver's
//! codec on purpose: two independent ends of the wire catch more mistakes than one shared one.

use std::time::{Duration, Instant};

/// First byte of a request.
const REQUEST_SIGN: u8 = 0x56;
/// A request left half-received this long is abandoned, as the chip's receiver does.
const STALE_AFTER: Duration = Duration::from_millis(500);

/// One request from the host.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HostRequest {
    /// Serial number addressed.
    pub serial: u8,
    /// Command code.
    pub command: u8,
    /// Arguments.
    pub args: Vec<u8>,
}

/// Accumulates received bytes and cuts them into requests, skipping anything that is not one.
#[derive(Debug)]
pub struct RequestReader {
    buf: Vec<u8>,
    last_byte: Instant,
    skipped: u64,
}

impl Default for RequestReader {
    fn default() -> Self {
        Self {
            buf: Vec::new(),
            last_byte: Instant::now(),
            skipped: 0,
        }
    }
}

impl RequestReader {
    /// Adds bytes received from the host.
    pub fn push(&mut self, bytes: &[u8]) {
        if !bytes.is_empty() {
            if self.last_byte.elapsed() > STALE_AFTER && !self.buf.is_empty() {
                self.skipped += self.buf.len() as u64;
                self.buf.clear();
            }
            self.last_byte = Instant::now();
            self.buf.extend_from_slice(bytes);
        }
    }

    /// Drops a half-received request once the host has been quiet too long.
    pub fn expire(&mut self) {
        if !self.buf.is_empty() && self.last_byte.elapsed() > STALE_AFTER {
            self.skipped += self.buf.len() as u64;
            self.buf.clear();
        }
    }

    /// Bytes thrown away so far (noise, abandoned requests).
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// The next whole request, if one has arrived.
    pub fn next_request(&mut self) -> Option<HostRequest> {
        let Some(start) = self.buf.iter().position(|&b| b == REQUEST_SIGN) else {
            self.skipped += self.buf.len() as u64;
            self.buf.clear();
            return None;
        };
        if start > 0 {
            self.skipped += start as u64;
            self.buf.drain(..start);
        }
        let len = usize::from(*self.buf.get(3)?);
        let end = 4 + len;
        if self.buf.len() < end {
            return None;
        }
        let request = HostRequest {
            serial: self.buf[1],
            command: self.buf[2],
            args: self.buf[4..end].to_vec(),
        };
        self.buf.drain(..end);
        Some(request)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_cut_out_of_noise_and_pieces() {
        let mut reader = RequestReader::default();
        reader.push(&[0x00, 0xFF, 0x56, 0x00, 0x36]);
        assert_eq!(reader.next_request(), None);
        reader.push(&[0x01, 0x03, 0x56, 0x00, 0x11, 0x00]);
        assert_eq!(
            reader.next_request(),
            Some(HostRequest {
                serial: 0,
                command: 0x36,
                args: vec![0x03]
            })
        );
        assert_eq!(reader.next_request().map(|r| r.command), Some(0x11));
        assert_eq!(reader.next_request(), None);
        assert_eq!(reader.skipped(), 2);
    }
}
