//! Raw HTTP against the record endpoint: chunked bodies over the limit, stalled bodies, and a stop
//! that does not hang on a stalled client.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use crate::common::{TestStation, TlsIdentity, start_with};

type Stream = rustls::StreamOwned<rustls::ClientConnection, std::net::TcpStream>;

fn read_answer(stream: &mut Stream) -> String {
    stream
        .sock
        .set_read_timeout(Some(Duration::from_secs(20)))
        .unwrap();
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                out.extend_from_slice(&buf[..n]);
                let text = String::from_utf8_lossy(&out);
                if let Some(end) = text.find("\r\n\r\n")
                    && text[end + 4..].contains('}')
                {
                    break;
                }
            }
            Err(_) => break,
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A central with small limits, and the TLS identity of a station enrolled with it.
fn start_small(
    dir: &std::path::Path,
    limit: usize,
    timeout: Duration,
) -> (central::RunningCentral, TlsIdentity) {
    let mut config = central::CentralConfig::new(dir);
    config.max_record_bytes = limit;
    config.body_timeout = timeout;
    let (central, station): (_, TestStation) = start_with(config);
    (central, station.tls.unwrap())
}

#[test]
fn a_chunked_body_over_the_limit_is_413() {
    let dir = tempfile::tempdir().unwrap();
    let (central, tls) = start_small(dir.path(), 4096, Duration::from_secs(30));
    let mut s = tls.stream(central.addr);
    let id = uuid::Uuid::new_v4();
    write!(
        s,
        "PUT /v1/records/{id} HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let chunk = vec![b'a'; 1000];
    for _ in 0..5 {
        write!(s, "{:x}\r\n", chunk.len()).unwrap();
        s.write_all(&chunk).unwrap();
        s.write_all(b"\r\n").unwrap();
    }
    let _ = s.write_all(b"0\r\n\r\n");
    let answer = read_answer(&mut s);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("\"error\":\"too-large\""), "{answer}");
}

#[test]
fn an_absurd_declared_length_is_413_before_the_body() {
    let dir = tempfile::tempdir().unwrap();
    let (central, tls) = start_small(dir.path(), 4096, Duration::from_secs(30));
    let mut s = tls.stream(central.addr);
    let id = uuid::Uuid::new_v4();
    write!(
        s,
        "PUT /v1/records/{id} HTTP/1.1\r\nHost: x\r\nContent-Length: 16385\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let answer = read_answer(&mut s);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[test]
fn a_stalled_body_is_408_and_stop_does_not_hang() {
    let dir = tempfile::tempdir().unwrap();
    let (central, tls) = start_small(dir.path(), 1 << 20, Duration::from_millis(400));
    let mut s = tls.stream(central.addr);
    let id = uuid::Uuid::new_v4();
    write!(
        s,
        "PUT /v1/records/{id} HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\nDRREC001"
    )
    .unwrap();
    let started = Instant::now();
    let answer = read_answer(&mut s);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("body-timeout"), "{answer}");
    assert!(started.elapsed() < Duration::from_secs(5));

    // A client that connects and sends half a request line, then nothing.
    let mut idle = tls.stream(central.addr);
    idle.write_all(b"PUT /v1/rec").unwrap();
    let started = Instant::now();
    central.stop();
    assert!(
        started.elapsed() < central::running::SHUTDOWN_GRACE + Duration::from_secs(3),
        "stop took {:?}",
        started.elapsed()
    );
}
