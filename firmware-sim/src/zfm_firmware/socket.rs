//! The control channel of a running simulator, for the demo and a technician's shell: a Unix socket
//! at `<link>.control` taking one text order a line and answering `ok` or `error: …`
//! (e.g. `echo 'place 42 1' | socat - UNIX-CONNECT:/tmp/fp.control`).
//!
//! Orders: `place <seed> [impression]`, `lift`, `auto on|off`, `faults <spec>`, `power-cycle`,
//! `hang`, `unplug`, `stats`.

use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use super::SimControl;
use crate::pty::FaultSpec;

/// The control socket; removed when dropped.
#[derive(Debug)]
pub struct ControlSocket {
    path: PathBuf,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// The socket path for a link: `<link>.control`.
pub fn socket_path(link: &Path) -> PathBuf {
    let mut path = link.as_os_str().to_owned();
    path.push(".control");
    PathBuf::from(path)
}

impl ControlSocket {
    /// Listens at `path` (a stale socket there is replaced; any other file is left alone).
    pub fn start(path: &Path, control: SimControl) -> io::Result<Self> {
        if let Ok(meta) = std::fs::symlink_metadata(path) {
            if meta.file_type().is_socket() {
                std::fs::remove_file(path)?;
            } else {
                return Err(io::Error::new(
                    io::ErrorKind::AlreadyExists,
                    format!("{} exists and is not a socket", path.display()),
                ));
            }
        }
        let listener = UnixListener::bind(path)?;
        listener.set_nonblocking(true)?;
        let stop = Arc::new(AtomicBool::new(false));
        let thread_stop = Arc::clone(&stop);
        let thread = std::thread::Builder::new()
            .name("zfm-control".into())
            .spawn(move || accept_loop(&listener, &control, &thread_stop))?;
        Ok(Self {
            path: path.to_owned(),
            stop,
            thread: Some(thread),
        })
    }

    /// Where it listens.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ControlSocket {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
        if let Err(e) = std::fs::remove_file(&self.path) {
            tracing::warn!(path = %self.path.display(), error = %e, "could not remove the control socket");
        }
    }
}

fn accept_loop(listener: &UnixListener, control: &SimControl, stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                if let Err(e) = converse(stream, control, stop) {
                    tracing::debug!(error = %e, "control connection ended");
                }
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(e) => {
                tracing::warn!(error = %e, "control socket");
                std::thread::sleep(Duration::from_millis(100));
            }
        }
    }
}

fn converse(stream: UnixStream, control: &SimControl, stop: &AtomicBool) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_millis(100)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while !stop.load(Ordering::SeqCst) {
        match reader.read_line(&mut line) {
            Ok(0) => return Ok(()),
            Ok(_) => {
                let answer = match obey(line.trim(), control) {
                    Ok(text) => text,
                    Err(e) => format!("error: {e}"),
                };
                writer.write_all(answer.as_bytes())?;
                writer.write_all(b"\n")?;
                line.clear();
            }
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
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
                "unknown order {order:?} (place <seed> [impression], lift, auto on|off, faults <spec>, power-cycle, hang, unplug, stats)"
            ));
        }
    }
    Ok("ok".to_owned())
}
