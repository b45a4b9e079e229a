//! A small JSON parser that keeps positions.
//!
//! `serde_json::Value` forgets where things were and silently keeps the last of duplicate keys,
//! so the validator parses each payload once with this parser instead: every node carries its
//! byte offset, strings borrow from the input unless they hold escapes, and duplicate keys are
//! recorded as they are met. Line and column are computed from an offset only for findings.
//!
//! The grammar is RFC 8259, as strict as `serde_json` (no comments, no trailing commas, no
//! lone surrogates, no control characters in strings), with the same nesting limit (127 levels).

use crate::fast::{bytes_equal, word, HIGHS};
use std::borrow::Cow;

pub(crate) use super::keys::key_eq;
use super::keys::{repeats_in, Repeats};

/// Deepest nesting accepted: the crate's one limit (`fast::MAX_NESTING`, serde_json's), so the
/// validator calls invalid exactly what the SDK's decoders reject for nesting. Deeper input is
/// an error, never a stack overflow.
const MAX_DEPTH: usize = crate::fast::MAX_NESTING;

/// A parsed JSON value with its position.
#[derive(Debug, Clone)]
pub(crate) struct Node<'a> {
    /// Byte offset of the first byte of the value.
    pub start: usize,
    /// Byte offset just past the value.
    pub end: usize,
    pub value: Value<'a>,
}

/// A member of an object: the key, where the key starts, and the value.
#[derive(Debug, Clone)]
pub(crate) struct Member<'a> {
    pub key: Cow<'a, str>,
    pub key_start: usize,
    pub value: Node<'a>,
    /// Whether an earlier member of the object has the same key.
    pub repeat: bool,
    /// Members right after this one with its key and a scalar value, not kept: each is a
    /// repeat (in [`Document::duplicates`]) that nothing reads again, and a key repeated on
    /// every line of a file would otherwise be a million members of 88 bytes. Counted here,
    /// so the object's size is what it was (in the room the member's layout leaves free).
    pub dropped: u32,
}

impl Member<'_> {
    /// This member and those dropped after it.
    pub fn count(&self) -> usize {
        1 + self.dropped as usize
    }
}

#[derive(Debug, Clone)]
pub(crate) enum Value<'a> {
    Null,
    Bool(bool),
    /// The number's source text, already checked against the JSON grammar.
    Number(&'a str),
    String(Cow<'a, str>),
    Array(Vec<Node<'a>>),
    /// Members in source order, duplicates included, except a scalar repeat of the member
    /// right before it, which is only counted on that member ([`Member::dropped`]).
    Object(Vec<Member<'a>>),
}

impl<'a> Node<'a> {
    /// The first member named `key` (JSON pointer semantics pick the first as well; the
    /// duplicate is reported separately).
    pub fn get(&self, key: &str) -> Option<&Node<'a>> {
        match &self.value {
            Value::Object(members) => members
                .iter()
                .find(|m| key_eq(&m.key, key))
                .map(|m| &m.value),
            _ => None,
        }
    }

    /// The node a JSON pointer names, if any.
    pub fn pointer(&self, pointer: &str) -> Option<&Node<'a>> {
        if pointer.is_empty() {
            return Some(self);
        }
        let rest = pointer.strip_prefix('/')?;
        let mut node = self;
        for token in rest.split('/') {
            // Unescaped (a copy) only when it has an escape.
            let token: Cow<'_, str> = if token.contains('~') {
                Cow::Owned(token.replace("~1", "/").replace("~0", "~"))
            } else {
                Cow::Borrowed(token)
            };
            node = match &node.value {
                Value::Object(_) => node.get(&token)?,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The JSON type name, as JSON Schema spells it (`integer` for integral numbers).
    pub fn type_name(&self) -> &'static str {
        match &self.value {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Number(raw) if number_is_integer(raw) => "integer",
            Value::Number(_) => "number",
            Value::String(_) => "string",
            Value::Array(_) => "array",
            Value::Object(_) => "object",
        }
    }
}

/// Whether a value is a scalar (no members or items of its own).
fn is_scalar(value: &Value<'_>) -> bool {
    !matches!(value, Value::Array(_) | Value::Object(_))
}

/// Whether a JSON number's text denotes an integer (JSON Schema counts `1.0` as one).
pub(crate) fn number_is_integer(raw: &str) -> bool {
    if !raw.bytes().any(|b| matches!(b, b'.' | b'e' | b'E')) {
        return true;
    }
    raw.parse::<f64>()
        .is_ok_and(|f| f.is_finite() && f.fract() == 0.0)
}

/// A repeated key in one object: where the repeat and the first occurrence start (its
/// pointer is in [`Document::pointers`]; 16 bytes a repeat, of which a document may have
/// millions).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct DuplicateKey {
    /// Byte offset of the repeated key.
    pub offset: usize,
    /// Byte offset of the first occurrence of the key.
    pub first: usize,
}

/// A syntax error: where and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct SyntaxError {
    pub offset: usize,
    pub message: String,
}

/// A parsed document: the root node and the duplicate keys met on the way.
#[derive(Debug)]
pub(crate) struct Document<'a> {
    pub root: Node<'a>,
    /// In document order.
    pub duplicates: Vec<DuplicateKey>,
    /// Their pointers.
    pub pointers: RepeatPointers,
}

/// The pointers of a document's repeated keys, in document order: each run of repeats with one
/// pointer (the repeats of one member) is `(its first repeat's index, a range of text)`, and a
/// pointer's text is written once (a repeat whose pointer ends the text before shares it).
#[derive(Debug, Default)]
pub(crate) struct RepeatPointers {
    runs: Vec<(usize, (usize, usize))>,
    text: String,
}

impl RepeatPointers {
    /// Gives repeat `i` (after every repeat named before) the pointer `path`.
    fn name(&mut self, i: usize, path: &str) {
        let len = self.text.len();
        let same = self
            .runs
            .last()
            .is_some_and(|&(_, (a, b))| b == len && self.text.get(a..b) == Some(path));
        if same {
            return;
        }
        if !self.text.ends_with(path) {
            self.text.push_str(path);
        }
        let len = self.text.len();
        self.runs.push((i, (len - path.len(), len)));
    }

    /// The pointers from the first repeat on.
    pub fn cursor(&self) -> Pointers<'_> {
        Pointers {
            runs: &self.runs,
            text: &self.text,
            run: 0,
        }
    }
}

/// The pointers of a document's repeated keys, one after another ([`RepeatPointers::cursor`]).
pub(crate) struct Pointers<'d> {
    runs: &'d [(usize, (usize, usize))],
    text: &'d str,
    run: usize,
}

impl<'d> Pointers<'d> {
    /// The pointer of repeat `i`; `i` must not be below the one asked before.
    pub fn of(&mut self, i: usize) -> &'d str {
        while self
            .runs
            .get(self.run + 1)
            .is_some_and(|&(first, _)| first <= i)
        {
            self.run += 1;
        }
        match self.runs.get(self.run) {
            Some(&(first, (a, b))) if first <= i => self.text.get(a..b).unwrap_or_default(),
            _ => "",
        }
    }
}

