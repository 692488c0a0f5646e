//! The module's firmware: one command packet in, the module's answer out, with its buffers,
//! registers and library. Written from the reference (docs/reference/zfm-fingerprint-protocol.md),
//! not from the driver.

use std::collections::VecDeque;
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use image::GrayImage;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::charfile::{CHAR_FILE_BYTES, CharFile, MIN_MINUTIAE, Provenance};
use super::codes::{
    NOTEPAD_PAGE_BYTES, NOTEPAD_PAGES, PID_ACK, PID_COMMAND, PID_DATA, PID_END_DATA, confirm,
    instruction as ins,
};
use super::control::Shared;
use super::library::Library;
use super::packet::{Packet, encode_into};
use super::registers::{
    self, ActiveSettings, REG_BAUD, REG_PACKET_SIZE, REG_SECURITY, StoredSettings,
};
use super::sensor::OnGlass;
use super::{FingerprintSimConfig, SensorKind, matching, sensor};
use crate::pty::{CommandFate, LineError, SimLine};
use crate::synth::fingerprint::Finger;

/// A host's download (DownImage, DownChar) stops if no data packet comes for this long.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(2);
/// Images remembered with their provenance, so that an image the host sends back is recognised.
const PROVENANCE_MEMORY: usize = 64;

/// What the host is downloading into the module.
#[derive(Debug)]
enum Download {
    Image,
    Char(usize),
}

#[derive(Debug)]
struct Receiving {
    what: Download,
    data: Vec<u8>,
    expected: usize,
    intact: bool,
    last_packet_at: Instant,
}

#[derive(Debug, Clone)]
struct Captured {
    image: GrayImage,
    provenance: Option<Provenance>,
}

/// Ring LED state (AuraLedConfig), kept for inspection.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Aura {
    /// 1 breathing, 2 flashing, 3 on, 4 off, 5 gradual on, 6 gradual off.
    pub control: u8,
    /// Speed.
    pub speed: u8,
    /// 1 red, 2 blue, 3 purple…
    pub colour: u8,
    /// Repetitions (0 = forever).
    pub count: u8,
}

/// The firmware of one module.
#[derive(Debug)]
pub(crate) struct Firmware {
    sensor: SensorKind,
    seed: u64,
    capture_time: Duration,
    boot_time: Duration,
    stored: StoredSettings,
    active: ActiveSettings,
    verified: bool,
    last_match_passed: bool,
    image: Option<Captured>,
    char_buffers: [Option<CharFile>; 2],
    library: Library,
    rng: ChaCha8Rng,
    hung: bool,
    receiving: Option<Receiving>,
    seen_images: VecDeque<(u64, Provenance)>,
    aura: Aura,
    /// The user's notepad, in flash: it survives restarts.
    notepad: [[u8; NOTEPAD_PAGE_BYTES]; NOTEPAD_PAGES],
    shared: Arc<Shared>,
}

fn be16(bytes: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes([*bytes.get(at)?, *bytes.get(at + 1)?]))
}

fn be32(bytes: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes([
        *bytes.get(at)?,
        *bytes.get(at + 1)?,
        *bytes.get(at + 2)?,
        *bytes.get(at + 3)?,
    ]))
}

fn content_hash(nibbles: &[u8]) -> u64 {
    let mut hasher = DefaultHasher::new();
    nibbles.hash(&mut hasher);
    hasher.finish()
}

impl Firmware {
    pub(crate) fn new(config: &FingerprintSimConfig, shared: Arc<Shared>) -> Self {
        let stored = StoredSettings::factory(config.baud);
        let capture_time = config.capture_time.unwrap_or(if config.paced {
            Duration::from_millis(300)
        } else {
            Duration::ZERO
        });
        Self {
            sensor: config.sensor,
            seed: config.seed,
            capture_time,
            boot_time: if config.paced {
                Duration::from_millis(50)
            } else {
                Duration::from_millis(2)
            },
            active: ActiveSettings::from_stored(&stored),
            stored,
            verified: false,
            last_match_passed: false,
            image: None,
            char_buffers: [None, None],
            library: Library::new(config.library_size),
            rng: ChaCha8Rng::seed_from_u64(config.seed ^ 0x7a66_6d5f_726e_6421),
            hung: false,
            receiving: None,
            seen_images: VecDeque::new(),
            aura: Aura::default(),
            notepad: [[0; NOTEPAD_PAGE_BYTES]; NOTEPAD_PAGES],
            shared,
        }
    }

