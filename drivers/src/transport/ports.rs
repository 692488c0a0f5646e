//! Listing the serial ports a technician could point the station at.

use serialport::SerialPortType;

/// A serial port present on this machine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortInfo {
    /// The path to open (e.g. `/dev/ttyUSB0`).
    pub path: String,
    /// USB vendor and product id, when the port is a USB adapter.
    pub usb_id: Option<(u16, u16)>,
    /// A human description: manufacturer and product for USB adapters, else the kind of port.
    pub description: String,
}

/// Lists the serial ports the operating system knows of, sorted by path. Pseudo-terminals are not
/// listed (a simulator prints its own path). An enumeration failure gives an empty list and a log
/// line: "no port" is what a technician needs to see either way.
pub fn list_ports() -> Vec<PortInfo> {
    let ports = match serialport::available_ports() {
        Ok(ports) => ports,
        Err(error) => {
            tracing::warn!(%error, "cannot list serial ports");
            return Vec::new();
        }
    };
    let mut listed: Vec<PortInfo> = ports
        .into_iter()
        .map(|port| {
            let (usb_id, description) = match port.port_type {
                SerialPortType::UsbPort(usb) => {
                    let text = [usb.manufacturer, usb.product]
                        .into_iter()
                        .flatten()
                        .collect::<Vec<_>>()
                        .join(" ");
                    let text = if text.is_empty() {
                        "USB serial adapter".to_owned()
                    } else {
                        text
                    };
                    (Some((usb.vid, usb.pid)), text)
                }
                SerialPortType::PciPort => (None, "built-in serial port".to_owned()),
                SerialPortType::BluetoothPort => (None, "Bluetooth serial port".to_owned()),
                SerialPortType::Unknown => (None, "serial port".to_owned()),
            };
            PortInfo {
                path: port.port_name,
                usb_id,
                description,
            }
        })
        .collect();
    listed.sort_by(|a, b| a.path.cmp(&b.path));
    listed
}
