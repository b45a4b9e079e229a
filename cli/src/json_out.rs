//! `--format json`: one NDJSON record per payload, written by hand.
//!
//! The bytes are exactly what `serde_json::to_string(&record)` gives for a
//! [`discord_invite::validate::input::Record`] (compact, keys in declaration order, serde_json's
//! escaping); the tests below compare the two. Writing directly into the chunk's buffer avoids
//! serde's per-record `String`, and strings that need no escaping (nearly all) are copied
//! eight bytes at a time.

use discord_invite::__private::{next_special, special, BufPool};
use discord_invite::validate::input::Location;
use discord_invite::validate::{Report, Severity};

use crate::output::{Counts, Unseen};

/// Appends one record and its line break to `out`.
pub fn write_record(out: &mut Vec<u8>, source: &str, location: &Location, report: &Report) {
    write_head(out, source, location, report);
    write_findings(out, report, 0..report.findings.len());
    out.extend_from_slice(b"]}\n");
}

/// Findings per piece of [`write_record_in_pieces`]: about 0.5–1.3 MB of JSON (small enough
/// that the pieces in flight hold little memory, large enough that a piece is a real task).
pub const PIECE_FINDINGS: usize = 1 << 12;

/// Piece buffers written out and given back, for the next pieces of
/// [`write_record_in_pieces`]: a record of hundreds of MB is written through a few buffers,
/// not as many fresh ones (each one's pages faulted in by the kernel again: a third of
/// `--format json`'s time on such a record). Shared by the workers and the thread that writes
/// the output: it keeps a few windows of pieces, none larger than 16 MB.
pub fn spare() -> BufPool {
    BufPool::new(16, 16 << 20)
}

/// [`write_record`] for a report of many findings, in pieces of `piece` findings, each handed
/// to `emit` in order as soon as it is written: the pieces of a window are written in
/// parallel (rayon), and `go_on` is asked before every window after the first (`false`: the
/// output failed, stop; the record is left unfinished). The CLI's main thread calls it and
/// writes each piece out in `emit`, so a record of gigabytes going to a slow pipe is held a
/// window at a time, never whole. Written pieces go back to `spare` (see [`spare`]). The
/// pieces put together are exactly what [`write_record`] writes.
pub fn write_record_in_pieces(
    source: &str,
    location: &Location,
    report: &Report,
    piece: usize,
    spare: &BufPool,
    mut emit: impl FnMut(Vec<u8>),
    mut go_on: impl FnMut() -> bool,
) {
    use rayon::prelude::*;
    let piece = piece.max(1);
    let n = report.findings.len();
    let mut head = Vec::new();
    write_head(&mut head, source, location, report);
    emit(head);
    let ranges: Vec<std::ops::Range<usize>> = (0..n)
        .step_by(piece)
        .map(|a| a..(a + piece).min(n))
        .collect();
    let window = 2 * rayon::current_num_threads().max(1);
    for (w, some) in ranges.chunks(window).enumerate() {
        if w > 0 && !go_on() {
            return;
        }
        let written: Vec<Vec<u8>> = some
            .par_iter()
            .map(|r| {
                let mut out = spare.take(r.len() * 160);
                write_findings(&mut out, report, r.clone());
                out
            })
            .collect();
        for w in written {
            emit(w);
        }
    }
    emit(b"]}\n".to_vec());
}

/// A record up to the opening bracket of its findings.
fn write_head(out: &mut Vec<u8>, source: &str, location: &Location, report: &Report) {
    out.extend_from_slice(b"{\"source\":");
    write_str(out, source);
    out.extend_from_slice(b",\"location\":{");
    let mut first = true;
    let mut key = |out: &mut Vec<u8>, name: &[u8]| {
        if !first {
            out.push(b',');
        }
        first = false;
        out.push(b'"');
        out.extend_from_slice(name);
        out.extend_from_slice(b"\":");
    };
    if let Some(line) = location.line {
        key(out, b"line");
        write_uint(out, line as u64);
    }
    if let Some(index) = location.index {
        key(out, b"index");
        write_uint(out, index as u64);
    }
    if let Some(har) = &location.har {
        key(out, b"har_entry");
        write_uint(out, har.entry as u64);
        key(out, b"part");
        write_str(out, har.part.as_str());
        key(out, b"method");
        write_str(out, &har.method);
        key(out, b"url");
        write_str(out, &har.url);
    }
    out.extend_from_slice(b"},\"kind\":");
    match report.kind {
        Some(k) => write_name(out, k.name()),
        None => out.extend_from_slice(b"null"),
    }
    out.extend_from_slice(b",\"schema\":");
    write_opt_str(out, report.schema);
    out.extend_from_slice(b",\"status\":");
    write_name(out, report.status.as_str());
    out.extend_from_slice(b",\"findings\":[");
}

