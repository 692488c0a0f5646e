//! Asking the module for faster settings, and falling back cleanly when it refuses.

use std::time::{Duration, Instant};

use super::{FingerprintModule, ModuleSettings, PROBE_BAUDS};
use crate::transport::Transport;
use crate::zfm::command::{PacketSize, Register, SetSysPara, SoftRst, VfyPwd};
use crate::zfm::error::ZfmError;

/// The byte an R50x sends when it has restarted (reference, "Behaviour worth emulating"); an
/// R30x / ZFM / AS608 sends none.
const READY_BYTE: u8 = 0x55;
/// Clients wait ~250 ms for a restart; allow four times that for the module to be back.
const RESTART_WAIT: Duration = Duration::from_millis(1_000);
/// With no ready byte for this long, ask the module whether it answers: a module that sends no
/// ready byte must not cost the whole wait.
const READY_POLL: Duration = Duration::from_millis(150);

/// What negotiation did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negotiation {
    /// Settings before.
    pub before: ModuleSettings,
    /// Settings now in use (confirmed by the module after its restart).
    pub after: ModuleSettings,
    /// Whether the module was restarted to apply new settings.
    pub restarted: bool,
    /// What the module refused or could not do, in plain words (empty when all went through).
    pub refused: Vec<String>,
}

impl<T: Transport> FingerprintModule<T> {
    /// Asks for the fastest settings: 115,200 baud and 256-byte packets.
    pub fn negotiate_fastest(&mut self) -> Result<Negotiation, ZfmError> {
        self.negotiate(115_200, PacketSize::B256)
    }

    /// Asks the module for `baud` and `packet_size` (SetSysPara), restarts it so they take
    /// effect (SoftRst), then finds it again, new settings first. Settings the module refuses are
    /// listed in [`Negotiation::refused`] and the old ones stay; only a lost port is an error.
    pub fn negotiate(
        &mut self,
        baud: u32,
        packet_size: PacketSize,
    ) -> Result<Negotiation, ZfmError> {
        let before = self.settings;
        let mut refused = Vec::new();
        let mut changed = false;

        if before.packet_size != packet_size {
            let request = SetSysPara {
                register: Register::PacketSize,
                value: packet_size.code(),
            };
            changed |= self.try_setting(&request, &mut refused, "packet size")?;
        }
        let multiplier = baud / 9_600;
        if before.baud != baud {
            if !baud.is_multiple_of(9_600) || !(1..=12).contains(&multiplier) {
                refused.push(format!("{baud} baud is not 9,600 × N with N in 1..12"));
            } else {
                let request = SetSysPara {
                    register: Register::BaudMultiplier,
                    // 1..=12: fits.
                    value: multiplier as u8,
                };
                changed |= self.try_setting(&request, &mut refused, "baud")?;
            }
        }
        if !changed {
            return Ok(Negotiation {
                before,
                after: self.settings,
                restarted: false,
                refused,
            });
        }

        let restarted = match self.send(&SoftRst) {
            Ok(Ok(())) => true,
            Ok(Err(code)) => {
                refused.push(format!(
                    "restart: {code}; new settings apply at next power-up"
                ));
                false
            }
            Err(error @ (ZfmError::PortGone { .. } | ZfmError::Io { .. })) => return Err(error),
            Err(error) => {
                refused.push(format!("restart: {error}"));
                false
            }
        };
        if restarted {
            self.await_restart(baud)?;
        }
        // Find the module again: where we expect it first, then where it was, then anywhere.
        let mut order = vec![baud, before.baud];
        order.extend(
            PROBE_BAUDS
                .iter()
                .filter(|b| **b != baud && **b != before.baud),
        );
        let found = self.probe_bauds(&order)?;
        if found.settings.baud != baud {
            refused.push(format!(
                "module stayed at {} baud instead of {baud}",
                found.settings.baud
            ));
        }
        if found.settings.packet_size != packet_size {
            refused.push(format!(
                "module kept {}-byte packets instead of {}",
                found.settings.packet_size.bytes(),
                packet_size.bytes()
            ));
        }
        tracing::info!(
            baud = found.settings.baud,
            packet = found.settings.packet_size.bytes(),
            restarted,
            refused = refused.len(),
            "settings negotiated"
        );
        Ok(Negotiation {
            before,
            after: found.settings,
            restarted,
            refused,
        })
    }

    /// Sends one SetSysPara; a refusal or a lost answer is noted, not fatal.
    fn try_setting(
        &mut self,
        request: &SetSysPara,
        refused: &mut Vec<String>,
        what: &str,
    ) -> Result<bool, ZfmError> {
        match self.send(request) {
            Ok(Ok(())) => Ok(true),
            Ok(Err(code)) => {
                refused.push(format!("{what}: {code}"));
                Ok(false)
            }
            Err(error @ (ZfmError::PortGone { .. } | ZfmError::Io { .. })) => Err(error),
            Err(error) => {
                refused.push(format!("{what}: {error}"));
                // The module may have taken it all the same: the later probe will tell.
                Ok(true)
            }
        }
    }

    /// After SoftRst: switch our side to the baud the module restarts at, then wait until it is
    /// back: its ready byte (R50x), or an answer to VfyPwd (modules that send no ready byte), or
    /// a second; then drain what follows.
    fn await_restart(&mut self, new_baud: u32) -> Result<(), ZfmError> {
        self.transport
            .set_baud(new_baud)
            .map_err(|e| ZfmError::from_transport("set baud", e))?;
        self.reader.clear();
        let deadline = Instant::now() + RESTART_WAIT;
        let mut byte = [0u8; 1];
        loop {
            let listen_until = (Instant::now() + READY_POLL).min(deadline);
            match self.transport.read_some_by(&mut byte, listen_until) {
                Ok(_) if byte[0] == READY_BYTE => break,
                Ok(_) => self.counters.discarded_bytes += 1,
                Err(crate::transport::TransportError::Timeout) if Instant::now() >= deadline => {
                    tracing::debug!("module silent after restart");
                    break;
                }
                Err(crate::transport::TransportError::Timeout) => {
                    let password = self.password;
                    match self.send_with_timeout(&VfyPwd { password }, READY_POLL) {
                        Ok(_) => {
                            tracing::debug!("module back after restart without a ready byte");
                            return Ok(());
                        }
                        Err(error @ (ZfmError::PortGone { .. } | ZfmError::Io { .. })) => {
                            return Err(error);
                        }
                        // Still starting: listen again.
                        Err(_) => {}
                    }
                }
                Err(e) => return Err(ZfmError::from_transport("SoftRst", e)),
            }
        }
        self.drain(Duration::from_millis(20), Duration::from_millis(300))?;
        Ok(())
    }

    /// Restarts the module (SoftRst, R50x) and waits until it is ready again at the current baud.
    pub fn soft_reset(&mut self) -> Result<(), ZfmError> {
        self.execute(&SoftRst)?;
        let baud = self.transport.baud();
        self.await_restart(baud)
    }
}
