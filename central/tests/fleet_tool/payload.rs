//! What a simulated station seals: a record of realistic size (two 500 ppi fingerprint views and a
//! camera photo, as the intake bench), sealed to the central's key and signed by the station, with
//! a fresh record id each time, and its signed announcement. The images are made once, in a few
//! variants, and shared: drawing them is not what is measured.

use ring::signature::Ed25519KeyPair;

use super::identity::StationIdentity;
use crate::common::{HeaderSpec, PayloadSpec, fac, fir_of, noisy_png, seal_with_header, tar_of};

/// Image variants drawn once for the whole fleet.
const VARIANTS: u32 = 4;

/// The images records are made of.
pub struct Images {
    variants: Vec<(Vec<u8>, Vec<u8>)>,
}

/// A sealed record waiting for its receipt, with the announcement that goes ahead of it.
pub struct SealedRecord {
    /// Record id (UUID v4).
    pub record_id: String,
    /// The pre-request it consumes.
    pub pre_request: String,
    /// The sealed bytes.
    pub bytes: Vec<u8>,
    /// Hex SHA-256 of the bytes.
    pub sha256: String,
    /// Its announcement, signed.
    pub announcement: wire::announcement::RecordAnnouncement,
}

impl Images {
    /// Draws the variants (a second or two).
    pub fn new() -> Self {
        let variants = (0..VARIANTS)
            .map(|v| {
                let fingers = fir_of(&[
                    (2, 300, 400, noisy_png(300, 400, 2 * v + 1)),
                    (7, 300, 400, noisy_png(300, 400, 2 * v + 2)),
                ]);
                (fingers, fac(480, 640))
            })
            .collect();
        Self { variants }
    }

    /// Seals a record of `station` for `pre_request`, on image variant `variant`.
    pub fn seal(
        &self,
        station: &StationIdentity,
        pre_request: &str,
        variant: usize,
    ) -> SealedRecord {
        let (fingers, face) = &self.variants[variant % self.variants.len()];
        let spec = PayloadSpec::new(&station.id, pre_request);
        let manifest = serde_json::to_vec(&spec.manifest()).unwrap_or_default();
        let tar = tar_of(&[
            ("manifest.json".into(), manifest),
            ("fingers.iso19794-4".into(), fingers.clone()),
            ("face.iso19794-5".into(), face.clone()),
        ]);
        let key_id = central::keys::central_key_id(&station.record_public_key);
        let header = HeaderSpec::new(&spec.record_id, &station.id, &key_id);
        let bytes = seal_with_header(
            &header.json(),
            &station.record_public_key,
            &station.signing,
            &tar,
        );
        let sha256 = hex::encode(ring::digest::digest(&ring::digest::SHA256, &bytes));
        let announcement = announce(
            &station.signing,
            &spec.record_id,
            &station.id,
            &sha256,
            pre_request,
        );
        SealedRecord {
            record_id: spec.record_id,
            pre_request: pre_request.to_owned(),
            bytes,
            sha256,
            announcement,
        }
    }
}

fn announce(
    key: &Ed25519KeyPair,
    record_id: &str,
    station_id: &str,
    sha256: &str,
    pre_request: &str,
) -> wire::announcement::RecordAnnouncement {
    let mut announcement = wire::announcement::RecordAnnouncement {
        record_id: record_id.to_owned(),
        station_id: station_id.to_owned(),
        sha256: sha256.to_owned(),
        pre_request: pre_request.to_owned(),
        sealed_at: central::announcements::utc_seconds(time::OffsetDateTime::now_utc()),
        signature: String::new(),
    };
    announcement.signature = hex::encode(key.sign(announcement.signed_string().as_bytes()));
    announcement
}
