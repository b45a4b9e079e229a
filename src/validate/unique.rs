//! `uniqueItems`: finding, for each item of an array, the first earlier item equal to it, in
//! time linear in the array (items are hashed by value; equal items hash alike, so only items
//! of equal hash are compared). Both paths of the validator use it, so they report the same
//! repeats: the fast path for arrays of scalars, the slow path for any array.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash, Hasher};

// Randomly seeded, and several times cheaper than SipHash on short items.
use foldhash::quality::RandomState;

use super::keys::HashIndex;
use super::position::{Member, Node, Value};

/// Arrays with at least this many items get a hash index (below it, a scan is cheaper and
/// allocates nothing).
const INDEX_AT: usize = 16;

/// How many runs of increasing items [`Seen`] searches before it hashes the items: each item
/// is looked for in every earlier run (a sorted list, then the same list again, as a capture
/// that repeats a page gives), so more runs cost more per item than one hash probe.
const RUNS_MAX: usize = 4;

/// Items `start..end` of the array, in strictly increasing order, and where the last search
/// in them stopped (the items of the current run increase too, so the next search goes on
/// from there).
#[derive(Clone, Copy, Default)]
struct Run {
    start: usize,
    end: usize,
    cursor: usize,
}

impl Run {
    /// The item of the run that is the same as item `n`, found from the cursor on: galloping
    /// to the first item not below `n` (all before the cursor are below the item of the last
    /// search, so below `n`), then one comparison.
    fn find(
        &mut self,
        n: usize,
        same: &impl Fn(usize, usize) -> bool,
        below: &impl Fn(usize, usize) -> bool,
    ) -> Option<usize> {
        let below_n = |j: usize| {
            #[cfg(test)]
            super::keys::count_probe();
            below(j, n)
        };
        // `lo`: every item before it is below `n`.
        let (mut lo, mut step) = (self.cursor, 1);
        let mut hi = self.end;
        while lo < hi {
            let p = (lo + step - 1).min(hi - 1);
            if below_n(p) {
                lo = p + 1;
                step *= 2;
            } else {
                hi = p;
                // The first item not below `n` is in `lo..=p`.
                while lo < hi {
                    let mid = lo + (hi - lo) / 2;
                    if below_n(mid) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
            }
        }
        self.cursor = lo;
        #[cfg(test)]
        super::keys::count_probe();
        (lo < self.end && same(lo, n)).then_some(lo)
    }
}

/// Finds, for each item of one array in turn, the first earlier item equal to it. The caller
/// keeps the items and calls [`Seen::first`] once per item, in order.
#[derive(Default)]
pub(crate) struct Seen {
    /// The runs of strictly increasing items before the current one (see [`Seen::first`]'s
    /// `below`), while there are at most [`RUNS_MAX`]: an item is looked for in each by a
    /// search from where the last one stopped, with no index. A sorted list of ids or names
    /// is one run; the same list twice, two. (An array, so that a short array allocates
    /// nothing.)
    runs: [Run; RUNS_MAX],
    /// How many of `runs` are filled.
    closed: usize,
    /// Where the current run starts.
    current: usize,
    /// Whether the runs were too many: items are then found by [`Seen::index`].
    unordered: bool,
    /// Past [`INDEX_AT`] items, once unordered: each distinct hash → the first item with it. An item equal to
    /// an earlier one need not be remembered (that one stays the first); an item whose hash
    /// is taken by a different one (a collision; the hasher is randomly keyed, so an input
    /// cannot aim for one) is compared with every earlier item.
    index: Option<(RandomState, HashIndex)>,
}

impl Seen {
    /// Item `n` (items `0..n` were passed before): the first earlier item `j` with
    /// `same(j, n)`. `hash(state, i)` is item `i`'s hash; equal items must hash alike.
    /// `below(i, j)`: item `i` is below item `j` in a strict order under which no item is
    /// below one it is the same as (`false` when the two cannot be ordered): [`str_below`].
    pub fn first(
        &mut self,
        n: usize,
        hash: impl Fn(&RandomState, usize) -> u64,
        same: impl Fn(usize, usize) -> bool,
        below: impl Fn(usize, usize) -> bool,
    ) -> Option<usize> {
        let scan = |to: usize| {
            (0..to).find(|&j| {
                #[cfg(test)]
                super::keys::count_probe();
                same(j, n)
            })
        };
        if !self.unordered {
            if n == 0 {
                return None;
            }
            #[cfg(test)]
            super::keys::count_probe();
            // Items `current..n` increase strictly: all are below item `n - 1`, so item `n`
            // differs from each if it is above that one; else a run starts at `n`.
            if !below(n - 1, n) {
                if self.closed == RUNS_MAX {
                    self.unordered = true;
                } else {
                    self.runs[self.closed] = Run {
                        start: self.current,
                        end: n,
                        cursor: self.current,
                    };
                    self.closed += 1;
                    self.current = n;
                    for run in &mut self.runs[..self.closed] {
                        run.cursor = run.start;
                    }
                }
            }
            if !self.unordered {
                // The runs in order: the first one with the item has its first occurrence.
                return self.runs[..self.closed]
                    .iter_mut()
                    .find_map(|r| r.find(n, &same, &below));
            }
        }
        if n < INDEX_AT {
            return scan(n);
        }
        let (state, index) = self.index.get_or_insert_with(|| {
            let state = RandomState::default();
            let mut index =
                HashIndex::with_capacity_and_hasher(n.max(4 * INDEX_AT), Default::default());
            for i in 0..n {
                #[cfg(test)]
                super::keys::count_hashed();
                index.entry(hash(&state, i)).or_insert(i);
            }
            (state, index)
        });
        #[cfg(test)]
        super::keys::count_hashed();
        #[cfg(test)]
        super::keys::count_probe();
        match index.entry(hash(state, n)) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(n);
                None
            }
            std::collections::hash_map::Entry::Occupied(e) => {
                let j = *e.get();
                #[cfg(test)]
                super::keys::count_probe();
                if same(j, n) {
                    Some(j)
                } else {
                    scan(n)
                }
            }
        }
    }
}

