//! The validator's fast path: the spec check and the SDK decode in one pass over the bytes,
//! with no tree, no copies of strings and no allocation unless there is a finding.
//!
//! The SDK's fast reader (`crate::fast`) decodes the payload into the SDK model and reports
//! what it reads — each value, key and container, with its offset — to a [`Fast`] through the
//! reader's `Hook` trait. [`Fast`] runs the spec's checks on those events with the same
//! functions its own recursive scanner ([`Fast::object`], [`Fast::array`], [`Fast::value`])
//! uses, so both give the same findings in the same order; the scanner reads only the values
//! the decode skips or keeps raw (unknown fields). One tokenization serves both the verdict
//! and the findings.
//!
//! It covers the payloads a validator of captured traffic sees by the million (a single JSON
//! object whose kind is known or whose first member is the invite `type`) and gives up — a
//! [`Bail`] — on anything unusual: a syntax error, a repeated key, a `\u` escape, an escaped
//! string that a check would need to read, a union of several alternatives of one JSON type,
//! a container inside an array whose items must be unique, deeper nesting than the limit, and
//! anything the SDK's fast reader does not decode. The slow path (the position-keeping tree in
//! `position` walked by `check::Checker`, then the SDK decode) then validates the payload from
//! scratch, so the fast path never has to explain a problem; it only has to agree with the
//! slow path wherever it does not bail, which `tests` (and the `validate_bytes` fuzz target)
//! check over every payload they have.

use super::cap::{Cap, CAP_AT};
use super::check::{
    deprecated_message, missing_message, pointer_len, pointer_of, property_index, push_pointer,
    push_repeat_message, scalar_findings, too_long_message, type_finding, undeclared_is_reported,
    undeclared_member_code, undeclared_message_into, Scalar, Seg,
};
use super::check::{is_snowflake, rfc3339_quick, short_int};
use super::keys::Repeats;
use super::position::{key_eq, number_is_integer, push_escaped};
use super::spec::{ty, Id, PropertyInfo, Quick, Schema, Spec};
use super::text::{add_found, found, Span, Texts, Written};
use super::{unique, Code};
pub(crate) use crate::fast::Token;
use crate::fast::{next_special, number_end};

/// Deepest nesting the slow path accepts (the crate's one limit); deeper input is left to it
/// (it reports the error).
const MAX_DEPTH: usize = crate::fast::MAX_NESTING;

/// The most members [`Fast::flat_shape`] reads: the shape memo is for small payloads.
pub(crate) const FLAT_MEMBERS: usize = 16;

/// The fast path gave up; the slow path decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Bail;

type R<T> = Result<T, Bail>;

/// Top-level keys the kind detection needs to know about, as bits.
pub(crate) mod top {
    pub const OP: u8 = 1;
    pub const D: u8 = 2;
    pub const CODE: u8 = 4;

    /// The bit of a root key (0 for the others).
    #[inline]
    pub fn bit(key: &str) -> u8 {
        match key {
            "op" => OP,
            "d" => D,
            "code" => CODE,
            _ => 0,
        }
    }
}

/// The scanner's stacks, kept empty between payloads on each thread (see [`Fast::take_stacks`]):
/// validating a payload then costs no allocation for them.
#[derive(Default)]
struct Stacks<'s, 'a> {
    /// The path to the value being checked.
    path: Vec<Seg<'a>>,
    /// The one-pass check's open containers.
    frames: Vec<Frame<'s>>,
    /// Keys of the open objects that are not properties of their schema (to find repeats).
    undeclared: Vec<&'a str>,
    /// Items of the open arrays whose items must be unique.
    unique: Vec<Item<'a>>,
    /// Per open object, the repeat finder of its undeclared keys (see
    /// [`Fast::undeclared_repeat`]).
    repeats: Vec<Repeats>,
}

impl<'s, 'a> Stacks<'s, 'a> {
    /// New stacks, deep and long enough for an invite without regrowing.
    fn with_room() -> Self {
        Stacks {
            path: Vec::with_capacity(16),
            frames: Vec::with_capacity(16),
            undeclared: Vec::with_capacity(16),
            unique: Vec::with_capacity(32),
            repeats: Vec::with_capacity(16),
        }
    }

    /// The same buffers, emptied, for other lifetimes.
    fn recycle<'t, 'b>(self) -> Stacks<'t, 'b> {
        Stacks {
            path: recycle(self.path),
            frames: recycle(self.frames),
            undeclared: recycle(self.undeclared),
            unique: recycle(self.unique),
            repeats: recycle(self.repeats),
        }
    }
}

/// `v`'s buffer, emptied, as a vector of `U` (a type of the same layout: here, the same type
/// with other lifetimes). The standard library collects in place when layouts match, so the
/// allocation is kept; were it not, this would only allocate anew.
fn recycle<T, U>(mut v: Vec<T>) -> Vec<U> {
    v.clear();
    v.into_iter().filter_map(|_| None).collect()
}

thread_local! {
    /// Each thread's spare [`Stacks`], empty.
    static SPARE: std::cell::Cell<Option<Stacks<'static, 'static>>> =
        const { std::cell::Cell::new(None) };
}

