//! The fleet load test's code (`fleet_tool`, run by hand as the `fleet` example through
//! scripts/fleet.sh) on a small fleet against one central in this process: every station enrols
//! with its own certificate, every record gets a verified receipt, and the audit finds nothing
//! lost, duplicated or orphaned — and does find a record whose object went missing, and a stray
//! object.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use crate::common::*;
use crate::fleet_tool::{DayPlan, FleetRun, catalogue};

#[test]
fn a_small_fleet_gets_each_record_receipted_once_and_the_audit_sees_what_goes_missing() {
    let dir = private_tempdir();
    let (stations, records) = (3, 2);
    let prerequests = dir.path().join("prerequests.json");
    catalogue::write(&prerequests, stations, records).unwrap();
    let data = dir.path().join("data");
    let mut config = config(&data);
    config.prerequests = central::PreRequestSource::File(prerequests);
    let central = central::Central::start(config).unwrap();
    let db = open_database(&data).unwrap();

    let run = FleetRun {
        stations,
        plan: DayPlan {
            base: central.url(),
            records,
            workers: 2,
            rate: None,
        },
        faults: Vec::new(),
    };
    let mut report = run.run(central.ca_pem(), &db).unwrap();
    report.audit_against(&db, &data).unwrap();
    let lines = report.lines().join("\n");
    assert_eq!(report.receipted(), stations * records, "{lines}");
    assert_eq!(report.tally.failure_count(), 0, "{lines}");
    assert!(report.clean(), "{lines}");
    assert_eq!(db.receipt_count().unwrap(), (stations * records) as u64);

    // One stored record deleted, one stray object: the audit must say so.
    let gone = &report.outcomes[0].record_id;
    std::fs::remove_file(data.join("records").join(format!("{gone}.drrec"))).unwrap();
    let stray = data
        .join("records")
        .join("00000000-0000-4000-8000-000000000000.drrec");
    std::fs::write(&stray, b"no receipt for this").unwrap();
    report.audit_against(&db, &data).unwrap();
    assert_eq!(report.audit.lost(), 1);
    assert_eq!(report.audit.object_missing, 1);
    assert_eq!(report.audit.objects_without_receipt, 1);
    assert_eq!(report.audit.orphaned(), 2);
    assert!(!report.clean());
}
