//! The reference central's integration tests in one binary: its HTTP API, intake, storage and
//! command line, and its reading of the wire format's golden files.

// Support shared by the tests below.
mod common;
// The fleet load test's stations (the `fleet` example runs them by hand at scale).
mod fleet_tool;
mod freed_memory;

// The tests, one file per subject.
mod announcements;
mod ants_status;
mod appointments;
mod at_rest;
mod audit_checkpoints;
mod cli;
mod fleet;
mod handover;
mod http_limits;
mod intake;
mod paper_form;
mod parsers;
mod physical;
mod prerequests;
mod prints_refused;
mod replicas;
mod restart;
mod s3;
mod s3_replicas;
mod scope;
mod shared_templates;
mod signature;
mod station_keys;
mod tax_stamps;
mod trust;
mod wire_golden;
