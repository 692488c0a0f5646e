//! Holds a running `central serve` under the two floods the limits are for, and says how it
//! fared (scripts/central-abuse.sh runs it against a release build):
//! - `--stalled N` uploads that announce a 32 MiB record, send all of it but the last byte and
//!   stall (half presenting an enrolled station's certificate, half none);
//! - `--slow N` connections that send their headers one byte a second.
//!
//! It samples the central's peak resident memory (`VmHWM` in /proc/PID/status) and prints, for
//! each kind, how many connections the central closed and how long each took.
//!
//! ```text
//! cargo run -p central --example abuse -- --addr 127.0.0.1:8443 --pid PID --data DATA --code CODE
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::{Duration, Instant};

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};

type Stream = rustls::StreamOwned<rustls::ClientConnection, TcpStream>;

struct Args {
    addr: SocketAddr,
    pid: u32,
    ca_pem: String,
    code: String,
    stalled: usize,
    slow: usize,
    body: usize,
    give_up: Duration,
}

fn args() -> Args {
    let mut args = std::env::args().skip(1);
    let mut parsed = Args {
        addr: "127.0.0.1:8443".parse().unwrap(),
        pid: 0,
        ca_pem: String::new(),
        code: String::new(),
        stalled: 200,
        slow: 200,
        body: 32 * 1024 * 1024,
        give_up: Duration::from_secs(60),
    };
    while let Some(flag) = args.next() {
        let value = args
            .next()
            .unwrap_or_else(|| panic!("{flag} needs a value"));
        match flag.as_str() {
            "--addr" => parsed.addr = value.parse().expect("--addr HOST:PORT"),
            "--pid" => parsed.pid = value.parse().expect("--pid N"),
            "--ca" => parsed.ca_pem = std::fs::read_to_string(&value).expect("--ca FILE"),
            "--code" => parsed.code = value,
            "--stalled" => parsed.stalled = value.parse().expect("--stalled N"),
            "--slow" => parsed.slow = value.parse().expect("--slow N"),
            "--body-bytes" => parsed.body = value.parse().expect("--body-bytes N"),
            "--give-up-secs" => {
                parsed.give_up = Duration::from_secs(value.parse().expect("--give-up-secs N"));
            }
            other => panic!("unknown flag {other}"),
        }
    }
    parsed
}

fn provider() -> Arc<rustls::crypto::CryptoProvider> {
    Arc::new(rustls::crypto::ring::default_provider())
}

fn client_config(ca_pem: &str, identity: Option<(&str, &str)>) -> Arc<rustls::ClientConfig> {
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from_pem_slice(ca_pem.as_bytes()).unwrap())
        .unwrap();
    let builder = rustls::ClientConfig::builder_with_provider(provider())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots);
    Arc::new(match identity {
        Some((cert, key)) => builder
            .with_client_auth_cert(
                vec![CertificateDer::from_pem_slice(cert.as_bytes()).unwrap()],
                PrivateKeyDer::from_pem_slice(key.as_bytes()).unwrap(),
            )
            .unwrap(),
        None => builder.with_no_client_auth(),
    })
}

fn connect(addr: SocketAddr, config: &Arc<rustls::ClientConfig>) -> Option<Stream> {
    let tcp = TcpStream::connect(addr).ok()?;
    let connection =
        rustls::ClientConnection::new(Arc::clone(config), ServerName::IpAddress(addr.ip().into()))
            .ok()?;
    Some(rustls::StreamOwned::new(connection, tcp))
}

/// Reads everything the server sends until it closes; the status line if there was one.
fn read_until_closed(stream: &mut Stream, give_up: Instant) -> (bool, String) {
    let _ = stream
        .sock
        .set_read_timeout(Some(Duration::from_millis(500)));
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    while Instant::now() < give_up {
        match stream.read(&mut buf) {
            Ok(0) => return (true, status_line(&seen)),
            Ok(n) => seen.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => return (true, status_line(&seen)),
        }
    }
    (false, status_line(&seen))
}

fn status_line(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes)
        .lines()
        .next()
        .unwrap_or("")
        .to_owned()
}

/// Enrols a station with `code` through the real endpoint; its certificate and key (PEM).
fn enrol(args: &Args) -> (String, String) {
    use ring::signature::KeyPair;
    let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P256_SHA256).unwrap();
    let csr = rcgen::CertificateParams::default()
        .serialize_request(&key)
        .unwrap()
        .pem()
        .unwrap();
    let doc =
        ring::signature::Ed25519KeyPair::generate_pkcs8(&ring::rand::SystemRandom::new()).unwrap();
    let signing = ring::signature::Ed25519KeyPair::from_pkcs8(doc.as_ref()).unwrap();
    let body = serde_json::to_vec(&wire::provisioning::EnrolRequest {
        code: args.code.clone(),
        csr_pem: csr,
        signing_public_key: hex::encode(signing.public_key().as_ref()),
        signing_algorithm: Some(wire::sealed::SignatureAlgorithm::Ed25519),
    })
    .unwrap();
    let mut stream = connect(args.addr, &client_config(&args.ca_pem, None)).expect("connect");
    write!(
        stream,
        "POST {} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        wire::paths::ENROL_ROUTE,
        body.len()
    )
    .unwrap();
    stream.write_all(&body).unwrap();
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer);
    let answer = String::from_utf8_lossy(&answer);
    let json = answer
        .split_once("\r\n\r\n")
        .map(|(_, b)| b)
        .expect("an HTTP answer");
    let enrolled: wire::provisioning::EnrolAnswer =
        serde_json::from_str(json).unwrap_or_else(|e| panic!("enrolment refused ({e}): {answer}"));
    (enrolled.certificate_pem, key.serialize_pem())
}

