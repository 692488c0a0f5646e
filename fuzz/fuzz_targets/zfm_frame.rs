//! The fingerprint module's answers: bytes from the serial line cut into `EF 01` packets, then each
//! packet's payload read as the answers the station asks for.
#![no_main]

use drivers::zfm::command::{
    CharBuffer, Command, GetRandomCode, Match, ReadIndexTable, ReadProdInfo, ReadSysPara, Search,
    TemplateNum,
};
use drivers::zfm::frame::{self, Decoded};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // The address check is optional in the driver: the first byte chooses, so both paths run.
    let address = data.first().filter(|b| **b & 1 == 1).map(|_| 0xFFFF_FFFF);
    let mut buf = data.get(1..).unwrap_or_default();
    // As the driver's reader does: decode, drop what was consumed, again until it needs more.
    loop {
        let step = frame::decode(buf, address);
        assert!(step.consumed <= buf.len(), "consumed past the end");
        assert!(step.skipped <= step.consumed, "skipped more than consumed");
        if let Decoded::Packet(packet) = &step.outcome {
            answers(&packet.payload);
        }
        if step.consumed == 0 {
            break;
        }
        buf = &buf[step.consumed..];
    }
});

/// The acknowledgement's bytes after the confirmation code, as each command reads them.
fn answers(payload: &[u8]) {
    let Some(data) = payload.get(1..) else {
        return;
    };
    let _ = ReadSysPara.parse(data);
    let _ = ReadProdInfo.parse(data);
    let _ = GetRandomCode.parse(data);
    let _ = TemplateNum.parse(data);
    let _ = Match.parse(data);
    let _ = Search {
        buffer: CharBuffer::One,
        start: 0,
        count: 1000,
    }
    .parse(data);
    let _ = ReadIndexTable::default().parse(data);
}
