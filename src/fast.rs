//! The decode fast path: a strict JSON reader with less work per token than serde_json's. The
//! models are read by their generated direct decoders ([`Decode::direct`]: each reads its
//! members in place through [`Reader::key`] and [`Reader::value`], with no visitor, seed or
//! `Result` per member in between); everything else (value types, a verdict-only check's
//! `Deserialize`, a caller's type) through the reader's serde `Deserializer`. It handles the
//! common shapes of Discord's JSON and *gives up* ([`Bail`]) on anything else: floats, integers
//! that do not fit, surrogate escapes, deep nesting, any syntax error, any type mismatch, and,
//! reading bytes ([`from_slice`]), invalid UTF-8, which it checks in the same pass. The
//! caller then decodes the same text with serde_json, which decides the result and words the
//! error, so this path never changes what is accepted, only how fast.
//!
//! The rule that keeps it correct: it returns a value only for input that serde_json accepts
//! too, and it makes the same visitor calls serde_json makes (`visit_borrowed_str` for strings
//! without escapes, `visit_u64` / `visit_i64` for integers, `visit_none` for `null` in an
//! option, the raw-value protocol for `Box<RawValue>`), so the value is the same; a direct
//! decoder reads what the model's serde decoder reads, step for step (`Reader`'s direct calls
//! say which `Deserializer` call each stands for). `tests/fast_path.rs` checks that on
//! fixtures, hostile inputs and mutated payloads.
//!
//! [`Decode::direct`]: crate::decode::Decode::direct

use std::fmt;

use serde::de::{self, DeserializeSeed, Visitor};

/// The fast path gave up; the caller falls back to serde_json.
#[derive(Debug)]
#[doc(hidden)]
pub struct Bail;

impl fmt::Display for Bail {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("fast path gave up")
    }
}

impl std::error::Error for Bail {}

impl de::Error for Bail {
    #[cold]
    fn custom<T: fmt::Display>(_: T) -> Self {
        Bail
    }
}

type Result<T> = std::result::Result<T, Bail>;

use crate::unknown::RAW_TOKEN;

/// Nesting of its own containers this path handles; deeper input is left to serde_json.
const MAX_DEPTH: u32 = 100;

/// The deepest nesting of arrays and objects a document may have, the same everywhere in this
/// crate: serde_json's limit (its 128th nested container is "recursion limit exceeded"). The
/// decoders (both readers, unknown fields included: see [`too_deep`]), the validator and
/// `serde_json::Value` all accept exactly the documents that nest at most this deep.
pub(crate) const MAX_NESTING: usize = 127;

/// Decodes `text` as one JSON value of type `T` (its direct decoder, [`Decode::direct`]), or
/// `None` to fall back to serde_json.
///
/// [`Decode::direct`]: crate::decode::Decode::direct
#[inline(always)]
pub(crate) fn from_str<'a, T: crate::decode::Decode<'a>>(text: &'a str) -> Option<T> {
    direct(Reader::new(text, NoHook))
}

/// [`from_str`] for bytes not yet known to be UTF-8: the reader checks the UTF-8 of what it
/// reads (every byte of a value it returns) in the same pass, and gives up on invalid UTF-8
/// (serde_json words the error). One pass instead of a UTF-8 check over the whole input
/// first; the same reader and decoders, so no second copy of them is compiled.
#[inline(always)]
pub(crate) fn from_slice<'a, T: crate::decode::Decode<'a>>(bytes: &'a [u8]) -> Option<T> {
    direct(Reader::checked(bytes, NoHook))
}

#[inline(always)]
fn direct<'a, T: crate::decode::Decode<'a>>(mut de: Direct<'a>) -> Option<T> {
    match T::direct(&mut de) {
        Ok(value) if de.at_end() => Some(value),
        _ => None,
    }
}

/// Decodes `text` through `T`'s `Deserialize` (the validator's checks), reporting what it
/// reads to `hook` (see [`Hook`]); `None` also when the hook gives up.
#[cfg_attr(not(feature = "validate"), allow(dead_code))] // only the validator's checks use it
pub(crate) fn from_str_with<'a, T: de::Deserialize<'a>, H: Hook<'a>>(
    text: &'a str,
    hook: H,
) -> Option<T> {
    from_str_seed(text, std::marker::PhantomData::<T>, hook)
}

fn from_str_seed<'a, S: DeserializeSeed<'a>, H: Hook<'a>>(
    text: &'a str,
    seed: S,
    hook: H,
) -> Option<S::Value> {
    let mut de = Reader::new(text, hook);
    let value = de.element(seed).ok()?;
    de.at_end().then_some(value)
}

/// A scalar token as the reader read it.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(not(feature = "validate"), allow(dead_code))] // only the validator's hook reads it
#[doc(hidden)]
pub enum Token<'a> {
    Null,
    Bool(bool),
    /// A number's source text.
    Number(&'a str),
    /// A string's text; `None` when it holds escapes (its text differs from its bytes).
    Str(Option<&'a str>),
}

/// What the reader tells an observer while it decodes: the validator checks the spec in the
/// same pass as the SDK decode with one (`validate::fast`). Positions are byte offsets into
/// the text. Every value the decode reads token by token is reported as `value_begin`, then
/// either one `scalar` or an `open` ... `close` pair (with the members or items between), then
/// `value_end`; a value the decode skips or keeps raw (unknown fields) has no events between
/// `value_begin` and `value_end`. An `Err` makes the decode give up. The decoder's own
/// [`NoHook`] has `ACTIVE == false`, so none of this is compiled into it.
#[doc(hidden)]
pub trait Hook<'a> {
    /// Whether the reader reports at all.
    const ACTIVE: bool = true;
    /// A value (the root, an object member's or an array item) starts at `at`.
    fn value_begin(&mut self, _at: usize) -> Result<()> {
        Ok(())
    }
    /// The value that began at `start` ends before `end`.
    fn value_end(&mut self, _start: usize, _end: usize) -> Result<()> {
        Ok(())
    }
    /// An object member's key starts (with its quote) at `at`; `None` when it has escapes.
    fn key(&mut self, _at: usize, _key: Option<&'a str>) -> Result<()> {
        Ok(())
    }
    /// An object (or array) opens at `at`.
    fn open(&mut self, _at: usize, _object: bool) -> Result<()> {
        Ok(())
    }
    /// The innermost open container closes; `end` is just past its bracket.
    fn close(&mut self, _end: usize) -> Result<()> {
        Ok(())
    }
    /// A scalar value starts at `at`.
    fn scalar(&mut self, _at: usize, _token: Token<'a>) -> Result<()> {
        Ok(())
    }
}

