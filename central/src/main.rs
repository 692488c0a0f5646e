//! `central`: runs the reference national service, prints its keys, enrols and revokes stations.

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
    /// Keep the state in this PostgreSQL database (`postgres://user@host/db`, or
    /// `host=/socket/dir dbname=db`) instead of SQLite files in the data directory. Every replica
    /// and every command (`stations`, `records`) must be given the same one.
    #[arg(long, global = true)]
    database: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the API over HTTPS with mutual TLS.
    Serve {
        /// Address to listen on, e.g. 127.0.0.1:8443.
        #[arg(long)]
        listen: SocketAddr,
        /// Data directory (keys, database, records).
        #[arg(long)]
        data: PathBuf,
        /// Pre-requests file (JSON array). Required: the demo set is for the demo and the tests,
        /// never served in place of a missing file.
        #[arg(long)]
        prerequests: PathBuf,
        /// Tax stamp register (JSON array of `{number, amount_cents, used}`). Without it no stamp
        /// is known, and every record whose documents cost a fee is refused.
        #[arg(long)]
        tax_stamps: Option<PathBuf>,
        /// Host name or address stations reach this central by, put in its server certificate
        /// besides localhost and loopback (repeat for several).
        #[arg(long = "tls-name")]
        tls_names: Vec<String>,
        /// Answer ANTS-style callers (no station certificate) on GET /api/status, with the token
        /// of --ants-token-file in x-rdv-opt-auth-token. Stations authenticate with their
        /// certificate either way.
        #[arg(long)]
        ants_status: bool,
        /// File holding the token ANTS-style callers send (no default: the central refuses to
        /// start with --ants-status and no token). A file rather than an argument, so that it
        /// does not show in the process list.
        #[arg(long)]
        ants_token_file: Option<PathBuf>,
        /// Refuse new pre-requests to a station whose announced records have not arrived for this
        /// long (e.g. 72h, 3d).
        #[arg(long, default_value = "72h")]
        max_missing_age: String,
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
        /// Connections open at once (TLS handshakes included); more are closed when accepted.
        #[arg(long, default_value_t = central::server::limits::ServerLimits::default().max_connections)]
        max_connections: usize,
        /// Of those, connections without a client certificate.
        #[arg(long, default_value_t = central::server::limits::ServerLimits::default().max_anonymous_connections)]
        max_anonymous_connections: usize,
        /// Seconds a client has to send a request's headers (also the idle limit between requests).
        #[arg(long, default_value_t = central::server::limits::ServerLimits::default().header_timeout.as_secs())]
        header_timeout_secs: u64,
        /// Seconds a body may stay silent before the request is answered 408.
        #[arg(long, default_value_t = central::server::limits::ServerLimits::default().body_idle_timeout.as_secs())]
        body_idle_timeout_secs: u64,
    },
    /// Print the public keys (creating the keys, the national CA and a server certificate if
    /// needed).
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
    /// What the stations sealed and announced.
    Records {
        #[command(subcommand)]
        command: RecordsCommand,
    },
    /// The prints of applicants who refused their storage (identity card).
    Prints {
        #[command(subcommand)]
        command: PrintsCommand,
    },
}

#[derive(Subcommand)]
enum PrintsCommand {
    /// Delete the prints of every refused record whose date has passed (run daily, e.g. from a
    /// systemd timer or cron); the rest of each record stays. Idempotent.
    Purge {
        /// Data directory.
        #[arg(long)]
        data: PathBuf,
    },
    /// The production side reports a card handed over: its prints are then due 90 days later.
    CardIssued {
        /// Data directory.
        #[arg(long)]
        data: PathBuf,
        /// Record id.
        #[arg(long)]
        record: String,
    },
    /// The production side reports a card refused (not produced, or destroyed uncollected).
    CardRefused {
        /// Data directory.
        #[arg(long)]
        data: PathBuf,
        /// Record id.
        #[arg(long)]
        record: String,
    },
}

