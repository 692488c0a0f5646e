//! The reference national service the station talks to.
