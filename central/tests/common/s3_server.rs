//! A real S3-compatible server for the tests: `s3s-fs` from crates.io, an S3 server over a
//! directory (S3's REST protocol parsed by the `s3s` crate: SigV4 signatures checked against its
//! one access key, ETags, conditional requests, ListObjectsV2), run inside the test process on
//! loopback, on a port of its own, its objects in a temporary directory.
//!
//! Object storage is a part the project does not own, so the tests use someone else's server, as a
//! deployment would. Chosen over `moto[server]` (PyPI) and `s3rver` (npm) because it needs nothing
//! installed in CI (a dev-dependency, built with the tests), starts in a millisecond, and can be
//! stopped and started again on the same port from the test, which the bucket-unreachable test
//! needs; `moto` checks no signature unless set up with IAM users, and `s3rver` is unmaintained.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use object_store::ObjectStoreExt;
use object_store::aws::{AmazonS3, AmazonS3Builder};

/// The bucket the test centrals store records in.
pub const BUCKET: &str = "dr-records";
/// The one access key the server accepts.
pub const ACCESS_KEY: &str = "central-test";
/// Its secret.
pub const SECRET_KEY: &str = "central-test-secret";

/// A running (or stopped) S3-compatible server and the directory holding its buckets.
pub struct S3Server {
    root: Arc<tempfile::TempDir>,
    addr: SocketAddr,
    running: Option<Running>,
}

struct Running {
    stop: tokio::sync::oneshot::Sender<()>,
    thread: std::thread::JoinHandle<()>,
}

impl S3Server {
    /// Starts a server on a free loopback port with one empty bucket, [`BUCKET`].
    pub fn start() -> Self {
        let root = Arc::new(tempfile::tempdir().unwrap());
        // s3s-fs keeps each bucket as a directory under its root.
        std::fs::create_dir(root.path().join(BUCKET)).unwrap();
        let (addr, running) = serve(root.path(), "127.0.0.1:0".parse().unwrap());
        Self {
            root,
            addr,
            running: Some(running),
        }
    }

    /// The endpoint URL.
    pub fn endpoint(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A central's settings for [`BUCKET`] on this server.
    pub fn config(&self) -> central::S3Config {
        central::S3Config {
            bucket: BUCKET.into(),
            endpoint: Some(self.endpoint()),
            region: "eu-west-3".into(),
            access_key_id: Some(ACCESS_KEY.into()),
            secret_access_key: Some(SECRET_KEY.into()),
            allow_http: true,
        }
    }

    /// A test central's configuration on `dir` ([`crate::common::config`]) storing its records
    /// in [`BUCKET`] on this server.
    pub fn central_config(&self, dir: &Path) -> central::CentralConfig {
        let mut config = crate::common::config(dir);
        config.object_store = Some(central::ObjectStoreConfig::S3(self.config()));
        config
    }

    /// Stops the server: its listener and every open connection are closed (the bucket's
    /// contents stay on disk for [`Self::restart`]).
    pub fn stop(&mut self) {
        if let Some(running) = self.running.take() {
            let _ = running.stop.send(());
            running.thread.join().unwrap();
        }
    }

    /// Starts the stopped server again, on the same port and with the same buckets.
    pub fn restart(&mut self) {
        assert!(self.running.is_none(), "the server is running");
        let (addr, running) = serve(self.root.path(), self.addr);
        assert_eq!(addr, self.addr);
        self.running = Some(running);
    }

    /// Every object in [`BUCKET`], by name, with its bytes, read back through the S3 protocol
    /// (ListObjectsV2, then GET) by a client of the test's own.
    pub fn objects(&self) -> Vec<(String, Vec<u8>)> {
        let bucket = self.client();
        on_a_runtime(async move {
            use object_store::ObjectStore;
            // Walked level by level (list with a delimiter), so that every object is seen.
            let mut prefixes = vec![None];
            let mut objects = Vec::new();
            while let Some(prefix) = prefixes.pop() {
                let listed = bucket.list_with_delimiter(prefix.as_ref()).await.unwrap();
                prefixes.extend(listed.common_prefixes.into_iter().map(Some));
                for meta in listed.objects {
                    let bytes = bucket
                        .get(&meta.location)
                        .await
                        .unwrap()
                        .bytes()
                        .await
                        .unwrap();
                    objects.push((meta.location.to_string(), bytes.to_vec()));
                }
            }
            objects.sort();
            objects
        })
    }

    fn client(&self) -> AmazonS3 {
        let _ = rustls::crypto::ring::default_provider().install_default();
        AmazonS3Builder::new()
            .with_bucket_name(BUCKET)
            .with_region("eu-west-3")
            .with_endpoint(self.endpoint())
            .with_allow_http(true)
            .with_access_key_id(ACCESS_KEY)
            .with_secret_access_key(SECRET_KEY)
            .build()
            .unwrap()
    }
}

impl Drop for S3Server {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Serves the buckets under `root` on `addr` from a thread and runtime of their own: stopping
/// drops the runtime, and with it the listener and every connection task.
fn serve(root: &Path, addr: SocketAddr) -> (SocketAddr, Running) {
    let root = root.to_owned();
    let (bound_tx, bound_rx) = std::sync::mpsc::channel();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let thread = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async move {
            let service = {
                let mut builder =
                    s3s::service::S3ServiceBuilder::new(s3s_fs::FileSystem::new(&root).unwrap());
                builder.set_auth(s3s::auth::SimpleAuth::from_single(ACCESS_KEY, SECRET_KEY));
                builder.build()
            };
            // tokio binds with SO_REUSEADDR: a restart takes the same port back at once.
            let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
            bound_tx.send(listener.local_addr().unwrap()).unwrap();
            let accept = async {
                loop {
                    let Ok((socket, _)) = listener.accept().await else {
                        continue;
                    };
                    let service = service.clone();
                    tokio::spawn(async move {
                        let _ = hyper::server::conn::http1::Builder::new()
                            .serve_connection(hyper_util::rt::TokioIo::new(socket), service)
                            .await;
                    });
                }
            };
            tokio::select! {
                () = accept => {}
                _ = stopped => {}
            }
        });
    });
    let addr = bound_rx.recv().unwrap();
    (addr, Running { stop, thread })
}

/// Runs `work` to completion on a runtime of its own, on a thread of its own (the caller may be
/// inside a runtime already).
fn on_a_runtime<T: Send + 'static>(work: impl Future<Output = T> + Send + 'static) -> T {
    std::thread::spawn(move || {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(work)
    })
    .join()
    .unwrap()
}
