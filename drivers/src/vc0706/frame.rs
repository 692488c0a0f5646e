//! VC0706 wire frames: requests, replies, and the framed chunks of the frame buffer.
//!
//! Formats from `docs/reference/vc0706-camera-protocol.md`, "Framing":
//! a request is `56 <serial> <command> <arg length> <args…>`, a reply is
//! `76 <serial> <command> <status> <data length> <data…>`. A read of the frame buffer is answered
//! by a 5-byte header `76 <serial> 32 00 00`, the requested bytes of JPEG, and the same 5 bytes
//! again as a trailer: the protocol has no checksum, so the trailer is the only alignment check.
//!
//! Everything here works on plain byte slices and never panics, whatever the input.

/// First byte of every request (host → camera).
pub const REQUEST_SIGN: u8 = 0x56;
/// First byte of every reply (camera → host).
pub const REPLY_SIGN: u8 = 0x76;
/// The serial number every camera answers to out of the box.
pub const DEFAULT_SERIAL: u8 = 0x00;
/// Length of a reply's fixed part (sign, serial, command, status, data length), and of the
/// trailer that follows a frame-buffer chunk.
pub const REPLY_HEADER_LEN: usize = 5;
/// Length of a request's fixed part (sign, serial, command, argument length).
pub const REQUEST_HEADER_LEN: usize = 4;
/// The command code of "read frame buffer", whose reply is framed differently.
pub const READ_FRAME_BUFFER: u8 = 0x32;

/// What a frame can fail on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    /// A request's arguments do not fit the one-byte length field.
    #[error("{len} argument bytes do not fit a request (at most 255)")]
    ArgumentsTooLong {
        /// How many argument bytes were given.
        len: usize,
    },
    /// The bytes do not start with the expected sign byte.
    #[error("expected sign byte {expected:#04x}, found {found:#04x}")]
    BadSign {
        /// The sign byte this kind of frame starts with.
        expected: u8,
        /// What was there instead.
        found: u8,
    },
    /// Not enough bytes yet for a whole frame.
    #[error("incomplete frame: {have} of {need} bytes")]
    Incomplete {
        /// Bytes available.
        have: usize,
        /// Bytes a whole frame needs.
        need: usize,
    },
    /// A reply carries a data field of the wrong size for its command.
    #[error("reply to command {command:#04x} carries {len} data bytes, expected {expected}")]
    UnexpectedLength {
        /// The command answered.
        command: u8,
        /// Data bytes received.
        len: usize,
        /// Data bytes the command's reply has.
        expected: usize,
    },
}

/// A request from the host to the camera.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    /// The camera's serial number (0 unless reprogrammed).
    pub serial: u8,
    /// The command code.
    pub command: u8,
    /// The arguments (at most 255 bytes).
    pub args: Vec<u8>,
}

impl Request {
    /// A request to the default serial number; fails if the arguments exceed 255 bytes.
    pub fn new(command: u8, args: &[u8]) -> Result<Self, FrameError> {
        if args.len() > usize::from(u8::MAX) {
            return Err(FrameError::ArgumentsTooLong { len: args.len() });
        }
        Ok(Self {
            serial: DEFAULT_SERIAL,
            command,
            args: args.to_vec(),
        })
    }

    /// The bytes on the wire. Arguments beyond 255 bytes (only possible by building the struct
    /// by hand) are cut, so the length field always tells the truth.
    pub fn to_bytes(&self) -> Vec<u8> {
        let args = &self.args[..self.args.len().min(usize::from(u8::MAX))];
        let mut out = Vec::with_capacity(REQUEST_HEADER_LEN + args.len());
        out.extend_from_slice(&[REQUEST_SIGN, self.serial, self.command, args.len() as u8]);
        out.extend_from_slice(args);
        out
    }

