//! The fee of the request as confirmed at the counter: the reason it depends on and the tax stamp
//! paying it, carried into the manifest.

use wire::{prerequest::Reason, tax_stamp::TaxStamp};

/// The reason of the request and the stamp, as the clerk confirmed them with the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fee {
    /// The reason as confirmed (the pre-request's, or the clerk's correction).
    pub reason: Reason,
    /// The stamp paying the fee; `None` when nothing is due.
    pub tax_stamp: Option<TaxStamp>,
}
