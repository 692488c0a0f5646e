//! Codec tests: the reference's worked examples byte for byte, then properties.

use proptest::prelude::*;

use super::*;

fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).expect("ascii"), 16).expect("hex"))
        .collect()
}

#[test]
fn worked_examples_encode_byte_for_byte() {
    // docs/reference/zfm-fingerprint-protocol.md, "Worked examples".
    let gen_img = Packet::command(DEFAULT_ADDRESS, 0x01, &[]);
    assert_eq!(
        gen_img.encode().expect("encode"),
        hex("EF01 FFFFFFFF 01 0003 01 0005")
    );
    let vfy_pwd = Packet::command(DEFAULT_ADDRESS, 0x13, &[0, 0, 0, 0]);
    assert_eq!(
        vfy_pwd.encode().expect("encode"),
        hex("EF01 FFFFFFFF 01 0007 13 00000000 001B")
    );
    let ack = Packet {
        address: DEFAULT_ADDRESS,
        kind: PacketKind::Ack,
        payload: vec![0x00],
    };
    assert_eq!(
        ack.encode().expect("encode"),
        hex("EF01 FFFFFFFF 07 0003 00 000A")
    );
}

#[test]
fn worked_examples_decode() {
    let bytes = hex("EF01 FFFFFFFF 07 0003 00 000A");
    let step = decode(&bytes, Some(DEFAULT_ADDRESS));
    assert_eq!(step.consumed, 12);
    assert_eq!(step.skipped, 0);
    assert_eq!(
        step.outcome,
        Decoded::Packet(Packet {
            address: DEFAULT_ADDRESS,
            kind: PacketKind::Ack,
            payload: vec![0]
        })
    );
}

#[test]
fn a_wrong_checksum_is_reported_not_accepted() {
    let bytes = hex("EF01 FFFFFFFF 07 0003 00 000B");
    let step = decode(&bytes, None);
    assert_eq!(
        step.outcome,
        Decoded::Corrupt(FrameError::Checksum {
            computed: 0x000A,
            received: 0x000B
        })
    );
    assert_eq!(step.consumed, 12);
}

#[test]
fn boot_byte_and_noise_are_skipped() {
    let mut bytes = vec![0x55, 0x00, 0xEF, 0x13, 0xEF];
    bytes.extend(hex("EF01 FFFFFFFF 07 0003 00 000A"));
    let step = decode(&bytes, Some(DEFAULT_ADDRESS));
    assert_eq!(step.skipped, 5);
    assert_eq!(step.consumed, 17);
    assert!(matches!(step.outcome, Decoded::Packet(_)));
}

#[test]
fn a_false_header_is_skipped() {
    // EF 01 followed by an unknown PID, then a real ack.
    let mut bytes = hex("EF01 FFFFFFFF 09 0003");
    bytes.extend(hex("EF01 FFFFFFFF 07 0003 00 000A"));
    let step = decode(&bytes, None);
    assert!(matches!(step.outcome, Decoded::Packet(_)));
    assert_eq!(step.skipped, 9);
}

#[test]
fn a_split_header_waits_for_more() {
    let bytes = hex("55 EF");
    let step = decode(&bytes, None);
    assert_eq!(step.outcome, Decoded::NeedMore);
    assert_eq!(step.consumed, 1, "the trailing EF is kept");
    let partial = hex("EF01 FFFFFFFF 07 0003 00");
    let step = decode(&partial, None);
    assert_eq!(step.outcome, Decoded::NeedMore);
    assert_eq!(step.consumed, 0);
}

#[test]
fn a_foreign_address_is_reported() {
    let packet = Packet {
        address: 0x1234_5678,
        kind: PacketKind::Ack,
        payload: vec![0],
    };
    let bytes = packet.encode().expect("encode");
    let step = decode(&bytes, Some(DEFAULT_ADDRESS));
    assert_eq!(
        step.outcome,
        Decoded::Corrupt(FrameError::WrongAddress {
            expected: DEFAULT_ADDRESS,
            found: 0x1234_5678
        })
    );
}

