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

/// The kinds of finding of one report so far.
pub(crate) struct Cap {
    /// The most kept of each kind: warnings and notes, errors.
    others: usize,
    errors: usize,
    strict: bool,
    /// The kinds met (at most [`MAX_KINDS`]), their patterns one after another in `patterns`.
    kinds: Vec<Kind>,
    patterns: String,
    /// Each kind's hash (randomly keyed, so that an input cannot aim for collisions) → its
    /// index in `kinds`.
    index: HashTable<u32>,
    state: RandomState,
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
            .field("others", &self.others)
            .field("errors", &self.errors)
            .field("kinds", &self.kinds.len())
            .finish_non_exhaustive()
    }
}

impl Cap {
    /// A cap for `options` (`None`: findings are not capped).
    pub fn new(options: &Options) -> Option<Cap> {
        if options.max_repeats.is_none() && options.max_error_repeats.is_none() {
            return None;
        }
        Some(Cap {
            others: options.max_repeats.unwrap_or(usize::MAX),
            errors: options.max_error_repeats.unwrap_or(usize::MAX),
            strict: options.strict,
            kinds: Vec::new(),
            patterns: String::new(),
            index: HashTable::new(),
            state: RandomState::default(),
            greatest: None,
            recent: [None; 2],
            scratch: String::new(),
            reach: 0,
            unsure: false,
        })
    }

    fn limit(&self, code: Code) -> usize {
        match code.severity(self.strict) {
            Severity::Error => self.errors,
            _ => self.others,
        }
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
        let mut pattern = std::mem::take(&mut self.scratch);
        pattern.clear();
        push_pointer_pattern(&mut pattern, pointer);
        let kept = self.admit_pattern(code, &pattern, offset);
        self.scratch = pattern;
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
        let above = self
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
        let state = &self.state;
        let hash = state.hash_one((code, pattern));
        if !above {
            let (kinds, patterns) = (&self.kinds, &self.patterns);
            let found = self.index.find(hash, |&k| {
                let k = &kinds[k as usize];
                k.code == code && &patterns[k.pattern.0..k.pattern.1] == pattern
            });
            if let Some(&k) = found {
                self.recent = [Some(k as usize), a];
                return Some(k as usize);
            }
            if full {
                return None;
            }
        }
        let k = self.kinds.len();
        let start = self.patterns.len();
        self.patterns.push_str(pattern);
        self.kinds.push(Kind {
            code,
            pattern: (start, self.patterns.len()),
            kept: 0,
            omitted: 0,
            first_omitted: 0,
        });
        let (kinds, patterns) = (&self.kinds, &self.patterns);
        self.index.insert_unique(hash, k as u32, |&k| {
            let k = &kinds[k as usize];
            state.hash_one((k.code, &patterns[k.pattern.0..k.pattern.1]))
        });
        if above {
            self.greatest = Some(k);
        }
        self.recent = [Some(k), a];
        Some(k)
    }

    fn admit_pattern(&mut self, code: Code, pattern: &str, offset: usize) -> bool {
        let limit = self.limit(code);
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

    /// Whether a finding found out of source order was of a kind not tracked (the table was
    /// full): in source order its kind might have been tracked, and its findings capped. A
    /// caller that admits findings as it finds them then gives the report up to one that caps
    /// them in order.
    pub fn unsure(&self) -> bool {
        self.unsure
    }

    /// Caps the finished `findings` (in source order, none of them admitted before).
    pub fn apply(&mut self, findings: &mut Vec<Finding>) {
        findings.retain(|f| {
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
                    severity: k.code.severity(self.strict),
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
pub(crate) fn push_pointer_pattern(out: &mut String, pointer: &str) {
    // One pass over the bytes: runs without an index are copied whole.
    let b = pointer.as_bytes();
    let mut done = 0;
    let mut segment: Option<usize> = None;
    let mut digits = false;
    for i in 0..=b.len() {
        let c = b.get(i).copied().unwrap_or(b'/');
        if c == b'/' {
            if let Some(s) = segment {
                if digits && i > s {
                    out.push_str(&pointer[done..s]);
                    out.push('*');
                    done = i;
                }
            }
            segment = Some(i + 1);
            digits = true;
        } else if !c.is_ascii_digit() {
            digits = false;
        }
    }
    out.push_str(&pointer[done..]);
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
}
