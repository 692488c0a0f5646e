//! Discovery of every port at once: one thread per port, one deadline for all.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::probe::probe_port;
use super::report::{Found, PortReport};
use crate::transport::list_ports;

/// Time allowed beyond the deadline for a port's thread to hand in its report (it stops at the
/// next handshake once the deadline has passed; one handshake lasts well under a second).
const GRACE: Duration = Duration::from_secs(2);

/// How discovery runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoveryOptions {
    /// The whole discovery's time limit. A port not identified by then is reported as not
    /// answering; every port is probed at once, so this is also the limit for one port.
    pub deadline: Duration,
    /// How long a device is given to answer a handshake, beyond the line time. Both devices
    /// answer within milliseconds; a slow USB adapter adds tens.
    pub answer_time: Duration,
    /// Silence kept after bytes sent at another baud before the camera is asked: long enough
    /// for its receiver to drop a half-received request started by garbage (500 ms on the
    /// simulator; see [`crate::discovery::probe_plan`]).
    pub receiver_reset: Duration,
}

impl Default for DiscoveryOptions {
    fn default() -> Self {
        Self {
            deadline: Duration::from_secs(15),
            answer_time: Duration::from_millis(200),
            receiver_reset: Duration::from_millis(550),
        }
    }
}

/// A port to probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PortCandidate {
    /// The path to open (a device or a symlink to one).
    pub path: String,
    /// What the system says of it, when listed.
    pub description: Option<String>,
}

impl PortCandidate {
    /// A port given by path (a command-line `--port`, a configured symlink).
    pub fn path(path: impl Into<String>) -> Self {
        Self {
            path: path.into(),
            description: None,
        }
    }
}

/// The ports worth probing: every serial port the system lists, and the `configured` paths
/// (symlinks such as `/dev/serial/by-id/…` or a simulator's link), each device once: a symlink
/// and the port it leads to count as one, and the configured name is kept.
pub fn candidate_ports(configured: &[String]) -> Vec<PortCandidate> {
    let mut candidates: Vec<PortCandidate> = configured.iter().map(PortCandidate::path).collect();
    candidates.extend(list_ports().into_iter().map(|port| PortCandidate {
        path: port.path,
        description: Some(port.description),
    }));
    unique_ports(candidates)
}

/// Keeps the first of several paths leading to the same device.
fn unique_ports(candidates: Vec<PortCandidate>) -> Vec<PortCandidate> {
    let mut seen = HashSet::new();
    candidates
        .into_iter()
        .filter(|c| {
            let key = std::fs::canonicalize(&c.path)
                .map_or_else(|_| c.path.clone(), |p| p.to_string_lossy().into_owned());
            seen.insert(key)
        })
        .collect()
}

/// Identifies what is on each port, all ports at once, each on its own thread, within
/// `options.deadline` (plus a short grace for the threads to report). Returns one report per
/// distinct port, in the order given. A port whose probe overran is reported as not answering;
/// its thread finishes on its own shortly after (every read on it has a deadline).
pub fn discover(ports: &[PortCandidate], options: &DiscoveryOptions) -> Vec<PortReport> {
    let started = Instant::now();
    let ports = unique_ports(ports.to_vec());
    let cancel = Arc::new(AtomicBool::new(false));
    let (sender, receiver) = mpsc::channel::<(usize, PortReport)>();
    let mut reports: Vec<Option<PortReport>> = vec![None; ports.len()];
    let mut waiting = 0usize;
    for (index, port) in ports.iter().enumerate() {
        let sender = sender.clone();
        let cancel = Arc::clone(&cancel);
        let path = port.path.clone();
        let options = options.clone();
        let spawned = std::thread::Builder::new()
            .name(format!("discovery {path}"))
            .spawn(move || {
                let report = probe_port(&path, &options, &cancel);
                // The receiver may have given up on us: nothing to do then.
                let _ = sender.send((index, report));
            });
        match spawned {
            Ok(_) => waiting += 1,
            Err(error) => {
                reports[index] = Some(unfinished(
                    &port.path,
                    Found::CannotOpen {
                        reason: format!("cannot start a thread to probe it: {error}"),
                    },
                ));
            }
        }
    }
    drop(sender);
    let give_up = started + options.deadline + GRACE;
    while waiting > 0 {
        let now = Instant::now();
        if now >= started + options.deadline {
            cancel.store(true, Ordering::SeqCst);
        }
        let wait = give_up
            .saturating_duration_since(now)
            .min(Duration::from_millis(100));
        if wait.is_zero() {
            break;
        }
        match receiver.recv_timeout(wait) {
            Ok((index, report)) => {
                if let Some(slot) = reports.get_mut(index) {
                    *slot = Some(report);
                }
                waiting -= 1;
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
    }
    cancel.store(true, Ordering::SeqCst);
    ports
        .iter()
        .zip(reports)
        .map(|(port, report)| {
            let mut report = report.unwrap_or_else(|| {
                tracing::warn!(port = %port.path, "probe overran the discovery deadline");
                unfinished(
                    &port.path,
                    Found::NotAnswering {
                        bytes_heard: 0,
                        detail: "the probe did not finish before discovery's deadline".to_owned(),
                    },
                )
            });
            report.description = port.description.clone();
            report
        })
        .collect()
}

fn unfinished(path: &str, found: Found) -> PortReport {
    PortReport {
        path: path.to_owned(),
        resolved: None,
        description: None,
        found,
        bauds_tried: Vec::new(),
        elapsed_ms: 0,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_port_cannot_be_opened_and_costs_no_time() {
        let started = Instant::now();
        let reports = discover(
            &[PortCandidate::path("/nonexistent/ttyUSB9")],
            &DiscoveryOptions::default(),
        );
        assert_eq!(reports.len(), 1);
        assert!(
            matches!(reports[0].found, Found::CannotOpen { .. }),
            "{:?}",
            reports[0].found
        );
        assert!(started.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn a_port_given_twice_is_probed_once() {
        let ports = unique_ports(vec![
            PortCandidate::path("/nonexistent/a"),
            PortCandidate::path("/nonexistent/a"),
            PortCandidate::path("/nonexistent/b"),
        ]);
        assert_eq!(ports.len(), 2);
    }
}
