//! How the camera driver reads frames: the chunk length and how far the bytes are trusted.

/// The chunk length chosen for a baud when none is set: about 150 ms of line per chunk, so that
/// the 10 framing bytes and the turnaround cost a few per cent, and a re-read stays cheap.
/// A multiple of 32, between 32 and 4,096 bytes.
pub fn auto_chunk_len(baud: u32) -> u32 {
    let bytes = u64::from(baud) * 15 / 100 / 10;
    (bytes / 32 * 32).clamp(32, 4_096) as u32
}

/// How the bytes of a frame are trusted.
///
/// The VC0706 protocol carries no checksum, and a JPEG decoder does not notice most flipped bits
/// in the compressed data (it decodes to other, plausible pixels). Measured on 400 single-bit
/// flips anywhere in 640×480 portrait JPEGs (`scan::flips` test): markers, size and the `image`
/// decoder let 395 through; adding the strict walk of [`crate::vc0706::scan`] still lets 243
/// through (61 %), the flips that land in a coefficient's magnitude bits, which JPEG leaves
/// unchecked. A single read cannot be made safe, so a second read stays the default for a
/// picture that is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Verify {
    /// Check every chunk's header and trailer, then the JPEG's markers, decode and size. Catches
    /// lost and added bytes, stalls and garbled framing, not flipped bits inside the JPEG data.
    /// Line-rate: for previews, or a line known to be clean.
    Decode,
    /// As [`Verify::Decode`], and the frame is read twice, the whole frame after the whole
    /// frame, and compared chunk by chunk (a chunk read differently is read again until two reads
    /// agree). Twice the line time; catches flipped bits. The first read is handed over as soon as
    /// it is in ([`super::Camera::capture_with_first_read`]) so that checks on it overlap the
    /// second read. The default.
    #[default]
    ReadTwice,
}

/// How the camera driver reads frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CameraOptions {
    /// Bytes per chunk (rounded down to a multiple of 4); `None` chooses from the baud
    /// ([`auto_chunk_len`]).
    pub chunk_len: Option<u32>,
    /// How much the bytes of a frame are checked.
    pub verify: Verify,
    /// Reads of one chunk before giving up on it (misaligned, silent or unstable).
    pub chunk_attempts: u32,
    /// Reads of the whole frozen frame when the JPEG is refused.
    pub picture_attempts: u32,
}

impl Default for CameraOptions {
    fn default() -> Self {
        Self {
            chunk_len: None,
            verify: Verify::ReadTwice,
            chunk_attempts: 4,
            picture_attempts: 2,
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::vc0706::camera::line_time;

    #[test]
    fn chunk_length_follows_the_baud() {
        assert_eq!(auto_chunk_len(38_400), 576);
        assert_eq!(auto_chunk_len(115_200), 1_728);
        assert_eq!(auto_chunk_len(9_600), 128);
        assert_eq!(auto_chunk_len(1), 32);
        assert_eq!(line_time(11_520, 115_200), Duration::from_secs(1));
    }
}