    /// Decodes one request at the start of `bytes`, returning it and the bytes it used.
    pub fn decode(bytes: &[u8]) -> Result<(Self, usize), FrameError> {
        let need_header = REQUEST_HEADER_LEN;
        if bytes.len() < need_header {
            return Err(FrameError::Incomplete {
                have: bytes.len(),
                need: need_header,
            });
        }
        if bytes[0] != REQUEST_SIGN {
            return Err(FrameError::BadSign {
                expected: REQUEST_SIGN,
                found: bytes[0],
            });
        }
        let need = need_header + usize::from(bytes[3]);
        let Some(args) = bytes.get(need_header..need) else {
            return Err(FrameError::Incomplete {
                have: bytes.len(),
                need,
            });
        };
        Ok((
            Self {
                serial: bytes[1],
                command: bytes[2],
                args: args.to_vec(),
            },
            need,
        ))
    }
}

/// A reply from the camera.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reply {
    /// The serial number of the camera answering.
    pub serial: u8,
    /// The command answered.
    pub command: u8,
    /// 0 when the command was carried out; see [`super::CameraStatus`] otherwise.
    pub status: u8,
    /// The reply's data (at most 255 bytes).
    pub data: Vec<u8>,
}

impl Reply {
    /// The bytes on the wire (data beyond 255 bytes is cut, as for [`Request::to_bytes`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let data = &self.data[..self.data.len().min(usize::from(u8::MAX))];
        let mut out = Vec::with_capacity(REPLY_HEADER_LEN + data.len());
        out.extend_from_slice(&[
            REPLY_SIGN,
            self.serial,
            self.command,
            self.status,
            data.len() as u8,
        ]);
        out.extend_from_slice(data);
        out
    }
}

/// The 5 bytes that open a successful frame-buffer chunk and close it again.
pub fn chunk_marker(serial: u8) -> [u8; REPLY_HEADER_LEN] {
    [REPLY_SIGN, serial, READ_FRAME_BUFFER, 0x00, 0x00]
}

/// The outcome of looking for a reply in the bytes received so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReplyScan {
    /// A whole reply to the expected command, after `skipped` stray bytes; it ends at `end`.
    Found {
        /// Stray bytes before the reply (boot text, an unsolicited notice, noise).
        skipped: usize,
        /// The reply.
        reply: Reply,
        /// Index just past the reply's last byte.
        end: usize,
    },
    /// No whole reply yet. The first `skipped` bytes can never start one and may be dropped.
    NeedMore {
        /// Bytes that can be discarded.
        skipped: usize,
    },
}

/// Looks for the reply to `command` from camera `serial` in `buf`, skipping anything before it
/// (boot text, a motion notice, a stray byte): the resynchronisation every read goes through.
pub fn scan_reply(buf: &[u8], serial: u8, command: u8) -> ReplyScan {
    let mut start = 0;
    while start < buf.len() {
        let rest = &buf[start..];
        let plausible = rest[0] == REPLY_SIGN
            && rest.get(1).is_none_or(|&b| b == serial)
            && rest.get(2).is_none_or(|&b| b == command);
        if !plausible {
            start += 1;
            continue;
        }
        let Some(&len) = rest.get(4) else {
            return ReplyScan::NeedMore { skipped: start };
        };
        let end = REPLY_HEADER_LEN + usize::from(len);
        let Some(data) = rest.get(REPLY_HEADER_LEN..end) else {
            return ReplyScan::NeedMore { skipped: start };
        };
        return ReplyScan::Found {
            skipped: start,
            reply: Reply {
                serial: rest[1],
                command: rest[2],
                status: rest[3],
                data: data.to_vec(),
            },
            end: start + end,
        };
    }
    ReplyScan::NeedMore { skipped: buf.len() }
}

/// The outcome of looking for one frame-buffer chunk of `len` bytes in the bytes received.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ChunkScan {
    /// Header, `len` bytes, trailer: the chunk's data is `buf[data]`.
    Found {
        /// Stray bytes before the header.
        skipped: usize,
        /// Where the chunk's data lies in the buffer.
        data: std::ops::Range<usize>,
    },
    /// The camera refused the read: `76 <serial> 32 <status> 00` with a non-zero status.
    Refused {
        /// Stray bytes before the refusal.
        skipped: usize,
        /// The status the camera gave.
        status: u8,
    },
    /// No whole chunk yet. The first `skipped` bytes can never start one and may be dropped;
    /// `waiting` bytes (from the earliest header still awaiting its trailer) are kept.
    NeedMore {
        /// Bytes that can be discarded.
        skipped: usize,
        /// Bytes received since the earliest undecided header (0: no header seen).
        waiting: usize,
    },
}