impl Document<'_> {
    /// The pointer of duplicate `i` of this document.
    #[cfg(test)]
    pub fn pointer(&self, i: usize) -> &str {
        self.pointers.cursor().of(i)
    }
}

/// The encoding of a text that is UTF-16 or UTF-32 rather than UTF-8, told by its byte order
/// mark or, without one, by where the NUL bytes are (a JSON text starts with an ASCII
/// character: RFC 4627, section 3). `None` for anything else. Only a text that is not JSON
/// anyway is named: UTF-8 JSON holds no NUL byte and never starts with `FE` or `FF`.
pub(crate) fn foreign_encoding(src: &[u8]) -> Option<&'static str> {
    let b = |i: usize| src.get(i).copied();
    let nul = |i: usize| b(i) == Some(0);
    let some = |i: usize| b(i).is_some_and(|x| x != 0);
    Some(match src {
        [0, 0, 0xFE, 0xFF, ..] => "UTF-32BE (byte order mark 00 00 FE FF)",
        [0xFF, 0xFE, 0, 0, ..] => "UTF-32LE (byte order mark FF FE 00 00)",
        [0xFE, 0xFF, ..] => "UTF-16BE (byte order mark FE FF)",
        [0xFF, 0xFE, ..] => "UTF-16LE (byte order mark FF FE)",
        _ if nul(0) && nul(1) && nul(2) && some(3) => "UTF-32BE (no byte order mark)",
        _ if some(0) && nul(1) && nul(2) && nul(3) => "UTF-32LE (no byte order mark)",
        _ if nul(0) && some(1) => "UTF-16BE (no byte order mark)",
        _ if some(0) && nul(1) => "UTF-16LE (no byte order mark)",
        _ => return None,
    })
}

/// Why a text in a [`foreign_encoding`] is refused.
pub(crate) fn foreign_encoding_message(encoding: &str) -> String {
    format!(
        "the text is {encoding}, not UTF-8: JSON must be UTF-8 (RFC 8259, section 8.1); re-save it as UTF-8 (PowerShell's `>` writes UTF-16: use `Out-File -Encoding utf8`)"
    )
}

/// The message for a text that starts with two UTF-8 byte order marks.
pub(crate) const SECOND_BOM: &str =
    "a second byte order mark (U+FEFF): a JSON text may start with one at most (RFC 8259, section 8.1), as the SDK reads it; remove the extra one";

/// Parses one JSON document; trailing whitespace is allowed, anything else after it is not.
/// A text in UTF-16 or UTF-32 is refused with its encoding named, and a second byte order
/// mark with its own message (as the readers do, so the library and the CLI agree).
pub(crate) fn parse(src: &[u8]) -> Result<Document<'_>, SyntaxError> {
    #[cfg(test)]
    PARSED.with(|c| c.set(c.get() + src.len() as u64));
    let mut p = Parser::at_start(src)?;
    p.skip_ws();
    let root = p.value()?;
    p.skip_ws();
    if p.pos < src.len() {
        return Err(p.error("trailing characters"));
    }
    let mut duplicates = p.duplicates;
    let mut pointers = RepeatPointers::default();
    // Pointers are built only when there is a duplicate (rare), in one walk of the tree for
    // all of them, in document order (the walk's order; an object's repeats are found when it
    // closes, so an inner object's come before its holder's).
    if !duplicates.is_empty() {
        duplicates.sort_unstable_by_key(|d| d.offset);
        let mut path = String::new();
        let mut next = duplicates.iter().enumerate().peekable();
        name_repeats(&root, &mut path, &mut next, &mut pointers);
    }
    Ok(Document {
        root,
        duplicates,
        pointers,
    })
}

/// Checks one JSON document as [`parse`] does (the same error at the same offset) without
/// building it: no tree, no string copied, nothing allocated unless there is an error.
pub(crate) fn check(src: &[u8]) -> Result<(), SyntaxError> {
    let mut p = Parser::at_start(src)?;
    p.skip_ws();
    p.skip()?;
    p.skip_ws();
    if p.pos < src.len() {
        return Err(p.error("trailing characters"));
    }
    Ok(())
}

impl<'a> Parser<'a> {
    /// A parser at the start of a document: past a UTF-8 byte order mark; a text in UTF-16 or
    /// UTF-32, or with a second byte order mark, refused.
    fn at_start(src: &'a [u8]) -> Result<Parser<'a>, SyntaxError> {
        if let Some(encoding) = foreign_encoding(src) {
            return Err(SyntaxError {
                offset: 0,
                message: foreign_encoding_message(encoding),
            });
        }
        if src.starts_with(b"\xEF\xBB\xBF\xEF\xBB\xBF") {
            return Err(SyntaxError {
                offset: 3,
                message: SECOND_BOM.to_owned(),
            });
        }
        Ok(Parser {
            src,
            text: std::str::from_utf8(src).ok(),
            // A UTF-8 byte order mark is skipped, as the SDK's decoders do (RFC 8259 allows
            // it); offsets stay those of the input.
            pos: if src.starts_with(b"\xEF\xBB\xBF") {
                3
            } else {
                0
            },
            depth: 0,
            duplicates: Vec::new(),
        })
    }
}

/// Where the first complete JSON value in `src` ends, if it is complete and well formed (used
/// to sniff NDJSON: a first line that is a whole value).
pub(crate) fn complete_value_len(src: &[u8]) -> Option<usize> {
    let mut p = Parser {
        src,
        text: std::str::from_utf8(src).ok(),
        pos: 0,
        depth: 0,
        duplicates: Vec::new(),
    };
    p.skip_ws();
    p.skip().ok()?;
    Some(p.pos)
}

/// What a gateway envelope's `op` and `t` say, read without building its `d`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EnvelopeSniff {
    /// Offset of the envelope's `{`.
    pub start: usize,
    /// The raw `op` number.
    pub op: String,
    /// `t`, when it is a string.
    pub t: Option<String>,
}

/// Reads a gateway envelope shallowly: every member is parsed except `d`, which is only checked
/// for syntax (no allocation), so a large event that is not invite-related costs one scan.
/// `None` when `src` is not a well-formed envelope with an integer `op` and a `d`, or has a
/// repeated top-level key: the caller then parses fully, which reports any problem.
pub(crate) fn sniff_envelope(src: &[u8]) -> Option<EnvelopeSniff> {
    let mut p = Parser {
        src,
        text: std::str::from_utf8(src).ok(),
        pos: 0,
        depth: 1,
        duplicates: Vec::new(),
    };
    p.skip_ws();
    let start = p.pos;
    if src.get(p.pos) != Some(&b'{') {
        return None;
    }
    p.pos += 1;
    let (mut op, mut t, mut has_d) = (None, None, false);
    let mut keys: Vec<Cow<'_, str>> = Vec::new();
    let mut repeats = Repeats::default();
    loop {
        p.skip_ws();
        if src.get(p.pos) != Some(&b'"') {
            return None;
        }
        // An envelope has a handful of members (a logger may add a few): anything with many
        // is left to the full parser, which reads it once instead of twice.
        if keys.len() >= 32 {
            return None;
        }
        let key = p.string().ok()?;
        keys.push(key);
        if repeats.first(keys.len() - 1, |i| &keys[i]).is_some() {
            return None;
        }
        let key = &keys[keys.len() - 1];
        p.skip_ws();
        if src.get(p.pos) != Some(&b':') {
            return None;
        }
        p.pos += 1;
        p.skip_ws();
        if key == "d" {
            p.skip().ok()?;
            has_d = true;
        } else {
            let node = p.value().ok()?;
            match (key.as_ref(), node.value) {
                ("op", Value::Number(raw)) => op = Some(raw.to_owned()),
                ("t", Value::String(text)) => t = Some(text.into_owned()),
                _ => {}
            }
        }
        p.skip_ws();
        match src.get(p.pos) {
            Some(b',') => p.pos += 1,
            Some(b'}') => {
                p.pos += 1;
                break;
            }
            _ => return None,
        }
    }
    p.skip_ws();
    let op = op.filter(|o| o.bytes().all(|b| b.is_ascii_digit()))?;
    (p.pos == src.len() && has_d).then_some(EnvelopeSniff { start, op, t })
}

