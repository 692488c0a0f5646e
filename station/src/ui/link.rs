//! What the screens need from the counter core: send a command, read the latest view. The real
//! [`Counter`] implements it; screen tests may implement it with a view they build.

use crate::desk::{Command, Counter, CounterView};

/// The app's side of the counter core.
pub trait CounterLink {
    /// Sends a command; false when the core is gone or its queue is full (the UI says so).
    fn send(&self, command: Command) -> bool;
    /// The latest view the core published.
    fn view(&self) -> CounterView;
}

impl CounterLink for Counter {
    fn send(&self, command: Command) -> bool {
        Counter::send(self, command)
    }

    fn view(&self) -> CounterView {
        Counter::view(self)
    }
}

impl<T: CounterLink + ?Sized> CounterLink for std::sync::Arc<T> {
    fn send(&self, command: Command) -> bool {
        (**self).send(command)
    }

    fn view(&self) -> CounterView {
        (**self).view()
    }
}
