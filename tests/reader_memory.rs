//! Memory follows the largest payload, not the file (issue 13: a 2 GB HAR of 3.3 M entries was
//! killed at 8.3 GB RSS with no output). Counted, not timed: the heap this test binary holds at
//! its peak while a reader goes through a 48 MB HAR and a 48 MB JSON array, handing each batch
//! on at once. (One test in its own binary: the allocator counts the whole process.)

use std::sync::atomic::Ordering;

use discord_invite::validate::input::{Event, Reader};

#[path = "support/peak_alloc.rs"]
mod peak_alloc;
use peak_alloc::{Counting, LIVE, PEAK};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// The most heap held above the start while reading `text` (which is already allocated).
fn peak_while_reading(text: Vec<u8>) -> (usize, usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let mut payloads = 0;
    for e in Reader::from_stream("big", std::io::Cursor::new(text)) {
        if let Event::Batch(b) = e {
            payloads += b.len();
        }
    }
    (PEAK.load(Ordering::Relaxed) - base, payloads)
}

#[test]
fn reading_a_large_har_or_array_holds_a_bounded_amount() {
    let body = serde_json::json!({
        "type": 0, "code": "abc", "channel": {"id": "1", "type": 0, "name": "general"},
        "guild": {"id": "165176875973476352", "name": "x".repeat(300), "features": []}
    })
    .to_string();
    let entry = serde_json::json!({
        "request": {"method": "GET", "url": "https://discord.com/api/v10/invites/abc", "headers": []},
        "response": {"status": 200, "content": {"mimeType": "application/json", "text": body}}
    })
    .to_string();
    let n = (48 << 20) / entry.len();
    let har = format!(
        "{{\"log\":{{\"version\":\"1.2\",\"entries\":[\n{}\n]}}}}",
        vec![entry; n].join(",\n")
    );
    let array = format!(
        "[{}]",
        vec![body.as_str(); (48 << 20) / body.len()].join(",\n")
    );
    for (what, text) in [("HAR", har), ("array", array)] {
        let len = text.len();
        let (peak, payloads) = peak_while_reading(text.into_bytes());
        eprintln!("{what}: peak {peak} for {len}");
        assert!(payloads > 50_000, "{what}: {payloads}");
        // A few batches (4 MiB) and read chunks (1 MiB), whatever the file's size.
        assert!(
            peak < 32 << 20,
            "{what}: {peak} bytes of heap at the peak for a {len} byte file"
        );
    }
}
