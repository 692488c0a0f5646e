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
    let mut config = crate::common::config(dir);
    config.max_record_bytes = limit;
    config.body_timeout = timeout;
    let (central, station): (_, TestStation) = start_with(config);
    (central, station.tls.unwrap())
}

#[test]
fn a_chunked_body_over_the_limit_is_413() {
    let dir = crate::common::private_tempdir();
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
    let dir = crate::common::private_tempdir();
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
    let dir = crate::common::private_tempdir();
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

/// A central whose limits `adjust` changed, and the TLS identity of a station enrolled with it.
fn start_limited(
    dir: &std::path::Path,
    adjust: impl FnOnce(&mut central::server::limits::ServerLimits),
) -> (central::RunningCentral, TlsIdentity) {
    let mut config = crate::common::config(dir);
    adjust(&mut config.limits);
    let (central, station): (_, TestStation) = start_with(config);
    (central, station.tls.unwrap())
}

/// When the server closed `stream` (end of stream or reset), if it did within `within`; meanwhile
/// `trickle` is written one byte every 200 ms, as a slow client would.
fn closed_within(stream: &mut Stream, within: Duration, trickle: &[u8]) -> Option<Duration> {
    stream
        .sock
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let started = Instant::now();
    let mut trickle = trickle.iter();
    let mut buf = [0u8; 4096];
    while started.elapsed() < within {
        if let Some(byte) = trickle.next()
            && stream
                .write_all(&[*byte])
                .and_then(|()| stream.flush())
                .is_err()
        {
            return Some(started.elapsed());
        }
        match stream.read(&mut buf) {
            Ok(0) => return Some(started.elapsed()),
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return Some(started.elapsed()),
        }
    }
    None
}

fn health_request() -> &'static [u8] {
    b"GET /v1/health HTTP/1.1\r\nHost: x\r\n\r\n"
}

#[test]
fn a_body_that_stalls_after_the_headers_is_408_within_the_idle_timeout() {
    let dir = crate::common::private_tempdir();
    // The whole-body timeout stays at its default (5 minutes): only the silence counts here.
    let (central, tls) = start_limited(dir.path(), |l| {
        l.body_idle_timeout = Duration::from_secs(1);
    });
    let mut s = tls.stream(central.addr);
    let id = uuid::Uuid::new_v4();
    write!(
        s,
        "PUT /v1/records/{id} HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\nDRREC001"
    )
    .unwrap();
    let started = Instant::now();
    let answer = read_answer(&mut s);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        closed_within(&mut s, Duration::from_secs(3), b"").is_some(),
        "the connection stayed open after the 408"
    );
}

#[test]
fn slow_headers_are_closed_within_the_header_timeout() {
    let dir = crate::common::private_tempdir();
    let (central, tls) = start_limited(dir.path(), |l| {
        l.header_timeout = Duration::from_secs(1);
    });
    let mut s = tls.stream(central.addr);
    // A byte every 200 ms: never idle, never done.
    let headers = b"PUT /v1/records/0f6d7c1e-0000-4000-8000-000000000000 HTTP/1.1\r\nHost: x\r\nX-Padding: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    let closed = closed_within(&mut s, Duration::from_secs(6), headers);
    assert!(
        closed.is_some_and(|d| d < Duration::from_secs(4)),
        "slow headers were not cut: {closed:?}"
    );
}

#[test]
fn an_idle_connection_is_closed_after_the_header_timeout() {
    let dir = crate::common::private_tempdir();
    let (central, tls) = start_limited(dir.path(), |l| {
        l.header_timeout = Duration::from_secs(1);
    });
    let mut s = tls.stream(central.addr);
    s.write_all(health_request()).unwrap();
    let answer = read_answer(&mut s);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
    let closed = closed_within(&mut s, Duration::from_secs(6), b"");
    assert!(
        closed.is_some_and(|d| d < Duration::from_secs(4)),
        "an idle keep-alive connection stayed open: {closed:?}"
    );
}

