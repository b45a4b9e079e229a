//! `discord-invite validate`: a pipeline that keeps every core busy.
//!
//! - The **reader thread** reads paths into batches of payloads (NDJSON: about 4 MiB of whole
//!   lines), cuts each batch into chunks of a few hundred KiB and hands every chunk to the
//!   rayon pool at once (`rayon::spawn`); a HAR's batch (256 KiB of entries, not parsed yet)
//!   is one chunk, parsed by its worker, or by the reader thread itself when the workers are
//!   behind (`send_or_parse`). It sends the main thread, in input order, a slot per
//!   chunk (the receiving end of the chunk's result) and the other events (file start and end,
//!   unreadable paths). The slot channel is bounded, so the reader runs only a few batches
//!   ahead and memory stays flat.
//! - **Workers** validate a chunk's payloads and render them into one buffer per chunk
//!   (`--format json`; human output with `--max-repeats 0`), or, for human output with limits,
//!   count the chunk's distinct findings and keep only the payloads that may be printed. A
//!   worker never waits for the main thread; a huge JSON record (a payload of more than 32,768
//!   findings) it hands over unrendered.
//! - The **main thread** takes the slots in order, merges counts, decides (human output with
//!   limits) which occurrences are printed, and writes. It never waits for a whole batch: while
//!   it writes one chunk, the workers validate the next ones. A huge record it renders itself,
//!   a window of pieces at a time on the pool, each window written before the next is rendered,
//!   so the record is never held whole however slow the output.

use std::collections::VecDeque;
use std::io::{self, IsTerminal, Write};
use std::ops::Range;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::mpsc::{channel, sync_channel, Receiver, SyncSender, TryRecvError, TrySendError};
use std::sync::{Arc, Weak};
use std::thread;

use clap::ValueEnum;
use discord_invite::validate::input::{
    Batch, Event, FileFormat, Location, Reader, BATCH_BYTES, MAX_PAYLOAD_BYTES,
};
use discord_invite::validate::{Code, Kind, Options, Report};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::output::{self, ChunkFindings, Counts, Limits, Payload, Repeats, Style};
use crate::{formats, json_out};

/// A chunk ends after this many input bytes (whole payloads)...
const CHUNK_BYTES: usize = 256 << 10;
/// ... or this many payloads.
const CHUNK_PAYLOADS: usize = 1024;
/// Chunks (and other events) the reader may queue ahead of the main thread: with 256 KiB
/// chunks, about 8 MiB of input and its output in flight, plus the batches they belong to.
const SLOTS: usize = 32;
/// `--max-repeats` default.
pub const MAX_REPEATS: usize = 5;
/// `--max-error-repeats` default.
pub const MAX_ERROR_REPEATS: usize = 50;

/// Output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// rustc-style findings with source snippets (the unknown fields that follow one another
    /// in an object on one line after the first), per-file summaries and a total.
    Human,
    /// NDJSON: one record per payload (see docs/VALIDATE.md).
    Json,
    /// SARIF 2.1.0: one result per finding, for GitHub code scanning and IDEs.
    Sarif,
    /// JUnit XML: one test case per payload, a failure per error (per warning too with
    /// --strict), for CI dashboards.
    Junit,
    /// GitHub Actions workflow commands (::error file=…,line=…,col=…::message).
    Github,
    /// The summary and the most frequent findings as Markdown tables, for a PR comment.
    Markdown,
}

/// Which findings make the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    /// A finding at error severity (with --strict, also missing required fields and unknown
    /// enum values).
    Error,
    /// A finding at warning or error severity.
    Warning,
    /// None: exit 1 is never given (2 still is).
    Never,
}

/// `validate --help`'s last words: every exit code.
const EXIT_CODES: &str = "\
Exit codes:
  0  nothing at the --fail-on level (default: no finding at error severity)
  1  a finding at the --fail-on level: at error severity (--fail-on error, the default;
     with --strict, missing required fields and unknown enum values are errors too), at
     warning or error severity (--fail-on warning); never with --fail-on never
  2  a usage problem (unknown option or kind, no PATH), a path that could not be read (the
     other paths are still validated), no file read at all (e.g. a directory without a
     *.json, *.ndjson, *.jsonl or *.har file), output that could not be written, or an
     internal error";

/// When to colour human output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Color {
    /// When stdout is a terminal and NO_COLOR is unset.
    Auto,
    Always,
    Never,
}

