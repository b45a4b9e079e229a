//! The bytes of one input, read in pieces: a window over a stream that grows as the readers
//! look ahead and shrinks as they hand bytes on, so memory follows the largest payload, not
//! the file. Offsets are absolute (from the start of the input, after a byte order mark).

use std::io::{self, Read};

/// Bytes read per call to the stream.
pub(super) const CHUNK: usize = 1 << 20;

/// A window over a stream: `buf` holds the bytes from absolute offset `base` on.
pub(super) struct Source {
    reader: Box<dyn Read + Send>,
    buf: Vec<u8>,
    base: u64,
    eof: bool,
    /// The error that ended the stream early, if one did (taken by [`Source::take_error`]).
    error: Option<io::Error>,
}

impl Source {
    pub fn new(reader: Box<dyn Read + Send>) -> Source {
        Source {
            reader,
            buf: Vec::new(),
            base: 0,
            eof: false,
            error: None,
        }
    }

    /// Where the window starts.
    pub fn base(&self) -> u64 {
        self.base
    }

    /// Where the bytes read so far end.
    pub fn end(&self) -> u64 {
        self.base + self.buf.len() as u64
    }

    /// Whether the stream has ended (or failed).
    pub fn eof(&self) -> bool {
        self.eof
    }

    /// Whether the stream ended with a read error (not yet taken).
    pub fn has_error(&self) -> bool {
        self.error.is_some()
    }

    /// The read error that ended the stream, once.
    pub fn take_error(&mut self) -> Option<io::Error> {
        self.error.take()
    }

    /// Reads the next piece; `false` at the end of the stream (nothing more will come).
    pub fn read_more(&mut self) -> bool {
        if self.eof {
            return false;
        }
        let old = self.buf.len();
        // Reads into the spare capacity (nothing to zero first); a short count is the end.
        let res = (&mut self.reader)
            .take(CHUNK as u64)
            .read_to_end(&mut self.buf);
        match res {
            Ok(n) if n < CHUNK => self.eof = true,
            Ok(_) => {}
            Err(e) => {
                self.error = Some(e);
                self.eof = true;
            }
        }
        self.buf.len() > old
    }

    /// The byte at `at` (reading on if needed); `None` past the end of the stream.
    #[inline]
    pub fn byte(&mut self, at: u64) -> Option<u8> {
        loop {
            if let Some(&b) = self.buf.get(self.index(at)) {
                return Some(b);
            }
            if !self.read_more() {
                return None;
            }
        }
    }

    /// The bytes of `from..to` (both within the window).
    pub fn slice(&self, from: u64, to: u64) -> &[u8] {
        &self.buf[self.index(from)..self.index(to)]
    }

    /// The bytes from `from` to the end of what was read.
    pub fn rest(&self, from: u64) -> &[u8] {
        &self.buf[self.index(from).min(self.buf.len())..]
    }

    fn index(&self, at: u64) -> usize {
        usize::try_from(at.saturating_sub(self.base)).unwrap_or(usize::MAX)
    }

    /// Forgets the bytes before `at` (nothing before it is looked at again). The window is
    /// compacted only once the forgotten part is large, so this costs linear time overall.
    pub fn forget(&mut self, at: u64) {
        let n = self.index(at).min(self.buf.len());
        if n >= CHUNK || n * 2 >= self.buf.len() {
            self.buf.drain(..n);
            self.base += n as u64;
        }
    }

    /// Hands on the bytes before `at` as a buffer (a batch's); the window goes on from `at`
    /// in `fresh` (an empty buffer to reuse).
    pub fn split(&mut self, at: u64, mut fresh: Vec<u8>) -> Vec<u8> {
        let n = self.index(at).min(self.buf.len());
        fresh.clear();
        fresh.extend_from_slice(&self.buf[n..]);
        let mut head = std::mem::replace(&mut self.buf, fresh);
        head.truncate(n);
        self.base += n as u64;
        head
    }
}

/// Line and column (1-based; columns count characters) of an offset, moved forward through
/// the bytes as the readers go, so placing every payload of a file costs one pass over it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Tally {
    at: u64,
    line: usize,
    column: usize,
}

impl Tally {
    /// Line 1, column 1 at offset `at` (after a byte order mark: 3).
    pub fn starting_at(at: u64) -> Tally {
        Tally {
            at,
            line: 1,
            column: 1,
        }
    }

    pub fn new() -> Tally {
        Tally::starting_at(0)
    }

    /// Where `at` is: moves over the bytes since the last call, which `src` must still hold
    /// (offsets only grow).
    pub fn place(&mut self, src: &Source, at: u64) -> (usize, usize) {
        if at > self.at {
            let seg = src.slice(self.at.max(src.base()), at);
            #[cfg(test)]
            super::super::position::count_scanned(seg.len());
            match memchr::memrchr(b'\n', seg) {
                Some(last) => {
                    self.line += memchr::memchr_iter(b'\n', seg).count();
                    self.column = 1 + super::super::position::count_chars(&seg[last + 1..]);
                }
                None => self.column += super::super::position::count_chars(seg),
            }
            self.at = at;
        }
        (self.line, self.column)
    }
}
