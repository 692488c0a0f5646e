//! The face image record (ISO/IEC 19794-5): the central's reader and the station's.
#![no_main]

use libfuzzer_sys::fuzz_target;
use station::record::FaceImageRecord;

fuzz_target!(|data: &[u8]| {
    let _ = central::intake::iso19794_5::parse(data);
    let _ = FaceImageRecord::parse(data);
});
