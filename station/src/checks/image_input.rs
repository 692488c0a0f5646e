//! Images handed to the station from outside its own devices (a file given to the command line):
//! sizes checked against what the devices can produce before a single pixel is allocated, and an
//! image that does not decode to its end refused rather than checked.
//!
//! Decoders forgive: a JPEG cut at 90 % decodes, its missing band painted grey, and would then be
//! judged as if it were the applicant's photo. The end markers (JPEG `FF D9`, PNG `IEND`) and, for
//! a baseline JPEG, the strict walk through its scan (the camera driver's) say whether it is whole.

use std::io::Cursor;

use drivers::vc0706::scan::{self, ScanProblem};
use image::{DynamicImage, ImageFormat, ImageReader, Limits};

/// The largest photo side accepted: three times the camera's 640×480, room for a print scanned at
/// more than 1,000 dpi, small enough that the checks stay within a few tens of megabytes.
pub const PHOTO_MAX_SIDE: u32 = 2048;
/// The largest fingerprint image side accepted (the sensors give 256×288; reference sets at 500 ppi
/// stay under 1,000).
pub const PRINT_MAX_SIDE: u32 = super::quality::MAX_SIDE;
/// The most a decoder may allocate, whatever the image claims.
pub const MAX_ALLOC: u64 = 64 * 1024 * 1024;

/// What kind of image is expected, for its size limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A photo of the applicant.
    Photo,
    /// A fingerprint image.
    Print,
}

impl Kind {
    fn max_side(self) -> u32 {
        match self {
            Self::Photo => PHOTO_MAX_SIDE,
            Self::Print => PRINT_MAX_SIDE,
        }
    }
}

/// Why an image from outside was refused.
#[derive(Debug, thiserror::Error)]
pub enum ImageInputError {
    /// Not an image format the station reads.
    #[error("not a JPEG, PNG or PNM image")]
    UnknownFormat,
    /// Larger than any device produces: refused before decoding.
    #[error("image of {width}×{height} px, at most {max} px a side")]
    TooLarge {
        /// Width stated in the header.
        width: u32,
        /// Height stated in the header.
        height: u32,
        /// The limit.
        max: u32,
    },
    /// The file stops before the image's end (cut off, a short scan, no end marker).
    #[error("incomplete image: {0}")]
    Incomplete(String),
    /// The decoder refused it, or its header is unreadable.
    #[error("unreadable image: {0}")]
    Unreadable(String),
}

impl ImageInputError {
    /// Whether the image was cut off: the clerk is told "photo incomplète".
    pub fn is_incomplete(&self) -> bool {
        matches!(self, Self::Incomplete(_))
    }
}

/// Decodes `bytes` as `kind`: header read, size checked, wholeness checked, then decoded under
/// [`MAX_ALLOC`].
pub fn decode(bytes: &[u8], kind: Kind) -> Result<DynamicImage, ImageInputError> {
    let format = image::guess_format(bytes).map_err(|_| ImageInputError::UnknownFormat)?;
    if !matches!(
        format,
        ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::Pnm
    ) {
        return Err(ImageInputError::UnknownFormat);
    }
    let max = kind.max_side();
    let (width, height) = ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(|e| ImageInputError::Unreadable(e.to_string()))?;
    if width > max || height > max {
        return Err(ImageInputError::TooLarge { width, height, max });
    }
    check_whole(bytes, format)?;
    let mut limits = Limits::default();
    limits.max_image_width = Some(max);
    limits.max_image_height = Some(max);
    limits.max_alloc = Some(MAX_ALLOC);
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    reader.limits(limits);
    reader.decode().map_err(|e| match e {
        image::ImageError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => {
            ImageInputError::Incomplete(io.to_string())
        }
        other => ImageInputError::Unreadable(other.to_string()),
    })
}

/// Refuses a JPEG or PNG that stops before its end.
fn check_whole(bytes: &[u8], format: ImageFormat) -> Result<(), ImageInputError> {
    match format {
        ImageFormat::Jpeg => {
            if !bytes.ends_with(&[0xFF, 0xD9]) {
                return Err(ImageInputError::Incomplete(
                    "no JPEG end marker (FF D9)".into(),
                ));
            }
            match scan::verify(bytes) {
                Ok(()) => Ok(()),
                // Progressive, or a layout the strict walk does not follow: the end marker and the
                // decoder are all there is.
                Err(ScanProblem::Header(_)) => Ok(()),
                Err(problem) => Err(ImageInputError::Incomplete(problem.to_string())),
            }
        }
        ImageFormat::Png => {
            // The last chunk: length 0, "IEND", its CRC.
            const IEND: [u8; 12] = [0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82];
            if bytes.ends_with(&IEND) {
                Ok(())
            } else {
                Err(ImageInputError::Incomplete(
                    "no PNG end chunk (IEND)".into(),
                ))
            }
        }
        // PNM has no end marker; its decoder fails on missing pixels.
        _ => Ok(()),
    }
}
