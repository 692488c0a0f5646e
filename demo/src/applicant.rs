//! The demo's simulated applicant: lays on the simulated sensor the finger the clerk's screen asks
//! for, as a person at the counter would. Each pre-request number stands for one person with ten
//! different fingers, so the fingers of an enrolment differ (and the same-finger check can stay on,
//! as on a real station), each new try is a new impression, and at the handover the same person
//! lays their left index again (and matches).
//!
//! Without it the simulator's `auto` mode lays one finger for every position, which the
//! same-finger check rightly stops at the second finger. When the clerk reads the pre-request's
//! QR code with the camera, the applicant holds it up ([`crate::qr_code`]).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use firmware_sim::{vc0706_firmware::CameraControl, zfm_firmware::SimControl};

use station::desk::{Command, Counter, CounterView, HandoverStage};
use station::enrolment::{FingerPosition, Step};

/// How often the applicant looks at the screen.
const LOOK_EVERY: Duration = Duration::from_millis(30);

/// Impression numbers at the handover start here, away from the enrolment's tries.
const HANDOVER_IMPRESSION: u32 = 100;

/// The applicant, following the counter's screens until dropped.
pub struct DemoApplicant {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl DemoApplicant {
    /// Starts following `counter`, laying fingers on the simulated module `sensor` (its `auto`
    /// mode is turned off) and holding the pre-request's QR code up to the simulated `camera`.
    pub fn follow(
        counter: Arc<Counter>,
        sensor: SimControl,
        camera: CameraControl,
    ) -> std::io::Result<Self> {
        sensor.set_auto(false);
        sensor.lift_finger();
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let stop = Arc::clone(&stop);
            std::thread::Builder::new()
                .name("demo-applicant".into())
                .spawn(move || {
                    let mut laid = None;
                    let mut signed_for = None;
                    let mut qr = crate::qr_code::QrHolder::default();
                    while !stop.load(Ordering::Relaxed) {
                        let view = counter.view();
                        qr.follow(&view, &camera);
                        if let Some((id, number)) = asked_to_sign(&view)
                            && signed_for != Some(id)
                        {
                            signed_for = Some(id);
                            sign(&counter, &number, &stop);
                        }
                        let wanted = finger_asked(&view);
                        if wanted != laid {
                            match wanted {
                                Some((finger, impression)) => {
                                    tracing::debug!(
                                        finger,
                                        impression,
                                        "demo applicant lays a finger"
                                    );
                                    sensor.place_finger(finger, impression);
                                }
                                None => sensor.lift_finger(),
                            }
                            laid = wanted;
                        }
                        std::thread::sleep(LOOK_EVERY);
                    }
                })?
        };
        Ok(Self {
            stop,
            thread: Some(thread),
        })
    }
}

impl Drop for DemoApplicant {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The enrolment (its id) and number whose applicant is asked to sign on the empty pad, if any.
fn asked_to_sign(view: &CounterView) -> Option<(u64, String)> {
    let e = view.enrolment.as_ref()?;
    let pad = &e.signature;
    let empty = pad.asked && !pad.validated && pad.cannot_sign.is_none() && pad.strokes.is_empty();
    (e.step == Step::Review && empty)
        .then(|| e.pre_request.as_ref().map(|p| (e.id, p.number.clone())))
        .flatten()
}

/// Signs as a person does, a few samples at a time at the pen's pace, so that the clerk sees the
/// signature form; the clerk validates it (F8) or clears it (F7) for the applicant to sign again.
fn sign(counter: &Counter, number: &str, stop: &AtomicBool) {
    tracing::debug!("demo applicant signs");
    for stroke in crate::signature::strokes(number) {
        let chunks: Vec<_> = stroke.chunks(4).collect();
        let last = chunks.len().saturating_sub(1);
        for (i, chunk) in chunks.into_iter().enumerate() {
            if stop.load(Ordering::Relaxed) {
                return;
            }
            counter.send(Command::SignatureInk {
                samples: chunk.to_vec(),
                pen_up: i == last,
            });
            std::thread::sleep(Duration::from_millis(
                u64::from(crate::signature::SAMPLE_EVERY_MS) * 4,
            ));
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// The finger (simulator seed) and impression the screens ask for now, if any.
fn finger_asked(view: &CounterView) -> Option<(u64, u32)> {
    let handover = view.handover.as_ref().map(|h| (h.number.as_str(), h.stage));
    let enrolment = view.enrolment.as_ref().and_then(|e| {
        let number = e.pre_request.as_ref()?.number.as_str();
        Some((number, &e.step))
    });
    asked(handover, enrolment)
}

/// What the applicant lays for a handover check (number, stage) or an enrolment (number, step):
/// the handover's screen comes first, as it does on the clerk's.
fn asked(
    handover: Option<(&str, HandoverStage)>,
    enrolment: Option<(&str, &Step)>,
) -> Option<(u64, u32)> {
    if let Some((number, stage)) = handover {
        return (stage == HandoverStage::PlaceFinger).then(|| {
            (
                finger_of(number, FingerPosition::LeftIndex),
                HANDOVER_IMPRESSION,
            )
        });
    }
    match enrolment? {
        (
            number,
            Step::Finger {
                position, attempt, ..
            },
        ) => Some((finger_of(number, *position), *attempt)),
        _ => None,
    }
}

/// The simulator seed of one finger of the person holding pre-request `number` (FNV-1a of the
/// number, then the finger: the same person and finger every time).
fn finger_of(number: &str, position: FingerPosition) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in number
        .to_ascii_uppercase()
        .bytes()
        .chain(position.name().bytes())
    {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finger(position: FingerPosition, attempt: u32) -> Step {
        Step::Finger {
            position,
            attempt,
            max_attempts: 3,
            best_quality: None,
        }
    }

    #[test]
    fn the_applicant_lays_the_finger_asked_and_a_new_impression_each_try() {
        let right = finger(FingerPosition::RightIndex, 2);
        assert_eq!(
            asked(None, Some(("DEMO000001", &right))),
            Some((finger_of("DEMO000001", FingerPosition::RightIndex), 2))
        );
        assert_eq!(asked(None, Some(("DEMO000001", &Step::Review))), None);
        assert_eq!(asked(None, None), None);
    }

    #[test]
    fn at_the_handover_the_same_person_lays_the_left_index_while_asked() {
        let expected = Some((
            finger_of("DEMO000001", FingerPosition::LeftIndex),
            HANDOVER_IMPRESSION,
        ));
        let place = Some(("DEMO000001", HandoverStage::PlaceFinger));
        assert_eq!(asked(place, None), expected);
        // The handover screen hides an enrolment left open behind it.
        let behind = finger(FingerPosition::RightIndex, 1);
        assert_eq!(asked(place, Some(("DEMO000002", &behind))), expected);
        assert_eq!(
            asked(Some(("DEMO000001", HandoverStage::Checking)), None),
            None
        );
    }

    #[test]
    fn each_person_has_ten_different_fingers_and_keeps_them() {
        let a = finger_of("DEMO000001", FingerPosition::LeftIndex);
        assert_eq!(a, finger_of("demo000001", FingerPosition::LeftIndex));
        assert_ne!(a, finger_of("DEMO000001", FingerPosition::RightIndex));
        assert_ne!(a, finger_of("DEMO000002", FingerPosition::LeftIndex));
    }
}
