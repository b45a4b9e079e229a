//! Readers: turn paths (files, directories, `-` for stdin) into batches of payloads.
//!
//! A file is one of:
//! - **one JSON document** (a payload, or a gateway envelope);
//! - **a JSON array** of payloads: each element is a payload;
//! - **NDJSON**: one payload per line. Chosen by extension (`.ndjson`, `.jsonl`, `.log`) or when
//!   the file's first line is a whole JSON value and more follows. Read in bounded batches, so
//!   memory does not grow with the file;
//! - **a HAR** export (`.har`, or any JSON document with `log.entries`): the request and
//!   response bodies of entries whose method and URL are an invite endpoint; other entries are
//!   counted as ignored.
//!
//! Directories are walked recursively in name order, taking files named `*.json`, `*.ndjson`,
//! `*.jsonl` and `*.har` (a path named on the command line is read whatever its name); a
//! directory met twice through symlinks is walked once.
//!
//! ```no_run
//! use discord_invite::validate::input::{Event, Reader};
//! use discord_invite::validate::Options;
//!
//! let options = Options::default();
//! for event in Reader::new(["captures"]) {
//!     if let Event::Batch(batch) = event {
//!         for record in batch.validate_all(&options) {
//!             println!("{}", serde_json::to_string(&record).unwrap());
//!         }
//!     }
//! }
//! ```

use std::collections::{HashSet, VecDeque};
use std::fs;
use std::io::{self, BufRead, BufReader, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use base64::Engine as _;
use serde::Serialize;

use super::exchange::{self, Extra};
use super::kind::{har_kind, har_operation, HarOp, HarPart, Kind};
use super::position::{self, line_col, Node, Value};
use super::{validate_payload, Code, Finding, Options, Origin, Report, Status};

/// NDJSON is read in batches of about this many bytes (whole lines).
pub const BATCH_BYTES: usize = 4 << 20;

/// File names a directory walk takes.
const EXTENSIONS: &[&str] = &["json", "ndjson", "jsonl", "har"];

/// Where a payload is in its source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Location {
    /// The line of the source where the payload starts (for a HAR body: the line of its
    /// entry in the HAR file).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    /// The index of the payload in a top-level JSON array.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// The HAR entry the body comes from.
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    pub har: Option<HarEntry>,
}

/// A HAR entry: which one, which body, and the request line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HarEntry {
    /// 0-based index in `log.entries`.
    #[serde(rename = "har_entry")]
    pub entry: usize,
    /// The request or the response body.
    #[serde(serialize_with = "ser_part")]
    pub part: HarPart,
    /// The request method.
    pub method: String,
    /// The request URL.
    pub url: String,
}

fn ser_part<S: serde::Serializer>(p: &HarPart, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(p.as_str())
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.har, self.index, self.line) {
            (Some(h), _, _) => write!(
                f,
                "entry {} {} body ({} {})",
                h.entry,
                h.part.as_str(),
                h.method,
                h.url
            ),
            (None, Some(i), Some(l)) => write!(f, "[{i}] (line {l})"),
            (None, Some(i), None) => write!(f, "[{i}]"),
            (None, None, Some(l)) => write!(f, "line {l}"),
            (None, None, None) => f.write_str("file"),
        }
    }
}

/// The validation of one payload, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The file (as named on the command line or found in a directory), or `<stdin>`.
    pub source: Arc<str>,
    /// Where in the source.
    pub location: Location,
    /// The verdict.
    pub report: Report,
}

impl Serialize for Record {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        #[derive(Serialize)]
        struct View<'a> {
            source: &'a str,
            location: &'a Location,
            kind: Option<&'static str>,
            schema: Option<&'static str>,
            status: Status,
            findings: &'a [Finding],
        }
        View {
            source: &self.source,
            location: &self.location,
            kind: self.report.kind.map(Kind::name),
            schema: self.report.schema,
            status: self.report.status,
            findings: &self.report.findings,
        }
        .serialize(s)
    }
}

/// What shape a file turned out to have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    /// One JSON document.
    Json,
    /// A top-level JSON array of payloads.
    JsonArray,
    /// One payload per line.
    Ndjson,
    /// A HAR export.
    Har,
}

impl FileFormat {
    /// `json`, `json-array`, `ndjson` or `har`.
    pub fn as_str(self) -> &'static str {
        match self {
            FileFormat::Json => "json",
            FileFormat::JsonArray => "json-array",
            FileFormat::Ndjson => "ndjson",
            FileFormat::Har => "har",
        }
    }
}

