//! The opened payload: a ustar tar holding `manifest.json` and the ISO/IEC 19794 records, checked
//! against each other (entry names and rules from docs/record-format.md, "Payload").

use std::collections::BTreeMap;
use std::io::Read;

use zeroize::Zeroizing;

use super::manifest::{MANIFEST_FORMAT, Manifest, PHOTO_FROM_CAMERA, PHOTO_ON_PAPER, UNDER_12};
use super::{images, iso19794_2, iso19794_4, iso19794_5};

pub use wire::payload_entries::{
    FACE_ENTRY, FINGERS_ENTRY, KNOWN_ENTRIES, MANIFEST_ENTRY, MINUTIAE_ENTRY, SIGNATURE_ENTRY,
    SIGNATURE_IMAGE_ENTRY,
};

/// Why the payload was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct PayloadError(pub String);

fn fail<T>(text: impl Into<String>) -> Result<T, PayloadError> {
    Err(PayloadError(text.into()))
}

/// A payload that passed every check.
#[derive(Debug, Clone)]
pub struct Payload {
    /// The manifest.
    pub manifest: Manifest,
    /// The finger image record, when fingers were taken.
    pub fingers: Option<iso19794_4::FingerImageRecord>,
    /// The face record, when the photo was taken on site.
    pub face: Option<iso19794_5::FaceRecord>,
    /// The minutiae record's bytes, kept for handover (templates/).
    pub minutiae: Option<crate::templates::MinutiaeRecordBytes>,
}

/// Reads the tar's entries, refusing anything but regular ustar files with known, unique names.
/// Each entry's bytes are wiped when dropped (they are copies of the opened payload).
pub fn read_entries(
    tar_bytes: &[u8],
) -> Result<BTreeMap<String, Zeroizing<Vec<u8>>>, PayloadError> {
    if tar_bytes.len() < 512 || !tar_bytes.len().is_multiple_of(512) {
        return fail(format!(
            "the payload is {} bytes, not a whole number of 512-byte tar blocks",
            tar_bytes.len()
        ));
    }
    let mut archive = tar::Archive::new(tar_bytes);
    let mut entries = BTreeMap::new();
    let iter = archive
        .entries()
        .map_err(|e| PayloadError(format!("the payload is not a tar: {e}")))?;
    for entry in iter {
        let mut entry =
            entry.map_err(|e| PayloadError(format!("the payload tar is damaged: {e}")))?;
        let header = entry.header();
        if header.as_ustar().is_none() {
            return fail("a payload tar entry is not in ustar format");
        }
        if header.entry_type() != tar::EntryType::Regular {
            return fail(format!(
                "payload tar entry of type {:?}: only regular files are allowed",
                header.entry_type()
            ));
        }
        let name = entry
            .path()
            .map_err(|e| PayloadError(format!("a payload tar entry name is unreadable: {e}")))?
            .to_str()
            .map(str::to_owned)
            .ok_or_else(|| PayloadError("a payload tar entry name is not UTF-8".into()))?;
        if !KNOWN_ENTRIES.contains(&name.as_str()) {
            return fail(format!("unexpected payload entry {name:?}"));
        }
        let size = usize::try_from(entry.size())
            .ok()
            .filter(|size| *size <= tar_bytes.len())
            .ok_or_else(|| {
                PayloadError(format!("payload entry {name} claims an impossible size"))
            })?;
        let mut data = Zeroizing::new(Vec::with_capacity(size));
        entry
            .read_to_end(&mut data)
            .map_err(|e| PayloadError(format!("payload entry {name} is truncated: {e}")))?;
        if data.len() != size {
            return fail(format!("payload entry {name} is truncated"));
        }
        if entries.insert(name.clone(), data).is_some() {
            return fail(format!("payload entry {name} appears twice"));
        }
    }
    Ok(entries)
}