    /// Starts (power-up, SoftRst): stored settings come into force, buffers are cleared, the
    /// password must be given again, and the model's boot bytes (an R50x's 0x55, an R30x's
    /// nothing) are sent when ready.
    pub(crate) fn start(&mut self, line: &mut SimLine) -> Result<(), LineError> {
        self.active = ActiveSettings::from_stored(&self.stored);
        self.verified = false;
        self.last_match_passed = false;
        self.image = None;
        self.char_buffers = [None, None];
        self.receiving = None;
        self.hung = false;
        line.set_baud(self.active.baud);
        line.interruptible_sleep(self.boot_time)?;
        tracing::info!(
            baud = self.active.baud,
            packet_size = self.active.packet_size,
            "module started"
        );
        line.power_up(self.sensor.boot_bytes())
    }

    /// Stops answering until the next start.
    pub(crate) fn hang(&mut self) {
        tracing::info!("module hung");
        self.hung = true;
    }

    /// Time passes with nothing received: an abandoned download is given up.
    pub(crate) fn tick(&mut self, now: Instant) {
        if self
            .receiving
            .as_ref()
            .is_some_and(|r| now.duration_since(r.last_packet_at) > DOWNLOAD_TIMEOUT)
        {
            tracing::debug!("download abandoned by the host");
            self.receiving = None;
        }
    }