/// The plain decoder's observer: nothing.
#[doc(hidden)]
pub struct NoHook;

impl Hook<'_> for NoHook {
    const ACTIVE: bool = false;
}

/// The reader of the decoders' fast path: a serde `Deserializer`, and for the generated direct
/// decoders ([`Direct`]) a few calls of its own.
///
/// Its input is text (`&str`) or bytes not yet known to be UTF-8 ([`Reader::checked`]); the
/// strings and raw texts it hands out are `&str` cut from the input by [`Reader::slice`],
/// whose proof rests on one invariant of the reader: **every byte it has read past is ASCII,
/// or inside a string and UTF-8-checked** (for bytes input; text is UTF-8 already). Outside
/// strings only the JSON grammar's ASCII bytes are ever consumed (structure, whitespace,
/// numbers, literals: each is matched byte by byte against ASCII values, and any other byte
/// stops the reader, which then gives up); inside strings every run of bytes from 0x80 up
/// is stopped at and checked by [`scan`](Self::scan) when `high` is set.
#[doc(hidden)]
pub struct Reader<'a, H> {
    bytes: &'a [u8],
    /// Whether the input is bytes whose UTF-8 the reader checks (the string scan stops at bytes
    /// from 0x80 up), not text (`&str`, UTF-8 already). Tested once per string scan, which
    /// then runs the scan loop of its mode (a branch the CPU predicts: one mode per decode).
    high: bool,
    pos: usize,
    depth: u32,
    scratch: String,
    /// Set when a string with escapes is read (for the hook's keys).
    escaped: bool,
    /// Set when a string skipped has a `\u` escape (for the checks of unknown fields' text).
    unicode: bool,
    hook: H,
}

/// The reader as the generated direct decoders ([`Decode::direct`]) see it: no observer.
///
/// [`Decode::direct`]: crate::decode::Decode::direct
#[doc(hidden)]
pub type Direct<'a> = Reader<'a, NoHook>;

/// A string token: borrowed from the input, or unescaped into the scratch buffer.
enum Str<'a> {
    Borrowed(&'a str),
    Copied,
}

/// An integer token.
enum Int {
    U(u64),
    I(i64),
}

const ONES: u64 = 0x0101_0101_0101_0101;
/// Bit 7 of every byte of a word (the eight-at-a-time byte tests' result bits).
pub(crate) const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Eight bytes as a word, the first byte lowest, for the eight-at-a-time byte tests here and
/// in the validator.
#[inline(always)]
pub(crate) fn word(chunk: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(chunk);
    u64::from_le_bytes(w)
}

/// The value of eight decimal digit values (0 to 9), one a byte, the first (most significant)
/// lowest: pairs, then fours, then all eight, a multiply each (the SWAR conversion of
/// fast_float and simdjson).
#[inline(always)]
fn eight_digits(v: u64) -> u64 {
    let v = v.wrapping_mul(10 * 256 + 1) >> 8;
    let v = (v & 0x00FF_00FF_00FF_00FF).wrapping_mul(100 * 65_536 + 1) >> 16;
    (v & 0x0000_FFFF_0000_FFFF).wrapping_mul((10_000 << 32) + 1) >> 32
}

/// Bit 7 of each byte of the result is set at the first byte (lowest address) of `w` that
/// equals `c` (higher bytes may be set too): the classic has-zero-byte test, exact for "any".
#[inline(always)]
pub(crate) fn bytes_equal(w: u64, c: u8) -> u64 {
    let x = w ^ (ONES * u64::from(c));
    x.wrapping_sub(ONES) & !x & HIGHS
}

/// Bit 7 of each byte of the result is set at the first byte (lowest address) of `w` that is
/// `"`, `\` or a control character (higher bytes may be set too; only the lowest is exact).
#[inline]
pub fn special(w: u64) -> u64 {
    let control = w.wrapping_sub(ONES * 0x20) & !w & HIGHS;
    bytes_equal(w, b'"') | bytes_equal(w, b'\\') | control
}

/// The index of the first `"`, `\` or control character (below 0x20) at or after `i`, or the
/// length of `b`: where a string's plain run ends (and the bytes JSON must escape). Eight bytes
/// at a time. The validator's scanner and the CLI's JSON writer use it too.
#[inline(always)]
pub fn next_special(b: &[u8], i: usize) -> usize {
    next_stop::<false>(b, i)
}

/// [`next_special`], stopping also at the bytes from 0x80 up (the non-ASCII bytes, whose
/// UTF-8 the reader checks) when `HIGH`: the bytes' top bits join the other tests' result
/// bits (one OR more per step).
#[inline(always)]
fn next_stop<const HIGH: bool>(b: &[u8], mut i: usize) -> usize {
    #[cfg(target_arch = "x86_64")]
    while let Some(chunk) = b.get(i..i + 16).and_then(|c| <&[u8; 16]>::try_from(c).ok()) {
        let m = special16::<HIGH>(chunk);
        if m != 0 {
            return i + m.trailing_zeros() as usize;
        }
        i += 16;
    }
    while let Some(chunk) = b.get(i..i + 8) {
        let w = word(chunk);
        // The top bits are exact at every byte: no borrow between bytes.
        let m = if HIGH {
            special(w) | (w & HIGHS)
        } else {
            special(w)
        };
        if m != 0 {
            return i + (m.trailing_zeros() / 8) as usize;
        }
        i += 8;
    }
    while let Some(&c) = b.get(i) {
        if c == b'"' || c == b'\\' || c < 0x20 || (HIGH && c >= 0x80) {
            return i;
        }
        i += 1;
    }
    i
}

