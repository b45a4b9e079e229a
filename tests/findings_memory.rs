//! The validator's memory on findings-heavy payloads (issue 13: a report of a million findings
//! peaked at 25–45 times its input). Counted, not timed: the heap this test binary holds at
//! its peak while `validate` reads a payload of many findings, per finding. Each finding was
//! held twice at the end (as it was found, 32 bytes, and as the report's `Finding`, 80), and
//! the slow path's tree (88 bytes a member, every repeat of a key on every line a member)
//! was alive while their findings were built. (One test in its own binary: the allocator counts the whole process.)

#![cfg(feature = "validate")]

use std::sync::atomic::Ordering;

use discord_invite::validate::validate;

#[path = "support/peak_alloc.rs"]
mod peak_alloc;
use peak_alloc::{Counting, LIVE, PEAK};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// An invite whose guild lacks `nsfw` (a finding found after all the others, placed before
/// them), with `members` after its `code` and `features` as its guild's features.
fn invite(members: &str, features: &str) -> String {
    format!(
        r#"{{"type":0,"code":"abc",{members}"channel":{{"id":"1","type":0,"name":"general"}},"guild_id":"1","expires_at":null,"guild":{{"id":"1","name":"x","splash":null,"banner":null,"description":null,"icon":null,"features":[{features}],"verification_level":2,"vanity_url_code":null,"nsfw_level":0,"premium_subscription_count":3}}}}"#
    )
}

/// Heap held at the peak of validating `doc`, per finding, and the findings.
fn peak_per_finding(doc: &str) -> (usize, usize) {
    // The spec is compiled once, before counting.
    let _ = validate(b"{}", None);
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let report = validate(doc.as_bytes(), None);
    let n = report.findings.len();
    ((PEAK.load(Ordering::Relaxed) - base) / n.max(1), n)
}

#[test]
fn findings_heavy_reports_hold_each_finding_once() {
    // About 120,000 findings each: just under a power of two, so that a vector's doubling
    // (room the kernel never touches, but this allocator counts) hides nothing.
    const N: usize = 120_000;
    // The benchmark's three findings-heavy inputs (`benches/src/adversarial.rs`).
    let unknown: String = (0..N).map(|i| format!("\"k{i:07}\":1,")).collect();
    let repeated: String = (0..N).map(|_| "\"k\":1,\n").collect();
    // Two findings an item in the second half: 3 N / 2 findings for N items.
    let items = 2 * N / 3;
    let features: Vec<String> = (0..items)
        .map(|i| format!("\"F{:05}\"", i % (items / 2)))
        .collect();
    // Bytes a finding at the peak: 174, 118 and 262 (201, 221 and 332 before).
    for (what, doc, most) in [
        ("unknown keys", invite(&unknown, "\"COMMUNITY\""), 185),
        ("repeated keys", invite(&repeated, "\"COMMUNITY\""), 130),
        ("many findings", invite("", &features.join(",")), 290),
    ] {
        let (per_finding, n) = peak_per_finding(&doc);
        eprintln!("{what}: {n} findings, {per_finding} bytes of heap per finding at the peak");
        assert!(n >= N, "{what}: {n} findings");
        assert!(
            per_finding <= most,
            "{what}: {per_finding} bytes of heap per finding at the peak"
        );
    }
}
