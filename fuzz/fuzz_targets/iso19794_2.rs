//! The finger minutiae record (ISO/IEC 19794-2): the central's reader (intake and handover) and
//! the fingerprint crate's (the station's same-finger check).
#![no_main]

use fingerprint::FingerMinutiaeRecord;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = central::intake::iso19794_2::parse(data);
    let _ = FingerMinutiaeRecord::parse(data);
});