    /// Handles one packet from the host.
    pub(crate) fn on_packet(
        &mut self,
        packet: Packet,
        line: &mut SimLine,
    ) -> Result<(), LineError> {
        if packet.address != self.stored.address {
            tracing::debug!(
                address = format_args!("{:08X}", packet.address),
                "packet for another address ignored"
            );
            return Ok(());
        }
        if self.hung {
            return Ok(());
        }
        match packet.pid {
            PID_COMMAND => {
                // A command ends any download in progress.
                self.receiving = None;
                match line.command_received() {
                    CommandFate::Answer => {}
                    CommandFate::Mute => return Ok(()),
                    CommandFate::Vanish => return Err(LineError::Gone),
                }
                if !packet.checksum_ok || packet.payload.is_empty() {
                    self.shared
                        .counters
                        .bad_packets
                        .fetch_add(1, Ordering::Relaxed);
                    tracing::debug!("command refused: bad checksum");
                    return self.ack(line, confirm::PACKET_ERROR, &[]);
                }
                self.shared
                    .counters
                    .commands_served
                    .fetch_add(1, Ordering::Relaxed);
                self.execute(&packet.payload, line)
            }
            PID_DATA | PID_END_DATA => {
                self.on_data(&packet);
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn ack(&self, line: &mut SimLine, code: u8, extra: &[u8]) -> Result<(), LineError> {
        let mut payload = Vec::with_capacity(1 + extra.len());
        payload.push(code);
        payload.extend_from_slice(extra);
        let mut out = Vec::with_capacity(payload.len() + 11);
        encode_into(&mut out, self.stored.address, PID_ACK, &payload);
        line.send(&out)
    }

    /// An acknowledgement followed by `data` in data packets of the packet size in force (PID 02,
    /// the last 08), sent as one stream: the module does not wait between packets.
    fn ack_then_stream(&self, line: &mut SimLine, data: &[u8]) -> Result<(), LineError> {
        let size = self.active.packet_size;
        let mut out = Vec::with_capacity(12 + data.len() + data.len().div_ceil(size) * 11);
        encode_into(&mut out, self.stored.address, PID_ACK, &[confirm::OK]);
        let chunks = data.chunks(size);
        let last = chunks.len().saturating_sub(1);
        for (i, chunk) in chunks.enumerate() {
            let pid = if i == last { PID_END_DATA } else { PID_DATA };
            encode_into(&mut out, self.stored.address, pid, chunk);
        }
        line.send(&out)
    }

    fn password_needed(&self, instruction: u8) -> bool {
        self.stored.password != 0
            && !self.verified
            && !matches!(instruction, ins::VFY_PWD | ins::HAND_SHAKE | ins::GET_ECHO)
    }

    fn char_buffer_index(id: u8) -> Option<usize> {
        match id {
            1 => Some(0),
            2 => Some(1),
            _ => None,
        }
    }

    fn execute(&mut self, payload: &[u8], line: &mut SimLine) -> Result<(), LineError> {
        let instruction = payload[0];
        let args = &payload[1..];
        tracing::debug!(instruction = format_args!("{instruction:02X}"), "command");
        if self.password_needed(instruction) {
            return self.ack(line, confirm::PASSWORD_REQUIRED, &[]);
        }
        let bad = confirm::PACKET_ERROR;
        match instruction {
            ins::GEN_IMG => self.gen_img(line),
            ins::IMG2TZ => {
                let Some(buffer) = args.first().copied().and_then(Self::char_buffer_index) else {
                    return self.ack(line, bad, &[]);
                };
                let code = self.img2tz(buffer);
                self.ack(line, code, &[])
            }
            ins::MATCH => {
                let score = match (&self.char_buffers[0], &self.char_buffers[1]) {
                    (Some(a), Some(b)) => matching::score(a, b),
                    _ => 0,
                };
                self.last_match_passed = score >= matching::threshold(self.stored.security_level);
                let code = if self.last_match_passed {
                    confirm::OK
                } else {
                    confirm::NO_MATCH
                };
                self.ack(line, code, &score.to_be_bytes())
            }
            // The manuals give HighSpeedSearch the arguments and answer of Search; a module that
            // has it is only faster, which a simulator need not be.
            ins::SEARCH | ins::HIGH_SPEED_SEARCH => {
                let (Some(buffer), Some(start), Some(count)) = (
                    args.first().copied().and_then(Self::char_buffer_index),
                    be16(args, 1),
                    be16(args, 3),
                ) else {
                    return self.ack(line, bad, &[]);
                };
                let threshold = matching::threshold(self.stored.security_level);
                let best = self.char_buffers[buffer].as_ref().and_then(|probe| {
                    self.library
                        .range(start, count)
                        .map(|(page, t)| (page, matching::score(probe, t)))
                        .max_by_key(|&(page, score)| (score, std::cmp::Reverse(page)))
                        .filter(|&(_, score)| score >= threshold)
                });
                self.last_match_passed = best.is_some();
                match best {
                    Some((page, score)) => {
                        let mut extra = page.to_be_bytes().to_vec();
                        extra.extend_from_slice(&score.to_be_bytes());
                        self.ack(line, confirm::OK, &extra)
                    }
                    None => self.ack(line, confirm::NOT_FOUND, &[0, 0, 0, 0]),
                }
            }
            ins::REG_MODEL => {
                let code = match (&self.char_buffers[0], &self.char_buffers[1]) {
                    (Some(a), Some(b))
                        if matching::score(a, b)
                            >= matching::threshold(self.stored.security_level) =>
                    {
                        // The template keeps the first impression's minutiae; both buffers hold it.
                        let template = a.clone();
                        self.char_buffers = [Some(template.clone()), Some(template)];
                        confirm::OK
                    }
                    _ => confirm::COMBINE_FAILED,
                };
                self.ack(line, code, &[])
            }
            ins::STORE => {
                let (Some(buffer), Some(page)) = (
                    args.first().copied().and_then(Self::char_buffer_index),
                    be16(args, 1),
                ) else {
                    return self.ack(line, bad, &[]);
                };
                let code = match &self.char_buffers[buffer] {
                    _ if page >= self.library.size() => confirm::PAGE_OUT_OF_RANGE,
                    None => confirm::TEMPLATE_READ_ERROR,
                    Some(t) => {
                        self.library.store(page, t.clone());
                        confirm::OK
                    }
                };
                self.ack(line, code, &[])
            }
            ins::LOAD_CHAR => {
                let (Some(buffer), Some(page)) = (
                    args.first().copied().and_then(Self::char_buffer_index),
                    be16(args, 1),
                ) else {
                    return self.ack(line, bad, &[]);
                };
                let code = match self.library.load(page) {
                    Err(()) => confirm::PAGE_OUT_OF_RANGE,
                    Ok(None) => confirm::TEMPLATE_READ_ERROR,
                    Ok(Some(t)) => {
                        self.char_buffers[buffer] = Some(t.clone());
                        confirm::OK
                    }
                };
                self.ack(line, code, &[])
            }
            ins::UP_CHAR => {
                let Some(buffer) = args.first().copied().and_then(Self::char_buffer_index) else {
                    return self.ack(line, bad, &[]);
                };
                match &self.char_buffers[buffer] {
                    Some(t) => {
                        let bytes = t.to_bytes();
                        self.ack_then_stream(line, &bytes)
                    }
                    None => self.ack(line, confirm::TEMPLATE_READ_ERROR, &[]),
                }
            }
            ins::DOWN_CHAR => {
                let Some(buffer) = args.first().copied().and_then(Self::char_buffer_index) else {
                    return self.ack(line, bad, &[]);
                };
                self.begin_download(Download::Char(buffer), CHAR_FILE_BYTES);
                self.ack(line, confirm::OK, &[])
            }
            ins::UP_IMAGE => self.up_image(line),
            ins::DOWN_IMAGE => {
                let bytes = (self.sensor.width() * self.sensor.height() / 2) as usize;
                self.begin_download(Download::Image, bytes);
                self.ack(line, confirm::OK, &[])
            }
            ins::DELETE_CHAR => {
                let (Some(start), Some(count)) = (be16(args, 0), be16(args, 2)) else {
                    return self.ack(line, bad, &[]);
                };
                let code = if self.library.delete(start, count) {
                    confirm::OK
                } else {
                    confirm::DELETE_FAILED
                };
                self.ack(line, code, &[])
            }
            ins::EMPTY => {
                self.library.empty();
                self.ack(line, confirm::OK, &[])
            }
            ins::SET_SYS_PARA => {
                let (Some(&register), Some(&value)) = (args.first(), args.get(1)) else {
                    return self.ack(line, bad, &[]);
                };
                if !registers::accepts(self.sensor, register, value) {
                    return self.ack(line, confirm::INVALID_REGISTER, &[]);
                }
                match register {
                    REG_BAUD => self.stored.baud_multiplier = u16::from(value),
                    REG_SECURITY => self.stored.security_level = u16::from(value),
                    REG_PACKET_SIZE => self.stored.packet_size_code = u16::from(value),
                    _ => {}
                }
                tracing::info!(
                    register,
                    value,
                    "system parameter stored (baud and packet size apply at restart)"
                );
                self.ack(line, confirm::OK, &[])
            }
            ins::READ_SYS_PARA => {
                let status = (u16::from(self.last_match_passed) << 1)
                    | (u16::from(self.stored.password == 0 || self.verified) << 2)
                    | (u16::from(self.image.is_some()) << 3);
                let para = registers::read_sys_para(status, self.library.size(), &self.stored);
                self.ack(line, confirm::OK, &para)
            }
            ins::SET_PWD => {
                let Some(password) = be32(args, 0) else {
                    return self.ack(line, bad, &[]);
                };
                self.stored.password = password;
                self.verified = true;
                self.ack(line, confirm::OK, &[])
            }
            ins::VFY_PWD => {
                let Some(password) = be32(args, 0) else {
                    return self.ack(line, bad, &[]);
                };
                self.verified = password == self.stored.password;
                let code = if self.verified {
                    confirm::OK
                } else {
                    confirm::WRONG_PASSWORD
                };
                self.ack(line, code, &[])
            }
            ins::GET_RANDOM_CODE => {
                let code: u32 = self.rng.random();
                self.ack(line, confirm::OK, &code.to_be_bytes())
            }
            ins::SET_ADDER => {
                let Some(address) = be32(args, 0) else {
                    return self.ack(line, bad, &[]);
                };
                // The acknowledgement already comes from the new address.
                self.stored.address = address;
                self.ack(line, confirm::OK, &[])
            }
            ins::TEMPLATE_NUM => {
                let count = self.library.count();
                self.ack(line, confirm::OK, &count.to_be_bytes())
            }
            ins::WRITE_NOTEPAD => {
                let (Some(&page), Some(bytes)) = (args.first(), args.get(1..=NOTEPAD_PAGE_BYTES))
                else {
                    return self.ack(line, bad, &[]);
                };
                match self.notepad.get_mut(usize::from(page)) {
                    Some(slot) => {
                        slot.copy_from_slice(bytes);
                        self.ack(line, confirm::OK, &[])
                    }
                    None => self.ack(line, confirm::WRONG_NOTEPAD_PAGE, &[]),
                }
            }
            ins::READ_NOTEPAD => {
                let Some(&page) = args.first() else {
                    return self.ack(line, bad, &[]);
                };
                match self.notepad.get(usize::from(page)) {
                    Some(bytes) => self.ack(line, confirm::OK, bytes),
                    None => self.ack(line, confirm::WRONG_NOTEPAD_PAGE, &[]),
                }
            }
            ins::READ_INDEX_TABLE => match args.first() {
                Some(&index) if index <= 3 => {
                    let table = self.library.index_table(index);
                    self.ack(line, confirm::OK, &table)
                }
                _ => self.ack(line, bad, &[]),
            },
            ins::AURA_LED_CONFIG => match args {
                [control, speed, colour, count, ..] if (1..=6).contains(control) => {
                    self.aura = Aura {
                        control: *control,
                        speed: *speed,
                        colour: *colour,
                        count: *count,
                    };
                    tracing::debug!(?self.aura, "ring LED");
                    self.ack(line, confirm::OK, &[])
                }
                _ => self.ack(line, bad, &[]),
            },
            ins::CHECK_SENSOR | ins::HAND_SHAKE => self.ack(line, confirm::OK, &[]),
            ins::READ_PROD_INFO => {
                let info = self.product_info();
                self.ack(line, confirm::OK, &info)
            }
            ins::SOFT_RST => {
                self.ack(line, confirm::OK, &[])?;
                self.shared
                    .counters
                    .restarts
                    .fetch_add(1, Ordering::Relaxed);
                self.start(line)
            }
            ins::GET_ECHO => self.ack(line, confirm::ECHO, &[]),
            other => {
                // The module's answer to an instruction it does not know: a packet it cannot take.
                tracing::debug!(
                    instruction = format_args!("{other:02X}"),
                    "unknown instruction"
                );
                self.ack(line, bad, &[])
            }
        }
    }

    fn gen_img(&mut self, line: &mut SimLine) -> Result<(), LineError> {
        let started = Instant::now();
        let on_sensor = self.shared.finger().at_capture();
        let Some(on_glass) = on_sensor else {
            line.interruptible_sleep(sensor::no_finger_time(self.capture_time))?;
            return self.ack(line, confirm::NO_FINGER, &[]);
        };
        let (mut image, provenance) = match on_glass {
            OnGlass::Finger(provenance) => {
                (sensor::capture(self.sensor, provenance), Some(provenance))
            }
            OnGlass::Target(target) => (
                target.render(self.sensor.width(), self.sensor.height()),
                None,
            ),
        };
        self.shared.sensor().expose(&mut image);
        if let Some(provenance) = provenance {
            let hash = content_hash(&sensor::to_nibbles(&image));
            self.seen_images.push_back((hash, provenance));
            if self.seen_images.len() > PROVENANCE_MEMORY {
                self.seen_images.pop_front();
            }
        }
        self.image = Some(Captured { image, provenance });
        self.shared
            .counters
            .captures
            .fetch_add(1, Ordering::Relaxed);
        tracing::debug!(
            finger_seed = provenance.map(|p| p.finger_seed),
            impression = provenance.map(|p| p.impression),
            target = matches!(on_glass, OnGlass::Target(_)),
            synth_ms = started.elapsed().as_millis() as u64,
            "image captured"
        );
        // The capture takes its time, synthesis included.
        let remaining = self.capture_time.saturating_sub(started.elapsed());
        line.interruptible_sleep(remaining)?;
        self.ack(line, confirm::OK, &[])
    }

    fn img2tz(&mut self, buffer: usize) -> u8 {
        let Some(captured) = &self.image else {
            return confirm::NO_VALID_IMAGE;
        };
        let Some(provenance) = captured.provenance else {
            // An image the module has never seen a finger for: nothing it can extract.
            return confirm::IMAGE_MESSY;
        };
        let finger = Finger::from_seed(provenance.finger_seed);
        let file = CharFile::extract(&finger, provenance, &captured.image);
        tracing::debug!(
            features = file.features.len(),
            buffer = buffer + 1,
            "features extracted"
        );
        if file.features.len() < MIN_MINUTIAE {
            return confirm::TOO_FEW_FEATURES;
        }
        self.char_buffers[buffer] = Some(file);
        confirm::OK
    }

    fn up_image(&mut self, line: &mut SimLine) -> Result<(), LineError> {
        let Some(captured) = &self.image else {
            return self.ack(line, confirm::NO_VALID_IMAGE, &[]);
        };
        let nibbles = sensor::to_nibbles(&captured.image);
        let sent = sensor::from_nibbles(&nibbles, captured.image.width(), captured.image.height());
        *self
            .shared
            .last_image
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = sent;
        self.shared
            .counters
            .images_sent
            .fetch_add(1, Ordering::Relaxed);
        tracing::debug!(
            bytes = nibbles.len(),
            packet_size = self.active.packet_size,
            "image upload"
        );
        self.ack_then_stream(line, &nibbles)
    }

    fn begin_download(&mut self, what: Download, expected: usize) {
        self.receiving = Some(Receiving {
            what,
            data: Vec::with_capacity(expected),
            expected,
            intact: true,
            last_packet_at: Instant::now(),
        });
    }

    fn on_data(&mut self, packet: &Packet) {
        let size = self.active.packet_size;
        let Some(r) = self.receiving.as_mut() else {
            return;
        };
        r.last_packet_at = Instant::now();
        r.intact &= packet.checksum_ok;
        let last = packet.pid == PID_END_DATA;
        // Every packet carries exactly one packet size of payload (the last may be shorter).
        r.intact &= packet.payload.len() == size || (last && packet.payload.len() <= size);
        r.data.extend_from_slice(&packet.payload);
        if !last {
            if r.data.len() > r.expected {
                r.intact = false;
            }
            return;
        }
        let Some(r) = self.receiving.take() else {
            return;
        };
        if !r.intact || r.data.len() != r.expected {
            tracing::debug!(
                bytes = r.data.len(),
                expected = r.expected,
                intact = r.intact,
                "download refused"
            );
            return;
        }
        match r.what {
            Download::Image => {
                let hash = content_hash(&r.data);
                let provenance = self
                    .seen_images
                    .iter()
                    .find(|(h, _)| *h == hash)
                    .map(|(_, p)| *p);
                if let Some(image) =
                    sensor::from_nibbles(&r.data, self.sensor.width(), self.sensor.height())
                {
                    tracing::debug!(known = provenance.is_some(), "image downloaded");
                    self.image = Some(Captured { image, provenance });
                }
            }
            Download::Char(buffer) => {
                if let Some(file) = CharFile::from_bytes(&r.data) {
                    self.char_buffers[buffer] = Some(file);
                }
            }
        }
    }

    /// ReadProdInfo's 46 bytes: module type (16), batch (4), serial number (8), hardware version
    /// (2), sensor type (8), width (2), height (2), template size (2), database size (2).
    fn product_info(&self) -> Vec<u8> {
        fn text(out: &mut Vec<u8>, s: &str, len: usize) {
            let mut bytes = s.as_bytes().to_vec();
            bytes.resize(len, 0);
            out.extend_from_slice(&bytes);
        }
        let mut out = Vec::with_capacity(46);
        text(&mut out, self.sensor.model(), 16);
        text(&mut out, "SIM1", 4);
        text(&mut out, &self.serial_number(), 8);
        out.extend_from_slice(&[1, 0]);
        text(&mut out, self.sensor.sensor_type(), 8);
        out.extend_from_slice(&(self.sensor.width() as u16).to_be_bytes());
        out.extend_from_slice(&(self.sensor.height() as u16).to_be_bytes());
        out.extend_from_slice(&(CHAR_FILE_BYTES as u16).to_be_bytes());
        out.extend_from_slice(&self.library.size().to_be_bytes());
        out
    }

    /// The module's serial number, drawn from the simulator's seed: 8 hex digits.
    pub(crate) fn serial_number(&self) -> String {
        let mut rng = ChaCha8Rng::seed_from_u64(self.seed ^ 0x5e71_a15e);
        format!("{:08X}", rng.random::<u32>())
    }

    /// The ring LED's state.
    #[allow(dead_code)]
    pub(crate) fn aura(&self) -> Aura {
        self.aura
    }
}
