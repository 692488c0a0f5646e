//! Shared by the record/outbox/upload tests: a real central on loopback with a catalogue of
//! validated pre-requests, a provisioned station, a fault-injecting TCP proxy and a scripted HTTP
//! server for answers the real central would never give.
#![allow(clippy::unwrap_used)]

use std::{
    io::{Read, Write},
    net::{SocketAddr, TcpListener, TcpStream},
    path::{Path, PathBuf},
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    thread,
    time::{Duration, Instant},
};

use central::{Catalogue, Central, CentralConfig, PreRequestSource, RunningCentral};
use station::{
    config::{CentralSettings, StationConfig},
    outbox::{FreezeLimits, Outbox},
    seal::{SealedRecord, Sealer, StationIdentity, now_rfc3339},
    uplink::{HttpSettings, UploaderSettings},
};
use station_demo::sample_record::sample_payload;

/// `count` validated pre-requests numbered `{prefix}{index}` (10 characters).
pub fn catalogue(prefix: &str, count: u64) -> Catalogue {
    let width = 10 - prefix.len();
    let items: Vec<serde_json::Value> = (0..count)
        .map(|i| {
            serde_json::json!({
                "number": format!("{prefix}{i:0width$}"),
                "status": "validated",
                "document_type": "cni",
                "reason": "first",
                "applicant": {
                    "surname": "Lefèvre", "given_names": "Hélène", "birth_date": "1984-03-12",
                    "birth_place": "Lyon (69)", "sex": "F", "address": "14 rue de la République, 69002 Lyon",
                    "parents": []
                },
                "appointments": []
            })
        })
        .collect();
    Catalogue::from_json(&serde_json::Value::Array(items).to_string()).expect("catalogue")
}

/// The receipt `central` would sign for `record`, signed with its own receipt key (read from its
/// data directory): what the outbox needs as proof before it purges.
pub fn central_receipt(
    central: &RunningCentral,
    record: &SealedRecord,
) -> station::uplink::receipt::Receipt {
    let p8 = std::fs::read(
        central
            .data_dir()
            .join("keys")
            .join(central::keys::RECEIPT_KEY_FILE),
    )
    .unwrap();
    let key = ring::signature::Ed25519KeyPair::from_pkcs8_maybe_unchecked(&p8).unwrap();
    let mut receipt = station::uplink::receipt::Receipt {
        record_id: record.record_id.to_string(),
        sha256: record.sha256_hex(),
        received_at: "2026-11-27T10:45:00Z".into(),
        signature: String::new(),
    };
    receipt.signature = hex::encode(key.sign(receipt.canonical_string().as_bytes()));
    receipt
}

/// Starts a central on loopback in `dir` with `count` pre-requests `{prefix}…`.
pub fn start_central(dir: &Path, prefix: &str, count: u64) -> RunningCentral {
    let mut config = CentralConfig::new(dir);
    config.prerequests = PreRequestSource::Given(catalogue(prefix, count));
    Central::start(config).expect("central starts")
}

/// A station configuration pointing at `url`, provisioned with `central`'s keys, quick retries.
pub fn station_config(data_dir: &Path, url: &str, central: &RunningCentral) -> StationConfig {
    let keys = central.public_keys();
    StationConfig {
        data_dir: data_dir.to_path_buf(),
        station_id: "mairie-test-01-p1".into(),
        identity: Default::default(),
        central: CentralSettings {
            url: url.into(),
            token: "demo-token".into(),
            record_public_key: hex::encode(keys.record_public_key),
            receipt_public_key: hex::encode(keys.receipt_public_key),
        },
        freeze: FreezeLimits::default(),
        uploader: UploaderSettings {
            concurrency: 2,
            initial_backoff_ms: 20,
            max_backoff_ms: 300,
            idle_poll_ms: 20,
        },
        http: HttpSettings {
            connect_timeout_ms: 500,
            lookup_timeout_ms: 1_000,
            upload_timeout_ms: 2_000,
        },
        devices: station::config::DeviceSettings::default(),
        counter: station::config::CounterSettings::default(),
        ui: station::config::UiSettings::default(),
        technician: station::config::TechnicianSettings::default(),
        printer: Default::default(),
        file: None,
        development: true,
    }
}

