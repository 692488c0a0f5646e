//! The crate's tests in one binary (changed here: they were three): exact scores against the NIST
//! C tool's on the fixtures, the overflow edges, and quick sanity checks.

mod golden;
mod overflow_edges;
mod smoke;
