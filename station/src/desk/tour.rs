//! The mobile kit at the desk. "Préparer la tournée" fetches the day's appointments on a thread
//! (the core keeps answering) and keeps them encrypted; away from the network the pre-request step
//! finds the applicant in them; a sealed record takes its applicant out of the list. The home
//! screen's panel says what is kept, how many records wait to be sent and since when.

use rust_i18n::t;
use tracing::{info, warn};

use super::{
    Busy,
    core::Core,
    input::Input,
    tour_worker::{TourReport, TourView, start},
};
use crate::{
    audit::AuditEvent,
    mobile::PrepareError,
    uplink::{PreRequest, PreRequestNumber, UplinkError},
};

/// `YYYY-MM-DD` as `JJ/MM/AAAA`.
fn day_for_people(date: &str) -> String {
    match (date.get(..4), date.get(5..7), date.get(8..10)) {
        (Some(y), Some(m), Some(d)) => format!("{d}/{m}/{y}"),
        _ => date.to_owned(),
    }
}

impl Core {
    fn tour_text(&self, key: &str) -> String {
        t!(key, locale = self.texts.language.code()).into_owned()
    }

    /// `Command::PrepareTour`.
    pub(crate) fn prepare_tour(&mut self, date: &str) {
        let Some(list) = self.stores.day_list.clone() else {
            let text = self.tour_text("mobile.not_a_kit");
            self.notice(true, text);
            return;
        };
        if self.view.tour.as_ref().is_some_and(|t| t.preparing) {
            let text = self.plain(super::texts::Plain::NotNow);
            self.notice(true, text);
            return;
        }
        let date = date.trim().to_owned();
        if !wire::appointments::is_date(&date) {
            let text = t!(
                "mobile.bad_date",
                locale = self.texts.language.code(),
                date = date
            )
            .into_owned();
            self.notice(true, text);
            return;
        }
        let reporter = self.reporter(Input::Tour);
        match start(self.central.client.clone(), list, date, reporter) {
            Ok(handle) => {
                self.central.keep(handle);
                self.view.busy = Some(Busy {
                    what: self.tour_text("mobile.preparing"),
                    progress: None,
                });
                if let Some(tour) = self.view.tour.as_mut() {
                    tour.preparing = true;
                }
            }
            Err(e) => {
                warn!(error = %e, "cannot start the tour's preparation");
                let text = self.tour_text("mobile.failed_unreachable");
                self.notice(true, text);
            }
        }
    }

    /// The preparation finished.
    pub(crate) fn tour_report(&mut self, report: TourReport) {
        self.view.busy = None;
        if let Some(tour) = self.view.tour.as_mut() {
            tour.preparing = false;
        }
        let l = self.texts.language.code();
        match report.outcome {
            Ok(day) => {
                let count = day.pre_requests.len();
                info!(date = %day.date, count, "tour prepared");
                let actor = self.actor();
                self.audit(
                    &actor,
                    &AuditEvent::TourPrepared {
                        date: day.date.clone(),
                        appointments: count,
                    },
                );
                let text = t!(
                    "mobile.prepared",
                    locale = l,
                    date = day_for_people(&day.date),
                    count = count
                )
                .into_owned();
                self.notice(false, text);
                self.view.devices.central = super::CentralStatus::Reachable;
            }
            Err(error) => {
                warn!(date = %report.date, %error, "tour not prepared");
                let key = match &error {
                    PrepareError::Central(e) if e.is_transient() => "mobile.failed_unreachable",
                    PrepareError::Central(UplinkError::Transport(_)) => "mobile.failed_unreachable",
                    PrepareError::Kept(_) => "mobile.failed_disk",
                    _ => "mobile.failed_refused",
                };
                let text = self.tour_text(key);
                self.notice(true, text);
            }
        }
        self.tour_list_changed();
    }

    /// The pre-request `number` from the day's list, when this station is a kit and holds it: the
    /// pre-request step then needs no network.
    pub(crate) fn in_day_list(&self, number: &PreRequestNumber) -> Option<PreRequest> {
        let list = self.stores.day_list.as_ref()?;
        match list.find(number) {
            Ok(found) => found,
            Err(e) => {
                warn!(error = %e, "day list unreadable");
                None
            }
        }
    }

    /// A record was sealed for `number`: the kit no longer keeps that person's data.
    pub(crate) fn tour_sealed(&mut self, number: &str) {
        let Some(list) = self.stores.day_list.as_ref() else {
            return;
        };
        match list.used(number) {
            Ok(true) => self.tour_list_changed(),
            Ok(false) => {}
            Err(e) => warn!(error = %e, "sealed pre-request not taken out of the day list"),
        }
    }

    /// Reads the list's day and count again (after it changed).
    pub(crate) fn tour_list_changed(&mut self) {
        let Some(list) = self.stores.day_list.as_ref() else {
            return;
        };
        let (day, appointments) = match list.load() {
            Ok(Some(day)) => (Some(day_for_people(&day.date)), day.pre_requests.len()),
            Ok(None) => (None, 0),
            Err(e) => {
                warn!(error = %e, "day list unreadable");
                (None, 0)
            }
        };
        let tour = self.view.tour.get_or_insert_with(TourView::default);
        tour.day = day;
        tour.appointments = appointments;
    }

    /// Refreshes what waits to be sent and since when. True when it changed.
    pub(crate) fn tour_refresh(&mut self) -> bool {
        if self.stores.day_list.is_none() {
            return false;
        }
        let status = match self.stores.outbox.status() {
            Ok(status) => status,
            Err(e) => {
                warn!(error = %e, "outbox status unreadable");
                return false;
            }
        };
        let tour = self.view.tour.get_or_insert_with(TourView::default);
        // A record waiting for a supervisor has not left the kit either: the agent back from a
        // visit must see it counted, not "nothing waits".
        let waiting = status.backlog() + status.awaiting_approval;
        let since = [status.oldest_unacknowledged_ms, status.oldest_awaiting_ms]
            .into_iter()
            .flatten()
            .min()
            .map(super::clock::for_people);
        let changed = tour.waiting != waiting || tour.waiting_since != since;
        tour.waiting = waiting;
        tour.waiting_since = since;
        changed
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_for_people() {
        assert_eq!(super::day_for_people("2026-12-14"), "14/12/2026");
    }
}