/// A checking scanner over one payload.
pub(crate) struct Fast<'s, 'a> {
    spec: &'s Spec,
    /// The input, as text (checked once) and as bytes.
    text: &'a str,
    src: &'a [u8],
    pos: usize,
    depth: usize,
    /// Empty (no allocation) until [`Fast::take_stacks`].
    stacks: Stacks<'s, 'a>,
    /// Which of [`top`]'s keys the root object has.
    pub top_keys: u8,
    /// Findings ([`Fast::take_findings`]), their text in `texts`; `late` once one was placed
    /// before one found earlier (an object's missing field: [`Fast::found`]).
    out: Vec<super::Finding>,
    texts: Texts,
    late: bool,
    /// The open array of unique items, for its repeats.
    seen: unique::Seen,
    /// The one-pass check's state (see [`Fast::check_decoding`]): the schema of the value a key announces (`None`: not checked) and whether it may be
    /// absent,
    next: (Option<Id>, bool),
    /// the value being read,
    pending: Pending,
    /// where the last scalar and the last closed container started,
    scalar_at: usize,
    closed_at: usize,
    /// and the root's sibling variants.
    siblings: [Id; 2],
    n_siblings: usize,
    /// The options of the cap on repeated findings (`None`: every finding is kept), and the
    /// cap, made once the payload has [`CAP_AT`] findings: a smaller report is capped when it
    /// is done, if it needs it (`Cap::finished`). The scanner finds the findings of one kind in
    /// source order (only an object's missing properties are found late, each at its object's
    /// end, so in order among themselves), so it keeps the first.
    pub cap_with: Option<super::Options>,
    cap: Option<Box<Cap>>,
}

/// The common member: a key that is property `pi` of `s` (`None`: no property), not seen
/// before in this object (`seen`, whose bit it sets) and not deprecated, so it needs no
/// report; its schema and flags. The caller looks the key up once for this and the rest.
#[inline(always)]
fn plain_property(s: &Schema, pi: Option<usize>, seen: &mut u64) -> Option<PropertyInfo> {
    let pi = pi?;
    let p = *s.property_info.get(pi)?;
    let bit = 1u64 << pi;
    if *seen & bit != 0 || p.deprecated {
        return None;
    }
    *seen |= bit;
    Some(p)
}

/// An open container of the one-pass check: what [`Fast::object`] and [`Fast::array`] keep
/// on their stack frames.
#[derive(Debug, Clone, Copy)]
struct Frame<'s> {
    s: Option<&'s Schema>,
    object: bool,
    start: usize,
    /// Properties seen (objects).
    seen: u64,
    /// Where this container's entries start in `undeclared` (objects) or `unique` (arrays).
    base: usize,
    /// Items so far (arrays).
    n: usize,
    root: bool,
    items: Option<Id>,
    unique: bool,
}

/// The value the reader is in: where it starts and what it is checked against.
#[derive(Debug, Clone, Copy)]
struct Pending {
    at: usize,
    id: Option<Id>,
    optional: bool,
}

impl<'s, 'a> Fast<'s, 'a> {
    /// A scanner over `src`, which must be valid UTF-8 (the caller checks it once).
    pub fn new(spec: &'s Spec, src: &'a str) -> Self {
        Fast {
            spec,
            text: src,
            src: src.as_bytes(),
            pos: 0,
            depth: 0,
            stacks: Stacks::default(),
            top_keys: 0,
            out: Vec::new(),
            texts: Texts::new(),
            late: false,
            seen: unique::Seen::default(),
            next: (None, false),
            pending: Pending {
                at: usize::MAX,
                id: None,
                optional: false,
            },
            scalar_at: usize::MAX,
            closed_at: usize::MAX,
            siblings: [0; 2],
            n_siblings: 0,
            cap_with: None,
            cap: None,
        }
    }

    /// Skips leading whitespace; the offset of the root value if it is an object.
    pub fn root_object(&mut self) -> R<usize> {
        self.ws();
        (self.src.get(self.pos) == Some(&b'{'))
            .then_some(self.pos)
            .ok_or(Bail)
    }

    /// The root object's first member: its key and, when the value is a number, the number's
    /// text. Does not move the scanner.
    pub fn first_member(&mut self) -> Option<(&'a str, Option<&'a str>)> {
        let at = self.pos;
        let first = self.read_first_member();
        self.pos = at;
        first
    }

    fn read_first_member(&mut self) -> Option<(&'a str, Option<&'a str>)> {
        self.pos += 1;
        self.ws();
        let key = self.key().ok()?;
        self.ws();
        self.expect(b':').ok()?;
        self.ws();
        let number = match self.src.get(self.pos) {
            Some(b'-' | b'0'..=b'9') => Some(self.number().ok()?),
            _ => None,
        };
        Some((key, number))
    }

    /// The root object's shape when it is flat: for each member in order, its key, a `0xFF`
    /// byte (never in UTF-8) and its value's JSON type (`n`ull, `b`oolean, `i`nteger by
    /// [`number_is_integer`], other `f` numbers, `s`tring),
    /// written to `out`. `false` (and `out` unusable) when a value is an object or an array, a
    /// key holds an escape, there are more than [`FLAT_MEMBERS`] members, or the text is not
    /// a well-formed object. Does not move the scanner.
    pub fn flat_shape(&mut self, out: &mut Vec<u8>) -> bool {
        let at = self.pos;
        let flat = self.read_flat_shape(out);
        self.pos = at;
        flat
    }

