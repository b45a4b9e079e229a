//! The text of a report's findings: every pointer and message written one after another into
//! one buffer, which the findings then share (an `Arc`). A finding costs no allocation of its
//! own, and a message repeated by consecutive findings (every repeat of one key) is kept once.
//!
//! A finding is a [`Finding`] from the moment it is found ([`Written`]): its text is only
//! attached, and its severity, line and column set, when the report is done ([`finish`]). There
//! is no second form of it (the findings of a large report were held twice at the end, once as
//! they were found and once as the report's).

use std::sync::Arc;

use super::{Code, Finding, Severity};

/// The most a buffer holds: spans are `u32`. A report with more text (a payload of gigabytes
/// of findings) gets several buffers.
const LIMIT: usize = u32::MAX as usize;

/// A full buffer of at least this capacity is not grown (a `realloc` that copies it whole,
/// again at each doubling) but kept as it is, and the text goes on in a new one of this
/// capacity: a findings-heavy report's text is written once, never copied, and at most this
/// much room is left unused at its end while the report is written (the last buffer's;
/// buffers that doubled up to 64 MB left up to half of it).
const GROW_AT: usize = 1 << 20;

/// Where a finding's pointer and message are in [`Texts`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Span {
    chunk: u32,
    pointer: (u32, u32),
    message: (u32, u32),
}

/// The buffers being written.
#[derive(Debug, Default)]
pub(crate) struct Texts {
    full: Vec<String>,
    cur: String,
    /// The last finding's text (its message, to keep a repeated one once; both, for
    /// [`Written::push_same`]); `None` once a new buffer is started.
    last: Option<Span>,
}