/// Bit `k` of the result is set when byte `k` of `chunk` is `"`, `\` or a control character,
/// or, with `HIGH`, a non-ASCII byte (from 0x80 up): [`special`] sixteen bytes at a time, in
/// SSE2 (part of every x86-64 CPU), about half the instructions per byte of the word-wide
/// test.
#[cfg(target_arch = "x86_64")]
#[inline(always)]
#[allow(unsafe_code)]
fn special16<const HIGH: bool>(chunk: &[u8; 16]) -> u32 {
    use std::arch::x86_64::{
        __m128i, _mm_cmpeq_epi8, _mm_loadu_si128, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_set1_epi8,
    };
    // SAFETY: `chunk` is 16 readable bytes (its type says so), exactly what
    // `_mm_loadu_si128` reads, and it has no alignment requirement. The intrinsics need SSE2,
    // which is in x86-64's baseline: every CPU this code is built for has it (the compiler
    // enables it for every x86_64 target).
    unsafe {
        let v = _mm_loadu_si128(chunk.as_ptr().cast::<__m128i>());
        let quote = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'"' as i8));
        let backslash = _mm_cmpeq_epi8(v, _mm_set1_epi8(b'\\' as i8));
        // Below 0x20, unsigned: the byte is its own minimum with 0x1F.
        let control = _mm_cmpeq_epi8(_mm_min_epu8(v, _mm_set1_epi8(0x1F)), v);
        let special = _mm_or_si128(_mm_or_si128(quote, backslash), control);
        // `movemask` takes each byte's top bit: of the input itself, the non-ASCII bytes.
        let special = if HIGH {
            _mm_or_si128(special, v)
        } else {
            special
        };
        _mm_movemask_epi8(special) as u32
    }
}

/// The end of the JSON number (RFC 8259 grammar) that starts at `start`; `Err(at)`: the offset
/// where the grammar breaks (past a `-` for a missing first digit, past the `.`, `e` or sign
/// for missing digits). Shared by this reader and the validator's two parsers.
pub(crate) fn number_end(b: &[u8], start: usize) -> std::result::Result<usize, usize> {
    let digits = |mut i: usize| {
        let from = i;
        while let Some(b'0'..=b'9') = b.get(i) {
            i += 1;
        }
        (i, i > from)
    };
    let mut i = start + usize::from(b.get(start) == Some(&b'-'));
    match b.get(i) {
        Some(b'0') => i += 1,
        Some(b'1'..=b'9') => i = digits(i).0,
        _ => return Err(i),
    }
    if b.get(i) == Some(&b'.') {
        match digits(i + 1) {
            (end, true) => i = end,
            (end, false) => return Err(end),
        }
    }
    if let Some(b'e' | b'E') = b.get(i) {
        i += 1;
        if let Some(b'+' | b'-') = b.get(i) {
            i += 1;
        }
        match digits(i) {
            (end, true) => i = end,
            (end, false) => return Err(end),
        }
    }
    Ok(i)
}

/// A container open in [`too_deep`]'s scan: an array and the index of its current item, or an
/// object and the byte range of its current key (with quotes).
enum Open {
    Array(usize),
    Object(Option<(usize, usize)>),
}

/// Where a document first nests deeper than [`MAX_NESTING`]: the offset of the bracket that
/// opens one container too many, and the JSON pointer of that container. `None` when it does
/// not. One pass over `b`, which is valid JSON up to that point (the caller has the text
/// checked): serde_json's raw values (kept unknown fields) skip nested text without a depth
/// limit, so the byte decoder runs this on what serde_json accepted.
pub(crate) fn too_deep(b: &[u8]) -> Option<(usize, String)> {
    too_deep_below(b, MAX_NESTING)
}

/// [`too_deep`] with another limit: where `b` first nests deeper than `max`.
pub(crate) fn too_deep_below(b: &[u8], max: usize) -> Option<(usize, String)> {
    let mut open: Vec<Open> = Vec::new();
    let mut key_next = false;
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i;
                i += 1;
                loop {
                    i = next_special(b, i);
                    match b.get(i) {
                        Some(b'"') => break,
                        Some(b'\\') => i += 2,
                        Some(_) => i += 1,
                        None => return None,
                    }
                }
                if key_next {
                    if let Some(Open::Object(key)) = open.last_mut() {
                        *key = Some((start, i + 1));
                    }
                    key_next = false;
                }
            }
            c @ (b'[' | b'{') => {
                if open.len() >= max {
                    return Some((i, pointer_of_open(b, &open)));
                }
                open.push(if c == b'[' {
                    Open::Array(0)
                } else {
                    Open::Object(None)
                });
                key_next = c == b'{';
            }
            b']' | b'}' => {
                open.pop();
            }
            b',' => match open.last_mut() {
                Some(Open::Array(n)) => *n += 1,
                Some(Open::Object(_)) => key_next = true,
                None => {}
            },
            _ => {}
        }
        i += 1;
    }
    None
}

/// The JSON pointer of the value the innermost of `open` is at (see [`too_deep`]).
fn pointer_of_open(b: &[u8], open: &[Open]) -> String {
    let mut p = String::new();
    for o in open {
        p.push('/');
        match o {
            Open::Array(n) => p.push_str(&n.to_string()),
            Open::Object(Some((s, e))) => {
                let key: String = std::str::from_utf8(&b[*s..*e])
                    .ok()
                    .and_then(|k| serde_json::from_str(k).ok())
                    .unwrap_or_default();
                p.push_str(&crate::escape_pointer_token(&key));
            }
            Open::Object(None) => {}
        }
    }
    p
}

