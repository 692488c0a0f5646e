//! `central`: runs the reference national service.
fn main() {}