/// `n` as a span bound (the buffer is kept under [`LIMIT`]; a single text larger than it is
/// cut, never a panic).
fn at(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Texts {
    /// Empty buffers.
    pub fn new() -> Texts {
        Texts::default()
    }

    /// Starts a finding's text of about `len` bytes (a new buffer when this one would pass the
    /// limit); then write its pointer into [`Texts::buf`], call [`Texts::pointer_done`], write
    /// its message and call [`Texts::done`].
    pub fn start(&mut self, len: usize) -> usize {
        let need = self.cur.len().saturating_add(len);
        let capacity = self.cur.capacity();
        if !self.cur.is_empty() && (need > LIMIT || (need > capacity && capacity >= GROW_AT)) {
            let next = GROW_AT.max(len);
            let full = std::mem::replace(&mut self.cur, String::with_capacity(next));
            self.full.push(full);
            self.last = None;
        }
        self.cur.len()
    }

    /// The buffer being written.
    #[inline]
    pub fn buf(&mut self) -> &mut String {
        &mut self.cur
    }

    /// Where the pointer started at `start` ends.
    #[inline]
    pub fn pointer_done(&self) -> usize {
        self.cur.len()
    }

    /// The span of the text written since `start` (the pointer up to `pointer_end`, then the
    /// message). A message equal to the previous one is dropped and the previous one shared.
    pub fn done(&mut self, start: usize, pointer_end: usize) -> Span {
        let chunk = at(self.full.len());
        let mut message = (at(pointer_end), at(self.cur.len()));
        if let Some(Span { message: m, .. }) = self.last {
            // Lengths first: most messages differ from the last in length or early on.
            let bytes = |(a, b): (u32, u32)| self.cur.as_bytes().get(a as usize..b as usize);
            if m != message
                && m.1.wrapping_sub(m.0) == message.1.wrapping_sub(message.0)
                && bytes(m) == bytes(message)
            {
                self.cur.truncate(pointer_end);
                message = m;
            }
        }
        let span = Span {
            chunk,
            pointer: (at(start), at(pointer_end)),
            message,
        };
        self.last = Some(span);
        span
    }

    /// A finding's pointer and message, written whole.
    pub fn push(&mut self, pointer: &str, message: &str) -> Span {
        let start = self.start(pointer.len() + message.len());
        self.cur.push_str(pointer);
        let end = self.pointer_done();
        self.cur.push_str(message);
        self.done(start, end)
    }

    /// A finding's pointer, with the last finding's message (`None`: there is none in this
    /// buffer).
    pub fn push_repeat(&mut self, pointer: &str) -> Option<Span> {
        let start = self.start(pointer.len());
        let last = self.last_span()?;
        self.cur.push_str(pointer);
        let span = Span {
            pointer: (at(start), at(self.cur.len())),
            ..last
        };
        self.last = Some(span);
        Some(span)
    }

    /// The last finding's pointer and message (`None`: nothing written in this buffer yet,
    /// as [`Texts::start`] forgets it when it starts a buffer), for a finding of the same
    /// text: a repeat of the same key costs no text.
    pub fn last_span(&self) -> Option<Span> {
        self.last
    }

    /// The buffers, to be shared by the findings: moved, not copied (a large buffer's spare
    /// room is given back by `realloc`, which moves no bytes for a block of its own pages).
    pub fn freeze(mut self) -> Vec<Arc<String>> {
        self.full.push(self.cur);
        self.full
            .into_iter()
            .map(|mut b| {
                b.shrink_to_fit();
                Arc::new(b)
            })
            .collect()
    }
}

/// Findings and their text, as they are found: each a [`Finding`] already, without its text
/// (the buffer it is in is still being written) and with the number of that buffer in its
/// `line` ([`finish`] attaches the text and sets the line).
#[derive(Debug, Default)]
pub(crate) struct Written {
    pub findings: Vec<Finding>,
    pub texts: Texts,
    /// Whether a finding was added with an offset below an earlier one's: only then are the
    /// findings put in order ([`in_order`]), and only then looked at for it (a pass over
    /// every finding of a findings-heavy report, in order nearly always).
    pub late: bool,
    /// The cap on repeated findings, when they were capped as they were found (see
    /// [`super::cap`]).
    pub cap: Option<super::cap::Cap>,
}

/// A finding of `code` at `offset` whose text is `span`, as [`Written`] holds it.
#[inline]
pub(crate) fn found(code: Code, offset: usize, span: Span) -> Finding {
    let mut f = Finding {
        severity: Severity::Note,
        code,
        line: super::Place::of(span.chunk as usize + 1),
        column: super::Place::default(),
        offset: super::Place::default(),
        text: Text {
            buf: None,
            pointer: span.pointer,
            message: span.message,
        },
    };
    f.set_offset(offset);
    f
}

/// The buffer a finding not yet finished has its text in (kept in its line by [`found`]).
fn chunk_of(f: &Finding) -> usize {
    (f.line.get() as usize).saturating_sub(1)
}

/// Adds finding `f` to `findings`, noting in `late` whether it goes before the last one (see
/// [`Written::late`]).
#[inline(always)]
pub(crate) fn add_found(findings: &mut Vec<Finding>, late: &mut bool, f: Finding) {
    *late |= findings
        .last()
        .is_some_and(|l| l.offset_key() > f.offset_key());
    findings.push(f);
}

impl Texts {
    /// The pointer of a finding written here and not yet finished ([`found`]).
    pub fn pointer_of(&self, f: &Finding) -> &str {
        let buf = self.full.get(chunk_of(f)).unwrap_or(&self.cur);
        let (a, b) = f.text.pointer;
        buf.get(a as usize..b as usize).unwrap_or_default()
    }
}

impl Written {
    /// Adds a finding.
    pub fn push(&mut self, code: Code, offset: usize, pointer: &str, message: &str) {
        let span = self.texts.push(pointer, message);
        self.add(found(code, offset, span));
    }

    #[inline]
    fn add(&mut self, f: Finding) {
        add_found(&mut self.findings, &mut self.late, f);
    }

    /// Adds a finding whose pointer and message are the last one's (without writing either
    /// again); `false` when there is none to share (nothing was added).
    pub fn push_same(&mut self, code: Code, offset: usize) -> bool {
        let Some(span) = self.texts.last_span() else {
            return false;
        };
        self.add(found(code, offset, span));
        true
    }

    /// Adds a finding whose message is the last one's (without writing it again); `false` when
    /// there is none to share (nothing was added).
    pub fn push_repeat(&mut self, code: Code, offset: usize, pointer: &str) -> bool {
        let Some(span) = self.texts.push_repeat(pointer) else {
            return false;
        };
        self.add(found(code, offset, span));
        true
    }
}

/// A finding's pointer and message: two ranges of a buffer shared by the findings of one
/// report.
#[derive(Clone)]
pub(crate) struct Text {
    /// `None` until the report is done (see [`Written`]).
    buf: Option<Arc<String>>,
    pointer: (u32, u32),
    message: (u32, u32),
}

impl Text {
    /// A text of its own.
    pub fn new(pointer: &str, message: &str) -> Text {
        let mut texts = Texts::new();
        let span = texts.push(pointer, message);
        let bufs = texts.freeze();
        Text::of(&bufs, span)
    }

    /// The text of `span` in frozen buffers.
    pub fn of(bufs: &[Arc<String>], span: Span) -> Text {
        Text {
            buf: Some(bufs.get(span.chunk as usize).cloned().unwrap_or_default()),
            pointer: span.pointer,
            message: span.message,
        }
    }

    fn get(&self, (a, b): (u32, u32)) -> &str {
        match &self.buf {
            Some(buf) => buf.get(a as usize..b as usize).unwrap_or_default(),
            None => "",
        }
    }

    #[inline]
    pub fn pointer(&self) -> &str {
        self.get(self.pointer)
    }

    #[inline]
    pub fn message(&self) -> &str {
        self.get(self.message)
    }
}

/// The findings `written`, done: in order of offset (see [`in_order`]), each with its text, its
/// severity (with `--strict` or without) and its line and column: `places(reach)` gives the
/// function that places an offset, called in increasing order of offset up to `reach`.
pub(crate) fn finish<P: FnMut(usize) -> (usize, usize)>(
    written: Written,
    strict: bool,
    places: impl FnOnce(usize) -> P,
) -> Vec<Finding> {
    let Written {
        mut findings,
        texts,
        late,
        ..
    } = written;
    if findings.is_empty() {
        // Most payloads: no buffer to share, nothing to place.
        return findings;
    }
    if late {
        in_order(&mut findings);
    }
    let reach = findings.last().and_then(Finding::offset).unwrap_or(0);
    let mut place = places(reach);
    let bufs = texts.freeze();
    for f in &mut findings {
        let span = Span {
            chunk: u32::try_from(chunk_of(f)).unwrap_or(u32::MAX),
            pointer: f.text.pointer,
            message: f.text.message,
        };
        f.text = Text::of(&bufs, span);
        let (line, column) = place(f.offset().unwrap_or(0));
        f.severity = f.code.severity(strict);
        f.line = super::Place::of(line);
        f.column = super::Place::of(column);
    }
    findings
}

#[cfg(test)]
thread_local! {
    /// Findings moved to make room for late ones ([`moved`]).
    static MOVED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
thread_local! {
    /// Reports [`in_order`] looked at ([`ordered`]).
    static ORDERED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Reports whose findings [`in_order`] looked at on this thread so far (test builds only).
#[cfg(test)]
pub(crate) fn ordered() -> u64 {
    ORDERED.with(|m| m.get())
}

/// Findings moved by [`in_order`] on this thread so far, to make room for late ones (test
/// builds only).
#[cfg(test)]
pub(crate) fn moved() -> u64 {
    MOVED.with(|m| m.get())
}

/// Puts findings in order of offset, where they nearly always are already but for a few
/// placed before ones found earlier (an object's missing field is at its start, found at its
/// end): those are taken out, sorted and merged back in place, the others keep their order
/// and go first where offsets tie (a stable sort of the whole moved every finding and took a
/// scratch buffer of up to all of them; a merge into a new vector held them twice).
fn in_order(findings: &mut Vec<Finding>) {
    #[cfg(test)]
    ORDERED.with(|m| m.set(m.get() + 1));
    let offset = |f: &Finding| f.offset().unwrap_or(0);
    if findings.is_sorted_by_key(offset) {
        return;
    }
    let mut late = Vec::new();
    let mut reach = 0;
    findings.retain(|f| {
        if offset(f) < reach {
            late.push(f.clone());
            return false;
        }
        reach = offset(f);
        true
    });
    late.sort_by_key(offset);
    // From the back: each late finding goes after the kept ones at or before its offset; the
    // kept ones after it move up by the number of late ones still to place (one move each in
    // all: linear however many are late). The room at the end is filled with copies of the
    // late findings, overwritten as they are placed.
    let mut kept = findings.len();
    findings.extend(late.iter().cloned());
    for j in (0..late.len()).rev() {
        let at = findings[..kept].partition_point(|f| offset(f) <= offset(&late[j]));
        #[cfg(test)]
        MOVED.with(|m| m.set(m.get() + (kept - at) as u64));
        if j < kept - at {
            // A block move (a `memmove`), which also moves the j + 1 spare places: at most
            // as many as the findings moved.
            findings[at..kept + j + 1].rotate_right(j + 1);
        } else {
            for i in (at..kept).rev() {
                findings.swap(i, i + j + 1);
            }
        }
        std::mem::swap(&mut findings[at + j], &mut late[j]);
        kept = at;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_give_back_what_was_written() {
        let mut texts = Texts::new();
        let a = texts.push("/a", "one");
        let b = texts.push("/b/0", "two");
        let c = texts.push("", "two");
        let d = texts.push("/d", "");
        let bufs = texts.freeze();
        let got: Vec<(String, String)> = [a, b, c, d]
            .iter()
            .map(|&s| {
                let t = Text::of(&bufs, s);
                (t.pointer().to_owned(), t.message().to_owned())
            })
            .collect();
        let want = [("/a", "one"), ("/b/0", "two"), ("", "two"), ("/d", "")];
        assert_eq!(
            got,
            want.map(|(p, m)| (p.to_owned(), m.to_owned())).to_vec()
        );
        // The repeated message is kept once.
        assert_eq!(bufs.len(), 1);
        assert_eq!(bufs[0].as_str(), "/aone/b/0two/d");
    }

    #[test]
    fn the_same_text_again_costs_nothing() {
        let mut texts = Texts::new();
        // Nothing to share yet.
        assert_eq!(texts.last_span(), None);
        let a = texts.push("/k", "repeated");
        let b = texts.last_span();
        assert_eq!(b, Some(a));
        // After a repeat with a pointer of its own, the same is that pointer with the message.
        let c = texts.push_repeat("/j").expect("a message to share");
        assert_eq!(texts.last_span(), Some(c));
        let bufs = texts.freeze();
        assert_eq!(bufs[0].as_str(), "/krepeated/j");
        let t = Text::of(&bufs, c);
        assert_eq!((t.pointer(), t.message()), ("/j", "repeated"));
    }

    #[test]
    fn the_same_text_is_not_shared_across_buffers() {
        let mut texts = Texts::new();
        let big = "m".repeat(GROW_AT);
        texts.push("/a", &big);
        // Past the buffer's room: the text goes on in a new buffer, with nothing to share.
        texts.push("/b", &big);
        let last = texts.push("/c", &big);
        assert_eq!(texts.last_span(), Some(last));
        texts.start(2 * GROW_AT);
        assert_eq!(texts.last_span(), None);
    }

    #[test]
    fn a_large_text_goes_on_in_new_buffers() {
        // 30 MB of pointers and messages: past `GROW_AT`, a full buffer is kept as it is
        // and the text goes on in a new one (the buffer was grown by copying, one buffer).
        let mut texts = Texts::new();
        let message = "m".repeat(100);
        let spans: Vec<Span> = (0..300_000)
            .map(|i| texts.push(&format!("/k{i}"), &format!("{message}{i}")))
            .collect();
        let bufs = texts.freeze();
        assert!(bufs.len() > 3, "{} buffers", bufs.len());
        assert!(bufs.iter().all(|b| b.len() <= 2 * GROW_AT));
        for (i, &s) in spans.iter().enumerate() {
            let t = Text::of(&bufs, s);
            assert_eq!(t.pointer(), format!("/k{i}"));
            assert_eq!(t.message(), format!("{message}{i}"));
        }
    }

    #[test]
    fn in_order_is_a_stable_sort_by_offset() {
        // Lists of findings mostly in order with some out of it (ties among them), put in
        // order in place: the result is the stable sort of the list by offset.
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut next = |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..500 {
            let len = next(40) as usize;
            let mut offset = 0;
            let mut findings: Vec<Finding> = (0..len)
                .map(|i| {
                    offset += next(3) as usize;
                    let at = if next(4) == 0 {
                        next(offset as u64 + 1) as usize
                    } else {
                        offset
                    };
                    let span = Span {
                        chunk: 0,
                        pointer: (i as u32, i as u32),
                        message: (0, 0),
                    };
                    found(Code::UnknownField, at, span)
                })
                .collect();
            let key = |f: &Finding| (f.offset(), f.text.pointer.0);
            let mut want: Vec<(Option<usize>, u32)> = findings.iter().map(key).collect();
            want.sort_by_key(|k| k.0);
            in_order(&mut findings);
            let got: Vec<(Option<usize>, u32)> = findings.iter().map(key).collect();
            assert_eq!(got, want);
        }
    }

    #[test]
    fn findings_of_a_report_share_one_buffer() {
        // One buffer for any number of findings (`tests/finding_allocations.rs` counts the
        // allocations of whole reports).
        let mut written = Written::default();
        for i in 0..10_000 {
            let (pointer, message) = (format!("/k{i}"), format!("`k{i}` is not a field"));
            written.push(Code::UnknownField, i, &pointer, &message);
        }
        let findings = finish(written, false, |_| |o| (1, o + 1));
        let shared = findings
            .windows(2)
            .all(|w| match (&w[0].text.buf, &w[1].text.buf) {
                (Some(a), Some(b)) => Arc::ptr_eq(a, b),
                _ => false,
            });
        assert!(shared);
        assert_eq!(findings[9_999].pointer(), "/k9999");
        assert_eq!(findings[9_999].message(), "`k9999` is not a field");
    }
}
