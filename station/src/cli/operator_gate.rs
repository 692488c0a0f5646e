//! The sign-in in front of every command that captures, shows or sends biometric data or a
//! citizen's record: an operator's name, their PIN read from standard input (not echoed on a
//! terminal), checked against the station's accounts (lockout included), the role checked, and
//! the command audited in the station's log, refusals too. An image such a command writes is
//! sealed to the national service unless `--plain` is given, with a warning.

use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Args;
use zeroize::Zeroizing;

use crate::audit::{AuditEvent, AuditLog, DEFAULT_CHECKPOINT_EVERY};
use crate::config::StationConfig;
use crate::operators::{LockoutPolicy, Operators, Pin, PinKey, Role, SignedIn};
use crate::outbox::now_ms;
use crate::seal::{CentralKeys, SharedSigner, record_header, seal_record};

/// Who runs the command.
#[derive(Debug, Args)]
pub struct OperatorArgs {
    /// The station configuration file (TOML): its accounts, audit log and keys.
    #[arg(long)]
    pub config: PathBuf,
    /// The operator's account name (the role the command needs); the PIN is read from standard
    /// input.
    #[arg(long)]
    pub operator: String,
}

/// Who runs a command that writes a biometric image, and how it is written.
#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The operator's sign-in.
    #[command(flatten)]
    pub signed: OperatorArgs,
    /// Write the image in clear instead of sealed to the national service (a warning is printed
    /// and the export audited as clear).
    #[arg(long)]
    pub plain: bool,
}

/// A command signed in for: the station, the operator, the audit log.
pub struct SignedInCommand {
    config: StationConfig,
    signer: SharedSigner,
    audit: AuditLog,
    operator: SignedIn,
    key: PinKey,
    command: &'static str,
}

fn read_pin() -> anyhow::Result<Pin> {
    let stdin = std::io::stdin();
    let terminal = stdin.is_terminal();
    let mut line = Zeroizing::new(String::new());
    if terminal {
        eprint!("PIN : ");
        let fd = std::io::stdin();
        let saved = nix::sys::termios::tcgetattr(&fd).context("terminal")?;
        let mut quiet = saved.clone();
        quiet
            .local_flags
            .remove(nix::sys::termios::LocalFlags::ECHO);
        nix::sys::termios::tcsetattr(&fd, nix::sys::termios::SetArg::TCSANOW, &quiet)
            .context("terminal")?;
        let read = stdin.lock().read_line(&mut line);
        let _ = nix::sys::termios::tcsetattr(&fd, nix::sys::termios::SetArg::TCSANOW, &saved);
        eprintln!();
        read.context("lecture du PIN")?;
    } else {
        stdin
            .lock()
            .read_line(&mut line)
            .context("lecture du PIN")?;
    }
    let trimmed = line.trim_end_matches(['\r', '\n']).len();
    line.truncate(trimmed);
    Ok(Pin::take(&mut line))
}

/// Signs `args.operator` in for `command`, which `allowed` roles may run; refusals are audited.
/// `record` names the record the command reads or sends (`None` for a capture), for the audit
/// entry.
pub fn sign_in(
    args: &OperatorArgs,
    command: &'static str,
    allowed: fn(Role) -> bool,
    record: Option<&str>,
) -> anyhow::Result<SignedInCommand> {
    let config = StationConfig::load(&args.config)
        .with_context(|| format!("configuration {}", args.config.display()))?;
    let signer = config.signer().context("clé de la station")?;
    let audit = AuditLog::open(
        &AuditLog::default_path(&config.data_dir),
        Arc::clone(&signer),
        DEFAULT_CHECKPOINT_EVERY,
    )
    .context("journal d'audit")?;
    let operators = Operators::open_station(
        &config,
        LockoutPolicy {
            max_failures: config.counter.lockout_failures.max(1),
            lockout_ms: config.counter.lockout_minutes.saturating_mul(60_000),
        },
    )
    .context("comptes des agents")?;
    let pin = read_pin()?;
    let name: String = args.operator.chars().take(64).collect();
    let refused = |event: AuditEvent| {
        if let Err(e) = audit.append("station", &event, now_ms()) {
            tracing::warn!(error = %e, "refusal not written to the audit log");
        }
    };
    let operator = match operators.sign_in(&args.operator, pin.as_str(), now_ms()) {
        Ok(operator) => operator,
        Err(e) => {
            refused(AuditEvent::SignInRefused { operator: name });
            bail!("connexion refusée : {e}");
        }
    };
    drop(pin);
    if !allowed(operator.role) {
        refused(AuditEvent::CommandRefused {
            operator: name,
            command: command.to_owned(),
        });
        bail!(
            "un compte {} ne peut pas lancer « {command} »",
            operator.role.as_str()
        );
    }
    audit.append(
        &operator.name,
        &AuditEvent::CommandRun {
            operator: operator.name.clone(),
            command: command.to_owned(),
            record: record.map(str::to_owned),
        },
        now_ms(),
    )?;
    Ok(SignedInCommand {
        config,
        signer,
        audit,
        operator,
        key: operators.key(),
        command,
    })
}

impl SignedInCommand {
    /// The station's configuration.
    pub fn config(&self) -> &StationConfig {
        &self.config
    }

    /// The station's signing key.
    pub fn signer(&self) -> &SharedSigner {
        &self.signer
    }

    /// The account signed in.
    pub fn operator(&self) -> &SignedIn {
        &self.operator
    }

    /// The station's keyed-hash secret (the token's, in production).
    pub fn key(&self) -> &PinKey {
        &self.key
    }

    /// Appends `event` to the station's audit log as the operator signed in.
    pub fn audit(&self, event: &AuditEvent) -> anyhow::Result<()> {
        self.audit
            .append(&self.operator.name, event, now_ms())
            .context("journal d'audit du poste")?;
        Ok(())
    }

    /// Writes `image` (private to the station's user) to `out`: sealed to the national service
    /// (the record format, signed by the station: only the national service opens it), or in
    /// clear when `plain` (`--plain`) is set, with a warning. The export is audited either way.
    pub fn write_image(
        &self,
        out: &Path,
        image: Zeroizing<Vec<u8>>,
        plain: bool,
    ) -> anyhow::Result<()> {
        let bytes = if plain {
            eprintln!(
                "ATTENTION : image biométrique écrite EN CLAIR dans {} (--plain) ; effacez-la dès \
                 qu'elle n'est plus utile.",
                out.display()
            );
            image
        } else {
            let keys: CentralKeys = self.config.central_keys()?;
            let header = record_header(
                uuid::Uuid::new_v4(),
                &self.config.station_id,
                time::OffsetDateTime::now_utc(),
                &keys.key_id(),
                self.signer.algorithm(),
            );
            let sealed = seal_record(
                &header,
                image,
                &keys.record_public_key,
                self.signer.as_ref(),
            )
            .context("scellement de l'image")?;
            Zeroizing::new(sealed.bytes)
        };
        crate::files::write_private(out, &bytes)
            .with_context(|| format!("écriture de {}", out.display()))?;
        self.audit.append(
            &self.operator.name,
            &AuditEvent::BiometricExport {
                operator: self.operator.name.clone(),
                command: self.command.to_owned(),
                encrypted: !plain,
            },
            now_ms(),
        )?;
        Ok(())
    }
}
