//! No plaintext at rest: after records were sealed, queued, some uploaded and purged, others still
//! waiting, the station's data directory (database, WAL, SHM, keys, anything else) holds none of the
//! images' bytes, neither the encoded ISO records nor raw pixel rows, nor the manifest.

#![allow(clippy::unwrap_used)]

use crate::upload_support;

use std::{path::Path, sync::Arc};

use station::{
    record::{FaceImageRecord, FingerImageRecord},
    seal::now_rfc3339,
    uplink::Uploader,
};
use station_demo::sample_record::{sample_payload, synthetic_finger};
use upload_support::*;

fn files_under(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            out.extend(files_under(&path));
        } else {
            out.push(path);
        }
    }
    out
}

#[test]
fn the_station_data_directory_never_holds_biometric_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let central = start_central(&dir.path().join("central"), "NP", 10);
    let station = Station::provision(&dir.path().join("station"), &central.url(), &central);
    let outbox = station.outbox();

    // Needles: slices of what went into each payload, regenerated from the same seeds.
    let mut needles: Vec<(String, Vec<u8>)> = vec![
        ("manifest format".into(), b"dr-station manifest v1".to_vec()),
        ("tar entry name".into(), b"fingers.iso19794-4".to_vec()),
        ("finger record magic".into(), b"FIR\x00010\x00".to_vec()),
        ("face record magic".into(), b"FAC\x00010\x00".to_vec()),
    ];
    let mut ids = Vec::new();
    for i in 0..6u64 {
        let id = uuid::Uuid::new_v4().to_string();
        let number = format!("NP{i:08}");
        let payload = sample_payload(
            &id,
            &station.config.station_id,
            &number,
            &now_rfc3339(),
            i,
            true,
        )
        .unwrap();
        let fingers = FingerImageRecord::parse(payload.fingers.as_deref().unwrap()).unwrap();
        for view in &fingers.views {
            let png = &view.image_data;
            for at in [png.len() / 4, png.len() / 2, png.len() * 3 / 4] {
                needles.push((format!("record {i} PNG at {at}"), png[at..at + 24].to_vec()));
            }
        }
        let face = FaceImageRecord::parse(payload.face.as_deref().unwrap()).unwrap();
        let jpeg = &face.image_data;
        needles.push((
            format!("record {i} JPEG"),
            jpeg[jpeg.len() / 2..jpeg.len() / 2 + 24].to_vec(),
        ));
        let pixels = synthetic_finger(i * 2, 256, 288);
        let row = 144 * 256 + 64;
        needles.push((
            format!("record {i} pixel row"),
            pixels.as_raw()[row..row + 64].to_vec(),
        ));
        let sealed = station.sealer.seal(&payload).unwrap();
        drop(payload);
        outbox.enqueue(&sealed, Some(&number)).unwrap();
        ids.push(id);
        if i == 3 {
            // Upload and purge the first four; the last two stay queued.
            let uploader = Uploader::start(
                Arc::clone(&outbox),
                station.config.central_client(),
                station.sealer.central.receipt_public_key,
                station.config.uploader,
                None,
            );
            assert!(wait_until(std::time::Duration::from_secs(20), || outbox
                .status()
                .unwrap()
                .purged
                == 4));
            uploader.stop();
        }
    }
    let status = outbox.status().unwrap();
    assert_eq!((status.purged, status.queued), (4, 2));

    // Scan while the database is open (WAL and SHM present), then again after it is closed.
    let scan = |phase: &str| {
        let files = files_under(&station.config.data_dir);
        assert!(
            files.iter().any(|f| f.ends_with("outbox.sqlite")),
            "{files:?}"
        );
        if phase == "open" {
            assert!(
                files.iter().any(|f| f.to_string_lossy().ends_with("-wal")),
                "WAL expected: {files:?}"
            );
        }
        for file in &files {
            let bytes = std::fs::read(file).unwrap();
            for (what, needle) in &needles {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == &needle[..]),
                    "{what} found in {} ({phase})",
                    file.display()
                );
            }
        }
    };
    scan("open");
    drop(outbox);
    scan("closed");
    // The scan can find things: the needles are in the central's opened payload.
    let control = sample_payload(
        &ids[0],
        &station.config.station_id,
        "NP00000000",
        &now_rfc3339(),
        0,
        true,
    )
    .unwrap();
    let tar = control.to_tar(0).unwrap();
    assert!(
        needles[4..7]
            .iter()
            .all(|(_, n)| tar.windows(n.len()).any(|w| w == &n[..])),
        "needles must be real"
    );
}
