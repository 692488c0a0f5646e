//! Where sealed records go: one object per record, `records/{record_id}.drrec`, holding exactly the
//! bytes received: in the data directory ([`LocalRecords`], private files) or, through
//! `object_store`, in an S3-compatible bucket.

use std::path::PathBuf;
use std::sync::Arc;

use bytes::Bytes;
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};

use super::local_records::LocalRecords;

/// Where the record objects are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectStoreConfig {
    /// A directory on the local filesystem (writes are fsynced before a receipt is issued).
    Local(PathBuf),
    /// An S3-compatible bucket (needs the `s3` cargo feature).
    S3(S3Config),
}

/// Settings of an S3-compatible bucket.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct S3Config {
    /// Bucket name.
    pub bucket: String,
    /// Endpoint URL, e.g. `http://127.0.0.1:9000` for MinIO; `None` for AWS itself.
    pub endpoint: Option<String>,
    /// Region (any value for most S3-compatible services).
    pub region: String,
    /// Access key id; `None` to take it from the environment (`AWS_ACCESS_KEY_ID`).
    pub access_key_id: Option<String>,
    /// Secret access key; `None` to take it from the environment (`AWS_SECRET_ACCESS_KEY`).
    pub secret_access_key: Option<String>,
    /// Allow plain `http://` endpoints (a test MinIO on loopback).
    pub allow_http: bool,
}

/// A failure of the record store.
#[derive(Debug, thiserror::Error)]
pub enum ObjectError {
    /// The store reported an error.
    #[error("record store: {0}")]
    Store(#[from] object_store::Error),
    /// The local directory could not be created.
    #[error("record store directory {path}: {source}")]
    Directory {
        /// The directory.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A local record file could not be written or read.
    #[error("record store: {0}")]
    Local(std::io::Error),
    /// S3 was configured but this build has no S3 support.
    #[error("this central was built without S3 support (cargo feature `s3`)")]
    S3NotBuilt,
}

/// The store sealed records are written to.
#[derive(Debug, Clone)]
pub struct RecordStore {
    store: Store,
}

#[derive(Debug, Clone)]
enum Store {
    Local(LocalRecords),
    Remote(Arc<dyn ObjectStore>),
}

/// The object name of a record.
pub fn record_object_name(record_id: &str) -> String {
    format!("records/{record_id}.drrec")
}

impl RecordStore {
    /// Opens the configured store.
    pub fn open(config: &ObjectStoreConfig) -> Result<Self, ObjectError> {
        let store = match config {
            ObjectStoreConfig::Local(dir) => Store::Local(LocalRecords::open(dir).map_err(
                |source| ObjectError::Directory {
                    path: dir.join("records"),
                    source,
                },
            )?),
            ObjectStoreConfig::S3(s3) => Store::Remote(open_s3(s3)?),
        };
        Ok(Self { store })
    }

    /// Stores a record's bytes (replacing an object left by an attempt that got no receipt).
    pub async fn put(&self, record_id: &str, bytes: Bytes) -> Result<(), ObjectError> {
        let store = match &self.store {
            Store::Local(local) => {
                let (local, id) = (local.clone(), record_id.to_owned());
                return tokio::task::spawn_blocking(move || local.put(&id, &bytes))
                    .await
                    .map_err(|e| ObjectError::Local(std::io::Error::other(e)))?
                    .map_err(ObjectError::Local);
            }
            Store::Remote(store) => store,
        };
        store
            .put(
                &ObjectPath::from(record_object_name(record_id)),
                PutPayload::from(bytes),
            )
            .await?;
        Ok(())
    }

    /// Removes a record's object, if present: the one stored for a record that was then refused,
    /// which has no receipt and will never have one.
    pub async fn remove(&self, record_id: &str) -> Result<(), ObjectError> {
        let store = match &self.store {
            Store::Local(local) => {
                let (local, id) = (local.clone(), record_id.to_owned());
                return tokio::task::spawn_blocking(move || local.remove(&id))
                    .await
                    .map_err(|e| ObjectError::Local(std::io::Error::other(e)))?
                    .map_err(ObjectError::Local);
            }
            Store::Remote(store) => store,
        };
        match store
            .delete(&ObjectPath::from(record_object_name(record_id)))
            .await
        {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(e.into()),
        }
    }

    /// The stored bytes of a record, if present.
    pub async fn get(&self, record_id: &str) -> Result<Option<Bytes>, ObjectError> {
        let store = match &self.store {
            Store::Local(local) => {
                let (local, id) = (local.clone(), record_id.to_owned());
                return tokio::task::spawn_blocking(move || local.get(&id))
                    .await
                    .map_err(|e| ObjectError::Local(std::io::Error::other(e)))?
                    .map_err(ObjectError::Local);
            }
            Store::Remote(store) => store,
        };
        match store
            .get(&ObjectPath::from(record_object_name(record_id)))
            .await
        {
            Ok(found) => Ok(Some(found.bytes().await?)),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

/// How long the central keeps trying an unreachable bucket. object_store's default (10 retries
/// over up to 3 minutes, about a minute for a refused connection) outlasts the station's 30 s
/// upload timeout, and holds the record's lock while the station has given up; a station whose
/// upload failed keeps the record and sends it again, so a quick `503` is the better answer.
#[cfg(feature = "s3")]
fn bucket_retries() -> object_store::RetryConfig {
    object_store::RetryConfig {
        backoff: object_store::BackoffConfig::default(),
        max_retries: 3,
        retry_timeout: std::time::Duration::from_secs(10),
    }
}

/// One request to the bucket: with the retries' 10 s, an answer within about 25 s.
#[cfg(feature = "s3")]
const BUCKET_REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(15);

#[cfg(feature = "s3")]
fn open_s3(s3: &S3Config) -> Result<Arc<dyn ObjectStore>, ObjectError> {
    // reqwest is built without a bundled TLS provider (see Cargo.toml): use ring. An error only
    // means a provider was installed already, which is as good.
    let _ = rustls::crypto::ring::default_provider().install_default();
    let mut builder = object_store::aws::AmazonS3Builder::from_env()
        .with_bucket_name(&s3.bucket)
        .with_region(&s3.region)
        .with_retry(bucket_retries())
        // Before `with_allow_http`, which sets one of these options: this call replaces them all.
        .with_client_options(
            object_store::ClientOptions::new().with_timeout(BUCKET_REQUEST_TIMEOUT),
        )
        .with_allow_http(s3.allow_http);
    if let Some(endpoint) = &s3.endpoint {
        builder = builder.with_endpoint(endpoint);
    }
    if let Some(id) = &s3.access_key_id {
        builder = builder.with_access_key_id(id);
    }
    if let Some(secret) = &s3.secret_access_key {
        builder = builder.with_secret_access_key(secret);
    }
    Ok(Arc::new(builder.build()?))
}

#[cfg(not(feature = "s3"))]
fn open_s3(_s3: &S3Config) -> Result<Arc<dyn ObjectStore>, ObjectError> {
    Err(ObjectError::S3NotBuilt)
}