/// What a [`Reader`] yields, in order.
#[derive(Debug)]
pub enum Event {
    /// A file starts.
    FileStart {
        /// Its name.
        source: Arc<str>,
        /// Its shape.
        format: FileFormat,
    },
    /// Payloads to validate, in source order.
    Batch(Batch),
    /// A file is done.
    FileEnd {
        /// Its name.
        source: Arc<str>,
        /// HAR entries that are not invite endpoints (not payloads; counted, not validated).
        ignored: usize,
    },
    /// A path could not be read; the record holds an `io-error` finding. The run goes on.
    Failed(Record),
}

/// A payload waiting to be validated (or a fixed note about a body that is not there).
#[derive(Debug, Clone)]
struct Item {
    range: Range<usize>,
    location: Location,
    origin: Origin,
    known: Option<Kind>,
    fixed: Option<Report>,
    /// What the HAR exchange adds (see `exchange`).
    extra: Option<Box<Extra>>,
}

/// Payloads from one file that share one buffer. Validate them in any order (or in parallel)
/// and emit in index order.
#[derive(Debug)]
pub struct Batch {
    source: Arc<str>,
    buf: Vec<u8>,
    items: Vec<Item>,
    bytes: u64,
    /// Where an NDJSON batch's buffer goes back when the batch is dropped.
    pool: Option<Arc<BufPool>>,
}

/// NDJSON batch buffers that can be used again: a fresh 4 MiB buffer per batch costs page
/// faults and zeroed pages on every batch.
struct BufPool {
    free: Mutex<Vec<Vec<u8>>>,
    /// Larger buffers (grown for a huge line) are let go.
    max_capacity: usize,
}

/// Buffers kept for reuse (the reader runs only a few batches ahead).
const POOL_BUFFERS: usize = 2;

impl std::fmt::Debug for BufPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BufPool")
    }
}

impl BufPool {
    fn new(batch_bytes: usize) -> BufPool {
        BufPool {
            free: Mutex::new(Vec::new()),
            max_capacity: batch_bytes.saturating_mul(2).saturating_add(1 << 20),
        }
    }

    /// An empty buffer with room for `capacity` bytes, reused if one is free.
    fn take(&self, capacity: usize) -> Vec<u8> {
        let reused = self.free.lock().ok().and_then(|mut free| free.pop());
        match reused {
            Some(mut buf) => {
                buf.clear();
                buf.reserve(capacity);
                buf
            }
            None => Vec::with_capacity(capacity),
        }
    }

    fn give(&self, mut buf: Vec<u8>) {
        if buf.capacity() > self.max_capacity {
            return; // grown for a huge line: let it go
        }
        buf.clear();
        if let Ok(mut free) = self.free.lock() {
            if free.len() < POOL_BUFFERS {
                free.push(buf);
            }
        }
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        if let Some(pool) = self.pool.take() {
            pool.give(std::mem::take(&mut self.buf));
        }
    }
}

impl Batch {
    /// The file the payloads come from.
    pub fn source(&self) -> &Arc<str> {
        &self.source
    }

    /// The number of payloads.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// Whether there are no payloads.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Input bytes this batch covers (for progress).
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Validates payload `index` (`0..len()`).
    pub fn validate(&self, index: usize, options: &Options) -> Record {
        Record {
            source: self.source.clone(),
            location: self.items[index].location.clone(),
            report: self.report(index, options),
        }
    }

    /// Validates payload `index` (`0..len()`) and returns only the verdict: unlike
    /// [`Batch::validate`], no [`Record`] is built (the source name and the location are not
    /// copied); see [`Batch::location`] and [`Batch::source`].
    ///
    /// # Panics
    ///
    /// If `index` is not below [`Batch::len`].
    pub fn report(&self, index: usize, options: &Options) -> Report {
        let item = &self.items[index];
        let mut report = match &item.fixed {
            Some(r) => r.clone(),
            None => validate_payload(
                &self.buf[item.range.clone()],
                item.known,
                item.origin,
                options,
            ),
        };
        if let Some(extra) = &item.extra {
            exchange::apply(&mut report, extra);
        }
        report
    }

    /// Where payload `index` is in its source (`None` out of range).
    pub fn location(&self, index: usize) -> Option<&Location> {
        self.items.get(index).map(|item| &item.location)
    }

