//! The finger image record (ISO/IEC 19794-4): the central's reader and the station's.
#![no_main]

use libfuzzer_sys::fuzz_target;
use station::record::FingerImageRecord;

fuzz_target!(|data: &[u8]| {
    let _ = central::intake::iso19794_4::parse(data);
    let _ = FingerImageRecord::parse(data);
});