    fn read_flat_shape(&mut self, out: &mut Vec<u8>) -> bool {
        out.clear();
        self.pos += 1;
        self.ws();
        if self.src.get(self.pos) == Some(&b'}') {
            return true;
        }
        for _ in 0..FLAT_MEMBERS {
            let Ok(key) = self.key() else { return false };
            self.ws();
            if self.expect(b':').is_err() {
                return false;
            }
            self.ws();
            let class = match self.scalar() {
                Ok(Token::Null) => b'n',
                Ok(Token::Bool(_)) => b'b',
                Ok(Token::Number(n)) if number_is_integer(n) => b'i',
                Ok(Token::Number(_)) => b'f',
                Ok(Token::Str(_)) => b's',
                Err(Bail) => return false,
            };
            out.extend_from_slice(key.as_bytes());
            out.extend_from_slice(&[0xFF, class]);
            match self.next_or_close(b'}') {
                Ok(false) => self.ws(),
                Ok(true) => return true,
                Err(Bail) => return false,
            }
        }
        false
    }

    /// Checks the root value against `id` (`siblings` as in `Checker::check_root`) in one
    /// pass with `decode`, which decodes the whole text with the SDK's reader, reporting to
    /// this scanner as a [`Hook`](crate::fast::Hook); its verdict. The SDK reads most values
    /// token by token and the checks run on what it reports; values it skips or keeps raw
    /// (unknown fields) are scanned here. Gives up where the reader or a check does.
    pub fn check_decoding(
        &mut self,
        id: Id,
        siblings: &[Id],
        decode: impl FnOnce(&mut Self) -> bool,
    ) -> R<()> {
        // At most the two other invite variants.
        let slot = self.siblings.get_mut(..siblings.len()).ok_or(Bail)?;
        slot.copy_from_slice(siblings);
        self.n_siblings = siblings.len();
        self.next = (Some(id), false);
        self.take_stacks();
        if decode(self) && self.stacks.frames.is_empty() {
            Ok(())
        } else {
            Err(Bail)
        }
    }

    /// Takes this thread's spare stacks (or makes new ones); [`Drop`] gives them back.
    fn take_stacks(&mut self) {
        self.stacks = SPARE
            .with(|spare| spare.take())
            .unwrap_or_else(Stacks::with_room)
            .recycle();
    }

    /// The findings, and their text.
    pub fn take_findings(&mut self) -> Written {
        Written {
            findings: std::mem::take(&mut self.out),
            texts: std::mem::take(&mut self.texts),
            late: std::mem::take(&mut self.late),
            // A cap not yet asked is applied to the finished report, if it needs it.
            cap: self.cap.take().map(|cap| *cap),
        }
    }

    /// Adds a finding, noting whether it goes before the last one (see [`Written::late`]).
    #[inline(always)]
    fn found(&mut self, code: Code, offset: usize, span: Span) {
        add_found(&mut self.out, &mut self.late, found(code, offset, span));
        if self.out.len() == CAP_AT && self.cap.is_none() && self.cap_with.is_some() {
            self.start_capping();
        }
    }

    /// Whether a finding of `code` at the current path (and then `last`, a key), at `offset`,
    /// is kept (see [`Cap::admit`]); always, until capping starts.
    #[inline]
    fn admits(&mut self, code: Code, last: Option<&str>, offset: usize) -> bool {
        match &mut self.cap {
            Some(cap) => cap.admit(code, &self.stacks.path, last, offset),
            None => true,
        }
    }

    /// Whether the cap met a finding out of order that it could not place (see
    /// `Cap::unsure`): the report is then left to the slow path.
    pub fn unsure(&self) -> bool {
        self.cap.as_ref().is_some_and(|cap| cap.unsure())
    }

    /// From now on, findings are capped as they are found; the ones found so far are capped
    /// now, in the order they were found (as they would have been one by one).
    #[cold]
    #[inline(never)]
    fn start_capping(&mut self) {
        let Some(mut cap) = self.cap_with.as_ref().and_then(Cap::new) else {
            return;
        };
        let texts = &self.texts;
        self.out.retain(|f| {
            let offset = f.offset().unwrap_or(0);
            cap.admit_pointer(f.code, texts.pointer_of(f), offset)
        });
        self.cap = Some(Box::new(cap));
    }

    fn report(&mut self, code: Code, offset: usize, message: String) {
        self.report_with(code, offset, message.len(), |out| out.push_str(&message));
    }

    /// Reports a finding at the current path whose message (of about `len` bytes) `message`
    /// writes: its text goes straight into the report's buffer.
    #[inline]
    fn report_with(
        &mut self,
        code: Code,
        offset: usize,
        len: usize,
        message: impl FnOnce(&mut String),
    ) {
        if !self.admits(code, None, offset) {
            return;
        }
        self.report_maybe(offset, len, |out| {
            message(out);
            Some(code)
        });
    }