/// Arguments of `validate`.
#[derive(Debug, clap::Args)]
#[command(after_help = EXIT_CODES)]
pub struct Args {
    /// Files (JSON, JSON array, NDJSON, HAR), directories (walked recursively), or `-` for stdin.
    #[arg(required = true, value_name = "PATH")]
    paths: Vec<PathBuf>,
    /// Validate payloads as this kind when neither a HAR entry nor a gateway envelope says
    /// (see `discord-invite schema export` for the list).
    #[arg(long, value_name = "NAME", value_parser = parse_kind)]
    kind: Option<Kind>,
    /// Treat the spec's required fields and closed enums as errors.
    #[arg(long)]
    strict: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    format: Format,
    /// Which findings make the exit code 1.
    #[arg(long, value_enum, value_name = "LEVEL", default_value_t = FailOn::Error)]
    fail_on: FailOn,
    /// Colour for human output.
    #[arg(long, value_enum, default_value_t = Color::Auto)]
    color: Color,
    /// Also list payloads that are valid without findings (human output), and the files a
    /// directory walk skipped for their name (a `skipped-file` note each; always counted).
    #[arg(short, long)]
    verbose: bool,
    /// With --format json: end with a summary record ({"summary": {...}}: the counts and the
    /// exit code), so a pipeline can tell the run was complete.
    #[arg(long)]
    summary: bool,
    /// Human output: print each distinct warning or note (same severity, code and JSON
    /// pointer, array indices ignored) in full only this many times; later ones are counted
    /// and summed up in a table at the end. 0: print every one.
    #[arg(long, value_name = "N", default_value_t = MAX_REPEATS)]
    max_repeats: usize,
    /// Like --max-repeats, for findings at error severity. 0: print every one.
    #[arg(long, value_name = "N", default_value_t = MAX_ERROR_REPEATS)]
    max_error_repeats: usize,
    /// Worker threads (default: every core).
    #[arg(short, long, value_name = "N")]
    jobs: Option<usize>,
    /// The largest payload read, in bytes: an NDJSON line, an array element, a HAR entry or a
    /// whole document beyond it is reported as `too-large` and not held in memory.
    #[arg(long, value_name = "BYTES", default_value_t = MAX_PAYLOAD_BYTES)]
    max_payload_bytes: usize,
    /// Batch size in bytes for NDJSON and JSON arrays (memory use is a few batches); a HAR's
    /// batches hold at most 256 KiB of entries, or this, if smaller.
    #[arg(long, value_name = "BYTES", default_value_t = BATCH_BYTES, hide = true)]
    batch_bytes: usize,
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    s.parse::<Kind>().map_err(|e| e.to_string())
}

/// What the reader thread sends the main thread, in input order.
enum Slot {
    /// A file starts or ends, or a path could not be read.
    Event(Event),
    /// A chunk of a batch, being validated by the pool: the receiving end of its result.
    Chunk(Receiver<Result<Part, ()>>),
}

/// What a worker sends for its chunk: output that goes before the rest of the chunk's, huge
/// records (see [`Huge`]), then the chunk's result.
enum Part {
    /// Output to write before the rest of the chunk's.
    Text(Vec<u8>),
    /// A huge record, which the main thread renders as it writes it.
    Huge(Box<Huge>),
    Done(Box<ChunkOut>),
}

/// A report with more findings than this has its JSON record rendered by the main thread
/// ([`Huge`]).
const PIECES_AT: usize = 1 << 15;

/// A report of more than [`PIECES_AT`] findings, for `--format json`: its record (hundreds of
/// MB for a million findings) is rendered by the main thread, a window of pieces at a time in
/// parallel, each written out before the next is rendered ([`json_out::write_record_in_pieces`]).
/// So the record is never held whole, however slow the output, and no worker ever waits for
/// the main thread. (Workers once rendered it themselves and waited while too much of their
/// output was unwritten; a later record's pieces, which the main thread writes only after the
/// current one's, were counted too, and two huge records in one run hung.)
struct Huge {
    batch: Arc<Batch>,
    /// The payload's index in the batch.
    index: usize,
    report: Report,
}

/// A worker's result for one chunk.
struct ChunkOut {
    batch: Arc<Batch>,
    /// Rendered output (JSON, or human output without limits).
    text: Vec<u8>,
    counts: Counts,
    /// Human output with limits: what may be printed.
    findings: Option<ChunkFindings>,
    /// Input bytes done (the batch's, on its last chunk; for the progress spinner).
    bytes: u64,
    /// HAR entries that are not invite endpoints (the batch's, on its last chunk).
    ignored: usize,
}

/// What workers need to know.
struct Job {
    options: Options,
    /// `options` with repeats capped as the output prints them (human output with limits,
    /// Markdown), for payloads of at least [`CAP_FROM`] bytes.
    capped: Option<Options>,
    format: Format,
    style: Style,
    limits: Limits,
    strict: bool,
    /// Buffers of huge records' pieces, given back by the thread that writes them out.
    spare: discord_invite::__private::BufPool,
    /// A report with more findings than this is a [`Huge`] record ([`PIECES_AT`]) ...
    pieces_at: usize,
    /// ... written in pieces of this many findings each ([`json_out::PIECE_FINDINGS`]).
    piece: usize,
}

impl Job {
    /// Whether workers count distinct findings (human output with limits, Markdown's table).
    fn counts_findings(&self) -> bool {
        match self.format {
            Format::Human => !self.limits.unlimited(),
            Format::Markdown => true,
            _ => false,
        }
    }
}

