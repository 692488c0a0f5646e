//! Per sensor model, what a client meets first: what the module sends at power-up and after a
//! restart, which instructions it knows and how it answers the rest, a wrong password, a wrong
//! address and a packet that comes in pieces (docs/fingerprint-module.md gives the sources).

#![allow(clippy::unwrap_used)]

use std::io::Write;
use std::time::Duration;

use firmware_sim::zfm_firmware::{FingerMode, FingerprintSim, FingerprintSimConfig, SensorKind};

use crate::zfm_raw_client::{ACK_OK, Client, VFY_PWD_0, command, packet, unpaced};

fn r503(finger: FingerMode) -> FingerprintSimConfig {
    FingerprintSimConfig {
        sensor: SensorKind::R503_192x192,
        ..unpaced(finger)
    }
}

/// What arrives unasked within a while of opening the port or of a restart.
fn unasked(client: &mut Client) -> Vec<u8> {
    client.drain(Duration::from_millis(300))
}

#[test]
fn a_zfm_sends_nothing_at_power_up_nor_after_a_restart() {
    let sim = FingerprintSim::start(unpaced(FingerMode::None)).unwrap();
    let mut client = Client::open(sim.port_path(), 57_600);
    assert_eq!(unasked(&mut client), [0u8; 0], "no byte at power-up");
    // A client that reads from the first byte on (as public ones do) gets a whole packet.
    assert_eq!(client.ask(&VFY_PWD_0, 0), ACK_OK);
    sim.control().power_cycle().unwrap();
    assert_eq!(
        unasked(&mut client),
        [0u8; 0],
        "no byte after a power cycle"
    );
    assert_eq!(client.ask(&VFY_PWD_0, 0), ACK_OK);
    // SoftRst (an R50x instruction the simulated ZFM keeps, see the module's notes): acknowledged,
    // and no ready byte after it either.
    assert_eq!(client.call(&[0x3D], 0).0, 0);
    assert_eq!(unasked(&mut client), [0u8; 0], "no byte after SoftRst");
    assert_eq!(client.ask(&VFY_PWD_0, 0), ACK_OK);
}

#[test]
fn an_r503_sends_0x55_at_power_up_and_after_a_restart() {
    let sim = FingerprintSim::start(r503(FingerMode::None)).unwrap();
    let mut client = Client::open(sim.port_path(), 57_600);
    assert_eq!(unasked(&mut client), [0x55], "the R50x's ready byte");
    assert_eq!(client.ask(&VFY_PWD_0, 0), ACK_OK);
    sim.control().power_cycle().unwrap();
    assert_eq!(unasked(&mut client), [0x55]);
    assert_eq!(client.call(&[0x3D], 0).0, 0, "SoftRst");
    assert_eq!(unasked(&mut client), [0x55]);
    assert_eq!(client.ask(&VFY_PWD_0, 0), ACK_OK);
}

/// Enrols `finger` on `page` from two impressions, then leaves a third impression's features in
/// char buffer 1.
fn enrol_then_probe(client: &mut Client, sim: &FingerprintSim, finger: u64, page: u8) {
    let control = sim.control();
    for (impression, buffer) in [(0, 1), (1, 2)] {
        control.place_finger(finger, impression);
        assert_eq!(client.call(&[0x01], 0).0, 0, "GenImg");
        assert_eq!(client.call(&[0x02, buffer], 0).0, 0, "Img2Tz");
    }
    assert_eq!(client.call(&[0x05], 0).0, 0, "RegModel");
    assert_eq!(client.call(&[0x06, 1, 0, page], 0).0, 0, "Store");
    control.place_finger(finger, 5);
    assert_eq!(client.call(&[0x01], 0).0, 0);
    assert_eq!(client.call(&[0x02, 1], 0).0, 0);
}

