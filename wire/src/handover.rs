//! The handover request: a station asks for a pre-request's reference templates
//! (`GET /v1/handover/{number}/templates`), signing a short message with its registered key. The
//! answer is the ISO/IEC 19794-2 record's bytes, with the record id in [`RECORD_ID`](crate::headers::RECORD_ID).

/// First line of the message a station signs for a handover request.
pub const HANDOVER_DOMAIN: &str = "handover-templates";

/// The message a station signs: [`HANDOVER_DOMAIN`], the canonical (upper-case) number, the
/// station id and the request time (RFC 3339), one per line, no trailing newline. A signature is
/// thus good for one number, one station and one moment only.
pub fn signed_message(number: &str, station_id: &str, time: &str) -> Vec<u8> {
    format!("{HANDOVER_DOMAIN}\n{number}\n{station_id}\n{time}").into_bytes()
}

/// The content type of the answer: the minutiae record's bytes, as they were in the sealed record.
pub const TEMPLATES_CONTENT_TYPE: &str = "application/octet-stream";

/// The `error` code of the 404 answer when no record with minutiae was received for the number.
pub const NO_TEMPLATES: &str = "no-templates";
