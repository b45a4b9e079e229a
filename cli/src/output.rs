//! Human output (rustc-style, colour on a TTY): payloads, findings with snippets, summaries,
//! and the bookkeeping that keeps huge runs readable (`--max-repeats`).

use std::fmt::Write as _;
use std::hash::Hasher as _;

use rustc_hash::FxHashMap;

use discord_invite::validate::input::{Batch, FileFormat, Location, Snippet};
use discord_invite::validate::{
    push_pointer_pattern, Code, Finding, Omitted, Report, Severity, Status,
};

/// How findings are printed.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    /// ANSI colours.
    pub color: bool,
    /// `-v`: also list valid payloads and other gateway events.
    pub verbose: bool,
}

/// Widest source line shown around a caret, in characters.
const SNIPPET_WIDTH: usize = 100;

/// Names listed in the line that groups an object's unknown fields.
const GROUP_NAMES: usize = 8;

/// The pointer of the object or array that holds the value at `pointer`.
fn parent_of(pointer: &str) -> &str {
    pointer.rfind('/').map_or("", |i| &pointer[..i])
}

/// Rows of the repeated-findings table (rows at error severity come first).
const TABLE_ROWS: usize = 20;

impl Style {
    fn paint(&self, out: &mut String, code: &str, text: &str) {
        if self.color {
            out.push_str("\x1b[");
            out.push_str(code);
            out.push('m');
            out.push_str(text);
            out.push_str("\x1b[0m");
        } else {
            out.push_str(text);
        }
    }

    fn painted(&self, code: &str, text: &str) -> String {
        let mut s = String::new();
        self.paint(&mut s, code, text);
        s
    }
}

fn severity_colour(s: Severity) -> &'static str {
    match s {
        Severity::Error => "1;31",
        Severity::Warning => "1;33",
        Severity::Note => "1;36",
    }
}

fn status_colour(s: Status) -> &'static str {
    match s {
        Status::Error => "1;31",
        Status::Warning => "1;33",
        Status::Valid => "1;32",
        Status::Skipped => "1;36",
    }
}

/// A payload skipped only because it is not invite-related (another gateway event): listed
/// with `-v` and in JSON, counted in the summaries.
fn is_not_invite(report: &Report) -> bool {
    report.status == Status::Skipped && report.findings.iter().all(|f| f.code == Code::NotInvite)
}

/// Whether human output lists a payload: not when it is valid without findings or another
/// gateway event, unless verbose.
pub fn listed(style: &Style, report: &Report) -> bool {
    let quiet = report.findings.is_empty() && report.omitted.is_empty();
    style.verbose || !(quiet && report.status == Status::Valid || is_not_invite(report))
}

/// One payload to print: where it is, its verdict, and its source lines (for snippets; `None`
/// for I/O failures).
pub struct Payload<'a> {
    /// The file, or `<stdin>`.
    pub source: &'a str,
    /// Where in the file.
    pub location: &'a Location,
    /// The verdict.
    pub report: &'a Report,
    /// The batch and index of the payload, for source lines.
    pub lines: Option<(&'a Batch, usize)>,
}

/// Appends one payload: its `==>` line and its findings, only those marked in `shown` when
/// given (then a line counts the rest).
pub fn human(out: &mut String, style: &Style, p: &Payload<'_>, shown: Option<&[bool]>) {
    let r = p.report;
    style.paint(out, "1;34", "==>");
    out.push(' ');
    where_(out, p.source, p.location, r.kind.is_some());
    out.push_str(": ");
    match (r.kind, r.schema) {
        (Some(k), Some(s)) if !k.in_upstream_spec() => {
            let _ = write!(out, "{k} ({s}, from Discord's docs)");
        }
        (Some(k), Some(s)) => {
            let _ = write!(out, "{k} ({s})");
        }
        (Some(k), None) => {
            let _ = write!(out, "{k}");
        }
        // What a HAR exchange says about a request without a body, or a body of no kind.
        (None, _) if p.location.har.is_some() => out.push_str("exchange"),
        // A path that was not read (a record of the reader, not of a payload).
        (None, _) if p.lines.is_none() && *p.location == Location::default() => {
            out.push_str("path")
        }
        (None, _) => out.push_str("payload"),
    }
    out.push_str(": ");
    style.paint(out, status_colour(r.status), r.status.as_str());
    out.push('\n');
    // The findings the validator only counted are repeats too.
    let mut hidden: usize = r.omitted.iter().map(|o| o.count).sum();
    let is_shown = |i: usize| shown.is_none_or(|s| s.get(i).copied().unwrap_or(false));
    let findings = &r.findings;
    let mut i = 0;
    while i < findings.len() {
        let f = &findings[i];
        i += 1;
        if !is_shown(i - 1) {
            hidden += 1;
            continue;
        }
        finding(out, style, p, f);
        if f.code != Code::UnknownField {
            continue;
        }
        // The unknown fields that follow in the same object: one line, the way rustc groups
        // unused imports (each is still a finding: counted, and listed by --format json).
        let parent = parent_of(f.pointer());
        let mut more = 0usize;
        let mut names = String::new();
        while let Some(g) = findings.get(i) {
            if g.code != Code::UnknownField
                || g.severity != f.severity
                || parent_of(g.pointer()) != parent
            {
                break;
            }
            if is_shown(i) {
                if more < GROUP_NAMES {
                    names.push_str(if more == 0 { "`" } else { ", `" });
                    push_visible(
                        &mut names,
                        g.pointer().get(parent.len() + 1..).unwrap_or(""),
                    );
                    names.push('`');
                }
                more += 1;
            } else {
                hidden += 1;
            }
            i += 1;
        }
        if more > 0 {
            out.push_str("  = ");
            push_uint(out, more);
            out.push_str(" more unknown field");
            out.push_str(plural(more as u64));
            out.push_str(" in this object: ");
            out.push_str(&names);
            if more > GROUP_NAMES {
                out.push_str(" and ");
                push_uint(out, more - GROUP_NAMES);
                out.push_str(" more");
            }
            out.push('\n');
        }
    }
    if hidden > 0 {
        let _ = writeln!(
            out,
            "  … and {hidden} more finding{}, repeat{} of findings shown above",
            plural(hidden as u64),
            plural(hidden as u64)
        );
    }
}

fn where_(out: &mut String, source: &str, loc: &Location, body: bool) {
    out.push_str(source);
    if let Some(h) = &loc.har {
        if body {
            let _ = write!(out, " {loc}");
        } else {
            let part = h.part.as_str();
            let _ = write!(out, " entry {} {part} ({} {})", h.entry, h.method, h.url);
        }
    } else {
        match (loc.index, loc.line) {
            (Some(i), Some(l)) => {
                let _ = write!(out, ":{l} [{i}]");
            }
            (None, Some(l)) => {
                let _ = write!(out, ":{l}");
            }
            _ => {}
        }
    }
}

