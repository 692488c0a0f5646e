//! The tax stamp check at the counter: `GET /v1/tax-stamps/{number}` under the station's mutual
//! TLS, as the pre-request lookup. The central says the stamp's value and whether a record used it;
//! the desk compares the value with the fee.

use wire::tax_stamp::{StampNumber, StampStanding, TAX_STAMP_UNKNOWN};

use super::{CentralClient, UplinkError};

/// What the central answered about a stamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StampAnswer {
    /// Known: its value and whether it was used.
    Known(StampStanding),
    /// Not in the register.
    Unknown,
}

impl CentralClient {
    /// Asks the central about `number`. Any answer but a clear one is an error (the clerk is then
    /// told that the check could not be made, never that the stamp is good).
    pub fn tax_stamp(&self, number: &StampNumber) -> Result<StampAnswer, UplinkError> {
        match self.get_json(&wire::paths::tax_stamp(number.as_str())) {
            Ok(body) => {
                let standing: StampStanding = serde_json::from_slice(&body)
                    .map_err(|e| UplinkError::Malformed(e.to_string()))?;
                if &standing.number != number {
                    return Err(UplinkError::Malformed(
                        "the answer is about another stamp".into(),
                    ));
                }
                Ok(StampAnswer::Known(standing))
            }
            Err(UplinkError::Status {
                status: 404, code, ..
            }) if code == TAX_STAMP_UNKNOWN => Ok(StampAnswer::Unknown),
            Err(e) => Err(e),
        }
    }
}