#[test]
fn high_speed_search_finds_what_search_finds() {
    for config in [unpaced(FingerMode::None), r503(FingerMode::None)] {
        let sim = FingerprintSim::start(config).unwrap();
        let mut client = Client::open(sim.port_path(), 57_600);
        unasked(&mut client);
        enrol_then_probe(&mut client, &sim, 100, 3);
        let search = client.call(&[0x04, 1, 0, 0, 0, 200], 4);
        let fast = client.call(&[0x1B, 1, 0, 0, 0, 200], 4);
        assert_eq!(search.0, 0);
        assert_eq!(&search.1[..2], &[0, 3], "found on page 3");
        assert_eq!(fast, search, "HighSpeedSearch answers as Search");
        // Outside the range searched: not found, with page and score zero.
        assert_eq!(client.call(&[0x1B, 1, 0, 4, 0, 10], 4), (0x09, vec![0; 4]));
        assert_eq!(client.call(&[0x1B, 1], 0).0, 0x01, "arguments missing");
    }
}

#[test]
fn the_notepad_keeps_its_pages_across_a_power_cycle() {
    let sim = FingerprintSim::start(unpaced(FingerMode::None)).unwrap();
    let mut client = Client::open(sim.port_path(), 57_600);
    let mut page = vec![0x18, 15];
    page.extend((0..32).map(|i| 0xA0 ^ i));
    assert_eq!(client.call(&page, 0).0, 0, "WriteNotepad page 15");
    assert_eq!(
        client.call(&[0x19, 0], 32),
        (0, vec![0; 32]),
        "page 0 blank"
    );
    sim.control().power_cycle().unwrap();
    assert_eq!(client.call(&[0x19, 15], 32), (0, page[2..].to_vec()));
    // Page 16 does not exist: "wrong notepad page number".
    let mut beyond = page.clone();
    beyond[1] = 16;
    assert_eq!(client.call(&beyond, 0).0, 0x1C);
    assert_eq!(client.call(&[0x19, 16], 0).0, 0x1C);
    assert_eq!(client.call(&page[..20], 0).0, 0x01, "32 bytes missing");
}

/// Every instruction of the R30x table, with arguments a client would send, and the length of
/// data after the confirmation code in its acknowledgement.
const R30X_TABLE: &[(&[u8], usize)] = &[
    (&[0x01], 0),                  // GenImg
    (&[0x02, 1], 0),               // Img2Tz
    (&[0x03], 2),                  // Match
    (&[0x04, 1, 0, 0, 0, 200], 4), // Search
    (&[0x05], 0),                  // RegModel
    (&[0x06, 1, 0, 0], 0),         // Store
    (&[0x07, 1, 0, 0], 0),         // LoadChar
    (&[0x08, 1], 0),               // UpChar (nothing in the buffer: refused)
    (&[0x0A], 0),                  // UpImage (no image: refused)
    (&[0x0C, 0, 0, 0, 1], 0),      // DeletChar
    (&[0x0D], 0),                  // Empty
    (&[0x0E, 5, 3], 0),            // SetSysPara
    (&[0x0F], 16),                 // ReadSysPara
    (&[0x13, 0, 0, 0, 0], 0),      // VfyPwd
    (&[0x14], 4),                  // GetRandomCode
    (&[0x19, 0], 32),              // ReadNotepad
    (&[0x1B, 1, 0, 0, 0, 200], 4), // HighSpeedSearch
    (&[0x1D], 2),                  // TemplateNum
    (&[0x1F, 0], 32),              // ReadIndexTable
];

#[test]
fn every_instruction_of_the_table_is_answered_and_the_rest_get_0x01() {
    for config in [unpaced(FingerMode::None), r503(FingerMode::None)] {
        let sim = FingerprintSim::start(config).unwrap();
        let mut client = Client::open(sim.port_path(), 57_600);
        unasked(&mut client);
        for &(payload, extra) in R30X_TABLE {
            // `call` checks the header, address, PID, length and checksum of the answer: a
            // refusal keeps the acknowledgement's length (page and score zero, for instance).
            client.call(payload, extra);
        }
        // Instructions no manual lists: the module's "packet receive error", not silence.
        for unknown in [0x00, 0x1E, 0x2A, 0x77, 0xFF] {
            assert_eq!(
                client.call(&[unknown], 0).0,
                0x01,
                "instruction {unknown:02X}"
            );
        }
        assert!(client.drain(Duration::from_millis(50)).is_empty());
    }
}