    /// The bytes of payload `index` as read (a HAR body after base64 decoding; empty for a
    /// body that is missing).
    pub fn payload(&self, index: usize) -> &[u8] {
        self.items
            .get(index)
            .map_or(&[][..], |item| &self.buf[item.range.clone()])
    }

    /// Validates every payload, in order.
    pub fn validate_all(&self, options: &Options) -> Vec<Record> {
        (0..self.len()).map(|i| self.validate(i, options)).collect()
    }

    /// The source line holding a finding of payload `index` (for snippets), without its line
    /// break. Lossy for invalid UTF-8.
    pub fn line_of(&self, index: usize, finding: &Finding) -> Option<String> {
        self.line_bytes(index, finding)
            .map(|line| String::from_utf8_lossy(line).into_owned())
    }

    /// Like [`Batch::line_of`], borrowed and as bytes (no copy).
    pub fn line_bytes(&self, index: usize, finding: &Finding) -> Option<&[u8]> {
        let item = self.items.get(index)?;
        let offset = finding.offset?;
        let at = item.range.start.saturating_add(offset).min(self.buf.len());
        let start = memchr::memrchr(b'\n', &self.buf[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &self.buf[at..]).map_or(self.buf.len(), |i| at + i);
        let line = &self.buf[start..end];
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    }
}

enum Arg {
    Path(PathBuf, bool),
    Stdin,
}

struct Ndjson {
    source: Arc<str>,
    reader: Box<dyn BufRead + Send>,
    /// The number of the next line to read.
    line: usize,
    /// A line read while sniffing, not yet in a batch.
    carry: Option<Vec<u8>>,
}

/// Reads paths into [`Event`]s. An [`Iterator`]; I/O problems become [`Event::Failed`] and the
/// reader goes on with the next path.
pub struct Reader {
    args: VecDeque<Arg>,
    ready: VecDeque<Event>,
    ndjson: Option<Ndjson>,
    visited: HashSet<PathBuf>,
    batch_bytes: usize,
    pool: Arc<BufPool>,
}

impl Reader {
    /// A reader over paths; `-` is stdin.
    pub fn new<I, P>(paths: I) -> Reader
    where
        I: IntoIterator<Item = P>,
        P: AsRef<Path>,
    {
        let args = paths
            .into_iter()
            .map(|p| {
                let p = p.as_ref();
                if p == Path::new("-") {
                    Arg::Stdin
                } else {
                    Arg::Path(p.to_path_buf(), true)
                }
            })
            .collect();
        Reader {
            args,
            ready: VecDeque::new(),
            ndjson: None,
            visited: HashSet::new(),
            batch_bytes: BATCH_BYTES,
            pool: Arc::new(BufPool::new(BATCH_BYTES)),
        }
    }

    /// Sets the NDJSON batch size in bytes (default [`BATCH_BYTES`]).
    pub fn batch_bytes(mut self, bytes: usize) -> Reader {
        self.batch_bytes = bytes.max(1);
        self.pool = Arc::new(BufPool::new(self.batch_bytes));
        self
    }

    fn failed(&mut self, source: &str, message: String) {
        self.ready.push_back(Event::Failed(Record {
            source: Arc::from(source),
            location: Location::default(),
            report: Report::single(None, Code::IoError, message),
        }));
    }

    fn open(&mut self, arg: Arg) {
        match arg {
            Arg::Stdin => {
                let reader = Box::new(BufReader::with_capacity(1 << 20, io::stdin()));
                self.stream(Arc::from("<stdin>"), reader, None);
            }
            Arg::Path(path, explicit) => {
                let name = path.display().to_string();
                let meta = match fs::metadata(&path) {
                    Ok(m) => m,
                    Err(e) => return self.failed(&name, format!("cannot read {name}: {e}")),
                };
                if meta.is_dir() {
                    self.walk(&path, &name);
                } else {
                    let _ = explicit;
                    match fs::File::open(&path) {
                        Ok(f) => {
                            let ext = path
                                .extension()
                                .and_then(|e| e.to_str())
                                .map(str::to_ascii_lowercase);
                            let reader = Box::new(BufReader::with_capacity(1 << 20, f));
                            self.stream(Arc::from(name.as_str()), reader, ext.as_deref());
                        }
                        Err(e) => self.failed(&name, format!("cannot open {name}: {e}")),
                    }
                }
            }
        }
    }

