//! The wire format's tests in one binary: the golden files, and the framing parser fed arbitrary
//! bytes.

// Support shared by the tests below.

// The tests, one file per subject.
mod framing;
mod golden;
mod signature;
