//! Locks by name: the intake serialises work on one record id, and on one pre-request, without
//! serialising unrelated records (their fsyncs then overlap).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// A set of async locks created on demand and forgotten when nobody holds or waits for them.
#[derive(Debug, Default)]
pub struct KeyedLocks {
    locks: Mutex<HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
}

/// Holds the lock of one key until dropped.
#[derive(Debug)]
pub struct KeyGuard<'a> {
    owner: &'a KeyedLocks,
    key: String,
    guard: Option<tokio::sync::OwnedMutexGuard<()>>,
}

impl KeyedLocks {
    /// Waits for and takes the lock of `key`.
    pub async fn lock(&self, key: &str) -> KeyGuard<'_> {
        let lock = {
            let mut locks = self.locks.lock().unwrap_or_else(|p| p.into_inner());
            Arc::clone(locks.entry(key.to_owned()).or_default())
        };
        let guard = lock.lock_owned().await;
        KeyGuard {
            owner: self,
            key: key.to_owned(),
            guard: Some(guard),
        }
    }

    /// How many keys are currently known (held or awaited).
    pub fn len(&self) -> usize {
        self.locks.lock().map_or(0, |l| l.len())
    }

    /// Whether no key is held or awaited.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Drop for KeyGuard<'_> {
    fn drop(&mut self) {
        // Release first, then forget the entry if only the map still refers to it.
        drop(self.guard.take());
        let mut locks = self.owner.locks.lock().unwrap_or_else(|p| p.into_inner());
        if locks
            .get(&self.key)
            .is_some_and(|lock| Arc::strong_count(lock) == 1)
        {
            locks.remove(&self.key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_holder_per_key_and_entries_are_forgotten() {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("{e}"));
        rt.block_on(async {
            let locks = Arc::new(KeyedLocks::default());
            let inside = Arc::new(std::sync::atomic::AtomicUsize::new(0));
            let mut tasks = Vec::new();
            for i in 0..16 {
                let (locks, inside) = (Arc::clone(&locks), Arc::clone(&inside));
                tasks.push(tokio::spawn(async move {
                    let key = if i % 2 == 0 { "a" } else { "b" };
                    let _g = locks.lock(key).await;
                    let n = inside.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    assert!(n < 2, "at most one holder per key, two keys");
                    tokio::time::sleep(std::time::Duration::from_millis(2)).await;
                    inside.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
                }));
            }
            for t in tasks {
                t.await.unwrap_or_else(|e| panic!("{e}"));
            }
            assert!(locks.is_empty());
        });
    }
}