    fn walk(&mut self, dir: &Path, name: &str) {
        let canonical = fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
        if !self.visited.insert(canonical) {
            return; // a symlink loop or a directory named twice
        }
        let entries = match fs::read_dir(dir) {
            Ok(rd) => rd,
            Err(e) => return self.failed(name, format!("cannot read directory {name}: {e}")),
        };
        let mut children: Vec<(PathBuf, bool)> = Vec::new();
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    self.failed(name, format!("cannot read directory {name}: {e}"));
                    continue;
                }
            };
            let path = entry.path();
            let is_dir = fs::metadata(&path).map(|m| m.is_dir()).unwrap_or(false);
            let wanted = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
            if is_dir || wanted {
                children.push((path, is_dir));
            }
        }
        children.sort();
        for (path, _) in children.into_iter().rev() {
            self.args.push_front(Arg::Path(path, false));
        }
    }

    /// Sniffs a stream's shape and queues its events (or sets up NDJSON batching).
    fn stream(&mut self, source: Arc<str>, mut reader: Box<dyn BufRead + Send>, ext: Option<&str>) {
        let name = source.to_string();
        let io_fail = |this: &mut Reader, e: io::Error| {
            this.failed(&name, format!("cannot read {name}: {e}"));
        };
        // A UTF-8 byte-order mark (Windows exports) is not part of the JSON.
        match reader.fill_buf() {
            Ok(b) if b.starts_with(b"\xEF\xBB\xBF") => reader.consume(3),
            Ok(_) => {}
            Err(e) => return io_fail(self, e),
        }
        let mut first = Vec::new();
        if let Err(e) = reader.read_until(b'\n', &mut first) {
            return io_fail(self, e);
        }
        let ndjson_ext = matches!(ext, Some("ndjson" | "jsonl" | "log"));
        let mut ndjson = ndjson_ext;
        // Whitespace read past the first line; kept so later lines keep their line and column.
        let mut skipped: Vec<u8> = Vec::new();
        if !ndjson && ext != Some("har") && position::complete_value_len(&first).is_some() {
            // A whole value on the first line: NDJSON if anything follows.
            loop {
                let buf = match reader.fill_buf() {
                    Ok(b) => b,
                    Err(e) => return io_fail(self, e),
                };
                if buf.is_empty() {
                    break;
                }
                let n = buf
                    .iter()
                    .take_while(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
                    .count();
                skipped.extend_from_slice(&buf[..n]);
                let all = n == buf.len();
                reader.consume(n);
                if !all {
                    ndjson = true;
                    break;
                }
            }
        }
        if ndjson {
            self.ready.push_back(Event::FileStart {
                source: source.clone(),
                format: FileFormat::Ndjson,
            });
            first.extend_from_slice(&skipped);
            self.ndjson = Some(Ndjson {
                source,
                reader,
                line: 1,
                carry: Some(first),
            });
            return;
        }
        let mut buf = first;
        if let Err(e) = reader.read_to_end(&mut buf) {
            return io_fail(self, e);
        }
        self.whole(source, buf);
    }

    /// A file read whole: a document, an array, a HAR, or NDJSON with a broken first line.
    fn whole(&mut self, source: Arc<str>, buf: Vec<u8>) {
        let bytes = buf.len() as u64;
        let parsed = position::parse(&buf);
        let (format, items, ignored) = match &parsed {
            Ok(doc) => match &doc.root.value {
                Value::Array(elems) => {
                    let items = elems
                        .iter()
                        .enumerate()
                        .map(|(i, e)| {
                            let (line, column) = line_col(&buf, e.start);
                            Item {
                                range: e.start..e.end,
                                location: Location {
                                    line: Some(line),
                                    index: Some(i),
                                    har: None,
                                },
                                origin: Origin { line, column },
                                known: None,
                                fixed: None,
                                extra: None,
                            }
                        })
                        .collect();
                    (FileFormat::JsonArray, items, 0)
                }
                Value::Object(_) if is_har(&doc.root) => {
                    let (har_buf, items, ignored) = har_items(&doc.root, &buf);
                    drop(parsed);
                    self.ready.push_back(Event::FileStart {
                        source: source.clone(),
                        format: FileFormat::Har,
                    });
                    self.ready.push_back(Event::Batch(Batch {
                        source: source.clone(),
                        buf: har_buf,
                        items,
                        bytes,
                        pool: None,
                    }));
                    self.ready.push_back(Event::FileEnd { source, ignored });
                    return;
                }
                _ => (FileFormat::Json, vec![document_item(&buf)], 0),
            },
            Err(_) if looks_like_ndjson(&buf) => {
                let (items, _) = lines_to_items(&buf, 1);
                (FileFormat::Ndjson, items, 0)
            }
            Err(_) => (FileFormat::Json, vec![document_item(&buf)], 0),
        };
        drop(parsed);
        self.ready.push_back(Event::FileStart {
            source: source.clone(),
            format,
        });
        self.ready.push_back(Event::Batch(Batch {
            source: source.clone(),
            buf,
            items,
            bytes,
            pool: None,
        }));
        self.ready.push_back(Event::FileEnd { source, ignored });
    }

    /// The next NDJSON batch of the current file, or its end.
    fn ndjson_batch(&mut self) {
        let Some(st) = self.ndjson.as_mut() else {
            return;
        };
        let mut buf = self.pool.take(self.batch_bytes + (64 << 10));
        let first_line = st.line;
        if let Some(c) = st.carry.take() {
            buf.extend_from_slice(&c);
        }
        let mut eof = false;
        let mut error = None;
        // Whole blocks straight into the batch (no copy through the reader's buffer, no call
        // per line); the batch is then cut after its last line break, the rest carried over.
        let mut has_break = memchr::memchr(b'\n', &buf).is_some();
        while buf.len() < self.batch_bytes || !has_break {
            let old = buf.len();
            let want = self.batch_bytes.saturating_sub(old).max(64 << 10);
            // `read_to_end` reads into the spare capacity (nothing to zero first); a short
            // count means the end of the input. On an error, what was read is kept.
            let res = (&mut st.reader).take(want as u64).read_to_end(&mut buf);
            has_break = has_break || memchr::memchr(b'\n', &buf[old..]).is_some();
            match res {
                Ok(n) if n < want => {
                    eof = true;
                    break;
                }
                Ok(_) => {}
                Err(e) => {
                    error = Some(e);
                    eof = true;
                    break;
                }
            }
        }
        if !eof {
            if let Some(i) = memchr::memrchr(b'\n', &buf) {
                st.carry = Some(buf[i + 1..].to_vec());
                buf.truncate(i + 1);
            }
        }
        let (items, breaks) = lines_to_items(&buf, first_line);
        st.line = first_line + breaks;
        let source = st.source.clone();
        let bytes = buf.len() as u64;
        if !items.is_empty() {
            self.ready.push_back(Event::Batch(Batch {
                source: source.clone(),
                buf,
                items,
                bytes,
                pool: Some(self.pool.clone()),
            }));
        } else {
            self.pool.give(buf);
        }
        if let Some(e) = error {
            let line = st.line;
            self.failed(
                &source,
                format!("cannot read {source} after line {line}: {e}"),
            );
        }
        if eof {
            self.ndjson = None;
            self.ready.push_back(Event::FileEnd { source, ignored: 0 });
        }
    }
}

