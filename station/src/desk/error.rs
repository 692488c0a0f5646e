//! Why the counter core could not start.

/// The counter core could not start: its stores or keys are unusable. Device and network
/// problems never stop it: they show in the view.
#[derive(Debug, thiserror::Error)]
pub enum CounterError {
    /// The data directory could not be created.
    #[error("data directory {path}: {source}")]
    DataDir {
        /// The directory.
        path: std::path::PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A file or directory in the data directory is not private, or could not be made.
    #[error(transparent)]
    Files(#[from] crate::files::FileModeError),
    /// The operator accounts could not be opened.
    #[error(transparent)]
    Operators(#[from] crate::operators::OperatorError),
    /// The audit log could not be opened.
    #[error(transparent)]
    Audit(#[from] crate::audit::AuditError),
    /// The outbox or the day's figures could not be opened.
    #[error(transparent)]
    Outbox(#[from] crate::outbox::OutboxError),
    /// The station key or the central's keys are unusable.
    #[error(transparent)]
    Keys(#[from] crate::seal::SealError),
    /// A thread could not be started.
    #[error("cannot start the {what} thread: {source}")]
    Thread {
        /// Which thread.
        what: &'static str,
        /// Why.
        source: std::io::Error,
    },
}
