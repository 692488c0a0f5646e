//! The technician's sentences, from `locales/technician.yml`: the drivers report typed steps,
//! outcomes and faults with their figures ([`drivers::diagnostics::Outcome`],
//! [`drivers::fault::Fault`]); this is the one place that says them in the station's language.
//! The drivers' own English words are kept only as a technical detail, for what has no sentence
//! of its own.

use std::time::Duration;

use drivers::{
    diagnostics::{Light, NotRunBecause, Outcome, ParameterRemark, Step},
    discovery::DeviceKind,
    fault::{Fault, FaultKind},
    zfm::command::LedColour,
};
use rust_i18n::t;

use super::TargetPrompt;
use crate::{desk::technician_jobs::Failure, language::Language};

/// A sentence for a technician, and the driver's own words when they add something.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    /// What happened and what to do, in the station's language.
    pub text: String,
    /// The driver's error as logged (English, technical), shown apart and labelled as such.
    pub detail: Option<String>,
}

impl Sentence {
    fn plain(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            detail: None,
        }
    }

    fn detailed(text: impl Into<String>, detail: &str) -> Self {
        Self {
            text: text.into(),
            detail: Some(detail.to_owned()),
        }
    }
}

/// The label of a technical detail line: "Détail technique : …".
pub fn technical_detail(language: Language, detail: &str) -> String {
    t!(
        "technician.detail",
        locale = language.code(),
        detail = detail
    )
    .into_owned()
}

/// A self-test step's name ("Prise de contact").
pub fn step(language: Language, step: Step) -> String {
    let l = language.code();
    match step {
        Step::Open => t!("technician.step.open", locale = l),
        Step::Handshake => t!("technician.step.handshake", locale = l),
        Step::Parameters => t!("technician.step.parameters", locale = l),
        Step::Sensor => t!("technician.step.sensor", locale = l),
        Step::Led => t!("technician.step.led", locale = l),
        Step::BlankCapture => t!("technician.step.blank_capture", locale = l),
        Step::Settings => t!("technician.step.settings", locale = l),
        Step::TestFrame => t!("technician.step.test_frame", locale = l),
    }
    .into_owned()
}

/// A calibration measure's name, from the code the drivers and the history use
/// (`background_level`); a code this version does not know (a history written by a later one)
/// is shown as it is.
pub fn measure(language: Language, code: &str) -> String {
    let l = language.code();
    match code {
        "background_level" => t!("technician.measure.background_level", locale = l),
        "dynamic_range" => t!("technician.measure.dynamic_range", locale = l),
        "snr" => t!("technician.measure.snr", locale = l),
        "uniformity_light" => t!("technician.measure.uniformity_light", locale = l),
        "uniformity_dark" => t!("technician.measure.uniformity_dark", locale = l),
        "bad_pixels" => t!("technician.measure.bad_pixels", locale = l),
        "residue_regions" => t!("technician.measure.residue_regions", locale = l),
        "exposure" => t!("technician.measure.exposure", locale = l),
        "colour_cast" => t!("technician.measure.colour_cast", locale = l),
        "sharpness" => t!("technician.measure.sharpness", locale = l),
        other => other.into(),
    }
    .into_owned()
}

/// `0,4` in French, `0.4` in English.
pub fn decimal(language: Language, value: f64, places: usize) -> String {
    let text = format!("{value:.places$}");
    match language {
        Language::French => text.replace('.', ","),
        Language::English => text,
    }
}

/// Whole seconds, as a person counts them (30.006718262 s is 30 s).
pub fn whole_seconds(duration: Duration) -> String {
    duration.as_secs_f64().round().to_string()
}

fn colour(language: Language, colour: LedColour) -> String {
    let l = language.code();
    match colour {
        LedColour::Red => t!("technician.colour.red", locale = l),
        LedColour::Blue => t!("technician.colour.blue", locale = l),
        LedColour::Purple => t!("technician.colour.purple", locale = l),
    }
    .into_owned()
}

