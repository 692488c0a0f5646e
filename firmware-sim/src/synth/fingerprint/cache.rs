//! A small cache of recently drawn fingers, so that a simulator asked for many impressions of the same
//! few fingers grows each master print once.

use std::sync::{Arc, Mutex};

/// How many fingers are kept: a person's ten and a few more.
const CAPACITY: usize = 12;

/// Least recently used first.
static RECENT: Mutex<Vec<(u64, Arc<dyn std::any::Any + Send + Sync>)>> = Mutex::new(Vec::new());

/// The cached value for `seed`, or `make(seed)` (then cached). Values are shared, never copied.
pub(crate) fn get_or_make<T: Send + Sync + 'static>(seed: u64, make: impl FnOnce() -> T) -> Arc<T> {
    {
        let mut recent = RECENT
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(position) = recent.iter().position(|(s, _)| *s == seed) {
            let entry = recent.remove(position);
            let value = entry.1.clone();
            recent.push(entry);
            if let Ok(typed) = value.downcast::<T>() {
                return typed;
            }
        }
    }
    // Made outside the lock: two threads may both make the same finger, which is harmless.
    let value = Arc::new(make());
    let mut recent = RECENT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    recent.retain(|(s, _)| *s != seed);
    if recent.len() >= CAPACITY {
        recent.remove(0);
    }
    recent.push((seed, value.clone()));
    value
}
