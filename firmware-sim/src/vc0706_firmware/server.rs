//! The camera's thread: reads requests off the line, lets the firmware answer, applies speed
//! changes and restarts, and carries out the control orders.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::control::{CameraControl, Order};
use super::firmware::{BOOT_TEXT, DEFAULT_BAUD, Effect, Firmware};
use super::request::RequestReader;
use crate::pty::{CommandFate, LineError, Received, SimLine};

/// How long the chip takes to restart after a reset before it prints its boot text (the
/// reference advises waiting ~200 ms before configuring; the text itself comes earlier).
const RESTART_TIME: Duration = Duration::from_millis(100);
/// Longest wait for the host's bytes before looking at the orders again.
const POLL: Duration = Duration::from_millis(10);

pub(crate) struct Server {
    line: SimLine,
    orders: mpsc::Receiver<Order>,
    control: CameraControl,
    stop: Arc<AtomicBool>,
    firmware: Firmware,
    reader: RequestReader,
    hung: bool,
    motion_pending: bool,
}

impl Server {
    pub(crate) fn new(
        line: SimLine,
        orders: mpsc::Receiver<Order>,
        control: CameraControl,
        stop: Arc<AtomicBool>,
    ) -> Self {
        Self {
            line,
            orders,
            control,
            stop,
            firmware: Firmware::default(),
            reader: RequestReader::default(),
            hung: false,
            motion_pending: false,
        }
    }

    pub(crate) fn run(mut self) {
        self.firmware.restart();
        if let Err(error) = self.line.power_up(BOOT_TEXT) {
            tracing::debug!(device = "vc0706-sim", %error, "boot text not sent");
        }
        let mut buf = [0u8; 512];
        while !self.stop.load(Ordering::SeqCst) {
            self.take_orders();
            if self.line.is_gone() {
                std::thread::sleep(POLL);
                continue;
            }
            match self.line.read(&mut buf, POLL) {
                Ok(Received::Bytes(n)) => {
                    self.reader.push(&buf[..n]);
                    self.serve_requests();
                }
                Ok(Received::Idle) => {
                    self.reader.expire();
                    self.report_motion();
                }
                Ok(Received::NoClient) => self.reader.expire(),
                Err(LineError::Interrupted) => self.line.clear_interrupt(),
                Err(LineError::Gone) => {}
                Err(LineError::Io(error)) => {
                    tracing::warn!(device = "vc0706-sim", %error, "pseudo-terminal failed");
                    std::thread::sleep(POLL);
                }
            }
        }
        tracing::info!(device = "vc0706-sim", "simulated camera stopped");
    }

    fn take_orders(&mut self) {
        while let Ok(order) = self.orders.try_recv() {
            self.line.clear_interrupt();
            match order {
                Order::Hang => {
                    tracing::info!(device = "vc0706-sim", "camera hangs");
                    self.hung = true;
                }
                Order::Unplug => self.line.unplug(),
                Order::PowerCycle => {
                    self.hung = false;
                    self.restart(false);
                }
                Order::Motion => self.motion_pending = true,
            }
        }
    }

    fn serve_requests(&mut self) {
        while let Some(request) = self.reader.next_request() {
            if self.stop.load(Ordering::SeqCst) {
                return;
            }
            match self.line.command_received() {
                CommandFate::Answer if !self.hung => {}
                CommandFate::Answer | CommandFate::Mute => {
                    tracing::debug!(
                        device = "vc0706-sim",
                        command = request.command,
                        "not answering"
                    );
                    continue;
                }
                CommandFate::Vanish => return,
            }
            self.control
                .counters
                .requests
                .fetch_add(1, Ordering::Relaxed);
            let applicant = self.control.applicant();
            self.firmware.show_qr(self.control.qr());
            let control = self.control.clone();
            let effects = self.firmware.handle(&request, applicant, &mut |frame| {
                control.record_frame(frame)
            });
            for effect in effects {
                let outcome = match effect {
                    Effect::Send(bytes) => {
                        if request.command == 0x32 && bytes.len() > 5 {
                            self.control
                                .counters
                                .chunks_served
                                .fetch_add(1, Ordering::Relaxed);
                        }
                        self.line.send(&bytes)
                    }
                    Effect::SwitchBaud(baud) => {
                        self.line.set_baud(baud);
                        Ok(())
                    }
                    Effect::Restart => {
                        self.restart(true);
                        Ok(())
                    }
                };
                match outcome {
                    Ok(()) => {}
                    Err(LineError::Interrupted) => {
                        self.line.clear_interrupt();
                        self.take_orders();
                        return;
                    }
                    Err(error) => {
                        tracing::debug!(device = "vc0706-sim", %error, "reply not sent");
                        return;
                    }
                }
            }
        }
    }

    /// A reset (after its reply) or a power cycle: pause, 38,400 baud, stored settings in force,
    /// boot text (preceded by the `garbage` fault's bytes).
    fn restart(&mut self, after_reset: bool) {
        self.control.counters.resets.fetch_add(1, Ordering::Relaxed);
        let started = Instant::now();
        self.firmware.restart();
        // A live chip fills its frame buffer as it restarts: the frame for the new settings is
        // drawn during the pause, not on the line's time at the first freeze.
        self.firmware.fill_frame_buffer(self.control.applicant());
        let pause = RESTART_TIME.saturating_sub(started.elapsed());
        if after_reset && self.line.interruptible_sleep(pause).is_err() {
            self.line.clear_interrupt();
        }
        self.reader = RequestReader::default();
        self.line.set_baud(DEFAULT_BAUD);
        if let Err(error) = self.line.power_up(BOOT_TEXT) {
            tracing::debug!(device = "vc0706-sim", %error, "boot text not sent");
        }
    }

    fn report_motion(&mut self) {
        if !self.motion_pending {
            return;
        }
        self.motion_pending = false;
        if self.firmware.motion_enabled()
            && !self.hung
            && let Err(error) = self.line.send(&[0x76, 0x00, 0x39, 0x00, 0x00])
        {
            tracing::debug!(device = "vc0706-sim", %error, "motion notice not sent");
        }
    }
}
