//! Hot-plug: noticing that a device's port vanished or came back, within a poll interval.
//!
//! A USB adapter pulled out takes its `/dev/ttyUSB0` (and `/dev/serial/by-id/…` link) with it; a
//! simulator unplugged removes its link. The watch looks at each watched path every interval:
//! gone, back, or replaced by another device node (gone and back within one interval). With
//! [`WatchOptions::new_ports`], ports the system newly lists are identified by a probe on their
//! own thread and announced as they appear.

use std::collections::{BTreeMap, HashSet, VecDeque};
use std::os::unix::fs::MetadataExt;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, SyncSender, TrySendError};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::discover::DiscoveryOptions;
use super::probe::probe_port;
use super::report::DeviceKind;
use crate::transport::list_ports;

/// A port the watch keeps an eye on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WatchedPort {
    /// The path (a device or a symlink to one).
    pub path: String,
    /// The device expected there, when known (from discovery or the configuration).
    pub kind: Option<DeviceKind>,
    /// Whether the port is there now.
    pub present: bool,
}

impl WatchedPort {
    /// A port where `kind` is expected.
    pub fn new(path: impl Into<String>, kind: Option<DeviceKind>) -> Self {
        Self {
            path: path.into(),
            kind,
            present: false,
        }
    }
}

/// A change the clerk and the technician should see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum DeviceEvent {
    /// A port never seen before is there: `kind` is what its probe found (None: no device).
    Appeared {
        /// The port's path.
        port: String,
        /// The device identified on it.
        kind: Option<DeviceKind>,
    },
    /// A watched port has vanished (unplugged).
    Gone {
        /// The port's path.
        port: String,
    },
    /// A port that had vanished is there again (plugged back): reopen it.
    Back {
        /// The port's path.
        port: String,
    },
}

/// How the watch runs.
#[derive(Debug, Clone)]
pub struct WatchOptions {
    /// Time between two looks at the ports.
    pub interval: Duration,
    /// Also look for ports the system newly lists, and identify them.
    pub new_ports: bool,
    /// Events held for the listener at most (beyond, they wait inside the watch, none is lost).
    pub capacity: usize,
    /// How a new port is identified.
    pub discovery: DiscoveryOptions,
}

impl Default for WatchOptions {
    fn default() -> Self {
        Self {
            interval: Duration::from_secs(1),
            new_ports: false,
            capacity: 64,
            discovery: DiscoveryOptions::default(),
        }
    }
}

enum Order {
    Watch(WatchedPort),
    Stop,
}

/// A running watch: a thread and a bounded channel of [`DeviceEvent`]s. Dropping it stops the
/// thread.
#[derive(Debug)]
pub struct DeviceWatch {
    events: Receiver<DeviceEvent>,
    orders: Sender<Order>,
    ports: Arc<Mutex<BTreeMap<String, WatchedPort>>>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Order {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Order::Watch(port) => write!(f, "Watch({})", port.path),
            Order::Stop => f.write_str("Stop"),
        }
    }
}

impl DeviceWatch {
    /// Starts watching `ports` (their presence is taken as it is now: no event for it).
    pub fn start(ports: Vec<WatchedPort>, options: WatchOptions) -> std::io::Result<Self> {
        let (event_tx, events) = mpsc::sync_channel(options.capacity.max(1));
        let (orders, order_rx) = mpsc::channel();
        let table = Arc::new(Mutex::new(BTreeMap::new()));
        let mut watcher = Watcher {
            states: BTreeMap::new(),
            table: Arc::clone(&table),
            events: event_tx,
            pending: VecDeque::new(),
            options,
            probing: HashSet::new(),
            probes: mpsc::channel(),
            known_listed: HashSet::new(),
        };
        for port in ports {
            watcher.add(port);
        }
        if watcher.options.new_ports {
            // What is listed now is the starting point: only later arrivals are "appeared".
            watcher.known_listed = list_ports().into_iter().map(|p| p.path).collect();
        }
        watcher.publish();
        let thread = std::thread::Builder::new()
            .name("device watch".to_owned())
            .spawn(move || watcher.run(order_rx))?;
        Ok(Self {
            events,
            orders,
            ports: table,
            thread: Some(thread),
        })
    }

    /// The events, in the order they happened.
    pub fn events(&self) -> &Receiver<DeviceEvent> {
        &self.events
    }

    /// Adds a port to watch (e.g. found by a discovery run from the technician screen).
    pub fn watch(&self, port: WatchedPort) {
        // The thread only stops when told to or when nobody listens: then there is no one to tell.
        let _ = self.orders.send(Order::Watch(port));
    }

    /// The watched ports and whether each is there, as of the last look, sorted by path.
    pub fn ports(&self) -> Vec<WatchedPort> {
        self.ports
            .lock()
            .map(|t| t.values().cloned().collect())
            .unwrap_or_default()
    }

    /// Stops the watch and waits for its thread.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        let _ = self.orders.send(Order::Stop);
        if let Some(thread) = self.thread.take()
            && thread.join().is_err()
        {
            tracing::warn!("the device watch's thread panicked");
        }
    }
}