impl Job {
    /// Validates and renders a chunk; `hand` takes what goes out before the chunk is done: a
    /// huge record (a [`Part::Huge`]), after the output before it (a [`Part::Text`]).
    fn run(
        &self,
        batch: Arc<Batch>,
        range: Option<Range<usize>>,
        last: bool,
        hand: &mut dyn FnMut(Part),
    ) -> ChunkOut {
        // The whole batch (parsed here, if it is not yet).
        let range = range.unwrap_or_else(|| 0..batch.len());
        let mut text = Vec::new();
        if self.format == Format::Json {
            // Records are about 1.5 times an invite's size: grow the buffer once or twice at
            // most (capped: a chunk can be one huge document with a short record).
            let input: usize = range.clone().map(|i| batch.payload(i).len()).sum();
            text.reserve((input + input / 2 + 4096).min(2 * CHUNK_BYTES));
        }
        let mut counts = Counts::default();
        let mut findings = self.counts_findings().then(ChunkFindings::new);
        let mut human = String::new();
        let mut suite = Vec::new();
        let default = Location::default();
        for i in range {
            let options = match &self.capped {
                Some(capped) if batch.payload(i).len() >= CAP_FROM => capped,
                _ => &self.options,
            };
            let report = batch.report(i, options);
            counts.add(&report);
            let location = batch.location(i).unwrap_or(&default);
            match (self.format, &mut findings) {
                (Format::Json, _) if report.findings.len() > self.pieces_at => {
                    // What came before goes first.
                    if !text.is_empty() {
                        hand(Part::Text(std::mem::take(&mut text)));
                    }
                    hand(Part::Huge(Box::new(Huge {
                        batch: batch.clone(),
                        index: i,
                        report,
                    })));
                }
                (Format::Json, _) => {
                    json_out::write_record(&mut text, batch.source(), location, &report)
                }
                (Format::Sarif, _) => {
                    formats::sarif::results(&mut text, batch.source(), location, &report)
                }
                (Format::Github, _) => {
                    formats::github::commands(&mut human, batch.source(), location, &report)
                }
                (Format::Junit, _) => suite.push((location, report)),
                (Format::Human | Format::Markdown, Some(f)) => {
                    if output::listed(&self.style, &report) {
                        f.add(&self.style, &self.limits, i, report);
                    }
                }
                (Format::Markdown, None) => {}
                (Format::Human, None) => {
                    if output::listed(&self.style, &report) {
                        let p = Payload {
                            source: batch.source(),
                            location,
                            report: &report,
                            lines: Some((&batch, i)),
                        };
                        output::human(&mut human, &self.style, &p, None);
                    }
                }
            }
        }
        if !suite.is_empty() {
            formats::junit::suite(&mut human, batch.source(), &suite, self.strict);
        }
        if !human.is_empty() {
            text = human.into_bytes();
        }
        let (bytes, ignored) = if last {
            (batch.bytes(), batch.ignored())
        } else {
            (0, 0)
        };
        ChunkOut {
            batch,
            text,
            counts,
            findings,
            bytes,
            ignored,
        }
    }
}

/// Payloads from this size on are validated with repeats capped (human output and Markdown):
/// a smaller one cannot hold enough findings for their memory to matter, and is spared the
/// cap's check (2 % of the work on a corpus of invites).
const CAP_FROM: usize = 64 * 1024;

/// Sends `slot` to the main thread (`false`: it is gone). While the channel is full (the
/// workers are behind), the reader thread parses HAR batches still waiting for a worker,
/// newest first (the workers take the oldest), instead of waiting idle: with one worker
/// (`-j 1`) a HAR is still parsed beside the validating, and with more, by whoever is free.
/// A batch is parsed once, whoever gets to it first (another caller waits for it).
fn send_or_parse(
    tx: &SyncSender<Slot>,
    mut slot: Slot,
    unparsed: &mut VecDeque<Weak<Batch>>,
) -> bool {
    // The oldest are being parsed or done by now.
    while unparsed
        .front()
        .is_some_and(|b| b.upgrade().is_none_or(|b| b.is_parsed()))
    {
        unparsed.pop_front();
    }
    loop {
        match tx.try_send(slot) {
            Ok(()) => return true,
            Err(TrySendError::Disconnected(_)) => return false,
            Err(TrySendError::Full(back)) => {
                slot = back;
                let Some(batch) = unparsed.pop_back() else {
                    return tx.send(slot).is_ok();
                };
                if let Some(batch) = batch.upgrade().filter(|b| !b.is_parsed()) {
                    // A panic here is the worker's to report (it parses again and fails).
                    let _ = catch_unwind(AssertUnwindSafe(|| batch.len()));
                }
            }
        }
    }
}

/// Cuts a batch into chunks of whole payloads.
/// Renders a huge record a window of pieces at a time (in parallel, on the pool) and writes
/// each piece with `write` before the next window is rendered (`false` from `write`: the
/// output failed; the rest is not rendered). Whether every piece was written.
fn write_huge(job: &Job, huge: &Huge, write: &mut dyn FnMut(&[u8]) -> bool) -> bool {
    let default = Location::default();
    let location = huge.batch.location(huge.index).unwrap_or(&default);
    let ok = std::cell::Cell::new(true);
    json_out::write_record_in_pieces(
        huge.batch.source(),
        location,
        &huge.report,
        job.piece,
        &job.spare,
        |piece| {
            ok.set(ok.get() && write(&piece));
            job.spare.give(piece);
        },
        || ok.get(),
    );
    ok.get()
}

