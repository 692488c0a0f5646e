//! The simulated firmware's integration tests in one binary: byte-level clients over real
//! pseudo-terminals.

// Support shared by the tests below.

// The tests, one file per subject.
mod pty_line;
mod zfm_binary;
mod zfm_models;
mod zfm_raw_client;
