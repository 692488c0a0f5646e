//! The ZFM packet decoder and the command parsers must never panic and never run past the buffer,
//! whatever bytes the line delivers.
#![no_main]

use drivers::zfm::command::{
    CharBuffer, Command, GetRandomCode, Match, ReadIndexTable, ReadProdInfo, ReadSysPara, Search,
    TemplateNum,
};
use drivers::zfm::frame::{Decoded, decode};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Decode the way the reader does: consume, decode again, until more bytes are needed.
    let mut rest = data;
    let address = data.get(..4).map(|a| u32::from_be_bytes([a[0], a[1], a[2], a[3]]));
    loop {
        let step = decode(rest, address);
        assert!(step.consumed <= rest.len());
        assert!(step.skipped <= step.consumed);
        if let Decoded::Packet(packet) = &step.outcome {
            let encoded = packet.encode().expect("a decoded packet re-encodes");
            assert_eq!(encoded.len(), packet.wire_len());
            if let Some(payload) = packet.payload.get(1..) {
                let _ = ReadSysPara.parse(payload);
                let _ = ReadProdInfo.parse(payload);
                let _ = Match.parse(payload);
                let _ = TemplateNum.parse(payload);
                let _ = GetRandomCode.parse(payload);
                let _ = ReadIndexTable::default().parse(payload);
                let _ = Search { buffer: CharBuffer::One, start: 0, count: 1 }.parse(payload);
            }
        }
        rest = &rest[step.consumed..];
        if step.outcome == Decoded::NeedMore {
            break;
        }
        assert!(step.consumed > 0, "no progress");
    }
});