impl<'a, H: Hook<'a>> Reader<'a, H> {
    /// A reader of text.
    fn new(text: &'a str, hook: H) -> Self {
        Self::with(text.as_bytes(), false, hook)
    }

    /// A reader of bytes not yet known to be UTF-8: it checks the UTF-8 of every string it
    /// reads or skips, and gives up on invalid UTF-8.
    fn checked(bytes: &'a [u8], hook: H) -> Self {
        Self::with(bytes, true, hook)
    }

    fn with(bytes: &'a [u8], high: bool, hook: H) -> Self {
        Reader {
            bytes,
            high,
            pos: 0,
            depth: 0,
            scratch: String::new(),
            escaped: false,
            unicode: false,
            hook,
        }
    }

    /// Only whitespace is left.
    fn at_end(&mut self) -> bool {
        self.skip_ws();
        self.pos == self.bytes.len()
    }

    /// Before an object's member or an array's item: `false` at the container's `close` (not
    /// read); else `true`, with the comma before it (and the whitespace after) read unless it
    /// is the `first`. A comma before `close` (`[1,]`, `{"a":1,}`, serde_json's errors to word)
    /// gives up at the member or item that follows: no key or value starts with `]` or `}`.
    #[inline(always)]
    fn more(&mut self, first: &mut bool, close: u8) -> Result<bool> {
        let c = self.peek_ws()?;
        if c == close {
            return Ok(false);
        }
        if *first {
            *first = false;
        } else if c == b',' {
            self.pos += 1;
            self.skip_ws();
        } else {
            return Err(Bail);
        }
        Ok(true)
    }

    #[inline]
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    #[inline]
    fn skip_ws(&mut self) {
        // Compact JSON has none: one test for that case.
        if self.peek().is_some_and(|c| c > b' ') {
            return;
        }
        while let Some(b' ' | b'\n' | b'\r' | b'\t') = self.peek() {
            self.pos += 1;
        }
    }

    /// The next non-whitespace byte, not consumed.
    #[inline]
    fn peek_ws(&mut self) -> Result<u8> {
        // Compact JSON (what Discord sends) has no whitespace: one test for that case.
        match self.peek() {
            Some(c) if c > b' ' => Ok(c),
            _ => {
                self.skip_ws();
                self.peek().ok_or(Bail)
            }
        }
    }

    #[inline]
    fn expect(&mut self, b: u8) -> Result<()> {
        if self.peek_ws()? == b {
            self.pos += 1;
            Ok(())
        } else {
            Err(Bail)
        }
    }

    #[inline]
    fn literal(&mut self, word: &[u8]) -> Result<()> {
        if self.bytes[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// The input's bytes `start..end` as text.
    ///
    /// # Safety
    ///
    /// `start..end` is within the input, the reader has read past all of its bytes (so they
    /// are ASCII or in checked runs of non-ASCII bytes: the invariant on [`Reader`]), and no
    /// such run crosses either end of the range: at each end, the byte just inside or the
    /// byte just outside the range is ASCII (or that end is the input's). A checked run is a
    /// whole run between ASCII bytes, valid UTF-8 by itself; text input is valid throughout,
    /// and a range ending next to an ASCII byte cuts no character.
    #[inline(always)]
    #[allow(unsafe_code)]
    unsafe fn slice(&self, start: usize, end: usize) -> &'a str {
        debug_assert!(std::str::from_utf8(&self.bytes[start..end]).is_ok());
        // SAFETY: the caller's promise: the bytes are ASCII or whole runs of non-ASCII bytes
        // that are valid UTF-8 (checked by `scan`, or part of a `&str` input), so valid UTF-8
        // as a whole. The range is within `bytes` (the caller's promise; `get_unchecked`
        // is not used, so a broken promise here would panic, not read out of bounds).
        unsafe { std::str::from_utf8_unchecked(&self.bytes[start..end]) }
    }

    /// The position of the first `"`, `\` or control byte at or after `i`, inside a string.
    /// Reading bytes input, it checks the UTF-8 of every run of non-ASCII bytes on the way
    /// (and gives up on invalid UTF-8): then everything before the position is checked.
    #[inline(always)]
    fn scan(&self, i: usize) -> Result<usize> {
        if !self.high {
            let i = next_stop::<false>(self.bytes, i);
            return if i < self.bytes.len() {
                Ok(i)
            } else {
                Err(Bail)
            };
        }
        let i = next_stop::<true>(self.bytes, i);
        match self.bytes.get(i) {
            Some(&c) if c < 0x80 => Ok(i),
            Some(_) => self.scan_utf8(i),
            None => Err(Bail),
        }
    }

    /// [`scan`](Self::scan) from a non-ASCII byte at `i` (bytes input only): checks each run
    /// of non-ASCII bytes, then scans on.
    #[inline(never)]
    fn scan_utf8(&self, mut i: usize) -> Result<usize> {
        loop {
            // A run of non-ASCII bytes between ASCII ones is valid UTF-8 exactly when the
            // input is there: an ASCII byte is never part of a multi-byte sequence.
            let run = self.bytes[i..].iter().position(|&c| c < 0x80);
            let end = run.map_or(self.bytes.len(), |n| i + n);
            if std::str::from_utf8(&self.bytes[i..end]).is_err() {
                return Err(Bail);
            }
            i = next_stop::<true>(self.bytes, end);
            match self.bytes.get(i) {
                Some(&c) if c < 0x80 => return Ok(i),
                Some(_) => {}
                None => return Err(Bail),
            }
        }
    }

    /// Reads a string after its opening quote.
    #[inline(always)]
    fn string(&mut self) -> Result<Str<'a>> {
        let start = self.pos;
        let end = self.scan(start)?;
        if self.bytes.get(end) == Some(&b'"') {
            self.pos = end + 1;
            // SAFETY: `scan` read `start..end` (a string's plain run: ASCII or checked) and
            // stopped at `end`, a quote; the byte before `start` is the opening quote.
            #[allow(unsafe_code)]
            let s = unsafe { self.slice(start, end) };
            return Ok(Str::Borrowed(s));
        }
        self.string_escaped(start, end)
    }

    /// The rest of a string that has an escape (or a control byte) at `end`.
    #[cold]
    #[inline(never)]
    fn string_escaped(&mut self, start: usize, mut end: usize) -> Result<Str<'a>> {
        self.escaped = true;
        self.scratch.clear();
        let mut from = start;
        loop {
            // SAFETY: `scan` read `from..end` (a plain run: ASCII or checked) and stopped at
            // `end`, an ASCII byte; the byte before `from` is the opening quote or the last of
            // an escape, ASCII.
            #[allow(unsafe_code)]
            let run = unsafe { self.slice(from, end) };
            self.scratch.push_str(run);
            match self.bytes[end] {
                b'"' => {
                    self.pos = end + 1;
                    return Ok(Str::Copied);
                }
                b'\\' => {
                    let c = match self.bytes.get(end + 1) {
                        Some(b'"') => '"',
                        Some(b'\\') => '\\',
                        Some(b'/') => '/',
                        Some(b'b') => '\u{8}',
                        Some(b'f') => '\u{c}',
                        Some(b'n') => '\n',
                        Some(b'r') => '\r',
                        Some(b't') => '\t',
                        Some(b'u') => {
                            let hex = self.bytes.get(end + 2..end + 6).ok_or(Bail)?;
                            let mut n = 0u32;
                            for &h in hex {
                                n = n * 16 + char::from(h).to_digit(16).ok_or(Bail)?;
                            }
                            // Surrogates (pairs or not) are serde_json's business.
                            let c = char::from_u32(n).ok_or(Bail)?;
                            end += 4;
                            c
                        }
                        _ => return Err(Bail),
                    };
                    self.scratch.push(c);
                    from = end + 2;
                    end = self.scan(from)?;
                }
                _ => return Err(Bail),
            }
        }
    }

    /// Skips a string after its opening quote, checking it as serde_json's `ignore_str` does.
    fn skip_string(&mut self) -> Result<()> {
        let mut end = self.scan(self.pos)?;
        loop {
            match self.bytes[end] {
                b'"' => {
                    self.pos = end + 1;
                    return Ok(());
                }
                b'\\' => {
                    let next = match self.bytes.get(end + 1) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => end + 2,
                        Some(b'u') => {
                            let hex = self.bytes.get(end + 2..end + 6).ok_or(Bail)?;
                            if !hex.iter().all(u8::is_ascii_hexdigit) {
                                return Err(Bail);
                            }
                            self.unicode = true;
                            end + 6
                        }
                        _ => return Err(Bail),
                    };
                    end = self.scan(next)?;
                }
                _ => return Err(Bail),
            }
        }
    }

    #[inline]
    fn digit(&self) -> Option<u8> {
        self.peek().filter(u8::is_ascii_digit)
    }

    /// An integer in serde_json's grammar that serde_json reads as `u64` or `i64` (not as a
    /// float): no fraction, no exponent, no `-0`, no overflow.
    #[inline(always)]
    fn integer(&mut self) -> Result<Int> {
        let neg = self.peek() == Some(b'-');
        if neg {
            self.pos += 1;
        }
        let n = match self.short_digits() {
            Some(n) => n,
            None => self.digits()?,
        };
        if let Some(b'.' | b'e' | b'E') = self.peek() {
            return Err(Bail);
        }
        if !neg {
            return Ok(Int::U(n));
        }
        match i64::try_from(n) {
            Ok(n) if n > 0 => Ok(Int::I(-n)),
            _ => Err(Bail),
        }
    }

    /// One to seven digits (most of Discord's integers) with no leading zero, read from one
    /// word without a loop: their count from a digit test on all eight bytes, their value by
    /// [`eight_digits`]. `None` (nothing read) for anything else: [`digits`](Self::digits).
    #[inline(always)]
    fn short_digits(&mut self) -> Option<u64> {
        let chunk = self.bytes.get(self.pos..self.pos + 8)?;
        let d = word(chunk).wrapping_sub(ONES * u64::from(b'0'));
        // Bit 7 of a byte is set where it is no digit. Exact from the first such byte on: a
        // borrow or carry starts only at a byte that is no digit and moves to later bytes.
        let other = (d.wrapping_add(ONES * 0x76) | d) & HIGHS;
        let n = (other.trailing_zeros() / 8) as usize;
        if n == 0 || n == 8 || (n > 1 && chunk[0] == b'0') {
            return None;
        }
        self.pos += n;
        // The digits in the word's top bytes, zeros (leading zero digits) below them.
        Some(eight_digits(d << (8 * (8 - n))))
    }

    /// The digits of an integer one by one, checked for overflow.
    fn digits(&mut self) -> Result<u64> {
        let mut n: u64 = match self.digit() {
            Some(b'0') => {
                self.pos += 1;
                if self.digit().is_some() {
                    return Err(Bail);
                }
                0
            }
            Some(d) => {
                self.pos += 1;
                u64::from(d - b'0')
            }
            None => return Err(Bail),
        };
        while let Some(d) = self.digit() {
            n = n
                .checked_mul(10)
                .and_then(|n| n.checked_add(u64::from(d - b'0')))
                .ok_or(Bail)?;
            self.pos += 1;
        }
        Ok(n)
    }

    /// Skips a number in JSON's grammar (serde_json's `ignore_integer` and what follows).
    fn skip_number(&mut self) -> Result<()> {
        self.pos = number_end(self.bytes, self.pos).map_err(|_| Bail)?;
        Ok(())
    }

    /// Skips one value, checking its syntax; iterative, with a bounded bracket stack.
    fn skip_value(&mut self) -> Result<()> {
        // Bit i of `objects` is set when the container at depth i + 1 is an object.
        let mut objects: u128 = 0;
        let mut depth: u32 = 0;
        loop {
            // A value.
            match self.peek_ws()? {
                b'"' => {
                    self.pos += 1;
                    self.skip_string()?;
                }
                b'-' | b'0'..=b'9' => self.skip_number()?,
                b'n' => self.literal(b"null")?,
                b't' => self.literal(b"true")?,
                b'f' => self.literal(b"false")?,
                open @ (b'[' | b'{') => {
                    self.pos += 1;
                    // The document's nesting, not only the skipped value's: a kept unknown
                    // field obeys the same limit as everything else.
                    if (self.depth + depth) as usize >= MAX_NESTING {
                        return Err(Bail);
                    }
                    let object = open == b'{';
                    let close = if object { b'}' } else { b']' };
                    if self.peek_ws()? == close {
                        self.pos += 1;
                    } else {
                        objects = (objects & !(1 << depth)) | (u128::from(object) << depth);
                        depth += 1;
                        if object {
                            self.key_colon()?;
                        }
                        continue;
                    }
                }
                _ => return Err(Bail),
            }
            // After a value: a comma, or the ends of containers.
            loop {
                if depth == 0 {
                    return Ok(());
                }
                let object = objects & (1 << (depth - 1)) != 0;
                match self.peek_ws()? {
                    b',' => {
                        self.pos += 1;
                        if object {
                            self.key_colon()?;
                        }
                        break;
                    }
                    b'}' if object => {
                        self.pos += 1;
                        depth -= 1;
                    }
                    b']' if !object => {
                        self.pos += 1;
                        depth -= 1;
                    }
                    _ => return Err(Bail),
                }
            }
        }
    }

    /// `"key":` inside an object being skipped.
    fn key_colon(&mut self) -> Result<()> {
        self.expect(b'"')?;
        self.skip_string()?;
        self.expect(b':')
    }

    #[inline(always)]
    fn visit_string<V: Visitor<'a>>(&mut self, visitor: V) -> Result<V::Value> {
        match self.string()? {
            Str::Borrowed(s) => visitor.visit_borrowed_str(s),
            Str::Copied => visitor.visit_str(&self.scratch),
        }
    }

    /// A string value (its opening quote already read), reported to the hook.
    #[inline(always)]
    fn value_string<V: Visitor<'a>>(&mut self, visitor: V) -> Result<V::Value> {
        let at = self.pos - 1;
        match self.string()? {
            Str::Borrowed(s) => {
                if H::ACTIVE {
                    self.hook.scalar(at, Token::Str(Some(s)))?;
                }
                visitor.visit_borrowed_str(s)
            }
            Str::Copied => {
                if H::ACTIVE {
                    self.hook.scalar(at, Token::Str(None))?;
                }
                visitor.visit_str(&self.scratch)
            }
        }
    }

    /// An integer value at the reader, reported to the hook.
    #[inline(always)]
    fn value_integer(&mut self) -> Result<Int> {
        let at = self.pos;
        let n = self.integer()?;
        if H::ACTIVE {
            // SAFETY: `integer` read `at..pos`, a sign and digits: ASCII.
            #[allow(unsafe_code)]
            let number = unsafe { self.slice(at, self.pos) };
            self.hook.scalar(at, Token::Number(number))?;
        }
        Ok(n)
    }

    /// The literal `word` at the reader, reported to the hook as `token`.
    #[inline(always)]
    fn value_literal(&mut self, word: &[u8], token: Token<'a>) -> Result<()> {
        let at = self.pos;
        self.literal(word)?;
        if H::ACTIVE {
            self.hook.scalar(at, token)?;
        }
        Ok(())
    }

    /// An object (or array) at the reader: its brackets, the depth limit and the hook around
    /// `visit`, which reads the members (items).
    #[inline(always)]
    fn container<T>(
        &mut self,
        object: bool,
        visit: impl FnOnce(&mut Self) -> Result<T>,
    ) -> Result<T> {
        let (open, close) = if object { (b'{', b'}') } else { (b'[', b']') };
        self.expect(open)?;
        self.enter()?;
        if H::ACTIVE {
            self.hook.open(self.pos - 1, object)?;
        }
        let value = visit(self)?;
        self.expect(close)?;
        self.depth -= 1;
        if H::ACTIVE {
            self.hook.close(self.pos)?;
        }
        Ok(value)
    }

    /// A member's value or an item (after its `:` or `,`), reported to the hook as a value.
    #[inline(always)]
    fn element<T: DeserializeSeed<'a>>(&mut self, seed: T) -> Result<T::Value> {
        if !H::ACTIVE {
            return seed.deserialize(self);
        }
        self.skip_ws();
        let at = self.pos;
        self.hook.value_begin(at)?;
        let value = seed.deserialize(&mut *self)?;
        self.hook.value_end(at, self.pos)?;
        Ok(value)
    }

    #[inline]
    fn enter(&mut self) -> Result<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Bail);
        }
        Ok(())
    }
}

