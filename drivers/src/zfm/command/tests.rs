//! Requests encode as the reference's table says; answers parse or are refused, never panic.

use proptest::prelude::*;

use super::*;
use crate::zfm::frame::{DEFAULT_ADDRESS, Packet};

fn request<C: Command>(command: &C) -> Vec<u8> {
    let mut args = Vec::new();
    command.args(&mut args);
    let mut payload = vec![C::CODE];
    payload.extend(args);
    payload
}

#[test]
fn requests_carry_code_and_arguments() {
    assert_eq!(request(&GenImg), vec![0x01]);
    assert_eq!(request(&VfyPwd { password: 0 }), vec![0x13, 0, 0, 0, 0]);
    assert_eq!(
        request(&SetSysPara {
            register: Register::BaudMultiplier,
            value: 12
        }),
        vec![0x0E, 4, 12]
    );
    assert_eq!(
        request(&Search {
            buffer: CharBuffer::One,
            start: 0,
            count: 0x00A3
        }),
        vec![0x04, 1, 0, 0, 0x00, 0xA3]
    );
    assert_eq!(
        request(&Store {
            buffer: CharBuffer::Two,
            page: 0x0102
        }),
        vec![0x06, 2, 1, 2]
    );
    assert_eq!(
        request(&DeleteChar { page: 5, count: 1 }),
        vec![0x0C, 0, 5, 0, 1]
    );
    assert_eq!(request(&ReadIndexTable { page: 1 }), vec![0x1F, 1]);
    assert_eq!(
        request(&AuraLedConfig {
            control: LedControl::Breathing,
            speed: 0x80,
            colour: LedColour::Blue,
            count: 0
        }),
        vec![0x35, 1, 0x80, 2, 0]
    );
    // The reference's worked example, through the whole chain.
    let bytes = Packet::command(
        DEFAULT_ADDRESS,
        VfyPwd::CODE,
        &request(&VfyPwd::default())[1..],
    )
    .encode()
    .expect("encode");
    assert_eq!(
        bytes,
        [
            0xEF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x01, 0x00, 0x07, 0x13, 0, 0, 0, 0, 0x00, 0x1B
        ]
    );
}

#[test]
fn system_parameters_parse() {
    let data = [
        0x00, 0x04, 0x00, 0x09, 0x00, 0xA3, 0x00, 0x03, 0xFF, 0xFF, 0xFF, 0xFF, 0x00, 0x02, 0x00,
        0x06,
    ];
    let params = ReadSysPara.parse(&data).expect("parse");
    assert_eq!(params.system_id, 9);
    assert_eq!(params.library_size, 163);
    assert_eq!(params.packet_size, Some(PacketSize::B128));
    assert_eq!(params.baud(), 57_600);
    assert_eq!(
        ReadSysPara.parse(&data[..15]),
        Err(ParseError {
            expected: 16,
            found: 15
        })
    );
}

#[test]
fn product_info_parses() {
    let mut data = Vec::new();
    data.extend(b"R503\0\0\0\0\0\0\0\0\0\0\0\0");
    data.extend(b"B001");
    data.extend(b"00001234");
    data.extend([1, 2]);
    data.extend(b"FPC1021 ");
    data.extend([0, 192, 0, 192, 0x06, 0x00, 0, 200]);
    let info = ReadProdInfo.parse(&data).expect("parse");
    assert_eq!(info.module_type, "R503");
    assert_eq!(info.serial, "00001234");
    assert_eq!(info.sensor_type, "FPC1021");
    assert_eq!((info.width, info.height), (192, 192));
    assert_eq!(info.template_size, 1536);
    assert_eq!(info.database_size, 200);
}

#[test]
fn confirmation_codes_round_trip_and_read_plainly() {
    for code in 0..=255u8 {
        assert_eq!(Confirmation::from_code(code).code(), code);
    }
    assert_eq!(Confirmation::from_code(0x02), Confirmation::NoFinger);
    assert_eq!(
        Confirmation::WrongPassword.to_string(),
        "wrong module password (code 0x13)"
    );
}

#[test]
fn packet_sizes() {
    assert_eq!(PacketSize::B32.bytes(), 32);
    assert_eq!(PacketSize::B256.bytes(), 256);
    assert_eq!(PacketSize::from_code(3), Some(PacketSize::B256));
    assert_eq!(PacketSize::from_code(4), None);
}

proptest! {
    #[test]
    fn parsers_never_panic(data in proptest::collection::vec(any::<u8>(), 0..80)) {
        let _ = ReadSysPara.parse(&data);
        let _ = ReadProdInfo.parse(&data);
        let _ = Match.parse(&data);
        let _ = Search { buffer: CharBuffer::One, start: 0, count: 1 }.parse(&data);
        let _ = TemplateNum.parse(&data);
        let _ = ReadIndexTable::default().parse(&data);
        let _ = GetRandomCode.parse(&data);
        prop_assert!(GenImg.parse(&data).is_ok());
    }
}
