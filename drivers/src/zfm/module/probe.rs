//! Finding the module: try the bauds in turn, verify the password, read what it is.

use std::time::{Duration, Instant};

use super::{FingerprintModule, ModuleSettings, ZFM_SENSOR};
use crate::transport::Transport;
use crate::zfm::command::{
    Confirmation, PacketSize, ProductInfo, ReadProdInfo, ReadSysPara, SystemParameters, VfyPwd,
};
use crate::zfm::error::ZfmError;

/// The bauds a module may be at, most likely first: the factory 57,600, our negotiated 115,200,
/// then the rest of 9,600 × N, N = 1..12 (reference, "Registers for SetSysPara").
pub const PROBE_BAUDS: [u32; 12] = [
    57_600, 115_200, 9_600, 19_200, 38_400, 28_800, 48_000, 67_200, 76_800, 86_400, 96_000, 105_600,
];

/// How long a silent baud is given before the next is tried.
const PROBE_ANSWER: Duration = Duration::from_millis(300);
/// Older modules do not know ReadProdInfo and may stay silent: do not wait long.
const PRODUCT_INFO_ANSWER: Duration = Duration::from_millis(500);

/// What probing found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProbeReport {
    /// The settings found.
    pub settings: ModuleSettings,
    /// The module's parameters.
    pub parameters: SystemParameters,
    /// Product information, when the module supports ReadProdInfo (R50x).
    pub product: Option<ProductInfo>,
    /// The bauds tried, in order, the last being the one that answered.
    pub bauds_tried: Vec<u32>,
    /// Bytes discarded while looking (boot bytes, noise at wrong bauds).
    pub discarded_bytes: usize,
    /// How long probing took.
    pub elapsed: Duration,
}

/// ReadSysPara attempts while probing: the module has just answered, so a damaged or lost answer
/// is the line's, and one bad answer must not make the module look absent.
const SYS_PARA_ATTEMPTS: u32 = 3;

impl<T: Transport> FingerprintModule<T> {
    /// ReadSysPara, asked again after a damaged or missing answer (the line's faults), not after a
    /// module's refusal or a port that is gone.
    fn read_sys_para(&mut self) -> Result<SystemParameters, ZfmError> {
        let mut attempt = 1;
        loop {
            match self.execute(&ReadSysPara) {
                Err(
                    error @ (ZfmError::Checksum { .. }
                    | ZfmError::Length { .. }
                    | ZfmError::Protocol { .. }
                    | ZfmError::Timeout { .. }),
                ) if attempt < SYS_PARA_ATTEMPTS => {
                    tracing::warn!(device = "zfm", command = "ReadSysPara", attempt, %error, "damaged answer, asking again");
                    // Whatever is left of the damaged answer must not be read as the next one.
                    self.drain(Duration::from_millis(20), Duration::from_millis(200))?;
                    attempt += 1;
                }
                outcome => return outcome,
            }
        }
    }

    /// Finds the module at any of [`PROBE_BAUDS`], verifies the password, and reads its
    /// parameters and (if supported) product information.
    pub fn probe(&mut self) -> Result<ProbeReport, ZfmError> {
        self.probe_bauds(&PROBE_BAUDS)
    }

    /// [`probe`](Self::probe) over the given bauds, in that order.
    pub fn probe_bauds(&mut self, bauds: &[u32]) -> Result<ProbeReport, ZfmError> {
        let started = Instant::now();
        let mut tried = Vec::new();
        let mut discarded = 0;
        let mut found = None;
        for &baud in bauds {
            tried.push(baud);
            self.transport
                .set_baud(baud)
                .map_err(|e| ZfmError::from_transport("set baud", e))?;
            // A module that just powered up sends 0x55; noise from a previous baud may linger.
            discarded += self.drain(Duration::from_millis(20), Duration::from_millis(200))?;
            match self.send_with_timeout(
                &VfyPwd {
                    password: self.password,
                },
                PROBE_ANSWER,
            ) {
                Ok(Ok(())) => {
                    found = Some(baud);
                    break;
                }
                Ok(Err(Confirmation::WrongPassword)) => {
                    return Err(ZfmError::Module {
                        command: "VfyPwd",
                        code: Confirmation::WrongPassword,
                    });
                }
                Ok(Err(other)) => {
                    // Something answered in our protocol at this baud: it is the module.
                    tracing::warn!(baud, confirmation = %other, "module answered VfyPwd with an unexpected code");
                    found = Some(baud);
                    break;
                }
                Err(error @ (ZfmError::PortGone { .. } | ZfmError::Io { .. })) => {
                    return Err(error);
                }
                Err(error) => {
                    tracing::debug!(baud, %error, "no module at this baud");
                }
            }
        }
        let Some(baud) = found else {
            return Err(ZfmError::NotFound { tried });
        };
        let parameters = self.read_sys_para()?;
        if parameters.baud() != baud {
            tracing::warn!(
                line = baud,
                reported = parameters.baud(),
                "module reports a baud other than the one it answers at"
            );
        }
        let product = match self.send_with_timeout(&ReadProdInfo, PRODUCT_INFO_ANSWER) {
            Ok(Ok(info)) => Some(info),
            Ok(Err(_)) => None,
            Err(error @ (ZfmError::PortGone { .. } | ZfmError::Io { .. })) => return Err(error),
            Err(error) => {
                tracing::debug!(%error, "no product information (not an R50x?)");
                None
            }
        };
        let (width, height) = match &product {
            // A plausible size only: two pixels a byte, and no more than a real sensor has.
            Some(info)
                if (16..=1024).contains(&info.width)
                    && (16..=1024).contains(&info.height)
                    && info.width.is_multiple_of(2) =>
            {
                (u32::from(info.width), u32::from(info.height))
            }
            _ => ZFM_SENSOR,
        };
        self.settings = ModuleSettings {
            baud,
            packet_size: parameters.packet_size.unwrap_or(PacketSize::B128),
            width,
            height,
        };
        let report = ProbeReport {
            settings: self.settings,
            parameters,
            product,
            bauds_tried: tried,
            discarded_bytes: discarded,
            elapsed: started.elapsed(),
        };
        tracing::info!(
            baud,
            packet = self.settings.packet_size.bytes(),
            width,
            height,
            "fingerprint module found"
        );
        Ok(report)
    }
}
