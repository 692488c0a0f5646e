//! What each check of a self-test is ([`Step`]) and what it found ([`Outcome`]), as data: the
//! figures stay figures, so that a screen can say them in its own language. `Display` gives the
//! driver's own English words, for logs, the command line and the text report.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::fault::Fault;
use crate::zfm::command::{Confirmation, LedColour};

/// Which check of a self-test.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Step {
    /// Opening the port.
    Open,
    /// Finding the device and identifying it (password, version).
    Handshake,
    /// The fingerprint module's stored parameters.
    Parameters,
    /// The fingerprint module's own sensor check.
    Sensor,
    /// The fingerprint module's aura LED.
    Led,
    /// Captures with nothing on the glass.
    BlankCapture,
    /// The camera's stored settings.
    Settings,
    /// A picture taken by the camera and decoded.
    TestFrame,
}

impl Step {
    /// Every step, in the order the self-tests run them.
    pub const ALL: [Step; 8] = [
        Step::Open,
        Step::Handshake,
        Step::Parameters,
        Step::Sensor,
        Step::Led,
        Step::BlankCapture,
        Step::Settings,
        Step::TestFrame,
    ];

    /// The step's stable code (`handshake`, `blank-capture`), as in the JSON report.
    pub fn code(self) -> &'static str {
        match self {
            Step::Open => "open",
            Step::Handshake => "handshake",
            Step::Parameters => "parameters",
            Step::Sensor => "sensor",
            Step::Led => "led",
            Step::BlankCapture => "blank-capture",
            Step::Settings => "settings",
            Step::TestFrame => "test-frame",
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Something odd in the fingerprint module's stored parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "remark", rename_all = "kebab-case")]
pub enum ParameterRemark {
    /// The system identifier is not the 9 every module documented has.
    SystemId {
        /// The identifier read.
        found: u16,
    },
    /// The security level is outside 1..=5.
    SecurityLevel {
        /// The level read.
        found: u16,
    },
    /// The packet size code is not one the protocol defines.
    UnknownPacketSize,
    /// The stored speed differs from the line's: it applies at the module's next start.
    StoredBaud {
        /// The stored speed, baud.
        stored: u32,
        /// The speed the module answers at now, baud.
        line: u32,
    },
}

/// How bright the camera's test picture is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Light {
    /// Within the usual range.
    Normal,
    /// Nearly black: the lens covered, or no light.
    Dark,
    /// Nearly white: blinded.
    Bright,
}

/// Why a check was not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NotRunBecause {
    /// The fingerprint module did not answer the handshake.
    ModuleSilent,
    /// The camera did not answer the handshake.
    CameraSilent,
}

/// What a check found, with its figures.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum Outcome {
    /// The fingerprint module answered and accepted its password.
    ModuleAnswers {
        /// Its model (`R503`), or the family when it does not say.
        model: String,
        /// The speed it answers at, baud.
        baud: u32,
    },
    /// The camera answered with its version text.
    CameraAnswers {
        /// The version text (`VC0703 1.00`).
        version: String,
        /// The speed it answers at, baud.
        baud: u32,
    },
    /// The fingerprint module's stored parameters.
    Parameters {
        /// Templates the library holds.
        library_size: u16,
        /// Matching security level (1..=5).
        security_level: u16,
        /// Data packet size, bytes (0 when the code is unknown).
        packet_bytes: u16,
        /// What looks odd in them.
        remarks: Vec<ParameterRemark>,
    },
    /// The module reports its sensor working.
    SensorWorking,
    /// The module reports a sensor hardware fault.
    SensorFault,
    /// This model has no sensor check (it refused the command with this code).
    NoSensorCheck {
        /// The module's confirmation code.
        code: u8,
    },
    /// The aura LED flashed; a person checks it by eye.
    LedFlashed {
        /// Its colour.
        colour: LedColour,
        /// Flashes asked for.
        times: u8,
        /// Whether it accepted to be switched off afterwards.
        switched_off: bool,
    },
    /// This model has no aura LED (it refused the command with this code, when it answered).
    NoAuraLed {
        /// The module's confirmation code.
        code: Option<u8>,
    },
    /// An older model did not answer a command of the newer ones.
    NotSupported {
        /// What happened instead of an answer.
        fault: Fault,
    },
    /// Captures with nothing on the glass: each must say "no finger", quickly.
    BlankCaptures {
        /// Captures asked for.
        attempts: u32,
        /// Answered "no finger" (the expected answer).
        no_finger: u32,
        /// Answered with an image: a finger, dirt or a latent print on the glass.
        image_taken: u32,
        /// Refused with another code, or not answered.
        errors: u32,
        /// Fastest answer, microseconds.
        min_us: u64,
        /// Median answer, microseconds.
        median_us: u64,
        /// Slowest answer, microseconds.
        max_us: u64,
    },
    /// The picture size stored in the camera.
    PictureSize {
        /// Width, pixels.
        width: u32,
        /// Height, pixels.
        height: u32,
    },
    /// The camera's test picture, decoded.
    TestFrame {
        /// Width, pixels.
        width: u32,
        /// Height, pixels.
        height: u32,
        /// JPEG size, bytes.
        jpeg_bytes: u32,
        /// Time of the transfer, milliseconds.
        transfer_ms: u64,
        /// What the bytes cost on the line at its speed, milliseconds.
        line_time_ms: u64,
        /// Mean brightness, 0..=255.
        brightness: u8,
        /// Chunks read again.
        chunk_retries: u32,
        /// Whether that brightness is usual.
        light: Light,
    },
    /// Not run.
    NotRun {
        /// Why.
        because: NotRunBecause,
    },
    /// The check failed.
    Failed {
        /// How.
        fault: Fault,
    },
}

