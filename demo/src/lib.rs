//! The station's demo, in its own crate so that the clerk's binary carries none of it: the
//! reference national service started on loopback, the simulated fingerprint module and camera on
//! pseudo-terminals, a simulated applicant who lays the finger each screen asks for, the demo's
//! accounts and pre-request numbers, and the headless tools built on them (the self-test on
//! simulated devices, the crash-test worker sealing sample records).

pub mod accounts;
pub mod applicant;
pub mod cli;
pub mod enrol_test;
pub mod local_station;
pub mod qr_code;
pub mod run;
pub mod sample_record;
pub mod selftest;
pub mod signature;
pub mod sim_targets;