fn finding(out: &mut String, style: &Style, p: &Payload<'_>, f: &Finding) {
    style.paint(out, severity_colour(f.severity), f.severity.as_str());
    if style.color {
        out.push_str("\x1b[1m[");
        out.push_str(f.code.as_str());
        out.push_str("]:\x1b[0m ");
    } else {
        out.push('[');
        out.push_str(f.code.as_str());
        out.push_str("]: ");
    }
    push_visible(out, f.message());
    out.push('\n');
    out.push_str("  ");
    style.paint(out, "1;34", "-->");
    out.push(' ');
    out.push_str(p.source);
    let pointer = |out: &mut String| {
        if !f.pointer().is_empty() {
            out.push_str(" at ");
            push_visible(out, f.pointer());
        }
        out.push('\n');
    };
    let (Some(line), Some(col)) = (f.line(), f.column()) else {
        pointer(out);
        return;
    };
    if p.location.har.is_some() && !f.code.is_exchange() {
        let _ = write!(out, " {}, body line {line}, column {col}", p.location);
    } else {
        out.push(':');
        push_uint(out, line);
        out.push(':');
        push_uint(out, col);
    }
    pointer(out);
    let Some(snippet) = p.lines.and_then(|(b, i)| b.snippet(i, f)) else {
        return;
    };
    #[cfg(test)]
    tests::count_read(snippet.before.len() + snippet.after.len());
    let (shown, caret) = window(&snippet);
    let mut digits = [0u8; 20];
    let gutter = uint_str(&mut digits, line);
    let pad = |out: &mut String| push_spaces(out, gutter.len());
    pad(out);
    out.push(' ');
    style.paint(out, "1;34", "|");
    out.push('\n');
    style.paint(out, "1;34", gutter);
    out.push(' ');
    style.paint(out, "1;34", "|");
    out.push(' ');
    out.push_str(&shown);
    out.push('\n');
    pad(out);
    out.push(' ');
    style.paint(out, "1;34", "|");
    out.push(' ');
    if style.color {
        out.push_str("\x1b[");
        out.push_str(severity_colour(f.severity));
        out.push('m');
    }
    push_spaces(out, caret);
    out.push('^');
    if style.color {
        out.push_str("\x1b[0m");
    }
    out.push('\n');
}

/// `n` in decimal, written at the end of `buf`.
fn uint_str(buf: &mut [u8; 20], mut n: usize) -> &str {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    // Only ASCII digits were written.
    std::str::from_utf8(&buf[at..]).unwrap_or("?")
}

/// The most characters of a message or pointer the human output prints (a key of a megabyte
/// is named by its start; `--format json` has it whole).
const VISIBLE_CHARS: usize = 300;

