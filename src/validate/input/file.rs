//! One input read as a stream, one payload at a time: its shape is sniffed from its first
//! bytes, then NDJSON is cut into batches of whole lines, a top-level JSON array into batches
//! of whole elements, and a HAR into batches of whole entries, one entry at a time (each batch
//! parses its entries into their invite bodies where it is used: `har::parse_entries`).
//! Only a single JSON document is held whole. Memory follows the batch size and the largest
//! payload (capped: [`Limits::max_payload`]), never the size of the input.

use std::collections::VecDeque;
use std::sync::{Arc, OnceLock};

use super::scan::{Scan, ValueEnd};
use super::source::{Source, Tally};
use super::{Batch, BufPool, Event, FileFormat, Item, Location, Record, BATCH_ITEMS};
use crate::validate::position;
use crate::validate::{Code, Finding, Origin, Report, Severity, Status};

/// How much a reader holds.
#[derive(Debug, Clone, Copy)]
pub(super) struct Limits {
    /// Bytes of input per batch (whole payloads).
    pub batch_bytes: usize,
    /// The largest payload read: an NDJSON line, an array element, a HAR entry, a document.
    pub max_payload: usize,
}

/// Members of a HAR's top-level object (and of its `log`) looked at before `log` (`entries`).
const HAR_MEMBERS: usize = 16;

/// A HAR's batches hold at most this many bytes of entries (or the batch size, if smaller):
/// a batch's entries are parsed by the thread that first uses it, so small batches let
/// several threads parse at once, as they validate.
const HAR_BATCH_BYTES: usize = 256 << 10;

/// How far the shape is sniffed: the first line, if it ends within this many bytes (one read).
const SNIFF_BYTES: usize = 1 << 20;

/// Why reading a file stopped early.
enum Stop {
    /// Not JSON at this offset, for this reason.
    Syntax(u64, &'static str),
    /// A value starting at this offset is larger than the limit.
    TooLarge(u64),
    /// The problem is already reported (in a payload's own findings).
    Reported,
}

/// Where a streamed array (a JSON array's elements, a HAR's entries) is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Just after `[`: an element or `]`.
    First,
    /// After a `,`: an element.
    Next,
    /// After an element: `,` or `]`.
    After,
}

enum Mode {
    /// Nothing read yet.
    Sniff,
    /// One payload per line; the number of the next line.
    Ndjson { line: usize },
    /// A top-level array's elements: the index of the next one.
    Array { index: usize, phase: Phase },
    /// A HAR's `log.entries`: the index of the next entry.
    Har { index: usize, phase: Phase },
    /// Finished: the end event is sent.
    Done,
}

/// One input being read.
pub(super) struct File {
    source: Arc<str>,
    src: Source,
    ext: Option<String>,
    limits: Limits,
    pool: Arc<BufPool>,
    tally: Tally,
    mode: Mode,
    /// The shape, once the file's start was sent.
    format: Option<FileFormat>,
    /// The read position.
    pos: u64,
    /// Where the pending batch's bytes start.
    from: u64,
    /// Payloads not yet sent.
    items: Vec<Item>,
    /// The text of the pending HAR entries (parsed where their batch is used).
    bodies: Vec<u8>,
    /// Where the input's JSON starts (after a byte order mark).
    origin: u64,
}

impl File {
    pub fn new(
        source: Arc<str>,
        src: Source,
        ext: Option<String>,
        limits: Limits,
        pool: Arc<BufPool>,
    ) -> File {
        File {
            source,
            src,
            ext,
            limits,
            pool,
            tally: Tally::new(),
            mode: Mode::Sniff,
            format: None,
            pos: 0,
            from: 0,
            items: Vec::new(),
            bodies: Vec::new(),
            origin: 0,
        }
    }

    /// Reads on until it has something to send: pushes events to `out`; `true` once the file's
    /// end (or failure) is among them.
    pub fn step(&mut self, out: &mut VecDeque<Event>) -> bool {
        match self.mode {
            Mode::Sniff => self.sniff(out),
            Mode::Ndjson { line } => self.ndjson(out, line),
            Mode::Array { .. } | Mode::Har { .. } => self.elements(out),
            Mode::Done => {}
        }
        matches!(self.mode, Mode::Done)
    }

    // ---- shape ------------------------------------------------------------------------------