/// The order of [`Seen::first`]'s `below` for two items: strings by their bytes (the same
/// strings are equal: neither is below the other); other items are not ordered.
pub(crate) fn str_below(a: Option<&str>, b: Option<&str>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a < b)
}

/// A number's value as bits, so that `1`, `1.0` and `1e0` hash alike (the checks compare
/// numbers by value): `-0` is `0`; text that is not a number hashes as itself.
pub(crate) fn number_bits(raw: &str) -> Result<u64, &str> {
    match raw.parse::<f64>() {
        // `-0` and `0` are one value.
        Ok(v) => Ok(if v == 0.0 { 0 } else { v.to_bits() }),
        Err(_) => Err(raw),
    }
}

/// The hash of a scalar item (what the fast path reads); the same as [`node_hash`] gives the
/// same value read by the slow path.
pub(crate) fn scalar_hash(state: &RandomState, item: Scalar<'_>) -> u64 {
    let mut h = state.build_hasher();
    scalar_into(&mut h, item);
    h.finish()
}

/// A scalar as the hash sees it.
#[derive(Clone, Copy)]
pub(crate) enum Scalar<'a> {
    Null,
    Bool(bool),
    Number(&'a str),
    Str(&'a str),
}

fn scalar_into(h: &mut impl Hasher, item: Scalar<'_>) {
    match item {
        Scalar::Null => 0u8.hash(h),
        Scalar::Bool(b) => (1u8, b).hash(h),
        Scalar::Number(raw) => match number_bits(raw) {
            Ok(bits) => (2u8, bits).hash(h),
            Err(text) => (3u8, text).hash(h),
        },
        Scalar::Str(text) => (4u8, text).hash(h),
    }
}

/// The hash of any value: arrays by their items in order, objects by their members in any
/// order (a sum), each key counted once with its first value, as [`same`] compares them.
pub(crate) fn node_hash(state: &RandomState, node: &Node<'_>) -> u64 {
    let mut h = state.build_hasher();
    match &node.value {
        Value::Null => scalar_into(&mut h, Scalar::Null),
        Value::Bool(b) => scalar_into(&mut h, Scalar::Bool(*b)),
        Value::Number(raw) => scalar_into(&mut h, Scalar::Number(raw)),
        Value::String(text) => scalar_into(&mut h, Scalar::Str(text)),
        Value::Array(items) => {
            (5u8, items.len()).hash(&mut h);
            for item in items {
                node_hash(state, item).hash(&mut h);
            }
        }
        Value::Object(members) => {
            let sum = members
                .iter()
                .filter(|m| !m.repeat)
                .map(|m| state.hash_one((&*m.key, node_hash(state, &m.value))))
                .fold(0u64, u64::wrapping_add);
            let count: usize = members.iter().map(Member::count).sum();
            (6u8, count, sum).hash(&mut h);
        }
    }
    h.finish()
}

/// Whether two values are the same item: numbers by value, arrays item by item, objects with
/// the same number of members and the same keys, each key's first value the same.
pub(crate) fn same(a: &Node<'_>, b: &Node<'_>) -> bool {
    match (&a.value, &b.value) {
        (Value::Null, Value::Null) => true,
        (Value::Bool(x), Value::Bool(y)) => x == y,
        (Value::Number(x), Value::Number(y)) => same_number(x, y),
        (Value::String(x), Value::String(y)) => x == y,
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(p, q))
        }
        (Value::Object(x), Value::Object(y)) => {
            let firsts = |m: &[Member<'_>]| m.iter().filter(|m| !m.repeat).count();
            let count = |m: &[Member<'_>]| m.iter().map(Member::count).sum::<usize>();
            if count(x) != count(y) || firsts(x) != firsts(y) {
                return false;
            }
            // The first values by key: a scan for small objects, a map for large ones.
            if y.len() <= 16 {
                let first = |key: &str| y.iter().find(|n| n.key == key);
                x.iter()
                    .filter(|m| !m.repeat)
                    .all(|m| first(&m.key).is_some_and(|n| same(&m.value, &n.value)))
            } else {
                let firsts: HashMap<&str, &Node<'_>> = y
                    .iter()
                    .filter(|n| !n.repeat)
                    .map(|n| (&*n.key, &n.value))
                    .collect();
                x.iter()
                    .filter(|m| !m.repeat)
                    .all(|m| firsts.get(&*m.key).is_some_and(|v| same(&m.value, v)))
            }
        }
        _ => false,
    }
}

/// Whether two JSON numbers are equal: by text, or by value.
pub(crate) fn same_number(x: &str, y: &str) -> bool {
    x == y || matches!((x.parse::<f64>(), y.parse::<f64>()), (Ok(p), Ok(q)) if p == q)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first earlier equal item, the obvious way.
    fn first_slow(items: &[Option<String>], n: usize) -> Option<usize> {
        (0..n).find(|&j| items[j] == items[n])
    }

    fn firsts(items: &[Option<String>]) -> Vec<Option<usize>> {
        let mut seen = Seen::default();
        (0..items.len())
            .map(|n| {
                seen.first(
                    n,
                    |state, i| state.hash_one(&items[i]),
                    |i, j| items[i] == items[j],
                    |i, j| str_below(items[i].as_deref(), items[j].as_deref()),
                )
            })
            .collect()
    }

    #[test]
    fn objects_count_their_dropped_repeats() {
        // `{"a":1,"a":2}` keeps one member (the repeat is dropped from the tree, counted on
        // it): it is still an object of two members, not the same item as `{"a":1}`, and the
        // same as `{"a":1,"a":3}` (the first value of each key decides).
        let doc = super::super::position::parse(br#"[{"a":1,"a":2},{"a":1},{"a":1,"a":3}]"#)
            .unwrap_or_else(|e| unreachable!("{e:?}"));
        let Value::Array(items) = &doc.root.value else {
            unreachable!()
        };
        assert!(!same(&items[0], &items[1]));
        assert!(same(&items[0], &items[2]));
        let state = RandomState::default();
        assert_ne!(node_hash(&state, &items[0]), node_hash(&state, &items[1]));
        assert_eq!(node_hash(&state, &items[0]), node_hash(&state, &items[2]));
    }

    #[test]
    fn repeats_are_found_as_a_scan_finds_them() {
        // Strings in order, out of order, repeated, and items that are not strings (`None`).
        let s = |v: &str| Some(v.to_owned());
        let lists: Vec<Vec<Option<String>>> = vec![
            vec![],
            (0..40).map(|i| s(&format!("F{i:03}"))).collect(),
            (0..40).map(|i| s(&format!("F{:03}", i % 25))).collect(),
            (0..40).map(|i| s(&format!("F{:03}", 39 - i))).collect(),
            (0..40)
                .map(|i| {
                    if i == 30 {
                        None
                    } else {
                        s(&format!("F{i:03}"))
                    }
                })
                .collect(),
            vec![s("a"), s("b"), s("b"), s("c")],
            vec![None, None, s("a"), s("a")],
            // Runs of increasing items, repeating earlier ones, fewer and more than
            // `RUNS_MAX` of them, some of one item, some not strings.
            vec![s("b"), s("d"), s("a"), s("b"), s("c"), s("d"), s("e")],
            vec![s("a"), s("a"), s("a"), s("b"), s("a"), s("b"), s("c")],
            vec![s("c"), None, s("c"), None, s("a"), s("c"), s("d")],
        ];
        let mut lists = lists;
        // Pseudo-random lists of a few runs each (an LCG: the test needs no crate).
        let mut x: u64 = 7;
        let mut next = |m: u64| {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            (x >> 33) % m
        };
        for _ in 0..300 {
            let mut items = Vec::new();
            for _ in 0..1 + next(7) {
                let mut v = next(20);
                for _ in 0..next(30) {
                    v += 1 + next(3);
                    items.push(if next(25) == 0 {
                        None
                    } else {
                        s(&format!("F{v:03}"))
                    });
                }
            }
            lists.push(items);
        }
        for items in &lists {
            let want: Vec<Option<usize>> = (0..items.len()).map(|n| first_slow(items, n)).collect();
            assert_eq!(firsts(items), want, "{items:?}");
        }
    }

    #[test]
    fn items_in_increasing_order_are_not_hashed() {
        // A sorted list of 40,000 names: one comparison each, no index (it hashed every item
        // past the 16th); then a repeat is searched for in that run.
        let mut items: Vec<Option<String>> =
            (0..40_000).map(|i| Some(format!("F{i:05}"))).collect();
        let before = super::super::keys::hashed();
        assert!(firsts(&items).iter().all(Option::is_none));
        assert_eq!(super::super::keys::hashed() - before, 0);
        items.push(Some("F00007".to_owned()));
        let found = firsts(&items);
        assert_eq!(found[40_000], Some(7));
        assert!(super::super::keys::hashed() - before <= 40_001);
    }

    #[test]
    fn a_sorted_list_repeated_is_not_hashed() {
        // A sorted list, then the same list again, its items in between the first's and on
        // them (a page of a capture saved twice): each item of the second run is searched for
        // from where the last search stopped, a few comparisons each, with no index (the
        // second run hashed the first one's 20,000 items, then each of its own).
        let n = 20_000;
        let first: Vec<Option<String>> = (0..n).map(|i| Some(format!("F{:06}", 2 * i))).collect();
        let second = (0..n).map(|i| Some(format!("F{i:06}")));
        let items: Vec<Option<String>> = first.iter().cloned().chain(second).collect();
        let (hashed, probes) = (
            super::super::keys::hashed(),
            super::super::keys::comparisons(),
        );
        let found = firsts(&items);
        assert_eq!(super::super::keys::hashed() - hashed, 0);
        let probes = super::super::keys::comparisons() - probes;
        assert!(probes <= 6 * 2 * n as u64, "{probes}");
        for i in 0..n {
            let want = (i % 2 == 0).then_some(i / 2);
            assert_eq!(found[n + i], want, "{i}");
        }
    }
}