/// Appends `text` (a message or pointer, which may quote the payload's keys and values) so
/// that a terminal shows it as it is: control characters (C0, DEL, C1) are written as
/// escapes (`\n`, `\u{1b}`), so a payload cannot move the cursor, recolour or forge output
/// lines, and text longer than [`VISIBLE_CHARS`] characters is cut, saying how much was left.
fn push_visible(out: &mut String, text: &str) {
    let plain = text.len() <= VISIBLE_CHARS && text.bytes().all(|b| (0x20..0x7f).contains(&b))
        || !text.chars().any(hidden) && text.chars().nth(VISIBLE_CHARS).is_none();
    if plain {
        out.push_str(text);
        return;
    }
    for (n, (at, c)) in text.char_indices().enumerate() {
        if n == VISIBLE_CHARS {
            out.push_str("… (");
            push_uint(out, text.len() - at);
            out.push_str(" more bytes)");
            return;
        }
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if hidden(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
}

/// A character a terminal acts on rather than shows: a control character, or a bidirectional
/// override or isolate (which reorders what follows it on the line).
fn hidden(c: char) -> bool {
    c.is_control() || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Appends `n` in decimal, without the formatting machinery (a line per finding).
fn push_uint(out: &mut String, n: usize) {
    let mut buf = [0u8; 20];
    out.push_str(uint_str(&mut buf, n));
}

/// Appends `n` spaces.
fn push_spaces(out: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        out.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// The part of a line to show around a finding, and the caret's 0-based position within it.
/// Tabs become spaces so the caret lines up. The snippet holds at most a few hundred bytes on
/// either side of the position (however long the line), which is more than is shown: a line
/// of up to [`SNIPPET_WIDTH`] characters is shown whole, a longer one from a third of the width
/// before the caret, cut with `…`.
fn window(snippet: &Snippet<'_>) -> (String, usize) {
    if let Some(w) = window_ascii(snippet) {
        return w;
    }
    let (before, after) = (text(snippet.before), text(snippet.after));
    // A tab is a space; other control characters (the NULs of a UTF-16 file) are shown as
    // U+FFFD, not sent to the terminal.
    let untab = |s: &str| s.chars().map(printable).collect::<String>();
    const W: usize = SNIPPET_WIDTH;
    // Characters on either side, counted up to one more than could be shown.
    let nb = before.chars().rev().take(W + 1).count();
    let na = after.chars().take(W + 1).count();
    if !snippet.cut_before && !snippet.cut_after && nb + na <= W {
        return (untab(&format!("{before}{after}")), nb);
    }
    // A third of the width before the caret, the rest after it.
    let lead = nb.min(W / 3);
    let from = match lead {
        0 => before.len(),
        _ => before
            .char_indices()
            .rev()
            .nth(lead - 1)
            .map_or(0, |(i, _)| i),
    };
    let shown_after = (W - lead).min(na);
    let to = after
        .char_indices()
        .nth(shown_after)
        .map_or(after.len(), |(i, _)| i);
    let mut s = String::with_capacity(W + 8);
    let mut caret = lead;
    if nb > lead || snippet.cut_before {
        s.push('…');
        caret += 1;
    }
    s.push_str(&untab(&before[from..]));
    s.push_str(&untab(&after[..to]));
    if na > shown_after || snippet.cut_after {
        s.push('…');
    }
    (s, caret)
}

/// [`window`] when the bytes it could show are printable ASCII or tabs (captured JSON nearly
/// always): bytes are characters, so it slices instead of decoding and counting characters one
/// by one (a findings-heavy payload prints hundreds of thousands of snippets). `None` when a
/// byte within reach is anything else.
fn window_ascii(snippet: &Snippet<'_>) -> Option<(String, usize)> {
    const W: usize = SNIPPET_WIDTH;
    let (before, after) = (snippet.before, snippet.after);
    // The characters [`window`] may show: at most W + 1 on either side of the caret.
    let tail = &before[before.len().saturating_sub(W + 1)..];
    let head = &after[..after.len().min(W + 1)];
    // A fold, not `all`: no early exit, so it vectorises.
    let plain = |ok: bool, &b: &u8| ok & (matches!(b, b' '..=b'~') | (b == b'\t'));
    if !tail.iter().fold(true, plain) || !head.iter().fold(true, plain) {
        return None;
    }
    let (nb, na) = (tail.len(), head.len());
    let mut s = String::with_capacity(W + 8);
    // Only the bytes checked above are pushed: printable ASCII and tabs.
    let push = |s: &mut String, bytes: &[u8]| match std::str::from_utf8(bytes) {
        Ok(text) if !bytes.contains(&b'\t') => s.push_str(text),
        _ => s.extend(
            bytes
                .iter()
                .map(|&b| if b == b'\t' { ' ' } else { char::from(b) }),
        ),
    };
    if !snippet.cut_before && !snippet.cut_after && nb + na <= W {
        push(&mut s, before);
        push(&mut s, after);
        return Some((s, nb));
    }
    let lead = nb.min(W / 3);
    let shown_after = (W - lead).min(na);
    let mut caret = lead;
    if nb > lead || snippet.cut_before {
        s.push('…');
        caret += 1;
    }
    push(&mut s, &before[before.len() - lead..]);
    push(&mut s, &after[..shown_after]);
    if na > shown_after || snippet.cut_after {
        s.push('…');
    }
    Some((s, caret))
}

/// A character of a snippet as shown: a tab as a space, another control character as U+FFFD.
fn printable(c: char) -> char {
    match c {
        '\t' => ' ',
        c if c.is_control() => '\u{FFFD}',
        c => c,
    }
}

/// Bytes as text: borrowed when they are UTF-8, lossy otherwise.
fn text(b: &[u8]) -> std::borrow::Cow<'_, str> {
    match std::str::from_utf8(b) {
        Ok(s) => std::borrow::Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(b),
    }
}

/// The reference implementation of [`window`] (one `char` per element).
#[cfg(test)]
fn window_slow(text: &str, column: usize) -> (String, usize) {
    let chars: Vec<char> = text.chars().map(printable).collect();
    let at = column.saturating_sub(1).min(chars.len());
    if chars.len() <= SNIPPET_WIDTH {
        return (chars.into_iter().collect(), at);
    }
    let start = at.saturating_sub(SNIPPET_WIDTH / 3);
    let end = (start + SNIPPET_WIDTH).min(chars.len());
    let mut s = String::new();
    let mut caret = at - start;
    if start > 0 {
        s.push('…');
        caret += 1;
    }
    s.extend(&chars[start..end]);
    if end < chars.len() {
        s.push('…');
    }
    (s, caret)
}

/// Counts for one file or the whole run.
#[derive(Debug, Default, Clone)]
pub struct Counts {
    pub payloads: u64,
    pub valid: u64,
    pub warning: u64,
    pub error: u64,
    pub skipped: u64,
    pub not_invite: u64,
    pub errors: u64,
    pub warnings: u64,
    pub notes: u64,
}

impl Counts {
    /// Counts one payload.
    pub fn add(&mut self, r: &Report) {
        self.payloads += 1;
        match r.status {
            Status::Valid => self.valid += 1,
            Status::Warning => self.warning += 1,
            Status::Error => self.error += 1,
            Status::Skipped => self.skipped += 1,
        }
        if is_not_invite(r) {
            self.not_invite += 1;
        }
        let severities = r.findings.iter().map(|f| (f.severity, 1));
        let omitted = r.omitted.iter().map(|o| (o.severity, o.count as u64));
        for (severity, n) in severities.chain(omitted) {
            match severity {
                Severity::Error => self.errors += n,
                Severity::Warning => self.warnings += n,
                Severity::Note => self.notes += n,
            }
        }
    }

    /// Adds another count.
    pub fn merge(&mut self, o: &Counts) {
        self.payloads += o.payloads;
        self.valid += o.valid;
        self.warning += o.warning;
        self.error += o.error;
        self.skipped += o.skipped;
        self.not_invite += o.not_invite;
        self.errors += o.errors;
        self.warnings += o.warnings;
        self.notes += o.notes;
    }

    fn describe(&self) -> String {
        let mut s = format!("{} payload{}", self.payloads, plural(self.payloads));
        let parts: Vec<String> = [
            (self.valid, "valid"),
            (self.warning, "with warnings"),
            (self.error, "with errors"),
            (self.skipped, "skipped"),
        ]
        .iter()
        .filter(|(n, _)| *n > 0)
        .map(|(n, what)| format!("{n} {what}"))
        .collect();
        if !parts.is_empty() {
            s.push_str(": ");
            s.push_str(&parts.join(", "));
        }
        if self.not_invite > 0 {
            let _ = write!(
                s,
                " ({} not invite-related: listed with -v or --format json)",
                self.not_invite
            );
        }
        if self.errors + self.warnings + self.notes > 0 {
            let _ = write!(
                s,
                "; findings: {} error{}, {} warning{}, {} note{}",
                self.errors,
                plural(self.errors),
                self.warnings,
                plural(self.warnings),
                self.notes,
                plural(self.notes)
            );
        }
        s
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The summary line of one file.
pub fn file_summary(
    style: &Style,
    source: &str,
    format: FileFormat,
    c: &Counts,
    ignored: usize,
) -> String {
    let mut s = format!(
        "{} {source} ({}): {}",
        style.painted("1", "summary:"),
        format.as_str(),
        c.describe()
    );
    if ignored > 0 {
        let _ = write!(
            s,
            "; {ignored} HAR entr{} not invite-related, ignored",
            if ignored == 1 { "y" } else { "ies" }
        );
    }
    s.push('\n');
    s
}

/// Paths that were not read, by why: nothing passes unseen.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Unseen {
    /// Paths that could not be read (`io-error`).
    pub failed: u64,
    /// FIFOs, sockets and devices found in directories (`not-a-file`).
    pub not_read: u64,
    /// Files found in directories whose name a walk does not take (`skipped-file`).
    pub skipped_files: u64,
    /// Directories given in which no file was read (`no-payload-file`).
    pub empty_dirs: u64,
}

/// The final line.
pub fn total(style: &Style, files: u64, c: &Counts, unseen: &Unseen) -> String {
    let Unseen {
        failed,
        not_read,
        skipped_files,
        empty_dirs,
    } = *unseen;
    let mut s = format!(
        "{} {files} file{}, {}",
        style.painted("1", "total:"),
        plural(files),
        c.describe()
    );
    if failed > 0 {
        let _ = write!(
            s,
            "; {} unreadable path{}",
            style.painted("1;31", &failed.to_string()),
            plural(failed)
        );
    }
    if not_read > 0 {
        let _ = write!(
            s,
            "; {not_read} FIFO{}, socket{} or device{} in directories not read",
            plural(not_read),
            plural(not_read),
            plural(not_read)
        );
    }
    if skipped_files > 0 {
        let _ = write!(
            s,
            "; {skipped_files} file{} in directories skipped for {} name (listed with -v)",
            plural(skipped_files),
            if skipped_files == 1 { "its" } else { "their" }
        );
    }
    if empty_dirs > 0 {
        let _ = write!(
            s,
            "; {} director{} without a file read",
            style.painted("1;33", &empty_dirs.to_string()),
            if empty_dirs == 1 { "y" } else { "ies" }
        );
    }
    s.push('\n');
    s
}

// ---------------------------------------------------------------------------------------------
// Repeats: print the first N occurrences of each distinct finding, count the rest.

/// How many occurrences of each distinct finding are printed in full (`None`: all).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// For warnings and notes (`--max-repeats`).
    pub others: Option<usize>,
    /// For errors (`--max-error-repeats`).
    pub errors: Option<usize>,
}

impl Limits {
    /// Whether every finding is printed (no bookkeeping needed).
    pub fn unlimited(&self) -> bool {
        self.others.is_none() && self.errors.is_none()
    }

    fn of(&self, s: Severity) -> usize {
        match s {
            Severity::Error => self.errors,
            _ => self.others,
        }
        .unwrap_or(usize::MAX)
    }
}

/// The first occurrences of a distinct finding, up to the limit: the first held inline, the
/// others boxed (in a findings-heavy payload most distinct findings occur once: no allocation
/// for them, and 24 bytes a key, where an inline `Option` and `Vec` took 48).
struct Occurrences {
    /// `(NONE, _)`: none yet.
    first: (usize, usize),
    // Boxed: 8 bytes where a `Vec` takes 24, in a key of which there may be millions.
    #[allow(clippy::box_collection)]
    more: Option<Box<Vec<(usize, usize)>>>,
}

impl Default for Occurrences {
    fn default() -> Self {
        Occurrences {
            first: (NONE, 0),
            more: None,
        }
    }
}

impl Occurrences {
    fn len(&self) -> usize {
        usize::from(self.first.0 != NONE) + self.more.as_ref().map_or(0, |m| m.len())
    }

    fn push(&mut self, o: (usize, usize)) {
        if self.first.0 == NONE {
            self.first = o;
        } else {
            self.more.get_or_insert_default().push(o);
        }
    }

    fn iter(&self) -> impl Iterator<Item = &(usize, usize)> {
        let first = (self.first.0 != NONE).then_some(&self.first);
        first
            .into_iter()
            .chain(self.more.iter().flat_map(|m| m.iter()))
    }
}

/// A distinct finding within one chunk.
struct LocalKey {
    severity: Severity,
    code: Code,
    /// The normalised pointer: a range of the chunk's `pointers`...
    pointer: (usize, usize),
    /// ... and its hash (the run's [`Repeats`] looks the key up by it: not hashed twice).
    hash: u64,
    /// The next key whose pointer has the same hash ([`NONE`]: none).
    next: usize,
    count: u64,
    /// The first occurrences (candidate, finding), up to the limit.
    occurrences: Occurrences,
}

/// No key.
const NONE: usize = usize::MAX;

/// A payload that may be printed: it has an occurrence among the chunk's first N of its
/// kind (or `-v` lists everything).
pub struct Candidate {
    index: usize,
    report: Report,
    shown: Vec<bool>,
}

/// A finding's kind, as [`ChunkFindings`] counts it: of a finding listed, or of findings
/// omitted.
#[derive(Clone, Copy)]
struct Of<'a> {
    severity: Severity,
    code: Code,
    pointer: &'a str,
}

impl<'a> From<&'a Finding> for Of<'a> {
    fn from(f: &'a Finding) -> Self {
        Of {
            severity: f.severity,
            code: f.code,
            pointer: f.pointer(),
        }
    }
}

impl<'a> From<&'a Omitted> for Of<'a> {
    fn from(o: &'a Omitted) -> Self {
        Of {
            severity: o.severity,
            code: o.code,
            pointer: &o.pointer,
        }
    }
}

