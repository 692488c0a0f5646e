//! Starting and stopping a central: on its own tokio runtime thread (tests, the station's demo) or
//! on the caller's runtime (the binary).

use std::future::Future;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::intake::Intake;
use crate::keys::{CentralKeys, KeyError, PublicKeys};
use crate::prerequests::{Catalogue, CatalogueError};
use crate::server::{AppState, BODY_TIMEOUT, MAX_RECORD_BYTES, router};
use crate::stations::StationError;
use crate::storage::{Database, DatabaseError, ObjectError, ObjectStoreConfig, RecordStore};

/// How long a stopping central waits for requests in flight.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);

/// The demo token (docs/central-api.md, "Running it").
pub const DEMO_TOKEN: &str = "demo-token";

/// Where the pre-requests come from.
#[derive(Debug, Clone, Default)]
pub enum PreRequestSource {
    /// The demo set shipped in `central/demo/prerequests.json`.
    #[default]
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
    /// Token expected in `x-rdv-opt-auth-token`.
    pub token: String,
    /// Record store; `None` = the local directory `data_dir`.
    pub object_store: Option<ObjectStoreConfig>,
    /// Largest record body accepted.
    pub max_record_bytes: usize,
    /// Longest time a record body may take to arrive (then 408).
    pub body_timeout: std::time::Duration,
}

impl CentralConfig {
    /// Loopback on a free port, demo pre-requests, demo token, records under `data_dir`.
    pub fn new(data_dir: impl Into<PathBuf>) -> Self {
        Self {
            listen: SocketAddr::from(([127, 0, 0, 1], 0)),
            data_dir: data_dir.into(),
            prerequests: PreRequestSource::Demo,
            token: DEMO_TOKEN.to_owned(),
            object_store: None,
            max_record_bytes: MAX_RECORD_BYTES,
            body_timeout: BODY_TIMEOUT,
        }
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
    /// Station registration.
    #[error(transparent)]
    Station(#[from] StationError),
    /// Listening socket or runtime.
    #[error("network: {0}")]
    Io(#[from] std::io::Error),
}

/// Entry points.
#[derive(Debug)]
pub struct Central;

struct Prepared {
    state: Arc<AppState>,
    keys: Arc<CentralKeys>,
}

fn prepare(config: &CentralConfig) -> Result<Prepared, CentralError> {
    std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| CentralError::DataDir(config.data_dir.clone(), e))?;
    let keys = Arc::new(CentralKeys::load_or_create(&config.data_dir)?);
    let db = Arc::new(Database::open(&config.data_dir)?);
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
    let templates = Arc::new(crate::templates::TemplateStore::open(&config.data_dir)?);
    let intake = Arc::new(
        Intake::new(
            Arc::clone(&keys),
            Arc::clone(&db),
            store,
            Arc::clone(&catalogue),
        )
        .keep_templates(Arc::clone(&templates)),
    );
    let state = Arc::new(AppState {
        intake,
        db,
        catalogue,
        token: config.token.clone(),
        max_record_bytes: config.max_record_bytes,
        body_timeout: config.body_timeout,
        templates,
        keys: Arc::clone(&keys),
        handover_attempts: Arc::new(crate::handover::AttemptLog::open(&config.data_dir)?),
    });
    Ok(Prepared { state, keys })
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
            pre_requests = prepared.state.catalogue.len(), "central listening");
        axum::serve(listener, router(prepared.state))
            .with_graceful_shutdown(shutdown)
            .await?;
        Ok(())
    }

    /// Starts a central on its own runtime thread; it stops when the handle is stopped or dropped.
    pub fn start(config: CentralConfig) -> Result<RunningCentral, CentralError> {
        let prepared = prepare(&config)?;
        let listener = std::net::TcpListener::bind(config.listen)?;
        listener.set_nonblocking(true)?;
        let addr = listener.local_addr()?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("central")
            .enable_all()
            .build()?;
        let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
        let state = Arc::clone(&prepared.state);
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
                    let (graceful_tx, graceful_rx) = tokio::sync::oneshot::channel::<()>();
                    let server =
                        axum::serve(listener, router(state)).with_graceful_shutdown(async move {
                            let _ = graceful_rx.await;
                        });
                    let mut server = std::pin::pin!(server.into_future());
                    let served = tokio::select! {
                        served = &mut server => served,
                        _ = stop_rx => {
                            // Finish the requests in flight, but do not wait on a stalled client.
                            let _ = graceful_tx.send(());
                            match tokio::time::timeout(SHUTDOWN_GRACE, &mut server).await {
                                Ok(served) => served,
                                Err(_) => {
                                    tracing::warn!("central stopped with connections still open");
                                    Ok(())
                                }
                            }
                        }
                    };
                    if let Err(e) = served {
                        tracing::error!(error = %e, "central server stopped with an error");
                    }
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
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl RunningCentral {
    /// Base URL, e.g. `http://127.0.0.1:43125`.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The central's public keys (what a station is provisioned with).
    pub fn public_keys(&self) -> &PublicKeys {
        &self.public
    }

    /// The data directory.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// Registers (or re-keys) a station; takes effect for the next request. A raw 32-byte key is
    /// Ed25519.
    pub fn register_station(
        &self,
        station_id: &str,
        public_key: impl Into<crate::stations::StationPublicKey>,
    ) -> Result<(), StationError> {
        crate::stations::register(&self.db, station_id, public_key)
    }

    /// How many receipts this central has issued (all time, from its database).
    pub fn receipt_count(&self) -> Result<u64, DatabaseError> {
        self.db.receipt_count()
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