fn remark(language: Language, remark: ParameterRemark) -> String {
    let l = language.code();
    match remark {
        ParameterRemark::SystemId { found } => {
            t!("technician.remark.system_id", locale = l, found = found)
        }
        ParameterRemark::SecurityLevel { found } => {
            t!(
                "technician.remark.security_level",
                locale = l,
                found = found
            )
        }
        ParameterRemark::UnknownPacketSize => t!("technician.remark.packet_size", locale = l),
        ParameterRemark::StoredBaud { stored, line } => t!(
            "technician.remark.stored_baud",
            locale = l,
            stored = stored,
            line = line
        ),
    }
    .into_owned()
}

/// What a self-test step found.
pub fn outcome(language: Language, outcome: &Outcome) -> Sentence {
    let l = language.code();
    let ms = |us: u64| decimal(language, us as f64 / 1e3, 1);
    let text = match outcome {
        Outcome::ModuleAnswers { model, baud } => t!(
            "technician.outcome.module_answers",
            locale = l,
            model = model,
            baud = baud
        ),
        Outcome::CameraAnswers { version, baud } => t!(
            "technician.outcome.camera_answers",
            locale = l,
            version = version,
            baud = baud
        ),
        Outcome::Parameters {
            library_size,
            security_level,
            packet_bytes,
            remarks,
        } => {
            let mut text = t!(
                "technician.outcome.parameters",
                locale = l,
                library = library_size,
                level = security_level,
                packet = packet_bytes
            )
            .into_owned();
            for r in remarks {
                text.push_str(" ; ");
                text.push_str(&remark(language, *r));
            }
            text.into()
        }
        Outcome::SensorWorking => t!("technician.outcome.sensor_working", locale = l),
        Outcome::SensorFault => t!("technician.outcome.sensor_fault", locale = l),
        Outcome::NoSensorCheck { code } => t!(
            "technician.outcome.no_sensor_check",
            locale = l,
            code = format!("{code:#04x}")
        ),
        Outcome::LedFlashed {
            colour: c,
            times,
            switched_off,
        } => {
            let c = colour(language, *c);
            if *switched_off {
                t!(
                    "technician.outcome.led_flashed",
                    locale = l,
                    times = times,
                    colour = c
                )
            } else {
                t!(
                    "technician.outcome.led_stayed_on",
                    locale = l,
                    times = times,
                    colour = c
                )
            }
        }
        Outcome::NoAuraLed { .. } => t!("technician.outcome.no_led", locale = l),
        Outcome::NotSupported { fault } => {
            return Sentence::detailed(
                t!("technician.outcome.not_supported", locale = l),
                &fault.detail,
            );
        }
        Outcome::BlankCaptures {
            attempts,
            no_finger,
            image_taken,
            errors,
            min_us,
            median_us,
            max_us,
        } => {
            let mut text = t!(
                "technician.outcome.blank_captures",
                locale = l,
                attempts = attempts,
                no_finger = no_finger,
                images = image_taken,
                errors = errors,
                min = ms(*min_us),
                median = ms(*median_us),
                max = ms(*max_us)
            )
            .into_owned();
            if *image_taken > 0 {
                text.push(' ');
                text.push_str(&t!("technician.outcome.blank_image_taken", locale = l));
            }
            text.into()
        }
        Outcome::PictureSize { width, height } => t!(
            "technician.outcome.picture_size",
            locale = l,
            width = width,
            height = height
        ),
        Outcome::TestFrame {
            width,
            height,
            jpeg_bytes,
            transfer_ms,
            line_time_ms,
            brightness,
            chunk_retries,
            light,
        } => {
            let mut text = t!(
                "technician.outcome.test_frame",
                locale = l,
                width = width,
                height = height,
                bytes = jpeg_bytes,
                ms = transfer_ms,
                line_ms = line_time_ms,
                brightness = brightness,
                retries = chunk_retries
            )
            .into_owned();
            match light {
                Light::Normal => {}
                Light::Dark => text.push_str(&t!("technician.outcome.frame_dark", locale = l)),
                Light::Bright => {
                    text.push_str(&t!("technician.outcome.frame_bright", locale = l));
                }
            }
            text.into()
        }
        Outcome::NotRun {
            because: NotRunBecause::ModuleSilent,
        } => t!("technician.outcome.module_silent", locale = l),
        Outcome::NotRun {
            because: NotRunBecause::CameraSilent,
        } => t!("technician.outcome.camera_silent", locale = l),
        Outcome::Failed { fault: f } => return fault(language, f),
    };
    Sentence::plain(text)
}

