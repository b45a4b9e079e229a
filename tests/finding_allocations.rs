//! A finding costs no allocation of its own (issue 13: payloads of hundreds of thousands of
//! findings). Counted, not timed: the allocations made while validating a payload of many
//! unknown fields, and one of many unknown enum values and repeated items. Before the findings
//! of a report shared one text buffer, each had two (its pointer and its message). (Its own
//! test binary, with its own allocator, which counts only the allocations of a thread that
//! asks it to: the test harness's threads allocate too, for other tests' results, while one
//! test counts.)

#![cfg(feature = "validate")]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

use discord_invite::validate::{validate, Code, Kind};

struct Counting;

static ALLOCATIONS: AtomicUsize = AtomicUsize::new(0);
static BYTES: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    /// Whether this thread's allocations are counted ([`counted`]).
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}

/// `f`, with this thread's allocations counted while it runs.
fn counted<T>(f: impl FnOnce() -> T) -> T {
    COUNTED.with(|c| c.set(true));
    let out = f();
    COUNTED.with(|c| c.set(false));
    out
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // A const-initialised `Cell` without a destructor: reading it never allocates.
        if COUNTED.try_with(Cell::get).unwrap_or(false) {
            ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
            BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        }
        // SAFETY: the layout is the caller's, passed on unchanged.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` was allocated by `alloc` above with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Held by each test: the counts are the whole process's, so the tests take turns.
static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());

const INVITE: &str = r#"{"type":0,"code":"abc","guild_id":"1","expires_at":null,"channel":{"id":"1","type":0,"name":"general"},"guild":{"id":"1","name":"x","splash":null,"banner":null,"description":null,"icon":null,"features":["COMMUNITY"],"verification_level":2,"vanity_url_code":null,"nsfw_level":0,"nsfw":false,"premium_subscription_count":3}"#;

/// Allocations made validating `json` (after a first run: the spec is compiled once), and its
/// findings of `code`.
fn allocations(json: &str, kind: Option<Kind>, code: Code) -> (usize, usize) {
    let _ = validate(json.as_bytes(), kind);
    let before = ALLOCATIONS.load(Ordering::Relaxed);
    let report = counted(|| validate(json.as_bytes(), kind));
    let used = ALLOCATIONS.load(Ordering::Relaxed) - before;
    let n = report.findings.iter().filter(|f| f.code == code).count();
    (used, n)
}

#[test]
fn findings_share_their_text_buffer() {
    let _turn = TURN.lock();
    let n = 20_000;
    // An invite of unknown fields.
    let members: Vec<String> = (0..n).map(|i| format!("\"k{i:06}\":1")).collect();
    let unknown = format!("{},{}}}", INVITE, members.join(","));
    // A features array of unknown values, each twice (an unknown value and a repeated item).
    let items: Vec<String> = (0..n).map(|i| format!("\"F{:05}\"", i % (n / 2))).collect();
    let features = format!("{INVITE}}}").replace(
        "\"features\":[\"COMMUNITY\"]",
        &format!("\"features\":[{}]", items.join(",")),
    );
    for (what, json, code) in [
        ("unknown fields", &unknown, Code::UnknownField),
        ("unknown enum values", &features, Code::UnknownEnumValue),
        ("repeated items", &features, Code::DuplicateItem),
    ] {
        let (used, found) = allocations(json, None, code);
        assert!(found >= n / 2, "{what}: {found} findings");
        // Buffers that grow by doubling, the hash index of the object's keys or the array's
        // items, and a few more: far fewer than one per finding.
        assert!(
            used < found / 20,
            "{what}: {used} allocations for {found} findings"
        );
    }
}

/// Bytes allocated validating `json` (after a first run), and its findings.
fn bytes(json: &str) -> (usize, usize) {
    let _ = validate(json.as_bytes(), None);
    let before = BYTES.load(Ordering::Relaxed);
    let report = counted(|| validate(json.as_bytes(), None));
    (
        BYTES.load(Ordering::Relaxed) - before,
        report.findings.len(),
    )
}

#[test]
fn a_finding_out_of_order_is_merged_in() {
    let _turn = TURN.lock();
    // 30,000 findings of a features array, and the same with the guild's `nsfw` left out: its
    // finding, at the guild's start, is found at its end, after all of them. It is merged
    // into place; the report was sorted whole (a scratch buffer of 30,000 findings, 960 KB).
    let n = 20_000;
    let items: Vec<String> = (0..n).map(|i| format!("\"F{:05}\"", i % (n / 2))).collect();
    let features = format!("{INVITE}}}").replace(
        "\"features\":[\"COMMUNITY\"]",
        &format!("\"features\":[{}]", items.join(",")),
    );
    let (sorted, found) = bytes(&features);
    let (merged, late) = bytes(&features.replace("\"nsfw\":false,", ""));
    assert_eq!(late, found + 1);
    // The one finding more: its text, the list of late findings, a `Finding` (its place
    // in the findings is reserved at once, as before).
    assert!(merged < sorted + 4_096, "{merged} bytes, {sorted} in order");
    // In order, the missing field first, the features' findings after it as they were.
    let report = validate(features.replace("\"nsfw\":false,", "").as_bytes(), None);
    assert!(report
        .findings
        .windows(2)
        .all(|w| w[0].offset() <= w[1].offset()));
    let codes: Vec<Code> = report.findings.iter().take(3).map(|f| f.code).collect();
    assert_eq!(
        codes,
        [
            Code::MissingRequired,
            Code::UnknownEnumValue,
            Code::UnknownEnumValue
        ]
    );
    assert_eq!(report.findings[0].pointer(), "/guild/nsfw");
}

#[test]
fn a_payload_without_findings_allocates_nothing() {
    let _turn = TURN.lock();
    // A valid invite, as most payloads of captured traffic are: its report's findings are an
    // empty vector, with no text buffer made and shared for them (it was: two allocations a
    // payload, a tenth of a tiny payload's instructions).
    let invite = format!("{INVITE}}}");
    let (used, found) = allocations(&invite, None, Code::UnknownField);
    let report = validate(invite.as_bytes(), None);
    assert!(report.findings.is_empty(), "{:?}", report.findings);
    assert_eq!((used, found), (0, 0));
}
