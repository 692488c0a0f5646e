//! "Préparer la tournée": before leaving, online, the kit fetches the day's appointments of its
//! town hall from the central and keeps them encrypted ([`super::DayList`]). The answer is checked
//! before it is kept: every pre-request must be usable and booked for that day at the town hall
//! the central says, so that a wrong answer cannot fill the kit with other people's data.

use wire::appointments::{DayAppointments, booked_on, is_date, usable};

use super::{DayList, DayListError};
use crate::uplink::{CentralClient, UplinkError};

/// Why the day could not be prepared.
#[derive(Debug, thiserror::Error)]
pub enum PrepareError {
    /// The day is not `YYYY-MM-DD`.
    #[error("{0:?} is not a day written YYYY-MM-DD")]
    BadDate(String),
    /// The central did not answer, or refused.
    #[error(transparent)]
    Central(#[from] UplinkError),
    /// The central's answer does not match the question.
    #[error("the central's list does not match the day asked: {0}")]
    Mismatch(String),
    /// The list could not be kept.
    #[error(transparent)]
    Kept(#[from] DayListError),
}

impl CentralClient {
    /// `GET /v1/appointments?date=`: the usable pre-requests booked at this station's town hall
    /// on `date`.
    pub fn day_appointments(&self, date: &str) -> Result<DayAppointments, UplinkError> {
        let body = self.get_json(&wire::paths::appointments(date))?;
        serde_json::from_slice(&body).map_err(|e| UplinkError::Malformed(e.to_string()))
    }
}

/// Checks that `day` answers the question for `date`.
pub fn check(day: &DayAppointments, date: &str) -> Result<(), PrepareError> {
    if day.date != date {
        return Err(PrepareError::Mismatch(format!(
            "asked {date}, got {}",
            day.date
        )));
    }
    if let Some(odd) = day
        .pre_requests
        .iter()
        .find(|p| !usable(p) || !booked_on(p, &day.town_hall, date))
    {
        return Err(PrepareError::Mismatch(format!(
            "pre-request {} is not a usable appointment at {} that day",
            odd.number, day.town_hall
        )));
    }
    Ok(())
}

/// Fetches the day's appointments and keeps them; returns the list kept (the count is what the
/// clerk is told).
pub fn prepare(
    client: &CentralClient,
    list: &DayList,
    date: &str,
) -> Result<DayAppointments, PrepareError> {
    if !is_date(date) {
        return Err(PrepareError::BadDate(date.to_owned()));
    }
    let day = client.day_appointments(date)?;
    check(&day, date)?;
    list.save(&day)?;
    tracing::info!(
        date,
        town_hall = %day.town_hall,
        count = day.pre_requests.len(),
        "day's appointments kept for the mobile kit"
    );
    Ok(day)
}
