//! The end-to-end tests in one binary: real drivers against the simulated devices over
//! pseudo-terminals, the station's enrolment, records, outbox and uploader against a real central on
//! loopback; and the repository's own hygiene.

// Support shared by the tests below.
mod camera_support;
mod enrolment_support;
mod fingerprint_support;
mod photo_support;
mod upload_support;

// The tests, one file per subject.
mod announcements_e2e;
mod audit_truncation;
mod camera_capture;
mod camera_cli;
mod camera_faults;
mod diagnose_devices;
mod discovery_hotplug;
mod discovery_ports;
mod discovery_soak;
mod enrolment_exemption;
mod enrolment_random;
mod enrolment_sequence;
mod enrolment_session;
mod fingerprint_capture;
mod fingerprint_faults;
mod fingerprint_probe;
mod fingerprint_soak;
mod handover_end_to_end;
mod matching_enrolment_payload;
mod outbox_crash;
mod outbox_durability;
mod photo_compliance;
mod photo_compression;
mod record_format;
mod repository_hygiene;
mod town_hall_scope;
mod upload_after_a_day_offline;
mod upload_bad_input;
mod upload_faults;
mod upload_no_plaintext;
mod upload_retry_policy;
mod upload_roundtrip;
mod upload_trust;
