//! Turns a reviewed session into the manifest and the payload to seal (record/manifest.rs,
//! docs/record-format.md).

use std::collections::BTreeMap;

use image::GrayImage;
use tracing::info;
use zeroize::{Zeroize, Zeroizing};

use super::{
    EnrolmentError,
    exemption::UNDER_12,
    session::{FingerTake, PhotoKept, Session, SessionSettings, Step},
};
use wire::signature::{Signature, SignatureEntry};

use super::signature_pad::SignatureDecision;
use crate::record::payload::SignatureFiles;
use crate::record::{
    FaceImageRecord, FacePortrait, FaceSource, FingerImageForMinutiae, FingerImageRecord,
    FingerImpression, FingerMinutiaeRecord, FingerView, Payload, RecordError,
    manifest::{
        Finger, FingerException, MANIFEST_FORMAT, Manifest, PHOTO_FROM_CAMERA, PHOTO_ON_PAPER,
        Photo, Quality,
    },
};

impl Session {
    /// Builds the manifest and the payload to seal from the review, keeping everything: if sealing
    /// or queueing fails, the review is still there to confirm again. The review's time counts
    /// up to `now_ms`.
    pub fn review_payload(
        &self,
        record_id: &str,
        created_at: &str,
        now_ms: u64,
    ) -> Result<Payload, EnrolmentError> {
        if self.step != Step::Review {
            return Err(EnrolmentError::Unexpected {
                event: "confirm",
                step: self.step.name(),
            });
        }
        if self.signature_pending() {
            return Err(EnrolmentError::SignaturePending);
        }
        let fingerprint_storage = self.storage_answer_for_record()?;
        if self.signature_entry().is_none() {
            return Err(EnrolmentError::SignatureMissing);
        }
        let mut timings_ms = self.timings_ms.clone();
        *timings_ms.entry("review".to_owned()).or_insert(0) +=
            now_ms.saturating_sub(self.step_started_ms);
        let payload = build_payload(ReviewParts {
            settings: &self.settings,
            record_id,
            created_at,
            number: &self.number,
            document_type: &self.document_type,
            exempt: self.exempt,
            physical: self.physical,
            fingerprint_storage,
            paper_form: self.paper_form.as_ref(),
            fee: self.fee.as_ref(),
            photo: self.photo.as_ref(),
            fingers: &self.settled,
            signature: self.signature_entry().map(|entry| {
                let signed = match self.signature().decision() {
                    Some(SignatureDecision::Signed(signature)) => Some(signature),
                    _ => None,
                };
                (entry, signed)
            }),
            timings_ms: &timings_ms,
        })?;
        info!(
            record_id,
            fingers = payload.manifest.fingers.len(),
            "enrolment confirmed"
        );
        Ok(payload)
    }
}

/// What the review is built from, borrowed from the session.
pub(super) struct ReviewParts<'a> {
    pub settings: &'a SessionSettings,
    pub record_id: &'a str,
    pub created_at: &'a str,
    pub number: &'a str,
    pub document_type: &'a str,
    pub exempt: bool,
    pub physical: Option<super::session::Physical>,
    pub fingerprint_storage: Option<wire::fingerprint_storage::FingerprintStorage>,
    /// The paper form typed at the counter, when there was no pre-request.
    pub paper_form: Option<&'a wire::paper_form::PaperForm>,
    pub fee: Option<&'a super::Fee>,
    pub photo: Option<&'a PhotoKept>,
    pub fingers: &'a [FingerTake],
    /// The manifest's signature entry, and the signature when the applicant signed.
    pub signature: Option<(SignatureEntry, Option<&'a Signature>)>,
    pub timings_ms: &'a BTreeMap<String, u64>,
}

