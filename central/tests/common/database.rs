//! The database a test central keeps its state in: SQLite in its data directory, or, when
//! `CENTRAL_TEST_POSTGRES` gives a PostgreSQL server (key=value form, e.g. `host=/tmp/pg
//! user=central dbname=postgres`, as `.ci/postgres` prints), a database of its own on that server,
//! named after the data directory: tests stay independent and parallel, and a central restarted
//! on the same directory finds its state again.

use std::os::unix::ffi::OsStrExt;
use std::path::Path;

use central::storage::DatabaseChoice;

/// The variable naming the PostgreSQL server.
pub const POSTGRES_ENV: &str = "CENTRAL_TEST_POSTGRES";

/// The PostgreSQL server the tests run on, if any.
pub fn postgres_server() -> Option<String> {
    std::env::var(POSTGRES_ENV)
        .ok()
        .filter(|s| !s.trim().is_empty())
}

/// Where a central whose data directory is `dir` keeps its state in this run.
pub fn database_for(dir: &Path) -> DatabaseChoice {
    let Some(server) = postgres_server() else {
        return DatabaseChoice::Sqlite;
    };
    let digest = ring::digest::digest(&ring::digest::SHA256, dir.as_os_str().as_bytes());
    let name = format!("central_test_{}", &hex::encode(digest.as_ref())[..24]);
    create_database(&server, &name);
    DatabaseChoice::Postgres(format!("{server} dbname={name}"))
}

/// A test central's configuration: [`central::CentralConfig::new`] on this run's database.
pub fn config(dir: impl AsRef<Path>) -> central::CentralConfig {
    let mut config = central::CentralConfig::new(dir.as_ref());
    config.database = database_for(dir.as_ref());
    config
}

/// The `--database` argument a `central` command on `dir` needs in this run (none on SQLite).
pub fn database_args(dir: &Path) -> Vec<String> {
    match database_for(dir) {
        DatabaseChoice::Sqlite => Vec::new(),
        DatabaseChoice::Postgres(url) => vec!["--database".into(), url],
    }
}

/// The database of a central's data directory, as `central stations` opens it.
pub fn open_database(
    dir: &Path,
) -> Result<central::storage::Database, central::enrolment::EnrolmentError> {
    central::enrolment::open_database_with(dir, &database_for(dir))
}

/// Creates database `name` unless it exists. On a thread of its own, so that a test running
/// inside a tokio runtime can call it.
fn create_database(server: &str, name: &str) {
    let (server, name) = (server.to_owned(), name.to_owned());
    std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&server, tokio_postgres::NoTls)
                .await
                .unwrap();
            tokio::spawn(connection);
            let exists = client
                .query_opt("SELECT 1 FROM pg_database WHERE datname = $1", &[&name])
                .await
                .unwrap();
            if exists.is_none()
                && let Err(e) = client
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .await
            {
                // Two centrals of one directory starting at once: the other created it (PostgreSQL
                // says so either way, depending on how far the other had gone).
                use tokio_postgres::error::SqlState;
                let code = e.code().cloned();
                assert!(
                    code == Some(SqlState::DUPLICATE_DATABASE)
                        || code == Some(SqlState::UNIQUE_VIOLATION),
                    "{e}"
                );
            }
        });
    })
    .join()
    .unwrap();
}