    fn sniff(&mut self, out: &mut VecDeque<Event>) {
        // UTF-16 or UTF-32 (PowerShell's `>` writes UTF-16), or two byte order marks: one
        // finding for the file, the one the library gives for the same bytes, not a finding
        // per NDJSON line of NUL-ridden text.
        let head: Vec<u8> = (0..6).map_while(|i| self.src.byte(i)).collect();
        if position::foreign_encoding(&head).is_some()
            || head.starts_with(b"\xEF\xBB\xBF\xEF\xBB\xBF")
        {
            return self.what_was_read(out);
        }
        // A UTF-8 byte order mark (Windows exports) is not part of the JSON; offsets, lines
        // and columns count from after it.
        if self.src.byte(0) == Some(0xEF)
            && self.src.byte(1) == Some(0xBB)
            && self.src.byte(2) == Some(0xBF)
        {
            self.src.split(3, Vec::new());
            self.pos = 3;
            self.from = 3;
            self.origin = 3;
            self.tally = Tally::starting_at(3);
        }
        let ext = self.ext.as_deref();
        let mut ndjson = matches!(ext, Some("ndjson" | "jsonl" | "log"));
        if !ndjson && ext != Some("har") {
            ndjson = self.first_line_is_a_value_and_more_follows();
        }
        if ndjson {
            self.mode = Mode::Ndjson { line: 1 };
            return self.ndjson(out, 1);
        }
        match self.ws() {
            Ok(Some(b'[')) => {
                self.pos += 1;
                self.mode = Mode::Array {
                    index: 0,
                    phase: Phase::First,
                };
                self.elements(out)
            }
            Ok(Some(b'{')) => self.object(out),
            Ok(Some(b'"' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n') | None) => self.whole(out),
            // More whitespace than a payload may hold: too large.
            Err(_) => self.whole(out),
            // Not JSON from its first byte (a binary file, a device like /dev/zero): what was
            // read is enough to say so; the rest is not read.
            Ok(Some(_)) => self.not_json(out),
        }
    }

    /// One payload, what was read, and the rest not read: a file whose encoding is refused
    /// (the report names the encoding), or whose first bytes are not JSON (it fails where the
    /// JSON does).
    fn what_was_read(&mut self, out: &mut VecDeque<Event>) {
        self.start(out, FileFormat::Json);
        let buf = self.src.split(self.src.end(), Vec::new());
        let bytes = buf.len() as u64;
        let item = document_item(&buf);
        self.send_with(out, buf, vec![item], bytes, false);
        self.end(out, FileFormat::Json);
    }

    /// A file whose first bytes are not JSON: NDJSON with a broken first line if it looks
    /// like it, else one payload, cut to what was read, that fails where the JSON does.
    fn not_json(&mut self, out: &mut VecDeque<Event>) {
        if looks_like_ndjson(self.src.rest(self.origin)) {
            self.mode = Mode::Ndjson { line: 1 };
            return self.ndjson(out, 1);
        }
        self.what_was_read(out);
    }

    /// The old sniff: NDJSON when the first line (within [`SNIFF_BYTES`]) is a whole JSON
    /// value and something other than whitespace follows it.
    fn first_line_is_a_value_and_more_follows(&mut self) -> bool {
        let start = self.pos;
        let limit = SNIFF_BYTES.min(self.limits.max_payload) as u64;
        let newline = loop {
            if let Some(i) = memchr::memchr(b'\n', self.src.rest(start)) {
                break start + i as u64;
            }
            if self.src.end() - start >= limit || !self.src.read_more() {
                return false;
            }
        };
        if position::complete_value_len(self.src.slice(start, newline)).is_none() {
            return false;
        }
        let mut at = newline + 1;
        loop {
            match self.src.byte(at) {
                None => return false,
                Some(b' ' | b'\t' | b'\r' | b'\n') if at - start <= limit => at += 1,
                Some(b' ' | b'\t' | b'\r' | b'\n') => return false,
                Some(_) => return true,
            }
        }
    }

    /// Sends the file's start (once), in the shape it turned out to have.
    fn start(&mut self, out: &mut VecDeque<Event>, format: FileFormat) {
        if self.format.is_none() {
            self.format = Some(format);
            out.push_back(Event::FileStart {
                source: self.source.clone(),
                format,
            });
        }
    }

    /// Sends the file's end, after a read error if there was one.
    fn end(&mut self, out: &mut VecDeque<Event>, format: FileFormat) {
        self.start(out, format);
        if let Some(e) = self.src.take_error() {
            out.push_back(Event::Failed(Record {
                source: self.source.clone(),
                location: Location::default(),
                report: Report::single(
                    None,
                    Code::IoError,
                    format!(
                        "cannot read {} after byte {}: {e}",
                        self.source,
                        self.src.end()
                    ),
                ),
            }));
        }
        out.push_back(Event::FileEnd {
            source: self.source.clone(),
        });
        self.mode = Mode::Done;
    }

    // ---- tokens -----------------------------------------------------------------------------

    /// Skips whitespace; the next byte (not consumed), `None` at the end. A run of whitespace
    /// longer than the payload limit is refused (it would have to be held).
    fn ws(&mut self) -> Result<Option<u8>, Stop> {
        let start = self.pos;
        loop {
            match self.src.byte(self.pos) {
                Some(b' ' | b'\t' | b'\r' | b'\n') => {
                    self.pos += 1;
                    if self.pos - start > self.limits.max_payload as u64 {
                        return Err(Stop::TooLarge(start));
                    }
                }
                b => return Ok(b),
            }
        }
    }

    /// Consumes `b` after whitespace, or stops with `message`.
    fn expect(&mut self, b: u8, message: &'static str) -> Result<(), Stop> {
        match self.ws()? {
            Some(c) if c == b => {
                self.pos += 1;
                Ok(())
            }
            _ => Err(Stop::Syntax(self.pos, message)),
        }
    }

    /// The end of the value at the read position (after whitespace), held in the window; the
    /// read position moves past it. Stops at a value larger than the payload limit.
    fn value(&mut self) -> Result<(u64, u64), Stop> {
        if self.ws()?.is_none() {
            return Err(Stop::Syntax(self.pos, "EOF while parsing a value"));
        }
        let start = self.pos;
        let mut scan = ValueEnd::new();
        let mut at = start;
        loop {
            let piece = self.src.rest(at);
            if !piece.is_empty() {
                match scan.feed(piece) {
                    Scan::Ended(n) => {
                        self.pos = at + n as u64;
                        return Ok((start, self.pos));
                    }
                    Scan::NotAValue => return Err(Stop::Syntax(start, "expected value")),
                    Scan::TooDeep(n) => {
                        return Err(Stop::Syntax(at + n as u64, "recursion limit exceeded"))
                    }
                    Scan::More => at += piece.len() as u64,
                }
            }
            if at - start > self.limits.max_payload as u64 {
                return Err(Stop::TooLarge(start));
            }
            if !self.src.read_more() {
                self.pos = at;
                return if scan.ends_at_eof() {
                    Ok((start, at))
                } else {
                    Err(Stop::Syntax(at, "EOF while parsing a value"))
                };
            }
        }
    }

    /// Reads the object key at the read position (after whitespace): whether it is `wanted`.
    fn key_is(&mut self, wanted: &str) -> Result<bool, Stop> {
        if self.ws()? != Some(b'"') {
            return Err(Stop::Syntax(self.pos, "key must be a string"));
        }
        let (start, end) = self.value()?;
        let text = self.src.slice(start, end);
        let inner = &text[1..text.len() - 1];
        if !inner.contains(&b'\\') {
            return Ok(inner == wanted.as_bytes());
        }
        // An escape stands for at least one byte of text and is at most six (`\u0001`): a
        // key longer than six times `wanted` is not it, and is only checked, not decoded.
        if inner.len() > 6 * wanted.len() {
            return position::check(text)
                .map(|()| false)
                .map_err(|_| Stop::Syntax(start, "invalid string"));
        }
        serde_json::from_slice::<String>(text)
            .map(|key| key == wanted)
            .map_err(|_| Stop::Syntax(start, "invalid string"))
    }

    /// A member's value that only has to be JSON: read (held, up to the limit) and checked.
    fn skip_checked(&mut self) -> Result<(), Stop> {
        let (start, end) = self.value()?;
        let text = self.src.slice(start, end);
        // Checked, not built: a document that is not a HAR is parsed later, whole.
        match position::check(text) {
            Ok(()) => Ok(()),
            Err(e) => Err(Stop::Syntax(start + e.offset as u64, "invalid JSON")),
        }
    }

    // ---- NDJSON -----------------------------------------------------------------------------

    /// The next batch of whole lines (`line` is the number of the first).
    fn ndjson(&mut self, out: &mut VecDeque<Event>, line: usize) {
        self.start(out, FileFormat::Ndjson);
        let (batch, max) = (self.limits.batch_bytes, self.limits.max_payload);
        loop {
            let rest = self.src.rest(self.from);
            let last = memchr::memrchr(b'\n', rest);
            let tail = rest.len() - last.map_or(0, |i| i + 1);
            if tail > max {
                // A line longer than the limit: first the lines before it, then the line is
                // stepped over without being held.
                if let Some(i) = last {
                    return self.ndjson_cut(out, line, self.from + i as u64 + 1, false);
                }
                return self.ndjson_skip_line(out, line);
            }
            if (rest.len() >= batch && last.is_some()) || !self.src.read_more() {
                break;
            }
        }
        let rest = self.src.rest(self.from);
        let mut eof = self.src.eof();
        let mut cut = match memchr::memrchr(b'\n', rest) {
            _ if eof => rest.len(),
            Some(i) => i + 1,
            None => rest.len(),
        };
        // A batch of tiny lines is cut short: each line becomes a record.
        if let Some(i) = memchr::memchr_iter(b'\n', &rest[..cut]).nth(BATCH_ITEMS - 1) {
            if i + 1 < cut {
                cut = i + 1;
                eof = false;
            }
        }
        let at = self.from + cut as u64;
        self.ndjson_cut(out, line, at, eof);
    }

    /// Sends the lines before `at` as a batch; the end of the file after them when `eof`.
    fn ndjson_cut(&mut self, out: &mut VecDeque<Event>, line: usize, at: u64, eof: bool) {
        let buf = self.src.split(at, self.fresh());
        self.from = at;
        self.pos = at;
        let (items, breaks) = lines_to_items(&buf, line, self.limits.max_payload);
        self.mode = Mode::Ndjson {
            line: line + breaks,
        };
        self.send(out, buf, items, true);
        if eof {
            self.end(out, FileFormat::Ndjson);
        }
    }

    /// Steps over a line longer than the limit (from `self.from` to its line break), without
    /// holding it; it is reported as too large.
    fn ndjson_skip_line(&mut self, out: &mut VecDeque<Event>, line: usize) {
        let start = self.from;
        let mut at = start;
        let end = loop {
            if let Some(i) = memchr::memchr(b'\n', self.src.rest(at)) {
                break Some(at + i as u64 + 1);
            }
            at = self.src.end();
            self.src.forget(at);
            if !self.src.read_more() {
                break None;
            }
        };
        let report = too_large(self.limits.max_payload);
        let item = fixed_item(Location::at_line(line), report);
        let end_at = end.unwrap_or(at);
        let buf = self.src.split(end_at, self.fresh());
        self.from = end_at;
        self.pos = end_at;
        self.mode = Mode::Ndjson { line: line + 1 };
        let skipped = end_at - start;
        self.send_with(out, buf, vec![item], skipped, true);
        if end.is_none() {
            self.end(out, FileFormat::Ndjson);
        }
    }

    // ---- arrays and HAR entries -------------------------------------------------------------

    /// Elements of a top-level array, or a HAR's entries, until a batch is full or the end.
    fn elements(&mut self, out: &mut VecDeque<Event>) {
        let har = matches!(self.mode, Mode::Har { .. });
        let format = if har {
            FileFormat::Har
        } else {
            FileFormat::JsonArray
        };
        loop {
            let (index, phase) = match self.mode {
                Mode::Array { index, phase } | Mode::Har { index, phase } => (index, phase),
                _ => return,
            };
            let next = match phase {
                Phase::First | Phase::Next => match self.ws() {
                    Ok(Some(b']')) if phase == Phase::First => {
                        self.pos += 1;
                        None
                    }
                    Ok(Some(_)) => Some(Phase::After),
                    Ok(None) => {
                        return self.stop(out, Stop::Syntax(self.pos, "EOF while parsing a list"))
                    }
                    Err(stop) => return self.stop(out, stop),
                },
                Phase::After => match self.ws() {
                    Ok(Some(b',')) => {
                        self.pos += 1;
                        Some(Phase::Next)
                    }
                    Ok(Some(b']')) => {
                        self.pos += 1;
                        None
                    }
                    Ok(None) => {
                        return self.stop(out, Stop::Syntax(self.pos, "EOF while parsing a list"))
                    }
                    Ok(Some(_)) => {
                        return self.stop(out, Stop::Syntax(self.pos, "expected `,` or `]`"))
                    }
                    Err(stop) => return self.stop(out, stop),
                },
            };
            let Some(phase) = next else {
                // The array is closed: the rest of the document.
                let rest = if har {
                    self.har_rest()
                } else {
                    self.trailing()
                };
                self.flush(out, format);
                return match rest {
                    Ok(()) => self.end(out, format),
                    Err(stop) => self.stop(out, stop),
                };
            };
            if phase == Phase::After {
                let element = if har {
                    self.entry(out, index)
                } else {
                    self.element(out, index)
                };
                if let Err(stop) = element {
                    return self.stop(out, stop);
                }
            }
            let index = index + usize::from(phase == Phase::After);
            self.mode = if har {
                Mode::Har { index, phase }
            } else {
                Mode::Array { index, phase }
            };
            // A full batch is sent between elements.
            let pending = if har {
                self.bodies.len() as u64
            } else {
                self.pos - self.from
            };
            // (An array's first batch waits for its first MiB: see `stop`.)
            let early =
                !har && self.format.is_none() && self.pos - self.origin < SNIFF_BYTES as u64;
            let full = if har {
                self.limits.batch_bytes.min(HAR_BATCH_BYTES)
            } else {
                self.limits.batch_bytes
            };
            if (pending >= full as u64 && !early) || self.items.len() >= BATCH_ITEMS {
                self.flush(out, format);
                return;
            }
        }
    }

    /// Array element `index` at the read position: an item on the window's bytes.
    fn element(&mut self, out: &mut VecDeque<Event>, index: usize) -> Result<(), Stop> {
        let start = self.pos;
        let (line, column) = self.tally.place(&self.src, start);
        let location = Location {
            line: Some(line),
            index: Some(index),
            har: None,
        };
        let ((start, end), result) = match self.value() {
            Ok(range) => (range, Ok(())),
            // Cut short by the end of the input: validated as it is (its error is precise).
            Err(Stop::Syntax(at, _)) if self.src.eof() && at == self.src.end() => {
                ((start, at), Err(Stop::Reported))
            }
            Err(Stop::TooLarge(start)) => {
                return self.skip_large(out, start, location, FileFormat::JsonArray)
            }
            Err(stop) => return Err(stop),
        };
        let base = self.from;
        let range = (start - base) as usize..(end - base) as usize;
        self.items
            .push(text_item(range, location, Origin { line, column }));
        result
    }

    /// HAR entry `index` at the read position: its text copied into the batch, to be parsed
    /// (into its invite bodies) by whoever first uses the batch.
    fn entry(&mut self, out: &mut VecDeque<Event>, index: usize) -> Result<(), Stop> {
        let start = self.pos;
        let (line, column) = self.tally.place(&self.src, start);
        let (start, end) = match self.value() {
            Ok(range) => range,
            Err(Stop::TooLarge(start)) => {
                return self.skip_large(out, start, Location::at_line(line), FileFormat::Har);
            }
            Err(stop) => return Err(stop),
        };
        let from = self.bodies.len();
        self.bodies.extend_from_slice(self.src.slice(start, end));
        self.items.push(Item {
            range: from..self.bodies.len(),
            location: Location::at_line(line),
            origin: Origin { line, column },
            known: None,
            fixed: None,
            extra: None,
            entry: Some(index),
        });
        self.forget(end);
        Ok(())
    }

    /// Steps over a value larger than the limit that starts at `start` (the pending items go
    /// first); it is reported as too large, at `location`.
    fn skip_large(
        &mut self,
        out: &mut VecDeque<Event>,
        start: u64,
        location: Location,
        format: FileFormat,
    ) -> Result<(), Stop> {
        if format == FileFormat::JsonArray {
            self.cut(out, start);
        }
        let mut scan = ValueEnd::new();
        let mut at = start;
        let end = loop {
            let piece = self.src.rest(at);
            match scan.feed(piece) {
                Scan::Ended(n) => break at + n as u64,
                Scan::NotAValue => return Err(Stop::Syntax(at, "expected value")),
                Scan::TooDeep(n) => {
                    self.items
                        .push(fixed_item(location, too_large(self.limits.max_payload)));
                    return Err(Stop::Syntax(at + n as u64, "recursion limit exceeded"));
                }
                Scan::More => {}
            }
            at += piece.len() as u64;
            self.forget(at);
            if !self.src.read_more() {
                if scan.ends_at_eof() {
                    break at;
                }
                self.items
                    .push(fixed_item(location, too_large(self.limits.max_payload)));
                return Err(Stop::Syntax(at, "EOF while parsing a value"));
            }
        };
        self.items
            .push(fixed_item(location, too_large(self.limits.max_payload)));
        self.pos = end;
        if format == FileFormat::JsonArray {
            self.cut(out, end);
        } else {
            self.forget(end);
        }
        Ok(())
    }

    /// After a top-level array: only whitespace.
    fn trailing(&mut self) -> Result<(), Stop> {
        match self.ws()? {
            None => Ok(()),
            Some(_) => Err(Stop::Syntax(self.pos, "trailing characters")),
        }
    }

    /// Sends the pending items (and the file's start).
    fn flush(&mut self, out: &mut VecDeque<Event>, format: FileFormat) {
        if format == FileFormat::Har {
            let fresh = self.fresh();
            let buf = std::mem::replace(&mut self.bodies, fresh);
            let room = Vec::with_capacity(self.items.len());
            let items = std::mem::replace(&mut self.items, room);
            let bytes = self.pos - self.from;
            self.from = self.pos;
            self.send_with(out, buf, items, bytes, true);
        } else {
            self.cut(out, self.pos);
        }
    }

    /// Sends the pending array elements, whose bytes end before `at`, as a batch.
    fn cut(&mut self, out: &mut VecDeque<Event>, at: u64) {
        self.tally.place(&self.src, at);
        let buf = self.src.split(at, self.fresh());
        self.from = at;
        let room = Vec::with_capacity(self.items.len());
        let items = std::mem::replace(&mut self.items, room);
        self.send(out, buf, items, true);
    }

    /// An empty buffer for a window or a batch, with room for a batch and the reads past it
    /// (so that it does not grow, and a freed one can be used again).
    fn fresh(&self) -> Vec<u8> {
        self.pool
            .take(self.limits.batch_bytes + 2 * super::source::CHUNK)
    }

    /// Forgets the window before `at`, counting its lines first.
    fn forget(&mut self, at: u64) {
        self.tally.place(&self.src, at);
        self.src.forget(at);
    }

    fn send(&mut self, out: &mut VecDeque<Event>, buf: Vec<u8>, items: Vec<Item>, pooled: bool) {
        let bytes = buf.len() as u64;
        self.send_with(out, buf, items, bytes, pooled);
    }

    fn send_with(
        &mut self,
        out: &mut VecDeque<Event>,
        buf: Vec<u8>,
        items: Vec<Item>,
        bytes: u64,
        pooled: bool,
    ) {
        if items.is_empty() {
            self.pool.give(buf);
            return;
        }
        self.start(out, self.format_now());
        out.push_back(Event::Batch(Batch {
            source: self.source.clone(),
            buf,
            items,
            bytes,
            pool: pooled.then(|| self.pool.clone()),
            har: (self.format_now() == FileFormat::Har).then(OnceLock::new),
        }));
    }

    /// Reading stops at `stop`: the pending payloads go out, then the reason as a record, and
    /// the file ends. An array that breaks within its first MiB (whose payloads are all still
    /// held: its first batch waits for that) is read as NDJSON instead if its lines look like
    /// it, as a whole file that failed to parse was before streaming; so what a file gives
    /// never depends on the batch size.
    fn stop(&mut self, out: &mut VecDeque<Event>, stop: Stop) {
        let format = self.format_now();
        let sniffed = self.origin + SNIFF_BYTES as u64;
        let early = matches!(stop, Stop::Syntax(at, _) if at < sniffed);
        let untouched = self.format.is_none() && self.src.base() == self.origin;
        if early && untouched && format == FileFormat::JsonArray {
            // Everything is still in the window: read it as NDJSON if it looks like it.
            while self.src.end() < sniffed && self.src.read_more() {}
            if looks_like_ndjson(self.src.rest(self.origin)) {
                self.items.clear();
                self.from = self.src.base();
                self.pos = self.from;
                self.mode = Mode::Ndjson { line: 1 };
                return self.ndjson(out, 1);
            }
        }
        let (at, report) = match stop {
            Stop::Reported => {
                self.flush(out, format);
                return self.end(out, format);
            }
            Stop::Syntax(at, message) => {
                let (line, column) = self.place_error(at);
                (
                    line,
                    positioned(Code::InvalidJson, line, column, message.to_owned()),
                )
            }
            Stop::TooLarge(at) => {
                let (line, _) = self.place_error(at);
                (line, too_large(self.limits.max_payload))
            }
        };
        // A read error explains an early end better than the syntax does.
        if self.src.has_error() {
            self.flush(out, format);
            return self.end(out, format);
        }
        self.items.push(fixed_item(Location::at_line(at), report));
        self.flush(out, format);
        self.end(out, format);
    }

    /// Line and column of `at`, which may lie beyond what the tally has passed.
    fn place_error(&mut self, at: u64) -> (usize, usize) {
        let at = at.min(self.src.end()).max(self.src.base());
        self.tally.place(&self.src, at)
    }

    fn format_now(&self) -> FileFormat {
        match self.mode {
            Mode::Har { .. } => FileFormat::Har,
            Mode::Ndjson { .. } => FileFormat::Ndjson,
            Mode::Array { .. } => FileFormat::JsonArray,
            _ => self.format.unwrap_or(FileFormat::Json),
        }
    }

    // ---- objects: a HAR, or a document ------------------------------------------------------

    /// A top-level object: a HAR when its first `log` is an object whose first `entries` is an
    /// array (then the entries are streamed), else a document, read whole.
    fn object(&mut self, out: &mut VecDeque<Event>) {
        match self.har_prefix() {
            Ok(true) => {
                self.mode = Mode::Har {
                    index: 0,
                    phase: Phase::First,
                };
                self.elements(out);
            }
            // Not a HAR: a document, read whole (up to the limit).
            Ok(false) | Err(Stop::TooLarge(_)) => self.whole(out),
            // Not JSON: what was read holds the first error.
            Err(_) => self.not_json(out),
        }
    }

    /// Reads the top-level object up to the `[` of `log.entries`: `true` there, `false` when
    /// the document has no such array among the first [`HAR_MEMBERS`] members of each level
    /// (a HAR's `log` comes first, and `entries` after a few small members). Everything read
    /// stays in the window (a document that is not a HAR is read whole afterwards).
    fn har_prefix(&mut self) -> Result<bool, Stop> {
        self.expect(b'{', "expected value")?;
        for level in 0..2 {
            for member in 0.. {
                if (member == 0 && self.ws()? == Some(b'}')) || member == HAR_MEMBERS {
                    return Ok(false);
                }
                let wanted = if level == 0 { "log" } else { "entries" };
                let found = self.key_is(wanted)?;
                self.expect(b':', "expected `:`")?;
                if found {
                    let open = if level == 0 { b'{' } else { b'[' };
                    if self.ws()? != Some(open) {
                        return Ok(false);
                    }
                    self.pos += 1;
                    break;
                }
                self.skip_checked()?;
                match self.ws()? {
                    Some(b',') => self.pos += 1,
                    _ => return Ok(false),
                }
            }
        }
        // The HAR's start is known: what came before the entries is not needed again.
        self.forget(self.pos);
        self.from = self.pos;
        Ok(true)
    }

    /// After a HAR's entries: the rest of `log`, then the rest of the document, checked.
    fn har_rest(&mut self) -> Result<(), Stop> {
        for _ in 0..2 {
            loop {
                match self.ws()? {
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    Some(b',') => {
                        self.pos += 1;
                        self.key_is("")?;
                        self.expect(b':', "expected `:`")?;
                        self.skip_checked()?;
                        let end = self.pos;
                        self.forget(end);
                    }
                    None => return Err(Stop::Syntax(self.pos, "EOF while parsing an object")),
                    Some(_) => return Err(Stop::Syntax(self.pos, "expected `,` or `}`")),
                }
            }
        }
        self.trailing()
    }

    /// A file read whole (up to the limit): one document, or NDJSON with a broken first line.
    fn whole(&mut self, out: &mut VecDeque<Event>) {
        let start = self.src.base();
        while self.src.end() - start <= self.limits.max_payload as u64 && self.src.read_more() {}
        if self.src.end() - start > self.limits.max_payload as u64 {
            // Not held: the rest is not read (a stream may never end).
            self.start(out, FileFormat::Json);
            let item = fixed_item(Location::at_line(1), too_large(self.limits.max_payload));
            self.send_with(out, Vec::new(), vec![item], 0, false);
            return self.end(out, FileFormat::Json);
        }
        let buf = self.src.split(self.src.end(), Vec::new());
        // NDJSON with a broken first line when it is not one JSON document but most of its
        // first lines are whole values. The document is parsed here only when its lines look
        // like that: a file that is one value by its brackets, or one whose lines do not look
        // like NDJSON, is a document either way (the validator parses it once, later).
        let ndjson =
            looks_like_ndjson(&buf) && (!one_value(&buf) || position::parse(&buf).is_err());
        let (format, items) = if ndjson {
            let (items, _) = lines_to_items(&buf, 1, self.limits.max_payload);
            (FileFormat::Ndjson, items)
        } else {
            (FileFormat::Json, vec![document_item(&buf)])
        };
        self.start(out, format);
        // An empty file is one (invalid) payload too: it must show up.
        let bytes = buf.len() as u64;
        out.push_back(Event::Batch(Batch {
            source: self.source.clone(),
            buf,
            items,
            bytes,
            pool: None,
            har: None,
        }));
        self.end(out, format);
    }
}

/// Whether `buf` is one value by its strings and brackets, with only whitespace around it
/// (when it is not, it is not one JSON document).
fn one_value(buf: &[u8]) -> bool {
    let Some(start) = buf
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
    else {
        return false;
    };
    let mut scan = ValueEnd::new();
    let end = match scan.feed(&buf[start..]) {
        Scan::Ended(n) => start + n,
        Scan::More if scan.ends_at_eof() => buf.len(),
        _ => return false,
    };
    buf[end..]
        .iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

fn document_item(buf: &[u8]) -> Item {
    text_item(0..buf.len(), Location::at_line(1), Origin::START)
}

/// A payload to validate: the bytes at `range` of the batch.
fn text_item(range: std::ops::Range<usize>, location: Location, origin: Origin) -> Item {
    Item {
        range,
        location,
        origin,
        known: None,
        fixed: None,
        extra: None,
        entry: None,
    }
}

/// A payload that is not validated: only `report` is said about it.
pub(super) fn fixed_item(location: Location, report: Report) -> Item {
    Item {
        range: 0..0,
        location,
        origin: Origin::START,
        known: None,
        fixed: Some(report),
        extra: None,
        entry: None,
    }
}

/// The report of a payload larger than the limit.
fn too_large(max: usize) -> Report {
    Report::single(
        None,
        Code::TooLarge,
        format!("larger than the payload limit ({max} bytes; raise it with --max-payload-bytes): not read"),
    )
}

/// A one-finding report at a place in the file.
pub(super) fn positioned(code: Code, line: usize, column: usize, message: String) -> Report {
    let severity = code.severity(false);
    Report {
        kind: None,
        schema: None,
        status: if severity == Severity::Error {
            Status::Error
        } else {
            Status::Skipped
        },
        findings: vec![Finding::new(severity, code, "", &message).at(line, column)],
        omitted: Vec::new(),
    }
}

/// One item per non-blank line of `buf`, whose first line is number `first_line`; and the
/// number of line breaks in `buf` (counted on the way, not in a second pass). A line longer
/// than `max` is reported as too large, not validated.
pub(super) fn lines_to_items(buf: &[u8], first_line: usize, max: usize) -> (Vec<Item>, usize) {
    let mut items = Vec::new();
    let mut start = 0;
    let mut line = first_line;
    let mut breaks = 0;
    while start < buf.len() {
        let end = match memchr::memchr(b'\n', &buf[start..]) {
            Some(i) => {
                breaks += 1;
                start + i
            }
            None => buf.len(),
        };
        let text = &buf[start..end];
        if text
            .iter()
            .any(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
        {
            items.push(if text.len() > max {
                fixed_item(Location::at_line(line), too_large(max))
            } else {
                text_item(
                    start..end,
                    Location::at_line(line),
                    Origin { line, column: 1 },
                )
            });
        }
        start = end + 1;
        line += 1;
    }
    (items, breaks)
}

/// Whether a file that is not one JSON document is NDJSON with some broken lines: most of its
/// first few non-blank lines are whole values.
pub(super) fn looks_like_ndjson(buf: &[u8]) -> bool {
    let lines: Vec<&[u8]> = buf
        .split(|&b| b == b'\n')
        .filter(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
        .take(5)
        .collect();
    // One line is never NDJSON: not parsed (a one-line document would be parsed whole).
    if lines.len() < 2 {
        return false;
    }
    let whole = lines.iter().filter(|l| position::parse(l).is_ok()).count();
    lines.len() >= 2 && whole * 2 >= lines.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndjson_lines_keep_their_numbers() {
        let (items, breaks) = lines_to_items(b"{}\n\n  \n{\"a\":1}\r\n{", 7, 100);
        let lines: Vec<_> = items.iter().map(|i| i.location.line).collect();
        assert_eq!(lines, vec![Some(7), Some(10), Some(11)]);
        assert_eq!(breaks, 4);
        assert_eq!(lines_to_items(b"{}\n{}\n", 1, 100).1, 2);
        assert_eq!(lines_to_items(b"", 1, 100).1, 0);
        let (items, _) = lines_to_items(b"{}\n{\"long\":1}\n", 1, 5);
        assert!(items[0].fixed.is_none());
        assert_eq!(
            items[1].fixed.as_ref().map(|r| r.findings[0].code),
            Some(Code::TooLarge)
        );
    }

    #[test]
    fn ndjson_sniffing() {
        assert!(looks_like_ndjson(b"{}\n{\n{}\n"));
        assert!(!looks_like_ndjson(b"{\n\"a\": 1\n"));
    }
}
