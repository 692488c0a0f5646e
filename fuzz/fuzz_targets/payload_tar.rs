//! An opened payload: the ustar tar with the manifest and the ISO/IEC 19794 records, as the
//! central checks it (entries, manifest, records, images) and as the station reads it back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use station::record::PayloadEntries;

fuzz_target!(|data: &[u8]| {
    // The golden record's ids, which the seeds' manifests carry: the fuzzer then gets past the
    // manifest's checks into the records.
    let _ =
        central::intake::payload::check(data, wire::golden::RECORD_ID, wire::golden::STATION_ID);
    let _ = PayloadEntries::parse(data);
});
