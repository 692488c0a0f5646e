//! How much of the central one client may hold, and for how long: connections, time to send the
//! headers and the body, memory spent on bodies, requests per station. Each limit is a defence
//! against one way of exhausting the service (docs/security.md, "The central under abuse").

use std::time::Duration;

/// The limits a central serves under; [`ServerLimits::default`] gives the production values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerLimits {
    /// Connections open at once (TLS handshakes included); one more is closed as soon as it is
    /// accepted. Each costs a file descriptor and a task.
    pub max_connections: usize,
    /// Of those, connections without a client certificate (they may only enrol or ask for health):
    /// a flood of anonymous clients cannot take the places of the stations.
    pub max_anonymous_connections: usize,
    /// Time to finish the TLS handshake.
    pub handshake_timeout: Duration,
    /// Time to send a request's headers, counted from the first poll; it also closes a
    /// connection left idle between requests for this long.
    pub header_timeout: Duration,
    /// Longest silence while a body arrives: a client that stalls mid-body is answered 408 and
    /// its connection closed.
    pub body_idle_timeout: Duration,
    /// Bytes of record bodies held in memory at once, across all connections. An upload waits
    /// for its share before its body is read (at most `body_idle_timeout`, then 503).
    pub body_memory_budget: usize,
    /// Requests a station (or an anonymous address) may make per second, sustained.
    pub requests_per_second: u32,
    /// Requests it may make in a burst above that rate.
    pub request_burst: u32,
}

impl Default for ServerLimits {
    fn default() -> Self {
        Self {
            max_connections: 512,
            max_anonymous_connections: 64,
            handshake_timeout: Duration::from_secs(10),
            header_timeout: Duration::from_secs(10),
            body_idle_timeout: Duration::from_secs(15),
            body_memory_budget: 128 * 1024 * 1024,
            requests_per_second: 100,
            request_burst: 1000,
        }
    }
}