/// What the generated direct decoders call: an object's members, a value's raw text, and
/// the steps of an array, with the same checks (and the same give-ups) as the `Deserializer`
/// calls they stand for (`deserialize_map`, `next_key`, `next_value`, the raw-value protocol,
/// `deserialize_seq`, `deserialize_option`).
impl<'a> Reader<'a, NoHook> {
    /// An object's opening brace; then [`key`](Self::key) until it says `None`.
    #[inline]
    pub(crate) fn object(&mut self) -> Result<()> {
        self.expect(b'{')?;
        self.enter()
    }

    /// The next member's key and its colon, or `None` (the closing brace read) after the last.
    /// `first`: no member has been read yet. A key with escapes (none in Discord's payloads)
    /// is unescaped into `owned`, the decoder's buffer for such keys.
    #[inline(always)]
    pub(crate) fn key<'k>(
        &mut self,
        first: &mut bool,
        owned: &'k mut String,
    ) -> Result<Option<&'k str>>
    where
        'a: 'k,
    {
        if !self.more(first, b'}')? {
            self.pos += 1;
            self.depth -= 1;
            return Ok(None);
        }
        // A key must be a string.
        if self.peek() != Some(b'"') {
            return Err(Bail);
        }
        self.pos += 1;
        let key = match self.string()? {
            Str::Borrowed(key) => key,
            Str::Copied => {
                owned.clone_from(&self.scratch);
                owned.as_str()
            }
        };
        self.expect(b':')?;
        Ok(Some(key))
    }

    /// A member's value or an item, decoded directly.
    #[inline(always)]
    pub(crate) fn value<T: crate::decode::Decode<'a>>(&mut self) -> Result<T> {
        T::direct(self)
    }

    /// A value's raw text, its syntax checked (what the raw-value protocol hands over), and
    /// whether it has a `\u` escape. It nests within the document's limit (`skip_value`).
    #[inline]
    pub(crate) fn raw(&mut self) -> Result<(&'a str, bool)> {
        self.skip_ws();
        let start = self.pos;
        self.unicode = false;
        self.skip_value()?;
        // SAFETY: `skip_value` read `start..pos`, one value: ASCII tokens and strings read by
        // `scan`; its first and last bytes are ASCII (a value starts with `"`, `[`, `{`, `-`,
        // a digit or a literal's letter, and ends with `"`, `]`, `}`, a digit or a letter).
        #[allow(unsafe_code)]
        let text = unsafe { self.slice(start, self.pos) };
        Ok((text, self.unicode))
    }

    /// `null` (read) or not (nothing read): an option's first step.
    #[inline(always)]
    pub(crate) fn null(&mut self) -> Result<bool> {
        if self.peek_ws()? == b'n' {
            self.literal(b"null")?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// An array's opening bracket; then [`item`](Self::item) until it says `false`.
    #[inline]
    pub(crate) fn array(&mut self) -> Result<()> {
        self.expect(b'[')?;
        self.enter()
    }

    /// Whether another item follows (its comma read), or the array ended (its bracket read).
    #[inline]
    pub(crate) fn item(&mut self, first: &mut bool) -> Result<bool> {
        if self.more(first, b']')? {
            return Ok(true);
        }
        self.pos += 1;
        self.depth -= 1;
        Ok(false)
    }
}

macro_rules! bail {
    ($($name:ident)*) => {
        $(
            fn $name<V: Visitor<'a>>(self, _: V) -> Result<V::Value> {
                Err(Bail)
            }
        )*
    };
}