impl Iterator for Reader {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(e) = self.ready.pop_front() {
                return Some(e);
            }
            if self.ndjson.is_some() {
                self.ndjson_batch();
                continue;
            }
            let arg = self.args.pop_front()?;
            self.open(arg);
        }
    }
}

fn document_item(buf: &[u8]) -> Item {
    Item {
        range: 0..buf.len(),
        location: Location {
            line: Some(1),
            index: None,
            har: None,
        },
        origin: Origin::START,
        known: None,
        fixed: None,
        extra: None,
    }
}

/// One item per non-blank line of `buf`, whose first line is number `first_line`; and the
/// number of line breaks in `buf` (counted on the way, not in a second pass).
fn lines_to_items(buf: &[u8], first_line: usize) -> (Vec<Item>, usize) {
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
            items.push(Item {
                range: start..end,
                location: Location {
                    line: Some(line),
                    index: None,
                    har: None,
                },
                origin: Origin { line, column: 1 },
                known: None,
                fixed: None,
                extra: None,
            });
        }
        start = end + 1;
        line += 1;
    }
    (items, breaks)
}

/// Whether a file that is not one JSON document is NDJSON with some broken lines: most of its
/// first few non-blank lines are whole values.
fn looks_like_ndjson(buf: &[u8]) -> bool {
    let lines: Vec<&[u8]> = buf
        .split(|&b| b == b'\n')
        .filter(|l| l.iter().any(|b| !b.is_ascii_whitespace()))
        .take(5)
        .collect();
    let whole = lines.iter().filter(|l| position::parse(l).is_ok()).count();
    lines.len() >= 2 && whole * 2 >= lines.len()
}