fn chunks(batch: &Batch) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let (mut start, mut bytes) = (0, 0);
    for i in 0..batch.len() {
        bytes += batch.payload(i).len() + 1;
        if bytes >= CHUNK_BYTES || i + 1 - start >= CHUNK_PAYLOADS {
            out.push(start..i + 1);
            start = i + 1;
            bytes = 0;
        }
    }
    if start < batch.len() {
        out.push(start..batch.len());
    }
    out
}

/// Runs the command; the exit code follows the README: 0, 1 on an error finding, 2 on an I/O
/// problem.
pub fn run(args: Args) -> ExitCode {
    if args.summary && args.format != Format::Json {
        eprintln!("error: --summary needs --format json (the other formats end with a summary of their own)");
        return ExitCode::from(2);
    }
    if let Some(n) = args.jobs {
        // Only fails if a pool already exists, which cannot happen here.
        let _ = rayon::ThreadPoolBuilder::new()
            .num_threads(n.max(1))
            .build_global();
    }
    let stdout = io::stdout();
    let style = Style {
        color: match args.color {
            Color::Always => true,
            Color::Never => false,
            Color::Auto => stdout.is_terminal() && std::env::var_os("NO_COLOR").is_none(),
        },
        verbose: args.verbose,
    };
    let limit = |n: usize| (n > 0).then_some(n);
    let limits = match args.format {
        // Markdown lists distinct findings, not occurrences: the first one is enough.
        Format::Markdown => Limits {
            others: Some(1),
            errors: Some(1),
        },
        _ => Limits {
            others: limit(args.max_repeats),
            errors: limit(args.max_error_repeats),
        },
    };
    let options = Options::new(args.kind, args.strict);
    // Only the first few of each kind are printed, and the rest counted: the validator counts
    // them without writing them (a million repeats cost counts, not findings).
    let capped = (args.format == Format::Markdown
        || (args.format == Format::Human && !limits.unlimited()))
    .then(|| options.with_max_repeats(limits.others, limits.errors));
    let job = Arc::new(Job {
        options,
        capped,
        format: args.format,
        style,
        limits,
        strict: args.strict,
        spare: json_out::spare(),
        pieces_at: PIECES_AT,
        piece: json_out::PIECE_FINDINGS,
    });
    let progress = progress_bar();
    let started = std::time::Instant::now();

    let (tx, slots) = sync_channel::<Slot>(SLOTS);
    let paths = args.paths.clone();
    let (batch_bytes, max_payload) = (args.batch_bytes, args.max_payload_bytes);
    let worker_job = job.clone();
    let reader = thread::spawn(move || {
        let events = Reader::new(paths)
            .batch_bytes(batch_bytes)
            .max_payload_bytes(max_payload);
        let mut unparsed = VecDeque::new();
        for event in events {
            let Event::Batch(batch) = event else {
                if !send_or_parse(&tx, Slot::Event(event), &mut unparsed) {
                    return;
                }
                continue;
            };
            let batch = Arc::new(batch);
            // A HAR's batch is small and not parsed yet: one chunk, parsed by its worker (or
            // by this thread, when the workers are behind: `send_or_parse`).
            let ranges = if batch.is_parsed() {
                chunks(&batch).into_iter().map(Some).collect()
            } else {
                unparsed.push_back(Arc::downgrade(&batch));
                vec![None]
            };
            let n = ranges.len();
            for (k, range) in ranges.into_iter().enumerate() {
                // Unbounded: a worker never blocks on it (it could hold up the pool while the
                // main thread waits for an earlier chunk); a huge record is handed over as its
                // report, which the main thread renders as it writes it.
                let (done, result) = channel();
                let (job, batch) = (worker_job.clone(), batch.clone());
                rayon::spawn(move || {
                    // A panic in the validator must not abort the process: the main thread
                    // reports it and exits with 2. (Once the main thread is gone, what is
                    // handed over is dropped.)
                    let mut hand = |part: Part| {
                        let _ = done.send(Ok(part));
                    };
                    let out = catch_unwind(AssertUnwindSafe(|| {
                        job.run(batch, range, k + 1 == n, &mut hand)
                    }));
                    match out {
                        Ok(out) => {
                            let _ = done.send(Ok(Part::Done(Box::new(out))));
                        }
                        Err(_) => {
                            let _ = done.send(Err(()));
                        }
                    }
                });
                if !send_or_parse(&tx, Slot::Chunk(result), &mut unparsed) {
                    return;
                }
            }
        }
    });

    let mut out = io::BufWriter::with_capacity(1 << 16, crate::stdout::bulk());
    let mut total = Counts::default();
    let mut file = Counts::default();
    let mut ignored = 0;
    let mut format = FileFormat::Json;
    let (mut files, mut bytes) = (0u64, 0u64);
    let mut unseen = output::Unseen::default();
    let mut repeats = Repeats::new(job.limits);
    let mut write_ok = true;
    let mut internal_error = false;
    let mut human = String::new();
    let mut file_rows: Vec<formats::markdown::FileRow> = Vec::new();
    // SARIF results are comma-separated across chunks; JUnit and SARIF have a head.
    let mut sarif_results = 0u64;
    let mut head = Vec::new();
    match job.format {
        Format::Sarif => formats::sarif::start(&mut head, job.strict),
        Format::Junit => {
            let mut h = String::new();
            formats::junit::start(&mut h);
            head = h.into_bytes();
        }
        _ => {}
    }
    if let Err(e) = out.write_all(&head) {
        write_ok = false;
        crate::stdout::failed(&e);
    }
    while write_ok {
        // Before waiting for more (a slow pipe, a FIFO with no writer yet), what is done is
        // shown: output never waits behind an input that blocks.
        let slot = match slots.try_recv() {
            Ok(slot) => slot,
            Err(TryRecvError::Empty) => {
                if let Err(e) = out.flush() {
                    write_ok = false;
                    crate::stdout::failed(&e);
                    break;
                }
                match slots.recv() {
                    Ok(slot) => slot,
                    Err(_) => break,
                }
            }
            Err(TryRecvError::Disconnected) => break,
        };
        human.clear();
        let mut text: Vec<u8> = Vec::new();
        match slot {
            Slot::Event(Event::FileStart { format: f, .. }) => {
                file = Counts::default();
                ignored = 0;
                format = f;
                files += 1;
            }
            Slot::Event(Event::FileEnd { source }) => {
                total.merge(&file);
                match job.format {
                    Format::Human => {
                        human = output::file_summary(&style, &source, format, &file, ignored);
                    }
                    Format::Markdown => file_rows.push(formats::markdown::FileRow {
                        source: source.to_string(),
                        format,
                        counts: file.clone(),
                    }),
                    _ => {}
                }
            }
            Slot::Event(Event::Failed(record) | Event::Skipped(record)) => {
                let code = record.report.findings.first().map(|f| f.code);
                match code {
                    // A special file found in a directory is a note, not a failure.
                    Some(Code::NotAFile) => unseen.not_read += 1,
                    Some(Code::SkippedFile) => unseen.skipped_files += 1,
                    Some(Code::NoPayloadFile) => unseen.empty_dirs += 1,
                    _ => unseen.failed += 1,
                }
                // An I/O problem is also told on stderr, whatever the format: a pipeline that
                // only keeps stdout (or a report file) must not miss it.
                for f in &record.report.findings {
                    if f.code == Code::IoError {
                        let res = match &progress {
                            Some(pb) => pb.suspend(|| {
                                writeln!(io::stderr(), "error[io-error]: {}", f.message())
                            }),
                            None => writeln!(io::stderr(), "error[io-error]: {}", f.message()),
                        };
                        let _ = res;
                    }
                }
                if code == Some(Code::SkippedFile) && !style.verbose {
                    continue;
                }
                match job.format {
                    Format::Json => json_out::write_record(
                        &mut text,
                        &record.source,
                        &record.location,
                        &record.report,
                    ),
                    Format::Sarif => formats::sarif::results(
                        &mut text,
                        &record.source,
                        &record.location,
                        &record.report,
                    ),
                    Format::Junit => formats::junit::unread(
                        &mut human,
                        &record.source,
                        &record.report,
                        job.strict,
                    ),
                    Format::Github => formats::github::commands(
                        &mut human,
                        &record.source,
                        &record.location,
                        &record.report,
                    ),
                    Format::Markdown => {}
                    Format::Human => {
                        let p = Payload {
                            source: &record.source,
                            location: &record.location,
                            report: &record.report,
                            lines: None,
                        };
                        output::human(&mut human, &style, &p, None);
                    }
                }
            }
            // The reader turns batches into chunks; nothing else arrives.
            Slot::Event(Event::Batch(_)) => {}
            Slot::Chunk(result) => {
                // Huge records first (and the output before each), written as they come.
                let mut piece_failed = false;
                let mut write = |piece: &[u8]| {
                    let res = match &progress {
                        Some(pb) => pb.suspend(|| out.write_all(piece)),
                        None => out.write_all(piece),
                    };
                    if let Err(e) = &res {
                        crate::stdout::failed(e);
                    }
                    res.is_ok()
                };
                let got = loop {
                    match result.recv() {
                        Ok(Ok(Part::Text(piece))) => {
                            if !write(&piece) {
                                piece_failed = true;
                                break None;
                            }
                        }
                        Ok(Ok(Part::Huge(huge))) => {
                            if !write_huge(&job, &huge, &mut write) {
                                piece_failed = true;
                                break None;
                            }
                            // Freed beside the output: a report of a million findings is a
                            // reference count each and hundreds of MB given back.
                            rayon::spawn(move || drop(huge));
                        }
                        Ok(Ok(Part::Done(chunk))) => break Some(chunk),
                        _ => break None,
                    }
                };
                if piece_failed {
                    write_ok = false;
                    break;
                }
                let Some(chunk) = got.map(|c| *c) else {
                    // The chunk's payloads are lost, not the rest of the run.
                    eprintln!(
                        "error: internal error while validating part of a file (a bug: please report it); going on"
                    );
                    internal_error = true;
                    continue;
                };
                file.merge(&chunk.counts);
                ignored += chunk.ignored;
                text = chunk.text;
                if let Some(mut findings) = chunk.findings {
                    if job.format == Format::Markdown {
                        repeats.merge_chunk(&chunk.batch, &mut findings);
                    } else {
                        repeats.print_chunk(&mut human, &style, &chunk.batch, &mut findings);
                    }
                    if findings.findings() > PIECES_AT {
                        // Freed beside the output (as a huge record's report is).
                        rayon::spawn(move || drop(findings));
                    }
                }
                bytes += chunk.bytes;
                if let (Some(pb), true) = (&progress, chunk.bytes > 0) {
                    // Only long runs get a spinner: it appears after the first second.
                    if pb.is_hidden() && started.elapsed() > std::time::Duration::from_secs(1) {
                        pb.set_draw_target(ProgressDrawTarget::stderr_with_hz(4));
                    }
                    pb.set_message(format!(
                        "{} MiB, {} payloads",
                        bytes >> 20,
                        total.payloads + file.payloads
                    ));
                }
            }
        }
        if text.is_empty() && human.is_empty() {
            continue;
        }
        if job.format == Format::Sarif && !text.is_empty() {
            // Each result comes with a comma before it; the first one does without.
            if sarif_results == 0 {
                text.remove(0);
            }
            sarif_results += 1;
        }
        let write = |out: &mut io::BufWriter<Box<dyn Write>>| {
            out.write_all(human.as_bytes())?;
            out.write_all(&text)
        };
        let res = match &progress {
            Some(pb) => pb.suspend(|| write(&mut out)),
            None => write(&mut out),
        };
        if let Err(e) = res {
            write_ok = false;
            crate::stdout::failed(&e);
            break;
        }
    }
    // Workers of a huge record wait for nobody now.
    if let Some(pb) = &progress {
        pb.finish_and_clear();
    }
    let findings_exit = match args.fail_on {
        FailOn::Error => total.errors > 0,
        FailOn::Warning => total.errors + total.warnings + unseen.empty_dirs > 0,
        FailOn::Never => false,
    };
    // Nothing read at all is not a pass: the paths were wrong, or held nothing to validate.
    let nothing_read = files == 0;
    if nothing_read && write_ok && unseen.failed == 0 {
        let skipped = unseen.skipped_files + unseen.not_read;
        let res = match &progress {
            Some(pb) => pb.suspend(|| nothing_read_message(skipped)),
            None => nothing_read_message(skipped),
        };
        let _ = res;
    }
    let code = if unseen.failed > 0 || nothing_read || !write_ok || internal_error {
        2
    } else {
        u8::from(findings_exit)
    };
    if write_ok {
        let tail = match job.format {
            Format::Human => {
                let mut t = repeats.table(&style);
                t.push_str(&output::total(&style, files, &total, &unseen));
                t.into_bytes()
            }
            Format::Sarif => {
                let mut t = Vec::new();
                formats::sarif::finish(&mut t, code);
                t
            }
            Format::Junit => {
                let mut t = String::new();
                formats::junit::finish(&mut t);
                t.into_bytes()
            }
            Format::Github => {
                let plain = Style {
                    color: false,
                    verbose: false,
                };
                output::total(&plain, files, &total, &unseen).into_bytes()
            }
            Format::Markdown => {
                formats::markdown::render(&file_rows, &total, &unseen, &repeats, code).into_bytes()
            }
            Format::Json if args.summary => {
                let mut t = Vec::new();
                json_out::write_summary(&mut t, files, &total, &unseen, code);
                t
            }
            Format::Json => Vec::new(),
        };
        if let Err(e) = out.write_all(&tail) {
            write_ok = false;
            crate::stdout::failed(&e);
        }
    }
    // Small outputs are still in the buffer: a full disk shows here, and is reported here
    // unless the loop already did.
    let flushed = match out.flush() {
        Ok(()) => true,
        Err(e) => {
            if write_ok {
                crate::stdout::failed(&e);
            }
            false
        }
    };
    drop(out);
    // On a write failure the reader may be blocked on a full channel: dropping the receiver
    // unblocks it.
    drop(slots);
    let _ = reader.join();

    if !write_ok || !flushed {
        ExitCode::from(2)
    } else {
        ExitCode::from(code)
    }
}

