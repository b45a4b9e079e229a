//! The validator's memory on one object of many keys (issue 13's many-keys: a 17 MB object of
//! distinct keys and no kind, validated at 20–24 MB/s, memory-bound). Counted, not timed: the
//! heap this test binary holds at its peak while `validate` reads an object of 100,000 keys,
//! per key. The position tree costs 88 bytes a member; on top of it the parser's repeat
//! finder grew an index of hashes and indices key by key (17 bytes a bucket, rehashed at
//! every doubling) and the shape guess hashed every key once more into a set of its own.
//! (One test in its own binary: the allocator counts the whole process.)

#![cfg(feature = "validate")]

use std::sync::atomic::Ordering;

use discord_invite::validate::{validate, Code};

#[path = "support/peak_alloc.rs"]
mod peak_alloc;
use peak_alloc::{Counting, LIVE, PEAK};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn an_object_of_many_keys_holds_little_beyond_its_tree() {
    const N: usize = 100_000;
    let sorted: Vec<String> = (0..N).map(|i| format!("\"k{i:07}\":1")).collect();
    // The same keys out of order (7,919 is prime to N: a permutation).
    let shuffled: Vec<String> = (0..N).map(|i| sorted[i * 7_919 % N].clone()).collect();
    for (what, members) in [("sorted", sorted), ("shuffled", shuffled)] {
        let doc = format!("{{{}}}", members.join(","));
        drop(members);
        // The spec is compiled once, before counting.
        let _ = validate(b"{}", None);
        let base = LIVE.load(Ordering::Relaxed);
        PEAK.store(base, Ordering::Relaxed);
        let report = validate(doc.as_bytes(), None);
        let per_key = (PEAK.load(Ordering::Relaxed) - base) / N;
        eprintln!("{what}: {per_key} bytes of heap per key at the peak");
        let codes: Vec<Code> = report.findings.iter().map(|f| f.code).collect();
        assert_eq!(codes, [Code::UnknownKind], "{what}");
        // The tree's 88 bytes a member (its vector rounded up to a power of two: 115 for
        // 100,000), and for keys out of order a table of 9 bytes a bucket (127); it was 137.
        assert!(per_key < 130, "{what}: {per_key} bytes of heap per key");
    }
}
