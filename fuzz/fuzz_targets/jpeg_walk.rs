//! A picture from the camera: the strict walk through the JPEG's segments and scan, then the
//! whole acceptance (markers, walk, decode under the camera's size limits).
#![no_main]

use drivers::vc0706::{check_jpeg, scan};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let walked = scan::verify(data);
    let accepted = check_jpeg(data, Some((640, 480)));
    // A picture the walk refuses is never accepted.
    if walked.is_err() {
        assert!(accepted.is_err(), "accepted a JPEG the walk refused");
    }
});