/// The findings `range` of a report, each but the report's first after a comma.
///
/// A message that is the one before's own text (a key repeated a million times has one
/// message, kept once: the same slice) is copied from where it was written, not scanned for
/// escapes again.
fn write_findings(out: &mut Vec<u8>, report: &Report, range: std::ops::Range<usize>) {
    let start = range.start;
    // The last message written: its slice, and where its JSON string is in `out`.
    let mut last: Option<(*const u8, usize, std::ops::Range<usize>)> = None;
    for (i, f) in report
        .findings
        .get(range)
        .unwrap_or_default()
        .iter()
        .enumerate()
    {
        if start + i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(match f.severity {
            Severity::Error => b"{\"severity\":\"error\",\"code\":",
            Severity::Warning => b"{\"severity\":\"warning\",\"code\":",
            Severity::Note => b"{\"severity\":\"note\",\"code\":",
        });
        write_name(out, f.code.as_str());
        out.extend_from_slice(b",\"pointer\":");
        write_str(out, f.pointer());
        out.extend_from_slice(b",\"line\":");
        write_opt_uint(out, f.line());
        out.extend_from_slice(b",\"column\":");
        write_opt_uint(out, f.column());
        out.extend_from_slice(b",\"message\":");
        let message = f.message();
        match &last {
            Some((at, len, written))
                if std::ptr::eq(*at, message.as_ptr()) && *len == message.len() =>
            {
                out.extend_from_within(written.clone());
            }
            _ => {
                let from = out.len();
                write_str(out, message);
                last = Some((message.as_ptr(), message.len(), from..out.len()));
            }
        }
        out.push(b'}');
    }
}

/// Appends the `--summary` record: `{"summary": {...}}` with the run's counts and exit code.
/// It is the last line, written only once everything before it was: a pipeline that finds it
/// knows the run was complete.
pub fn write_summary(out: &mut Vec<u8>, files: u64, c: &Counts, unseen: &Unseen, exit_code: u8) {
    let summary = serde_json::json!({
        "summary": {
            "files": files,
            "payloads": c.payloads,
            "valid": c.valid,
            "warning": c.warning,
            "error": c.error,
            "skipped": c.skipped,
            "not_invite": c.not_invite,
            "findings": {"error": c.errors, "warning": c.warnings, "note": c.notes},
            "unreadable_paths": unseen.failed,
            "not_files": unseen.not_read,
            "skipped_files": unseen.skipped_files,
            "empty_directories": unseen.empty_dirs,
            "exit_code": exit_code,
        }
    });
    out.extend_from_slice(summary.to_string().as_bytes());
    out.push(b'\n');
}

fn write_opt_str(out: &mut Vec<u8>, s: Option<&str>) {
    match s {
        Some(s) => write_str(out, s),
        None => out.extend_from_slice(b"null"),
    }
}

fn write_opt_uint(out: &mut Vec<u8>, n: Option<usize>) {
    match n {
        Some(n) => write_uint(out, n as u64),
        None => out.extend_from_slice(b"null"),
    }
}

/// A name of the validator's vocabulary (a code, a kind, a status): kebab-case ASCII, never
/// escaped (a test checks every one), so no scan.
fn write_name(out: &mut Vec<u8>, name: &str) {
    out.push(b'"');
    out.extend_from_slice(name.as_bytes());
    out.push(b'"');
}