fn colour_word(colour: LedColour) -> &'static str {
    match colour {
        LedColour::Red => "red",
        LedColour::Blue => "blue",
        LedColour::Purple => "purple",
    }
}

fn ms(us: u64) -> f64 {
    us as f64 / 1e3
}

impl fmt::Display for ParameterRemark {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SystemId { found } => write!(f, "system id {found} (9 expected)"),
            Self::SecurityLevel { found } => write!(f, "security level {found} outside 1..5"),
            Self::UnknownPacketSize => f.write_str("unknown packet size code"),
            Self::StoredBaud { stored, line } => write!(
                f,
                "stored baud {stored} differs from the line's {line} (applies at next restart)"
            ),
        }
    }
}

impl fmt::Display for Outcome {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::ModuleAnswers { model, baud } => {
                write!(f, "{model} answers at {baud} baud, password verified")
            }
            Self::CameraAnswers { version, baud } => write!(f, "\"{version}\" at {baud} baud"),
            Self::Parameters {
                library_size,
                security_level,
                packet_bytes,
                remarks,
            } => {
                write!(
                    f,
                    "library {library_size} templates, security level {security_level}, \
                     packets of {packet_bytes} bytes"
                )?;
                for remark in remarks {
                    write!(f, "; {remark}")?;
                }
                Ok(())
            }
            Self::SensorWorking => f.write_str("the module reports its sensor working"),
            Self::SensorFault => f.write_str("the module reports a sensor hardware fault"),
            Self::NoSensorCheck { code } => write!(
                f,
                "no sensor check on this model ({})",
                Confirmation::from_code(*code)
            ),
            Self::LedFlashed {
                colour,
                times,
                switched_off,
            } => {
                let colour = colour_word(*colour);
                if *switched_off {
                    write!(
                        f,
                        "flashed {colour} {times} times, then off: check it by eye"
                    )
                } else {
                    write!(
                        f,
                        "flashed {colour} {times} times (switching it off was refused)"
                    )
                }
            }
            Self::NoAuraLed { code: None } => f.write_str("no aura LED on this model"),
            Self::NoAuraLed { code: Some(code) } => write!(
                f,
                "no aura LED on this model ({})",
                Confirmation::from_code(*code)
            ),
            Self::NotSupported { fault } => write!(f, "not supported by this model ({fault})"),
            Self::BlankCaptures {
                attempts,
                no_finger,
                image_taken,
                errors,
                min_us,
                median_us,
                max_us,
            } => {
                write!(
                    f,
                    "{attempts} GenImg with nothing on the glass: {no_finger} \"no finger\", \
                     {image_taken} image(s), {errors} error(s); answer in {:.1} / {:.1} / {:.1} \
                     ms (min / median / max)",
                    ms(*min_us),
                    ms(*median_us),
                    ms(*max_us)
                )?;
                if *image_taken > 0 {
                    f.write_str(": a finger, dirt or a latent print on the glass? Clean it")?;
                }
                Ok(())
            }
            Self::PictureSize { width, height } => write!(f, "picture size {width}x{height}"),
            Self::TestFrame {
                width,
                height,
                jpeg_bytes,
                transfer_ms,
                line_time_ms,
                brightness,
                chunk_retries,
                light,
            } => {
                write!(
                    f,
                    "{width}×{height} JPEG of {jpeg_bytes} bytes decoded in {transfer_ms} ms \
                     (line time {line_time_ms} ms), mean brightness {brightness}/255, \
                     {chunk_retries} chunk(s) read again"
                )?;
                match light {
                    Light::Normal => Ok(()),
                    Light::Dark => f.write_str(": nearly black, lens covered or no light?"),
                    Light::Bright => f.write_str(": nearly white, too much light?"),
                }
            }
            Self::NotRun {
                because: NotRunBecause::ModuleSilent,
            } => f.write_str("the module did not answer the handshake"),
            Self::NotRun {
                because: NotRunBecause::CameraSilent,
            } => f.write_str("the camera did not answer"),
            Self::Failed { fault } => write!(f, "{fault}"),
        }
    }
}