#[test]
fn an_oversized_payload_is_refused() {
    let packet = Packet {
        address: DEFAULT_ADDRESS,
        kind: PacketKind::Data,
        payload: vec![0; MAX_PAYLOAD + 1],
    };
    assert_eq!(
        packet.encode(),
        Err(FrameError::TooLong {
            len: MAX_PAYLOAD + 1
        })
    );
}

fn kind() -> impl Strategy<Value = PacketKind> {
    prop_oneof![
        Just(PacketKind::Command),
        Just(PacketKind::Data),
        Just(PacketKind::Ack),
        Just(PacketKind::EndData),
    ]
}

fn packet() -> impl Strategy<Value = Packet> {
    (
        any::<u32>(),
        kind(),
        proptest::collection::vec(any::<u8>(), 0..=MAX_PAYLOAD),
    )
        .prop_map(|(address, kind, payload)| Packet {
            address,
            kind,
            payload,
        })
}

proptest! {
    #[test]
    fn encode_then_decode_gives_the_packet_back(packet in packet()) {
        let bytes = packet.encode().expect("encode");
        prop_assert_eq!(bytes.len(), packet.wire_len());
        let step = decode(&bytes, Some(packet.address));
        prop_assert_eq!(step.consumed, bytes.len());
        prop_assert_eq!(step.outcome, Decoded::Packet(packet));
    }

    #[test]
    fn the_packet_is_found_after_noise_without_a_header_byte(
        noise in proptest::collection::vec(any::<u8>().prop_filter("no EF", |b| *b != 0xEF), 0..64),
        packet in packet(),
    ) {
        let mut bytes = noise.clone();
        bytes.extend(packet.encode().expect("encode"));
        let step = decode(&bytes, None);
        prop_assert_eq!(step.skipped, noise.len());
        prop_assert_eq!(step.outcome, Decoded::Packet(packet));
    }

    #[test]
    fn one_flipped_bit_after_the_address_is_never_accepted(
        packet in packet(),
        position in any::<prop::sample::Index>(),
        bit in 0u8..8,
    ) {
        let mut bytes = packet.encode().expect("encode");
        // Flip inside PID, payload or checksum (LEN flips change the framing, tested below).
        let candidates: Vec<usize> = std::iter::once(6).chain(PREAMBLE_LEN..bytes.len()).collect();
        let at = candidates[position.index(candidates.len())];
        bytes[at] ^= 1 << bit;
        let step = decode(&bytes, Some(packet.address));
        let accepted_other = matches!(&step.outcome, Decoded::Packet(p) if *p != packet);
        prop_assert!(!accepted_other, "a corrupted packet was accepted: {:?}", step.outcome);
        prop_assert!(!matches!(&step.outcome, Decoded::Packet(p) if *p == packet));
    }

    #[test]
    fn decode_never_panics_and_stays_in_bounds(
        bytes in proptest::collection::vec(any::<u8>(), 0..600),
        address in proptest::option::of(any::<u32>()),
    ) {
        let step = decode(&bytes, address);
        prop_assert!(step.consumed <= bytes.len());
        prop_assert!(step.skipped <= step.consumed);
        if let Decoded::Packet(p) = &step.outcome {
            prop_assert!(p.payload.len() <= MAX_PAYLOAD);
        }
    }

    #[test]
    fn repeated_decoding_always_makes_progress(
        bytes in proptest::collection::vec(prop_oneof![Just(0xEFu8), Just(0x01u8), any::<u8>()], 0..600),
    ) {
        // The way FrameReader uses decode: consume and decode again until it asks for more.
        let mut rest: &[u8] = &bytes;
        for _ in 0..=bytes.len() {
            let step = decode(rest, None);
            rest = &rest[step.consumed..];
            if step.outcome == Decoded::NeedMore {
                prop_assert!(rest.len() < PREAMBLE_LEN + usize::from(MAX_LEN_FIELD));
                return Ok(());
            }
            prop_assert!(step.consumed > 0);
        }
        prop_assert!(false, "decoding did not terminate");
    }
}