/// A station: its configuration (written to `station.toml`), identity registered with the central.
pub struct Station {
    pub config: StationConfig,
    pub config_path: PathBuf,
    pub sealer: Sealer,
    /// The development file key the sealer signs with (Ed25519).
    pub identity: Arc<StationIdentity>,
}

impl Station {
    pub fn provision(data_dir: &Path, url: &str, central: &RunningCentral) -> Self {
        std::fs::create_dir_all(data_dir).unwrap();
        let config = station_config(data_dir, url, central);
        let config_path = data_dir.join("station.toml");
        std::fs::write(&config_path, config.to_toml()).unwrap();
        let identity = Arc::new(StationIdentity::load_or_create(&config.identity_path()).unwrap());
        central
            .register_station(&config.station_id, identity.public_key())
            .unwrap();
        let sealer = Sealer {
            signer: identity.clone(),
            central: config.central_keys().unwrap(),
            station_id: config.station_id.clone(),
        };
        Self {
            config,
            config_path,
            sealer,
            identity,
        }
    }

    pub fn outbox(&self) -> Arc<Outbox> {
        Arc::new(Outbox::open(&self.config.outbox_path()).unwrap())
    }

    /// Seals the sample record number `index` for pre-request `{prefix}{index}`.
    pub fn seal_sample(&self, prefix: &str, index: u64) -> SealedRecord {
        let number = format!("{prefix}{index:0width$}", width = 10 - prefix.len());
        let id = uuid::Uuid::new_v4().to_string();
        let payload = sample_payload(
            &id,
            &self.config.station_id,
            &number,
            &now_rfc3339(),
            index,
            true,
        )
        .unwrap();
        self.sealer.seal(&payload).unwrap()
    }
}

/// Waits until `done` holds or `timeout` passes.
pub fn wait_until(timeout: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < timeout {
        if done() {
            return true;
        }
        thread::sleep(Duration::from_millis(20));
    }
    done()
}

/// What the proxy does with a new connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Pass bytes both ways.
    Forward,
    /// Close at once (central down / connection refused-like).
    Close,
    /// Forward part of the request body, then cut both sides.
    ResetMidBody,
    /// Answer 503 without asking the central.
    ServerError,
    /// Forward, but hold the answer back for this long first.
    Slow(Duration),
    /// Forward the request, let the central answer, drop the answer: the central has the record and
    /// the station will deliver it again.
    DropAnswer,
}

/// A loopback TCP proxy in front of the central that injects faults per connection.
pub struct Proxy {
    pub addr: SocketAddr,
    pub upstream: Arc<Mutex<SocketAddr>>,
    chooser: Arc<Mutex<Box<dyn FnMut() -> Fault + Send>>>,
    stop: Arc<AtomicBool>,
    pub connections: Arc<AtomicU64>,
}

