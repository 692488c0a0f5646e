//! Every upload carries the station's latest audit checkpoint; the central refuses one older than
//! (or different from) the last it accepted from that station, so a station whose audit log lost
//! its tail together with the tail's checkpoints is caught at its next upload. A real central on
//! loopback over mutual TLS, a test station signing checkpoints with its own key.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use wire::audit_checkpoint::{AuditCheckpoint, CHECKPOINT_MISSING, CHECKPOINT_REGRESSED};

use crate::common::{self, Answer, PayloadSpec, TestStation, seal, start};

fn checkpoint(station: &TestStation, seq: u64, hash_byte: u8) -> AuditCheckpoint {
    let sha256 = hex::encode([hash_byte; 32]);
    let signature = hex::encode(
        station
            .key
            .sign(&wire::audit_checkpoint::checkpoint_message(seq, &sha256)),
    );
    AuditCheckpoint {
        seq,
        sha256,
        signature,
    }
}

fn upload(
    central: &central::RunningCentral,
    station: &TestStation,
    number: &str,
    checkpoint: Option<&AuditCheckpoint>,
) -> Answer {
    let spec = PayloadSpec::new(&station.id, number);
    let bytes = seal(&spec, station, central.public_keys());
    let mut request = common::agent_for(&central.url())
        .put(&format!(
            "{}{}",
            central.url(),
            wire::paths::record(&spec.record_id)
        ))
        .header("content-type", "application/octet-stream");
    if let Some(checkpoint) = checkpoint {
        request = request.header(wire::headers::AUDIT_CHECKPOINT, &checkpoint.to_header());
    }
    let mut response = request.send(&bytes[..]).expect("HTTPS exchange");
    Answer {
        status: response.status().as_u16(),
        body: response.body_mut().read_to_string().unwrap_or_default(),
    }
}

fn refused_with(answer: &Answer, status: u16, code: &str) {
    assert_eq!(
        (answer.status, answer.error_code().as_str()),
        (status, code),
        "{}",
        answer.body
    );
}

#[test]
fn an_older_checkpoint_than_the_last_accepted_is_refused() {
    let dir = crate::common::private_tempdir();
    let (central, station) = start(dir.path());

    // Before any checkpoint, an upload without one is still taken (stations from before).
    assert_eq!(upload(&central, &station, "TESTCP0001", None).status, 200);
    let at_32 = checkpoint(&station, 32, 0xaa);
    assert_eq!(
        upload(&central, &station, "TESTCP0002", Some(&at_32)).status,
        200
    );

    // The audit log lost its tail and the tail's checkpoints: its latest is now entry 16.
    let at_16 = checkpoint(&station, 16, 0xbb);
    refused_with(
        &upload(&central, &station, "TESTCP0003", Some(&at_16)),
        409,
        CHECKPOINT_REGRESSED,
    );
    // Entry 32 rewritten (the tail replaced by other entries) does not pass either.
    let other_32 = checkpoint(&station, 32, 0xcc);
    refused_with(
        &upload(&central, &station, "TESTCP0003", Some(&other_32)),
        409,
        CHECKPOINT_REGRESSED,
    );
    // Leaving the header out once one was sent is refused too.
    refused_with(
        &upload(&central, &station, "TESTCP0003", None),
        428,
        CHECKPOINT_MISSING,
    );
    // A checkpoint not signed by the station's key.
    let stranger = TestStation::new("someone-else");
    let forged = checkpoint(&stranger, 48, 0xdd);
    refused_with(
        &upload(&central, &station, "TESTCP0003", Some(&forged)),
        401,
        "bad-checkpoint-signature",
    );
    // A malformed header.
    let mut malformed = at_32.clone();
    malformed.sha256 = "xyz".into();
    refused_with(
        &upload(&central, &station, "TESTCP0003", Some(&malformed)),
        400,
        "malformed-checkpoint",
    );
    assert_eq!(central.receipt_count().unwrap(), 2);

    // The same checkpoint again (a retry) and a newer one go through.
    assert_eq!(
        upload(&central, &station, "TESTCP0003", Some(&at_32)).status,
        200
    );
    let at_48 = checkpoint(&station, 48, 0xee);
    assert_eq!(
        upload(&central, &station, "TESTCP0004", Some(&at_48)).status,
        200
    );
    refused_with(
        &upload(&central, &station, "TESTCP0005", Some(&at_32)),
        409,
        CHECKPOINT_REGRESSED,
    );
    central.stop();
}
