//! The readers' positions cost one pass over the input (issue 13: a HAR of 10k / 20k entries
//! took 31 s / 158 s because each entry's line rescanned the file from its start), counted as
//! bytes read to place payloads (`position::scanned`), not timed.

use super::*;
use crate::validate::position;

/// Every record of a stream, with the bytes read to place them.
fn read(text: &str, batch: usize) -> (Vec<Record>, u64) {
    let before = position::scanned();
    let mut records = Vec::new();
    for e in Reader::from_stream("mem", io::Cursor::new(text.to_owned())).batch_bytes(batch) {
        match e {
            Event::Batch(b) => {
                for i in 0..b.len() {
                    let location = b.location(i).cloned().unwrap_or_default();
                    // The reader's part only: a fixed report, or the payload's origin.
                    let report = match &b.parts().1[i].fixed {
                        Some(r) => r.clone(),
                        None => Report::single(None, Code::NotJson, String::new()),
                    };
                    let mut report = report;
                    let o = b.parts().1[i].origin;
                    report.findings[0] = report.findings[0].clone().at(o.line, o.column);
                    records.push(Record {
                        source: b.source.clone(),
                        location,
                        report,
                    });
                }
            }
            Event::Failed(r) => records.push(r),
            _ => {}
        }
    }
    (records, position::scanned() - before)
}

/// A HAR of `n` invite lookups, pretty-printed: entry `i` starts on line `2 + 8 * i`.
fn har(n: usize) -> String {
    let entry = r#"    {
      "request": {"method": "GET", "url": "https://discord.com/api/v10/invites/abc"},
      "response": {
        "status": 200,
        "content": {"mimeType": "application/json", "text": "{\"type\":0,\"code\":\"abc\"}"}
      },
      "time": 12
    }"#;
    assert_eq!(entry.lines().count(), 8);
    let entries = vec![entry; n].join(",\n");
    format!("{{\"log\": {{\"version\": \"1.2\", \"entries\": [\n{entries}\n]}}}}\n")
}

#[test]
fn har_entries_are_placed_in_one_pass() {
    for n in [2_500, 10_000] {
        let text = har(n);
        for batch in [1 << 12, BATCH_BYTES] {
            let (records, scanned) = read(&text, batch);
            assert_eq!(records.len(), n);
            for (i, r) in records.iter().enumerate() {
                assert_eq!(r.location.line, Some(2 + 8 * i), "entry {i}");
                assert_eq!(r.location.har.as_ref().map(|h| h.entry), Some(i));
            }
            assert!(
                scanned < 2 * text.len() as u64,
                "{n} entries: {scanned} bytes scanned for a {} byte file",
                text.len()
            );
        }
    }
}

#[test]
fn array_elements_are_placed_in_one_pass() {
    for n in [10_000, 40_000] {
        // One line (columns count characters: `é` is two bytes), then one element per line.
        let one_line = format!("[{}]", vec!["{\"é\":1}"; n].join(","));
        let many_lines = format!("[\n{}\n]", vec!["  {\"é\":1}"; n].join(",\n"));
        for (text, multi) in [(one_line, false), (many_lines, true)] {
            let (records, scanned) = read(&text, 1 << 12);
            assert_eq!(records.len(), n);
            for (i, r) in records.iter().enumerate() {
                let (line, column) = if multi { (2 + i, 3) } else { (1, 2 + 8 * i) };
                assert_eq!(r.location.index, Some(i));
                assert_eq!(r.location.line, Some(line));
                let f = &r.report.findings[0];
                assert_eq!(
                    (f.line(), f.column()),
                    (Some(line), Some(column)),
                    "element {i}"
                );
            }
            assert!(
                scanned < 2 * text.len() as u64,
                "{scanned} bytes scanned for {} bytes",
                text.len()
            );
        }
    }
}

/// Issue 13's many-keys through the CLI: a one-line document was parsed whole into the
/// position tree only to learn that one line is not NDJSON, before being validated. Counted:
/// bytes the readers give the position-keeping parser while reading.
#[test]
fn a_one_line_document_is_not_parsed_to_sniff_ndjson() {
    let members: Vec<String> = (0..5_000).map(|i| format!("\"k{i:05}\":1")).collect();
    let text = format!("{{{}}}", members.join(","));
    let before = position::parsed();
    let mut payloads = 0;
    for e in Reader::from_stream("mem", io::Cursor::new(text.clone())) {
        if let Event::Batch(b) = e {
            payloads += b.len();
        }
    }
    assert_eq!(payloads, 1);
    // (A few bytes are sniffed at the start; the document itself is not parsed.)
    let parsed = position::parsed() - before;
    assert!(parsed < 100, "{parsed} of {} bytes parsed", text.len());
    // Two lines are still sniffed (a broken first line of NDJSON).
    let before = position::parsed();
    for _ in Reader::from_stream("mem", io::Cursor::new("{\"a\":\n1}\n".to_owned())) {}
    assert!(position::parsed() > before);
}

