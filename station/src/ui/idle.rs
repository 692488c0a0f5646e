//! The idle sign-out timer: after `idle_sign_out` without any input the clerk is signed out
//! (`SignOut { idle: true }`); the core keeps the enrolment in progress and the sign-in screen
//! offers it back. Time is egui's input time, so the UI tests can step it.

use std::time::Duration;

use eframe::egui;

/// When the clerk last touched the keyboard or the mouse.
#[derive(Debug, Default)]
pub(crate) struct IdleTimer {
    last_input: Option<f64>,
}

impl IdleTimer {
    /// True once when the clerk has been idle for `after` while signed in. Schedules a repaint for
    /// the moment it will fire, so the timer runs with no input at all.
    pub(crate) fn expired(
        &mut self,
        ctx: &egui::Context,
        signed_in: bool,
        after: Duration,
    ) -> bool {
        let (now, active) = ctx.input(|i| (i.time, !i.events.is_empty()));
        let last = *self.last_input.get_or_insert(now);
        if active || !signed_in || after.is_zero() {
            self.last_input = Some(now);
            return false;
        }
        let idle = now - last;
        let limit = after.as_secs_f64();
        if idle >= limit {
            self.last_input = Some(now);
            return true;
        }
        ctx.request_repaint_after(Duration::from_secs_f64((limit - idle).max(0.01)));
        false
    }
}
