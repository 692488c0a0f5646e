//! The pre-request file the centrals are started with (`central serve --prerequests`): one
//! validated first identity card per record of the day, booked at the town hall of the station
//! that will enrol it.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::plan;

/// Writes the pre-requests of `stations` stations sealing `records` each to `path`.
pub fn write(path: &Path, stations: usize, records: usize) -> anyhow::Result<()> {
    plan::check(stations, records)?;
    let file =
        std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    out.write_all(b"[")?;
    let mut first = true;
    for station in 0..stations {
        let town_hall = plan::town_hall(station);
        for record in 0..records {
            if !first {
                out.write_all(b",\n")?;
            }
            first = false;
            let entry = serde_json::json!({
                "number": plan::pre_request(station, record),
                "status": "validated",
                "document_type": "cni",
                "reason": "first",
                "applicant": {"surname": "Lefèvre", "given_names": "Hélène",
                    "birth_date": "1984-03-12", "birth_place": "Lyon (69)", "sex": "F",
                    "address": "1 rue de la Paix", "parents": []},
                "appointments": [{"meeting_point": "Mairie", "meeting_point_id": town_hall,
                    "appointment_date": "2026-12-01T09:00:00+01:00",
                    "management_url": "https://rdv.mairie.example/rendez-vous/1"}]
            });
            serde_json::to_writer(&mut out, &entry)?;
        }
    }
    out.write_all(b"]\n")?;
    out.flush()?;
    Ok(())
}
