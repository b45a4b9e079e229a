//! The cap on repeated findings ([`Options::max_repeats`], [`Options::max_error_repeats`]):
//! of each kind of finding (its code, and its pointer with array indices as `*`), a report
//! keeps the first few in source order and counts the rest ([`Omitted`]).
//!
//! The fast path and the slow path's repeated keys ask [`Cap::admit`] before they write a
//! finding, so a payload of a million repeats costs counts, not a million findings' text and
//! memory; they find the findings of one kind in source order, so the ones they keep are the
//! first. [`Cap::apply`] then caps the finished report of any path (findings found out of
//! order, or never admitted), and merges what was counted before.

use std::hash::BuildHasher;

use foldhash::fast::RandomState;
use hashbrown::HashTable;

use super::check::Seg;
use super::position::push_escaped;
use super::{Code, Finding, Omitted, Options, Severity};

/// The findings a payload has before they are capped as they are found (the fast path, the
/// slow path's repeated keys); a smaller report is capped when it is done ([`Cap::finished`]).
pub(crate) const CAP_AT: usize = 256;

/// Kinds from which on a cap hashes them (fewer are compared one by one).
const INDEX_AT: usize = 16;

/// The most kinds one report tracks: findings of kinds met after these many are listed in
/// full (the table stays small enough to be cheap to probe; the CLI tracks as many).
pub(crate) const MAX_KINDS: usize = 10_000;

/// A kind of finding and its tally.
struct Kind {
    code: Code,
    /// Its pattern in [`Cap::patterns`].
    pattern: (usize, usize),
    kept: usize,
    omitted: usize,
    /// The offset of the first one omitted.
    first_omitted: usize,
}

/// The most findings listed of each kind.
#[derive(Debug)]
struct Limits {
    /// Warnings and notes; errors; whether `--strict` makes more of them errors.
    others: usize,
    errors: usize,
    strict: bool,
}

impl Limits {
    fn limit(&self, code: Code) -> usize {
        match code.severity(self.strict) {
            Severity::Error => self.errors,
            _ => self.others,
        }
    }
}

/// The kinds of finding of one report so far.
pub(crate) struct Cap {
    limits: Limits,
    /// The kinds met (at most [`MAX_KINDS`]), their patterns one after another in `patterns`.
    kinds: Vec<Kind>,
    patterns: String,
    /// Past [`INDEX_AT`] kinds, each kind's hash (randomly keyed, so that an input cannot aim
    /// for collisions) → its index in `kinds`; below it, the kinds are scanned.
    index: Option<(RandomState, HashTable<u32>)>,
    /// The greatest pattern of the kinds (an index): a pattern above it is a new kind, with
    /// no lookup (the unknown fields of a sorted object, a million of them, each new).
    greatest: Option<usize>,
    /// The kinds of the last findings, the latest first: found again with no hash (an array
    /// of unknown, repeated values gives two kinds in turn).
    recent: [Option<usize>; 2],
    /// The pattern being looked up.
    scratch: String,
    /// The greatest offset admitted, and whether a finding before it was of a kind not
    /// tracked (see [`Cap::unsure`]).
    reach: usize,
    unsure: bool,
}

impl std::fmt::Debug for Cap {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cap")
            .field("limits", &self.limits)
            .field("kinds", &self.kinds.len())
            .finish_non_exhaustive()
    }
}

impl Cap {
    /// A cap for `options` (`None`: findings are not capped).
    pub fn new(options: &Options) -> Option<Cap> {
        Cap::limits(options).map(Cap::with)
    }

    fn with(limits: Limits) -> Cap {
        Cap {
            limits,
            kinds: Vec::new(),
            patterns: String::new(),
            index: None,
            greatest: None,
            recent: [None; 2],
            scratch: String::new(),
            reach: 0,
            unsure: false,
        }
    }

    fn limits(options: &Options) -> Option<Limits> {
        if options.max_repeats.is_none() && options.max_error_repeats.is_none() {
            return None;
        }
        Some(Limits {
            others: options.max_repeats.unwrap_or(usize::MAX),
            errors: options.max_error_repeats.unwrap_or(usize::MAX),
            strict: options.strict,
        })
    }

