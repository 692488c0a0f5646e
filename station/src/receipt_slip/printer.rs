//! Printing the receipt through CUPS: the PDF goes to `lp` on its standard input, so no copy of it
//! is left on the station's disk; CUPS keeps its spooled copy only until the job is printed.

use std::{
    io::Write,
    process::{Command, Stdio},
    time::{Duration, Instant},
};

use serde::{Deserialize, Serialize};

/// The counter's printer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PrinterSettings {
    /// The CUPS queue receipts go to (`lpstat -p` lists them). Without one, the receipt is only
    /// saved as a PDF in the data directory, which suits a development machine, not a counter.
    pub queue: Option<String>,
    /// The `lp` program; `lp` from the PATH when absent.
    pub command: Option<String>,
    /// Seconds `lp` may take to hand the job to CUPS: a stalled scheduler must not freeze the
    /// counter. Spooling a receipt takes well under a second.
    pub spool_timeout_s: u64,
}

impl Default for PrinterSettings {
    fn default() -> Self {
        Self {
            queue: None,
            command: None,
            spool_timeout_s: 10,
        }
    }
}

/// Why a receipt did not reach the printer.
#[derive(Debug, thiserror::Error)]
pub enum PrintError {
    /// `lp` is not installed, or could not be started.
    #[error("cannot start {command}: {source}")]
    Start {
        /// The program.
        command: String,
        /// Why.
        source: std::io::Error,
    },
    /// CUPS refused the job (unknown queue, printer disabled, scheduler not running).
    #[error("the print system refused the job: {0}")]
    Refused(String),
    /// `lp` did not return in time.
    #[error("the print system did not answer within {0:?}")]
    Timeout(Duration),
}

/// Sends `pdf` to `queue` with `title` as the job's name; returns CUPS's job id
/// (`Recepisses-12`).
pub fn print(
    settings: &PrinterSettings,
    queue: &str,
    pdf: &[u8],
    title: &str,
) -> Result<String, PrintError> {
    let command = settings.command.as_deref().unwrap_or("lp");
    let start = |source| PrintError::Start {
        command: command.to_owned(),
        source,
    };
    // `--` ends the options: a title or queue name cannot be read as one.
    let mut child = Command::new(command)
        .args(["-d", queue, "-t", title, "--", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(start)?;
    if let Some(mut stdin) = child.stdin.take() {
        // A write that fails means `lp` stopped early; its exit status and message say why.
        let _ = stdin.write_all(pdf);
    }
    let timeout = Duration::from_secs(settings.spool_timeout_s.max(1));
    let deadline = Instant::now() + timeout;
    loop {
        match child.try_wait().map_err(start)? {
            Some(_) => break,
            None if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(PrintError::Timeout(timeout));
            }
            None => std::thread::sleep(Duration::from_millis(20)),
        }
    }
    let output = child.wait_with_output().map_err(start)?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        return Err(PrintError::Refused(stderr.trim().to_owned()));
    }
    // "request id is Recepisses-12 (1 file(s))"
    let job = stdout
        .split_whitespace()
        .skip_while(|word| *word != "is")
        .nth(1)
        .unwrap_or("")
        .to_owned();
    tracing::info!(queue, job = %job, bytes = pdf.len(), "receipt sent to the printer");
    Ok(job)
}