/// Each byte's value as a hex digit, 16 and above for a byte that is not one.
const HEX: [u8; 256] = {
    let mut t = [0xFF; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

struct Parser<'a> {
    src: &'a [u8],
    /// `src` as text, when all of it is UTF-8 (checked once): then a string's runs are slices
    /// of it, with no check of their own.
    text: Option<&'a str>,
    pos: usize,
    depth: usize,
    duplicates: Vec<DuplicateKey>,
}

/// The duplicates in document order, with their indices.
type Next<'d> = std::iter::Peekable<std::iter::Enumerate<std::slice::Iter<'d, DuplicateKey>>>;

/// Gives each repeated key in `next` (in document order) the pointer of its member, in
/// `pointers` (a repeat with the pointer of the one before shares its text): one walk of
/// `node` (whose pointer is `path`), entering only the values that hold the next one, so
/// naming every repeat of a document costs one pass, however many there are.
fn name_repeats(
    node: &Node<'_>,
    path: &mut String,
    next: &mut Next<'_>,
    pointers: &mut RepeatPointers,
) {
    let len = path.len();
    let inside = |n: &Node<'_>, d: Option<&(usize, &DuplicateKey)>| {
        d.is_some_and(|(_, d)| d.offset >= n.start && d.offset < n.end)
    };
    match &node.value {
        Value::Object(members) => {
            for (k, m) in members.iter().enumerate() {
                if !inside(node, next.peek()) {
                    return;
                }
                // The member's part of the object: its key, its value and the repeats dropped
                // after it (which have its key, so its pointer).
                let until = members.get(k + 1).map_or(node.end, |n| n.key_start);
                if !next
                    .peek()
                    .is_some_and(|(_, d)| d.offset >= m.key_start && d.offset < until)
                {
                    continue;
                }
                path.push('/');
                push_escaped(path, &m.key);
                if let Some((i, _)) = next.next_if(|(_, d)| d.offset == m.key_start) {
                    pointers.name(i, path);
                }
                if inside(&m.value, next.peek()) {
                    name_repeats(&m.value, path, next, pointers);
                }
                // The repeats after the value all have this pointer: named once, at the first
                // (the rest of the run shares it; comparing the pointer again for each of them
                // was a `memcmp` call per repeat).
                let mut after = std::iter::from_fn(|| {
                    next.next_if(|(_, d)| d.offset >= m.value.end && d.offset < until)
                });
                if let Some((i, _)) = after.next() {
                    pointers.name(i, path);
                    after.for_each(drop);
                }
                path.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                if !inside(node, next.peek()) {
                    return;
                }
                if !inside(item, next.peek()) {
                    continue;
                }
                path.push('/');
                path.push_str(&i.to_string());
                name_repeats(item, path, next, pointers);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

impl<'a> Parser<'a> {
    fn error(&self, message: &str) -> SyntaxError {
        SyntaxError {
            offset: self.pos.min(self.src.len()),
            message: message.to_owned(),
        }
    }

    fn eof(&self, what: &str) -> SyntaxError {
        SyntaxError {
            offset: self.src.len(),
            message: format!("EOF while parsing {what}"),
        }
    }

    fn skip_ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.src.get(self.pos) {
            self.pos += 1;
        }
    }

    fn value(&mut self) -> Result<Node<'a>, SyntaxError> {
        let start = self.pos;
        let value = match self.src.get(self.pos) {
            None => return Err(self.eof("a value")),
            Some(b'n') => self.literal(b"null", Value::Null)?,
            Some(b't') => self.literal(b"true", Value::Bool(true))?,
            Some(b'f') => self.literal(b"false", Value::Bool(false))?,
            Some(b'"') => Value::String(self.string()?),
            Some(b'-' | b'0'..=b'9') => Value::Number(self.number()?),
            Some(b'[') => self.array()?,
            Some(b'{') => self.object()?,
            Some(_) => return Err(self.error("expected value")),
        };
        Ok(Node {
            start,
            end: self.pos,
            value,
        })
    }

    /// Checks one value's syntax without building it.
    fn skip(&mut self) -> Result<(), SyntaxError> {
        match self.src.get(self.pos) {
            None => Err(self.eof("a value")),
            Some(b'n') => self.literal(b"null", Value::Null).map(drop),
            Some(b't') => self.literal(b"true", Value::Null).map(drop),
            Some(b'f') => self.literal(b"false", Value::Null).map(drop),
            Some(b'"') => self.skip_string(),
            Some(b'-' | b'0'..=b'9') => self.number().map(drop),
            Some(b'[') => {
                self.enter()?;
                self.pos += 1;
                self.skip_ws();
                if self.src.get(self.pos) == Some(&b']') {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                loop {
                    self.skip_ws();
                    self.skip()?;
                    self.skip_ws();
                    match self.src.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b']') => {
                            self.pos += 1;
                            self.depth -= 1;
                            return Ok(());
                        }
                        None => return Err(self.eof("a list")),
                        Some(_) => return Err(self.error("expected `,` or `]`")),
                    }
                }
            }
            Some(b'{') => {
                self.enter()?;
                self.pos += 1;
                self.skip_ws();
                if self.src.get(self.pos) == Some(&b'}') {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(());
                }
                loop {
                    self.skip_ws();
                    match self.src.get(self.pos) {
                        Some(b'"') => self.skip_string()?,
                        None => return Err(self.eof("an object")),
                        Some(_) => return Err(self.error("key must be a string")),
                    }
                    self.skip_ws();
                    match self.src.get(self.pos) {
                        Some(b':') => self.pos += 1,
                        None => return Err(self.eof("an object")),
                        Some(_) => return Err(self.error("expected `:`")),
                    }
                    self.skip_ws();
                    self.skip()?;
                    self.skip_ws();
                    match self.src.get(self.pos) {
                        Some(b',') => self.pos += 1,
                        Some(b'}') => {
                            self.pos += 1;
                            self.depth -= 1;
                            return Ok(());
                        }
                        None => return Err(self.eof("an object")),
                        Some(_) => return Err(self.error("expected `,` or `}`")),
                    }
                }
            }
            Some(_) => Err(self.error("expected value")),
        }
    }

    /// Checks a string's syntax (escapes, UTF-8, no control characters) without building it.
    fn skip_string(&mut self) -> Result<(), SyntaxError> {
        self.pos += 1;
        let mut run = self.pos;
        loop {
            // To the next quote, backslash or control byte, eight bytes at a time.
            self.pos = crate::fast::next_special(self.src, self.pos);
            let Some(&b) = self.src.get(self.pos) else {
                return Err(self.eof("a string"));
            };
            match b {
                b'"' => {
                    self.utf8(run, self.pos)?;
                    self.pos += 1;
                    return Ok(());
                }
                b'\\' => {
                    self.utf8(run, self.pos)?;
                    // A run of escapes is read escape after escape (no search for the end of
                    // a run between them).
                    loop {
                        self.pos += 1;
                        self.escape()?;
                        if self.src.get(self.pos) != Some(&b'\\') {
                            break;
                        }
                    }
                    run = self.pos;
                }
                0x00..=0x1f => {
                    return Err(self
                        .error("control character (\\u0000-\\u001F) found while parsing a string"))
                }
                _ => self.pos += 1,
            }
        }
    }

    fn literal(&mut self, word: &[u8], value: Value<'a>) -> Result<Value<'a>, SyntaxError> {
        for &b in word {
            match self.src.get(self.pos) {
                None => return Err(self.eof("a value")),
                Some(&c) if c == b => self.pos += 1,
                Some(_) => return Err(self.error("expected ident")),
            }
        }
        Ok(value)
    }

    fn number(&mut self) -> Result<&'a str, SyntaxError> {
        let start = self.pos;
        // A number of one digit (a type, a flag, a count: most of them) and nothing after it
        // that a number goes on with: no call to the grammar's scan.
        let one_digit = self.src.get(start).is_some_and(u8::is_ascii_digit)
            && !matches!(
                self.src.get(start + 1),
                Some(b'0'..=b'9' | b'.' | b'e' | b'E')
            );
        let end = if one_digit {
            Ok(start + 1)
        } else {
            crate::fast::number_end(self.src, start)
        };
        match end {
            Ok(end) => self.pos = end,
            Err(at) => {
                self.pos = at;
                // Nothing where the first digit should be: the input ended.
                let first = start + usize::from(self.src.get(start) == Some(&b'-'));
                return Err(if at == first && at >= self.src.len() {
                    self.eof("a number")
                } else {
                    self.error("invalid number")
                });
            }
        }
        // Only ASCII digits, signs, points and exponents were consumed.
        crate::ascii::ascii_str(&self.src[start..self.pos])
            .ok_or_else(|| self.error("invalid number"))
    }

    /// A string at `self.pos` (which is a `"`); borrowed unless it holds escapes.
    fn string(&mut self) -> Result<Cow<'a, str>, SyntaxError> {
        self.pos += 1;
        let start = self.pos;
        let mut owned: Option<String> = None;
        let mut run = start;
        loop {
            // To the next quote, backslash or control byte, eight bytes at a time.
            self.pos = crate::fast::next_special(self.src, self.pos);
            let Some(&b) = self.src.get(self.pos) else {
                return Err(self.eof("a string"));
            };
            match b {
                b'"' => {
                    let tail = self.utf8(run, self.pos)?;
                    self.pos += 1;
                    return Ok(match owned {
                        None => Cow::Borrowed(tail),
                        Some(mut s) => {
                            s.push_str(tail);
                            Cow::Owned(s)
                        }
                    });
                }
                b'\\' => {
                    let head = self.utf8(run, self.pos)?;
                    let s = owned.get_or_insert_with(String::new);
                    s.push_str(head);
                    // A run of escapes is read escape after escape (no search for the end of
                    // a run between them).
                    loop {
                        self.pos += 1;
                        s.push(self.escape()?);
                        if self.src.get(self.pos) != Some(&b'\\') {
                            break;
                        }
                    }
                    run = self.pos;
                }
                0x00..=0x1f => {
                    return Err(self
                        .error("control character (\\u0000-\\u001F) found while parsing a string"))
                }
                _ => self.pos += 1,
            }
        }
    }

    fn utf8(&self, from: usize, to: usize) -> Result<&'a str, SyntaxError> {
        // The bounds sit next to ASCII quotes and backslashes: character boundaries.
        if let Some(run) = self.text.and_then(|t| t.get(from..to)) {
            return Ok(run);
        }
        std::str::from_utf8(&self.src[from..to]).map_err(|e| SyntaxError {
            offset: from + e.valid_up_to(),
            message: "invalid UTF-8 in string".to_owned(),
        })
    }

    /// After a backslash: one escape, `\uXXXX` pairs included.
    #[inline]
    fn escape(&mut self) -> Result<char, SyntaxError> {
        let Some(&b) = self.src.get(self.pos) else {
            return Err(self.eof("a string"));
        };
        self.pos += 1;
        Ok(match b {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => {
                let hi = self.hex4()?;
                match hi {
                    0xD800..=0xDBFF => {
                        if self.src.get(self.pos) != Some(&b'\\')
                            || self.src.get(self.pos + 1) != Some(&b'u')
                        {
                            return Err(self.error("lone leading surrogate in hex escape"));
                        }
                        self.pos += 2;
                        let lo = self.hex4()?;
                        if !(0xDC00..=0xDFFF).contains(&lo) {
                            return Err(self.error("lone leading surrogate in hex escape"));
                        }
                        let c = 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00);
                        char::from_u32(c).ok_or_else(|| self.error("invalid unicode code point"))?
                    }
                    0xDC00..=0xDFFF => {
                        return Err(self.error("lone trailing surrogate in hex escape"))
                    }
                    _ => char::from_u32(hi)
                        .ok_or_else(|| self.error("invalid unicode code point"))?,
                }
            }
            _ => {
                self.pos -= 1;
                return Err(self.error("invalid escape"));
            }
        })
    }

    fn hex4(&mut self) -> Result<u32, SyntaxError> {
        // Four hex digits at once (runs of `\u` escapes are common in escaped text); anything
        // else, the digit by digit loop below, which says where it fails.
        if let Some(&[a, b, c, d]) = self.src.get(self.pos..self.pos + 4) {
            let digits = [a, b, c, d].map(|x| HEX[usize::from(x)]);
            if digits.iter().all(|&x| x < 16) {
                self.pos += 4;
                return Ok(digits.iter().fold(0u32, |n, &x| (n << 4) | u32::from(x)));
            }
        }
        let mut n = 0u32;
        for _ in 0..4 {
            let Some(&b) = self.src.get(self.pos) else {
                return Err(self.eof("a string"));
            };
            let d = match b {
                b'0'..=b'9' => b - b'0',
                b'a'..=b'f' => b - b'a' + 10,
                b'A'..=b'F' => b - b'A' + 10,
                _ => return Err(self.error("invalid escape")),
            };
            n = n * 16 + u32::from(d);
            self.pos += 1;
        }
        Ok(n)
    }

    fn enter(&mut self) -> Result<(), SyntaxError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error("recursion limit exceeded"));
        }
        Ok(())
    }

    fn array(&mut self) -> Result<Value<'a>, SyntaxError> {
        self.enter()?;
        self.pos += 1;
        let mut items = Vec::new();
        self.skip_ws();
        if self.src.get(self.pos) == Some(&b']') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Array(items));
        }
        loop {
            self.skip_ws();
            items.push(self.value()?);
            self.skip_ws();
            match self.src.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b']') => {
                    self.pos += 1;
                    self.depth -= 1;
                    return Ok(Value::Array(items));
                }
                None => return Err(self.eof("a list")),
                Some(_) => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    /// Marks the repeated keys of a whole object and records them (found once the object is
    /// read: the repeat finder's table is then sized once; `parse` puts them back in document
    /// order).
    ///
    /// The repeats dropped after a member (see [`Member::dropped`]), recorded with that member
    /// as their first occurrence (`from` on in `duplicates`), get its first occurrence when it
    /// is itself a repeat.
    fn mark_repeats(&mut self, members: &mut [Member<'a>], from: usize) {
        let pairs = repeats_in(members.len(), |i| &members[i].key);
        for &(j, i) in &pairs {
            members[j].repeat = true;
            self.duplicates.push(DuplicateKey {
                offset: members[j].key_start,
                first: members[i].key_start,
            });
        }
        if pairs.is_empty() || members.iter().all(|m| m.dropped == 0) {
            return;
        }
        // `pairs` are in order of the repeat, so of its offset.
        for d in &mut self.duplicates[from..] {
            if let Ok(p) = pairs.binary_search_by_key(&d.first, |&(j, _)| members[j].key_start) {
                d.first = members[pairs[p].1].key_start;
            }
        }
    }

    fn object(&mut self) -> Result<Value<'a>, SyntaxError> {
        self.enter()?;
        self.pos += 1;
        let mut members: Vec<Member<'a>> = Vec::new();
        let from = self.duplicates.len();
        self.skip_ws();
        if self.src.get(self.pos) == Some(&b'}') {
            self.pos += 1;
            self.depth -= 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_ws();
            let key_start = self.pos;
            match self.src.get(self.pos) {
                Some(b'"') => {}
                None => return Err(self.eof("an object")),
                Some(_) => return Err(self.error("key must be a string")),
            }
            let key = self.string()?;
            self.skip_ws();
            match self.src.get(self.pos) {
                Some(b':') => self.pos += 1,
                None => return Err(self.eof("an object")),
                Some(_) => return Err(self.error("expected `:`")),
            }
            self.skip_ws();
            let value = self.value()?;
            match members.last_mut() {
                // The key of the member before, again, with a scalar value: a repeat nothing
                // reads, not kept (its first occurrence is the one before's, or that one's
                // first: see `mark_repeats`).
                Some(last)
                    if is_scalar(&value.value)
                        && last.dropped < u32::MAX
                        && key_eq(&last.key, &key) =>
                {
                    last.dropped += 1;
                    self.duplicates.push(DuplicateKey {
                        offset: key_start,
                        first: last.key_start,
                    });
                }
                _ => members.push(Member {
                    key,
                    key_start,
                    value,
                    repeat: false,
                    dropped: 0,
                }),
            }
            self.skip_ws();
            match self.src.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'}') => {
                    self.pos += 1;
                    self.depth -= 1;
                    self.mark_repeats(&mut members, from);
                    return Ok(Value::Object(members));
                }
                None => return Err(self.eof("an object")),
                Some(_) => return Err(self.error("expected `,` or `}`")),
            }
        }
    }
}

