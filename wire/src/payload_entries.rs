//! The names of the entries in the payload's ustar archive, in the order the station writes them.

/// The manifest, always present and first.
pub const MANIFEST_ENTRY: &str = "manifest.json";
/// The ISO/IEC 19794-4 finger image record, unless no finger was taken.
pub const FINGERS_ENTRY: &str = "fingers.iso19794-4";
/// The ISO/IEC 19794-5 face image record, when the photo was taken at the counter.
pub const FACE_ENTRY: &str = "face.iso19794-5";
/// The ISO/IEC 19794-2 finger minutiae record, when at least one finger yields minutiae.
pub const MINUTIAE_ENTRY: &str = "fingers.iso19794-2";
/// The applicant's signature as an ISO/IEC 19794-7 record, when they signed at the counter.
pub const SIGNATURE_ENTRY: &str = "signature.iso19794-7";
/// The same signature drawn as a greyscale PNG, beside its time series.
pub const SIGNATURE_IMAGE_ENTRY: &str = "signature.png";
/// Every entry a payload may hold; anything else is refused.
pub const KNOWN_ENTRIES: [&str; 6] = [
    MANIFEST_ENTRY,
    FINGERS_ENTRY,
    FACE_ENTRY,
    MINUTIAE_ENTRY,
    SIGNATURE_ENTRY,
    SIGNATURE_IMAGE_ENTRY,
];