/// What a worker keeps of one chunk in human output with limits: counts of the distinct
/// findings and the payloads that may be printed; the rest is dropped at once.
pub struct ChunkFindings {
    /// The keys whose normalised pointer was greater than every one before it, in that
    /// (increasing) order: found again by a binary search, never hashed into `index`. A
    /// report of a million unknown fields of a sorted map is counted with no random access
    /// per finding (they were most of human output's time).
    run: Vec<usize>,
    /// The other keys: the hash of a normalised pointer → the first key with it (the others
    /// with the same hash follow through [`LocalKey::next`]: other severities and codes,
    /// collisions).
    index: FxHashMap<u64, usize>,
    /// The keys' normalised pointers, one after another: a finding costs no allocation, a
    /// new distinct finding none either (the buffers grow by doubling).
    pointers: String,
    keys: Vec<LocalKey>,
    candidates: Vec<Candidate>,
    /// The keys of the last findings, the latest first ([`NONE`]: none yet): a finding of
    /// one of them is counted without hashing its pointer (an array of unknown, repeated
    /// values gives two distinct findings, in turn, a million times).
    recent: [usize; 2],
    /// Pointers hashed (test builds only).
    #[cfg(test)]
    hashed: usize,
}

impl ChunkFindings {
    /// Nothing yet.
    pub fn new() -> ChunkFindings {
        ChunkFindings {
            run: Vec::new(),
            index: FxHashMap::default(),
            pointers: String::new(),
            keys: Vec::new(),
            candidates: Vec::new(),
            recent: [NONE; 2],
            #[cfg(test)]
            hashed: 0,
        }
    }

    fn key_of(&mut self, f: Of<'_>) -> usize {
        // The normalised pointer, written where a new key keeps it.
        let start = self.pointers.len();
        push_pointer_pattern(&mut self.pointers, f.pointer);
        let end = self.pointers.len();
        // Lengths, then last bytes first: the pointers of a sorted object's unknown fields
        // (each one a new key) differ at their end.
        let bytes = self.pointers.as_bytes();
        let new = &bytes[start..end];
        let is = |k: usize| {
            self.keys.get(k).is_some_and(|key| {
                let old = &bytes[key.pointer.0..key.pointer.1];
                key.code == f.code
                    && key.severity == f.severity
                    && old.len() == new.len()
                    && old.last() == new.last()
                    && old == new
            })
        };
        let [a, b] = self.recent;
        let k = if is(a) {
            a
        } else if is(b) {
            self.recent = [b, a];
            b
        } else {
            let k = self.key_hashed(f, start, end);
            self.recent = [k, a];
            return k;
        };
        self.pointers.truncate(start);
        k
    }

    /// [`ChunkFindings::key_of`] for a key not among the recent ones: by the hash of its
    /// normalised pointer (`start..end` of `pointers`).
    fn key_hashed(&mut self, f: Of<'_>, start: usize, end: usize) -> usize {
        #[cfg(test)]
        {
            self.hashed += 1;
        }
        let hash = {
            let mut h = rustc_hash::FxHasher::default();
            h.write(&self.pointers.as_bytes()[start..]);
            h.finish()
        };
        let next = self.keys.len();
        let new = LocalKey {
            severity: f.severity,
            code: f.code,
            pointer: (start, end),
            hash,
            next: NONE,
            count: 0,
            occurrences: Occurrences::default(),
        };
        // A key met before is in the index (few keys, most findings: one probe) or in the
        // run; a pointer past every one so far starts a key at the end of the run.
        let mut last = NONE;
        let mut k = self.index.get(&hash).copied().unwrap_or(NONE);
        while k != NONE {
            let key = &self.keys[k];
            let (a, b) = key.pointer;
            if self.pointers[a..b] == self.pointers[start..end]
                && key.severity == f.severity
                && key.code == f.code
            {
                self.pointers.truncate(start);
                return k;
            }
            last = k;
            k = key.next;
        }
        let pointer_of = |k: usize| {
            let (a, b) = self.keys[k].pointer;
            &self.pointers[a..b]
        };
        // The run's last is the greatest pointer of all keys.
        let greatest = self
            .run
            .last()
            .is_none_or(|&k| *pointer_of(k) < self.pointers[start..end]);
        if greatest {
            self.run.push(next);
            self.keys.push(new);
            return next;
        }
        if let Ok(r) = self
            .run
            .binary_search_by(|&k| pointer_of(k).cmp(&self.pointers[start..end]))
        {
            let k = self.run[r];
            if self.keys[k].severity == f.severity && self.keys[k].code == f.code {
                // Met again: into the index too, for one probe next time.
                match last {
                    NONE => {
                        self.index.insert(hash, k);
                    }
                    l => self.keys[l].next = k,
                }
                self.pointers.truncate(start);
                return k;
            }
        }
        match last {
            NONE => {
                self.index.insert(hash, next);
            }
            l => self.keys[l].next = next,
        }
        self.keys.push(new);
        next
    }

    /// Takes in payload `index` of the batch (only call it for [`listed`] payloads).
    pub fn add(&mut self, style: &Style, limits: &Limits, index: usize, report: Report) {
        let candidate = self.candidates.len();
        let mut any = false;
        for (i, f) in report.findings.iter().enumerate() {
            let k = self.key_of(Of::from(f));
            let lk = &mut self.keys[k];
            lk.count += 1;
            if lk.occurrences.len() < limits.of(f.severity) {
                lk.occurrences.push((candidate, i));
                any = true;
            }
        }
        // The findings the validator counted but did not list (past the limit per kind):
        // counted here, never printed.
        for o in &report.omitted {
            let k = self.key_of(Of::from(o));
            self.keys[k].count += o.count as u64;
        }
        if any || style.verbose {
            let shown = vec![false; report.findings.len()];
            self.candidates.push(Candidate {
                index,
                report,
                shown,
            });
        }
    }
}

impl ChunkFindings {
    /// The findings of the payloads kept (what dropping them costs).
    pub fn findings(&self) -> usize {
        self.candidates
            .iter()
            .map(|c| c.report.findings.len())
            .sum()
    }
}

impl Default for ChunkFindings {
    fn default() -> Self {
        ChunkFindings::new()
    }
}

