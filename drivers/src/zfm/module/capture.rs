//! Waiting for a finger, and bringing its image home.

use std::time::{Duration, Instant};

use image::GrayImage;

use super::{FingerprintModule, line_time};
use crate::discovery::DeviceKind;
use crate::transport::{CommandLabel, Transport, TransportError};
use crate::zfm::command::{Command, Confirmation, DownImage, GenImg, UpImage};
use crate::zfm::error::ZfmError;
use crate::zfm::frame::{PREAMBLE_LEN, Packet, PacketKind, ReadError};
use crate::zfm::image::{expand_nibbles, pack_nibbles, packed_len};

/// Pause between two GenImg while nobody touches the sensor.
const FINGER_POLL: Duration = Duration::from_millis(50);
/// A data packet may be late by this much beyond its line time (a USB adapter's latency, a
/// module's hiccup) before the transfer is declared stopped.
const PACKET_SLACK: Duration = Duration::from_millis(1_000);
/// Quiet time that ends the drain after a damaged transfer: longer than a stall, so the rest of
/// the old stream is not mistaken for the next answer.
const QUIET_AFTER_DAMAGE: Duration = Duration::from_millis(400);

/// Where an image transfer is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress<'a> {
    /// Image bytes received so far.
    pub received: usize,
    /// Image bytes expected.
    pub total: usize,
    /// Which attempt this is (1 for the first).
    pub attempt: u32,
    /// The image's bytes received so far, packed as on the wire (rows from the top): what a
    /// screen can draw while the rest arrives ([`expand_partial`](crate::zfm::image::expand_partial)).
    pub packed: &'a [u8],
}

/// Figures for one image transfer (the attempt that succeeded).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TransferStats {
    /// Bytes on the wire both ways: command, acknowledgement, data packets with their framing.
    pub bytes_on_wire: u64,
    /// From sending UpImage to the last data packet.
    pub elapsed: Duration,
    /// Line speed.
    pub baud: u32,
    /// Data packet payload size.
    pub packet_size: usize,
    /// Attempts needed (1 when the first transfer was clean).
    pub attempts: u32,
}

impl TransferStats {
    /// What the bytes cost on the line: bytes × 10 ÷ baud.
    pub fn line_time(&self) -> Duration {
        line_time(self.bytes_on_wire, self.baud)
    }

    /// Received time ÷ line time (1.0 means the line was the only limit).
    pub fn efficiency_ratio(&self) -> f64 {
        let line = self.line_time().as_secs_f64();
        if line > 0.0 {
            self.elapsed.as_secs_f64() / line
        } else {
            f64::INFINITY
        }
    }
}

/// An image fetched from the module.
#[derive(Debug, Clone)]
pub struct Capture {
    /// The 8-bit image at the sensor's native size.
    pub image: GrayImage,
    /// How the transfer went.
    pub stats: TransferStats,
}

