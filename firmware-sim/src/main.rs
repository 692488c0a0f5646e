//! `firmware-sim`: serves a simulated device on a pseudo-terminal.
fn main() {}