macro_rules! integers {
    ($($name:ident)*) => {
        $(
            #[inline]
            fn $name<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
                match self.peek_ws()? {
                    b'-' | b'0'..=b'9' => match self.value_integer()? {
                        Int::U(n) => visitor.visit_u64(n),
                        Int::I(n) => visitor.visit_i64(n),
                    },
                    _ => Err(Bail),
                }
            }
        )*
    };
}

impl<'a, H: Hook<'a>> de::Deserializer<'a> for &mut Reader<'a, H> {
    type Error = Bail;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        match self.peek_ws()? {
            b'"' => {
                self.pos += 1;
                self.value_string(visitor)
            }
            b'-' | b'0'..=b'9' => match self.value_integer()? {
                Int::U(n) => visitor.visit_u64(n),
                Int::I(n) => visitor.visit_i64(n),
            },
            b'n' => {
                self.value_literal(b"null", Token::Null)?;
                visitor.visit_unit()
            }
            b't' => {
                self.value_literal(b"true", Token::Bool(true))?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.value_literal(b"false", Token::Bool(false))?;
                visitor.visit_bool(false)
            }
            b'[' => self.deserialize_seq(visitor),
            b'{' => self.deserialize_map(visitor),
            _ => Err(Bail),
        }
    }

    #[inline]
    fn deserialize_bool<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        match self.peek_ws()? {
            b't' => {
                self.value_literal(b"true", Token::Bool(true))?;
                visitor.visit_bool(true)
            }
            b'f' => {
                self.value_literal(b"false", Token::Bool(false))?;
                visitor.visit_bool(false)
            }
            _ => Err(Bail),
        }
    }

    integers! {
        deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64
    }

    bail! {
        deserialize_f32 deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf
    }

    #[inline]
    fn deserialize_str<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        self.expect(b'"')?;
        self.value_string(visitor)
    }

    #[inline]
    fn deserialize_string<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    #[inline]
    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        if self.peek_ws()? == b'n' {
            self.value_literal(b"null", Token::Null)?;
            visitor.visit_none()
        } else {
            visitor.visit_some(self)
        }
    }

    fn deserialize_unit<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        if self.peek_ws()? == b'n' {
            self.value_literal(b"null", Token::Null)?;
            visitor.visit_unit()
        } else {
            Err(Bail)
        }
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_unit(visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value> {
        if name == RAW_TOKEN {
            // serde_json's raw-value protocol: a one-entry map whose value is the raw text.
            self.skip_ws();
            let start = self.pos;
            self.skip_value()?;
            // SAFETY: as in `raw`: `skip_value` read the value `start..pos`.
            #[allow(unsafe_code)]
            let raw = unsafe { self.slice(start, self.pos) };
            visitor.visit_map(RawMap(Some(raw)))
        } else {
            visitor.visit_newtype_struct(self)
        }
    }

    fn deserialize_seq<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        self.container(false, |de| visitor.visit_seq(Seq { de, first: true }))
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _: usize, visitor: V) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        self.container(true, |de| visitor.visit_map(Map { de, first: true }))
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value> {
        // serde_json also takes an array here; that is left to it.
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_identifier<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        self.skip_value()?;
        visitor.visit_unit()
    }
}