    /// Whether the next finding of `code` at `path` (and then `last`, a key), at `offset`, is
    /// kept; counted either way. Findings of one kind must come in source order.
    pub fn admit(
        &mut self,
        code: Code,
        path: &[Seg<'_>],
        last: Option<&str>,
        offset: usize,
    ) -> bool {
        let mut pattern = std::mem::take(&mut self.scratch);
        pattern.clear();
        for seg in path {
            match seg {
                Seg::Key(k) => push_key_pattern(&mut pattern, k),
                Seg::Index(_) => pattern.push_str("/*"),
            }
        }
        if let Some(k) = last {
            push_key_pattern(&mut pattern, k);
        }
        let kept = self.admit_pattern(code, &pattern, offset);
        self.scratch = pattern;
        kept
    }

    /// [`Cap::admit`] for a finding whose pointer is `pointer`.
    pub fn admit_pointer(&mut self, code: Code, pointer: &str, offset: usize) -> bool {
        let mut scratch = std::mem::take(&mut self.scratch);
        let kept = self.admit_pattern(code, pattern_of(pointer, &mut scratch), offset);
        self.scratch = scratch;
        kept
    }

    #[inline]
    fn pattern(&self, k: usize) -> &str {
        let (a, b) = self.kinds[k].pattern;
        &self.patterns[a..b]
    }

    #[inline]
    fn is(&self, k: usize, code: Code, pattern: &str) -> bool {
        // Lengths, then last bytes first: the patterns of a sorted object's unknown fields
        // (each one a new kind) differ at their end; no `memcmp` call for them.
        let old = self.pattern(k).as_bytes();
        let new = pattern.as_bytes();
        self.kinds[k].code == code
            && old.len() == new.len()
            && old.last() == new.last()
            && old == new
    }

    /// The kind of `code` at `pattern` (`None`: not tracked, and past [`MAX_KINDS`]).
    fn kind(&mut self, code: Code, pattern: &str) -> Option<usize> {
        let [a, b] = self.recent;
        if let Some(a) = a.filter(|&a| self.is(a, code, pattern)) {
            return Some(a);
        }
        // Few kinds are compared one by one (the greatest is then only kept up to date).
        let few = self.kinds.len() < INDEX_AT;
        let above = !few
            && self
                .greatest
                .is_none_or(|g| below(self.pattern(g), pattern));
        let full = self.kinds.len() >= MAX_KINDS;
        if above && full {
            return None;
        }
        if let Some(b) = b.filter(|&b| self.is(b, code, pattern)) {
            self.recent = [Some(b), a];
            return Some(b);
        }
        if !above {
            let found = match &self.index {
                Some((state, index)) => {
                    let (kinds, patterns) = (&self.kinds, &self.patterns);
                    index
                        .find(state.hash_one((code, pattern)), |&k| {
                            let k = &kinds[k as usize];
                            k.code == code && &patterns[k.pattern.0..k.pattern.1] == pattern
                        })
                        .map(|&k| k as usize)
                }
                None => (0..self.kinds.len()).find(|&k| self.is(k, code, pattern)),
            };
            if let Some(k) = found {
                self.recent = [Some(k), a];
                return Some(k);
            }
            if full {
                return None;
            }
        }
        let k = self.kinds.len();
        if k == 0 {
            // Room for a payload's few kinds, allocated once.
            self.kinds.reserve(8);
            self.patterns.reserve(256);
        }
        let greatest = above
            || self
                .greatest
                .is_none_or(|g| below(self.pattern(g), pattern));
        let start = self.patterns.len();
        self.patterns.push_str(pattern);
        self.kinds.push(Kind {
            code,
            pattern: (start, self.patterns.len()),
            kept: 0,
            omitted: 0,
            first_omitted: 0,
        });
        self.index_kind(k);
        if greatest {
            self.greatest = Some(k);
        }
        self.recent = [Some(k), a];
        Some(k)
    }

    /// Adds kind `k` to the index (made when there are [`INDEX_AT`] kinds).
    fn index_kind(&mut self, k: usize) {
        let (kinds, patterns) = (&self.kinds, &self.patterns);
        let hash_of = |state: &RandomState, k: usize| {
            let k = &kinds[k];
            state.hash_one((k.code, &patterns[k.pattern.0..k.pattern.1]))
        };
        if self.index.is_none() && kinds.len() >= INDEX_AT {
            let state = RandomState::default();
            let mut index = HashTable::with_capacity(2 * INDEX_AT);
            for j in 0..k {
                index.insert_unique(hash_of(&state, j), j as u32, |&j| {
                    hash_of(&state, j as usize)
                });
            }
            self.index = Some((state, index));
        }
        if let Some((state, index)) = &mut self.index {
            index.insert_unique(hash_of(state, k), k as u32, |&j| hash_of(state, j as usize));
        }
    }

    fn admit_pattern(&mut self, code: Code, pattern: &str, offset: usize) -> bool {
        let limit = self.limits.limit(code);
        let before = offset < self.reach;
        self.reach = self.reach.max(offset);
        let Some(k) = self.kind(code, pattern) else {
            self.unsure |= before;
            return true;
        };
        let kind = &mut self.kinds[k];
        if kind.kept < limit {
            kind.kept += 1;
            true
        } else {
            if kind.omitted == 0 {
                kind.first_omitted = offset;
            }
            kind.omitted += 1;
            false
        }
    }

    /// Caps the finished `findings` (in source order, none of them admitted before) if they
    /// can hold more of one kind than `options` lists: a code has more than its limit, and so
    /// many of them have patterns of one length (a kind is a code at a pattern). Most payloads
    /// have a few findings, of distinct codes or places: they need no cap at all (`None`), and
    /// no pattern is written.
    pub fn finished(options: &Options, findings: &mut Vec<Finding>) -> Option<Cap> {
        let limits = Cap::limits(options)?;
        let counts = code_counts(findings);
        let over = |f: &Finding| {
            counts
                .get(f.code as usize)
                .is_none_or(|&n| n > limits.limit(f.code))
        };
        let mut lengths: Vec<(Code, usize)> = findings
            .iter()
            .filter(|f| over(f))
            .map(|f| (f.code, pattern_len(f.pointer())))
            .collect();
        lengths.sort_unstable();
        let needed = lengths
            .chunk_by(|a, b| a == b)
            .any(|run| run.len() > limits.limit(run[0].0));
        needed.then(|| {
            let mut cap = Cap::with(limits);
            cap.apply_counted(findings, &counts);
            cap
        })
    }

    /// Whether a finding found out of source order was of a kind not tracked (the table was
    /// full): in source order its kind might have been tracked, and its findings capped. A
    /// caller that admits findings as it finds them then gives the report up to one that caps
    /// them in order.
    pub fn unsure(&self) -> bool {
        self.unsure
    }

    /// Caps the finished `findings` (in source order, none of them admitted before), whether
    /// or not they need it.
    pub fn apply(&mut self, findings: &mut Vec<Finding>) {
        let counts = code_counts(findings);
        self.apply_counted(findings, &counts);
    }

    /// [`Cap::apply`], the findings of each code counted (`counts`).
    fn apply_counted(&mut self, findings: &mut Vec<Finding>, counts: &[usize]) {
        // A finding of a code with no more findings than its limit is kept whatever its kind:
        // only the others need a pattern, unless the kinds could pass the most tracked (then
        // every kind counts, in order).
        let every = findings.len() > MAX_KINDS;
        findings.retain(|f| {
            let hot = counts
                .get(f.code as usize)
                .is_none_or(|&n| n > self.limits.limit(f.code));
            if !(every || hot) {
                return true;
            }
            let offset = f.offset().unwrap_or(0);
            self.admit_pointer(f.code, f.pointer(), offset)
        });
    }

    /// Every kind omitted, in order of its first omitted finding.
    pub fn omitted(self) -> Vec<Omitted> {
        let mut omitted: Vec<(usize, Omitted)> = self
            .kinds
            .iter()
            .filter(|k| k.omitted > 0)
            .map(|k| {
                let o = Omitted {
                    severity: k.code.severity(self.limits.strict),
                    code: k.code,
                    pointer: self.patterns[k.pattern.0..k.pattern.1].to_owned(),
                    count: k.omitted,
                };
                (k.first_omitted, o)
            })
            .collect();
        omitted.sort_by(|(a, x), (b, y)| {
            a.cmp(b)
                .then(x.code.as_str().cmp(y.code.as_str()))
                .then(x.pointer.cmp(&y.pointer))
        });
        omitted.into_iter().map(|(_, o)| o).collect()
    }
}

/// How many of `findings` there are of each code (indexed by the code).
fn code_counts(findings: &[Finding]) -> [usize; Code::ALL.len()] {
    let mut counts = [0; Code::ALL.len()];
    for f in findings {
        if let Some(n) = counts.get_mut(f.code as usize) {
            *n += 1;
        }
    }
    counts
}

/// `a < b`, byte by byte: patterns are short, and most differ near their end (a loop beats
/// a `memcmp` call there).
fn below(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    match a.iter().zip(b).position(|(x, y)| x != y) {
        Some(i) => a[i] < b[i],
        None => a.len() < b.len(),
    }
}

/// Appends `/` and the key `k` escaped, or `/*` if it is all digits.
fn push_key_pattern(out: &mut String, k: &str) {
    if !k.is_empty() && k.bytes().all(|b| b.is_ascii_digit()) {
        out.push_str("/*");
    } else {
        out.push('/');
        push_escaped(out, k);
    }
}

/// Appends `pointer` with array indices (and other all-digit segments) as `*`:
/// `/guild/features/3` becomes `/guild/features/*` (see [`Omitted::pointer`]).
#[inline]
pub(crate) fn push_pointer_pattern(out: &mut String, pointer: &str) {
    let done = each_index(pointer, |before| {
        out.push_str(before);
        out.push('*');
    });
    out.push_str(&pointer[done..]);
}

/// The length of `pointer`'s pattern (see [`push_pointer_pattern`]), without writing it.
fn pattern_len(pointer: &str) -> usize {
    let mut len = pointer.len();
    if pointer.bytes().any(|b| b.is_ascii_digit()) {
        let mut at = 0;
        each_index(pointer, |before| {
            // The index that follows `before` starts at `at + before.len()`; it ends where
            // the next segment starts or at the end.
            let start = at + before.len();
            let end = pointer[start..]
                .find('/')
                .map_or(pointer.len(), |e| start + e);
            len -= end - start - 1;
            at = end;
        });
    }
    len
}

/// `pointer`'s pattern (see [`push_pointer_pattern`]): `pointer` itself when it has no
/// all-digit segment (most pointers), else written to `scratch`.
fn pattern_of<'p>(pointer: &'p str, scratch: &'p mut String) -> &'p str {
    if !pointer.bytes().any(|b| b.is_ascii_digit()) {
        return pointer; // most pointers: no index, no digit at all
    }
    let mut built = false;
    let done = each_index(pointer, |before| {
        if !built {
            scratch.clear();
            built = true;
        }
        scratch.push_str(before);
        scratch.push('*');
    });
    if !built {
        return pointer;
    }
    scratch.push_str(&pointer[done..]);
    scratch
}

/// Calls `index` for each all-digit segment of `pointer` with the text since the previous one
/// (or the start) up to it; returns where the text after the last one starts. A segment is
/// looked at up to its first byte that is not a digit: one byte, for most.
#[inline]
fn each_index(pointer: &str, mut index: impl FnMut(&str)) -> usize {
    let b = pointer.as_bytes();
    let (mut done, mut at) = (0, 0);
    while let Some(slash) = memchr::memchr(b'/', &b[at..]) {
        let start = at + slash + 1;
        let end = memchr::memchr(b'/', &b[start..]).map_or(b.len(), |e| start + e);
        if end > start && b[start..end].iter().all(u8::is_ascii_digit) {
            index(&pointer[done..start]);
            done = end;
        }
        at = end;
    }
    done
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns_from_paths_and_from_pointers_agree() {
        let cases: [(&[Seg<'_>], &str); 4] = [
            (
                &[Seg::Key("guild"), Seg::Key("features"), Seg::Index(3)],
                "/guild/features/3",
            ),
            (
                &[Seg::Key("12"), Seg::Key("a/b"), Seg::Key("~")],
                "/12/a~1b/~0",
            ),
            (&[Seg::Key(""), Seg::Index(0), Seg::Key("x1")], "//0/x1"),
            (&[], ""),
        ];
        for (path, pointer) in cases {
            let mut a = Cap::new(&Options {
                max_repeats: Some(1),
                ..Options::default()
            })
            .unwrap_or_else(|| unreachable!());
            assert!(a.admit(Code::UnknownField, path, None, 0));
            // The same kind by its pointer: over the limit.
            assert!(
                !a.admit_pointer(Code::UnknownField, pointer, 1),
                "{pointer}"
            );
            // Another code is another kind.
            assert!(a.admit_pointer(Code::WrongType, pointer, 2));
        }
        for (a, b) in [
            ("/a", "/b"),
            ("/a", "/ab"),
            ("", "/"),
            ("/k01", "/k10"),
            ("/é", "/z"),
        ] {
            assert_eq!(below(a, b), a < b, "{a} {b}");
            assert_eq!(below(b, a), b < a, "{b} {a}");
        }
        assert!(!below("/a", "/a"));
        let mut out = String::new();
        push_pointer_pattern(&mut out, "/guild/features/12/x/0a/");
        assert_eq!(out, "/guild/features/*/x/0a/");
    }

    /// Every all-digit segment as `*`, byte by byte: what [`pattern_of`] must write (text
    /// before the first `/`, which a pointer has not, is kept).
    fn reference(pointer: &str) -> String {
        pointer
            .split('/')
            .enumerate()
            .map(|(i, seg)| {
                if i == 0 {
                    return seg;
                }
                if !seg.is_empty() && seg.bytes().all(|b| b.is_ascii_digit()) {
                    "*"
                } else {
                    seg
                }
            })
            .collect::<Vec<_>>()
            .join("/")
    }

    #[test]
    fn kinds_past_the_most_tracked_are_kept_whole() {
        let options = Options::default().with_max_repeats(Some(1), None);
        // Kinds in order, each above the ones before (no hash for them), then out of order.
        for sorted in [true, false] {
            let mut cap = Cap::new(&options).unwrap_or_else(|| unreachable!());
            let name = |i: usize| {
                let i = if sorted {
                    i
                } else {
                    (i * 7_919) % (MAX_KINDS + 10)
                };
                format!("/k{i:07}")
            };
            for i in 0..MAX_KINDS + 10 {
                assert!(cap.admit_pointer(Code::UnknownField, &name(i), i), "{i}");
            }
            // A tracked kind again: capped. An untracked one: kept, every time.
            assert!(!cap.admit_pointer(Code::UnknownField, &name(3), 20_000));
            for _ in 0..3 {
                assert!(cap.admit_pointer(Code::UnknownField, &name(MAX_KINDS + 5), 20_001));
            }
            assert!(!cap.unsure());
            // Out of order, of a kind not tracked: the cap cannot say it kept the first.
            assert!(cap.admit_pointer(Code::UnknownField, &name(MAX_KINDS + 6), 5));
            assert!(cap.unsure());
            let omitted = cap.omitted();
            assert_eq!(omitted.len(), 1);
            assert_eq!(
                (omitted[0].pointer.as_str(), omitted[0].count),
                (&*name(3), 1)
            );
        }
    }

    #[test]
    fn patterns_are_written_as_the_reference_writes_them() {
        for p in ["", "/", "/a", "/12", "/a/0/b/123/", "/0/0", "x0/1", "/é/42"] {
            assert_eq!(pattern_len(p), reference(p).len(), "{p:?}");
        }
        let parts = ["", "0", "12", "a", "1a", "a1", "~1", "é", "007", "*"];
        let mut scratch = String::from("stale");
        for a in parts {
            for b in parts {
                for c in parts {
                    for p in [
                        format!("/{a}/{b}/{c}"),
                        format!("{a}/{b}"),
                        format!("/{a}{b}//{c}/"),
                    ] {
                        assert_eq!(pattern_of(&p, &mut scratch), reference(&p), "{p:?}");
                    }
                }
            }
        }
    }
}
