//! What discovery says about one port.

use serde::{Deserialize, Serialize};

/// The two kinds of device a station has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum DeviceKind {
    /// The ZFM / R30x / AS608 / R503 fingerprint module.
    Fingerprint,
    /// The VC0706 serial JPEG camera.
    Camera,
}

impl DeviceKind {
    /// A short stable name (`fingerprint`, `camera`) for logs and files.
    pub fn name(self) -> &'static str {
        match self {
            DeviceKind::Fingerprint => "fingerprint",
            DeviceKind::Camera => "camera",
        }
    }
}

/// A fingerprint module as its handshake describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FingerprintIdentity {
    /// Module model from ReadProdInfo (`R503`, `ZFM-60`), or a family name when the module has no
    /// product information.
    pub model: String,
    /// Serial number from ReadProdInfo, when the module gives one.
    pub serial_number: Option<String>,
    /// Production batch from ReadProdInfo.
    pub batch: Option<String>,
    /// Hardware version (`main.sub`) from ReadProdInfo: the only version the protocol reports.
    pub hardware_version: Option<String>,
    /// Sensor model from ReadProdInfo (`OPTICAL`, `CAPACITV`).
    pub sensor_type: Option<String>,
    /// Sensor size in pixels.
    pub sensor_size: (u32, u32),
    /// The baud the module answers at now.
    pub baud: u32,
    /// Data packet payload size in bytes.
    pub packet_size: usize,
    /// System identifier from ReadSysPara (9 on most modules).
    pub system_id: u16,
    /// Template library capacity from ReadSysPara.
    pub library_size: u16,
    /// Security level 1..5 from ReadSysPara.
    pub security_level: u16,
    /// The module refused the factory password: it answers, but nothing more can be read.
    pub password_protected: bool,
}

/// A camera as its handshake describes it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CameraIdentity {
    /// Chip model from the version text (`VC0703`: the VC0706's firmware reports this).
    pub model: String,
    /// Firmware version from the version text (`1.00`).
    pub firmware: String,
    /// The whole version text as the camera sent it.
    pub version_text: String,
    /// The baud the camera answers at now (it returns to 38,400 at every reset).
    pub baud: u32,
    /// The picture size stored in the camera (`640x480`), when it could be read.
    pub image_size: Option<String>,
}

/// What is on a port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "kebab-case")]
pub enum Found {
    /// A fingerprint module answered.
    Fingerprint(FingerprintIdentity),
    /// A camera answered.
    Camera(CameraIdentity),
    /// The port opened, nothing answered at any baud and the line stayed silent.
    Nothing,
    /// Something is on the line (bytes were heard: a boot byte, noise, a hung device) but it
    /// answered no handshake at any baud, or stopped answering partway.
    NotAnswering {
        /// Bytes received while probing.
        bytes_heard: u64,
        /// What happened, in a technician's words.
        detail: String,
    },
    /// The port could not be opened (absent, in use by another program, no permission).
    CannotOpen {
        /// Why, as the system said it.
        reason: String,
    },
}

/// Discovery's finding for one port.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortReport {
    /// The port as given (a configured symlink stays a symlink).
    pub path: String,
    /// Where a symlink leads (`/dev/pts/3`), when the path is one.
    pub resolved: Option<String>,
    /// What the system says of the port (`FTDI FT232R USB UART`), when listed.
    pub description: Option<String>,
    /// What is there.
    pub found: Found,
    /// The bauds tried, in order (the last one answered when a device was found).
    pub bauds_tried: Vec<u32>,
    /// How long the port took to identify, in milliseconds.
    pub elapsed_ms: u64,
}

impl PortReport {
    /// The device found, if any.
    pub fn kind(&self) -> Option<DeviceKind> {
        match &self.found {
            Found::Fingerprint(_) => Some(DeviceKind::Fingerprint),
            Found::Camera(_) => Some(DeviceKind::Camera),
            _ => None,
        }
    }

    /// The baud the device answers at, if a device was found.
    pub fn baud(&self) -> Option<u32> {
        match &self.found {
            Found::Fingerprint(f) => Some(f.baud),
            Found::Camera(c) => Some(c.baud),
            _ => None,
        }
    }

    /// The device's model, if a device was found.
    pub fn model(&self) -> Option<&str> {
        match &self.found {
            Found::Fingerprint(f) => Some(&f.model),
            Found::Camera(c) => Some(&c.model),
            _ => None,
        }
    }
}