/// A decimal integer, as serde_json (itoa) writes it; two digits at a time.
fn write_uint(out: &mut Vec<u8>, mut n: u64) {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    // One digit (a column, often) without the slice copy's `memcpy` call.
    if n < 10 {
        out.push(b'0' + n as u8);
        return;
    }
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        at -= 2;
        digits[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        let pair = n as usize * 2;
        at -= 2;
        digits[at..at + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    } else {
        at -= 1;
        digits[at] = b'0' + n as u8;
    }
    out.extend_from_slice(&digits[at..]);
}

/// Writes the escape sequence of a byte that needs one at the start of `buf` (at least six
/// bytes long); returns its length.
#[inline]
fn escape(buf: &mut [u8], b: u8) -> usize {
    let short = match b {
        b'"' => b'"',
        b'\\' => b'\\',
        0x08 => b'b',
        b'\t' => b't',
        b'\n' => b'n',
        0x0C => b'f',
        b'\r' => b'r',
        _ => 0,
    };
    if short != 0 {
        buf[..2].copy_from_slice(&[b'\\', short]);
        return 2;
    }
    const HEX: &[u8; 16] = b"0123456789abcdef";
    buf[..6].copy_from_slice(&[
        b'\\',
        b'u',
        b'0',
        b'0',
        HEX[usize::from(b >> 4)],
        HEX[usize::from(b & 0xF)],
    ]);
    6
}

/// A JSON string with serde_json's escapes: `\"`, `\\`, `\b \t \n \f \r`, other control
/// characters as `\u00xx` (lower-case hex); everything else, non-ASCII included, as is.
///
/// Most strings need no escape: one scan (eight bytes at a time), one copy. Otherwise, piece
/// by piece, the buffer grows by the worst case (every byte as `\u00xx`) and is cut back
/// after: the bytes are copied eight at a time by index, without a capacity check or a
/// `memcpy` call per run; a word with a byte to escape is copied whole, then overwritten from
/// that byte on.
pub fn write_str(out: &mut Vec<u8>, s: &str) {
    let bytes = s.as_bytes();
    let clean = next_special(bytes, 0);
    out.reserve(bytes.len() + 2);
    out.push(b'"');
    out.extend_from_slice(&bytes[..clean]);
    if clean == bytes.len() {
        out.push(b'"');
        return;
    }
    // In pieces, so that a huge string (a 50 MB key in a pointer) never makes the buffer grow
    // by six times its size.
    for piece in bytes[clean..].chunks(4096) {
        escape_piece(out, piece);
    }
    out.push(b'"');
}

/// Appends `bytes` escaped (no quotes around).
fn escape_piece(out: &mut Vec<u8>, bytes: &[u8]) {
    let start = out.len();
    out.resize(start + bytes.len() * 6, 0);
    let buf = &mut out[start..];
    let mut o = 0;
    let mut i = 0;
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        buf[o..o + 8].copy_from_slice(&word);
        let hit = special(u64::from_le_bytes(word));
        if hit == 0 {
            o += 8;
            i += 8;
            continue;
        }
        let k = (hit.trailing_zeros() / 8) as usize;
        o += k;
        o += escape(&mut buf[o..], word[k]);
        i += k + 1;
    }
    for &b in bytes.get(i..).unwrap_or_default() {
        if b < 0x20 || b == b'"' || b == b'\\' {
            o += escape(&mut buf[o..], b);
        } else {
            buf[o] = b;
            o += 1;
        }
    }
    out.truncate(start + o);
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use discord_invite::validate::input::{Event, HarEntry, Reader, Record};
    use discord_invite::validate::{Code, Finding, HarPart, Kind, Options, Status};
    use proptest::prelude::*;

    use super::*;

    fn ours(record: &Record) -> String {
        let mut out = Vec::new();
        write_record(&mut out, &record.source, &record.location, &record.report);
        String::from_utf8(out).expect("UTF-8")
    }

    fn serde(record: &Record) -> String {
        serde_json::to_string(record).expect("serializes") + "\n"
    }

    fn record(source: &str, text: &str, har: bool) -> Record {
        Record {
            source: Arc::from(source),
            location: Location {
                line: Some(text.len()),
                index: text.len().is_multiple_of(2).then_some(7),
                har: har.then(|| HarEntry {
                    entry: 3,
                    part: HarPart::Response,
                    method: text.to_owned(),
                    url: format!("https://discord.com/api/v10/invites/{text}"),
                }),
            },
            report: Report {
                kind: Some(Kind::Invite),
                schema: Some("GuildInviteResponse"),
                status: Status::Warning,
                findings: vec![
                    {
                        let pointer = format!("/guild/{text}/0");
                        Finding::new(Severity::Warning, Code::UnknownField, &pointer, text)
                            .at(1, usize::MAX)
                            .at_offset(12)
                    },
                    Finding::new(Severity::Error, Code::IoError, "", &format!("{text}{text}")),
                ],
                omitted: Vec::new(),
            },
        }
    }

    /// Every record of the repository's captures (documents, arrays, NDJSON, HAR, errors).
    #[test]
    fn identical_to_serde_json_on_the_captures() {
        let options = Options::default();
        let mut n = 0;
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let paths = [root.join("captures"), root.join("does/not/exist.json")];
        for event in Reader::new(paths) {
            let records = match event {
                Event::Batch(batch) => batch.validate_all(&options),
                Event::Failed(record) => vec![record],
                _ => continue,
            };
            for r in &records {
                assert_eq!(ours(r), serde(r));
                n += 1;
            }
        }
        assert!(n > 30, "{n} records");
    }

    #[test]
    fn identical_to_serde_json_on_awkward_strings() {
        let mut all_bytes = String::new();
        for c in 0u8..=0x7F {
            all_bytes.push(char::from(c));
        }
        let samples = [
            String::new(),
            "plain ascii, no escapes at all here".to_owned(),
            all_bytes,
            "\"quoted\" and \\back\\slashed\\".to_owned(),
            "tab\there\nnewline\r\u{8}\u{c}\u{0}\u{1f}\u{7f}".to_owned(),
            "Café 日本語 🎮 \u{2028}\u{2029} \u{fffd}".to_owned(),
            "1234567\"".to_owned(),
            "12345678\\".to_owned(),
            "x".repeat(1000) + "\u{1}" + &"é".repeat(100),
            "\"".repeat(5000) + &"日\n".repeat(3000),
        ];
        for s in &samples {
            for har in [false, true] {
                let r = record(s, s, har);
                assert_eq!(ours(&r), serde(&r), "{s:?}");
            }
        }
        let mut r = record("a", "b", false);
        r.report.kind = None;
        r.report.schema = None;
        r.report.findings.clear();
        r.location = Location::default();
        assert_eq!(ours(&r), serde(&r));
    }

    #[test]
    fn pieces_given_back_are_written_into_again() {
        // A record of 400 pieces whose pieces are given back once written out, as the output
        // thread does: the pieces are written into a window's worth of buffers (one each
        // before, 400 buffers whose pages the kernel faults in again).
        let mut r = record("src", "k", true);
        for i in 0..4_000 {
            r.report.findings.push(Finding::new(
                Severity::Warning,
                Code::UnknownField,
                &format!("/k{i}"),
                &format!("`k{i}` is not a field"),
            ));
        }
        let spare = spare();
        let mut whole = Vec::new();
        write_record_in_pieces(
            &r.source,
            &r.location,
            &r.report,
            10,
            &spare,
            |p| {
                whole.extend_from_slice(&p);
                spare.give(p);
            },
            || true,
        );
        assert_eq!(String::from_utf8(whole).expect("UTF-8"), ours(&r));
        let window = 2 * rayon::current_num_threads().max(1);
        assert!(
            spare.fresh() <= window,
            "{} buffers for 400 pieces (window {window})",
            spare.fresh()
        );
    }

    #[test]
    fn a_record_in_pieces_is_the_record() {
        let r = record("src", "a \"key\" \n", true);
        let mut many = r.clone();
        for i in 0..100 {
            many.report.findings.push(Finding::new(
                Severity::Note,
                Code::UnknownField,
                &format!("/k{i}"),
                &format!("`k{i}` is new"),
            ));
        }
        let mut empty = r.clone();
        empty.report.findings.clear();
        for r in [&r, &many, &empty] {
            for piece in [1, 3, 7, 64, 1000] {
                let mut pieces = Vec::new();
                let mut pauses = 0;
                let spare = spare();
                write_record_in_pieces(
                    &r.source,
                    &r.location,
                    &r.report,
                    piece,
                    &spare,
                    |p| pieces.push(p),
                    || {
                        pauses += 1;
                        true
                    },
                );
                // A head, the findings `piece` at a time, a tail.
                let findings = r.report.findings.len().div_ceil(piece);
                assert_eq!(pieces.len(), findings + 2, "{piece}");
                // A pause before every window but the first.
                let window = 2 * rayon::current_num_threads().max(1);
                assert_eq!(
                    pauses,
                    findings.div_ceil(window).saturating_sub(1),
                    "{piece}"
                );
                let whole: Vec<u8> = pieces.concat();
                assert_eq!(String::from_utf8(whole).expect("UTF-8"), ours(r), "{piece}");
            }
        }
    }

    #[test]
    fn names_need_no_escape() {
        let plain = |s: &str| {
            assert!(
                !s.is_empty() && next_special(s.as_bytes(), 0) == s.len(),
                "{s:?}"
            );
            assert!(
                s.bytes()
                    .all(|b| b.is_ascii_graphic() && b != b'"' && b != b'\\'),
                "{s:?}"
            );
        };
        for c in Code::ALL {
            plain(c.as_str());
        }
        for k in Kind::ALL {
            plain(k.name());
        }
        for s in [
            Status::Valid,
            Status::Warning,
            Status::Error,
            Status::Skipped,
        ] {
            plain(s.as_str());
        }
        for s in [Severity::Error, Severity::Warning, Severity::Note] {
            plain(s.as_str());
        }
    }

    #[test]
    fn integers_as_serde_json_writes_them() {
        // Every length, on both sides of each power of ten.
        let edges = (1..20).flat_map(|e| {
            let p = 10u64.pow(e);
            [p - 1, p, p + 1]
        });
        for n in
            (0..1000)
                .chain(edges)
                .chain([123_456_789, u64::from(u32::MAX), u64::MAX - 1, u64::MAX])
        {
            let mut out = Vec::new();
            write_uint(&mut out, n);
            assert_eq!(out, serde_json::to_vec(&n).unwrap(), "{n}");
        }
    }

    proptest! {
        #[test]
        fn identical_to_serde_json_on_any_string(s in any::<String>(), t in "[\\x00-\\x7f]{0,40}") {
            let r = record(&t, &s, true);
            prop_assert_eq!(ours(&r), serde(&r));
            let r = record(&s, &t, false);
            prop_assert_eq!(ours(&r), serde(&r));
        }
    }
}
