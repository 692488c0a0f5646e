//! The tour's preparation on its own thread (the core keeps answering while the central is
//! asked), and what the home screen shows of a mobile kit. Apart from the core's handlers
//! (`tour.rs`) so that the view and the core's inputs name these types without naming the core.

use wire::appointments::DayAppointments;

use super::report::Reporter;
use crate::{
    mobile::{DayList, PrepareError},
    uplink::CentralClient,
};

/// The answer to "Préparer la tournée".
#[derive(Debug)]
pub(crate) struct TourReport {
    /// The day asked for.
    pub date: String,
    /// The list kept, or why not.
    pub outcome: Result<DayAppointments, PrepareError>,
}

/// What the home screen shows of a mobile kit.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TourView {
    /// The day of the list kept (`JJ/MM/AAAA`), none when no list is kept.
    pub day: Option<String>,
    /// Appointments left in the list (a sealed record takes its applicant out).
    pub appointments: usize,
    /// Records sealed and not yet acknowledged by the central, those waiting for a supervisor's
    /// approval included.
    pub waiting: u64,
    /// When the oldest of them was sealed, for people.
    pub waiting_since: Option<String>,
    /// A preparation is under way.
    pub preparing: bool,
}

pub(crate) fn start(
    client: CentralClient,
    list: DayList,
    date: String,
    events: Reporter<TourReport>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("tour".into())
        .spawn(move || {
            let outcome = crate::mobile::prepare(&client, &list, &date);
            events.send(TourReport { date, outcome });
        })
}
