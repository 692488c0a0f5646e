//! Talking to the central: the pre-request check, record upload with signed receipts, and the
//! background uploader that drains the outbox.

pub mod announcements;
pub mod handover;
pub mod http;
pub mod prerequest;
pub mod prerequest_qr;
pub mod receipt;
pub mod tax_stamp;
pub mod uploader;

pub use http::{CentralClient, HttpSettings};
pub use prerequest::{PreRequest, PreRequestNumber, PreRequestStatus};
pub use receipt::{Receipt, ReceiptCheck, ReceiptError};
pub use uploader::{UploadEvent, Uploader, UploaderSettings};

/// What went wrong talking to the central.
#[derive(Debug, thiserror::Error)]
pub enum UplinkError {
    /// No answer: refused connection, timeout, reset, DNS, TLS.
    #[error("central unreachable: {0}")]
    Transport(String),
    /// The central answered with an error status.
    #[error("central answered {status}: {code} {detail}")]
    Status {
        /// HTTP status.
        status: u16,
        /// The `error` code of the JSON body (empty when the body was not our JSON).
        code: String,
        /// The `detail` text.
        detail: String,
    },
    /// The central did not prove itself with the CA this station was provisioned with.
    #[error("central not trusted: {0}")]
    UntrustedCentral(String),
    /// The station cannot talk to the central at all: URL not https, not provisioned.
    #[error("station trust: {0}")]
    Trust(String),
    /// The answer is too large, not JSON, or not shaped as agreed.
    #[error("malformed answer from the central: {0}")]
    Malformed(String),
    /// The receipt did not verify.
    #[error("receipt refused: {0}")]
    Receipt(#[from] ReceiptError),
    /// The configured token was refused.
    #[error("the central refused the station's token")]
    Unauthorized,
    /// The pre-request number is not 10 letters or digits.
    #[error("{0}")]
    BadNumber(#[from] prerequest::BadNumber),
    /// No such pre-request.
    #[error("pre-request not found")]
    NotFound,
}

impl UplinkError {
    /// Worth retrying soon: the network or the central's availability, not the record itself.
    pub fn is_transient(&self) -> bool {
        match self {
            Self::Transport(_) => true,
            Self::Status { status, .. } => *status >= 500 || *status == 429 || *status == 408,
            // A garbled answer (e.g. cut by a proxy) is worth another try; the central is idempotent.
            Self::Malformed(_) => true,
            // An intercepting network (captive portal, misconfigured proxy) may go away; nothing
            // was sent to it, and the record stays in the outbox.
            Self::UntrustedCentral(_) => true,
            _ => false,
        }
    }

    /// The central refuses new pre-requests: records this station announced never arrived (the
    /// central's freeze rule).
    pub fn is_announced_records_missing(&self) -> bool {
        matches!(self, Self::Status { code, .. } if code == wire::announcement::BACKLOG_TOO_OLD)
    }

    /// The central refused because the pre-request or the document belongs to another town hall
    /// than this station's.
    pub fn is_other_town_hall(&self) -> bool {
        matches!(self, Self::Status { code, .. } if code == wire::town_hall::OTHER_TOWN_HALL)
    }

    /// The central refused the upload for the audit checkpoint it carried: this station's audit
    /// log went backwards, lost its checkpoints, or is not signed by this station's key. Every
    /// record is refused the same way until a technician looks.
    pub fn is_audit_checkpoint_refused(&self) -> bool {
        use wire::audit_checkpoint::{CHECKPOINT_MISSING, CHECKPOINT_REGRESSED};
        matches!(self, Self::Status { code, .. } if [
            CHECKPOINT_REGRESSED,
            CHECKPOINT_MISSING,
            wire::audit_checkpoint::BAD_CHECKPOINT_SIGNATURE,
            wire::audit_checkpoint::MALFORMED_CHECKPOINT,
        ]
        .contains(&code.as_str()))
    }
}
