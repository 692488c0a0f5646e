//! The central's answer to an upload: parsed strictly, then checked against the golden record and
//! the golden receipt key (the signature check runs on whatever parsed).
#![no_main]

use libfuzzer_sys::fuzz_target;
use station::uplink::{Receipt, ReceiptCheck};

fuzz_target!(|data: &[u8]| {
    let Ok(receipt) = Receipt::parse(data) else {
        return;
    };
    let key = receipt_key();
    let _ = receipt.verify(&key, wire::golden::RECORD_ID, &receipt.sha256.clone());
    let _ = receipt.verify(&key, &receipt.record_id.clone(), "00");
});

fn receipt_key() -> [u8; 32] {
    let mut key = [0; 32];
    hex::decode_to_slice(wire::golden::RECEIPT_PUBLIC_KEY, &mut key)
        .expect("the golden receipt key is 64 hex digits");
    key
}