fn is_har(root: &Node<'_>) -> bool {
    matches!(
        root.pointer("/log/entries").map(|e| &e.value),
        Some(Value::Array(_))
    )
}

fn str_at<'n>(node: &'n Node<'_>, pointer: &str) -> Option<&'n str> {
    match &node.pointer(pointer)?.value {
        Value::String(s) => Some(s),
        _ => None,
    }
}

/// The bodies of a HAR's invite entries, copied into one buffer (one body per line block).
fn har_items(root: &Node<'_>, file: &[u8]) -> (Vec<u8>, Vec<Item>, usize) {
    let mut buf = Vec::new();
    let mut items = Vec::new();
    let mut ignored = 0;
    let Some(Value::Array(entries)) = root.pointer("/log/entries").map(|e| &e.value) else {
        return (buf, items, 0);
    };
    for (i, entry) in entries.iter().enumerate() {
        let method = str_at(entry, "/request/method").unwrap_or("GET").to_owned();
        let url = str_at(entry, "/request/url").unwrap_or("").to_owned();
        let status = match entry.pointer("/response/status").map(|s| &s.value) {
            Some(Value::Number(n)) => n.parse::<u16>().unwrap_or(0),
            _ => 0,
        };
        let op = har_operation(&method, &url);
        let exchange = exchange::check(entry, file, Origin::START, &method, &url, status);
        if op == HarOp::NotInvite && exchange.as_ref().is_none_or(|x| !x.undocumented) {
            ignored += 1;
            continue;
        }
        let exchange = exchange.unwrap_or_default();
        let (line, _) = line_col(file, entry.start);
        let loc = |part| Location {
            line: Some(line),
            index: None,
            har: Some(HarEntry {
                entry: i,
                part,
                method: method.clone(),
                url: url.clone(),
            }),
        };
        let extra = |findings: Vec<Finding>, rejected: bool| {
            (!findings.is_empty() || rejected).then(|| Box::new(Extra { findings, rejected }))
        };
        // A request without a body of its own, or of an operation the spec lacks: a record for
        // what the exchange says about it.
        let bare = |part, findings: Vec<Finding>, rejected: bool| Item {
            range: 0..0,
            location: loc(part),
            origin: Origin::START,
            known: None,
            fixed: Some(Report {
                kind: None,
                schema: None,
                status: Status::Valid,
                findings: Vec::new(),
            }),
            extra: extra(findings, rejected),
        };
        if exchange.undocumented {
            items.push(bare(HarPart::Request, exchange.request, false));
            continue;
        }
        let request_extra = extra(exchange.request.clone(), exchange.rejected);
        let response_extra = extra(exchange.response.clone(), false);
        let has_request_body = har_kind(op, HarPart::Request, 0).is_some();
        if !has_request_body && !exchange.request.is_empty() {
            items.push(bare(HarPart::Request, exchange.request, exchange.rejected));
        }
        let mut push =
            |buf: &mut Vec<u8>, part, known: Option<Kind>, body: Result<Vec<u8>, Report>| {
                let extra = match part {
                    HarPart::Request => request_extra.clone(),
                    HarPart::Response => response_extra.clone(),
                };
                match body {
                    Ok(bytes) => {
                        let start = buf.len();
                        buf.extend_from_slice(&bytes);
                        let end = buf.len();
                        buf.push(b'\n');
                        items.push(Item {
                            range: start..end,
                            location: loc(part),
                            origin: Origin::START,
                            known,
                            fixed: None,
                            extra,
                        });
                    }
                    Err(report) => items.push(Item {
                        range: 0..0,
                        location: loc(part),
                        origin: Origin::START,
                        known,
                        fixed: Some(report),
                        extra,
                    }),
                }
            };

        // The request body.
        if let Some(kind) = har_kind(op, HarPart::Request, 0) {
            let mime = str_at(entry, "/request/postData/mimeType").unwrap_or("");
            let text = str_at(entry, "/request/postData/text");
            let payload_json = match entry.pointer("/request/postData/params").map(|p| &p.value) {
                Some(Value::Array(params)) => params.iter().find_map(|p| {
                    (str_at(p, "/name") == Some("payload_json"))
                        .then(|| str_at(p, "/value"))
                        .flatten()
                }),
                _ => None,
            };
            if let Some(pj) = payload_json {
                push(
                    &mut buf,
                    HarPart::Request,
                    Some(kind),
                    Ok(pj.as_bytes().to_vec()),
                );
            } else if mime.starts_with("multipart/") || mime.contains("form-urlencoded") {
                push(
                    &mut buf,
                    HarPart::Request,
                    Some(kind),
                    Err(Report::single(
                        Some(kind),
                        Code::NotJson,
                        format!("a {mime} request body (without a payload_json part) is not JSON; not validated"),
                    )),
                );
            } else if let Some(text) = text.filter(|t| !t.trim().is_empty()) {
                push(
                    &mut buf,
                    HarPart::Request,
                    Some(kind),
                    Ok(text.as_bytes().to_vec()),
                );
            } else {
                push(
                    &mut buf,
                    HarPart::Request,
                    Some(kind),
                    Err(Report::single(
                        Some(kind),
                        Code::NoBody,
                        "the HAR has no request body for this entry".into(),
                    )),
                );
            }
        }

        // The response body.
        if status == 204
            || (status < 400
                && matches!(
                    op,
                    HarOp::Invite {
                        target_users: true,
                        ..
                    }
                )
                && method.eq_ignore_ascii_case("PUT"))
        {
            // No content by design; what the exchange says of the response still counts.
            if !exchange.response.is_empty() {
                items.push(bare(HarPart::Response, exchange.response, false));
            }
            continue;
        }
        let kind = har_kind(op, HarPart::Response, status);
        let text = str_at(entry, "/response/content/text");
        let encoding = str_at(entry, "/response/content/encoding");
        let mime = str_at(entry, "/response/content/mimeType").unwrap_or("");
        let body: Result<Vec<u8>, Report> = match (status, kind, text) {
            (0, _, _) => Err(Report::single(
                kind,
                Code::NoBody,
                "no response was recorded (the request failed or was cancelled)".into(),
            )),
            (_, None, _) => Err(Report::single(
                None,
                Code::NotJson,
                format!("the response is not JSON ({}); nothing to validate", if mime.is_empty() { "no schema" } else { mime }),
            )),
            (_, Some(k), None) => Err(Report::single(
                Some(k),
                Code::NoBody,
                "the HAR has no response body for this entry (devtools drops bodies it did not keep)".into(),
            )),
            (_, Some(k), Some("")) => Err(Report::single(
                Some(k),
                Code::NoBody,
                "the response body in the HAR is empty".into(),
            )),
            // An HTML error page from a proxy, say: not a Discord payload.
            (_, Some(k), Some(_)) if !mime.is_empty() && !mime.contains("json") => {
                Err(Report::single(
                    Some(k),
                    Code::NotJson,
                    format!("the response is {mime}, not JSON; not validated"),
                ))
            }
            (_, Some(k), Some(t)) => {
                if encoding == Some("base64") {
                    base64::engine::general_purpose::STANDARD
                        .decode(t.trim())
                        .map_err(|e| {
                            Report::single(
                                Some(k),
                                Code::InvalidJson,
                                format!("the response body is marked base64 but does not decode: {e}"),
                            )
                        })
                } else {
                    Ok(t.as_bytes().to_vec())
                }
            }
        };
        push(&mut buf, HarPart::Response, kind, body);
    }
    (buf, items, ignored)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndjson_lines_keep_their_numbers() {
        let (items, breaks) = lines_to_items(b"{}\n\n  \n{\"a\":1}\r\n{", 7);
        let lines: Vec<_> = items.iter().map(|i| i.location.line).collect();
        assert_eq!(lines, vec![Some(7), Some(10), Some(11)]);
        assert_eq!(breaks, 4);
        assert_eq!(lines_to_items(b"{}\n{}\n", 1).1, 2);
        assert_eq!(lines_to_items(b"", 1).1, 0);
    }

    #[test]
    fn ndjson_sniffing() {
        assert!(looks_like_ndjson(b"{}\n{\n{}\n"));
        assert!(!looks_like_ndjson(b"{\n\"a\": 1\n"));
    }
}