struct Seq<'r, 'a, H> {
    de: &'r mut Reader<'a, H>,
    first: bool,
}

impl<'a, H: Hook<'a>> de::SeqAccess<'a> for Seq<'_, 'a, H> {
    type Error = Bail;

    #[inline]
    fn next_element_seed<T: DeserializeSeed<'a>>(&mut self, seed: T) -> Result<Option<T::Value>> {
        if !self.de.more(&mut self.first, b']')? {
            return Ok(None);
        }
        self.de.element(seed).map(Some)
    }
}

struct Map<'r, 'a, H> {
    de: &'r mut Reader<'a, H>,
    first: bool,
}

impl<'a, H: Hook<'a>> de::MapAccess<'a> for Map<'_, 'a, H> {
    type Error = Bail;

    #[inline]
    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if !self.de.more(&mut self.first, b'}')? {
            return Ok(None);
        }
        // A key must be a string.
        if self.de.peek() != Some(b'"') {
            return Err(Bail);
        }
        self.de.pos += 1;
        if H::ACTIVE {
            let at = self.de.pos - 1;
            self.de.escaped = false;
            let key = seed.deserialize(Key(&mut *self.de))?;
            // Without escapes, the key's text is the bytes between its quotes.
            // SAFETY: `string` read the key `at + 1..pos - 1`; the bytes just outside it are its
            // quotes.
            #[allow(unsafe_code)]
            let text =
                (!self.de.escaped).then(|| unsafe { self.de.slice(at + 1, self.de.pos - 1) });
            self.de.hook.key(at, text)?;
            return Ok(Some(key));
        }
        seed.deserialize(Key(&mut *self.de)).map(Some)
    }

    #[inline]
    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value> {
        self.de.expect(b':')?;
        self.de.element(seed)
    }
}

/// An object key (its opening quote already read): only string forms are offered.
struct Key<'r, 'a, H>(&'r mut Reader<'a, H>);

impl<'a, H: Hook<'a>> de::Deserializer<'a> for Key<'_, 'a, H> {
    type Error = Bail;

    #[inline]
    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        self.0.visit_string(visitor)
    }

    #[inline]
    fn deserialize_str<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        self.0.visit_string(visitor)
    }

    #[inline]
    fn deserialize_string<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        self.0.visit_string(visitor)
    }

    #[inline]
    fn deserialize_identifier<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value> {
        self.0.visit_string(visitor)
    }

    bail! {
        deserialize_bool deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64
        deserialize_u8 deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32
        deserialize_f64 deserialize_char deserialize_bytes deserialize_byte_buf
        deserialize_option deserialize_unit deserialize_seq deserialize_map
        deserialize_ignored_any
    }

    fn deserialize_unit_struct<V: Visitor<'a>>(self, _: &'static str, _: V) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(self, _: &'static str, _: V) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_tuple<V: Visitor<'a>>(self, _: usize, _: V) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_tuple_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        _: usize,
        _: V,
    ) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_struct<V: Visitor<'a>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value> {
        Err(Bail)
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        _: V,
    ) -> Result<V::Value> {
        Err(Bail)
    }
}

/// The map serde_json hands a raw-value visitor: the token as key, the raw text as value.
struct RawMap<'a>(Option<&'a str>);

