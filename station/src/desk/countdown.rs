//! "Ne bougez plus : 3, 2, 1": the applicant holds still while the camera takes and sends the photo
//! (about five seconds on its serial line). The count is the core's, from its own clock at each
//! tick, so that both windows agree and nothing waits on a timer in the UI.

use super::core::Core;

/// The count starts here when the photo is asked for.
pub(crate) const FROM: u8 = 3;

/// The count `elapsed_ms` after the photo was asked for: one step a second, staying at 1 until
/// the photo arrives.
pub(crate) fn count(elapsed_ms: u64) -> u8 {
    let gone = u8::try_from(elapsed_ms / 1_000).unwrap_or(u8::MAX);
    FROM.saturating_sub(gone).max(1)
}

impl Core {
    /// Brings the count up to date; true when it changed (the view is then published).
    pub(crate) fn countdown_tick(&mut self) -> bool {
        let now = self.clock.now_ms();
        let Some(e) = self.desk.enrolment.as_mut() else {
            return false;
        };
        let counted = match e.shot_at_ms.filter(|_| e.photo_busy) {
            Some(at) => Some(count(now.saturating_sub(at))),
            None => {
                e.shot_at_ms = None;
                None
            }
        };
        if counted == e.view.countdown {
            return false;
        }
        e.view.countdown = counted;
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_count_goes_three_two_one_and_waits_at_one() {
        let seen: Vec<u8> = [0, 999, 1_000, 1_999, 2_000, 2_999, 3_000, 60_000]
            .into_iter()
            .map(count)
            .collect();
        assert_eq!(seen, [3, 3, 2, 2, 1, 1, 1, 1]);
    }
}
