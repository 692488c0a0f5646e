//! How a worker thread hands its reports to the core: through a function the core gives it, so
//! that a worker knows nothing of the core's input channel and the modules of the workers import
//! nothing of the core's.

use std::sync::Arc;

/// Whether the core took a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// The core has it.
    Taken,
    /// The core had no room for a report it may do without (a preview frame, a progress step).
    Skipped,
    /// The core is gone: the worker may stop.
    CoreGone,
}

/// Hands reports of type `R` to the core. Cheap to clone: every clone reaches the same core.
pub(crate) struct Reporter<R> {
    deliver: Arc<dyn Fn(R, bool) -> Delivery + Send + Sync>,
}

impl<R> Clone for Reporter<R> {
    fn clone(&self) -> Self {
        Self {
            deliver: Arc::clone(&self.deliver),
        }
    }
}

impl<R> std::fmt::Debug for Reporter<R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Reporter")
    }
}

impl<R> Reporter<R> {
    /// A reporter calling `deliver(report, wait)`: with `wait`, it blocks until the core has room.
    pub(crate) fn new(deliver: impl Fn(R, bool) -> Delivery + Send + Sync + 'static) -> Self {
        Self {
            deliver: Arc::new(deliver),
        }
    }

    /// Hands a report over, waiting for room; false when the core is gone.
    pub(crate) fn send(&self, report: R) -> bool {
        (self.deliver)(report, true) == Delivery::Taken
    }

    /// Hands over a report the core may do without: dropped when the core has no room; false
    /// only when the core is gone.
    pub(crate) fn offer(&self, report: R) -> bool {
        (self.deliver)(report, false) != Delivery::CoreGone
    }
}
