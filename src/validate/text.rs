//! The text of a report's findings: every pointer and message written one after another into
//! one buffer, which the findings then share (an `Arc`). A finding costs no allocation of its
//! own, and a message repeated by consecutive findings (every repeat of one key) is kept once.

use std::sync::Arc;

use super::{Code, Finding, Severity};

/// The most a buffer holds: spans are `u32`. A report with more text (a payload of gigabytes
/// of findings) gets several buffers.
const LIMIT: usize = u32::MAX as usize;

/// A full buffer of at least this capacity is not grown (a `realloc` that copies it whole,
/// again at each doubling) but kept as it is, and the text goes on in a new one of twice its
/// capacity, up to [`BUF_MAX`]: a findings-heavy report's text is written once, never copied.
const GROW_AT: usize = 1 << 20;

/// The capacity new buffers stop doubling at.
const BUF_MAX: usize = 64 << 20;

/// A finding before its report is done: the code, where it is, and its text in [`Texts`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Raw {
    pub code: Code,
    /// Byte offset within the validated bytes.
    pub offset: usize,
    pub span: Span,
}

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
    /// The last message written and where (to keep a repeated one once).
    last: Option<(u32, (u32, u32))>,
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
            let next = capacity.saturating_mul(2).clamp(len, BUF_MAX.max(len));
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
        if let Some((c, m)) = self.last {
            // Lengths first: most messages differ from the last in length or early on.
            let bytes = |(a, b): (u32, u32)| self.cur.as_bytes().get(a as usize..b as usize);
            if c == chunk
                && m != message
                && m.1.wrapping_sub(m.0) == message.1.wrapping_sub(message.0)
                && bytes(m) == bytes(message)
            {
                self.cur.truncate(pointer_end);
                message = m;
            }
        }
        self.last = Some((chunk, message));
        Span {
            chunk,
            pointer: (at(start), at(pointer_end)),
            message,
        }
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
        let (chunk, message) = self.last?;
        if chunk != at(self.full.len()) {
            return None;
        }
        self.cur.push_str(pointer);
        Some(Span {
            chunk,
            pointer: (at(start), at(self.cur.len())),
            message,
        })
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

/// Findings and their text, as they are found.
#[derive(Debug, Default)]
pub(crate) struct Written {
    pub raws: Vec<Raw>,
    pub texts: Texts,
}

impl Written {
    /// Adds a finding.
    pub fn push(&mut self, code: Code, offset: usize, pointer: &str, message: &str) {
        let span = self.texts.push(pointer, message);
        self.raws.push(Raw { code, offset, span });
    }

    /// Adds a finding whose message is the last one's (without writing it again); `false` when
    /// there is none to share (nothing was added).
    pub fn push_repeat(&mut self, code: Code, offset: usize, pointer: &str) -> bool {
        let Some(span) = self.texts.push_repeat(pointer) else {
            return false;
        };
        self.raws.push(Raw { code, offset, span });
        true
    }
}

/// A finding's pointer and message: two ranges of a buffer shared by the findings of one
/// report.
#[derive(Clone)]
pub(crate) struct Text {
    buf: Arc<String>,
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
        let buf = match bufs.get(span.chunk as usize) {
            Some(b) => b.clone(),
            None => Arc::default(),
        };
        Text {
            buf,
            pointer: span.pointer,
            message: span.message,
        }
    }

    fn get(&self, (a, b): (u32, u32)) -> &str {
        self.buf.get(a as usize..b as usize).unwrap_or_default()
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

/// The findings of `raws` and `late`, both in order of offset, merged (`raws`' first where
/// offsets tie: `late` holds findings found after every one of `raws` at their offset), whose
/// text is in `texts`, each with a placeholder severity and no line or column yet (`finish`
/// fills them in).
pub(crate) fn findings(raws: &[Raw], late: &[Raw], texts: Texts) -> Vec<Finding> {
    let bufs = texts.freeze();
    let finding = |r: &Raw| Finding {
        severity: Severity::Note,
        code: r.code,
        line: None,
        column: None,
        offset: Some(r.offset),
        text: Text::of(&bufs, r.span),
    };
    if late.is_empty() {
        return raws.iter().map(finding).collect();
    }
    let mut out = Vec::with_capacity(raws.len() + late.len());
    let mut late = late.iter().peekable();
    for r in raws {
        while let Some(l) = late.next_if(|l| l.offset < r.offset) {
            out.push(finding(l));
        }
        out.push(finding(r));
    }
    out.extend(late.map(finding));
    out
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
        assert!(bufs.iter().all(|b| b.len() <= BUF_MAX));
        for (i, &s) in spans.iter().enumerate() {
            let t = Text::of(&bufs, s);
            assert_eq!(t.pointer(), format!("/k{i}"));
            assert_eq!(t.message(), format!("{message}{i}"));
        }
    }

    #[test]
    fn findings_of_a_report_share_one_buffer() {
        // One buffer for any number of findings (`tests/finding_allocations.rs` counts the
        // allocations of whole reports).
        let mut texts = Texts::new();
        let raws: Vec<Raw> = (0..10_000)
            .map(|i| Raw {
                code: Code::UnknownField,
                offset: i,
                span: texts.push(&format!("/k{i}"), &format!("`k{i}` is not a field")),
            })
            .collect();
        let findings = findings(&raws, &[], texts);
        let shared = findings
            .windows(2)
            .all(|w| Arc::ptr_eq(&w[0].text.buf, &w[1].text.buf));
        assert!(shared);
        assert_eq!(findings[9_999].pointer(), "/k9999");
        assert_eq!(findings[9_999].message(), "`k9999` is not a field");
    }
}
