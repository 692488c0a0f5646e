//! Starting and stopping a central: on its own tokio runtime thread (tests, the station's demo) or
//! on the caller's runtime (the binary).

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::enrolment::{EnrolmentError, IssuedCode};
use crate::intake::Intake;
use crate::keys::{CentralKeys, KeyError, PublicKeys};
use crate::prerequests::{Catalogue, CatalogueError};
use crate::server::{AppState, BODY_TIMEOUT, MAX_RECORD_BYTES, router};
use crate::storage::{Database, DatabaseError, ObjectError, ObjectStoreConfig, RecordStore};
use crate::trust::listener::{TlsSetupError, server_config};
use crate::trust::{AuthorityError, NationalCa};

/// How long a stopping central waits for requests in flight.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// Where the pre-requests come from. There is no default: the demo set is chosen by the demo and
/// the tests ([`CentralConfig::new`]), the `central` binary needs a file.
#[derive(Debug, Clone)]
pub enum PreRequestSource {
    /// The demo set shipped in `central/demo/prerequests.json`.
    Demo,
    /// A JSON file (an array of pre-requests).
    File(PathBuf),
    /// Given directly (tests, benchmarks).
    Given(Catalogue),
}

/// How to run a central.
#[derive(Debug, Clone)]
pub struct CentralConfig {
    /// Address to listen on; port 0 picks a free one.
    pub listen: SocketAddr,
    /// Data directory: keys, database, and (by default) the records.
    pub data_dir: PathBuf,
    /// Pre-requests served.
    pub prerequests: PreRequestSource,
    /// Whether ANTS-style callers (no station certificate) may ask `GET /api/status` with the
    /// `x-rdv-opt-auth-token` header. Stations authenticate with their certificate either way.
    pub ants_status: bool,
    /// The token those callers must send; the central refuses to start with `ants_status` and no
    /// token. There is no default token. When set, a station sending the header must send it too.
    pub ants_token: Option<String>,
    /// Record store; `None` = the local directory `data_dir`.
    pub object_store: Option<ObjectStoreConfig>,
    /// Largest record body accepted.
    pub max_record_bytes: usize,
    /// Longest time a record body may take to arrive (then 408).
    pub body_timeout: std::time::Duration,
    /// Host names and addresses the server certificate names besides loopback, `localhost` and
    /// the listen address (the names stations reach the central by).
    pub tls_names: Vec<String>,
    /// How long a record a station announced may stay undelivered before the station is refused
    /// new pre-requests.
    pub max_missing_age: std::time::Duration,
    /// Connections, timeouts, memory for bodies, request rates.
    pub limits: crate::server::limits::ServerLimits,
    /// The tax stamps the central can check (the demo's for the demo and the tests).
    pub tax_stamps: crate::tax_stamps::StampBook,
    /// Where the state is kept: SQLite in `data_dir` unless a PostgreSQL URL is given.
    pub database: crate::storage::DatabaseChoice,
}

impl CentralConfig {
    /// For the demo and the tests: loopback on a free port, the demo pre-requests, no ANTS-style
    /// interface, records under `data_dir`.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.into(),
            prerequests: PreRequestSource::Demo,
            ants_status: false,
            ants_token: None,
            object_store: None,
            max_record_bytes: MAX_RECORD_BYTES,
            body_timeout: BODY_TIMEOUT,
            tls_names: Vec::new(),
            max_missing_age: crate::announcements::DEFAULT_MAX_MISSING_AGE,
            limits: crate::server::limits::ServerLimits::default(),
            tax_stamps: crate::tax_stamps::StampBook::demo().unwrap_or_default(),
            database: crate::storage::DatabaseChoice::Sqlite,
        }
    }

    /// Every name the server certificate is issued for.
    pub fn server_names(&self) -> Vec<String> {
        let mut names = vec![
            "localhost".to_owned(),
            "127.0.0.1".to_owned(),
            "::1".to_owned(),
        ];
        if !self.listen.ip().is_unspecified() {
            names.push(self.listen.ip().to_string());
        }
        names.extend(self.tls_names.iter().cloned());
        names.sort();
        names.dedup();
        names
    }
}