/// Parses and cross-checks the payload. `record_id` and `station_id` come from the verified header.
pub fn check(tar_bytes: &[u8], record_id: &str, station_id: &str) -> Result<Payload, PayloadError> {
    let mut entries = read_entries(tar_bytes)?;
    let manifest_bytes = entries
        .remove(MANIFEST_ENTRY)
        .ok_or_else(|| PayloadError("the payload has no manifest.json".into()))?;
    let manifest: Manifest = serde_json::from_slice(&manifest_bytes)
        .map_err(|e| PayloadError(format!("manifest.json: {e}")))?;
    check_manifest(&manifest, record_id, station_id)?;

    let fingers = match entries.remove(FINGERS_ENTRY) {
        Some(bytes) => {
            let record = iso19794_4::parse(&bytes).map_err(|e| PayloadError(e.to_string()))?;
            check_fingers_match(&manifest, &record)?;
            Some(record)
        }
        None if manifest.fingers.is_empty() => None,
        None => {
            return fail("the manifest lists fingers but the payload has no fingers.iso19794-4");
        }
    };
    let face = match entries.remove(FACE_ENTRY) {
        Some(bytes) => {
            if manifest.photo.is_none() {
                return fail("the payload has a face record but the manifest has no photo");
            }
            let record = iso19794_5::parse(&bytes).map_err(|e| PayloadError(e.to_string()))?;
            check_face_images(&record)?;
            Some(record)
        }
        None => {
            if manifest
                .photo
                .as_ref()
                .is_some_and(|p| p.source == PHOTO_FROM_CAMERA)
            {
                return fail(
                    "the photo was taken by camera but the payload has no face.iso19794-5",
                );
            }
            None
        }
    };
    super::signature::check(
        &manifest,
        entries
            .remove(SIGNATURE_ENTRY)
            .as_deref()
            .map(Vec::as_slice),
        entries
            .remove(SIGNATURE_IMAGE_ENTRY)
            .as_deref()
            .map(Vec::as_slice),
    )?;
    let minutiae = entries.remove(MINUTIAE_ENTRY);
    if let Some(minutiae) = &minutiae {
        let record = iso19794_2::parse(minutiae).map_err(|e| PayloadError(e.to_string()))?;
        if let Some(stray) = record
            .views
            .iter()
            .find(|v| !manifest.fingers.iter().any(|f| f.position == v.position))
        {
            return fail(format!(
                "the minutiae record has finger position {}, which the manifest does not list",
                stray.position
            ));
        }
    }
    Ok(Payload {
        manifest,
        fingers,
        face,
        // Kept for the handover (sealed at rest by the templates' store): moved out, not copied.
        minutiae: minutiae
            .map(|mut bytes| crate::templates::MinutiaeRecordBytes(std::mem::take(&mut *bytes))),
    })
}

fn check_manifest(m: &Manifest, record_id: &str, station_id: &str) -> Result<(), PayloadError> {
    if m.format != MANIFEST_FORMAT {
        return fail(format!(
            "manifest format {:?}, expected {MANIFEST_FORMAT:?}",
            m.format
        ));
    }
    if !m.record_id.eq_ignore_ascii_case(record_id) {
        return fail(format!(
            "manifest record_id {} differs from the header's {record_id}",
            m.record_id
        ));
    }
    if m.station_id != station_id {
        return fail(format!(
            "manifest station_id {} differs from the header's {station_id}",
            m.station_id
        ));
    }
    // The reference is read out to the applicant and printed on the receipt: a record whose
    // reference is not the one its id gives would be found under the wrong one. Records sealed
    // before the reference existed carry none.
    let expected = wire::case_reference::case_reference(&m.record_id);
    if !m.case_reference.is_empty() && m.case_reference != expected {
        return fail(format!(
            "manifest case_reference {:?} is not the record's ({expected})",
            m.case_reference
        ));
    }
    if time::OffsetDateTime::parse(
        &m.created_at,
        &time::format_description::well_known::Rfc3339,
    )
    .is_err()
    {
        return fail(format!(
            "manifest created_at {:?} is not RFC 3339",
            m.created_at
        ));
    }
    if !matches!(
        m.document_type.as_str(),
        "cni" | "passport" | "cni+passport"
    ) {
        return fail(format!("manifest document_type {:?}", m.document_type));
    }
    if let Some(photo) = &m.photo
        && !matches!(photo.source.as_str(), PHOTO_FROM_CAMERA | PHOTO_ON_PAPER)
    {
        return fail(format!("photo source {:?} (camera or paper)", photo.source));
    }
    match m.exemption.as_deref() {
        None | Some(UNDER_12) => {}
        Some(other) => return fail(format!("exemption {other:?} (only under-12)")),
    }
    let mut seen = Vec::new();
    for finger in &m.fingers {
        if !(1..=10).contains(&finger.position) {
            return fail(format!("finger position {} (1..=10)", finger.position));
        }
        if seen.contains(&finger.position) {
            return fail(format!("finger position {} listed twice", finger.position));
        }
        seen.push(finger.position);
        if finger.quality.score > 100 {
            return fail(format!(
                "finger {} quality {} (0..=100)",
                finger.position, finger.quality.score
            ));
        }
        if finger.attempts == 0 {
            return fail(format!("finger {} has 0 attempts", finger.position));
        }
    }
    for exception in &m.finger_exceptions {
        if !(1..=10).contains(&exception.position) {
            return fail(format!(
                "finger exception position {} (1..=10)",
                exception.position
            ));
        }
        if seen.contains(&exception.position) {
            return fail(format!(
                "finger position {} is both captured and an exception",
                exception.position
            ));
        }
        if exception.reason.trim().is_empty() {
            return fail(format!(
                "finger exception {} has no reason",
                exception.position
            ));
        }
        seen.push(exception.position);
    }
    if m.exemption.is_some() && !m.fingers.is_empty() {
        return fail("the applicant is exempt from fingerprints but fingers are listed");
    }
    if m.exemption.is_none() && m.fingers.is_empty() && m.finger_exceptions.is_empty() {
        return fail("no finger, no exception and no exemption");
    }
    Ok(())
}