    /// [`Fast::report_with`] where `message` also gives the code, or `None` for no finding
    /// (not capped: the caller admits it).
    #[inline]
    fn report_maybe(
        &mut self,
        offset: usize,
        len: usize,
        message: impl FnOnce(&mut String) -> Option<Code>,
    ) {
        if self.out.capacity() == 0 {
            // Most payloads of real traffic have fewer findings; room for a few pointers and
            // messages saves regrowing.
            self.out.reserve(8);
            self.texts.buf().reserve(512);
        }
        let path = &self.stacks.path;
        let start = self.texts.start(pointer_len(path) + len);
        push_pointer(self.texts.buf(), path);
        let end = self.texts.pointer_done();
        match message(self.texts.buf()) {
            Some(code) => {
                let span = self.texts.done(start, end);
                self.found(code, offset, span);
            }
            None => self.texts.buf().truncate(start),
        }
    }

    #[inline(always)]
    fn ws(&mut self) {
        // Compact JSON has no whitespace: one test for the common case.
        if self.src.get(self.pos).is_some_and(|&b| b > b' ') {
            return;
        }
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.src.get(self.pos) {
            self.pos += 1;
        }
    }

    #[inline(always)]
    fn expect(&mut self, b: u8) -> R<()> {
        if self.src.get(self.pos) == Some(&b) {
            self.pos += 1;
            Ok(())
        } else {
            Err(Bail)
        }
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Bail);
        }
        self.pos += 1;
        Ok(())
    }

    /// Checks (with `Some(id)`) or only scans (with `None`) the value at the scanner.
    fn value(&mut self, id: Option<Id>, optional: bool, siblings: &[Id]) -> R<()> {
        let start = self.pos;
        let (found, name) = match self.src.get(self.pos) {
            Some(b'{') => (ty::OBJECT, "object"),
            Some(b'[') => (ty::ARRAY, "array"),
            Some(_) => {
                let token = self.scalar()?;
                if let Some(id) = id {
                    self.check_scalar(id, optional, start, &token)?;
                }
                return Ok(());
            }
            None => return Err(Bail),
        };
        let Some(id) = id else {
            return if found == ty::OBJECT {
                self.object(None, &[])
            } else {
                self.array(None)
            };
        };
        let s = self.spec.schema(id);
        if s.types & found == 0 {
            let (code, message) = type_finding(s, found, name, optional);
            self.report(code, start, message);
            return if found == ty::OBJECT {
                self.object(None, &[])
            } else {
                self.array(None)
            };
        }
        if !s.alternatives.is_empty() {
            // Checking a container against an alternative and its union at once would need a
            // second pass; rare enough to leave to the slow path.
            return Err(Bail);
        }
        if found == ty::OBJECT {
            self.object(Some(id), siblings)
        } else {
            self.array(Some(id))
        }
    }

    fn check_scalar(&mut self, id: Id, optional: bool, start: usize, token: &Token<'a>) -> R<()> {
        let s = self.spec.schema(id);
        let (found, name) = match token {
            Token::Null => (ty::NULL, "null"),
            Token::Bool(_) => (ty::BOOLEAN, "boolean"),
            Token::Number(raw) if number_is_integer(raw) => (ty::INTEGER, "integer"),
            Token::Number(_) => (ty::NUMBER, "number"),
            Token::Str(_) => (ty::STRING, "string"),
        };
        if s.plain & found != 0 {
            return Ok(()); // what the rest finds for it: nothing
        }
        // The common valid value of a format-only schema: nothing either.
        match (s.quick, token) {
            (Quick::Int32, Token::Number(raw)) if short_int(raw) => return Ok(()),
            (Quick::Snowflake, Token::Str(Some(t))) if is_snowflake(t) => return Ok(()),
            (Quick::DateTime, Token::Str(Some(t))) if rfc3339_quick(t.as_bytes()) => return Ok(()),
            _ => {}
        }
        if s.types & found == 0 {
            let (code, message) = type_finding(s, found, name, optional);
            self.report(code, start, message);
            return Ok(());
        }
        if found == ty::NULL {
            return Ok(());
        }
        if !s.alternatives.is_empty() {
            let mut fitting = s
                .alternatives
                .iter()
                .filter(|&&a| self.spec.schema(a).types & found != 0);
            match (fitting.next(), fitting.next()) {
                (None, _) => {}
                (Some(&one), None) => self.check_scalar(one, false, start, token)?,
                (Some(_), Some(_)) => return Err(Bail),
            }
        }
        let value = match *token {
            Token::Number(raw) => Scalar::Number(raw),
            Token::Str(Some(text)) => Scalar::Str(text),
            Token::Str(None) => {
                // An escaped string: its text is needed only by enum and format checks.
                if s.enums.is_empty() && s.format.is_none() {
                    return Ok(());
                }
                return Err(Bail);
            }
            Token::Null | Token::Bool(_) => return Ok(()),
        };
        if s.enums.is_empty() && s.format.is_none() && s.minimum.is_none() && s.maximum.is_none() {
            return Ok(());
        }
        scalar_findings(s, value, &mut |code, message| {
            self.report_with(code, start, message.len(), |out| message.write(out))
        });
        Ok(())
    }

    fn array(&mut self, id: Option<Id>) -> R<()> {
        let start = self.pos;
        let s = id.map(|id| self.spec.schema(id));
        let items = s.and_then(|s| s.items);
        let unique = s.is_some_and(|s| s.unique_items);
        let base = self.stacks.unique.len();
        self.enter()?;
        self.ws();
        let mut n = 0;
        if self.src.get(self.pos) == Some(&b']') {
            self.pos += 1;
        } else {
            loop {
                self.ws();
                if unique {
                    self.unique_item(n, base, items)?;
                } else if items.is_some() {
                    self.stacks.path.push(Seg::Index(n));
                    self.value(items, false, &[])?;
                    self.stacks.path.pop();
                } else {
                    self.value(None, false, &[])?;
                }
                n += 1;
                if self.next_or_close(b']')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        self.array_end(s, start, n, base);
        Ok(())
    }

    /// The end of an array that started at `start` and has `n` items.
    fn array_end(&mut self, s: Option<&Schema>, start: usize, n: usize, base: usize) {
        self.stacks.unique.truncate(base);
        if let Some(max) = s.and_then(|s| s.max_items) {
            if n > max {
                // Same offset as nothing else the items report (they start later).
                self.report(Code::OutOfRange, start, too_long_message(n, max));
            }
        }
    }

    /// Item `n` of an array whose items must be unique (its earlier items are
    /// `self.stacks.unique[base..]`); only scalars (the spec's are lists of ids and feature names). A
    /// repeat is reported before the item's own findings, as the slow path does.
    fn unique_item(&mut self, n: usize, base: usize, items: Option<Id>) -> R<()> {
        let item_start = self.pos;
        // Containers are left to the slow path.
        if matches!(self.src.get(self.pos), Some(b'{' | b'[')) {
            return Err(Bail);
        }
        let token = self.scalar()?;
        self.stacks.path.push(Seg::Index(n));
        self.unique_scalar(n, base, items, item_start, &token)?;
        self.stacks.path.pop();
        Ok(())
    }

    /// Scalar item `n` (at `at`, its path step pushed) of an array whose items must be unique.
    fn unique_scalar(
        &mut self,
        n: usize,
        base: usize,
        items: Option<Id>,
        at: usize,
        token: &Token<'a>,
    ) -> R<()> {
        // Escaped strings are left to the slow path.
        let item = match *token {
            Token::Null => Item::Null,
            Token::Bool(b) => Item::Bool(b),
            Token::Number(raw) => Item::Number(raw),
            Token::Str(Some(text)) => Item::Str(text),
            Token::Str(None) => return Err(Bail),
        };
        // One array of unique items is open at a time (containers in one are left to the slow
        // path): it starts at item 0.
        if n == 0 {
            self.seen = unique::Seen::default();
        }
        self.stacks.unique.push(item);
        let earlier = &self.stacks.unique[base..];
        let first = self.seen.first(
            n,
            |state, j| unique::scalar_hash(state, earlier[j].scalar()),
            |j, k| earlier[j].same(&earlier[k]),
            |j, k| unique::str_below(earlier[j].text(), earlier[k].text()),
        );
        if let Some(j) = first {
            self.report_with(Code::DuplicateItem, at, 64, |out| {
                push_repeat_message(out, n, j)
            });
        }
        if let Some(items) = items {
            self.check_scalar(items, false, at, token)?;
        }
        Ok(())
    }

    fn object(&mut self, id: Option<Id>, siblings: &[Id]) -> R<()> {
        let start = self.pos;
        let s = self.object_schema(id)?;
        let root = self.depth == 0;
        let base = self.stacks.undeclared.len();
        let mut seen: u64 = 0;
        self.enter()?;
        self.stacks.repeats.push(Repeats::default());
        self.ws();
        if self.src.get(self.pos) == Some(&b'}') {
            self.pos += 1;
        } else {
            loop {
                self.ws();
                let key_start = self.pos;
                let key = self.key()?;
                self.ws();
                self.expect(b':')?;
                self.ws();
                let property = s.and_then(|s| property_index(s, key));
                let (vid, optional) =
                    self.member(s, root, base, &mut seen, siblings, key_start, key, property)?;
                self.value(vid, optional, &[])?;
                self.stacks.path.pop();
                if self.next_or_close(b'}')? {
                    break;
                }
            }
        }
        self.depth -= 1;
        self.object_end(s, start, base, seen);
        Ok(())
    }

    /// The schema of an object checked against `id` (objects with more properties than
    /// `seen` has bits are left to the slow path).
    #[inline]
    fn object_schema(&self, id: Option<Id>) -> R<Option<&'s Schema>> {
        let s = id.map(|id| self.spec.schema(id));
        if s.is_some_and(|s| s.properties.len() > 64) {
            return Err(Bail);
        }
        Ok(s)
    }

    /// A member `key` (at `key_start`) of an object of schema `s` whose undeclared keys start
    /// at `base` in `undeclared`: pushes its path step and reports what the key alone shows.
    /// Returns what its value is checked against and whether it may be absent.
    #[allow(clippy::too_many_arguments)]
    #[inline]
    fn member(
        &mut self,
        s: Option<&'s Schema>,
        root: bool,
        base: usize,
        seen: &mut u64,
        siblings: &[Id],
        key_start: usize,
        key: &'a str,
        property: Option<usize>,
    ) -> R<(Option<Id>, bool)> {
        if let Some(p) = s.and_then(|s| plain_property(s, property, seen)) {
            if root {
                self.top_keys |= top::bit(key);
            }
            self.stacks.path.push(Seg::Key(key));
            return Ok((Some(p.id), !p.required));
        }
        if root {
            self.top_keys |= top::bit(key);
        }
        // A repeated key: the slow path reports it and picks which occurrence to check.
        match property {
            Some(pi) => {
                if *seen & (1 << pi) != 0 {
                    return Err(Bail);
                }
                *seen |= 1 << pi;
            }
            None => {
                if self.undeclared_repeat(base, key) {
                    return Err(Bail);
                }
            }
        }
        self.stacks.path.push(Seg::Key(key));
        Ok(match (s, property) {
            (None, _) => (None, false),
            (Some(s), Some(pi)) => {
                let p = s.property_info[pi];
                if p.deprecated {
                    self.report(Code::DeprecatedField, key_start, deprecated_message(key));
                }
                (Some(p.id), !p.required)
            }
            (Some(s), None) if undeclared_is_reported(s, key) => {
                let spec = self.spec;
                let Some(code) = undeclared_member_code(spec, s, key, siblings) else {
                    return Ok((None, false));
                };
                if !self.admits(code, None, key_start) {
                    return Ok((None, false));
                }
                self.report_maybe(key_start, key.len() + s.unknown_suffix.len() + 1, |out| {
                    undeclared_message_into(spec, s, key, siblings, code, out);
                    Some(code)
                });
                (None, false)
            }
            (Some(s), None) => match s.additional {
                Some(Some(aid)) => (Some(aid), false),
                _ => (None, false),
            },
        })
    }

    /// The end of an object that started at `start`: its absent required properties.
    fn object_end(&mut self, s: Option<&Schema>, start: usize, base: usize, seen: u64) {
        if let Some(s) = s {
            for (r, index) in s.required.iter().zip(&s.required_index) {
                let present = match index {
                    Some(pi) => seen & (1 << pi) != 0,
                    None => self.is_undeclared(base, r),
                };
                if !present && self.admits(Code::MissingRequired, Some(r), start) {
                    let mut pointer = pointer_of("", &self.stacks.path);
                    pointer.push('/');
                    push_escaped(&mut pointer, r);
                    let span = self.texts.push(&pointer, &missing_message(s, r));
                    self.found(Code::MissingRequired, start, span);
                }
            }
        }
        self.stacks.undeclared.truncate(base);
        self.stacks.repeats.pop();
    }

    /// Adds `key` to the undeclared keys of the open object whose undeclared keys start at
    /// `base`; whether it repeats one of them (see [`Repeats`]: O(1) per key, so an object of
    /// n unknown keys costs O(n), not O(n²)).
    fn undeclared_repeat(&mut self, base: usize, key: &'a str) -> bool {
        self.stacks.undeclared.push(key);
        let keys = &self.stacks.undeclared[base..];
        match self.stacks.repeats.last_mut() {
            Some(repeats) => repeats.first(keys.len() - 1, |i| keys[i]).is_some(),
            None => true, // no open object: cannot happen; the slow path decides
        }
    }

    /// Whether `key` is among the undeclared keys of the open object at `base`.
    fn is_undeclared(&self, base: usize, key: &str) -> bool {
        let keys = &self.stacks.undeclared[base..];
        match self.stacks.repeats.last() {
            Some(repeats) => repeats.contains(keys.len(), |i| keys[i], key),
            None => keys.iter().any(|k| key_eq(k, key)),
        }
    }

    /// After an item or a member: `true` at the container's end (`close`, consumed), `false`
    /// after a comma.
    #[inline(always)]
    fn next_or_close(&mut self, close: u8) -> R<bool> {
        self.ws();
        match self.src.get(self.pos) {
            Some(b',') => {
                self.pos += 1;
                Ok(false)
            }
            Some(&c) if c == close => {
                self.pos += 1;
                Ok(true)
            }
            _ => Err(Bail),
        }
    }

    /// An object key: its text, which must hold no escapes.
    #[inline(always)]
    fn key(&mut self) -> R<&'a str> {
        if self.src.get(self.pos) != Some(&b'"') {
            return Err(Bail);
        }
        match self.string()? {
            Some(k) => Ok(k),
            None => Err(Bail),
        }
    }

    #[inline(always)]
    fn scalar(&mut self) -> R<Token<'a>> {
        match self.src.get(self.pos) {
            Some(b'"') => Ok(Token::Str(self.string()?)),
            Some(b'-' | b'0'..=b'9') => Ok(Token::Number(self.number()?)),
            Some(b'n') => self.literal(b"null", Token::Null),
            Some(b't') => self.literal(b"true", Token::Bool(true)),
            Some(b'f') => self.literal(b"false", Token::Bool(false)),
            _ => Err(Bail),
        }
    }

    #[inline(always)]
    fn literal(&mut self, word: &[u8], token: Token<'a>) -> R<Token<'a>> {
        if self.src[self.pos..].starts_with(word) {
            self.pos += word.len();
            Ok(token)
        } else {
            Err(Bail)
        }
    }

    /// A number, by the JSON grammar; its text.
    #[inline(always)]
    fn number(&mut self) -> R<&'a str> {
        let start = self.pos;
        self.pos = number_end(self.src, start).map_err(|_| Bail)?;
        // ASCII only was consumed: the bounds are character boundaries.
        self.text.get(start..self.pos).ok_or(Bail)
    }

    /// A string at the scanner (a `"`): its text when it holds no escapes, `None` when it does.
    /// Simple escapes are checked; `\u` escapes and control characters give up.
    #[inline(always)]
    fn string(&mut self) -> R<Option<&'a str>> {
        self.pos += 1;
        let start = self.pos;
        let mut escaped = false;
        loop {
            self.pos = next_special(self.src, self.pos);
            match self.src.get(self.pos) {
                Some(b'"') => {
                    let end = self.pos;
                    self.pos += 1;
                    if escaped {
                        return Ok(None);
                    }
                    // Both bounds sit next to an ASCII `"`: character boundaries.
                    return self.text.get(start..end).map(Some).ok_or(Bail);
                }
                Some(b'\\') => {
                    escaped = true;
                    match self.src.get(self.pos + 1) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                            self.pos += 2;
                        }
                        _ => return Err(Bail),
                    }
                }
                // A control character, or the end of the input.
                _ => return Err(Bail),
            }
        }
    }
}