fn peak_rss_kib(pid: u32) -> Option<(u64, u64)> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<u64>().ok())
    };
    Some((field("VmHWM:")?, field("VmRSS:")?))
}

#[derive(Debug)]
struct Outcome {
    kind: &'static str,
    /// From the moment the client stopped sending (or began trickling) to the close.
    closed_after: Option<Duration>,
    status: String,
}

fn stalled_upload(
    addr: SocketAddr,
    config: Arc<rustls::ClientConfig>,
    kind: &'static str,
    body: usize,
    give_up: Duration,
) -> Outcome {
    let Some(mut stream) = connect(addr, &config) else {
        return Outcome {
            kind,
            closed_after: Some(Duration::ZERO),
            status: "refused at connect".into(),
        };
    };
    let id = uuid::Uuid::new_v4();
    let headers = format!(
        "PUT /v1/records/{id} HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\nContent-Length: {body}\r\n\r\n"
    );
    let started = Instant::now();
    let mut sent_all = stream.write_all(headers.as_bytes()).is_ok();
    // All but the last byte, in 64 KiB writes, stopping when the central stops reading or closes.
    let chunk = vec![b'x'; 64 * 1024];
    let mut left = body.saturating_sub(1);
    let _ = stream.sock.set_write_timeout(Some(Duration::from_secs(2)));
    while sent_all && left > 0 {
        let n = left.min(chunk.len());
        match stream.write_all(&chunk[..n]) {
            Ok(()) => left -= n,
            Err(_) => sent_all = false,
        }
    }
    let (closed, status) = read_until_closed(&mut stream, started + give_up);
    Outcome {
        kind,
        closed_after: closed.then(|| started.elapsed()),
        status,
    }
}

fn slow_headers(addr: SocketAddr, config: Arc<rustls::ClientConfig>, give_up: Duration) -> Outcome {
    let kind = "slow headers";
    let Some(mut stream) = connect(addr, &config) else {
        return Outcome {
            kind,
            closed_after: Some(Duration::ZERO),
            status: "refused at connect".into(),
        };
    };
    let started = Instant::now();
    let line = b"GET /v1/health HTTP/1.1\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let _ = stream.sock.set_read_timeout(Some(Duration::from_secs(1)));
    let mut buf = [0u8; 1024];
    for byte in line.iter().cycle() {
        if started.elapsed() > give_up {
            return Outcome {
                kind,
                closed_after: None,
                status: String::new(),
            };
        }
        if stream
            .write_all(&[*byte])
            .and_then(|()| stream.flush())
            .is_err()
        {
            break;
        }
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                ) => {}
            Err(_) => break,
        }
    }
    Outcome {
        kind,
        closed_after: Some(started.elapsed()),
        status: String::new(),
    }
}

fn main() {
    let args = args();
    let (cert, key) = enrol(&args);
    let station = client_config(&args.ca_pem, Some((&cert, &key)));
    let anonymous = client_config(&args.ca_pem, None);
    let before = peak_rss_kib(args.pid);
    println!(
        "central pid {} before: {:?} (VmHWM, VmRSS KiB)",
        args.pid, before
    );

    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let sampler = {
        let (pid, done) = (args.pid, Arc::clone(&done));
        std::thread::spawn(move || {
            let mut peak = 0;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                if let Some((hwm, _)) = peak_rss_kib(pid) {
                    peak = peak.max(hwm);
                }
                std::thread::sleep(Duration::from_millis(200));
            }
            peak
        })
    };

    let started = Instant::now();
    let mut threads = Vec::new();
    for i in 0..args.stalled {
        let (config, kind) = if i % 2 == 0 {
            (Arc::clone(&station), "stalled upload, station certificate")
        } else {
            (Arc::clone(&anonymous), "stalled upload, no certificate")
        };
        let (addr, body, give_up) = (args.addr, args.body, args.give_up);
        threads.push(
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || stalled_upload(addr, config, kind, body, give_up))
                .unwrap(),
        );
    }
    for i in 0..args.slow {
        let config = if i % 2 == 0 {
            Arc::clone(&station)
        } else {
            Arc::clone(&anonymous)
        };
        let (addr, give_up) = (args.addr, args.give_up);
        threads.push(
            std::thread::Builder::new()
                .stack_size(256 * 1024)
                .spawn(move || slow_headers(addr, config, give_up))
                .unwrap(),
        );
    }
    let outcomes: Vec<Outcome> = threads.into_iter().map(|t| t.join().unwrap()).collect();
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let peak = sampler.join().unwrap();

    println!(
        "{} stalled uploads of {} bytes and {} slow-header connections, {:.1} s",
        args.stalled,
        args.body,
        args.slow,
        started.elapsed().as_secs_f64()
    );
    let mut kinds: Vec<&str> = outcomes.iter().map(|o| o.kind).collect();
    kinds.sort_unstable();
    kinds.dedup();
    for kind in kinds {
        let of_kind: Vec<&Outcome> = outcomes.iter().filter(|o| o.kind == kind).collect();
        let closed: Vec<Duration> = of_kind.iter().filter_map(|o| o.closed_after).collect();
        let longest = closed.iter().max().copied().unwrap_or_default();
        let mut statuses: Vec<String> = of_kind.iter().map(|o| o.status.clone()).collect();
        statuses.sort_unstable();
        statuses.dedup();
        println!(
            "  {kind}: {} of {} closed by the central, the last after {:.1} s; answers {statuses:?}",
            closed.len(),
            of_kind.len(),
            longest.as_secs_f64()
        );
    }
    println!(
        "central peak RSS (VmHWM): {:.1} MB (before the floods: {:.1} MB)",
        peak as f64 / 1024.0,
        before.map_or(0.0, |(hwm, _)| hwm as f64 / 1024.0)
    );
}
