//! The pre-request lookup, on a short-lived thread so that the core keeps answering while the
//! national service is asked (it fails closed after the configured timeout).

use std::time::{Duration, Instant};

use super::report::Reporter;
use crate::uplink::{CentralClient, PreRequest, PreRequestNumber, UplinkError};

/// The answer to one lookup.
#[derive(Debug)]
pub(crate) struct LookupReport {
    /// Which lookup this answers (a newer one makes older answers stale).
    pub ticket: u64,
    /// The pre-request when usable, or why not.
    pub outcome: Result<PreRequest, UplinkError>,
    /// Status and content fetch, together.
    pub elapsed: Duration,
}

/// Why a pre-request cannot be used, as the clerk's sentence is chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Refusal {
    /// Already used for a record.
    Consumed,
    /// Not recognised as official.
    Declared,
    /// Not known (or not found).
    Unknown,
    /// Expired.
    Expired,
    /// The central did not answer or answered garbage.
    Unreachable,
    /// The central refused the station's token.
    RefusedToken,
    /// The central refused the station itself: revoked, certificate replaced or missing.
    StationRefused,
    /// The central could not be authenticated (a server with another CA in the way), or the
    /// station is not provisioned to reach it (no certificate, address not https).
    Untrusted,
    /// Malformed number.
    BadNumber,
    /// The pre-request's appointment is at another town hall: this station may not use it.
    OtherTownHall,
    /// The central refuses new pre-requests: records this station announced never arrived.
    CentralFrozen,
}

impl Refusal {
    /// Sorts an uplink error into the clerk's categories (fails closed: anything unclear is
    /// "unreachable", i.e. try again later).
    pub(crate) fn of(error: &UplinkError) -> Self {
        match error {
            UplinkError::BadNumber(_) => Self::BadNumber,
            e if e.is_other_town_hall() => Self::OtherTownHall,
            e if e.is_announced_records_missing() => Self::CentralFrozen,
            UplinkError::NotFound => Self::Unknown,
            UplinkError::Unauthorized => Self::RefusedToken,
            UplinkError::Status {
                status: 200, code, ..
            } => match code.as_str() {
                "consumed" => Self::Consumed,
                "declared" => Self::Declared,
                "expired" => Self::Expired,
                _ => Self::Unknown,
            },
            UplinkError::Status {
                status: 401 | 403, ..
            } => Self::StationRefused,
            UplinkError::UntrustedCentral(_) | UplinkError::Trust(_) => Self::Untrusted,
            _ => Self::Unreachable,
        }
    }

    /// Whether the central answered (for the devices view).
    pub(crate) fn central_answered(self) -> bool {
        !matches!(self, Self::Unreachable)
    }
}

/// Starts a lookup; its report arrives on `events`.
pub(crate) fn start(
    client: CentralClient,
    number: PreRequestNumber,
    ticket: u64,
    events: Reporter<LookupReport>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("pre-request".into())
        .spawn(move || {
            let started = Instant::now();
            let outcome = client.usable_pre_request(&number);
            let elapsed = started.elapsed();
            events.send(LookupReport {
                ticket,
                outcome,
                elapsed,
            });
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refused_station_and_an_untrusted_central_are_told_apart_from_an_outage() {
        let revoked = UplinkError::Status {
            status: 403,
            code: "station-revoked".into(),
            detail: String::new(),
        };
        assert_eq!(Refusal::of(&revoked), Refusal::StationRefused);
        assert!(Refusal::of(&revoked).central_answered());
        assert_eq!(
            Refusal::of(&UplinkError::UntrustedCentral("another CA".into())),
            Refusal::Untrusted
        );
        assert_eq!(
            Refusal::of(&UplinkError::Trust("not https".into())),
            Refusal::Untrusted
        );
        assert_eq!(
            Refusal::of(&UplinkError::Transport("refused".into())),
            Refusal::Unreachable
        );
        let elsewhere = UplinkError::Status {
            status: 403,
            code: wire::town_hall::OTHER_TOWN_HALL.into(),
            detail: String::new(),
        };
        assert_eq!(Refusal::of(&elsewhere), Refusal::OtherTownHall);
        assert!(Refusal::of(&elsewhere).central_answered());
    }
}
