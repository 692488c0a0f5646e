//! Shared by the record/outbox/upload tests: a real central on loopback with a catalogue of
//! validated pre-requests, a station provisioned through the real enrolment-code flow, a
//! fault-injecting TLS proxy and a scripted HTTPS server for answers the real central would never
//! give (both with a certificate from the central's CA, see `tls.rs`).
#![allow(clippy::unwrap_used)]

pub mod tls;

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
    trust::enrol::provision_config,
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
                // At the town hall the test stations are enrolled for: a station sees only its own.
                "appointments": [{"meeting_point": "Mairie du 2e arrondissement de Lyon", "meeting_point_id": "69382-02", "appointment_date": "2026-12-01T09:00:00+01:00", "management_url": "https://rdv.mairie-lyon.example/rendez-vous/1000"}]
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
            token: String::new(),
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
        retention: Default::default(),
        mode: Default::default(),
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
    /// Enrols station `mairie-test-01-p1` with `central` through the enrolment endpoint, then points
    /// it at `url` (the central, or a stand-in in front of it).
    pub fn provision(data_dir: &Path, url: &str, central: &RunningCentral) -> Self {
        Self::provision_as(data_dir, url, central, "mairie-test-01-p1")
    }

    /// As [`Station::provision`], for station `station_id` (re-keyed if enrolled already).
    pub fn provision_as(
        data_dir: &Path,
        url: &str,
        central: &RunningCentral,
        station_id: &str,
    ) -> Self {
        std::fs::create_dir_all(data_dir).unwrap();
        let code = match central.station_revoked(station_id).unwrap() {
            None => central.enrol_station(station_id, "69382-02").unwrap(),
            Some(_) => central.rekey_station(station_id).unwrap(),
        };
        let (mut config, _) = provision_config(
            station_config(data_dir, &central.url(), central),
            &central.ca_file(),
            &code.code,
        )
        .unwrap();
        config.central.url = url.to_owned();
        let config_path = data_dir.join("station.toml");
        std::fs::write(&config_path, config.to_toml()).unwrap();
        let identity = Arc::new(StationIdentity::load_or_create(&config.identity_path()).unwrap());
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
    tls: Arc<rustls::ServerConfig>,
    station_dir: PathBuf,
    pub upstream: Arc<Mutex<SocketAddr>>,
    chooser: Arc<Mutex<Box<dyn FnMut() -> Fault + Send>>>,
    stop: Arc<AtomicBool>,
    pub connections: Arc<AtomicU64>,
}

impl Proxy {
    /// A proxy in front of `central` for the station whose data directory is `station_dir` (it
    /// goes on to the central with that station's certificate, once it is provisioned).
    pub fn start(
        central: &RunningCentral,
        station_dir: &Path,
        chooser: impl FnMut() -> Fault + Send + 'static,
    ) -> Self {
        let upstream = central.addr;
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let proxy = Self {
            addr,
            tls: tls::server_config(central.data_dir()),
            station_dir: station_dir.to_path_buf(),
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
        let (server_tls, station_dir) = (proxy.tls.clone(), proxy.station_dir.clone());
        thread::spawn(move || {
            while !stop.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        connections.fetch_add(1, Ordering::SeqCst);
                        let fault = (chooser.lock().unwrap())();
                        let upstream = *up.lock().unwrap();
                        let server_tls = server_tls.clone();
                        let client_tls = tls::station_client_config(&station_dir);
                        thread::spawn(move || {
                            let _ = client.set_nonblocking(false);
                            serve(client, upstream, fault, &server_tls, client_tls)
                        });
                    }
                    Err(_) => thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        proxy
    }

    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
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

fn serve(
    client: TcpStream,
    upstream: SocketAddr,
    fault: Fault,
    server_tls: &Arc<rustls::ServerConfig>,
    client_tls: Option<Arc<rustls::ClientConfig>>,
) {
    let _ = client.set_nodelay(true);
    let _ = client.set_read_timeout(Some(Duration::from_secs(5)));
    if fault == Fault::Close {
        drop(client);
        return;
    }
    let Some(mut client) = tls::accept(client, server_tls) else {
        return;
    };
    let connect_upstream = || {
        let stream = tls::connect(upstream, client_tls.as_ref()?)?;
        let _ = stream.sock.set_read_timeout(Some(Duration::from_secs(10)));
        Some(stream)
    };
    match fault {
        Fault::Close => {}
        Fault::ServerError => {
            let _ = read_request(&mut client);
            let body = br#"{"error":"unavailable","detail":"maintenance"}"#;
            let head = format!(
                "HTTP/1.1 503 Service Unavailable\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = client.write_all(head.as_bytes());
            let _ = client.write_all(body);
            client.conn.send_close_notify();
            let _ = client.flush();
        }
        Fault::ResetMidBody => {
            let Some(mut up) = connect_upstream() else {
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
            let _ = up.sock.shutdown(std::net::Shutdown::Both);
            let _ = client.sock.shutdown(std::net::Shutdown::Both);
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
            let Some(mut up) = connect_upstream() else {
                return;
            };
            if up.write_all(&rewritten).is_err() {
                return;
            }
            let mut answer = Vec::new();
            let _ = up.read_to_end(&mut answer);
            match fault {
                Fault::DropAnswer => drop(client), // the central has stored it and answered
                Fault::Slow(d) => {
                    thread::sleep(d);
                    let _ = client.write_all(&answer);
                    client.conn.send_close_notify();
                    let _ = client.flush();
                }
                _ => {
                    let _ = client.write_all(&answer);
                    client.conn.send_close_notify();
                    let _ = client.flush();
                }
            }
        }
    }
}

/// Reads one HTTP/1.1 request (head and content-length body) as raw bytes (the caller sets the
/// socket's read timeout).
pub fn read_request(stream: &mut impl Read) -> Option<Vec<u8>> {
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
    /// An HTTPS server with a certificate from the CA of the central whose data directory is
    /// `central_dir` (so a station provisioned with it talks to it as to the central).
    pub fn start(
        central_dir: &Path,
        answer: impl Fn(&[u8]) -> (u16, Vec<u8>) + Send + Sync + 'static,
    ) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        let answer = Arc::new(answer);
        let server_tls = tls::server_config(central_dir);
        thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let answer = answer.clone();
                let server_tls = server_tls.clone();
                thread::spawn(move || {
                    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
                    let Some(mut stream) = tls::accept(stream, &server_tls) else {
                        return;
                    };
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
                    stream.conn.send_close_notify();
                    let _ = stream.flush();
                });
            }
        });
        Self { addr }
    }

    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
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
