//! Who the simulated stations are and what they enrol: station ids, their town halls and the
//! pre-request numbers of their applicants, the same in the catalogue the centrals load and in the
//! day the stations live.

/// The largest fleet and day a plan can number (four digits each in a pre-request number).
pub const MAX_STATIONS: usize = 9_999;
/// The most records one station seals in a day of the plan.
pub const MAX_RECORDS: usize = 9_999;

/// About 4,500 stations in about 2,500 town halls: five town halls for every nine stations.
const TOWN_HALLS_PER_NINE_STATIONS: usize = 5;

/// Station `index`'s id.
pub fn station_id(index: usize) -> String {
    format!("fleet-{index:04}")
}

/// The town hall station `index` belongs to.
pub fn town_hall(index: usize) -> String {
    format!("fleet-th-{:04}", index * TOWN_HALLS_PER_NINE_STATIONS / 9)
}

/// The pre-request of the `record`-th applicant of station `index`: `FL` and eight digits.
pub fn pre_request(index: usize, record: usize) -> String {
    format!("FL{index:04}{record:04}")
}

/// Checks that a fleet of `stations` sealing `records` each can be numbered.
pub fn check(stations: usize, records: usize) -> anyhow::Result<()> {
    anyhow::ensure!(
        (1..=MAX_STATIONS).contains(&stations),
        "between 1 and {MAX_STATIONS} stations"
    );
    anyhow::ensure!(
        (1..=MAX_RECORDS).contains(&records),
        "between 1 and {MAX_RECORDS} records per station"
    );
    Ok(())
}
