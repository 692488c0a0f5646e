//! The demo's simulated applicant and their pre-request's QR code: when the clerk's screen reads
//! the code with the camera (F4), the applicant takes out their phone and, a moment later, holds
//! the code up to the simulated camera; they put it away once the reading stops. Each reading
//! shows the next of the demo's usable pre-requests.

use std::time::{Duration, Instant};

use firmware_sim::{synth::qr_card::Holder, vc0706_firmware::CameraControl};
use station::desk::CounterView;

/// The time an applicant takes to find their phone and open the pre-request's summary.
const HOLD_UP_AFTER: Duration = Duration::from_millis(2_500);

/// The demo's pre-requests whose codes the applicant brings, in turn (central/demo/generate.py).
const NUMBERS: [&str; 3] = ["DEMO000001", "DEMO000002", "4P6KYQJR06"];

/// What the QR code on the n-th reading holds: the link of the pre-request's summary.
pub fn content(reading: usize) -> String {
    format!(
        "https://passeport.ants.gouv.fr/pre-demande?numero={}",
        NUMBERS[reading % NUMBERS.len()]
    )
}

/// The applicant's hand with the phone.
#[derive(Debug, Default)]
pub struct QrHolder {
    /// Since when the camera has been reading (the clerk pressed F4).
    asked_at: Option<Instant>,
    /// The code is held up to the camera.
    shown: bool,
    /// Readings answered so far.
    readings: usize,
}

impl QrHolder {
    /// Looks at the screens and holds the code up, or puts it away, on `camera`.
    pub fn follow(&mut self, view: &CounterView, camera: &CameraControl) {
        let reading = view.enrolment.as_ref().is_some_and(|e| e.qr.reading);
        match (reading, self.asked_at) {
            (true, None) => self.asked_at = Some(Instant::now()),
            (true, Some(at)) if !self.shown && at.elapsed() >= HOLD_UP_AFTER => {
                match camera.show_qr(&content(self.readings), Holder::Phone) {
                    Ok(()) => tracing::debug!("demo applicant shows their QR code"),
                    Err(e) => tracing::warn!(error = %e, "demo applicant's QR code"),
                }
                self.shown = true;
                self.readings += 1;
            }
            (false, Some(_)) => {
                self.asked_at = None;
                if std::mem::take(&mut self.shown) {
                    camera.hide_qr();
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_reading_brings_the_next_demo_pre_request() {
        assert!(content(0).ends_with("numero=DEMO000001"));
        assert!(content(1).ends_with("numero=DEMO000002"));
        assert_eq!(content(0), content(NUMBERS.len()));
        for (reading, expected) in NUMBERS.iter().enumerate() {
            let number = station::uplink::prerequest_qr::number_in(&content(reading));
            assert_eq!(
                number.map(|n| n.as_str().to_owned()),
                Ok((*expected).to_owned())
            );
        }
    }
}