impl Proxy {
    pub fn start(upstream: SocketAddr, chooser: impl FnMut() -> Fault + Send + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let proxy = Self {
            addr,
            upstream: Arc::new(Mutex::new(upstream)),
            chooser: Arc::new(Mutex::new(Box::new(chooser))),
            stop: Arc::new(AtomicBool::new(false)),
            connections: Arc::new(AtomicU64::new(0)),
        };
        let (up, chooser, stop, connections) = (
            proxy.upstream.clone(),
            proxy.chooser.clone(),
            proxy.stop.clone(),
            proxy.connections.clone(),
        );
        thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        connections.fetch_add(1, Ordering::SeqCst);
                        let fault = (chooser.lock().unwrap())();
                        let upstream = *up.lock().unwrap();
                        thread::spawn(move || serve(client, upstream, fault));
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        proxy
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn set_chooser(&self, chooser: impl FnMut() -> Fault + Send + 'static) {
        *self.chooser.lock().unwrap() = Box::new(chooser);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

fn serve(mut client: TcpStream, upstream: SocketAddr, fault: Fault) {
    let _ = client.set_nodelay(true);
    match fault {
        Fault::Close => drop(client),
        Fault::ServerError => {
            let _ = read_request(&mut client);
            let body = br#"{"error":"unavailable","detail":"maintenance"}"#;
            let head = format!(
                "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = client.write_all(head.as_bytes());
            let _ = client.write_all(body);
        }
        Fault::ResetMidBody => {
            let Ok(mut up) = TcpStream::connect(upstream) else {
                return;
            };
            let mut buf = [0u8; 4096];
            let mut sent = 0;
            // Let the head and part of the body through, then cut.
            while sent < 2048 {
                match client.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let n = n.min(2048 - sent + 1);
                        if up.write_all(&buf[..n]).is_err() {
                            break;
                        }
                        sent += n;
                    }
                }
            }
            let _ = up.shutdown(std::net::Shutdown::Both);
            let _ = client.shutdown(std::net::Shutdown::Both);
        }
        Fault::Forward | Fault::Slow(_) | Fault::DropAnswer => {
            // One request per connection (`connection: close`), so every request meets a fault draw.
            let Some(request) = read_request(&mut client) else {
                return;
            };
            let Some(line_end) = request.windows(2).position(|w| w == b"\r\n") else {
                return;
            };
            let mut rewritten = request[..line_end + 2].to_vec();
            rewritten.extend_from_slice(b"connection: close\r\n");
            rewritten.extend_from_slice(&request[line_end + 2..]);
            let Ok(mut up) = TcpStream::connect(upstream) else {
                return;
            };
            if up.write_all(&rewritten).is_err() {
                return;
            }
            let _ = up.set_read_timeout(Some(Duration::from_secs(10)));
            let mut answer = Vec::new();
            let _ = up.read_to_end(&mut answer);
            match fault {
                Fault::DropAnswer => drop(client), // the central has stored it and answered
                Fault::Slow(d) => {
                    thread::sleep(d);
                    let _ = client.write_all(&answer);
                }
                _ => {
                    let _ = client.write_all(&answer);
                }
            }
        }
    }
}

/// Reads one HTTP/1.1 request (head and content-length body) as raw bytes.
pub fn read_request(stream: &mut TcpStream) -> Option<Vec<u8>> {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut data = Vec::new();
    let mut buf = [0u8; 16 * 1024];
    loop {
        let n = stream.read(&mut buf).ok()?;
        if n == 0 {
            return None;
        }
        data.extend_from_slice(&buf[..n]);
        if let Some(end) = data.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&data[..end]).to_lowercase();
            let len = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(0);
            while data.len() < end + 4 + len {
                let n = stream.read(&mut buf).ok()?;
                if n == 0 {
                    return None;
                }
                data.extend_from_slice(&buf[..n]);
            }
            return Some(data);
        }
    }
}

/// A scripted HTTP server: `answer(request bytes)` returns (status, body) for each request.
pub struct ScriptedServer {
    pub addr: SocketAddr,
}

impl ScriptedServer {
    pub fn start(answer: impl Fn(&[u8]) -> (u16, Vec<u8>) + Send + Sync + 'static) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let answer = Arc::new(answer);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let answer = answer.clone();
                thread::spawn(move || {
                    let Some(request) = read_request(&mut stream) else {
                        return;
                    };
                    let (status, body) = answer(&request);
                    let head = format!(
                        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                        body.len()
                    );
                    let _ = stream.write_all(head.as_bytes());
                    let _ = stream.write_all(&body);
                });
            }
        });
        Self { addr }
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// The record id in a `PUT /v1/records/{id}` request.
pub fn record_id_of(request: &[u8]) -> String {
    let line = String::from_utf8_lossy(&request[..request.len().min(200)]).into_owned();
    line.split_whitespace()
        .nth(1)
        .and_then(|p| p.rsplit('/').next())
        .unwrap_or_default()
        .to_owned()
}

/// The central's stored copy of a record.
pub fn stored_record(central_dir: &Path, record_id: &str) -> Option<Vec<u8>> {
    std::fs::read(
        central_dir
            .join("records")
            .join(format!("{record_id}.drrec")),
    )
    .ok()
}
