//! Same finger twice: each new capture's minutiae are compared with those of the fingers already
//! taken for this applicant. A match stops the flow: the capture is not kept, the clerk sees which
//! finger it looked like and captures again. The templates live only in the enrolment's memory and
//! are wiped with it (a `Template` zeroizes its minutiae when dropped).

use image::GrayImage;
use rust_i18n::t;
use tracing::{debug, warn};

use super::{desk_session::Enrolment, stores::Stores, texts::Texts};
use crate::{
    audit::AuditEvent,
    checks::matching::{SAME_FINGER_THRESHOLD, extract_image, same_finger},
    enrolment::FingerPosition,
};

/// A new capture that matched a finger already taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SameFinger {
    /// The finger being taken.
    pub finger: FingerPosition,
    /// The finger already taken that it matched.
    pub earlier: FingerPosition,
    /// The comparison score.
    pub score: u32,
}

/// Compares the capture of `position` with the other fingers taken for this enrolment. On a match
/// the alert is set and the match returned (the caller drops the capture); otherwise the alert is
/// cleared and the capture's template kept for the fingers that follow. An image whose minutiae
/// cannot be extracted is let through (the quality check judges it) and logged.
pub(crate) fn check(
    enrolment: &mut Enrolment,
    position: FingerPosition,
    image: &GrayImage,
    texts: Texts,
) -> Option<SameFinger> {
    let started = std::time::Instant::now();
    let new = match extract_image(image) {
        Ok(template) => template,
        Err(error) => {
            warn!(finger = %position, %error, "same-finger check skipped: no minutiae");
            enrolment.view.same_finger_alert = None;
            return None;
        }
    };
    // This finger's own earlier capture is set aside: a retry of the same finger is expected to
    // match it.
    let own = enrolment
        .same_finger
        .taken
        .iter()
        .position(|(p, _)| *p == position)
        .map(|i| enrolment.same_finger.taken.swap_remove(i));
    let found = same_finger(&new, &enrolment.same_finger.taken);
    debug!(finger = %position, minutiae = new.len(), compared = enrolment.same_finger.taken.len(),
        check_ms = started.elapsed().as_millis() as u64, "same-finger check");
    match found {
        Some((earlier, score)) => {
            if let Some(own) = own {
                enrolment.same_finger.taken.push(own);
            }
            enrolment.view.same_finger_alert = Some(alert(texts, earlier));
            enrolment.view.live = None;
            Some(SameFinger {
                finger: position,
                earlier,
                score,
            })
        }
        None => {
            // `own`, if any, is dropped (wiped) here: the new capture stands for this finger.
            enrolment.same_finger.taken.push((position, new));
            enrolment.view.same_finger_alert = None;
            None
        }
    }
}

impl SameFinger {
    /// Logs and audits a capture stopped by the same-finger check (names and score only).
    pub(crate) fn audit(&self, stores: &Stores, actor: &str) {
        warn!(finger = %self.finger, earlier = %self.earlier, score = self.score,
            threshold = SAME_FINGER_THRESHOLD, "capture not kept: same finger as one already taken");
        stores.audit(
            actor,
            &AuditEvent::SameFingerTwice {
                finger: self.finger.name().to_owned(),
                earlier: self.earlier.name().to_owned(),
                score: self.score,
            },
        );
    }
}

/// "Ce doigt semble être le même que l'index gauche déjà pris : vérifiez le doigt posé …"
fn alert(texts: Texts, earlier: FingerPosition) -> String {
    let name = texts.finger(earlier);
    // "l'index gauche", "l'annulaire droit", "le majeur gauche"; "the left index finger".
    let earlier = match texts.language.code() {
        "fr" if name.starts_with(['a', 'e', 'i', 'o', 'u']) => format!("l'{name}"),
        "fr" => format!("le {name}"),
        _ => format!("the {name}"),
    };
    t!(
        "handover.same_finger.alert",
        locale = texts.language.code(),
        earlier = earlier
    )
    .into_owned()
}