/// Says on stderr that no file was read.
fn nothing_read_message(skipped: u64) -> io::Result<()> {
    let mut err = io::stderr();
    if skipped > 0 {
        writeln!(
            err,
            "error: no file was read: {skipped} file{} found in the directories given {} not read for {} name or type (-v lists {}; name a file to read it whatever its name)",
            if skipped == 1 { "" } else { "s" },
            if skipped == 1 { "was" } else { "were" },
            if skipped == 1 { "its" } else { "their" },
            if skipped == 1 { "it" } else { "them" },
        )
    } else {
        writeln!(
            err,
            "error: no file was read: the directories given hold no *.json, *.ndjson, *.jsonl or *.har file"
        )
    }
}

/// A spinner for stderr, only when stderr is a terminal; hidden until the run proves long.
fn progress_bar() -> Option<ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let pb = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
    pb.set_style(
        ProgressStyle::with_template("{spinner} validating: {msg} [{elapsed}]")
            .unwrap_or_else(|_| ProgressStyle::default_spinner()),
    );
    pb.enable_steady_tick(std::time::Duration::from_millis(250));
    Some(pb)
}

#[cfg(test)]
mod tests {
    use discord_invite::validate::input::Reader;

    use super::*;

    #[test]
    fn a_huge_record_is_handed_to_the_main_thread_to_render() {
        // A small payload, then one of 3 pieces' worth of unknown fields, then a small one:
        // the first record goes out before the huge one, which the worker hands over as its
        // report (it renders nothing of it), the last stays in the chunk's text, and all
        // together, the huge one written in pieces, are the records `write_record` writes.
        let n = PIECES_AT + json_out::PIECE_FINDINGS;
        let members: Vec<String> = (0..n).map(|i| format!("\"k{i:07}\":1")).collect();
        let huge = format!("{{\"type\":0,\"code\":\"a\",{}}}", members.join(","));
        let small = r#"{"type":0,"code":"b","zz":1}"#;
        let batch = one_batch(format!("{small}\n{huge}\n{small}\n"));
        assert_eq!(batch.len(), 3);
        let job = json_job(PIECES_AT, json_out::PIECE_FINDINGS);
        let mut parts: Vec<Part> = Vec::new();
        let out = job.run(batch.clone(), Some(0..3), true, &mut |p| parts.push(p));
        let [Part::Text(first), Part::Huge(h)] = parts.as_slice() else {
            unreachable!("the first record, then the huge one")
        };
        assert_eq!(h.index, 1);
        let findings = h.report.findings.len();
        assert!(findings > PIECES_AT);
        // The main thread's rendering: the head, the findings in pieces, the tail.
        let mut pieces: Vec<Vec<u8>> = Vec::new();
        let written = write_huge(&job, h, &mut |p| {
            pieces.push(p.to_vec());
            true
        });
        assert!(written);
        assert_eq!(
            pieces.len(),
            2 + findings.div_ceil(json_out::PIECE_FINDINGS)
        );
        let largest = pieces.iter().map(Vec::len).max().unwrap_or(0);
        assert!(largest < 200 * json_out::PIECE_FINDINGS, "{largest} bytes");
        // An output that fails takes no more pieces, and no more are rendered than a window.
        let mut taken = 0;
        let failed = write_huge(&job, h, &mut |_| {
            taken += 1;
            taken < 2
        });
        assert!(!failed);
        let window = 2 * rayon::current_num_threads().max(1);
        assert!(
            taken <= 1 + window,
            "{taken} pieces offered after a failed write"
        );
        let mut want = Vec::new();
        let options = Options::default();
        for i in 0..3 {
            let location = batch.location(i).cloned().unwrap_or_default();
            let report = batch.report(i, &options);
            json_out::write_record(&mut want, batch.source(), &location, &report);
        }
        let mut got = first.clone();
        got.extend_from_slice(&pieces.concat());
        got.extend_from_slice(&out.text);
        assert!(got == want, "the pieces differ from the records");
        assert_eq!(out.counts.payloads, 3);
    }

