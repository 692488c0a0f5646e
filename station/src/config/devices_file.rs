//! The `[devices]` section of a configuration file: read on its own (the rest of the file need not
//! be complete), and written with the ports a discovery found. Used by `station devices --save` and
//! by the technician's devices screen.

use std::path::{Path, PathBuf};

use anyhow::Context;
use drivers::discovery::{DeviceKind, PortReport};

use super::{DeviceSettings, PortSettings};

/// Reads the `[devices]` section of a configuration file (the rest need not be complete).
pub fn read_devices(file: &Path) -> anyhow::Result<DeviceSettings> {
    devices_of(&read_table(file)?, file)
}

/// The `[devices]` section of a configuration already read from `file`.
fn devices_of(table: &toml::Table, file: &Path) -> anyhow::Result<DeviceSettings> {
    match table.get("devices") {
        Some(section) => section
            .clone()
            .try_into()
            .with_context(|| format!("section [devices] de {}", file.display())),
        None => Ok(DeviceSettings::default()),
    }
}

fn read_table(file: &Path) -> anyhow::Result<toml::Table> {
    if !file.exists() {
        return Ok(toml::Table::new());
    }
    let text =
        std::fs::read_to_string(file).with_context(|| format!("lecture de {}", file.display()))?;
    text.parse::<toml::Table>()
        .with_context(|| format!("{} n'est pas un fichier TOML valide", file.display()))
}

/// What a save wrote into a configuration file's `[devices]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedDevices {
    /// The configuration file.
    pub file: PathBuf,
    /// The fingerprint module, then the camera.
    pub devices: Vec<SavedDevice>,
}

/// What a save did for one kind of device.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedDevice {
    /// Which device.
    pub kind: DeviceKind,
    /// What was written for it.
    pub port: SavedPort,
}

/// The port written for a device, or kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SavedPort {
    /// The first one found is written, at the baud it answered at.
    Written {
        /// Its path.
        path: String,
        /// Its baud.
        baud: u32,
        /// How many of this kind were found (only the first is written).
        found: usize,
    },
    /// None found: the configured port, if any, is kept (the device may only be unplugged).
    Kept {
        /// The port configured before.
        path: Option<PathBuf>,
    },
}

/// As `station devices --save` says it on the terminal (French, as the station's other messages).
impl std::fmt::Display for SavedDevices {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "enregistré dans {} :", self.file.display())?;
        for device in &self.devices {
            let name = match device.kind {
                DeviceKind::Fingerprint => "capteur d'empreintes",
                DeviceKind::Camera => "caméra",
            };
            match &device.port {
                SavedPort::Written { path, baud, found } => {
                    write!(f, "\n{name} : {path} à {baud} bauds")?;
                    if *found > 1 {
                        write!(f, "\n  ({found} trouvés : seul le premier est enregistré)")?;
                    }
                }
                SavedPort::Kept { path } => write!(
                    f,
                    "\n{name} : non trouvé, configuration inchangée ({})",
                    path.as_ref()
                        .map_or("aucun".to_owned(), |p| p.display().to_string())
                )?,
            }
        }
        Ok(())
    }
}

/// Writes the first fingerprint module and the first camera found into `file`'s `[devices]`;
/// a kind not found keeps its configured port (it may only be unplugged). Returns what was done.
pub fn save(file: &Path, reports: &[PortReport]) -> anyhow::Result<SavedDevices> {
    let mut table = read_table(file)?;
    let mut devices = devices_of(&table, file)?;
    let mut said = Vec::new();
    for kind in [DeviceKind::Fingerprint, DeviceKind::Camera] {
        let found: Vec<&PortReport> = reports.iter().filter(|r| r.kind() == Some(kind)).collect();
        let slot = match kind {
            DeviceKind::Fingerprint => &mut devices.fingerprint,
            DeviceKind::Camera => &mut devices.camera,
        };
        let port = match found.first() {
            Some(report) => {
                let baud = report.baud().unwrap_or_default();
                *slot = Some(PortSettings {
                    path: PathBuf::from(&report.path),
                    baud,
                });
                SavedPort::Written {
                    path: report.path.clone(),
                    baud,
                    found: found.len(),
                }
            }
            None => SavedPort::Kept {
                path: slot.as_ref().map(|p| p.path.clone()),
            },
        };
        said.push(SavedDevice { kind, port });
    }
    let section = toml::Value::try_from(&devices).context("section [devices]")?;
    table.insert("devices".to_owned(), section);
    let text = toml::to_string_pretty(&table).context("écriture TOML")?;
    std::fs::write(file, text).with_context(|| format!("écriture de {}", file.display()))?;
    Ok(SavedDevices {
        file: file.to_path_buf(),
        devices: said,
    })
}
