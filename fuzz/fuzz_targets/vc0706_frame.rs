//! The camera's answers: replies found in the bytes from the serial line, frame-buffer chunks
//! between their two markers, and the requests the simulator reads.
#![no_main]

use drivers::vc0706::command::{Command, FrameLength, GetImageSize, GetVersion};
use drivers::vc0706::frame::{self, ChunkScan, ReplyScan, Request};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&selector, buf)) = data.split_first() else {
        return;
    };
    let serial = selector & 0x03;
    // Read-frame-buffer chunk sizes the camera is asked for (at most a few KB at a time).
    let chunk_len = usize::from(selector >> 2) * 64;

    let _ = Request::decode(buf);

    let mut rest = buf;
    for command in [0x11, 0x34, 0x32, 0x36] {
        match frame::scan_reply(rest, serial, command) {
            ReplyScan::Found {
                skipped,
                reply,
                end,
            } => {
                assert!(
                    skipped < end && end <= rest.len(),
                    "reply outside the buffer"
                );
                let _ = GetVersion.parse(&reply.data);
                let _ = FrameLength.parse(&reply.data);
                let _ = GetImageSize.parse(&reply.data);
                rest = &rest[end..];
            }
            ReplyScan::NeedMore { skipped } => assert!(skipped <= rest.len()),
        }
    }

    match frame::scan_chunk(buf, serial, chunk_len) {
        ChunkScan::Found { skipped, data } => {
            assert!(
                skipped <= data.start && data.end <= buf.len(),
                "chunk outside the buffer"
            );
        }
        ChunkScan::Refused { skipped, .. } | ChunkScan::NeedMore { skipped, .. } => {
            assert!(skipped <= buf.len());
        }
    }
});