    /// The first batch of NDJSON `text`.
    fn one_batch(text: String) -> Arc<Batch> {
        Reader::from_stream("t", std::io::Cursor::new(text))
            .find_map(|e| match e {
                Event::Batch(b) => Some(Arc::new(b)),
                _ => None,
            })
            .unwrap_or_else(|| unreachable!())
    }

    /// A HAR of two invite lookups, as one batch (not parsed yet).
    fn har_batch() -> Arc<Batch> {
        let entry = r#"{"request": {"method": "GET", "url": "https://discord.com/api/v10/invites/abc"},
            "response": {"status": 200, "content": {"text": "{\"type\":0,\"code\":\"abc\"}"}}}"#;
        let batch = one_batch(format!("{{\"log\": {{\"entries\": [{entry}, {entry}]}}}}"));
        assert!(!batch.is_parsed());
        batch
    }

    /// A slot with nothing behind it.
    fn slot() -> Slot {
        Slot::Chunk(channel().1)
    }

    #[test]
    fn the_reader_leaves_a_har_batch_to_the_workers_when_they_keep_up() {
        let batch = har_batch();
        let (tx, rx) = sync_channel(1);
        let mut unparsed = VecDeque::from([Arc::downgrade(&batch)]);
        assert!(send_or_parse(&tx, slot(), &mut unparsed));
        assert!(!batch.is_parsed(), "parsed on the reader thread");
        drop(rx);
        assert!(
            !send_or_parse(&tx, slot(), &mut unparsed),
            "the main thread is gone"
        );
    }

    #[test]
    fn the_reader_parses_a_waiting_har_batch_while_the_workers_are_behind() {
        let batch = har_batch();
        let (tx, rx) = sync_channel(1);
        assert!(send_or_parse(&tx, slot(), &mut VecDeque::new()));
        // The channel is full: the main thread takes the next slot only once the batch is
        // parsed (or, if it never is, after a while, to end the test rather than hang it).
        let watched = batch.clone();
        let main = thread::spawn(move || {
            let mut polls = 0;
            while !watched.is_parsed() && polls < 10_000 {
                thread::sleep(std::time::Duration::from_millis(1));
                polls += 1;
            }
            let parsed_first = watched.is_parsed();
            let taken = rx.iter().count();
            (parsed_first, taken)
        });
        let mut unparsed = VecDeque::from([Arc::downgrade(&batch)]);
        assert!(send_or_parse(&tx, slot(), &mut unparsed));
        drop(tx);
        let (parsed_first, taken) = main.join().unwrap_or_else(|_| unreachable!());
        assert!(parsed_first, "the reader waited instead of parsing");
        assert_eq!(taken, 2);
        assert_eq!(batch.len(), 2);
    }

    #[test]
    fn human_output_caps_the_repeats_of_large_payloads_only() {
        let job = Job {
            options: Options::default(),
            capped: Some(Options::default().with_max_repeats(Some(5), Some(50))),
            format: Format::Human,
            style: Style {
                color: false,
                verbose: false,
            },
            limits: Limits {
                others: Some(5),
                errors: Some(50),
            },
            ..json_job(PIECES_AT, json_out::PIECE_FINDINGS)
        };
        // One key repeated on every line: a `duplicate-key` finding each.
        let repeats = |n: usize| {
            let lines = vec!["\"k\":1"; n].join(",\n");
            one_batch(format!("{{\"type\":0,\"code\":\"a\",{lines}}}"))
        };
        let kept = |batch: Arc<Batch>| {
            let out = job.run(batch, None, true, &mut |_| {});
            out.findings.map_or(0, |f| f.findings())
        };
        // Under `CAP_FROM` bytes: every finding is in the report (the CLI counts them).
        let small = repeats(1_000);
        assert!(small.payload(0).len() < CAP_FROM);
        assert!(kept(small) > 1_000);
        // From it on: the validator lists five of the kind and counts the rest.
        let large = repeats(20_000);
        assert!(large.payload(0).len() >= CAP_FROM);
        assert!(kept(large) < 20, "the validator did not cap");
    }

    /// A document with `n` unknown fields, as a one-payload batch.
    fn unknown_fields(n: usize) -> Arc<Batch> {
        let members: Vec<String> = (0..n).map(|i| format!("\"k{i:05}\":1")).collect();
        one_batch(format!(
            "{{\"type\":0,\"code\":\"a\",{}}}\n",
            members.join(",")
        ))
    }

    /// A `--format json` job: reports of more than `pieces_at` findings in pieces of `piece`.
    fn json_job(pieces_at: usize, piece: usize) -> Job {
        Job {
            options: Options::default(),
            capped: None,
            format: Format::Json,
            style: Style {
                color: false,
                verbose: false,
            },
            limits: Limits {
                others: None,
                errors: None,
            },
            strict: false,
            spare: json_out::spare(),
            pieces_at,
            piece,
        }
    }

    #[test]
    fn huge_records_in_a_run_are_written_in_order_without_waiting() {
        // Two chunks with a huge record each, on the pool, both handing over before the main
        // thread reads anything (it once hung here: a worker waited for the main thread,
        // which waited for it). Every part arrives without the main thread's help.
        let job = Arc::new(json_job(100, 50));
        let batch = unknown_fields(4000);
        let results: Vec<Receiver<Result<Part, ()>>> = (0..2)
            .map(|_| {
                let (done, result) = channel();
                let (job, batch) = (job.clone(), batch.clone());
                rayon::spawn(move || {
                    let out = job.run(batch, None, true, &mut |p| {
                        let _ = done.send(Ok(p));
                    });
                    let _ = done.send(Ok(Part::Done(Box::new(out))));
                });
                result
            })
            .collect();
        let mut want = Vec::new();
        let location = batch.location(0).cloned().unwrap_or_default();
        json_out::write_record(
            &mut want,
            batch.source(),
            &location,
            &batch.report(0, &job.options),
        );
        for result in results {
            let mut got = Vec::new();
            loop {
                match result.recv() {
                    Ok(Ok(Part::Text(t))) => got.extend_from_slice(&t),
                    Ok(Ok(Part::Huge(h))) => {
                        assert!(write_huge(&job, &h, &mut |p| {
                            got.extend_from_slice(p);
                            true
                        }));
                    }
                    Ok(Ok(Part::Done(out))) => {
                        got.extend_from_slice(&out.text);
                        break;
                    }
                    _ => unreachable!("the worker failed"),
                }
            }
            assert!(got == want, "a huge record differs from write_record's");
        }
    }
}
