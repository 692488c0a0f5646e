//! The fingerprint simulator's orders on the control socket ([`crate::control_socket`]):
//! `place <seed> [impression]`, `lift`, `auto on|off`, `faults <spec>`, `power-cycle`, `hang`,
//! `unplug`, `stats`, `defects <spec>`, `target blank|flat`.

use super::SimControl;
use crate::control_socket::{ControlSocket, Orders};
use crate::pty::FaultSpec;
use crate::synth::sensor_defects::{SensorDefects, Target};

pub use crate::control_socket::socket_path;

/// Starts the control socket at `path`, steering `control`.
pub fn start(path: &std::path::Path, control: SimControl) -> std::io::Result<ControlSocket> {
    let orders: Orders = Box::new(move |line| obey(line, &control));
    ControlSocket::start(path, "zfm-control", orders)
}

/// Carries out one order; `Ok` holds the answer (`ok`, or `ok …` for `stats`).
pub fn obey(order: &str, control: &SimControl) -> Result<String, String> {
    let mut words = order.split_whitespace();
    let verb = words.next().unwrap_or("");
    let rest: Vec<&str> = words.collect();
    let number = |text: &str| -> Result<u64, String> {
        text.parse::<u64>()
            .map_err(|_| format!("{text:?} is not a number"))
    };
    match (verb, rest.as_slice()) {
        ("place", [seed]) => control.place_finger(number(seed)?, 0),
        ("place", [seed, impression]) => {
            let impression = u32::try_from(number(impression)?).map_err(|e| e.to_string())?;
            control.place_finger(number(seed)?, impression);
        }
        ("lift", []) => control.lift_finger(),
        ("auto", ["on"]) => control.set_auto(true),
        ("auto", ["off"]) => control.set_auto(false),
        ("faults", spec) => {
            let spec: FaultSpec = spec.join(" ").parse().map_err(|e| format!("{e}"))?;
            control.set_faults(spec);
        }
        ("defects", spec) => {
            let spec: SensorDefects = spec.join(" ").parse().map_err(|e| format!("{e}"))?;
            control.set_defects(spec);
        }
        ("target", [name]) => control.place_target(name.parse::<Target>()?),
        ("power-cycle", []) => control.power_cycle().map_err(|e| e.to_string())?,
        ("hang", []) => control.hang().map_err(|e| e.to_string())?,
        ("unplug", []) => control.unplug().map_err(|e| e.to_string())?,
        ("stats", []) => {
            let s = control.stats();
            return Ok(format!(
                "ok bytes_sent={} bytes_received={} commands_served={} faults_injected={} captures={} images_sent={} restarts={} bad_packets={}",
                s.bytes_sent,
                s.bytes_received,
                s.commands_served,
                s.faults_injected,
                s.captures,
                s.images_sent,
                s.restarts,
                s.bad_packets
            ));
        }
        _ => {
            return Err(format!(
                "unknown order {order:?} (place <seed> [impression], lift, auto on|off, faults <spec>, defects <spec>, target blank|flat, power-cycle, hang, unplug, stats)"
            ));
        }
    }
    Ok("ok".to_owned())
}
