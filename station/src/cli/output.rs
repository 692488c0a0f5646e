//! The commands' output on stdout. `println!` panics when the reader has gone away (`station outbox
//! status | head -1`): a reader that has seen enough is not an error, so the command stops there,
//! quietly and successfully, as the classic Unix tools do.

use std::io::Write;

/// Writes `text` to stdout; ends the process quietly when the reader has closed the pipe.
pub fn write(text: std::fmt::Arguments<'_>) {
    let mut stdout = std::io::stdout().lock();
    let written = stdout.write_fmt(text).and_then(|()| stdout.flush());
    match written {
        Ok(()) => {}
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => std::process::exit(0),
        // Nothing sensible remains to do with a stdout that fails otherwise (a full disk behind a
        // redirection): say so once on stderr, the command's outcome is unknown to its reader.
        Err(e) => {
            tracing::error!(error = %e, "cannot write the command's output");
            std::process::exit(1)
        }
    }
}

/// `println!` for the commands' output, without the panic on a closed pipe ([`write`]).
#[macro_export]
macro_rules! outln {
    () => {
        $crate::cli::output::write(format_args!("\n"))
    };
    ($($arg:tt)*) => {
        $crate::cli::output::write(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` for the commands' output, without the panic on a closed pipe ([`write`]).
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {
        $crate::cli::output::write(format_args!($($arg)*))
    };
}