impl<'a> de::MapAccess<'a> for RawMap<'a> {
    type Error = Bail;

    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, seed: K) -> Result<Option<K::Value>> {
        if self.0.is_none() {
            return Ok(None);
        }
        seed.deserialize(de::value::BorrowedStrDeserializer::<Bail>::new(RAW_TOKEN))
            .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value> {
        let raw = self.0.take().ok_or(Bail)?;
        seed.deserialize(de::value::BorrowedStrDeserializer::<Bail>::new(raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An integer as the digit loop reads it (the reference for the word path).
    fn by_loop(text: &str) -> Option<(u64, usize)> {
        let mut r = Reader::new(text, NoHook);
        let n = r.digits().ok()?;
        Some((n, r.pos))
    }

    #[test]
    fn short_digits_agree_with_the_digit_loop() {
        let mut numbers: Vec<u64> = (0..2000).collect();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            numbers.push(x % 10u64.pow(1 + (x % 9) as u32));
        }
        numbers.extend([9_999_999, 10_000_000, 99_999_999, 1_234_567, 86_400]);
        let mut taken = 0;
        for n in numbers {
            // Every byte after the digits, and leading zeros, which JSON forbids.
            for (after, lead) in (0..=255u8)
                .map(|b| (b, ""))
                .chain([(b',', "0"), (b'}', "00")])
            {
                let mut text = format!("{lead}{n}").into_bytes();
                text.push(after);
                text.extend_from_slice(b"        ");
                let Ok(text) = String::from_utf8(text) else {
                    continue;
                };
                let mut r = Reader::new(&text, NoHook);
                let short = r.short_digits();
                if let Some(v) = short {
                    assert_eq!(Some((v, r.pos)), by_loop(&text), "{text:?}");
                    taken += 1;
                } else {
                    assert_eq!(r.pos, 0, "{text:?}");
                }
                // The word path takes exactly the numbers of one to seven digits without a
                // leading zero (the loop reads the rest, or gives up on them).
                let k = text.bytes().take_while(u8::is_ascii_digit).count();
                let expected = (1..=7).contains(&k) && (k == 1 || !text.starts_with('0'));
                assert_eq!(short.is_some(), expected, "{text:?}");
            }
        }
        assert!(taken > 1_000_000, "{taken}");
    }

    #[test]
    fn next_special_finds_the_first_special_byte() {
        let cases: &[&[u8]] = &[
            b"abc\"",
            b"abcdefgh\"",
            b"abcdefghijklmnop\\n",
            b"\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\x01",
            b"0123456789abcdef",
            b"\"",
            b"",
            b"a\x1fbcdefgh\"",
            b"\x7f\x80\xff\x20\x21\x5b\x5d\x7e",
        ];
        for &c in cases {
            for from in 0..=c.len() {
                let want = (from..c.len())
                    .find(|&i| c[i] == b'"' || c[i] == b'\\' || c[i] < 0x20)
                    .unwrap_or(c.len());
                assert_eq!(next_special(c, from), want, "{c:?} from {from}");
            }
        }
        // Every byte value at every position of windows that take each path (sixteen at a
        // time, eight at a time, one at a time), from several starts.
        for len in [7, 16, 24, 40] {
            for b in 0..=255u8 {
                for at in 0..len {
                    let mut buf = vec![b'a'; len];
                    buf[at] = b;
                    let special = b == b'"' || b == b'\\' || b < 0x20;
                    for from in [0, 1, at.saturating_sub(9), at] {
                        let want = if special && from <= at { at } else { len };
                        assert_eq!(next_special(&buf, from), want, "byte {b} at {at}/{len}");
                    }
                }
            }
        }
    }

    #[test]
    fn next_stop_with_high_also_finds_non_ascii_bytes() {
        // Every byte value at every position of windows that take each path, from several
        // starts: the checked scan stops at what `next_special` stops at, and at 0x80 and up.
        for len in [7, 16, 24, 40] {
            for b in 0..=255u8 {
                for at in 0..len {
                    let mut buf = vec![b'a'; len];
                    buf[at] = b;
                    let stop = b == b'"' || b == b'\\' || !(0x20..0x80).contains(&b);
                    for from in [0, 1, at.saturating_sub(9), at] {
                        let want = if stop && from <= at { at } else { len };
                        assert_eq!(
                            next_stop::<true>(&buf, from),
                            want,
                            "byte {b} at {at}/{len}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn number_end_follows_the_json_grammar() {
        for (s, want) in [
            ("0", Ok(1)),
            ("01", Ok(1)),
            ("-0.5e-3,", Ok(7)),
            ("123]", Ok(3)),
            ("1E+9", Ok(4)),
            ("-", Err(1)),
            ("-x", Err(1)),
            (".5", Err(0)),
            ("1.", Err(2)),
            ("1.e3", Err(2)),
            ("1e", Err(2)),
            ("1e+", Err(3)),
        ] {
            assert_eq!(number_end(s.as_bytes(), 0), want, "{s:?}");
        }
        assert_eq!(number_end(b"[12.5]", 1), Ok(5));
    }

    #[test]
    fn special_finds_the_first_quote_backslash_or_control_byte() {
        for s in [
            "abcdefgh",
            "abc\"efgh",
            "\\bcdefgh",
            "abcdefg\u{1f}",
            "ab\u{0}\"\\fgh",
            "é\"cdefg",
            "\u{7f}bcdefg\"",
        ] {
            let mut w = [b'x'; 8];
            w[..s.len().min(8)].copy_from_slice(&s.as_bytes()[..s.len().min(8)]);
            let want = w.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20);
            let m = special(u64::from_le_bytes(w));
            let got = (m != 0).then(|| (m.trailing_zeros() / 8) as usize);
            assert_eq!(got, want, "{s:?}");
        }
    }

    #[test]
    fn values_match_serde_json() {
        for s in [
            r#"{"a":[1,-2,true,false,null,"x\n\u00e9\"",{"b":{}}],"c":[]}"#,
            " { \"a\" : [ 1 , 2 ] } ",
            r#""plain""#,
            "18446744073709551615",
            "-9223372036854775807",
        ] {
            let fast: serde_json::Value = from_str(s).unwrap_or_else(|| panic!("{s:?}"));
            assert_eq!(fast, serde_json::from_str::<serde_json::Value>(s).unwrap());
        }
        let raw: Box<serde_json::value::RawValue> = from_str(" [1, {\"a\": 2.5e3}] ").unwrap();
        assert_eq!(raw.get(), "[1, {\"a\": 2.5e3}]");
    }

    #[test]
    fn gives_up_on_what_serde_json_decides() {
        for s in [
            "",
            " ",
            "1.5",
            "-0",
            "1e3",
            "01",
            "18446744073709551616",
            "-9223372036854775809",
            "[1,]",
            "{\"a\":1,}",
            "{a:1}",
            "[1 2]",
            "{\"a\" 1}",
            "\"\\ud83d\\ude00\"",
            "\"\\x\"",
            "\"a\u{1}\"",
            "nul",
            "[1]x",
            "{\"a\":1}}",
            "[",
            "\"abc",
        ] {
            assert!(from_str::<serde_json::Value>(s).is_none(), "{s:?}");
        }
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(from_str::<serde_json::Value>(&deep).is_none());
        assert!(from_str::<Box<serde_json::value::RawValue>>(&deep).is_none());
        for s in [
            "[01]",
            "[1.]",
            "[1e]",
            "[-]",
            "{\"a\":1,}",
            "[1,]",
            "\"\\u12g4\"",
            "[1}",
        ] {
            assert!(
                from_str::<Box<serde_json::value::RawValue>>(s).is_none(),
                "{s:?}"
            );
        }
    }
}