/// Appends one JSON-pointer token, escaped (RFC 6901).
pub(crate) fn push_escaped(out: &mut String, token: &str) {
    if needs_escape(token.as_bytes()) {
        out.push_str(&crate::escape_pointer_token(token));
    } else {
        out.push_str(token);
    }
}

/// Whether a pointer token holds `~` or `/`; eight bytes at a time.
#[inline]
fn needs_escape(b: &[u8]) -> bool {
    let mut chunks = b.chunks_exact(8);
    for chunk in &mut chunks {
        let w = word(chunk);
        if bytes_equal(w, b'~') | bytes_equal(w, b'/') != 0 {
            return true;
        }
    }
    chunks.remainder().iter().any(|&c| c == b'~' || c == b'/')
}

/// 1-based line and column of a byte offset. The column counts characters (Unicode scalar
/// values), not bytes, so a caret lands under the right character in any UTF-8 editor.
pub(crate) fn line_col(src: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(src.len());
    #[cfg(test)]
    count_scanned(offset);
    let before = &src[..offset];
    let line = 1 + memchr::memchr_iter(b'\n', before).count();
    let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
    let column = 1 + before[line_start..]
        .iter()
        .filter(|&&b| (b & 0xC0) != 0x80)
        .count();
    past_bom(src, offset, (line, column))
}

