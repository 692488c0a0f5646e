//! The control channel of a running simulator, for the demo and a technician's shell: a Unix socket
//! at `<link>.control` taking one text order a line and answering one line (`ok…` or `error: …`),
//! e.g. `echo 'place 42 1' | socat - UNIX-CONNECT:/tmp/fp.control`. Each simulator supplies the
//! function that carries out its own orders; the socket, its thread and its clean-up are shared.

use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::fs::FileTypeExt;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

/// Carries out one order line; `Ok` is the answer sent back (e.g. `ok`), `Err` is sent as `error: …`.
pub type Orders = Box<dyn FnMut(&str) -> Result<String, String> + Send>;

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
    /// Listens at `path` (a stale socket there is replaced; any other file is left alone) and
    /// answers each line with `orders`, on a thread named `name`.
    pub fn start(path: &Path, name: &str, orders: Orders) -> io::Result<Self> {
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
            .name(name.to_owned())
            .spawn(move || accept_loop(&listener, orders, &thread_stop))?;
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

fn accept_loop(listener: &UnixListener, mut orders: Orders, stop: &AtomicBool) {
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                if let Err(e) = converse(stream, &mut orders, stop) {
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

fn converse(stream: UnixStream, orders: &mut Orders, stop: &AtomicBool) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_millis(100)))?;
    let mut writer = stream.try_clone()?;
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    while !stop.load(Ordering::SeqCst) {
        match reader.read_line(&mut line) {
            Ok(0) => return Ok(()),
            Ok(_) => {
                let answer = match orders(line.trim()) {
                    Ok(text) => text,
                    Err(e) => format!("error: {e}"),
                };
                writeln!(writer, "{answer}")?;
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
