//! The central at rest: a data directory only its owner can read, every file created so and
//! checked at start, templates encrypted, staging files of a killed process cleaned up.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use crate::common::*;

/// Every entry under `dir` whose mode lets anyone but the owner in, as (path, mode).
fn loose_entries(dir: &Path) -> Vec<(String, u32)> {
    let mut loose = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(path) = stack.pop() {
        let meta = std::fs::symlink_metadata(&path).unwrap();
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            loose.push((path.display().to_string(), mode));
        }
        if meta.is_dir() {
            for entry in std::fs::read_dir(&path).unwrap() {
                stack.push(entry.unwrap().path());
            }
        }
    }
    loose
}

/// A central whose data directory is created by the central itself, with one record received.
fn central_with_a_record(root: &Path) -> (central::RunningCentral, TestStation, String, Vec<u8>) {
    let (central, station) = start_sqlite(&root.join("central"));
    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    let record = seal(&spec, &station, central.public_keys());
    let answer = put_record(&central.url(), &spec.record_id, &record);
    assert_eq!(answer.status, 200, "{}", answer.body);
    (central, station, spec.record_id, record)
}

#[test]
fn the_data_directory_and_every_file_in_it_are_private() {
    let root = crate::common::private_tempdir();
    let (central, _station, _, _) = central_with_a_record(root.path());
    let data = central.data_dir().to_path_buf();
    // Checked while running (the SQLite journals exist) and after a stop.
    assert_eq!(loose_entries(&data), Vec::<(String, u32)>::new());
    central.stop();
    assert_eq!(loose_entries(&data), Vec::<(String, u32)>::new());
    let mode = std::fs::metadata(&data).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o700);
}

#[test]
fn a_loose_mode_is_refused_at_start_and_named() {
    let root = crate::common::private_tempdir();
    let (central, _station, _, _) = central_with_a_record(root.path());
    let data = central.data_dir().to_path_buf();
    central.stop();

    let database = data.join("central.sqlite");
    std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o644)).unwrap();
    let error = central::Central::start(central::CentralConfig::new(&data))
        .expect_err("a world-readable database was accepted")
        .to_string();
    assert!(error.contains("central.sqlite"), "{error}");
    assert!(error.contains("644"), "{error}");
    std::fs::set_permissions(&database, std::fs::Permissions::from_mode(0o600)).unwrap();

    let records = data.join("records");
    std::fs::set_permissions(&records, std::fs::Permissions::from_mode(0o755)).unwrap();
    let error = central::Central::start(central::CentralConfig::new(&data))
        .expect_err("a world-readable records directory was accepted")
        .to_string();
    assert!(error.contains("records"), "{error}");
    assert!(error.contains("755"), "{error}");
    std::fs::set_permissions(&records, std::fs::Permissions::from_mode(0o700)).unwrap();

    central::Central::start(central::CentralConfig::new(&data))
        .expect("starts again once the modes are put right")
        .stop();
}

#[test]
fn staging_files_left_by_a_kill_are_removed_at_start_and_nothing_valid_is_lost() {
    let root = crate::common::private_tempdir();
    let (central, station, record_id, record) = central_with_a_record(root.path());
    let data = central.data_dir().to_path_buf();
    let receipt = receipt_of(&put_record(&central.url(), &record_id, &record));
    central.stop();

    // What a SIGKILL during a store leaves: the partial copy beside the record, and one of a
    // record that never got its receipt.
    let records = data.join("records");
    let orphan = uuid::Uuid::new_v4();
    let planted = [
        records.join(format!("{record_id}.drrec#1")),
        records.join(format!("{orphan}.drrec#7")),
    ];
    for path in &planted {
        plant_staging_file(path, &record, STALE);
    }

    let again = central::Central::start(central::CentralConfig::new(&data)).unwrap();
    for path in &planted {
        assert!(!path.exists(), "{} is still there", path.display());
    }
    assert_eq!(
        std::fs::read(records.join(format!("{record_id}.drrec"))).unwrap(),
        record,
        "the received record is intact"
    );
    use_identity(&again.url(), station.tls.as_ref().unwrap());
    let replay = put_record(&again.url(), &record_id, &record);
    assert_eq!(receipt_of(&replay), receipt);
}