impl Drop for Fast<'_, '_> {
    /// Gives the stacks back to the thread for the next payload, unless they were never taken
    /// or a huge payload grew them (a thread keeps no more than a few kilobytes).
    fn drop(&mut self) {
        const KEEP: usize = 1024;
        let stacks = std::mem::take(&mut self.stacks);
        if stacks.path.capacity() == 0
            || stacks.undeclared.capacity() > KEEP
            || stacks.unique.capacity() > KEEP
        {
            return;
        }
        SPARE.with(|spare| spare.set(Some(stacks.recycle())));
    }
}

/// The one-pass check: the SDK's reader reports each value, key and container as it decodes,
/// and the scanner runs on those events the checks that [`Fast::object`], [`Fast::array`]
/// and [`Fast::value`] run as they recurse (the same functions, so the same findings in the
/// same order). Values the reader does not walk are scanned by [`Fast::value`].
impl<'a> crate::fast::Hook<'a> for &mut Fast<'_, 'a> {
    fn value_begin(&mut self, at: usize) -> Result<(), crate::fast::Bail> {
        let (id, optional) = match self.stacks.frames.last() {
            Some(f) if !f.object => {
                let (n, items) = (f.n, f.items);
                self.stacks.path.push(Seg::Index(n));
                (items, false)
            }
            _ => self.next,
        };
        self.pending = Pending { at, id, optional };
        Ok(())
    }