/// A distinct finding over the whole run.
struct GlobalKey {
    severity: Severity,
    code: Code,
    /// The normalised pointer.
    pointer: String,
    count: u64,
    shown: u64,
    first: String,
    seen: usize,
    /// The next key whose pointer has the same hash ([`NONE`]: none).
    next: usize,
}

/// A distinct finding over the run: severity, code, pointer with array indices as `*`.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub severity: Severity,
    pub code: Code,
    pub pointer: &'a str,
    pub count: u64,
    /// Where it was first seen (`file:line:column`).
    pub first: &'a str,
}

/// The run's distinct findings (main thread): decides which occurrences are printed, in input
/// order, and prints the table at the end.
pub struct Repeats {
    limits: Limits,
    /// The hash of a normalised pointer (as [`ChunkFindings`] computed it) → the first key
    /// with it; the others follow through [`GlobalKey::next`]. A chunk's distinct finding is
    /// looked up without a key string built or hashed again.
    index: FxHashMap<u64, usize>,
    /// In the order first seen.
    keys: Vec<GlobalKey>,
    /// Occurrences of distinct findings met after [`MAX_KEYS`] (not tracked one by one)...
    untracked: u64,
    /// ... and how many of them were printed.
    untracked_shown: u64,
}

/// Distinct findings tracked one by one (memory stays bounded when, say, every payload has
/// an unknown field of its own name). Findings of further distinct kinds are printed up to
/// the limit per chunk, and counted together.
const MAX_KEYS: usize = 10_000;

impl Repeats {
    /// Nothing seen yet.
    pub fn new(limits: Limits) -> Repeats {
        Repeats {
            limits,
            index: FxHashMap::default(),
            keys: Vec::new(),
            untracked: 0,
            untracked_shown: 0,
        }
    }

    /// Merges a chunk (the chunks must come in input order) and prints its payloads that have
    /// something to show.
    pub fn print_chunk(
        &mut self,
        out: &mut String,
        style: &Style,
        batch: &Batch,
        chunk: &mut ChunkFindings,
    ) {
        self.merge_chunk(batch, chunk);
        let source: &str = batch.source();
        for cand in &chunk.candidates {
            if !style.verbose && !cand.shown.iter().any(|&s| s) {
                continue;
            }
            let default = Location::default();
            let p = Payload {
                source,
                location: batch.location(cand.index).unwrap_or(&default),
                report: &cand.report,
                lines: Some((batch, cand.index)),
            };
            human(out, style, &p, Some(&cand.shown));
        }
    }

    /// Merges a chunk's counts (the chunks must come in input order) and marks which of its
    /// occurrences are printed.
    pub fn merge_chunk(&mut self, batch: &Batch, chunk: &mut ChunkFindings) {
        let source: &str = batch.source();
        let ChunkFindings {
            keys,
            pointers,
            candidates,
            ..
        } = chunk;
        let mark = |candidates: &mut Vec<Candidate>, &(c, i): &(usize, usize)| {
            if let Some(s) = candidates.get_mut(c).and_then(|c| c.shown.get_mut(i)) {
                *s = true;
            }
        };
        for lk in keys.drain(..) {
            let seen = self.keys.len();
            let pointer = &pointers[lk.pointer.0..lk.pointer.1];
            let (found, last) = self.find(lk.hash, lk.severity, lk.code, pointer);
            let k = match found {
                Some(k) => k,
                None if self.keys.len() >= MAX_KEYS => {
                    for o in lk.occurrences.iter() {
                        mark(candidates, o);
                    }
                    self.untracked += lk.count;
                    self.untracked_shown += lk.occurrences.len() as u64;
                    continue;
                }
                None => {
                    match last {
                        Some(l) => self.keys[l].next = seen,
                        None => {
                            self.index.insert(lk.hash, seen);
                        }
                    }
                    self.keys.push(GlobalKey {
                        severity: lk.severity,
                        code: lk.code,
                        pointer: pointer.to_owned(),
                        count: 0,
                        shown: 0,
                        first: String::new(),
                        seen,
                        next: NONE,
                    });
                    seen
                }
            };
            let g = &mut self.keys[k];
            if g.count == 0 {
                if let Some(&(c, i)) = lk.occurrences.iter().next() {
                    if let Some(cand) = candidates.get(c) {
                        let loc = batch.location(cand.index);
                        if let Some(f) = cand.report.findings.get(i) {
                            g.first = first_at(source, loc, f);
                        }
                    }
                }
            }
            g.count += lk.count;
            let limit = self.limits.of(lk.severity) as u64;
            let room = limit
                .saturating_sub(g.shown)
                .min(lk.occurrences.len() as u64) as usize;
            for o in lk.occurrences.iter().take(room) {
                mark(candidates, o);
            }
            g.shown += room as u64;
        }
        pointers.clear();
    }

    /// The key of a distinct finding, if tracked; else the last key of its hash's chain
    /// (`None`: the hash has none).
    fn find(
        &self,
        hash: u64,
        severity: Severity,
        code: Code,
        pointer: &str,
    ) -> (Option<usize>, Option<usize>) {
        let mut last = None;
        let mut k = self.index.get(&hash).copied().unwrap_or(NONE);
        while let Some(g) = self.keys.get(k) {
            if g.severity == severity && g.code == code && g.pointer == pointer {
                return (Some(k), last);
            }
            last = Some(k);
            k = g.next;
        }
        (None, last)
    }

    /// The distinct findings' keys, errors first, then most frequent, then first seen.
    fn by_frequency(&self) -> Vec<&GlobalKey> {
        let mut rows: Vec<&GlobalKey> = self.keys.iter().collect();
        rows.sort_by(|a, b| {
            (b.severity == Severity::Error)
                .cmp(&(a.severity == Severity::Error))
                .then(b.count.cmp(&a.count))
                .then(a.seen.cmp(&b.seen))
        });
        rows
    }

    /// The distinct findings, most frequent first (errors before everything else), as the
    /// table lists them.
    pub fn rows(&self) -> Vec<Row<'_>> {
        self.by_frequency()
            .into_iter()
            .map(|g| Row {
                severity: g.severity,
                code: g.code,
                pointer: &g.pointer,
                count: g.count,
                first: g.first.trim_end(),
            })
            .collect()
    }

    /// The table of the most frequent findings, when some occurrences were not printed;
    /// empty otherwise.
    pub fn table(&self, style: &Style) -> String {
        let hidden: u64 = self.keys.iter().map(|g| g.count - g.shown).sum::<u64>()
            + (self.untracked - self.untracked_shown);
        if hidden == 0 {
            return String::new();
        }
        let total: u64 = self.keys.iter().map(|g| g.count).sum::<u64>() + self.untracked;
        let rows = self.by_frequency();
        let cut = rows.len().min(TABLE_ROWS);
        let (show, rest) = rows.split_at(cut);
        let label = |g: &GlobalKey| format!("{}[{}]", g.severity.as_str(), g.code.as_str());
        let place = |g: &GlobalKey| {
            if g.pointer.is_empty() {
                "(the payload)".to_owned()
            } else {
                let mut shown = String::new();
                push_visible(&mut shown, &g.pointer);
                shown
            }
        };
        let w_count = show
            .iter()
            .map(|g| g.count.to_string().len())
            .max()
            .unwrap_or(0)
            .max("count".len());
        let w_label = show
            .iter()
            .map(|g| label(g).len())
            .max()
            .unwrap_or(0)
            .max("finding".len());
        let w_place = show
            .iter()
            .map(|g| place(g).chars().count())
            .max()
            .unwrap_or(0)
            .max("where".len());
        let mut s = String::new();
        let limit = |n: Option<usize>| match n {
            Some(1) => "once".to_owned(),
            Some(n) => format!("{n} times"),
            None => "every time".to_owned(),
        };
        let _ = writeln!(
            s,
            "{} {hidden} of {total} findings not printed (each distinct finding is printed {} at \
             most, an error {}; --max-repeats 0 --max-error-repeats 0 prints every one):",
            style.painted("1", "repeated findings:"),
            limit(self.limits.others),
            limit(self.limits.errors),
        );
        let _ = writeln!(
            s,
            "  {:>w_count$}  {:<w_label$}  {:<w_place$}  first at",
            "count", "finding", "where"
        );
        for g in show {
            let _ = write!(s, "  {:>w_count$}  ", g.count);
            let text = label(g);
            style.paint(&mut s, severity_colour(g.severity), &text);
            let pad = w_label - text.len();
            let where_ = place(g);
            let pad2 = w_place.saturating_sub(where_.chars().count());
            let _ = writeln!(
                s,
                "{:pad$}  {where_}{:pad2$}  {}",
                "",
                "",
                g.first.trim_end()
            );
        }
        if !rest.is_empty() {
            let n: u64 = rest.iter().map(|g| g.count).sum();
            let _ = writeln!(
                s,
                "  … and {} more distinct finding{} ({n} occurrence{}); --format json lists every finding",
                rest.len(),
                plural(rest.len() as u64),
                plural(n)
            );
        }
        if self.untracked > 0 {
            let _ = writeln!(
                s,
                "  … and {} finding{} of further distinct kinds (over {MAX_KEYS} kinds: not told apart)",
                self.untracked,
                plural(self.untracked)
            );
        }
        s
    }
}

