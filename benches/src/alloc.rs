//! A counting global allocator that costs one relaxed load while it is off: the benches time
//! with it off and count with it on (memory per decoded invite, issue 16).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::Relaxed};

/// The allocator; install with `#[global_allocator] static A: Counting = Counting;`.
pub struct Counting;

static ON: AtomicBool = AtomicBool::new(false);
static BYTES: AtomicIsize = AtomicIsize::new(0);
static BLOCKS: AtomicIsize = AtomicIsize::new(0);

// Counts only while `ON`; a block allocated while off and freed while on (or the reverse) would
// skew the count, so callers count around work that allocates and frees its own blocks.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if ON.load(Relaxed) {
            BYTES.fetch_add(layout.size() as isize, Relaxed);
            BLOCKS.fetch_add(1, Relaxed);
        }
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if ON.load(Relaxed) {
            BYTES.fetch_sub(layout.size() as isize, Relaxed);
            BLOCKS.fetch_sub(1, Relaxed);
        }
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if ON.load(Relaxed) {
            BYTES.fetch_add(new_size as isize - layout.size() as isize, Relaxed);
        }
        System.realloc(ptr, layout, new_size)
    }
}

/// Live heap bytes (as requested) and blocks held by what `f` returns, excluding the value's
/// own inline size: `(value, bytes, blocks)`.
pub fn held<T>(f: impl FnOnce() -> T) -> (T, isize, isize) {
    let (b0, n0) = (BYTES.load(Relaxed), BLOCKS.load(Relaxed));
    ON.store(true, Relaxed);
    let v = f();
    ON.store(false, Relaxed);
    (v, BYTES.load(Relaxed) - b0, BLOCKS.load(Relaxed) - n0)
}

/// Drops `v` with counting on, so that its blocks are subtracted again.
pub fn drop_counted<T>(v: T) {
    ON.store(true, Relaxed);
    drop(v);
    ON.store(false, Relaxed);
}

/// Mean inline + heap bytes and heap blocks per value that `decode` makes from each payload.
pub fn per_value<T>(payloads: &[Vec<u8>], decode: impl Fn(&[u8]) -> Option<T>) -> Memory {
    let (mut bytes, mut blocks, mut n) = (0isize, 0isize, 0usize);
    for p in payloads {
        let (v, b, k) = held(|| decode(p));
        if v.is_some() {
            bytes += b;
            blocks += k;
            n += 1;
        }
        drop_counted(v);
    }
    let n = n.max(1) as f64;
    Memory {
        inline: std::mem::size_of::<T>(),
        heap: bytes as f64 / n,
        blocks: blocks as f64 / n,
    }
}

/// Memory per decoded value.
#[derive(Clone, Copy, Debug)]
pub struct Memory {
    /// `size_of` the value.
    pub inline: usize,
    /// Mean heap bytes it holds (requested sizes).
    pub heap: f64,
    /// Mean heap blocks it holds.
    pub blocks: f64,
}

impl Memory {
    /// Inline + heap.
    pub fn total(&self) -> f64 {
        self.inline as f64 + self.heap
    }
}