#[test]
fn a_wrong_password_is_answered_0x13_and_changes_nothing_else() {
    let sim = FingerprintSim::start(unpaced(FingerMode::None)).unwrap();
    let mut client = Client::open(sim.port_path(), 57_600);
    // Factory password 0: a wrong one is refused, and the module still serves.
    assert_eq!(client.call(&[0x13, 0, 0, 0, 1], 0).0, 0x13);
    assert_eq!(client.call(&[0x1D], 2).0, 0);
    // With a password set, a wrong one leaves everything but VfyPwd refused.
    assert_eq!(client.call(&[0x12, 0xCA, 0xFE, 0, 1], 0).0, 0, "SetPwd");
    sim.control().power_cycle().unwrap();
    assert_eq!(client.call(&[0x13, 0, 0, 0, 1], 0).0, 0x13);
    assert_eq!(client.call(&[0x1D], 0).0, 0x21, "password first");
    assert_eq!(client.call(&[0x13, 0xCA, 0xFE, 0, 1], 0).0, 0);
    assert_eq!(client.call(&[0x1D], 2).0, 0);
}

#[test]
fn another_address_is_not_answered_and_set_adder_moves_the_module() {
    let sim = FingerprintSim::start(unpaced(FingerMode::None)).unwrap();
    let mut client = Client::open(sim.port_path(), 57_600);
    let to = |address: u32, payload: &[u8]| {
        // The checksum does not cover the address.
        let mut bytes = packet(0x01, payload);
        bytes[2..6].copy_from_slice(&address.to_be_bytes());
        bytes
    };
    client.port.write_all(&to(0x1234_5678, &[0x1D])).unwrap();
    assert!(
        client.drain(Duration::from_millis(200)).is_empty(),
        "not for it"
    );
    // SetAdder: the acknowledgement already comes from the new address.
    client
        .port
        .write_all(&command(&[0x15, 0x12, 0x34, 0x56, 0x78]))
        .unwrap();
    let ack = client.read_n(12, Duration::from_secs(2));
    assert_eq!(&ack[2..6], &[0x12, 0x34, 0x56, 0x78]);
    assert_eq!(ack[9], 0);
    client.port.write_all(&command(&[0x1D])).unwrap();
    assert!(
        client.drain(Duration::from_millis(200)).is_empty(),
        "old address"
    );
    client.port.write_all(&to(0x1234_5678, &[0x1D])).unwrap();
    let ack = client.read_n(14, Duration::from_secs(2));
    assert_eq!(ack.len(), 14);
    assert_eq!(&ack[2..6], &[0x12, 0x34, 0x56, 0x78]);
}

#[test]
fn a_packet_in_pieces_is_answered_once_whole() {
    let sim = FingerprintSim::start(unpaced(FingerMode::None)).unwrap();
    let mut client = Client::open(sim.port_path(), 57_600);
    for byte in VFY_PWD_0 {
        client.port.write_all(&[byte]).unwrap();
        client.port.flush().unwrap();
        std::thread::sleep(Duration::from_millis(15));
    }
    assert_eq!(client.read_n(12, Duration::from_secs(2)), ACK_OK);
    // Two commands in one write: two answers, in order.
    let mut both = VFY_PWD_0.to_vec();
    both.extend(command(&[0x1D]));
    client.port.write_all(&both).unwrap();
    let answers = client.read_n(26, Duration::from_secs(2));
    assert_eq!(&answers[..12], ACK_OK);
    assert_eq!(
        &answers[12..21],
        &[0xEF, 0x01, 0xFF, 0xFF, 0xFF, 0xFF, 0x07, 0x00, 0x05]
    );
    // Half a packet then a pause longer than the module's receive timeout: the half is dropped,
    // and the next whole packet is answered.
    client.port.write_all(&VFY_PWD_0[..7]).unwrap();
    std::thread::sleep(Duration::from_millis(700));
    assert_eq!(client.ask(&VFY_PWD_0, 0), ACK_OK);
    assert!(client.drain(Duration::from_millis(100)).is_empty());
}
