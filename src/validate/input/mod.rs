//! Readers: turn paths (files, directories, `-` for stdin) and streams into batches of
//! payloads.
//!
//! A file is one of:
//! - **one JSON document** (a payload, or a gateway envelope), read whole;
//! - **a JSON array** of payloads: each element is a payload, read one at a time;
//! - **NDJSON**: one payload per line. Chosen by extension (`.ndjson`, `.jsonl`, `.log`) or when
//!   the file's first line is a whole JSON value and more follows;
//! - **a HAR** export (`.har`, or any JSON document whose first `log` has an `entries` array):
//!   the request and response bodies of entries whose method and URL are an invite endpoint,
//!   read one entry at a time; other entries are counted as ignored ([`Batch::ignored`]). A
//!   HAR's batch holds its entries as read: they are parsed by the first call that needs its
//!   payloads, on the thread that makes it ([`Batch::is_parsed`]).
//!
//! Everything is read as a stream in bounded batches (about [`BATCH_BYTES`] of input), so memory
//! follows the batch size and the largest payload, not the file: a payload (an NDJSON line, an
//! array element, a HAR entry, a document) larger than [`Reader::max_payload_bytes`] is reported
//! as `too-large` and stepped over without being held. A file that stops being JSON part way
//! (a truncated export) gives its payloads up to that point, then an `invalid-json` record
//! where it breaks.
//!
//! Directories are walked recursively in name order, taking files named `*.json`, `*.ndjson`,
//! `*.jsonl` and `*.har` (a path named on the command line is read whatever its name, a FIFO or
//! a device included); a directory met twice through symlinks is walked once; a FIFO, socket
//! or device found in a directory is not opened (it could block forever or never end) but
//! reported with the note `not-a-file`. Nothing passes unseen: a file a walk does not take for
//! its name is an [`Event::Skipped`] with the note `skipped-file`, and a directory named to the
//! reader in which no file was read is an [`Event::Skipped`] with the warning
//! `no-payload-file`.
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
use std::io::{self, Read};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use serde::Serialize;

use super::exchange::{self, Extra};
use super::kind::{HarPart, Kind};
use super::{validate_payload, Code, Finding, Options, Origin, Report, Status};

mod file;
mod har;
mod scan;
mod source;

use file::{File, Limits};
use source::Source;

/// Input is read in batches of about this many bytes (whole payloads).
pub const BATCH_BYTES: usize = 4 << 20;

/// The largest payload read by default (see [`Reader::max_payload_bytes`]): far above anything
/// Discord sends, small enough that a few in flight fit in memory.
pub const MAX_PAYLOAD_BYTES: usize = 64 << 20;

/// Payloads per batch at most (a batch of tiny payloads holds a record per payload).
const BATCH_ITEMS: usize = 16 << 10;

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

impl Location {
    /// A payload that starts on `line` of its source.
    fn at_line(line: usize) -> Location {
        Location {
            line: Some(line),
            index: None,
            har: None,
        }
    }
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
    /// A file is done. (A HAR's entries that are not invite endpoints are counted by its
    /// batches: [`Batch::ignored`].)
    FileEnd {
        /// Its name.
        source: Arc<str>,
    },
    /// A path was not read: it could not be (the record holds an `io-error` finding), or it is
    /// a FIFO, socket or device found in a directory (a `not-a-file` note, status `skipped`).
    /// The run goes on.
    Failed(Record),
    /// A path passed over: a file found in a directory whose name a walk does not take (the
    /// note `skipped-file`, status `skipped`), or a directory named to the reader in which no
    /// file was read (the warning `no-payload-file`, status `warning`; sent after its walk).
    Skipped(Record),
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
    /// A HAR entry not parsed yet: its index in `log.entries` (`range` is its text, `origin`
    /// its place). It becomes the entry's payloads when the batch is first used.
    entry: Option<usize>,
}

/// Payloads from one file that share one buffer. Validate them in any order (or in parallel)
/// and emit in index order.
///
/// A HAR's batch holds its entries as read: the first call that needs its payloads (such as
/// [`Batch::len`]) parses them, on the calling thread, once. So a HAR's entries are parsed by
/// the threads that validate them, not by the one that reads the file (see
/// [`Batch::is_parsed`]).
#[derive(Debug)]
pub struct Batch {
    source: Arc<str>,
    buf: Vec<u8>,
    items: Vec<Item>,
    bytes: u64,
    /// Where an NDJSON batch's buffer goes back when the batch is dropped.
    pool: Option<Arc<BufPool>>,
    /// A HAR's batch: its entries' payloads, once parsed (`buf` and `items` hold the entries).
    har: Option<OnceLock<har::Parsed>>,
}