fn check_fingers_match(
    m: &Manifest,
    record: &iso19794_4::FingerImageRecord,
) -> Result<(), PayloadError> {
    if m.fingers.is_empty() {
        return fail("the payload has a finger record but the manifest lists no finger");
    }
    let mut in_record: Vec<u8> = record.views.iter().map(|v| v.position).collect();
    in_record.sort_unstable();
    in_record.dedup();
    let mut in_manifest: Vec<u8> = m.fingers.iter().map(|f| f.position).collect();
    in_manifest.sort_unstable();
    if in_record != in_manifest {
        return fail(format!(
            "finger positions differ: manifest {in_manifest:?}, ISO record {in_record:?}"
        ));
    }
    // The record format asks for lossless PNG inside, at 500 ppi (docs/record-format.md).
    if record.compression != iso19794_4::COMPRESSION_PNG {
        return fail(format!(
            "finger images use compression {}, expected 5 (PNG)",
            record.compression
        ));
    }
    let ppi_ok = |r: u16| match record.scale_units {
        1 => r == 500,
        _ => r == 197,
    };
    if !ppi_ok(record.image_resolution.0) || !ppi_ok(record.image_resolution.1) {
        return fail(format!(
            "finger images at {:?} (units {}), expected 500 ppi",
            record.image_resolution, record.scale_units
        ));
    }
    // Every stated size before any decoding: one absurd view refuses the record at no cost.
    for (index, view) in record.views.iter().enumerate() {
        images::check_stated_size(view.width, view.height, images::MAX_FINGER_SIDE)
            .map_err(|e| PayloadError(format!("finger view {index}: {e}")))?;
    }
    for (index, view) in record.views.iter().enumerate() {
        let decoded = images::decode(
            &view.image,
            image::ImageFormat::Png,
            view.width,
            view.height,
        )
        .map_err(|e| PayloadError(format!("finger view {index}: {e}")))?;
        if (decoded.width, decoded.height) != (u32::from(view.width), u32::from(view.height)) {
            return fail(format!(
                "finger view {index}: PNG is {}x{}, the header says {}x{}",
                decoded.width, decoded.height, view.width, view.height
            ));
        }
        let depth = match decoded.color {
            image::ColorType::L8 => 8,
            image::ColorType::L16 => 16,
            other => {
                return fail(format!(
                    "finger view {index}: PNG is {other:?}, expected greyscale"
                ));
            }
        };
        if depth != record.pixel_depth {
            return fail(format!(
                "finger view {index}: PNG has {depth}-bit pixels, the header says {}",
                record.pixel_depth
            ));
        }
    }
    Ok(())
}

fn check_face_images(record: &iso19794_5::FaceRecord) -> Result<(), PayloadError> {
    for (index, face) in record.images.iter().enumerate() {
        let format = match face.image_data_type {
            0 => image::ImageFormat::Jpeg,
            // No JPEG 2000 decoder here: its signature was checked by the parser.
            _ => continue,
        };
        images::check_stated_size(face.width, face.height, images::MAX_FACE_SIDE)
            .map_err(|e| PayloadError(format!("face image {index}: {e}")))?;
        let decoded = images::decode(&face.image, format, face.width, face.height)
            .map_err(|e| PayloadError(format!("face image {index}: {e}")))?;
        if (decoded.width, decoded.height) != (u32::from(face.width), u32::from(face.height)) {
            return fail(format!(
                "face image {index}: JPEG is {}x{}, the header says {}x{}",
                decoded.width, decoded.height, face.width, face.height
            ));
        }
    }
    Ok(())
}
