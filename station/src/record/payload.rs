//! The plaintext payload: a POSIX ustar archive of `manifest.json` and the ISO records. It lives
//! only in memory and is wiped when dropped.

use std::io::Read;

use zeroize::Zeroizing;

use super::{Manifest, RecordError};

pub use wire::payload_entries::{
    FACE_ENTRY, FINGERS_ENTRY, MANIFEST_ENTRY, MINUTIAE_ENTRY, SIGNATURE_ENTRY,
    SIGNATURE_IMAGE_ENTRY,
};
/// Largest payload we accept to read back (the central refuses sealed files over 32 MiB).
const MAX_PAYLOAD: u64 = 32 << 20;

/// What goes into one record before sealing. The byte buffers are wiped on drop.
#[derive(Debug)]
pub struct Payload {
    /// The manifest.
    pub manifest: Manifest,
    /// `fingers.iso19794-4`, unless no finger was taken.
    pub fingers: Option<Zeroizing<Vec<u8>>>,
    /// `face.iso19794-5`, when the photo was taken on site.
    pub face: Option<Zeroizing<Vec<u8>>>,
    /// `fingers.iso19794-2`, later.
    pub minutiae: Option<Zeroizing<Vec<u8>>>,
    /// `signature.iso19794-7` and `signature.png`, when the applicant signed at the counter.
    pub signature: Option<SignatureFiles>,
}

/// The signature's two entries. Wiped on drop.
#[derive(Debug)]
pub struct SignatureFiles {
    /// The ISO/IEC 19794-7 record.
    pub record: Zeroizing<Vec<u8>>,
    /// The PNG picture.
    pub png: Zeroizing<Vec<u8>>,
}

/// The entries of a payload read back (tests, tools, the worked example).
#[derive(Debug, Default)]
pub struct PayloadEntries {
    /// Entry names in archive order.
    pub names: Vec<String>,
    /// The parsed manifest.
    pub manifest: Option<Manifest>,
    /// The finger image record bytes.
    pub fingers: Option<Zeroizing<Vec<u8>>>,
    /// The face image record bytes.
    pub face: Option<Zeroizing<Vec<u8>>>,
    /// The minutiae record bytes.
    pub minutiae: Option<Zeroizing<Vec<u8>>>,
    /// The signature record bytes.
    pub signature: Option<Zeroizing<Vec<u8>>>,
    /// The signature picture bytes.
    pub signature_image: Option<Zeroizing<Vec<u8>>>,
}

impl Payload {
    /// Writes the ustar archive in memory. Every entry gets mode 0600, owner 0, and the manifest's
    /// creation time, so the same payload gives the same bytes.
    pub fn to_tar(&self, mtime_unix: u64) -> Result<Zeroizing<Vec<u8>>, RecordError> {
        let manifest = Zeroizing::new(
            self.manifest
                .to_json_bytes()
                .map_err(|e| RecordError::Manifest(e.to_string()))?,
        );
        let size = manifest.len()
            + [&self.fingers, &self.face, &self.minutiae]
                .iter()
                .map(|e| e.as_ref().map_or(0, |b| b.len() + 512))
                .sum::<usize>()
            + self
                .signature
                .as_ref()
                .map_or(0, |s| s.record.len() + s.png.len() + 1024);
        // Reserve enough up front: a reallocation would leave an unwiped copy behind.
        let mut buf = Zeroizing::new(Vec::with_capacity(size + 4096));
        let mut builder = tar::Builder::new(&mut *buf);
        let mut append = |name: &str, data: &[u8]| -> Result<(), RecordError> {
            let mut header = tar::Header::new_ustar();
            header.set_size(data.len() as u64);
            header.set_mode(0o600);
            header.set_uid(0);
            header.set_gid(0);
            header.set_mtime(mtime_unix);
            header.set_entry_type(tar::EntryType::Regular);
            builder
                .append_data(&mut header, name, data)
                .map_err(|e| RecordError::Archive(e.to_string()))
        };
        append(MANIFEST_ENTRY, &manifest)?;
        if let Some(fingers) = &self.fingers {
            append(FINGERS_ENTRY, fingers)?;
        }
        if let Some(face) = &self.face {
            append(FACE_ENTRY, face)?;
        }
        if let Some(minutiae) = &self.minutiae {
            append(MINUTIAE_ENTRY, minutiae)?;
        }
        if let Some(signature) = &self.signature {
            append(SIGNATURE_ENTRY, &signature.record)?;
            append(SIGNATURE_IMAGE_ENTRY, &signature.png)?;
        }
        builder
            .finish()
            .map_err(|e| RecordError::Archive(e.to_string()))?;
        drop(builder);
        Ok(buf)
    }
}

impl PayloadEntries {
    /// Reads a ustar payload: known entries only, each once, manifest first and valid.
    pub fn parse(tar_bytes: &[u8]) -> Result<Self, RecordError> {
        let mut archive = tar::Archive::new(tar_bytes);
        let mut out = Self::default();
        let entries = archive
            .entries()
            .map_err(|e| RecordError::Archive(e.to_string()))?;
        for entry in entries {
            let mut entry = entry.map_err(|e| RecordError::Archive(e.to_string()))?;
            let name = entry
                .path()
                .map_err(|e| RecordError::Archive(e.to_string()))?
                .to_string_lossy()
                .into_owned();
            if entry
                .header()
                .size()
                .map_err(|e| RecordError::Archive(e.to_string()))?
                > MAX_PAYLOAD
            {
                return Err(RecordError::Archive(format!("entry {name} too large")));
            }
            let mut data = Zeroizing::new(Vec::new());
            entry
                .read_to_end(&mut data)
                .map_err(|e| RecordError::Archive(e.to_string()))?;
            if out.names.contains(&name) {
                return Err(RecordError::Archive(format!("entry {name} twice")));
            }
            out.names.push(name.clone());
            match name.as_str() {
                MANIFEST_ENTRY => {
                    let manifest: Manifest = serde_json::from_slice(&data)
                        .map_err(|e| RecordError::Manifest(e.to_string()))?;
                    out.manifest = Some(manifest);
                }
                FINGERS_ENTRY => out.fingers = Some(data),
                FACE_ENTRY => out.face = Some(data),
                MINUTIAE_ENTRY => out.minutiae = Some(data),
                SIGNATURE_ENTRY => out.signature = Some(data),
                SIGNATURE_IMAGE_ENTRY => out.signature_image = Some(data),
                other => return Err(RecordError::Archive(format!("unexpected entry {other}"))),
            }
        }
        if out.names.first().map(String::as_str) != Some(MANIFEST_ENTRY) {
            return Err(RecordError::Archive(
                "manifest.json must be the first entry".into(),
            ));
        }
        Ok(out)
    }
}
