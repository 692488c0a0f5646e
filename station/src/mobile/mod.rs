//! The mobile kit: the same station taken to people who cannot come to the town hall (hospital,
//! care home, prison). Before leaving, online, it fetches the day's appointments (the pre-requests
//! booked for its town hall on that day) and keeps them encrypted at rest; away, it finds the
//! applicant in them without the network and seals records into the outbox as a counter does;
//! back online, the uploader sends them. The handover of the document at a second visit needs the
//! central (see `docs/mobile-kit.md`).

pub mod day_list;
pub mod prepare;
pub mod settings;

pub use day_list::{DayList, DayListError};
pub use prepare::{PrepareError, prepare};
pub use settings::ModeSettings;