/// Older than any write in flight: what a killed process left.
const STALE: std::time::Duration = std::time::Duration::from_secs(3600);

/// A staging file as a store leaves it, last written `age` ago.
fn plant_staging_file(path: &Path, bytes: &[u8], age: std::time::Duration) {
    let mut options = std::fs::OpenOptions::new();
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.write(true).create_new(true).open(path).unwrap();
    std::io::Write::write_all(&mut file, bytes).unwrap();
    file.set_modified(std::time::SystemTime::now() - age)
        .unwrap();
}

#[test]
fn a_replica_starting_leaves_the_staging_file_of_a_write_still_in_flight() {
    let root = crate::common::private_tempdir();
    let (central, _station, _record_id, record) = central_with_a_record(root.path());
    let data = central.data_dir().to_path_buf();

    // Another replica on the same records directory, in the middle of storing a record: its
    // staging file was written a moment ago and is about to be renamed into place.
    let in_flight = data
        .join("records")
        .join(format!("{}.drrec#1", uuid::Uuid::new_v4()));
    plant_staging_file(&in_flight, &record, std::time::Duration::ZERO);

    let second = central::Central::start(central::CentralConfig::new(&data)).unwrap();
    assert!(
        in_flight.exists(),
        "a replica starting removed another's write in flight"
    );
    second.stop();
    central.stop();
}

#[test]
fn templates_are_encrypted_at_rest() {
    let root = crate::common::private_tempdir();
    let data = root.path().join("central");
    let (central, station) = start_sqlite(&data);
    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    let minutiae = fmr_2011(&[2, 7], 24);
    let tar = tar_of(&[
        (
            "manifest.json".into(),
            serde_json::to_vec(&spec.manifest()).unwrap(),
        ),
        (
            "fingers.iso19794-4".into(),
            fir(&[(2, 192, 192), (7, 192, 192)]),
        ),
        ("face.iso19794-5".into(), fac(240, 320)),
        ("fingers.iso19794-2".into(), minutiae.clone()),
    ]);
    let keys = central.public_keys();
    let header = HeaderSpec::new(&spec.record_id, &station.id, &keys.central_key_id);
    let record = seal_with_header(&header.json(), &keys.record_public_key, &station.key, &tar);
    let answer = put_record(&central.url(), &spec.record_id, &record);
    assert_eq!(answer.status, 200, "{}", answer.body);
    central.stop();

    let store = central::templates::TemplateStore::open(&data).unwrap();
    let kept = store.get("DEMO000001").unwrap().expect("templates kept");
    assert_eq!(
        kept.minutiae, minutiae,
        "read back in clear through the store"
    );
    drop(store);
    // A minutia block is 6 bytes; any 24-byte run of the record would betray it.
    let needle = &minutiae[minutiae.len() - 40..minutiae.len() - 16];
    for name in ["templates.sqlite", "templates.sqlite-wal"] {
        if let Ok(bytes) = std::fs::read(data.join(name)) {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle),
                "{name} holds the minutiae in clear"
            );
        }
    }
    let key = data.join("keys/templates.key");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
}

#[test]
fn the_opened_plaintext_of_a_record_is_wiped_once_parsed() {
    use crate::freed_memory::{MARKER, freed_with_marker};
    let dir = crate::common::private_tempdir();
    let (central, station) = start_sqlite(dir.path());
    let keys = central.public_keys().clone();
    let spec = PayloadSpec::new(&station.id, "DEMO000001");
    // A block after the archive's end: the tar reader never reaches it, so its bytes exist only
    // in the opened plaintext, and a freed buffer holding them is the plaintext not wiped.
    let mut tar = spec.tar();
    let mut block = vec![0u8; 512];
    block[..MARKER.len()].copy_from_slice(&MARKER);
    tar.extend_from_slice(&block);
    let header = HeaderSpec::new(&spec.record_id, &station.id, &keys.central_key_id);
    let record = seal_with_header(&header.json(), &keys.record_public_key, &station.key, &tar);

    let mut status = 0;
    let not_wiped = freed_with_marker(|| {
        status = put_record(&central.url(), &spec.record_id, &record).status;
    });
    assert_eq!(status, 200, "the record was refused");
    assert_eq!(
        not_wiped, 0,
        "the central freed the opened plaintext without wiping it"
    );
    drop((tar, block));
}
