//! An allocator that, while told to watch, looks in every block freed for a marker: a buffer
//! freed with a secret still in it (not wiped) is seen. Everything else goes to the system's
//! allocator unchanged.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

/// The allocator of the integration binary.
pub struct Watching;

#[global_allocator]
static ALLOCATOR: Watching = Watching;

static WATCH: AtomicBool = AtomicBool::new(false);
static SEEN: AtomicUsize = AtomicUsize::new(0);
/// The 16 bytes looked for (no zero byte, so that a wiped block never matches).
pub const MARKER: [u8; 16] = *b"\x5aWIPE-ME-MARKER\xa5";

fn look(ptr: *mut u8, size: usize) {
    if !WATCH.load(Ordering::Relaxed) || size < 16 {
        return;
    }
    // SAFETY: the block is still allocated (we run before it is given back) and `size` long.
    let block = unsafe { std::slice::from_raw_parts(ptr, size) };
    if block.windows(16).any(|w| w == MARKER) {
        SEEN.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded to `System`; the blocks are only read before being freed.
unsafe impl GlobalAlloc for Watching {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller's.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as the caller's.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        look(ptr, layout.size());
        // SAFETY: as the caller's.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // A block moved by realloc leaves its old bytes behind as a free does.
        look(ptr, layout.size());
        // SAFETY: as the caller's.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

/// Runs `f` watching: returns how many freed blocks held the marker.
pub fn freed_with_marker(f: impl FnOnce()) -> usize {
    SEEN.store(0, Ordering::Relaxed);
    WATCH.store(true, Ordering::SeqCst);
    f();
    WATCH.store(false, Ordering::SeqCst);
    SEEN.load(Ordering::Relaxed)
}