    #[inline(never)]
    fn scalar(&mut self, at: usize, token: Token<'a>) -> Result<(), crate::fast::Bail> {
        let p = self.pending;
        if at != p.at {
            return Err(crate::fast::Bail);
        }
        self.scalar_at = at;
        let checked = match self.stacks.frames.last() {
            Some(f) if f.unique => {
                let (n, base, items) = (f.n, f.base, f.items);
                self.unique_scalar(n, base, items, at, &token)
            }
            _ => match p.id {
                Some(id) => self.check_scalar(id, p.optional, at, &token),
                None => Ok(()),
            },
        };
        checked.map_err(|Bail| crate::fast::Bail)
    }

    #[inline(never)]
    fn open(&mut self, at: usize, object: bool) -> Result<(), crate::fast::Bail> {
        let p = self.pending;
        if at != p.at || self.stacks.frames.last().is_some_and(|f| f.unique) {
            return Err(crate::fast::Bail);
        }
        let (found, name) = if object {
            (ty::OBJECT, "object")
        } else {
            (ty::ARRAY, "array")
        };
        let mut id = p.id;
        if let Some(i) = id {
            let s = self.spec.schema(i);
            if s.types & found == 0 {
                let (code, message) = type_finding(s, found, name, p.optional);
                self.report(code, at, message);
                id = None;
            } else if !s.alternatives.is_empty() {
                return Err(crate::fast::Bail);
            }
        }
        let root = self.stacks.frames.is_empty();
        if object {
            self.stacks.repeats.push(Repeats::default());
        }
        let frame = if object {
            Frame {
                s: self.object_schema(id).map_err(|Bail| crate::fast::Bail)?,
                object,
                start: at,
                seen: 0,
                base: self.stacks.undeclared.len(),
                n: 0,
                root,
                items: None,
                unique: false,
            }
        } else {
            let s = id.map(|i| self.spec.schema(i));
            Frame {
                s,
                object,
                start: at,
                seen: 0,
                base: self.stacks.unique.len(),
                n: 0,
                root,
                items: s.and_then(|s| s.items),
                unique: s.is_some_and(|s| s.unique_items),
            }
        };
        self.stacks.frames.push(frame);
        Ok(())
    }

