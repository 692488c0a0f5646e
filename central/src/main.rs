//! `central`: runs the reference national service, prints its keys, registers stations.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::Context;
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "central",
    about = "Reference national service for the enrolment stations"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the HTTP API.
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8443.
        #[arg(long)]
        listen: SocketAddr,
        /// Data directory (keys, database, records).
        #[arg(long)]
        data: PathBuf,
        /// Pre-requests file (JSON array); the shipped demo set when absent.
        #[arg(long)]
        prerequests: Option<PathBuf>,
        /// Token expected in x-rdv-opt-auth-token.
        #[arg(long, default_value = central::running::DEMO_TOKEN)]
        token: String,
        /// Store records in this S3-compatible bucket instead of the data directory
        /// (needs the `s3` build feature; credentials from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY).
        #[arg(long)]
        s3_bucket: Option<String>,
        /// S3 endpoint URL (e.g. http://127.0.0.1:9000 for MinIO).
        #[arg(long, requires = "s3_bucket")]
        s3_endpoint: Option<String>,
        /// S3 region.
        #[arg(long, default_value = "us-east-1", requires = "s3_bucket")]
        s3_region: String,
    },
    /// Print the public keys (creating the keys if needed).
    Keys {
        /// Data directory.
        #[arg(long)]
        data: PathBuf,
    },
    /// Manage registered stations.
    Stations {
        #[command(subcommand)]
        command: StationsCommand,
    },
}

#[derive(Subcommand)]
enum StationsCommand {
    /// Register a station (or replace its key).
    Add {
        /// Data directory.
        #[arg(long)]
        data: PathBuf,
        /// Station id, e.g. mairie-lyon-03-p1.
        #[arg(long)]
        station_id: String,
        /// The station's public key in hex, as `station identity` or `station token create-key`
        /// prints it.
        #[arg(long)]
        public_key: String,
        /// Its algorithm, as printed beside it: `ECDSA-P256-SHA256` (a key in a token) or
        /// `Ed25519` (a development file key, and stations registered before). Without it, the
        /// key's length decides (32 bytes: Ed25519, 65: ECDSA P-256).
        #[arg(long)]
        algorithm: Option<String>,
    },
    /// List registered stations: id, public key, date registered, key algorithm.
    List {
        /// Data directory.
        #[arg(long)]
        data: PathBuf,
    },
}

fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info")),
        )
        .with_writer(std::io::stderr)
        .init();
    match Cli::parse().command {
        Command::Serve {
            listen,
            data,
            prerequests,
            token,
            s3_bucket,
            s3_endpoint,
            s3_region,
        } => {
            let mut config = central::CentralConfig::new(data);
            config.listen = listen;
            config.token = token;
            if let Some(path) = prerequests {
                config.prerequests = central::PreRequestSource::File(path);
            }
            if let Some(bucket) = s3_bucket {
                let allow_http = s3_endpoint
                    .as_deref()
                    .is_some_and(|e| e.starts_with("http://"));
                config.object_store = Some(central::ObjectStoreConfig::S3(central::S3Config {
                    bucket,
                    endpoint: s3_endpoint,
                    region: s3_region,
                    access_key_id: None,
                    secret_access_key: None,
                    allow_http,
                }));
            }
            let runtime = tokio::runtime::Runtime::new().context("starting the runtime")?;
            runtime.block_on(central::Central::serve(config, shutdown_signal()))?;
        }
        Command::Keys { data } => {
            std::fs::create_dir_all(&data)
                .with_context(|| format!("creating {}", data.display()))?;
            print!("{}", central::public_keys(&data)?.to_lines());
        }
        Command::Stations {
            command:
                StationsCommand::Add {
                    data,
                    station_id,
                    public_key,
                    algorithm,
                },
        } => {
            let key = central::stations::parse_public_key(algorithm.as_deref(), &public_key)?;
            central::register_station(&data, &station_id, key)?;
            println!("registered station {station_id}");
        }
        Command::Stations {
            command: StationsCommand::List { data },
        } => {
            anyhow::ensure!(data.is_dir(), "no data directory at {}", data.display());
            let db = central::storage::Database::open(&data)?;
            for (id, key, added_at) in db.stations()? {
                // The algorithm last: the first columns stay what scripts read before.
                println!("{id} {} {added_at} {}", key.to_hex(), key.algorithm);
            }
        }
    }
    Ok(())
}

async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::error!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                tracing::error!(error = %e, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
    tracing::info!("shutting down");
}