/// What went wrong with a device. The situations a technician meets and can act on get a
/// sentence of their own; the others a sentence and the driver's words as a detail.
pub fn fault(language: Language, fault: &Fault) -> Sentence {
    let l = language.code();
    match fault.kind {
        FaultKind::Silent => Sentence::plain(t!("technician.fault.silent", locale = l)),
        FaultKind::Timeout => Sentence::plain(t!("technician.fault.timeout", locale = l)),
        FaultKind::WrongPassword => {
            Sentence::plain(t!("technician.fault.wrong_password", locale = l))
        }
        FaultKind::PortGone => Sentence::plain(t!("technician.fault.port_gone", locale = l)),
        FaultKind::NothingPlaced { waited_ms } => Sentence::plain(t!(
            "technician.fault.nothing_placed",
            locale = l,
            seconds = whole_seconds(Duration::from_millis(waited_ms))
        )),
        FaultKind::Cancelled => Sentence::plain(t!("technician.fault.cancelled", locale = l)),
        FaultKind::CannotOpen => Sentence::detailed(
            t!("technician.fault.cannot_open", locale = l),
            &fault.detail,
        ),
        FaultKind::Damaged => {
            Sentence::detailed(t!("technician.fault.damaged", locale = l), &fault.detail)
        }
        FaultKind::Refused { code } => Sentence::detailed(
            t!(
                "technician.fault.refused",
                locale = l,
                code = format!("{code:#04x}")
            ),
            &fault.detail,
        ),
        FaultKind::Io => Sentence::detailed(t!("technician.fault.io", locale = l), &fault.detail),
    }
}

/// Why a technician's routine stopped.
pub(crate) fn failure(language: Language, failure: &Failure) -> Sentence {
    let l = language.code();
    match failure {
        Failure::Busy => Sentence::plain(t!("technician.error.busy", locale = l)),
        Failure::Cancelled => Sentence::plain(t!("technician.error.cancelled", locale = l)),
        Failure::NoTarget { target, waited } => {
            let seconds = whole_seconds(*waited);
            Sentence::plain(match target {
                TargetPrompt::LayFlatTarget => {
                    t!(
                        "technician.error.no_flat_target",
                        locale = l,
                        seconds = seconds
                    )
                }
                TargetPrompt::LayBlankTarget | TargetPrompt::ShowGreyCard => {
                    t!(
                        "technician.error.no_blank_target",
                        locale = l,
                        seconds = seconds
                    )
                }
            })
        }
        Failure::Device { device, fault: f } => {
            let name = match device {
                DeviceKind::Fingerprint => t!("technician.device.fingerprint", locale = l),
                DeviceKind::Camera => t!("technician.device.camera", locale = l),
            };
            let said = fault(language, f);
            Sentence {
                text: t!(
                    "technician.error.device",
                    locale = l,
                    device = name,
                    problem = said.text
                )
                .into_owned(),
                detail: said.detail,
            }
        }
        Failure::PortraitTooLarge { target, smallest } => Sentence::plain(t!(
            "technician.error.portrait_too_large",
            locale = l,
            target = target,
            smallest = smallest
        )),
        Failure::Measures(error) => Sentence::detailed(
            t!("technician.error.measures", locale = l),
            &error.to_string(),
        ),
    }
}

/// How an exchange of the command log ended: the log's stable codes (`ok`, `timeout`,
/// `checksum error`, `port gone`) in words; anything else is an input/output error's text,
/// which the caller may show on demand.
pub fn log_result(language: Language, result: &str) -> String {
    let l = language.code();
    match result {
        "ok" => t!("technician.log.ok", locale = l),
        "timeout" => t!("technician.log.timeout", locale = l),
        "checksum error" => t!("technician.log.checksum", locale = l),
        "port gone" => t!("technician.log.port_gone", locale = l),
        _ => t!("technician.log.io", locale = l),
    }
    .into_owned()
}

