//! The signature record's reader, shared by the station and the central: any bytes give a record or
//! an error, and a record it reads is written back to the same samples.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(read) = wire::signature::parse(data) {
        // What the reader accepts lies on the pad: the writer takes it back, unless the pressure
        // is known for some samples only (the reader gives a force to every sample or to none).
        if let Ok(bytes) = wire::signature::write(&read.signature) {
            let again = wire::signature::parse(&bytes).expect("written records read back");
            assert_eq!(again.signature, read.signature);
        }
        let _ = wire::signature::assess(&read.signature);
    }
});