/// Where a finding is, in one short string: `file:line:column` (a HAR body: `file entry N
/// response body line:column`).
fn first_at(source: &str, loc: Option<&Location>, f: &Finding) -> String {
    let mut s = source.to_owned();
    match loc
        .and_then(|l| l.har.as_ref())
        .filter(|_| !f.code.is_exchange())
    {
        Some(h) => {
            let _ = write!(s, " entry {} {} body", h.entry, h.part.as_str());
            if let (Some(l), Some(c)) = (f.line(), f.column()) {
                let _ = write!(s, " {l}:{c}");
            }
        }
        None => match (f.line(), f.column(), loc.and_then(|l| l.line)) {
            (Some(l), Some(c), _) => {
                let _ = write!(s, ":{l}:{c}");
            }
            (_, _, Some(l)) => {
                let _ = write!(s, ":{l}");
            }
            _ => {}
        },
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use discord_invite::validate::Options;

    thread_local! {
        static READ: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    /// Counts source bytes read to print a snippet.
    pub(super) fn count_read(n: usize) {
        READ.with(|r| r.set(r.get() + n));
    }

    fn read() -> usize {
        READ.with(std::cell::Cell::get)
    }

    /// `text` as the only payload of a batch (any text: what is not JSON is one payload).
    fn batch(text: &str) -> Batch {
        let reader = discord_invite::validate::input::Reader::from_stream(
            "t",
            std::io::Cursor::new(text.to_owned()),
        );
        reader
            .filter_map(|e| match e {
                discord_invite::validate::input::Event::Batch(b) => Some(b),
                _ => None,
            })
            .next()
            .unwrap_or_else(|| panic!("no batch for {text:?}"))
    }

    /// Output without colour, not verbose.
    fn plain() -> Style {
        Style {
            color: false,
            verbose: false,
        }
    }

    /// At most two of each distinct warning and error printed.
    fn two_repeats() -> Limits {
        Limits {
            others: Some(2),
            errors: Some(2),
        }
    }

    /// The human output of the first payload of `b`, without colour (`shown` as in [`human`]).
    fn human_of(b: &Batch, report: &Report, shown: Option<&[bool]>) -> String {
        let style = plain();
        let location = Location::default();
        let p = Payload {
            source: "t",
            location: &location,
            report,
            lines: Some((b, 0)),
        };
        let mut out = String::new();
        human(&mut out, &style, &p, shown);
        out
    }

    /// A finding at the 1-based character column `column` of `text`'s first line.
    fn finding_at(text: &str, column: usize) -> Finding {
        let offset = text
            .char_indices()
            .nth(column.saturating_sub(1))
            .map_or(text.len(), |(i, _)| i);
        Finding::new(Severity::Warning, Code::UnknownField, "", "")
            .at(1, column)
            .at_offset(offset)
    }

    fn window_at(text: &str, column: usize) -> (String, usize) {
        let b = batch(text);
        let f = finding_at(text, column);
        window(&b.snippet(0, &f).expect("a snippet"))
    }

    #[test]
    fn window_keeps_the_caret_on_its_character() {
        assert_eq!(window_at("ab\tc", 4), ("ab c".to_owned(), 3));
        let long: String = "é".repeat(300);
        let (s, c) = window_at(&long, 200);
        assert_eq!(s.chars().nth(c), Some('é'));
        assert!(s.starts_with('…') && s.ends_with('…'));
    }

    #[test]
    fn window_matches_the_reference() {
        let lines = [
            String::new(),
            "short".to_owned(),
            "a\tb".repeat(40),
            "x".repeat(99),
            "x".repeat(100),
            "x".repeat(101),
            "é".repeat(60),
            "é".repeat(100),
            "é".repeat(101),
            "0123456789".repeat(30),
            "ab\u{1}c".repeat(40),
            format!("{}\u{7f}{}", "x".repeat(150), "y".repeat(150)),
            format!("{}é{}", "x".repeat(150), "y".repeat(150)),
            "日本語🎮\t".repeat(50),
            // Longer than a snippet reaches, on both sides.
            "0123456789".repeat(300),
            "日本語🎮\t".repeat(400),
        ];
        for line in &lines {
            let n = line.chars().count();
            let b = batch(line);
            for col in (0..n + 4).chain([usize::MAX]) {
                let f = finding_at(line, col);
                let snippet = b.snippet(0, &f).expect("a snippet");
                assert_eq!(
                    window(&snippet),
                    window_slow(line, col),
                    "{line:.40?} column {col}"
                );
            }
        }
    }

    /// Issue 13: an invite with 50k unknown keys on one line took 12.8 s in the CLI, most of it
    /// reading the whole 600 KB line again for each finding's snippet. Counted: source bytes
    /// read for snippets, per finding.
    #[test]
    fn snippets_read_a_bounded_part_of_a_long_line() {
        let keys: Vec<String> = (0..50_000).map(|i| format!("\"u{i:05}\":1")).collect();
        let text = format!(
            "{{\"type\":0,\"code\":\"abc\",\"channel\":{{\"id\":\"1\",\"type\":0,\"name\":\"g\"}},{}}}",
            keys.join(",")
        );
        let b = batch(&text);
        let report = b.report(0, &discord_invite::validate::Options::default());
        assert!(report.findings.len() >= 50_000, "{}", report.findings.len());
        let before = read();
        let out = human_of(&b, &report, None);
        let per_finding = (read() - before) / report.findings.len();
        assert!(
            per_finding <= 2 * Snippet::REACH,
            "{per_finding} bytes per finding"
        );
        // One diagnostic in full, the other unknown fields of the object on one line (a
        // deliberate change: each used to be printed with its own snippet).
        assert!(out.contains("warning[unknown-field]: `u00000`"));
        assert_eq!(out.matches("warning[unknown-field]").count(), 1, "{out}");
        assert!(
            out.contains("  = 49999 more unknown fields in this object: `u00001`, `u00002`, `u00003`, `u00004`, `u00005`, `u00006`, `u00007`, `u00008` and 49991 more\n"),
            "{out}"
        );
    }

    #[test]
    fn payload_text_cannot_drive_the_terminal() {
        // A key with an escape sequence, a newline that would forge a line, a bidi override,
        // and a key of 5,000 characters.
        let long = "k".repeat(5000);
        let text = format!(
            r#"{{"type":0,"code":"abc","x\u001b[31mRED\nerror[forged]: y":1,"b\u202ez":2,"{long}":3}}"#
        );
        let b = batch(&text);
        let report = b.report(0, &discord_invite::validate::Options::default());
        let out = human_of(&b, &report, None);
        assert!(!out.contains('\u{1b}'), "{out}");
        assert!(!out.contains('\u{202e}'), "{out}");
        assert!(
            !out.lines().any(|l| l.starts_with("error[forged]")),
            "{out}"
        );
        assert!(out.contains(r"`x\u{1b}[31mRED\nerror[forged]: y`"), "{out}");
        assert!(out.contains(r"`b\u{202e}z`"), "{out}");
        // The long key is cut, saying how much is left; the JSON output keeps it whole.
        assert!(!out.contains(&long), "{out}");
        assert!(out.contains(" more bytes)"), "{out}");
        assert!(report.findings.iter().any(|f| f.pointer().contains(&long)));
    }

    #[test]
    fn unknown_fields_are_grouped_by_object_and_never_lost() {
        let text = r#"{"type":0,"code":"abc","channel":{"id":"1","type":0,"name":"g","c1":1,"c2":2},"a":1,"b":2,"c":3}"#;
        let b = batch(text);
        let report = b.report(0, &discord_invite::validate::Options::default());
        let unknown = |p: &str| {
            report
                .findings
                .iter()
                .position(|f| f.code == Code::UnknownField && f.pointer() == p)
        };
        let out = human_of(&b, &report, None);
        // Two objects, two groups: `/channel` and the root.
        assert!(out.contains("warning[unknown-field]: `c1`"), "{out}");
        assert!(
            out.contains("  = 1 more unknown field in this object: `c2`\n"),
            "{out}"
        );
        assert!(out.contains("warning[unknown-field]: `a`"), "{out}");
        assert!(
            out.contains("  = 2 more unknown fields in this object: `b`, `c`\n"),
            "{out}"
        );
        // A field not to be printed (--max-repeats) is left out of the line and counted.
        let mut shown = vec![true; report.findings.len()];
        if let Some(i) = unknown("/b") {
            shown[i] = false;
        }
        let out = human_of(&b, &report, Some(&shown));
        assert!(
            out.contains("  = 1 more unknown field in this object: `c`\n"),
            "{out}"
        );
        assert!(
            out.contains("… and 1 more finding, repeat of findings shown above"),
            "{out}"
        );
    }

    #[test]
    fn distinct_findings_are_told_apart() {
        use Code::{UnknownEnumValue as Enum, UnknownField as Field};
        use Severity::{Error as E, Warning as W};
        let f = |severity, code, pointer: &str| Finding::new(severity, code, pointer, "").at(1, 1);
        let report = Report {
            kind: None,
            schema: None,
            status: Status::Error,
            findings: vec![
                f(W, Field, "/a/1"),
                f(W, Field, "/a/2"),
                f(W, Enum, "/a/1"),
                f(E, Field, "/a/1"),
                f(W, Field, "/a/x"),
                f(W, Field, "/a/1"),
                f(W, Field, "/a/12/b"),
                f(W, Field, "/a/3/b"),
            ],
            omitted: Vec::new(),
        };
        let (style, limits) = (plain(), two_repeats());
        let mut chunk = ChunkFindings::new();
        chunk.add(&style, &limits, 0, report.clone());
        chunk.add(&style, &limits, 1, report);
        let keys: Vec<_> = chunk
            .keys
            .iter()
            .map(|k| {
                (
                    k.severity,
                    k.code,
                    &chunk.pointers[k.pointer.0..k.pointer.1],
                    k.count,
                    k.occurrences.len(),
                )
            })
            .collect();
        assert_eq!(
            keys,
            vec![
                (W, Field, "/a/*", 6, 2),
                (W, Enum, "/a/*", 2, 2),
                (E, Field, "/a/*", 2, 2),
                (W, Field, "/a/x", 2, 2),
                (W, Field, "/a/*/b", 4, 2),
            ]
        );
    }

    #[test]
    fn pointers_in_increasing_order_are_not_hashed() {
        // A report of 20,000 unknown fields of a sorted map (then repeats of some, under
        // other codes too): the keys past every pointer before them are found by a binary
        // search, never put in the hash index (every distinct finding was); the counts are
        // those of a plain count.
        use Code::{UnknownEnumValue as Enum, UnknownField as Field};
        use Severity::Warning as W;
        let f = |code, pointer: &str| Finding::new(W, code, pointer, "").at(1, 1);
        let mut findings: Vec<Finding> = (0..20_000)
            .map(|i| f(Field, &format!("/k{i:05}")))
            .collect();
        findings.extend(
            (0..20_000)
                .step_by(7)
                .map(|i| f(Field, &format!("/k{i:05}"))),
        );
        findings.extend(
            (0..20_000)
                .step_by(9)
                .map(|i| f(Enum, &format!("/k{i:05}"))),
        );
        findings.push(f(Enum, "/a/3"));
        findings.push(f(Enum, "/a/4"));
        let report = Report {
            kind: None,
            schema: None,
            status: Status::Warning,
            findings: findings.clone(),
            omitted: Vec::new(),
        };
        let (style, limits) = (plain(), two_repeats());
        let mut chunk = ChunkFindings::new();
        chunk.add(&style, &limits, 0, report);
        assert_eq!(chunk.run.len(), 20_000);
        // The keys of another code on a pointer the run has, `/a/*`, and the run's keys met
        // again (each put in the index when first met again; one of a hash's chain).
        assert!(chunk.index.len() <= 20_000usize.div_ceil(9) + 1 + 20_000usize.div_ceil(7));
        let mut want: Vec<(Code, String, u64)> = Vec::new();
        let mut at: std::collections::HashMap<(Code, String), usize> = Default::default();
        for x in &findings {
            let mut p = String::new();
            push_pointer_pattern(&mut p, x.pointer());
            let i = *at.entry((x.code, p.clone())).or_insert_with(|| {
                want.push((x.code, p, 0));
                want.len() - 1
            });
            want[i].2 += 1;
        }
        let got: Vec<(Code, String, u64)> = chunk
            .keys
            .iter()
            .map(|k| {
                let p = chunk.pointers[k.pointer.0..k.pointer.1].to_owned();
                (k.code, p, k.count)
            })
            .collect();
        assert_eq!(got, want);
    }

    #[test]
    fn findings_of_the_last_keys_are_not_hashed() {
        // An array of unknown values, each repeated: an unknown-enum-value and a
        // duplicate-item finding per item, in turn, of two distinct findings: each is counted
        // without hashing its pointer again (each was hashed).
        use Code::{DuplicateItem as Dup, UnknownEnumValue as Enum};
        use Severity::Warning as W;
        let mut findings = Vec::new();
        for i in 0..10_000 {
            for code in [Enum, Dup] {
                // Line 1, no column.
                let f = Finding::new(W, code, &format!("/guild/features/{i}"), "m").at(1, 0);
                findings.push(f);
            }
        }
        findings.push(Finding::new(W, Enum, "/type", "m"));
        findings.push(Finding::new(W, Enum, "/guild/features/3", "m"));
        let report = Report {
            kind: None,
            schema: None,
            status: Status::Warning,
            findings,
            omitted: Vec::new(),
        };
        let mut chunk = ChunkFindings::new();
        chunk.add(&plain(), &two_repeats(), 0, report);
        assert!(chunk.hashed <= 4, "{}", chunk.hashed);
        let got: Vec<(Code, &str, u64)> = chunk
            .keys
            .iter()
            .map(|k| (k.code, &chunk.pointers[k.pointer.0..k.pointer.1], k.count))
            .collect();
        assert_eq!(
            got,
            [
                (Enum, "/guild/features/*", 10_001),
                (Dup, "/guild/features/*", 10_000),
                (Enum, "/type", 1)
            ]
        );
    }

    #[test]
    fn a_distinct_finding_costs_a_small_key() {
        // Human output keeps a key per distinct finding of a chunk: 1.3 million of them for a
        // 17 MB invite of unknown fields. 96 bytes each before (an inline `Option` of the first
        // occurrence and a `Vec` of the others).
        assert!(std::mem::size_of::<LocalKey>() <= 72);
        // The occurrences read back as they were pushed, the first inline.
        let mut o = Occurrences::default();
        assert_eq!(o.len(), 0);
        assert!(o.more.is_none());
        for i in 0..4 {
            o.push((i, 10 * i));
        }
        assert_eq!(o.len(), 4);
        let got: Vec<(usize, usize)> = o.iter().copied().collect();
        assert_eq!(got, [(0, 0), (1, 10), (2, 20), (3, 30)]);
        let mut one = Occurrences::default();
        one.push((5, 6));
        assert_eq!((one.len(), one.more.is_none()), (1, true));
    }

    /// Human output with limits, the whole way: each chunk's findings counted, merged,
    /// printed, then the table; with reports from `options`.
    fn human_run(text: &str, limits: Limits, options: &Options) -> String {
        let style = plain();
        let mut repeats = Repeats::new(limits);
        let mut out = String::new();
        for e in discord_invite::validate::input::Reader::from_stream(
            "t",
            std::io::Cursor::new(text.to_owned()),
        ) {
            if let discord_invite::validate::input::Event::Batch(b) = e {
                let mut chunk = ChunkFindings::new();
                for i in 0..b.len() {
                    let report = b.report(i, options);
                    if listed(&style, &report) {
                        chunk.add(&style, &limits, i, report);
                    }
                }
                repeats.print_chunk(&mut out, &style, &b, &mut chunk);
            }
        }
        out.push_str(&repeats.table(&style));
        out
    }

    #[test]
    fn reports_capped_by_the_validator_print_as_the_whole_reports() {
        // Repeats of one kind within a payload and across payloads, errors among them, and
        // repeated keys (the validator's other path).
        let features = (0..30)
            .map(|i| format!("\"F{}\"", i % 12))
            .collect::<Vec<_>>()
            .join(",");
        let invite = format!(
            r#"{{"type":0,"code":"a","uses":"x","guild":{{"id":"1","name":"g","features":[{features}]}},"max_age":"y"}}"#
        );
        let keys = format!(
            "{{\"type\":0,\"code\":\"a\",{}}}",
            vec!["\"k\":1"; 40].join(",\n")
        );
        let text = [invite.as_str(), &invite, &keys, &invite, &keys].join("\n");
        let only_errors = Limits {
            others: None,
            errors: Some(1),
        };
        let only_others = Limits {
            others: Some(1),
            errors: None,
        };
        for limits in [two_repeats(), only_others, only_errors] {
            for strict in [false, true] {
                let options = Options::new(None, strict);
                let whole = human_run(&text, limits, &options);
                let capped = options.with_max_repeats(limits.others, limits.errors);
                assert_eq!(human_run(&text, limits, &capped), whole, "{limits:?}");
                // Not vacuous: the validator did leave findings out (closed enums are errors
                // when strict), and the table counts them.
                let report = batch(&invite).report(0, &capped);
                if strict || limits.others.is_some() {
                    assert!(!report.omitted.is_empty(), "{limits:?}, strict {strict}");
                    assert!(whole.contains("findings not printed"), "{whole}");
                }
            }
        }
    }

    #[test]
    fn a_capped_report_counts_as_the_whole_report() {
        let keys = format!(
            "{{\"type\":0,\"code\":\"a\",{}}}",
            vec!["\"k\":1"; 40].join(",")
        );
        let b = batch(&keys);
        let (mut whole, mut capped) = (Counts::default(), Counts::default());
        whole.add(&b.report(0, &Options::default()));
        let report = b.report(0, &Options::default().with_max_repeats(Some(2), Some(2)));
        assert!(!report.omitted.is_empty());
        capped.add(&report);
        assert_eq!(
            (
                capped.payloads,
                capped.warning,
                capped.errors,
                capped.warnings,
                capped.notes
            ),
            (
                whole.payloads,
                whole.warning,
                whole.errors,
                whole.warnings,
                whole.notes
            )
        );
        assert!(whole.warnings >= 39, "{}", whole.warnings);
    }

    #[test]
    fn the_run_tells_apart_distinct_findings_of_one_hash() {
        use Code::{UnknownEnumValue as Enum, UnknownField as Field};
        use Severity::{Error as E, Warning as W};
        let limits = two_repeats();
        let mut repeats = Repeats::new(limits);
        let b = batch("{}");
        // Two chunks whose keys all have one hash (a collision, forced): each distinct
        // finding is still counted on its own, across chunks.
        for _ in 0..2 {
            let mut chunk = ChunkFindings::new();
            for (severity, code, pointer, count) in [
                (W, Field, "/a", 1),
                (W, Field, "/b", 2),
                (W, Enum, "/a", 3),
                (E, Field, "/a", 4),
            ] {
                let start = chunk.pointers.len();
                chunk.pointers.push_str(pointer);
                chunk.keys.push(LocalKey {
                    severity,
                    code,
                    pointer: (start, chunk.pointers.len()),
                    hash: 7,
                    next: NONE,
                    count,
                    occurrences: Occurrences::default(),
                });
            }
            repeats.merge_chunk(&b, &mut chunk);
        }
        let rows: Vec<_> = repeats
            .rows()
            .iter()
            .map(|r| (r.severity, r.code, r.pointer.to_owned(), r.count))
            .collect();
        let row = |s, c, p: &str, n| (s, c, p.to_owned(), n);
        assert_eq!(
            rows,
            vec![
                row(E, Field, "/a", 8),
                row(W, Enum, "/a", 6),
                row(W, Field, "/b", 4),
                row(W, Field, "/a", 2),
            ]
        );
    }

    #[test]
    fn pointers_are_normalised() {
        let mut s = String::new();
        push_pointer_pattern(&mut s, "/guild/features/12/x/0a/");
        assert_eq!(s, "/guild/features/*/x/0a/");
        s.clear();
        push_pointer_pattern(&mut s, "");
        assert_eq!(s, "");
        // The reference: segment by segment.
        let reference = |pointer: &str| {
            let mut segments = pointer.split('/');
            let mut out = segments.next().unwrap_or_default().to_owned();
            for segment in segments {
                out.push('/');
                if !segment.is_empty() && segment.bytes().all(|b| b.is_ascii_digit()) {
                    out.push('*');
                } else {
                    out.push_str(segment);
                }
            }
            out
        };
        for p in [
            "/1",
            "//",
            "/a//3",
            "x/3",
            "3/4",
            "/0a/12/",
            "/é/7/ü",
            "/~1/~0/99",
            "/",
            "7",
        ] {
            let mut s = String::new();
            push_pointer_pattern(&mut s, p);
            assert_eq!(s, reference(p), "{p}");
        }
    }
}
