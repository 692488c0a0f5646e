//! The town hall a pre-request belongs to. A station is enrolled for one town hall (the ANTS
//! appointment API's `meeting_point_id`) and the central scopes it to that town hall's
//! appointments: what it may see, consume and hand over.

use crate::prerequest::{PreRequest, Status};

/// Error code of an answer refused because the pre-request or the document belongs to another
/// town hall than the asking station's.
pub const OTHER_TOWN_HALL: &str = "other-town-hall";

/// Whether `pre_request` has an appointment at `town_hall`: only then may a station of that town
/// hall read its content, file a record for it or hand its document over.
pub fn has_appointment_at(pre_request: &PreRequest, town_hall: &str) -> bool {
    !town_hall.is_empty()
        && pre_request
            .appointments
            .iter()
            .any(|a| a.meeting_point_id == town_hall)
}

/// Whether a station of `town_hall` may be told anything about `pre_request`. A pre-request with
/// no appointment at all that cannot be used anyway (declared, expired, unknown) tells nothing
/// about a person, and saying why it cannot be used helps the clerk; any other one must have an
/// appointment at the station's town hall.
pub fn visible_from(pre_request: &PreRequest, town_hall: &str) -> bool {
    has_appointment_at(pre_request, town_hall)
        || (pre_request.appointments.is_empty()
            && !matches!(pre_request.status, Status::Validated | Status::Consumed))
}
