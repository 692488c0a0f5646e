//! The central's endpoints: the route patterns the central serves (axum's `{name}` syntax) and the
//! paths the station requests, side by side so that they cannot differ.

/// Route of a record upload (`PUT`).
pub const RECORD_ROUTE: &str = "/v1/records/{record_id}";
/// Route of the ANTS-shaped status check (`GET`, `?application_ids=N&...`).
pub const STATUS_ROUTE: &str = "/api/status";
/// Route of a pre-request's content (`GET`).
pub const PRE_REQUEST_ROUTE: &str = "/v1/pre-requests/{number}";
/// Route of a handover check (`POST`, a sealed and signed claim; the answer is a signed decision).
pub const HANDOVER_ROUTE: &str = "/v1/handover";
/// Route of what the central holds for a handover of `number` (`GET`): whether a record arrived
/// and which fingers to ask for, before any finger is read.
pub const HANDOVER_SUBJECT_ROUTE: &str = "/v1/handover/{number}";
/// Route of a station's enrolment with a one-time code (`POST`, server-authenticated TLS only).
pub const ENROL_ROUTE: &str = "/v1/provisioning/enrol";
/// Route of a station's certificate renewal (`POST`, with its current client certificate).
pub const RENEW_ROUTE: &str = "/v1/certificate/renew";
/// Route of record announcements (`POST`, a batch of signed announcements).
pub const ANNOUNCEMENTS_ROUTE: &str = "/v1/announcements";
/// Route of the day's appointments of the asking station's town hall (`GET`, `?date=YYYY-MM-DD`),
/// which a mobile kit fetches before leaving.
pub const APPOINTMENTS_ROUTE: &str = "/v1/appointments";
/// Route of what the central knows of an electronic tax stamp (`GET`).
pub const TAX_STAMP_ROUTE: &str = "/v1/tax-stamps/{number}";
/// Route of the health check (`GET`).
pub const HEALTH_ROUTE: &str = "/v1/health";

/// The query parameter of the status check.
pub const STATUS_QUERY_PARAMETER: &str = "application_ids";

/// Path of the upload of record `record_id`.
pub fn record(record_id: &str) -> String {
    RECORD_ROUTE.replace("{record_id}", record_id)
}

/// Path and query of the status check of one pre-request number.
pub fn status(number: &str) -> String {
    format!("{STATUS_ROUTE}?{STATUS_QUERY_PARAMETER}={number}")
}

/// Path of the content of pre-request `number`.
pub fn pre_request(number: &str) -> String {
    PRE_REQUEST_ROUTE.replace("{number}", number)
}

/// Path and query of the day's appointments on `date` (`YYYY-MM-DD`).
pub fn appointments(date: &str) -> String {
    format!(
        "{APPOINTMENTS_ROUTE}?{}={date}",
        crate::appointments::DATE_QUERY_PARAMETER
    )
}

/// Path of what the central knows of tax stamp `number`.
pub fn tax_stamp(number: &str) -> String {
    TAX_STAMP_ROUTE.replace("{number}", number)
}

/// Path of what the central holds for a handover of `number`.
pub fn handover_subject(number: &str) -> String {
    HANDOVER_SUBJECT_ROUTE.replace("{number}", number)
}

#[cfg(test)]
mod tests {
    #[test]
    fn paths_fill_the_routes() {
        assert_eq!(
            super::record("0b7f3c52-8a51-4c1e-9d0a-3f6b2e1c4d5a"),
            "/v1/records/0b7f3c52-8a51-4c1e-9d0a-3f6b2e1c4d5a"
        );
        assert_eq!(
            super::status("AB12CD34EF"),
            "/api/status?application_ids=AB12CD34EF"
        );
        assert_eq!(
            super::pre_request("AB12CD34EF"),
            "/v1/pre-requests/AB12CD34EF"
        );
    }
}