/// Builds the payload. Every temporary copy of an image is wiped before returning.
pub(super) fn build_payload(parts: ReviewParts<'_>) -> Result<Payload, EnrolmentError> {
    let settings = parts.settings;
    let mut fingers = Vec::new();
    let mut exceptions = Vec::new();
    let mut images: Vec<(u8, u8, GrayImage)> = Vec::new();
    for take in parts.fingers {
        let position = take.position.iso_code();
        match (&take.exception, &take.best) {
            (Some(reason), _) => exceptions.push(FingerException {
                position,
                reason: reason.as_str().to_owned(),
            }),
            (None, Some(best)) => {
                fingers.push(Finger {
                    position,
                    name: take.position.name().to_owned(),
                    quality: Quality {
                        score: best.quality,
                        algorithm: settings.quality_algorithm.clone(),
                        version: settings.quality_version.clone(),
                    },
                    attempts: take.attempts,
                    below_threshold: take.below_threshold,
                });
                let image = GrayImage::from_raw(
                    best.image.width,
                    best.image.height,
                    best.image.pixels.to_vec(),
                )
                .ok_or_else(|| RecordError::OutOfRange("finger image size".into()))?;
                images.push((position, best.quality, image));
            }
            (None, None) => {}
        }
    }
    let (finger_record, minutiae_record) = if images.is_empty() {
        (None, None)
    } else {
        let views: Vec<FingerView<'_>> = images
            .iter()
            .map(|(position, quality, image)| FingerView {
                position: *position,
                quality: *quality,
                impression: FingerImpression::LiveScanPlain,
                image,
            })
            .collect();
        let encoded = FingerImageRecord::encode(&views).map(Zeroizing::new);
        drop(views);
        // fingers.iso19794-2: the minutiae of the same images, which the central keeps for the
        // handover.
        let for_minutiae: Vec<FingerImageForMinutiae<'_>> = images
            .iter()
            .map(|(position, quality, image)| FingerImageForMinutiae {
                position: *position,
                quality: *quality,
                image,
            })
            .collect();
        let minutiae = FingerMinutiaeRecord::encode_images(&for_minutiae)
            .map(|record| record.map(Zeroizing::new));
        drop(for_minutiae);
        for (_, _, image) in images.drain(..) {
            image.into_raw().zeroize();
        }
        (Some(encoded?), minutiae.map_err(RecordError::from)?)
    };
    let (photo, face) = match parts.photo {
        Some(PhotoKept::Camera(checked)) => {
            let mut portrait = FacePortrait {
                jpeg: checked.jpeg.to_vec(),
                width: checked.width,
                height: checked.height,
                colour_space: checked.colour_space,
                source: FaceSource::Camera,
            };
            let encoded = FaceImageRecord::encode(&portrait).map(Zeroizing::new);
            portrait.jpeg.zeroize();
            (
                Some(Photo {
                    source: PHOTO_FROM_CAMERA.into(),
                    checks: checked.checks.clone(),
                }),
                Some(encoded?),
            )
        }
        Some(PhotoKept::Paper) => (
            Some(Photo {
                source: PHOTO_ON_PAPER.into(),
                checks: Vec::new(),
            }),
            None,
        ),
        None => (None, None),
    };
    let (signature_entry, signature_files) = match parts.signature {
        Some((entry, Some(signature))) => {
            let record = wire::signature::write(signature)
                .map(Zeroizing::new)
                .map_err(|e| RecordError::OutOfRange(e.to_string()))?;
            let png = crate::record::signature_image::render_png(signature)?;
            (Some(entry), Some(SignatureFiles { record, png }))
        }
        Some((entry, None)) => (Some(entry), None),
        None => (None, None),
    };
    let manifest = Manifest {
        format: MANIFEST_FORMAT.into(),
        record_id: parts.record_id.into(),
        case_reference: wire::case_reference::case_reference(parts.record_id),
        station_id: settings.station_id.clone(),
        created_at: parts.created_at.into(),
        pre_request: parts.number.into(),
        document_type: parts.document_type.into(),
        operator: settings.operator.clone(),
        devices: settings.devices.clone(),
        photo,
        fingers,
        finger_exceptions: exceptions,
        exemption: parts.exempt.then(|| UNDER_12.to_owned()),
        height_cm: parts.physical.map(|p| p.height_cm),
        eye_colour: parts.physical.map(|p| p.eye_colour),
        signature: signature_entry,
        fingerprint_storage: parts.fingerprint_storage,
        paper_form: parts.paper_form.cloned(),
        reason: parts.fee.map(|f| f.reason),
        tax_stamp: parts.fee.and_then(|f| f.tax_stamp.clone()),
        timings_ms: parts.timings_ms.clone(),
    };
    Ok(Payload {
        manifest,
        fingers: finger_record,
        face,
        minutiae: minutiae_record,
        signature: signature_files,
    })
}