    #[inline]
    fn key(&mut self, at: usize, key: Option<&'a str>) -> Result<(), crate::fast::Bail> {
        let (Some(key), Some(f)) = (key, self.stacks.frames.last_mut()) else {
            return Err(crate::fast::Bail);
        };
        // The common case, in line (`member` does the same, and all the rest).
        let property = f.s.and_then(|s| property_index(s, key));
        if let Some(p) = f.s.and_then(|s| plain_property(s, property, &mut f.seen)) {
            if f.root {
                self.top_keys |= top::bit(key);
            }
            self.stacks.path.push(Seg::Key(key));
            self.next = (Some(p.id), !p.required);
            return Ok(());
        }
        self.key_slow(at, key, property)
    }

    #[inline]
    fn value_end(&mut self, start: usize, end: usize) -> Result<(), crate::fast::Bail> {
        if self.scalar_at != start && self.closed_at != start {
            self.scan_skipped(start, end)?;
        }
        if let Some(f) = self.stacks.frames.last_mut() {
            f.n += 1;
            self.stacks.path.pop();
        }
        Ok(())
    }

    fn close(&mut self, _end: usize) -> Result<(), crate::fast::Bail> {
        let f = self.stacks.frames.pop().ok_or(crate::fast::Bail)?;
        if f.object {
            self.object_end(f.s, f.start, f.base, f.seen);
        } else {
            self.array_end(f.s, f.start, f.n, f.base);
        }
        self.closed_at = f.start;
        Ok(())
    }
}