impl Drop for DeviceWatch {
    fn drop(&mut self) {
        self.shutdown();
    }
}

/// What identifies the device node behind a path: a re-created node (re-plugged adapter, new
/// pseudo-terminal behind the same link) differs even under the same name.
type NodeId = (std::path::PathBuf, u64, u64);

fn node_of(path: &str) -> Option<NodeId> {
    let target = std::fs::canonicalize(path).ok()?;
    let meta = std::fs::metadata(&target).ok()?;
    Some((target, meta.ino(), meta.rdev()))
}

/// A new port and what its probe found there.
type Identified = (String, Option<DeviceKind>);

struct PortState {
    port: WatchedPort,
    node: Option<NodeId>,
    seen: bool,
}

struct Watcher {
    states: BTreeMap<String, PortState>,
    table: Arc<Mutex<BTreeMap<String, WatchedPort>>>,
    events: SyncSender<DeviceEvent>,
    pending: VecDeque<DeviceEvent>,
    options: WatchOptions,
    probing: HashSet<String>,
    probes: (Sender<Identified>, Receiver<Identified>),
    known_listed: HashSet<String>,
}

impl Watcher {
    fn add(&mut self, mut port: WatchedPort) {
        let node = node_of(&port.path);
        port.present = node.is_some();
        let seen = port.present;
        self.states
            .insert(port.path.clone(), PortState { port, node, seen });
    }

    fn run(mut self, orders: Receiver<Order>) {
        loop {
            match orders.recv_timeout(self.options.interval) {
                Ok(Order::Stop) | Err(RecvTimeoutError::Disconnected) => break,
                Ok(Order::Watch(port)) => {
                    self.add(port);
                    self.publish();
                    continue;
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
            self.look();
            self.publish();
            if !self.flush() {
                tracing::debug!("nobody listens to the device watch any more");
                break;
            }
        }
    }

    /// One look at every watched port, and at the system's list when asked to.
    fn look(&mut self) {
        let mut events = Vec::new();
        for (path, state) in &mut self.states {
            let node = node_of(path);
            match (&state.node, &node) {
                (Some(_), None) => events.push(DeviceEvent::Gone { port: path.clone() }),
                (None, Some(_)) if state.seen => {
                    events.push(DeviceEvent::Back { port: path.clone() })
                }
                (None, Some(_)) => events.push(DeviceEvent::Appeared {
                    port: path.clone(),
                    kind: state.port.kind,
                }),
                (Some(old), Some(new)) if old != new => {
                    events.push(DeviceEvent::Gone { port: path.clone() });
                    events.push(DeviceEvent::Back { port: path.clone() });
                }
                _ => {}
            }
            state.seen |= node.is_some();
            state.port.present = node.is_some();
            state.node = node;
        }
        for event in &events {
            tracing::info!(?event, "device port change");
        }
        self.pending.extend(events);
        if self.options.new_ports {
            self.look_for_new_ports();
        }
    }

    fn look_for_new_ports(&mut self) {
        while let Ok((path, kind)) = self.probes.1.try_recv() {
            self.probing.remove(&path);
            let mut port = WatchedPort::new(path.clone(), kind);
            port.present = true;
            let node = node_of(&path);
            self.states.insert(
                path.clone(),
                PortState {
                    port,
                    node,
                    seen: true,
                },
            );
            tracing::info!(port = %path, ?kind, "new port identified");
            self.pending
                .push_back(DeviceEvent::Appeared { port: path, kind });
        }
        let listed: HashSet<String> = list_ports().into_iter().map(|p| p.path).collect();
        let mut arrivals: Vec<&String> = listed
            .iter()
            .filter(|path| {
                !self.known_listed.contains(*path)
                    && !self.states.contains_key(*path)
                    && !self.probing.contains(*path)
            })
            .collect();
        arrivals.sort();
        for path in arrivals {
            let path = path.clone();
            self.probing.insert(path.clone());
            let sender = self.probes.0.clone();
            let options = self.options.discovery.clone();
            let thread_path = path.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("identify {path}"))
                .spawn(move || {
                    let never = std::sync::atomic::AtomicBool::new(false);
                    let report = probe_port(&thread_path, &options, &never);
                    let _ = sender.send((thread_path, report.kind()));
                });
            if let Err(error) = spawned {
                tracing::warn!(port = %path, %error, "cannot start a thread to identify a new port");
                self.probing.remove(&path);
            }
        }
        // A port that leaves the list and comes back is new again (unless watched: then it is
        // "back").
        self.known_listed = listed;
    }

    fn publish(&self) {
        if let Ok(mut table) = self.table.lock() {
            *table = self
                .states
                .iter()
                .map(|(path, state)| (path.clone(), state.port.clone()))
                .collect();
        }
    }

    /// Hands pending events to the listener without ever blocking; returns false when the
    /// listener is gone.
    fn flush(&mut self) -> bool {
        while let Some(event) = self.pending.pop_front() {
            match self.events.try_send(event) {
                Ok(()) => {}
                Err(TrySendError::Full(event)) => {
                    self.pending.push_front(event);
                    return true;
                }
                Err(TrySendError::Disconnected(_)) => return false,
            }
        }
        true
    }
}
