//! The central's state on PostgreSQL, for several central replicas sharing one database.
//!
//! The driver is tokio-postgres with a deadpool-postgres pool rather than sqlx: the SQLite side is
//! plain rusqlite with SQL written by hand, and keeping PostgreSQL's SQL just as plain (checked by
//! the test suite, which runs on both) costs no macro, no offline query cache and no second
//! SQLite driver. The storage API stays synchronous, as the handlers call it today (some inside
//! `spawn_blocking`, some directly, as the SQLite mutex is held for microseconds): each call is
//! sent to a small runtime of this module's own and waited for, so it works from a handler, from
//! a blocking task and from the command line alike, and never nests one runtime in another.
//! Statements are prepared once per pooled connection (`prepare_cached`): a lookup is then one
//! round trip to the server, not two.

mod announcements;
mod checkpoints;
mod enrolments;
pub(crate) mod handover_attempts;
mod intake;
mod migrations;
mod prints;
pub(crate) mod templates;

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::error::SqlState;

use super::DatabaseError;

/// Connections one central keeps open at most. The database serves every replica, and a
/// PostgreSQL server's default limit is 100 connections: a handful of replicas fit.
const POOL_SIZE: usize = 16;

/// How long a call waits for a free connection, or for a new one, before failing: a database
/// that is down answers an error, which the station retries, rather than hanging the request.
const POOL_TIMEOUT: Duration = Duration::from_secs(10);

/// A PostgreSQL database holding the central's state; cheap to clone (one pool, shared).
#[derive(Clone)]
pub struct Postgres {
    inner: Arc<Inner>,
}

struct Inner {
    pool: Pool,
    /// Drives the connections and runs each call; shut down without waiting when dropped, so
    /// that dropping the last handle inside a tokio task does not block it.
    runtime: Option<tokio::runtime::Runtime>,
}

impl Drop for Inner {
    fn drop(&mut self) {
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

impl std::fmt::Debug for Postgres {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Postgres")
            .field("pool", &self.inner.pool.status())
            .finish()
    }
}

impl Postgres {
    /// Connects to `url` (`postgres://user@host/db`, or `host=/run/dir` for a unix socket) and
    /// brings the schema up to date; several replicas starting at once migrate one after the
    /// other (see [`migrations`]).
    pub fn connect(url: &str) -> Result<Self, DatabaseError> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e: tokio_postgres::Error| DatabaseError::Url(e.to_string()))?;
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("central-postgres")
            .enable_all()
            .build()
            .map_err(|e| DatabaseError::Pool(e.to_string()))?;
        let manager = Manager::from_config(
            config,
            tokio_postgres::NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(POOL_SIZE)
            .wait_timeout(Some(POOL_TIMEOUT))
            .create_timeout(Some(POOL_TIMEOUT))
            .runtime(deadpool_postgres::Runtime::Tokio1)
            .build()
            .map_err(|e| DatabaseError::Pool(e.to_string()))?;
        let postgres = Self {
            inner: Arc::new(Inner {
                pool,
                runtime: Some(runtime),
            }),
        };
        postgres.run(migrations::run)?;
        Ok(postgres)
    }

    /// Runs `work` on this module's runtime with a handle on the pool, and waits for its answer.
    pub(crate) fn run<T, F>(&self, work: impl FnOnce(Pool) -> F) -> Result<T, DatabaseError>
    where
        F: Future<Output = Result<T, DatabaseError>> + Send + 'static,
        T: Send + 'static,
    {
        let runtime = self
            .inner
            .runtime
            .as_ref()
            .ok_or_else(|| DatabaseError::Pool("runtime shut down".into()))?;
        let (answer, wait) = std::sync::mpsc::sync_channel(1);
        let future = work(self.inner.pool.clone());
        runtime.spawn(async move {
            // The caller is gone only if it panicked: nothing to tell.
            let _ = answer.send(future.await);
        });
        wait.recv()
            .map_err(|_| DatabaseError::Pool("database call abandoned".into()))?
    }
}

/// A connection from the pool.
pub(crate) async fn connection(pool: &Pool) -> Result<deadpool_postgres::Object, DatabaseError> {
    pool.get()
        .await
        .map_err(|e| DatabaseError::Pool(e.to_string()))
}

/// The table a statement broke a unique or primary key constraint of, if that is how it failed.
pub(crate) fn unique_violation(error: &tokio_postgres::Error) -> Option<String> {
    let db = error.as_db_error()?;
    (db.code() == &SqlState::UNIQUE_VIOLATION).then(|| db.table().unwrap_or_default().to_owned())
}

/// Counts come back as `bigint`.
pub(crate) fn count(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Takes a lock on `key` for the rest of the transaction, shared by every replica: what SQLite's
/// `BEGIN IMMEDIATE` gives a read-then-write transaction, narrowed to one station or one number.
/// `class` keeps the keys of different kinds apart; locks are always taken in increasing class.
pub(crate) async fn lock_key(
    tx: &deadpool_postgres::Transaction<'_>,
    class: i32,
    key: &str,
) -> Result<(), DatabaseError> {
    tx.execute(
        &tx.prepare_cached("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .await?,
        &[&class, &key],
    )
    .await?;
    Ok(())
}

/// Lock classes for [`lock_key`], in the order they are taken.
pub(crate) mod lock_class {
    /// Running the migrations.
    pub const MIGRATIONS: i32 = 1;
    /// A station's audit checkpoint.
    pub const CHECKPOINT: i32 = 2;
    /// Handover attempts of one pre-request number.
    pub const HANDOVER_NUMBER: i32 = 3;
    /// Handover attempts of one station.
    pub const HANDOVER_STATION: i32 = 4;
}