impl<'a> Fast<'_, 'a> {
    /// [`Hook::key`](crate::fast::Hook::key) beyond the common case.
    #[cold]
    #[inline(never)]
    fn key_slow(
        &mut self,
        at: usize,
        key: &'a str,
        property: Option<usize>,
    ) -> Result<(), crate::fast::Bail> {
        let Some(&f) = self.stacks.frames.last() else {
            return Err(crate::fast::Bail);
        };
        if !f.object {
            return Err(crate::fast::Bail);
        }
        let mut seen = f.seen;
        let siblings = self.siblings;
        let siblings = if f.root {
            &siblings[..self.n_siblings]
        } else {
            &[]
        };
        self.next = self
            .member(f.s, f.root, f.base, &mut seen, siblings, at, key, property)
            .map_err(|Bail| crate::fast::Bail)?;
        if let Some(f) = self.stacks.frames.last_mut() {
            f.seen = seen;
        }
        Ok(())
    }

    /// A value the decode skipped or kept raw (no events between its `value_begin` and
    /// `value_end`): scanned here.
    #[inline(never)]
    fn scan_skipped(&mut self, start: usize, end: usize) -> Result<(), crate::fast::Bail> {
        let p = self.pending;
        if start != p.at || self.stacks.frames.last().is_some_and(|f| f.unique) {
            return Err(crate::fast::Bail);
        }
        let siblings = self.siblings;
        let siblings = if self.stacks.frames.is_empty() {
            &siblings[..self.n_siblings]
        } else {
            &[]
        };
        self.pos = start;
        self.depth = self.stacks.frames.len();
        self.value(p.id, p.optional, siblings)
            .map_err(|Bail| crate::fast::Bail)?;
        if self.pos == end {
            Ok(())
        } else {
            Err(crate::fast::Bail)
        }
    }
}

/// A scalar item of an array whose items must be unique.
#[derive(Debug, Clone, Copy)]
enum Item<'a> {
    Null,
    Bool(bool),
    Number(&'a str),
    Str(&'a str),
}

impl<'a> Item<'a> {
    /// Equality as the slow path's `same`: numbers by text or by value.
    fn same(&self, other: &Item<'_>) -> bool {
        match (self, other) {
            (Item::Null, Item::Null) => true,
            (Item::Bool(x), Item::Bool(y)) => x == y,
            (Item::Number(x), Item::Number(y)) => unique::same_number(x, y),
            (Item::Str(x), Item::Str(y)) => key_eq(x, y),
            _ => false,
        }
    }

    /// A string item's text (`None` for the others).
    fn text(&self) -> Option<&'a str> {
        match *self {
            Item::Str(text) => Some(text),
            _ => None,
        }
    }

    /// The item as the hash of unique items sees it.
    fn scalar(&self) -> unique::Scalar<'a> {
        match *self {
            Item::Null => unique::Scalar::Null,
            Item::Bool(b) => unique::Scalar::Bool(b),
            Item::Number(raw) => unique::Scalar::Number(raw),
            Item::Str(text) => unique::Scalar::Str(text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recycle_keeps_the_buffer_and_empties_it() {
        let text = String::from("key");
        let mut v: Vec<Seg<'_>> = Vec::with_capacity(16);
        v.push(Seg::Key(&text));
        let at = v.as_ptr() as usize;
        let w: Vec<Seg<'static>> = recycle(v);
        assert!(w.is_empty());
        assert_eq!(w.capacity(), 16);
        assert_eq!(w.as_ptr() as usize, at, "the allocation is reused");
    }

    #[test]
    fn a_thread_reuses_its_stacks_and_starts_each_payload_clean() {
        let spec = Spec::get();
        let id = spec.component("GuildInviteResponse").expect("in the spec");
        // A payload the fast path gives up on half way (a repeated key), then a clean one:
        // nothing of the first may leak into the second.
        for text in [
            r#"{"type":0,"code":"a","code":"b","guild":{"features":["X","X"]}}"#,
            r#"{"type":0,"code":"abc"}"#,
        ] {
            let mut scan = Fast::new(spec, text);
            scan.take_stacks();
            assert!(scan.stacks.path.is_empty() && scan.stacks.frames.is_empty());
            assert!(scan.stacks.undeclared.is_empty() && scan.stacks.unique.is_empty());
            assert!(scan.stacks.path.capacity() > 0, "stacks are taken or made");
            let _ = scan.check_decoding(id, &[], |scan| {
                super::super::models::decodes_checked(super::super::Kind::GuildInvite, text, scan)
            });
        }
        let spare = SPARE
            .with(|spare| spare.take())
            .expect("given back on drop");
        assert!(spare.path.capacity() >= 16);
    }
}