impl<T: Transport> FingerprintModule<T> {
    /// Polls GenImg until a finger is imaged or `deadline` passes ([`ZfmError::NoFinger`]). No
    /// call outlives the deadline: each GenImg gets at most the time left.
    pub fn wait_for_finger(&mut self, deadline: Instant) -> Result<(), ZfmError> {
        let started = Instant::now();
        loop {
            let now = Instant::now();
            if now >= deadline {
                return Err(ZfmError::NoFinger {
                    waited: started.elapsed(),
                });
            }
            // Clearing stale bytes after a failure counts against the same deadline.
            self.settle_within(deadline - now)?;
            let remaining = deadline.saturating_duration_since(Instant::now());
            let clipped = remaining < self.capture_timeout;
            match self.send_with_timeout(&GenImg, self.capture_timeout.min(remaining)) {
                Ok(Ok(())) => return Ok(()),
                Ok(Err(
                    Confirmation::NoFinger
                    | Confirmation::EnrollFailed
                    | Confirmation::ImageTooMessy,
                )) => {
                    let pause = FINGER_POLL.min(deadline.saturating_duration_since(Instant::now()));
                    std::thread::sleep(pause);
                }
                Ok(Err(code)) => {
                    return Err(ZfmError::Module {
                        command: GenImg::NAME,
                        code,
                    });
                }
                // A damaged answer on a noisy line: ask again (the deadline still bounds us).
                Err(error) if error.is_transfer_damage() => {
                    tracing::debug!(%error, "damaged GenImg answer, polling again");
                }
                Err(ZfmError::Timeout { .. }) if clipped => {
                    return Err(ZfmError::NoFinger {
                        waited: started.elapsed(),
                    });
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// Waits for a finger until `finger_deadline`, then fetches its image.
    pub fn capture(
        &mut self,
        finger_deadline: Instant,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<Capture, ZfmError> {
        self.wait_for_finger(finger_deadline)?;
        self.upload_image(progress)
    }

    /// Fetches the image buffer (UpImage) as an 8-bit image, repeating the whole transfer up to
    /// the configured number of attempts when it arrives damaged (checksum or length). Never
    /// runs longer than [`upload_time_limit`](Self::upload_time_limit).
    pub fn upload_image(
        &mut self,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<Capture, ZfmError> {
        let mut attempt = 0;
        loop {
            attempt += 1;
            self.counters.upload_attempts += 1;
            match self.upload_once(attempt, progress) {
                Ok(mut capture) => {
                    capture.stats.attempts = attempt;
                    return Ok(capture);
                }
                Err(error) if error.is_transfer_damage() && attempt < self.upload_attempts => {
                    tracing::warn!(attempt, %error, "image transfer damaged, repeating it");
                    self.counters.upload_retries += 1;
                    // The module is still streaming the rest of the damaged image: let it finish.
                    let max = self.single_upload_limit();
                    self.drain(QUIET_AFTER_DAMAGE, max)?;
                }
                Err(error) => return Err(error),
            }
        }
    }

    /// The longest [`upload_image`](Self::upload_image) may take with the current settings and
    /// attempts: each attempt's limit plus the drain after it.
    pub fn upload_time_limit(&self) -> Duration {
        let one = self.single_upload_limit();
        // Attempts, plus a drain between them, plus a possible drain of stale bytes first.
        one * self.upload_attempts * 2 + Duration::from_millis(1_000)
    }

    /// One attempt's limit: the command's timeout plus 1.5 × the image's line time plus slack.
    fn single_upload_limit(&self) -> Duration {
        let wire = self.image_wire_bytes();
        UpImage.timeout() + self.line_time(wire) * 3 / 2 + Duration::from_millis(2_000)
    }

    /// Bytes on the wire for one image at the current packet size, framing included.
    fn image_wire_bytes(&self) -> u64 {
        let total = packed_len(self.settings.width, self.settings.height) as u64;
        let packet = self.settings.packet_size.bytes() as u64;
        let packets = total.div_ceil(packet);
        // Command (12) + acknowledgement (12) + data packets with 11 bytes of framing each.
        24 + total + packets * (PREAMBLE_LEN as u64 + 2)
    }

    fn upload_once(
        &mut self,
        attempt: u32,
        progress: &mut dyn FnMut(Progress<'_>),
    ) -> Result<Capture, ZfmError> {
        let (width, height) = (self.settings.width, self.settings.height);
        let total = packed_len(width, height);
        let packet_size = self.settings.packet_size.bytes();
        let before = self.transport.counters();
        let started = Instant::now();
        let overall = started + self.single_upload_limit();
        self.execute(&UpImage)?;
        let gap = self.line_time((packet_size + PREAMBLE_LEN + 2) as u64) * 2 + PACKET_SLACK;
        let mut data = Vec::with_capacity(total);
        progress(Progress {
            received: 0,
            total,
            attempt,
            packed: &[],
        });
        loop {
            let deadline = overall.min(Instant::now() + gap);
            let packet = match self.reader.next_packet(&mut self.transport, deadline) {
                Ok(packet) => packet,
                Err(ReadError::Transport(TransportError::Timeout)) if !data.is_empty() => {
                    // The stream stopped partway (a dropped byte leaves a packet unfinished).
                    return Err(self.failed(ZfmError::Length {
                        command: UpImage::NAME,
                        expected: total,
                        received: data.len(),
                    }));
                }
                Err(error) => return Err(self.failed(ZfmError::from_read(UpImage::NAME, error))),
            };
            let last = match packet.kind {
                PacketKind::Data => false,
                PacketKind::EndData => true,
                other => {
                    return Err(self.failed(ZfmError::Protocol {
                        command: UpImage::NAME,
                        detail: format!("a {other:?} packet in the middle of the image"),
                    }));
                }
            };
            if data.len() + packet.payload.len() > total {
                return Err(self.failed(ZfmError::Length {
                    command: UpImage::NAME,
                    expected: total,
                    received: data.len() + packet.payload.len(),
                }));
            }
            data.extend_from_slice(&packet.payload);
            progress(Progress {
                received: data.len(),
                total,
                attempt,
                packed: &data,
            });
            if last {
                break;
            }
        }
        let elapsed = started.elapsed();
        let Some(image) = expand_nibbles(&data, width, height) else {
            return Err(self.failed(ZfmError::Length {
                command: UpImage::NAME,
                expected: total,
                received: data.len(),
            }));
        };
        let after = self.transport.counters();
        let bytes_on_wire =
            (after.bytes_read - before.bytes_read) + (after.bytes_written - before.bytes_written);
        let stats = TransferStats {
            bytes_on_wire,
            elapsed,
            baud: self.transport.baud(),
            packet_size,
            attempts: attempt,
        };
        tracing::debug!(
            bytes = bytes_on_wire,
            elapsed_ms = elapsed.as_millis() as u64,
            ratio = stats.efficiency_ratio(),
            "image received"
        );
        Ok(Capture { image, stats })
    }

    /// Sends an 8-bit image to the module's image buffer (DownImage), 4 bits a pixel. The image
    /// must have the sensor's size.
    pub fn download_image(&mut self, image: &GrayImage) -> Result<(), ZfmError> {
        let (width, height) = (self.settings.width, self.settings.height);
        if image.dimensions() != (width, height) {
            return Err(ZfmError::Length {
                command: DownImage::NAME,
                expected: packed_len(width, height),
                received: packed_len(image.width(), image.height()),
            });
        }
        self.execute(&DownImage)?;
        let packed = pack_nibbles(image);
        let chunks: Vec<&[u8]> = packed.chunks(self.settings.packet_size.bytes()).collect();
        let count = chunks.len();
        let mut bytes = Vec::with_capacity(packed.len() + count * (PREAMBLE_LEN + 2));
        for (i, chunk) in chunks.into_iter().enumerate() {
            let packet = Packet {
                address: self.address,
                kind: if i + 1 == count {
                    PacketKind::EndData
                } else {
                    PacketKind::Data
                },
                payload: chunk.to_vec(),
            };
            packet
                .encode_into(&mut bytes)
                .map_err(|e| ZfmError::Protocol {
                    command: DownImage::NAME,
                    detail: e.to_string(),
                })?;
        }
        self.transport
            .write_command(CommandLabel::data(DeviceKind::Fingerprint), &bytes)
            .map_err(|e| self.failed(ZfmError::from_transport(DownImage::NAME, e)))
    }
}
