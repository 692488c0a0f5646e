//! The central's answers to the pre-request check: the status map and the pre-request's content,
//! read as the station reads them, and the number typed or scanned at the counter.
#![no_main]

use std::collections::BTreeMap;

use libfuzzer_sys::fuzz_target;
use station::uplink::{PreRequest, PreRequestNumber};
use wire::prerequest::StatusEntry;

fuzz_target!(|data: &[u8]| {
    let _ = serde_json::from_slice::<BTreeMap<String, StatusEntry>>(data);
    if let Ok(pre) = serde_json::from_slice::<PreRequest>(data) {
        // Shown to the clerk and written into the manifest: every field must serialise back.
        serde_json::to_vec(&pre).expect("a parsed pre-request serialises");
    }
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = PreRequestNumber::parse(text);
    }
});
