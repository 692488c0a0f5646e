//! Taking and moving images: GenImg, UpImage, DownImage.

use std::time::Duration;

use super::simple_command;

simple_command!(
    /// 0x01: take an image into the image buffer (answers 0x02 when no finger is there). A sensor
    /// takes about a second; the reference notes ~2 s as the common wait.
    GenImg,
    0x01,
    "GenImg",
    Duration::from_millis(2_000)
);

simple_command!(
    /// 0x0A: send the image buffer to the host; data packets follow the acknowledgement.
    UpImage,
    0x0A,
    "UpImage",
    Duration::from_millis(1_000)
);

simple_command!(
    /// 0x0B: receive an image from the host; the host sends data packets after the acknowledgement.
    DownImage,
    0x0B,
    "DownImage",
    Duration::from_millis(1_000)
);