/// Issue 13's escapes through the CLI: a top-level object is read member by member up to
/// `log` (is it a HAR?), and each member's value was parsed into the position tree to check
/// it, so a document whose first members are long escaped strings was parsed twice (here, and
/// by the validator). Counted: bytes the readers give the position-keeping parser.
#[test]
fn a_document_read_to_look_for_a_har_is_checked_not_parsed() {
    let run = r#"\"\\\/\b\f\n\r\t\u00e9\ud83c\udfae"#.repeat(2_000);
    let text = format!(
        "{{\"type\":0,\"code\":\"abc\",\"guild\":{{\"name\":\"{run}\"}},\"note\":\"{run}\",\"{run}\":1}}"
    );
    let before = position::parsed();
    let mut payloads = 0;
    for e in Reader::from_stream("mem", io::Cursor::new(text.clone())) {
        if let Event::Batch(b) = e {
            payloads += b.len();
            assert_eq!(b.report(0, &Options::default()).kind, Some(Kind::Invite));
        }
    }
    assert_eq!(payloads, 1);
    // The validator parses the document once (its fast path gives up on `\u` escapes).
    let parsed = position::parsed() - before;
    assert!(
        parsed < text.len() as u64 + 100,
        "{parsed} bytes parsed for a {} byte document",
        text.len()
    );
    // A broken member is still found while looking for `log`: the file is not JSON.
    let broken = format!("{{\"a\":\"{run}\\x\",\"log\":{{\"entries\":[]}}}}");
    let mut failed = false;
    for e in Reader::from_stream("mem", io::Cursor::new(broken)) {
        if let Event::Batch(b) = e {
            let report = b.report(0, &Options::default());
            failed = report.findings.iter().any(|f| f.code == Code::InvalidJson);
        }
    }
    assert!(failed);
}

/// A HAR's entries are parsed by whoever first uses their batch, not by the reader: the
/// reader hands batches out unparsed, and what they hold (payloads, entries ignored) is the
/// same whichever thread parses them, in whatever order.
#[test]
fn har_entries_are_parsed_where_the_batch_is_used() {
    let not_invite = r#"{"request": {"method": "GET", "url": "https://discord.com/api/v10/gateway"},
      "response": {"status": 200, "content": {"mimeType": "application/json", "text": "{}"}}}"#;
    let entry = r#"{"request": {"method": "GET", "url": "https://discord.com/api/v10/invites/abc"},
      "response": {"status": 200, "content": {"mimeType": "application/json", "text": "{\"type\":0,\"code\":\"abc\"}"}}}"#;
    let entries: Vec<&str> = (0..300)
        .map(|i| if i % 3 == 0 { not_invite } else { entry })
        .collect();
    let text = format!(
        "{{\"log\": {{\"entries\": [\n{}\n]}}}}\n",
        entries.join(",\n")
    );
    let batches: Vec<Batch> = Reader::from_stream("mem", io::Cursor::new(text))
        .batch_bytes(1 << 12)
        .filter_map(|e| match e {
            Event::Batch(b) => Some(b),
            _ => None,
        })
        .collect();
    assert!(batches.len() > 3, "{} batches", batches.len());
    assert!(
        batches.iter().all(|b| !b.is_parsed()),
        "parsed by the reader"
    );
    // Parsed on other threads, last batch first.
    std::thread::scope(|s| {
        for b in batches.iter().rev() {
            s.spawn(move || b.len());
        }
    });
    assert!(batches.iter().all(Batch::is_parsed));
    let ignored: usize = batches.iter().map(Batch::ignored).sum();
    let payloads: usize = batches.iter().map(Batch::len).sum();
    assert_eq!((ignored, payloads), (100, 200));
    let options = Options::default();
    let entries: Vec<usize> = batches
        .iter()
        .flat_map(|b| b.validate_all(&options))
        .map(|r| r.location.har.map_or(usize::MAX, |h| h.entry))
        .collect();
    let want: Vec<usize> = (0..300).filter(|i| i % 3 != 0).collect();
    assert_eq!(entries, want, "entries in order");
}
