//! What the screens show of the fee and its tax stamp. Apart from the core's handling of them, so
//! that the view does not depend on the core.

use wire::{prerequest::Reason, tax_stamp::StampNumber};

/// The fee and its stamp on the screens.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaxStampView {
    /// The reason of the request as the clerk confirms it (the pre-request's until corrected).
    pub reason: Option<Reason>,
    /// The fee for the document, the reason and the applicant's age today, in euro cents; 0: no
    /// stamp is asked.
    pub due_cents: u32,
    /// The stamp accepted for the fee.
    pub accepted: Option<AcceptedStamp>,
    /// A check is under way.
    pub checking: bool,
    /// Why the last stamp was refused, or that it could not be checked.
    pub refusal: Option<String>,
    /// The central could not be reached about this (well formed) stamp: the clerk may go on with
    /// it unchecked.
    pub unchecked_offer: Option<StampNumber>,
}

/// A stamp accepted for the fee.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AcceptedStamp {
    /// Its number.
    pub number: StampNumber,
    /// Its value in euro cents (the fee, when unchecked).
    pub amount_cents: u32,
    /// Whether the central confirmed it.
    pub checked: bool,
}