/// A command of the log in the screen's language ("prise d'image" for `GenImg`), and the log's
/// names for what is not a command, in words. A command the drivers learn later keeps the name its
/// manual gives until it has words here: the test below lists every command the drivers send.
pub fn log_command(language: Language, command: &str) -> String {
    let l = language.code();
    match command {
        "(incoming)" => t!("technician.log.incoming", locale = l),
        "drain" => t!("technician.log.drain", locale = l),
        "data" => t!("technician.log.data", locale = l),
        "GenImg" => t!("technician.command.gen_img", locale = l),
        "UpImage" => t!("technician.command.up_image", locale = l),
        "DownImage" => t!("technician.command.down_image", locale = l),
        "Img2Tz" => t!("technician.command.img2tz", locale = l),
        "RegModel" => t!("technician.command.reg_model", locale = l),
        "Store" => t!("technician.command.store", locale = l),
        "LoadChar" => t!("technician.command.load_char", locale = l),
        "DeleteChar" => t!("technician.command.delete_char", locale = l),
        "Empty" => t!("technician.command.empty", locale = l),
        "Match" => t!("technician.command.match", locale = l),
        "Search" => t!("technician.command.search", locale = l),
        "TemplateNum" => t!("technician.command.template_num", locale = l),
        "ReadIndexTable" => t!("technician.command.read_index_table", locale = l),
        "VfyPwd" => t!("technician.command.vfy_pwd", locale = l),
        "ReadSysPara" => t!("technician.command.read_sys_para", locale = l),
        "SetSysPara" => t!("technician.command.set_sys_para", locale = l),
        "ReadProdInfo" => t!("technician.command.read_prod_info", locale = l),
        "GetRandomCode" => t!("technician.command.get_random_code", locale = l),
        "AuraLedConfig" => t!("technician.command.aura_led_config", locale = l),
        "CheckSensor" => t!("technician.command.check_sensor", locale = l),
        "HandShake" => t!("technician.command.hand_shake", locale = l),
        "SoftRst" => t!("technician.command.soft_rst", locale = l),
        "reset" => t!("technician.command.camera_reset", locale = l),
        "get version" => t!("technician.command.get_version", locale = l),
        "set baud" => t!("technician.command.set_baud", locale = l),
        "set image size" => t!("technician.command.set_image_size", locale = l),
        "get image size" => t!("technician.command.get_image_size", locale = l),
        "set compression" => t!("technician.command.set_compression", locale = l),
        "frame control" => t!("technician.command.frame_control", locale = l),
        "frame length" => t!("technician.command.frame_length", locale = l),
        "read frame buffer" => t!("technician.command.read_frame_buffer", locale = l),
        "motion control" => t!("technician.command.motion_control", locale = l),
        "motion detection" => t!("technician.command.motion_detection", locale = l),
        other => return other.to_owned(),
    }
    .into_owned()
}