/// Why a central could not start.
#[derive(Debug, thiserror::Error)]
pub enum CentralError {
    /// The data directory could not be created.
    #[error("data directory {0}: {1}")]
    DataDir(PathBuf, std::io::Error),
    /// Keys.
    #[error(transparent)]
    Keys(#[from] KeyError),
    /// Database.
    #[error(transparent)]
    Database(#[from] DatabaseError),
    /// Record store.
    #[error(transparent)]
    Store(#[from] ObjectError),
    /// Pre-requests.
    #[error(transparent)]
    PreRequests(#[from] CatalogueError),
    /// The national CA or the server certificate.
    #[error(transparent)]
    Authority(#[from] AuthorityError),
    /// The TLS configuration.
    #[error(transparent)]
    Tls(#[from] TlsSetupError),
    /// Enrolment of a station.
    #[error(transparent)]
    Enrolment(#[from] EnrolmentError),
    /// The ANTS-style status interface is enabled without a token.
    #[error(
        "the ANTS-style status interface is enabled but no token is configured: give one (there is no default)"
    )]
    AntsTokenMissing,
    /// An entry of the data directory is readable by others than the central's user.
    #[error(transparent)]
    Privacy(#[from] crate::storage::private::PrivacyError),
    /// Listening socket or runtime.
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
}

/// Entry points.
#[derive(Debug)]
pub struct Central;

struct Prepared {
    state: Arc<AppState>,
    limits: crate::server::limits::ServerLimits,
    keys: Arc<CentralKeys>,
    tls: Arc<rustls::ServerConfig>,
}

/// The token ANTS-style callers must send, `None` when that interface is off.
fn ants_token(config: &CentralConfig) -> Result<Option<String>, CentralError> {
    let token = config
        .ants_token
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty());
    match (config.ants_status, token) {
        (true, None) => Err(CentralError::AntsTokenMissing),
        (_, token) => Ok(token.map(str::to_owned)),
    }
}

/// The listening socket, its address and the runtime that serves it (two worker threads, named
/// after the central), as both the HTTPS server and the bench's plain one need them.
fn listen(
    config: &CentralConfig,
) -> Result<(std::net::TcpListener, SocketAddr, tokio::runtime::Runtime), CentralError> {
    let listener = std::net::TcpListener::bind(config.listen)?;
    listener.set_nonblocking(true)?;
    let addr = listener.local_addr()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("central")
        .enable_all()
        .build()?;
    Ok((listener, addr, runtime))
}

fn prepare(config: &CentralConfig) -> Result<Prepared, CentralError> {
    let ants_token = ants_token(config)?;
    crate::storage::private::create_dir(&config.data_dir)
        .map_err(|e| CentralError::DataDir(config.data_dir.clone(), e))?;
    // Before anything is opened: a loose mode is refused with the entry named, not fixed silently.
    crate::storage::private::check_tree(&config.data_dir)?;
    let keys = Arc::new(CentralKeys::load_or_create(&config.data_dir)?);
    let ca = Arc::new(NationalCa::load_or_create(&config.data_dir)?);
    // Issued again at every start, so that it names the address the central listens on now; the
    // stations trust the CA, not this certificate.
    let (cert_pem, key_pem) = ca.issue_server(&config.data_dir, &config.server_names())?;
    let tls = server_config(&ca, &cert_pem, &key_pem)?;
    let db = Arc::new(Database::open_with(&config.data_dir, &config.database)?);
    let store_config = config
        .object_store
        .clone()
        .unwrap_or_else(|| ObjectStoreConfig::Local(config.data_dir.clone()));
    let store = RecordStore::open(&store_config)?;
    let catalogue = Arc::new(match &config.prerequests {
        PreRequestSource::Demo => Catalogue::demo()?,
        PreRequestSource::File(path) => Catalogue::from_file(path)?,
        PreRequestSource::Given(c) => c.clone(),
    });
    let templates = Arc::new(crate::templates::TemplateStore::open_beside(
        Arc::clone(&db),
        &config.data_dir,
    )?);
    let prints = Arc::new(crate::prints::PrintsSchedule::open_beside(
        &db,
        &config.data_dir,
    )?);
    let tax_stamps = Arc::new(config.tax_stamps.clone());
    let intake = Arc::new(
        Intake::new(
            Arc::clone(&keys),
            Arc::clone(&db),
            store,
            Arc::clone(&catalogue),
        )
        .keep_templates(Arc::clone(&templates))
        .schedule_prints(Arc::clone(&prints))
        .check_tax_stamps(Arc::clone(&tax_stamps)),
    );
    let handover_attempts = Arc::new(crate::handover::AttemptLog::open_beside(
        &db,
        &config.data_dir,
    )?);
    let state = Arc::new(AppState {
        intake,
        db,
        catalogue,
        ants_status: config.ants_status,
        ants_token,
        max_missing_age: config.max_missing_age,
        max_record_bytes: config.max_record_bytes,
        body_timeout: config.body_timeout,
        body_budget: crate::server::budget::BodyBudget::new(
            config.limits.body_memory_budget,
            config.limits.body_idle_timeout,
        ),
        templates,
        prints,
        ca,
        keys: Arc::clone(&keys),
        handover_attempts,
        tax_stamps,
    });
    Ok(Prepared {
        state,
        limits: config.limits.clone(),
        keys,
        tls,
    })
}

impl Central {
    /// Serves on the current tokio runtime until `shutdown` completes.
    pub async fn serve(
        config: CentralConfig,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> Result<(), CentralError> {
        let prepared = prepare(&config)?;
        let listener = tokio::net::TcpListener::bind(config.listen).await?;
        tracing::info!(listen = %listener.local_addr()?, data = %config.data_dir.display(),
            pre_requests = prepared.state.catalogue.len(), "central listening (HTTPS, mutual TLS)");
        crate::trust::listener::serve(
            listener,
            prepared.tls,
            router(prepared.state),
            shutdown,
            SHUTDOWN_GRACE,
            &prepared.limits,
        )
        .await;
        Ok(())
    }

    /// Starts a central on its own runtime thread; it stops when the handle is stopped or dropped.
    pub fn start(config: CentralConfig) -> Result<RunningCentral, CentralError> {
        let prepared = prepare(&config)?;
        let (listener, addr, runtime) = listen(&config)?;
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let state = Arc::clone(&prepared.state);
        let tls = Arc::clone(&prepared.tls);
        let limits = prepared.limits.clone();
        let thread = std::thread::Builder::new()
            .name("central".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let listener = match tokio::net::TcpListener::from_std(listener) {
                        Ok(l) => l,
                        Err(e) => {
                            tracing::error!(error = %e, "central could not adopt its socket");
                            return;
                        }
                    };
                    crate::trust::listener::serve(
                        listener,
                        tls,
                        router(state),
                        async move {
                            let _ = stop_rx.await;
                        },
                        SHUTDOWN_GRACE,
                        &limits,
                    )
                    .await;
                });
                // Do not wait for lingering connections' tasks once the server loop ended.
                runtime.shutdown_timeout(std::time::Duration::from_secs(1));
            })?;
        tracing::info!(listen = %addr, data = %config.data_dir.display(), "central started");
        Ok(RunningCentral {
            addr,
            data_dir: config.data_dir,
            public: prepared.keys.public().clone(),
            db: Arc::clone(&prepared.state.db),
            ca: Arc::clone(&prepared.state.ca),
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }
}

#[cfg(feature = "bench-plain")]
impl Central {
    /// Bench only: the same service over plain HTTP on its own runtime thread, every request taken
    /// as coming over the client certificate `peer_der` (DER) of an enrolled station.
    pub fn start_plain_for_bench(
        config: CentralConfig,
        peer_der: Vec<u8>,
    ) -> Result<RunningCentral, CentralError> {
        let prepared = prepare(&config)?;
        let (listener, addr, runtime) = listen(&config)?;
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let state = Arc::clone(&prepared.state);
        let peer = crate::trust::PeerCertificate {
            fingerprint: crate::trust::authority::fingerprint(&peer_der),
            der: Arc::new(peer_der),
        };
        let thread = std::thread::Builder::new()
            .name("central-plain".into())
            .spawn(move || {
                runtime.block_on(async move {
                    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else {
                        return;
                    };
                    crate::trust::listener::serve_plain_for_bench(
                        listener,
                        router(state),
                        peer,
                        async move {
                            let _ = stop_rx.await;
                        },
                    )
                    .await;
                });
                runtime.shutdown_timeout(std::time::Duration::from_secs(1));
            })?;
        Ok(RunningCentral {
            addr,
            data_dir: config.data_dir,
            public: prepared.keys.public().clone(),
            db: Arc::clone(&prepared.state.db),
            ca: Arc::clone(&prepared.state.ca),
            stop: Some(stop_tx),
            thread: Some(thread),
        })
    }
}

/// A central running on its own thread.
#[derive(Debug)]
pub struct RunningCentral {
    /// Where it listens.
    pub addr: SocketAddr,
    data_dir: PathBuf,
    public: PublicKeys,
    db: Arc<Database>,
    ca: Arc<NationalCa>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningCentral {
    /// Base URL, e.g. `https://127.0.0.1:43125`.
    pub fn url(&self) -> String {
        format!("https://{}", self.addr)
    }

    /// The national CA certificate (PEM) a station is provisioned with.
    pub fn ca_pem(&self) -> &str {
        self.ca.cert_pem()
    }

    /// The central's public keys (what a station is provisioned with).
    pub fn public_keys(&self) -> &PublicKeys {
        &self.public
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The national CA certificate's file (PEM), as a technician hands it to a station.
    pub fn ca_file(&self) -> PathBuf {
        self.data_dir
            .join("keys")
            .join(crate::trust::authority::CA_CERT_FILE)
    }

    /// Whether a station is enrolled (`Some(false)`), revoked (`Some(true)`) or unknown (`None`).
    pub fn station_revoked(&self, station_id: &str) -> Result<Option<bool>, DatabaseError> {
        self.db.station_revoked(station_id)
    }

    /// A one-time code enrolling station `station_id` of `town_hall` (valid 24 hours).
    pub fn enrol_station(
        &self,
        station_id: &str,
        town_hall: &str,
    ) -> Result<IssuedCode, EnrolmentError> {
        crate::enrolment::enrol(
            &self.db,
            station_id,
            town_hall,
            crate::enrolment::DEFAULT_CODE_HOURS,
        )
    }

    /// A one-time code giving an enrolled station a new certificate.
    pub fn rekey_station(&self, station_id: &str) -> Result<IssuedCode, EnrolmentError> {
        crate::enrolment::rekey(
            &self.db,
            station_id,
            None,
            crate::enrolment::DEFAULT_CODE_HOURS,
        )
    }

    /// Revokes a station; takes effect for the next request.
    pub fn revoke_station(&self, station_id: &str) -> Result<(), EnrolmentError> {
        crate::enrolment::revoke(&self.db, station_id)
    }

    /// How many receipts this central has issued (all time, from its database).
    pub fn receipt_count(&self) -> Result<u64, DatabaseError> {
        self.db.receipt_count()
    }

    /// The paper form kept for a record taken without a pre-request (JSON), if it was one.
    pub fn paper_form(&self, record_id: &str) -> Result<Option<String>, DatabaseError> {
        self.db.paper_form(record_id)
    }

    /// How many pre-requests are marked consumed.
    pub fn consumed_count(&self) -> Result<u64, DatabaseError> {
        self.db.consumed_count()
    }

    /// Stops the server and waits for its thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::error!("central thread panicked");
        }
    }
}

impl Drop for RunningCentral {
    fn drop(&mut self) {
        self.shutdown();
    }
}