/// Looks for a chunk of exactly `len` bytes of frame buffer in `buf`: a header whose trailer is
/// exactly `len` bytes further. A header whose trailer is not where it must be (a byte was lost or
/// added, or it was a stale trailer) is passed over, so a late chunk and noise never hide the
/// chunk that follows them.
pub fn scan_chunk(buf: &[u8], serial: u8, len: usize) -> ChunkScan {
    let marker = chunk_marker(serial);
    let data_end = REPLY_HEADER_LEN.saturating_add(len);
    let total = data_end.saturating_add(REPLY_HEADER_LEN);
    for start in 0..buf.len() {
        let rest = &buf[start..];
        let prefix = rest.len().min(3);
        // A refusal shares the first three bytes and carries a non-zero status.
        if rest[..prefix] != marker[..prefix] {
            continue;
        }
        if rest.len() < REPLY_HEADER_LEN {
            // Any later candidate would be shorter still: wait for more bytes.
            return ChunkScan::NeedMore {
                skipped: start,
                waiting: rest.len(),
            };
        }
        let (status, data_len) = (rest[3], rest[4]);
        if data_len != 0 {
            continue;
        }
        if status != 0 {
            return ChunkScan::Refused {
                skipped: start,
                status,
            };
        }
        match rest.get(data_end..total) {
            None => {
                return ChunkScan::NeedMore {
                    skipped: start,
                    waiting: rest.len(),
                };
            }
            Some(trailer) if trailer == marker => {
                return ChunkScan::Found {
                    skipped: start,
                    data: start + REPLY_HEADER_LEN..start + data_end,
                };
            }
            Some(_) => continue,
        }
    }
    ChunkScan::NeedMore {
        skipped: buf.len(),
        waiting: 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn request_bytes_match_the_reference_table() {
        let reset = Request::new(0x26, &[]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(reset.to_bytes(), [0x56, 0x00, 0x26, 0x00]);
        let baud = Request::new(0x24, &[0x01, 0x0D, 0xA6]).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(baud.to_bytes(), [0x56, 0x00, 0x24, 0x03, 0x01, 0x0D, 0xA6]);
        assert!(Request::new(0x31, &[0; 256]).is_err());
    }

    #[test]
    fn reply_is_found_after_boot_text_and_a_motion_notice() {
        let mut buf = b"VC0703 1.00\r\nInit end\r\n".to_vec();
        buf.extend_from_slice(&[0x76, 0x00, 0x39, 0x00, 0x00]);
        buf.extend_from_slice(&[0x76, 0x00, 0x34, 0x00, 0x04, 0x00, 0x01, 0x02, 0x03, 0xAA]);
        match scan_reply(&buf, 0, 0x34) {
            ReplyScan::Found {
                skipped,
                reply,
                end,
            } => {
                assert_eq!(skipped, 28);
                assert_eq!(reply.data, [0x00, 0x01, 0x02, 0x03]);
                assert_eq!(buf[end], 0xAA);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn partial_reply_asks_for_more_and_keeps_its_start() {
        let buf = [0x41, 0x76, 0x00, 0x34, 0x00, 0x04, 0x00];
        assert_eq!(
            scan_reply(&buf, 0, 0x34),
            ReplyScan::NeedMore { skipped: 1 }
        );
    }

    #[test]
    fn chunk_with_dropped_byte_is_passed_over_for_the_next_one() {
        let mut buf = chunk_marker(0).to_vec();
        buf.extend_from_slice(&[1, 2, 3]); // one of four bytes lost
        buf.extend_from_slice(&chunk_marker(0));
        // Nothing valid yet: the header with a missing byte waits for a trailer that never comes.
        assert_eq!(
            scan_chunk(&buf, 0, 4),
            ChunkScan::NeedMore {
                skipped: 0,
                waiting: 13
            }
        );
        // The re-read arrives right behind it and is found; the stale trailer is passed over.
        buf.extend_from_slice(&chunk_marker(0));
        buf.extend_from_slice(&[1, 2, 3, 4]);
        buf.extend_from_slice(&chunk_marker(0));
        assert_eq!(
            scan_chunk(&buf, 0, 4),
            ChunkScan::Found {
                skipped: 13,
                data: 18..22
            }
        );
        let mut good = b"junk".to_vec();
        good.extend_from_slice(&chunk_marker(0));
        good.extend_from_slice(&[1, 2, 3, 4]);
        good.extend_from_slice(&chunk_marker(0));
        assert_eq!(
            scan_chunk(&good, 0, 4),
            ChunkScan::Found {
                skipped: 4,
                data: 9..13
            }
        );
    }

    #[test]
    fn refused_chunk_is_reported_with_its_status() {
        let buf = [0x76, 0x00, 0x32, 0x03, 0x00];
        assert_eq!(
            scan_chunk(&buf, 0, 32),
            ChunkScan::Refused {
                skipped: 0,
                status: 3
            }
        );
    }

    proptest! {
        #[test]
        fn request_round_trips(serial: u8, command: u8, args in proptest::collection::vec(any::<u8>(), 0..=255)) {
            let request = Request { serial, command, args };
            let bytes = request.to_bytes();
            let (decoded, used) = Request::decode(&bytes).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert_eq!(used, bytes.len());
            prop_assert_eq!(decoded, request);
        }

        #[test]
        fn reply_is_found_behind_any_noise(
            noise in proptest::collection::vec(any::<u8>(), 0..64),
            command: u8, status: u8,
            data in proptest::collection::vec(any::<u8>(), 0..=255),
        ) {
            // Noise is cleaned of sign bytes so the first candidate is ours.
            let noise: Vec<u8> = noise.into_iter().map(|b| if b == REPLY_SIGN { 0 } else { b }).collect();
            let reply = Reply { serial: 0, command, status, data };
            let mut buf = noise.clone();
            buf.extend_from_slice(&reply.to_bytes());
            match scan_reply(&buf, 0, command) {
                ReplyScan::Found { skipped, reply: found, end } => {
                    prop_assert_eq!(skipped, noise.len());
                    prop_assert_eq!(end, buf.len());
                    prop_assert_eq!(found, reply);
                }
                other => prop_assert!(false, "{:?}", other),
            }
        }

        #[test]
        fn scanners_never_panic_and_stay_in_bounds(
            buf in proptest::collection::vec(any::<u8>(), 0..512),
            command: u8, len in 0usize..300,
        ) {
            match scan_reply(&buf, 0, command) {
                ReplyScan::Found { skipped, end, .. } => prop_assert!(skipped < end && end <= buf.len()),
                ReplyScan::NeedMore { skipped } => prop_assert!(skipped <= buf.len()),
            }
            match scan_chunk(&buf, 0, len) {
                ChunkScan::Found { skipped, data } => prop_assert!(skipped <= data.start && data.end <= buf.len()),
                ChunkScan::Refused { skipped, .. } => prop_assert!(skipped < buf.len()),
                ChunkScan::NeedMore { skipped, waiting } => prop_assert!(skipped + waiting <= buf.len()),
            }
            let _ = Request::decode(&buf);
        }

        #[test]
        fn chunk_round_trips_behind_noise(
            noise in proptest::collection::vec(any::<u8>(), 0..32),
            data in proptest::collection::vec(any::<u8>(), 0..256),
        ) {
            let noise: Vec<u8> = noise.into_iter().map(|b| if b == REPLY_SIGN { 0 } else { b }).collect();
            let mut buf = noise.clone();
            buf.extend_from_slice(&chunk_marker(0));
            buf.extend_from_slice(&data);
            buf.extend_from_slice(&chunk_marker(0));
            match scan_chunk(&buf, 0, data.len()) {
                ChunkScan::Found { skipped, data: range } => {
                    prop_assert_eq!(skipped, noise.len());
                    prop_assert_eq!(&buf[range], &data[..]);
                }
                other => prop_assert!(false, "{:?}", other),
            }
        }
    }
}