/// The command as the device's manual writes it, with its code on the wire (`GenImg (0x01)`): what
/// a technician compares with the manual or a line trace, shown on demand beside the words above.
pub fn log_command_on_the_wire(command: &str, code: Option<u8>) -> String {
    match code {
        Some(code) => format!("{command} (0x{code:02X})"),
        None => command.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every command the drivers send reads in words in both languages, never as a locale key;
    /// in French none keeps the manual's English name.
    #[test]
    fn every_command_the_drivers_send_has_words() {
        use drivers::vc0706::command as camera;
        use drivers::zfm::command::{self as module, Command};
        fn camera_name<C: camera::Command>() -> &'static str {
            C::NAME
        }
        let names = [
            module::GenImg::NAME,
            module::UpImage::NAME,
            module::DownImage::NAME,
            module::Img2Tz::NAME,
            module::RegModel::NAME,
            module::Store::NAME,
            module::LoadChar::NAME,
            module::DeleteChar::NAME,
            module::Empty::NAME,
            module::Match::NAME,
            module::Search::NAME,
            module::TemplateNum::NAME,
            module::ReadIndexTable::NAME,
            module::VfyPwd::NAME,
            module::ReadSysPara::NAME,
            module::SetSysPara::NAME,
            module::ReadProdInfo::NAME,
            module::GetRandomCode::NAME,
            module::AuraLedConfig::NAME,
            module::CheckSensor::NAME,
            module::HandShake::NAME,
            module::SoftRst::NAME,
            camera_name::<camera::Reset>(),
            camera_name::<camera::GetVersion>(),
            camera_name::<camera::SetBaud>(),
            camera_name::<camera::SetImageSize>(),
            camera_name::<camera::GetImageSize>(),
            camera_name::<camera::SetCompression>(),
            camera_name::<camera::FrameControl>(),
            camera_name::<camera::FrameLength>(),
            camera::ReadFrameBuffer::NAME,
            camera_name::<camera::MotionControl>(),
            camera_name::<camera::SetMotionDetection>(),
            "data",
            "drain",
            "(incoming)",
        ];
        for name in names {
            for language in [Language::French, Language::English] {
                let words = log_command(language, name);
                assert!(!words.starts_with("technician."), "{name}: {words}");
            }
            assert_ne!(
                log_command(Language::French, name),
                name,
                "{name} in French"
            );
        }
        assert_eq!(log_command(Language::French, "GenImg"), "prise d'image");
        assert_eq!(log_command_on_the_wire("GenImg", Some(1)), "GenImg (0x01)");
    }

    #[test]
    fn durations_read_in_whole_seconds() {
        assert_eq!(whole_seconds(Duration::from_nanos(30_006_718_262)), "30");
        assert_eq!(whole_seconds(Duration::from_millis(1_600)), "2");
        assert_eq!(decimal(Language::French, 0.42, 1), "0,4");
        assert_eq!(decimal(Language::English, 0.42, 1), "0.4");
    }

    #[test]
    fn a_silent_sensor_has_a_sentence_and_a_damaged_line_its_detail_too() {
        let silent = Fault {
            kind: FaultKind::Silent,
            detail: "no fingerprint module answered at [57600] baud".into(),
        };
        let said = fault(Language::French, &silent);
        assert!(said.text.starts_with("Aucune réponse"), "{said:?}");
        assert_eq!(said.detail, None);
        let damaged = Fault {
            kind: FaultKind::Damaged,
            detail: "GenImg: damaged answer (checksum)".into(),
        };
        let said = fault(Language::English, &damaged);
        assert!(said.text.contains("damaged"), "{said:?}");
        assert_eq!(said.detail.as_deref(), Some(damaged.detail.as_str()));
    }

    #[test]
    fn every_measure_the_drivers_judge_has_a_name_in_both_languages() {
        let grey = image::RgbImage::from_pixel(64, 48, image::Rgb([118, 118, 118]));
        let camera = drivers::calibration::measure_grey_card(&grey);
        let blank = vec![image::GrayImage::from_pixel(64, 64, image::Luma([240])); 3];
        let flat = vec![image::GrayImage::from_pixel(64, 64, image::Luma([20])); 3];
        let sensor = drivers::calibration::measure_fingerprint(&blank, &flat).expect("measured");
        let checks = camera.verdict.checks.iter().chain(&sensor.verdict.checks);
        let mut seen = 0;
        for check in checks {
            for language in [Language::French, Language::English] {
                let name = measure(language, check.measure);
                assert_ne!(name, check.measure, "{} has no name", check.measure);
                assert!(!name.starts_with("technician."), "{name}");
            }
            seen += 1;
        }
        assert_eq!(seen, 10);
    }

    /// Every outcome and every failure, with the English words a driver would give: the French
    /// sentence holds none of them, and no locale key shows instead of a sentence.
    #[test]
    fn every_outcome_and_failure_has_its_own_sentence() {
        let english = "the port is gone while reading: answers within 30.006718262s";
        let f = |kind| Fault {
            kind,
            detail: english.to_owned(),
        };
        let kinds = [
            FaultKind::CannotOpen,
            FaultKind::Silent,
            FaultKind::Timeout,
            FaultKind::WrongPassword,
            FaultKind::PortGone,
            FaultKind::Damaged,
            FaultKind::Refused { code: 0x29 },
            FaultKind::NothingPlaced { waited_ms: 30_006 },
            FaultKind::Cancelled,
            FaultKind::Io,
        ];
        let mut outcomes = vec![
            Outcome::ModuleAnswers {
                model: "R503".into(),
                baud: 57_600,
            },
            Outcome::CameraAnswers {
                version: "VC0703 1.00".into(),
                baud: 38_400,
            },
            Outcome::Parameters {
                library_size: 200,
                security_level: 7,
                packet_bytes: 0,
                remarks: vec![
                    ParameterRemark::SystemId { found: 3 },
                    ParameterRemark::SecurityLevel { found: 7 },
                    ParameterRemark::UnknownPacketSize,
                    ParameterRemark::StoredBaud {
                        stored: 9_600,
                        line: 57_600,
                    },
                ],
            },
            Outcome::SensorWorking,
            Outcome::SensorFault,
            Outcome::NoSensorCheck { code: 0x01 },
            Outcome::LedFlashed {
                colour: LedColour::Purple,
                times: 3,
                switched_off: false,
            },
            Outcome::NoAuraLed { code: None },
            Outcome::NotSupported {
                fault: f(FaultKind::Timeout),
            },
            Outcome::BlankCaptures {
                attempts: 5,
                no_finger: 4,
                image_taken: 1,
                errors: 0,
                min_us: 400,
                median_us: 1_260,
                max_us: 2_000,
            },
            Outcome::PictureSize {
                width: 640,
                height: 480,
            },
            Outcome::TestFrame {
                width: 640,
                height: 480,
                jpeg_bytes: 25_000,
                transfer_ms: 12,
                line_time_ms: 2_000,
                brightness: 3,
                chunk_retries: 0,
                light: Light::Dark,
            },
            Outcome::NotRun {
                because: NotRunBecause::ModuleSilent,
            },
            Outcome::NotRun {
                because: NotRunBecause::CameraSilent,
            },
        ];
        outcomes.extend(kinds.map(|k| Outcome::Failed { fault: f(k) }));
        let mut sentences: Vec<String> = outcomes
            .iter()
            .map(|o| outcome(Language::French, o).text)
            .collect();
        let failures = [
            Failure::Busy,
            Failure::Cancelled,
            Failure::NoTarget {
                target: TargetPrompt::LayFlatTarget,
                waited: Duration::from_nanos(30_006_718_262),
            },
            Failure::Device {
                device: DeviceKind::Camera,
                fault: f(FaultKind::Silent),
            },
            Failure::PortraitTooLarge {
                target: 49_152,
                smallest: 60_000,
            },
            Failure::Measures(drivers::calibration::CalibrationError::TooFewFrames {
                needed: 8,
                given: 2,
            }),
        ];
        sentences.extend(failures.iter().map(|x| failure(Language::French, x).text));
        for text in &sentences {
            assert!(!text.contains("technician."), "{text}");
            for english in ["the ", "within", "30.0", "gone"] {
                assert!(!text.contains(english), "{text}");
            }
        }
        let flat = failure(Language::French, &failures[2]).text;
        assert!(
            flat.contains("en 30 s") && flat.contains("cible sombre"),
            "{flat}"
        );
        let said = outcome(Language::French, &outcomes[9]);
        assert!(
            said.text.contains("0,4 / 1,3 / 2,0 ms") && said.text.contains("Nettoyez"),
            "{said:?}"
        );
    }

    #[test]
    fn every_step_has_a_name_in_both_languages() {
        for s in Step::ALL {
            let (fr, en) = (step(Language::French, s), step(Language::English, s));
            assert!(!fr.starts_with("technician.") && !en.starts_with("technician."));
            assert_ne!(fr, s.code());
        }
    }
}