/// Byte buffers that can be used again, shared by threads: a fresh multi-megabyte buffer
/// each time costs page faults and zeroed pages. The NDJSON reader's batches use one; so do
/// the CLI's pieces of huge JSON records (through `__private`).
#[doc(hidden)]
pub struct BufPool {
    free: Mutex<Vec<Vec<u8>>>,
    /// Buffers kept at most.
    keep: usize,
    /// Larger buffers (grown for a huge line) are let go.
    max_capacity: usize,
    /// Buffers made anew (none was free), for tests that count them.
    fresh: std::sync::atomic::AtomicUsize,
}

/// Batch buffers kept for reuse (the reader runs only a few batches ahead).
const POOL_BUFFERS: usize = 2;

impl std::fmt::Debug for BufPool {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BufPool")
    }
}

impl BufPool {
    /// A pool that keeps up to `keep` buffers of up to `max_capacity` bytes.
    pub fn new(keep: usize, max_capacity: usize) -> BufPool {
        BufPool {
            free: Mutex::new(Vec::new()),
            keep,
            max_capacity,
            fresh: std::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// The pool of an NDJSON reader whose batches hold about `batch_bytes`.
    fn for_batches(batch_bytes: usize) -> BufPool {
        BufPool::new(
            POOL_BUFFERS,
            batch_bytes.saturating_mul(2).saturating_add(4 << 20),
        )
    }

    /// An empty buffer with room for `capacity` bytes, reused if one is free.
    pub fn take(&self, capacity: usize) -> Vec<u8> {
        let reused = self.free.lock().ok().and_then(|mut free| free.pop());
        match reused {
            Some(mut buf) => {
                buf.clear();
                buf.reserve(capacity);
                buf
            }
            None => {
                self.fresh
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                Vec::with_capacity(capacity)
            }
        }
    }

    /// Gives a buffer back (kept unless enough are, or it is larger than the pool keeps).
    pub fn give(&self, mut buf: Vec<u8>) {
        if buf.capacity() > self.max_capacity {
            return; // grown for a huge line: let it go
        }
        buf.clear();
        if let Ok(mut free) = self.free.lock() {
            if free.len() < self.keep {
                free.push(buf);
            }
        }
    }

    /// Buffers made anew so far (none was free).
    pub fn fresh(&self) -> usize {
        self.fresh.load(std::sync::atomic::Ordering::Relaxed)
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

    /// A HAR's batch: its entries, parsed (on the first call, once).
    fn parsed(&self) -> Option<&har::Parsed> {
        self.har
            .as_ref()
            .map(|p| p.get_or_init(|| har::parse_entries(&self.buf, &self.items)))
    }

    /// The payloads' buffer and items.
    fn parts(&self) -> (&[u8], &[Item]) {
        match self.parsed() {
            None => (&self.buf, &self.items),
            Some(p) => (&p.buf, &p.items),
        }
    }

    /// Whether the payloads are known without more work: `false` for a HAR's batch whose
    /// entries are not parsed yet (the first call that needs them parses them). A pipeline
    /// can hand such a batch to a worker thread before asking for its [`len`](Batch::len).
    pub fn is_parsed(&self) -> bool {
        self.har.as_ref().is_none_or(|p| p.get().is_some())
    }

    /// The number of payloads.
    pub fn len(&self) -> usize {
        self.parts().1.len()
    }

    /// Whether there are no payloads.
    pub fn is_empty(&self) -> bool {
        self.parts().1.is_empty()
    }

    /// HAR entries of this batch that are not invite endpoints: counted, not validated (no
    /// payload); 0 for other files.
    ///
    /// ```
    /// use discord_invite::validate::input::{Event, Reader};
    ///
    /// let har = r#"{"log": {"entries": [
    ///   {"request": {"method": "GET", "url": "https://discord.com/api/v10/gateway"},
    ///    "response": {"status": 200, "content": {"text": "{}"}}},
    ///   {"request": {"method": "GET", "url": "https://discord.com/api/v10/invites/abc"},
    ///    "response": {"status": 200, "content": {"text": "{\"type\":0,\"code\":\"abc\"}"}}}
    /// ]}}"#;
    /// for event in Reader::from_stream("capture.har", std::io::Cursor::new(har)) {
    ///     if let Event::Batch(batch) = event {
    ///         assert!(!batch.is_parsed()); // the entries are parsed on first use
    ///         assert_eq!((batch.len(), batch.ignored()), (1, 1));
    ///         assert!(batch.is_parsed());
    ///     }
    /// }
    /// ```
    pub fn ignored(&self) -> usize {
        self.parsed().map_or(0, |p| p.ignored)
    }

    /// Input bytes this batch covers (for progress).
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// Validates payload `index` (`0..len()`).
    pub fn validate(&self, index: usize, options: &Options) -> Record {
        Record {
            source: self.source.clone(),
            location: self.parts().1[index].location.clone(),
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
        let (buf, items) = self.parts();
        let item = &items[index];
        let mut report = match &item.fixed {
            Some(r) => r.clone(),
            None => validate_payload(&buf[item.range.clone()], item.known, item.origin, options),
        };
        if let Some(extra) = &item.extra {
            exchange::apply(&mut report, extra);
        }
        report
    }

    /// Where payload `index` is in its source (`None` out of range).
    pub fn location(&self, index: usize) -> Option<&Location> {
        self.parts().1.get(index).map(|item| &item.location)
    }

    /// The bytes of payload `index` as read (a HAR body after base64 decoding; empty for a
    /// body that is missing).
    pub fn payload(&self, index: usize) -> &[u8] {
        let (buf, items) = self.parts();
        items
            .get(index)
            .map_or(&[][..], |item| &buf[item.range.clone()])
    }

    /// Validates every payload, in order.
    pub fn validate_all(&self, options: &Options) -> Vec<Record> {
        (0..self.len()).map(|i| self.validate(i, options)).collect()
    }

    /// The source line holding a finding of payload `index`, without its line break. Lossy for
    /// invalid UTF-8. The whole line, however long (a one-line file is one line): for snippets,
    /// [`Batch::snippet`] reads a bounded part of it.
    pub fn line_of(&self, index: usize, finding: &Finding) -> Option<String> {
        self.line_bytes(index, finding)
            .map(|line| String::from_utf8_lossy(line).into_owned())
    }

    /// Like [`Batch::line_of`], borrowed and as bytes (no copy).
    pub fn line_bytes(&self, index: usize, finding: &Finding) -> Option<&[u8]> {
        let (buf, items) = self.parts();
        let item = items.get(index)?;
        let offset = finding.offset()?;
        let at = item.range.start.saturating_add(offset).min(buf.len());
        let start = memchr::memrchr(b'\n', &buf[..at]).map_or(0, |i| i + 1);
        let end = memchr::memchr(b'\n', &buf[at..]).map_or(buf.len(), |i| at + i);
        let line = &buf[start..end];
        Some(line.strip_suffix(b"\r").unwrap_or(line))
    }

    /// The source text around a finding of payload `index`, for a snippet: its line, cut to
    /// [`Snippet::REACH`] bytes on either side of the finding's position, so that printing a
    /// finding costs the same on a one-line 2 GB file as on a short line.
    pub fn snippet(&self, index: usize, finding: &Finding) -> Option<Snippet<'_>> {
        let (buf, items) = self.parts();
        let item = items.get(index)?;
        if item.fixed.is_some() {
            return None;
        }
        let offset = finding.offset()?;
        let at = item.range.start.saturating_add(offset).min(buf.len());
        let low = at.saturating_sub(Snippet::REACH);
        let start = memchr::memrchr(b'\n', &buf[low..at]).map(|i| low + i + 1);
        let high = at.saturating_add(Snippet::REACH).min(buf.len());
        let end = memchr::memchr(b'\n', &buf[at..high]).map(|i| at + i);
        // Cut at character boundaries (a continuation byte never starts a character).
        let mut from = start.unwrap_or(low);
        while start.is_none() && from < at && buf[from] & 0xC0 == 0x80 {
            from += 1;
        }
        let mut to = end.unwrap_or(high);
        while end.is_none() && to > at && to < buf.len() && buf[to] & 0xC0 == 0x80 {
            to -= 1;
        }
        let after = &buf[at..to];
        let after = if end.is_some() {
            after.strip_suffix(b"\r").unwrap_or(after)
        } else {
            after
        };
        Some(Snippet {
            before: &buf[from..at],
            after,
            cut_before: start.is_none() && low > 0,
            cut_after: end.is_none() && high < buf.len(),
        })
    }
}

/// The source text around a finding ([`Batch::snippet`]): the part of its line before the
/// finding's position and the part from it on, each at most [`Snippet::REACH`] bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Snippet<'a> {
    /// The line before the position.
    pub before: &'a [u8],
    /// The line from the position on, without the line break.
    pub after: &'a [u8],
    /// Whether the line goes on before `before` (it was cut).
    pub cut_before: bool,
    /// Whether the line goes on after `after` (it was cut).
    pub cut_after: bool,
}

impl Snippet<'_> {
    /// The most bytes a snippet shows on either side of the position: enough for 128
    /// characters of any UTF-8 width.
    pub const REACH: usize = 512;
}

enum Arg {
    /// A path, and whether it was named to the reader (not found in a walk).
    Path(PathBuf, bool),
    Stdin,
    Stream(Arc<str>, Box<dyn Read + Send>),
    /// A FIFO, socket or device found in a directory, and what it is: not opened.
    Special(PathBuf, &'static str),
    /// A file found in a directory whose name a walk does not take.
    Unwanted(PathBuf),
    /// The walk of a directory named to the reader is over; what was counted when it began.
    DirEnd(PathBuf, Tally),
}

/// What the reader has done so far (to tell whether a directory's walk read anything).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Tally {
    /// Files opened and read (a `FileStart`, at least).
    opened: usize,
    /// Files that could not be opened.
    failed: usize,
    /// Files passed over for their name, or for not being regular files.
    skipped: usize,
}

/// Reads paths and streams into [`Event`]s. An [`Iterator`]; I/O problems become
/// [`Event::Failed`] and the reader goes on with the next path.
pub struct Reader {
    args: VecDeque<Arg>,
    ready: VecDeque<Event>,
    current: Option<File>,
    visited: HashSet<PathBuf>,
    limits: Limits,
    pool: Arc<BufPool>,
    tally: Tally,
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
            current: None,
            visited: HashSet::new(),
            limits: Limits {
                batch_bytes: BATCH_BYTES,
                max_payload: MAX_PAYLOAD_BYTES,
            },
            pool: Arc::new(BufPool::for_batches(BATCH_BYTES)),
            tally: Tally::default(),
        }
    }

    /// A reader over one stream (a pipe, a socket, anything that reads), named `source` in
    /// the records; sniffed like a file without a name.
    ///
    /// ```
    /// use discord_invite::validate::input::{Event, Reader};
    /// let data = "{\"code\": \"abc\", \"uses\": 1}\n{\"code\": 7, \"uses\": 2}\n";
    /// let batches = Reader::from_stream("<pipe>", std::io::Cursor::new(data))
    ///     .filter(|e| matches!(e, Event::Batch(_)))
    ///     .count();
    /// assert_eq!(batches, 1);
    /// ```
    pub fn from_stream(source: &str, stream: impl Read + Send + 'static) -> Reader {
        let mut reader = Reader::new(std::iter::empty::<&Path>());
        reader
            .args
            .push_back(Arg::Stream(Arc::from(source), Box::new(stream)));
        reader
    }

    /// Sets the batch size in bytes (default [`BATCH_BYTES`]; a HAR's batches hold at most
    /// 256 KiB of entries, or this, if smaller).
    pub fn batch_bytes(mut self, bytes: usize) -> Reader {
        self.limits.batch_bytes = bytes.max(1);
        self.pool = Arc::new(BufPool::for_batches(self.limits.batch_bytes));
        self
    }

    /// Sets the largest payload read, in bytes (default [`MAX_PAYLOAD_BYTES`]): an NDJSON
    /// line, an array element, a HAR entry or a whole document beyond it is reported as
    /// `too-large` and not held in memory.
    pub fn max_payload_bytes(mut self, bytes: usize) -> Reader {
        self.limits.max_payload = bytes.max(1);
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
            Arg::Stdin => self.stream(Arc::from("<stdin>"), Box::new(io::stdin()), None),
            Arg::Stream(name, stream) => self.stream(name, stream, None),
            Arg::Special(path, what) => {
                self.tally.skipped += 1;
                let name = path.display().to_string();
                self.ready.push_back(Event::Failed(Record {
                    source: Arc::from(name.as_str()),
                    location: Location::default(),
                    report: Report::single(
                        None,
                        Code::NotAFile,
                        format!(
                            "{name} is {what}, not a regular file: not read (name it on the command line to read it as a stream)"
                        ),
                    ),
                }));
            }
            Arg::Unwanted(path) => {
                self.tally.skipped += 1;
                let name = path.display().to_string();
                self.ready.push_back(Event::Skipped(Record {
                    source: Arc::from(name.as_str()),
                    location: Location::default(),
                    report: Report::single(
                        None,
                        Code::SkippedFile,
                        format!(
                            "{name} is not read: a directory walk reads only *.json, *.ndjson, *.jsonl and *.har files (name it on the command line to read it)"
                        ),
                    ),
                }));
            }
            Arg::DirEnd(path, before) => self.dir_end(&path, before),
            Arg::Path(path, named) => {
                let name = path.display().to_string();
                let meta = match fs::metadata(&path) {
                    Ok(m) => m,
                    Err(e) => {
                        self.tally.failed += 1;
                        return self.failed(&name, format!("cannot read {name}: {e}"));
                    }
                };
                if meta.is_dir() {
                    if named {
                        // After everything the walk finds: was anything read?
                        self.args.push_front(Arg::DirEnd(path.clone(), self.tally));
                    }
                    return self.walk(&path, &name);
                }
                // A file, or a FIFO or device named on the command line: read as a stream
                // either way (a payload at a time, up to the payload limit).
                match fs::File::open(&path) {
                    Ok(f) => {
                        let ext = path
                            .extension()
                            .and_then(|e| e.to_str())
                            .map(str::to_ascii_lowercase);
                        self.tally.opened += 1;
                        self.stream(Arc::from(name.as_str()), Box::new(f), ext);
                    }
                    Err(e) => {
                        self.tally.failed += 1;
                        self.failed(&name, format!("cannot open {name}: {e}"));
                    }
                }
            }
        }
    }

    /// The walk of `dir` (named to the reader) is over: a warning if no file was read in it.
    fn dir_end(&mut self, dir: &Path, before: Tally) {
        let now = self.tally;
        if now.opened > before.opened {
            return;
        }
        let name = dir.display().to_string();
        let (failed, skipped) = (now.failed - before.failed, now.skipped - before.skipped);
        let mut why = Vec::new();
        if failed > 0 {
            why.push(format!("{failed} could not be opened"));
        }
        if skipped > 0 {
            why.push(format!(
                "{skipped} file{} skipped for {} name or type",
                if skipped == 1 { "" } else { "s" },
                if skipped == 1 { "its" } else { "their" }
            ));
        }
        let message = if why.is_empty() {
            format!(
                "no file was read in {name}: it holds no *.json, *.ndjson, *.jsonl or *.har file"
            )
        } else {
            format!(
                "no file was read in {name}: it holds no readable *.json, *.ndjson, *.jsonl or *.har file ({})",
                why.join("; ")
            )
        };
        let mut report = Report::single(None, Code::NoPayloadFile, message);
        report.status = Status::Warning;
        self.ready.push_back(Event::Skipped(Record {
            source: Arc::from(name.as_str()),
            location: Location::default(),
            report,
        }));
    }

    fn stream(&mut self, source: Arc<str>, reader: Box<dyn Read + Send>, ext: Option<String>) {
        self.current = Some(File::new(
            source,
            Source::new(reader),
            ext,
            self.limits,
            self.pool.clone(),
        ));
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
        let mut children: Vec<(PathBuf, Kid)> = Vec::new();
        for entry in entries {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    self.failed(name, format!("cannot read directory {name}: {e}"));
                    continue;
                }
            };
            let path = entry.path();
            // Through symlinks: what the name leads to.
            let kind = match fs::metadata(&path) {
                Ok(m) if m.is_dir() => Kid::Dir,
                Ok(m) if !m.is_file() => Kid::Special(special_kind(&m)),
                // A broken link is opened (and reported as unreadable) like a file.
                _ => Kid::File,
            };
            let wanted = path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()));
            let kind = match kind {
                Kid::Dir => Kid::Dir,
                _ if !wanted => Kid::Unwanted,
                other => other,
            };
            children.push((path, kind));
        }
        children.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, kind) in children.into_iter().rev() {
            self.args.push_front(match kind {
                Kid::Special(what) => Arg::Special(path, what),
                Kid::Unwanted => Arg::Unwanted(path),
                Kid::Dir | Kid::File => Arg::Path(path, false),
            });
        }
    }
}

/// What a directory entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kid {
    Dir,
    File,
    /// A FIFO, socket or device: not opened.
    Special(&'static str),
    /// Not a directory, and not a name a walk takes: not opened.
    Unwanted,
}

/// The name of a file type that is neither a regular file nor a directory.
fn special_kind(meta: &fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_socket() {
            return "a socket";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
    }
    let _ = meta;
    "not a regular file"
}

impl Iterator for Reader {
    type Item = Event;

    fn next(&mut self) -> Option<Event> {
        loop {
            if let Some(e) = self.ready.pop_front() {
                return Some(e);
            }
            if let Some(file) = &mut self.current {
                if file.step(&mut self.ready) {
                    self.current = None;
                }
                continue;
            }
            let arg = self.args.pop_front()?;
            self.open(arg);
        }
    }
}

#[cfg(test)]
mod tests;