#[test]
fn connections_over_the_limit_are_refused() {
    let dir = crate::common::private_tempdir();
    let (central, tls) = start_limited(dir.path(), |l| {
        l.max_connections = 2;
    });
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut s = tls.stream(central.addr);
        s.write_all(health_request()).unwrap();
        assert!(read_answer(&mut s).starts_with("HTTP/1.1 200"));
        held.push(s);
    }
    let mut third = tls.stream(central.addr);
    let answer = match third.write_all(health_request()) {
        Ok(()) => read_answer(&mut third),
        Err(_) => String::new(),
    };
    assert!(
        answer.is_empty(),
        "a third connection was served: {answer:?}"
    );
    // A place freed is a place taken again.
    drop(held.pop());
    let started = Instant::now();
    loop {
        let mut again = tls.stream(central.addr);
        let answer = match again.write_all(health_request()) {
            Ok(()) => read_answer(&mut again),
            Err(_) => String::new(),
        };
        if answer.starts_with("HTTP/1.1 200") {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "the freed place was never given again"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn anonymous_connections_over_their_limit_leave_room_for_stations() {
    let dir = crate::common::private_tempdir();
    let (central, tls) = start_limited(dir.path(), |l| {
        l.max_anonymous_connections = 1;
    });
    let mut first = crate::common::anonymous_stream(&tls.ca_pem, central.addr);
    first.write_all(health_request()).unwrap();
    assert!(read_answer(&mut first).starts_with("HTTP/1.1 200"));
    let mut second = crate::common::anonymous_stream(&tls.ca_pem, central.addr);
    let answer = match second.write_all(health_request()) {
        Ok(()) => read_answer(&mut second),
        Err(_) => String::new(),
    };
    assert!(
        answer.is_empty(),
        "a second anonymous connection was served: {answer:?}"
    );
    let mut station = tls.stream(central.addr);
    station.write_all(health_request()).unwrap();
    let answer = read_answer(&mut station);
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
}

#[test]
fn an_upload_without_a_certificate_is_refused_before_its_body() {
    let dir = crate::common::private_tempdir();
    let (central, tls) = start_limited(dir.path(), |_| {});
    let mut s = crate::common::anonymous_stream(&tls.ca_pem, central.addr);
    let id = uuid::Uuid::new_v4();
    // 32 MiB - 1 announced, a few bytes sent, then nothing: the central must not wait for (nor
    // keep room for) a body whose sender it does not know.
    write!(
        s,
        "PUT /v1/records/{id} HTTP/1.1\r\nHost: x\r\nContent-Length: 33554431\r\n\r\nDRREC001"
    )
    .unwrap();
    let started = Instant::now();
    let answer = read_answer(&mut s);
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer:?}");
    assert!(answer.contains("no-client-certificate"), "{answer}");
    assert!(
        started.elapsed() < Duration::from_secs(10),
        "{:?}",
        started.elapsed()
    );
}

#[test]
fn uploads_beyond_the_memory_budget_wait_then_get_503() {
    let dir = crate::common::private_tempdir();
    let mut config = crate::common::config(dir.path());
    config.max_record_bytes = 64 * 1024;
    config.limits.body_memory_budget = 64 * 1024;
    config.limits.body_idle_timeout = Duration::from_secs(1);
    let (central, station): (_, TestStation) = start_with(config);
    let tls = station.tls.unwrap();

    // The first upload takes the whole budget and keeps it by sending a byte every 200 ms.
    let mut first = tls.stream(central.addr);
    let id = uuid::Uuid::new_v4();
    write!(
        first,
        "PUT /v1/records/{id} HTTP/1.1\r\nHost: x\r\nContent-Length: 60000\r\n\r\n"
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(300));
    let trickler = std::thread::spawn(move || {
        let _ = closed_within(&mut first, Duration::from_secs(4), &[b'a'; 20]);
    });

    let mut second = tls.stream(central.addr);
    let id = uuid::Uuid::new_v4();
    write!(
        second,
        "PUT /v1/records/{id} HTTP/1.1\r\nHost: x\r\nContent-Length: 60000\r\n\r\n"
    )
    .unwrap();
    let _ = second.write_all(&vec![b'b'; 60000]);
    let answer = read_answer(&mut second);
    assert!(answer.starts_with("HTTP/1.1 503"), "{answer:?}");
    assert!(answer.contains("busy"), "{answer}");
    trickler.join().unwrap();
}

#[test]
fn a_client_over_its_request_rate_gets_429_and_others_do_not() {
    let dir = crate::common::private_tempdir();
    let (central, tls) = start_limited(dir.path(), |l| {
        l.requests_per_second = 1;
        l.request_burst = 3;
    });
    let mut station = tls.stream(central.addr);
    let mut statuses = Vec::new();
    for _ in 0..4 {
        station.write_all(health_request()).unwrap();
        let answer = read_answer(&mut station);
        statuses.push(answer.get(9..12).unwrap_or("").to_owned());
        if answer.starts_with("HTTP/1.1 429") {
            assert!(answer.contains("too-many-requests"), "{answer}");
            assert!(
                answer.to_ascii_lowercase().contains("retry-after: 1"),
                "{answer}"
            );
        }
    }
    assert_eq!(statuses, ["200", "200", "200", "429"]);
    // An anonymous client is counted by its address, apart from the station.
    let mut other = crate::common::anonymous_stream(&tls.ca_pem, central.addr);
    other.write_all(health_request()).unwrap();
    assert!(read_answer(&mut other).starts_with("HTTP/1.1 200"));
    // The bucket refills.
    std::thread::sleep(Duration::from_millis(1100));
    station.write_all(health_request()).unwrap();
    assert!(read_answer(&mut station).starts_with("HTTP/1.1 200"));
}