/// A leading byte order mark is not a column: columns on the first line count from after it,
/// as editors show them and as the readers (which strip it) count them.
fn past_bom(src: &[u8], offset: usize, (line, column): (usize, usize)) -> (usize, usize) {
    if line == 1 && offset >= 3 && src.starts_with(b"\xEF\xBB\xBF") {
        (line, column - 1)
    } else {
        (line, column)
    }
}

/// The number of characters in UTF-8 bytes: the bytes that are not continuation bytes
/// (`10xxxxxx`), eight at a time.
pub(crate) fn count_chars(bytes: &[u8]) -> usize {
    let mut continuation = 0;
    // 32 bytes at a time: JSON is mostly ASCII, which has no continuation bytes.
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        let (a, b) = (word(&block[..8]), word(&block[8..16]));
        let (c, d) = (word(&block[16..24]), word(&block[24..]));
        if (a | b | c | d) & HIGHS == 0 {
            continue;
        }
        for w in [a, b, c, d] {
            // Bit 7 set and bit 6 clear; shifting left moves each byte's bit 6 onto bit 7.
            continuation += (w & !(w << 1) & HIGHS).count_ones() as usize;
        }
    }
    let mut chunks = blocks.remainder().chunks_exact(8);
    for chunk in &mut chunks {
        let w = word(chunk);
        if w & HIGHS == 0 {
            continue; // ASCII: no continuation bytes
        }
        continuation += (w & !(w << 1) & HIGHS).count_ones() as usize;
    }
    let rest = chunks.remainder();
    continuation += rest.iter().filter(|&&b| (b & 0xC0) == 0x80).count();
    bytes.len() - continuation
}

/// Whether `bytes` are ASCII with no line feed: then a byte offset into them is a column.
/// Eight bytes at a time, 32 per step.
fn ascii_one_line(bytes: &[u8]) -> bool {
    // Bit 7 of a byte: set for a non-ASCII byte or a line feed.
    let bad = |w: u64| (w & HIGHS) | bytes_equal(w, b'\n');
    let mut blocks = bytes.chunks_exact(32);
    for block in &mut blocks {
        let (a, b) = (word(&block[..8]), word(&block[8..16]));
        let (c, d) = (word(&block[16..24]), word(&block[24..]));
        if bad(a) | bad(b) | bad(c) | bad(d) != 0 {
            return false;
        }
    }
    blocks
        .remainder()
        .iter()
        .all(|&b| b.is_ascii() && b != b'\n')
}