#[derive(Subcommand)]
enum RecordsCommand {
    /// List records announced by their station and never received: record id, station,
    /// pre-request, when sealed, SHA-256. Exits 0 even when some are listed.
    Missing {
        /// Data directory.
        #[arg(long)]
        data: PathBuf,
        /// Only those sealed at least this long ago (e.g. 24h, 90m, 2d, 0s).
        #[arg(long, default_value = "24h")]
        older_than: String,
    },
}

#[derive(Subcommand)]
enum StationsCommand {
    /// Issue a one-time enrolment code for a new station.
    Enrol {
        /// Data directory.
        #[arg(long)]
        data: PathBuf,
        /// Station id, e.g. mairie-lyon-03-p1.
        #[arg(long)]
        station_id: String,
        /// Town hall id (the ANTS meeting_point_id), e.g. 69382-02.
        #[arg(long)]
        town_hall: String,
        /// Hours the code stays usable.
        #[arg(long, default_value_t = central::enrolment::DEFAULT_CODE_HOURS)]
        valid_hours: u32,
    },
    /// Issue a one-time code giving an enrolled station a new certificate (the old one is then
    /// refused).
    Rekey {
        /// Data directory.
        #[arg(long)]
        data: PathBuf,
        /// Station id.
        #[arg(long)]
        station_id: String,
        /// New town hall id (needed for a station registered before enrolment codes).
        #[arg(long)]
        town_hall: Option<String>,
        /// Hours the code stays usable.
        #[arg(long, default_value_t = central::enrolment::DEFAULT_CODE_HOURS)]
        valid_hours: u32,
    },
    /// Revoke a station: refused at once on every endpoint; its records stay valid.
    Revoke {
        /// Data directory.
        #[arg(long)]
        data: PathBuf,
        /// Station id.
        #[arg(long)]
        station_id: String,
    },
    /// List stations: id, town hall, public key, date enrolled, certificate, revocation.
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
    let cli = Cli::parse();
    let database = central::storage::DatabaseChoice::from_url(cli.database.as_deref());
    match cli.command {
        Command::Serve {
            listen,
            data,
            prerequests,
            tax_stamps,
            tls_names,
            ants_status,
            ants_token_file,
            max_missing_age,
            s3_bucket,
            s3_endpoint,
            s3_region,
            max_connections,
            max_anonymous_connections,
            header_timeout_secs,
            body_idle_timeout_secs,
        } => {
            let mut config = central::CentralConfig::new(data);
            config.database = database;
            config.listen = listen;
            config.limits.max_connections = max_connections;
            config.limits.max_anonymous_connections = max_anonymous_connections;
            config.limits.header_timeout = std::time::Duration::from_secs(header_timeout_secs);
            config.limits.body_idle_timeout =
                std::time::Duration::from_secs(body_idle_timeout_secs);
            config.tls_names = tls_names;
            config.prerequests = central::PreRequestSource::File(prerequests);
            config.tax_stamps = match tax_stamps {
                Some(path) => central::tax_stamps::StampBook::from_file(&path)?,
                None => central::tax_stamps::StampBook::default(),
            };
            config.ants_status = ants_status;
            config.max_missing_age = central::announcements::parse_age(&max_missing_age)?;
            if let Some(path) = ants_token_file {
                let token = std::fs::read_to_string(&path)
                    .with_context(|| format!("ANTS token file {}", path.display()))?;
                config.ants_token = Some(token.trim().to_owned());
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
            central::storage::private::create_dir(&data)
                .with_context(|| format!("creating {}", data.display()))?;
            print!("{}", central::public_keys(&data)?.to_lines());
            let ca = central::trust::NationalCa::load_or_create(&data)?;
            if !data
                .join("keys")
                .join(central::trust::authority::SERVER_CERT_FILE)
                .exists()
            {
                ca.issue_server(&data, &central::CentralConfig::new(&data).server_names())?;
            }
            println!(
                "ca_certificate={}",
                data.join("keys")
                    .join(central::trust::authority::CA_CERT_FILE)
                    .display()
            );
        }
        Command::Stations { command } => stations(command, &database)?,
        Command::Prints { command } => prints(command, &database)?,
        Command::Records {
            command: RecordsCommand::Missing { data, older_than },
        } => {
            let age = central::announcements::parse_age(&older_than)?;
            anyhow::ensure!(data.is_dir(), "no data directory at {}", data.display());
            let db = central::storage::Database::open_with(&data, &database)?;
            let before = time::OffsetDateTime::now_utc()
                - time::Duration::try_from(age).context("age too large")?;
            let missing = db.missing_records(&central::announcements::utc_seconds(before))?;
            for m in &missing {
                println!(
                    "{} station={} pre_request={} sealed_at={} sha256={}",
                    m.record_id, m.station_id, m.pre_request, m.sealed_at, m.sha256
                );
            }
            eprintln!(
                "{} record(s) announced and not received, sealed more than {older_than} ago",
                missing.len()
            );
        }
    }
    Ok(())
}

fn prints(
    command: PrintsCommand,
    database: &central::storage::DatabaseChoice,
) -> anyhow::Result<()> {
    use central::prints::{CardEvent, PrintsSchedule};
    let now = time::OffsetDateTime::now_utc();
    let (data, record, event) = match command {
        PrintsCommand::Purge { data } => {
            anyhow::ensure!(data.is_dir(), "no data directory at {}", data.display());
            let runtime = tokio::runtime::Runtime::new().context("starting the runtime")?;
            let report =
                runtime.block_on(central::prints::purge::purge_data_dir(&data, database, now))?;
            for id in &report.purged {
                println!("{id} prints deleted");
            }
            eprintln!("{} record(s) purged of their prints", report.purged.len());
            return Ok(());
        }
        PrintsCommand::CardIssued { data, record } => (data, record, CardEvent::Issued),
        PrintsCommand::CardRefused { data, record } => (data, record, CardEvent::Refused),
    };
    anyhow::ensure!(data.is_dir(), "no data directory at {}", data.display());
    let db = central::storage::Database::open_with(&data, database)?;
    let schedule = PrintsSchedule::open_beside(&db, &data)?;
    match schedule.card_event(&record, event, now)? {
        Some(s) => println!(
            "{} card={} prints_deleted_after={}",
            s.record_id,
            s.card_event.as_deref().unwrap_or("-"),
            s.delete_after
        ),
        None => println!("{record}: storage was not refused; nothing to schedule"),
    }
    Ok(())
}

fn stations(
    command: StationsCommand,
    database: &central::storage::DatabaseChoice,
) -> anyhow::Result<()> {
    use central::enrolment;
    match command {
        StationsCommand::Enrol {
            data,
            station_id,
            town_hall,
            valid_hours,
        } => {
            let db = enrolment::open_database_with(&data, database)?;
            let issued = enrolment::enrol(&db, &station_id, &town_hall, valid_hours)?;
            println!("code={}\nexpires_at={}", issued.code, issued.expires_at);
        }
        StationsCommand::Rekey {
            data,
            station_id,
            town_hall,
            valid_hours,
        } => {
            let db = enrolment::open_database_with(&data, database)?;
            let issued = enrolment::rekey(&db, &station_id, town_hall.as_deref(), valid_hours)?;
            println!("code={}\nexpires_at={}", issued.code, issued.expires_at);
        }
        StationsCommand::Revoke { data, station_id } => {
            let db = enrolment::open_database_with(&data, database)?;
            enrolment::revoke(&db, &station_id)?;
            println!("revoked station {station_id}");
        }
        StationsCommand::List { data } => {
            anyhow::ensure!(data.is_dir(), "no data directory at {}", data.display());
            let db = central::storage::Database::open_with(&data, database)?;
            for s in enrolment::list(&db)? {
                let (serial, not_after) = s.certificate.unwrap_or_default();
                println!(
                    "{} town_hall={} public_key={} enrolled={} certificate={} not_after={} {} algorithm={}",
                    s.station_id,
                    s.town_hall,
                    s.public_key.to_hex(),
                    s.added_at,
                    if serial.is_empty() { "-" } else { &serial },
                    if not_after.is_empty() {
                        "-"
                    } else {
                        &not_after
                    },
                    s.revoked_at
                        .map_or_else(|| "active".to_owned(), |at| format!("revoked={at}")),
                    // Last, so that the columns scripts read before stay where they were.
                    s.public_key.algorithm,
                );
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
