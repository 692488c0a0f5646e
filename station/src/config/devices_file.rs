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

/// Writes the first fingerprint module and the first camera found into `file`'s `[devices]`;
/// a kind not found keeps its configured port (it may only be unplugged). Returns what was done.
pub fn save(file: &Path, reports: &[PortReport]) -> anyhow::Result<String> {
    let mut table = read_table(file)?;
    let mut devices = devices_of(&table, file)?;
    let mut said = Vec::new();
    for kind in [DeviceKind::Fingerprint, DeviceKind::Camera] {
        let found: Vec<&PortReport> = reports.iter().filter(|r| r.kind() == Some(kind)).collect();
        let name = match kind {
            DeviceKind::Fingerprint => "capteur d'empreintes",
            DeviceKind::Camera => "caméra",
        };
        let slot = match kind {
            DeviceKind::Fingerprint => &mut devices.fingerprint,
            DeviceKind::Camera => &mut devices.camera,
        };
        match (found.first(), found.len()) {
            (Some(report), count) => {
                let baud = report.baud().unwrap_or_default();
                *slot = Some(PortSettings {
                    path: PathBuf::from(&report.path),
                    baud,
                });
                said.push(format!("{name} : {} à {baud} bauds", report.path));
                if count > 1 {
                    said.push(format!(
                        "  ({count} trouvés : seul le premier est enregistré)"
                    ));
                }
            }
            (None, _) => said.push(format!(
                "{name} : non trouvé, configuration inchangée ({})",
                slot.as_ref()
                    .map_or("aucun".to_owned(), |p| p.path.display().to_string())
            )),
        }
    }
    let section = toml::Value::try_from(&devices).context("section [devices]")?;
    table.insert("devices".to_owned(), section);
    let text = toml::to_string_pretty(&table).context("écriture TOML")?;
    std::fs::write(file, text).with_context(|| format!("écriture de {}", file.display()))?;
    Ok(format!(
        "enregistré dans {} :\n{}",
        file.display(),
        said.join("\n")
    ))
}