#[cfg(test)]
thread_local! {
    static SCANNED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
thread_local! {
    static PARSED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Bytes given to [`parse`] so far on this thread (test builds only).
#[cfg(test)]
pub(crate) fn parsed() -> u64 {
    PARSED.with(std::cell::Cell::get)
}

/// Counts bytes read to place findings and payloads on lines and columns (test builds only).
#[cfg(test)]
pub(crate) fn count_scanned(n: usize) {
    SCANNED.with(|c| c.set(c.get() + n as u64));
}

/// Bytes read so far on this thread to find lines and columns (test builds only).
#[cfg(test)]
pub(crate) fn scanned() -> u64 {
    SCANNED.with(std::cell::Cell::get)
}

/// [`line_col`] for offsets in increasing order: each call scans only the bytes since the
/// previous one.
pub(crate) struct Lines<'a> {
    src: &'a [u8],
    offset: usize,
    line: usize,
    column: usize,
    /// A prefix of `src` known to be ASCII on one line (offsets in it need no scan).
    flat: usize,
}

impl<'a> Lines<'a> {
    pub fn new(src: &'a [u8]) -> Self {
        Lines {
            src,
            offset: 0,
            line: 1,
            column: 1,
            flat: 0,
        }
    }

    /// [`Lines::new`], for offsets up to `reach`: when the bytes before it are ASCII on one
    /// line (compact JSON of mostly ASCII text, as captured traffic is), one test answers for
    /// all of them.
    pub fn reaching(src: &'a [u8], reach: usize) -> Self {
        let mut lines = Lines::new(src);
        let reach = reach.min(src.len());
        #[cfg(test)]
        count_scanned(reach);
        if ascii_one_line(&src[..reach]) {
            lines.flat = reach;
        }
        lines
    }

    /// 1-based line and column (characters) of `offset`; offsets before the previous one are
    /// computed from the start.
    pub fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.src.len());
        if offset <= self.flat {
            return (1, offset + 1);
        }
        if offset < self.offset {
            return line_col(self.src, offset);
        }
        let (line, column) = self.advance(offset);
        past_bom(self.src, offset, (line, column))
    }

    fn advance(&mut self, offset: usize) -> (usize, usize) {
        let seg = &self.src[self.offset..offset];
        #[cfg(test)]
        count_scanned(seg.len());
        if seg.len() <= 32 {
            // Findings a few bytes apart (a repeat per line): one loop beats three searches.
            for &b in seg {
                if b == b'\n' {
                    self.line += 1;
                    self.column = 1;
                } else if b & 0xC0 != 0x80 {
                    self.column += 1;
                }
            }
            self.offset = offset;
            return (self.line, self.column);
        }
        let chars = count_chars;
        match memchr::memrchr(b'\n', seg) {
            Some(last) => {
                self.line += memchr::memchr_iter(b'\n', seg).count();
                self.column = 1 + chars(&seg[last + 1..]);
            }
            None => self.column += chars(seg),
        }
        self.offset = offset;
        (self.line, self.column)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn needs_escape_finds_tilde_and_slash_anywhere() {
        for c in 0..=255u8 {
            for len in [1, 7, 8, 9, 16, 17] {
                for at in 0..len {
                    let mut buf = vec![b'a'; len];
                    buf[at] = c;
                    assert_eq!(needs_escape(&buf), c == b'~' || c == b'/', "{c} at {at}");
                }
            }
        }
        assert!(!needs_escape(b""));
    }

    #[test]
    fn count_chars_counts_scalar_values() {
        for s in [
            "",
            "a",
            "abcdefgh",
            "é",
            "ééééééééé",
            "a😀b€cdefghijk",
            "\u{7f}\u{80}\u{7ff}\u{800}",
        ] {
            for i in 0..=s.len() {
                if let Some(prefix) = s.get(..i) {
                    assert_eq!(
                        count_chars(prefix.as_bytes()),
                        prefix.chars().count(),
                        "{prefix:?}"
                    );
                }
            }
        }
        // Past 32 bytes (the ASCII block skip), with a multi-byte character in each position.
        for at in 0..80 {
            for c in ["é", "€", "😀"] {
                let s = format!("{}{c}{}", "a".repeat(at), "b".repeat(80 - at));
                for i in 0..=s.len() {
                    if let Some(prefix) = s.get(i.min(7)..i) {
                        assert_eq!(count_chars(prefix.as_bytes()), prefix.chars().count());
                    }
                }
            }
        }
        // Continuation-looking bytes of invalid UTF-8 are not characters.
        assert_eq!(count_chars(&[0x80; 9]), 0);
        assert_eq!(count_chars(&[0x80; 70]), 0);
        assert_eq!(count_chars(&[0xC0; 9]), 9);
    }

    #[test]
    fn lines_agree_with_line_col() {
        let src = "{\"a\": \"é\",\n  \"b\": [1,\n\n 2], \"😀\": 3}\n".as_bytes();
        let mut lines = Lines::new(src);
        for offset in 0..=src.len() + 2 {
            assert_eq!(lines.line_col(offset), line_col(src, offset), "{offset}");
        }
        let mut lines = Lines::new(src);
        for offset in [9, 3, 20, 20, 5] {
            assert_eq!(lines.line_col(offset), line_col(src, offset), "{offset}");
        }
        // Steps below and above the short segments' loop (32 bytes), across lines and
        // multi-byte characters.
        let long = "{\"é\": \"😀😀\",\n\"k\": 1,\n".repeat(40);
        let src = long.as_bytes();
        for step in [1, 5, 31, 32, 33, 70, 200] {
            let mut lines = Lines::new(src);
            for offset in (0..=src.len()).step_by(step) {
                assert_eq!(
                    lines.line_col(offset),
                    line_col(src, offset),
                    "{step} {offset}"
                );
            }
        }
    }

    #[test]
    fn lines_reaching_agree_with_line_col() {
        // ASCII on one line, then a line feed or a multi-byte character at every position,
        // past the 32-byte steps; every reach, and offsets on both sides of it.
        let mut sources: Vec<String> = vec![String::new(), "a".repeat(100)];
        for at in 0..80 {
            for c in ["\n", "é", "😀", "\u{7f}"] {
                sources.push(format!("{}{c}{}", "a".repeat(at), "b".repeat(80 - at)));
            }
        }
        for src in &sources {
            let src = src.as_bytes();
            for reach in [0, 1, 7, 31, 32, 33, 40, 64, 79, 80, 81, 200] {
                let mut lines = Lines::reaching(src, reach);
                for offset in 0..=src.len() + 1 {
                    assert_eq!(
                        lines.line_col(offset),
                        line_col(src, offset),
                        "{:?} reach {reach} offset {offset}",
                        String::from_utf8_lossy(src)
                    );
                }
            }
        }
        assert!(ascii_one_line(b"0123456789abcdef0123456789abcdef0123"));
        assert!(!ascii_one_line(b"0123456789abcdef0123456789abcde\n0123"));
        assert!(!ascii_one_line(b"0123456789abcdef0123456789abcdef012\xC3"));
    }

    fn ok(s: &str) -> Document<'_> {
        parse(s.as_bytes()).unwrap()
    }

    fn err(s: &str) -> SyntaxError {
        parse(s.as_bytes()).unwrap_err()
    }

    #[test]
    fn agrees_with_serde_json_on_validity() {
        let cases = [
            "{}",
            "[]",
            "0",
            "-0",
            "1.5e3",
            "\"a\\u00e9\\ud83d\\ude00\"",
            " null ",
            "[1,]",
            "{,}",
            "01",
            "1.",
            "-",
            "1e",
            "\"\\x\"",
            "\"\t\"",
            "\"\\ud800\"",
            "\"\\udc00\"",
            "{\"a\" 1}",
            "[1 2]",
            "tru",
            "nul",
            "{\"a\":1}x",
            "",
            "  ",
            "{\"a\":[{\"b\":null}]}",
            "[\"é\"]",
            "1E+2",
            "-0.0e-0",
            "\"\\/\"",
            "{\"a\":1,}",
            "[[[]]]",
            "\u{feff}{}",
            // Numbers of one digit and what may follow one.
            "1",
            "0",
            "01",
            "1.",
            "1e",
            "5E",
            "-",
            "-1",
            "1x",
            "[1,2]",
            "[9]",
            "{\"a\":7}",
            "7e1",
            "0.5",
        ];
        for c in cases {
            let ours = parse(c.as_bytes()).is_ok();
            // A leading BOM is skipped on purpose (as the SDK's decoders do); serde_json refuses it.
            let theirs =
                serde_json::from_str::<serde_json::Value>(c.trim_start_matches('\u{feff}')).is_ok();
            assert_eq!(ours, theirs, "{c:?}");
        }
    }

    #[test]
    fn numbers_are_kept_as_written() {
        for n in [
            "0",
            "7",
            "-0",
            "-7",
            "10",
            "7.5",
            "7e1",
            "7E+1",
            "0.0",
            "123456789012345678901",
        ] {
            for doc in [
                n.to_owned(),
                format!("[{n}]"),
                format!("{{\"a\":{n}}}"),
                format!("[{n} ,{n}]"),
            ] {
                let parsed = parse(doc.as_bytes()).unwrap_or_else(|e| panic!("{doc}: {e:?}"));
                let first = match &parsed.root.value {
                    Value::Number(raw) => *raw,
                    Value::Array(items) => match &items[0].value {
                        Value::Number(raw) => raw,
                        other => panic!("{doc}: {other:?}"),
                    },
                    Value::Object(members) => match &members[0].value.value {
                        Value::Number(raw) => raw,
                        other => panic!("{doc}: {other:?}"),
                    },
                    other => panic!("{doc}: {other:?}"),
                };
                assert_eq!(first, n, "{doc}");
            }
        }
    }

    #[test]
    fn envelopes_are_sniffed_without_building_d() {
        let e = sniff_envelope(
            br#" {"op":0,"d":{"a":[1,"\u00e9",{"b":null}]},"t":"MESSAGE_CREATE","s":1}"#,
        );
        assert_eq!(
            e,
            Some(EnvelopeSniff {
                start: 1,
                op: "0".into(),
                t: Some("MESSAGE_CREATE".into())
            })
        );
        assert_eq!(sniff_envelope(br#"{"op":11,"d":null}"#).unwrap().t, None);
        // A broken `d`, a repeated key, no `op`: left to the full parser.
        assert!(sniff_envelope(br#"{"op":0,"d":{"a":},"t":"X"}"#).is_none());
        assert!(sniff_envelope(br#"{"op":0,"d":1,"t":"X","t":"Y"}"#).is_none());
        assert!(sniff_envelope(br#"{"d":1,"t":"X"}"#).is_none());
        assert!(sniff_envelope(br#"{"op":"0","d":1}"#).is_none());
        assert!(sniff_envelope(br#"{"op":0,"d":"\x"}"#).is_none());
    }

    #[test]
    fn invalid_utf8_is_an_error() {
        assert!(parse(b"\"\xff\"").is_err());
    }

    #[test]
    fn depth_limit_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert_eq!(err(&deep).message, "recursion limit exceeded");
        // serde_json's limit: 127 levels parse, 128 do not.
        let ok_depth = format!("{}{}", "[".repeat(127), "]".repeat(127));
        assert!(parse(ok_depth.as_bytes()).is_ok());
        assert!(serde_json::from_str::<serde_json::Value>(&ok_depth).is_ok());
        let too_deep = format!("{}{}", "[".repeat(128), "]".repeat(128));
        assert_eq!(err(&too_deep).message, "recursion limit exceeded");
        assert!(serde_json::from_str::<serde_json::Value>(&too_deep).is_err());
    }

    #[test]
    fn positions_and_pointers() {
        let d = ok("{\"a\": {\"b/c\": [10, \"x\"]}}");
        let n = d.root.pointer("/a/b~1c/1").unwrap();
        assert_eq!(n.start, 19);
        assert!(matches!(&n.value, Value::String(s) if s == "x"));
        assert!(d.root.pointer("/a/zz").is_none());
    }

    #[test]
    fn duplicates_are_recorded_with_their_pointer() {
        let d = ok("{\"g\": {\"n\": 1, \"n\": 2}, \"g\": 3}");
        assert_eq!(d.duplicates.len(), 2);
        assert_eq!(d.pointer(0), "/g/n");
        assert_eq!(d.pointer(1), "/g");
        // The first occurrence wins for lookups, as in a JSON pointer.
        assert!(matches!(d.root.get("g").unwrap().value, Value::Object(_)));
        // A repeat whose value holds repeats: found after them (when its object closes),
        // reported before them (document order).
        let d = ok("{\"a\": 1, \"a\": {\"b\": 1, \"b\": [{\"c\": 1, \"c\": 2}]}}");
        let pointers: Vec<&str> = (0..d.duplicates.len()).map(|i| d.pointer(i)).collect();
        assert_eq!(pointers, ["/a", "/a/b", "/a/b/0/c"]);
        let offsets: Vec<usize> = d.duplicates.iter().map(|d| d.offset).collect();
        assert_eq!(offsets, [9, 23, 38]);
    }

    #[test]
    fn repeats_of_one_member_share_their_pointer() {
        // 1,000 repeats of `/g/n` and of `/k`: each pointer written once (it was a `String`
        // of its own per repeat).
        let n = vec!["\"n\": 1"; 1_000].join(", ");
        let k = vec!["\"k\": 1"; 1_000].join(", ");
        let text = format!("{{\"g\": {{{n}}}, {k}}}");
        let d = ok(&text);
        assert_eq!(d.duplicates.len(), 1_998);
        assert_eq!(d.pointer(0), "/g/n");
        assert_eq!(d.pointer(998), "/g/n");
        assert_eq!(d.pointer(999), "/k");
        assert_eq!(d.pointer(1_997), "/k");
        assert_eq!(d.pointers.text, "/g/n/k");
    }

    /// A tree to write as JSON with keys repeated at will (serde_json's `Value` cannot hold
    /// a repeat).
    #[derive(Debug, Clone)]
    enum Tree {
        Leaf(u8),
        Array(Vec<Tree>),
        Object(Vec<(String, Tree)>),
    }

    fn tree() -> impl proptest::strategy::Strategy<Value = Tree> {
        use proptest::prelude::*;
        // Few names, so that keys repeat, in a row and not; `/` and `~` to be escaped in
        // pointers, `"` and `\` escaped in the text.
        let key = prop::sample::select(vec!["a", "b", "a/b", "~", "k\"", "\\"]);
        (0u8..3)
            .prop_map(Tree::Leaf)
            .prop_recursive(4, 64, 8, move |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..4).prop_map(Tree::Array),
                    prop::collection::vec((key.clone().prop_map(str::to_owned), inner), 0..8)
                        .prop_map(Tree::Object),
                ]
            })
    }

    /// Writes `t` at `path`, and each repeated key's (offset, first occurrence, pointer).
    fn write_tree(
        t: &Tree,
        path: &str,
        out: &mut String,
        repeats: &mut Vec<(usize, usize, String)>,
    ) {
        match t {
            Tree::Leaf(n) => out.push_str(&n.to_string()),
            Tree::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    write_tree(item, &format!("{path}/{i}"), out, repeats);
                }
                out.push(']');
            }
            Tree::Object(members) => {
                out.push('{');
                let mut firsts: Vec<(&str, usize)> = Vec::new();
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push_str(",\n ");
                    }
                    let at = out.len();
                    let pointer = format!("{path}/{}", k.replace('~', "~0").replace('/', "~1"));
                    match firsts.iter().find(|(f, _)| f == k) {
                        Some(&(_, first)) => repeats.push((at, first, pointer.clone())),
                        None => firsts.push((k, at)),
                    }
                    out.push_str(&serde_json::to_string(k).unwrap_or_default());
                    out.push_str(": ");
                    write_tree(v, &pointer, out, repeats);
                }
                out.push('}');
            }
        }
    }

    proptest::proptest! {
        /// Every repeated key is recorded, in document order, with its first occurrence and its
        /// member's pointer (the repeats of one member share a run of `Document::named`).
        #[test]
        fn repeated_keys_are_recorded_as_written(t in tree()) {
            let mut text = String::new();
            let mut want = Vec::new();
            write_tree(&t, "", &mut text, &mut want);
            want.sort_by_key(|w| w.0);
            let d = ok(&text);
            let got: Vec<(usize, usize, String)> = d
                .duplicates
                .iter()
                .enumerate()
                .map(|(i, x)| (x.offset, x.first, d.pointer(i).to_owned()))
                .collect();
            proptest::prop_assert_eq!(&got, &want, "{}", text);
            // And as the validator reads them, in order.
            let mut pointers = d.pointers.cursor();
            for (i, w) in want.iter().enumerate() {
                proptest::prop_assert_eq!(pointers.of(i), w.2.as_str());
            }
        }
    }

    #[test]
    fn a_key_repeated_in_a_row_keeps_one_member() {
        // 10,000 `"k": 1` in a row: one member, the 9,999 repeats counted on it (each was a
        // member of 88 bytes), each still a repeat of the first with its pointer.
        let k = vec!["\"k\": 1"; 10_000].join(",\n");
        let text = format!("{{\"a\": 0, {k}}}");
        let d = ok(&text);
        let Value::Object(members) = &d.root.value else {
            unreachable!()
        };
        assert_eq!(members.len(), 2);
        assert_eq!((members[1].key.as_ref(), members[1].dropped), ("k", 9_999));
        assert_eq!(members.iter().map(Member::count).sum::<usize>(), 10_001);
        // The count takes room the layout left free.
        assert_eq!(std::mem::size_of::<Member<'_>>(), 88);
        assert_eq!(d.duplicates.len(), 9_999);
        assert!(d.duplicates.iter().all(|x| x.first == members[1].key_start));
        assert!((0..d.duplicates.len()).all(|i| d.pointer(i) == "/k"));
        let offsets: Vec<usize> = d.duplicates.iter().map(|x| x.offset).collect();
        let expected: Vec<usize> = text
            .match_indices("\"k\"")
            .skip(1)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(offsets, expected);
        // Only scalars are dropped (a repeat holding values stays a member: its repeats and
        // items are in the tree), and a repeat whose first occurrence is further back is
        // recorded with that one: `a` at 1, then `b`, then `a` (a repeat of the first) twice.
        let d =
            ok("{\"a\": 1, \"b\": 2, \"a\": 3, \"a\": 4, \"a\": {\"c\": 1, \"c\": 2}, \"a\": [5]}");
        let Value::Object(members) = &d.root.value else {
            unreachable!()
        };
        let kept: Vec<(&str, bool, u32)> = members
            .iter()
            .map(|m| (m.key.as_ref(), m.repeat, m.dropped))
            .collect();
        assert_eq!(
            kept,
            [
                ("a", false, 0),
                ("b", false, 0),
                ("a", true, 1),
                ("a", true, 0),
                ("a", true, 0)
            ]
        );
        let found: Vec<(usize, usize, &str)> = d
            .duplicates
            .iter()
            .enumerate()
            .map(|(i, x)| (x.offset, x.first, d.pointer(i)))
            .collect();
        assert_eq!(
            found,
            [
                (17, 1, "/a"),
                (25, 1, "/a"),
                (33, 1, "/a"),
                (47, 39, "/a/c"),
                (56, 1, "/a")
            ]
        );
    }

    #[test]
    fn columns_count_characters() {
        let s = "{\"é😀\": x}";
        let e = err(s);
        assert_eq!(line_col(s.as_bytes(), e.offset), (1, 8));
        let s = "{\n  \"a\": \"日本\",\n  \"b\": ?}";
        let e = err(s);
        assert_eq!(line_col(s.as_bytes(), e.offset), (3, 8));
    }

    /// `check` refuses what `parse` refuses, with the same error at the same offset (the
    /// readers check what the validator parses later), escapes and hex digits included.
    #[test]
    fn check_and_parse_agree() {
        let texts = [
            r#""\u12G4""#,
            r#""\u12"#,
            r#""\u00e9\uD83D""#,
            r#""\uDE00""#,
            r#""\uD83D\u0041""#,
            r#""\x""#,
            r#""\u00e9\ud83d\ude00\n\t""#,
            r#"{"a\u0062": ["\"", 1, {"c": null}], "d": tru}"#,
            r#"{"a": "\u0041\u004"}"#,
            "[1, 2",
            "\"\u{1}\"",
        ];
        for text in texts {
            let parsed = parse(text.as_bytes()).map(drop);
            assert_eq!(check(text.as_bytes()), parsed, "{text}");
        }
        let e = parse(br#""\u12G4""#).map(drop).unwrap_err();
        assert_eq!((e.offset, e.message.as_str()), (5, "invalid escape"));
        let e = parse(br#""\u12"#).map(drop).unwrap_err();
        assert_eq!(e.message, "EOF while parsing a string");
    }

    #[test]
    fn escaped_strings_are_unescaped() {
        let d = ok(r#"["a\"b\n\u00e9\ud83d\ude00"]"#);
        let Value::Array(items) = &d.root.value else {
            panic!()
        };
        assert!(matches!(&items[0].value, Value::String(s) if s == "a\"b\né😀"));
    }

    #[test]
    fn integers_by_value() {
        assert!(number_is_integer("10"));
        assert!(number_is_integer("1.0"));
        assert!(number_is_integer("1e3"));
        assert!(!number_is_integer("1.5"));
    }
}
