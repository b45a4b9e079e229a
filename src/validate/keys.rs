//! Object keys: equality, and finding a repeated key in time linear in the object's size.
//!
//! Every repeat check of the validator (the position-keeping parser, the fast path's unknown
//! keys, the gateway envelope sniff) goes through [`Repeats`]: keys are compared one by one
//! while an object has few (nearly every object of real traffic), and hashed once it has many,
//! so an object of n keys costs O(n) comparisons, not O(n²). Tests count the comparisons
//! ([`comparisons`], test builds only).

use std::collections::HashMap;
use std::hash::{BuildHasher, BuildHasherDefault, Hasher};

// Randomly seeded, and several times cheaper than SipHash on short keys (one hash per key
// of a big object, per item of a unique array).
use foldhash::quality::RandomState;
use hashbrown::HashTable;

/// Objects with at least this many keys get a hash index (below it, a scan is cheaper).
const INDEX_AT: usize = 16;

/// String equality that rejects on length and first byte before comparing bytes (object keys
/// are short and mostly differ early; this keeps `memcmp` calls out of the hot loops).
#[inline]
pub(crate) fn key_eq(a: &str, b: &str) -> bool {
    #[cfg(test)]
    count(1);
    a.len() == b.len() && a.as_bytes().first() == b.as_bytes().first() && a == b
}

#[cfg(test)]
thread_local! {
    static COMPARISONS: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

#[cfg(test)]
fn count(n: u64) {
    COMPARISONS.with(|c| c.set(c.get() + n));
}

/// Counts one hash probe made elsewhere (test builds only).
#[cfg(test)]
pub(crate) fn count_probe() {
    count(1);
}

#[cfg(test)]
thread_local! {
    static HASHED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Keys hashed by [`Repeats`] on this thread so far (test builds only).
#[cfg(test)]
pub(crate) fn hashed() -> u64 {
    HASHED.with(std::cell::Cell::get)
}

/// Counts one key or item hashed (test builds only).
#[cfg(test)]
pub(crate) fn count_hashed() {
    HASHED.with(|c| c.set(c.get() + 1));
}

/// Key comparisons and hash probes made on this thread so far (test builds only).
#[cfg(test)]
pub(crate) fn comparisons() -> u64 {
    COMPARISONS.with(std::cell::Cell::get)
}

/// A map from hashes that are already random (from a randomly keyed hasher) to indices: the
/// hash is its own bucket hash, so nothing is hashed twice.
pub(crate) type HashIndex = HashMap<u64, usize, BuildHasherDefault<Identity>>;

/// The hasher of [`HashIndex`]: a `u64` key as it is.
#[derive(Default)]
pub(crate) struct Identity(u64);

impl Hasher for Identity {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only `u64` keys are written; anything else is folded in, never used.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

/// Finds, for each key of one object in turn, an earlier equal key. The caller keeps the keys
/// (key `i` is `key(i)`) and calls [`Repeats::first`] once per key, in order.
#[derive(Default)]
pub(crate) struct Repeats {
    /// Whether two keys were met out of strictly increasing order. Until then every key is
    /// distinct from all before it by one comparison with the last, with no index (a map
    /// serialized sorted, as Go's `encoding/json`, `jq -S` or a `BTreeMap` write it; see
    /// [`repeats_in`]).
    unordered: bool,
    /// Past [`INDEX_AT`] keys, once unordered: each distinct key's hash → the index of its
    /// first occurrence. A hash shared by two different keys (a collision; the hasher is
    /// randomly keyed, so an input cannot aim for one) is resolved by a scan.
    index: Option<(RandomState, HashIndex)>,
}

impl Repeats {
    /// The index of the first earlier key equal to key `n` (keys `0..n` were passed before).
    pub fn first<'k>(&mut self, n: usize, key: impl Fn(usize) -> &'k str) -> Option<usize> {
        let new = key(n);
        if !self.unordered {
            if n == 0 {
                return None;
            }
            #[cfg(test)]
            count(1);
            // Keys `0..n` increase strictly: all are below key `n - 1`.
            if key(n - 1) < new {
                return None;
            }
            self.unordered = true;
        }
        if n < INDEX_AT {
            return (0..n).find(|&i| key_eq(key(i), new));
        }
        let (state, index) = self.index.get_or_insert_with(|| {
            let state = RandomState::default();
            let mut index =
                HashIndex::with_capacity_and_hasher(n.max(4 * INDEX_AT), Default::default());
            for i in 0..n {
                #[cfg(test)]
                count_hashed();
                index.entry(state.hash_one(key(i))).or_insert(i);
            }
            (state, index)
        });
        #[cfg(test)]
        count(1);
        #[cfg(test)]
        count_hashed();
        match index.entry(state.hash_one(new)) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(n);
                None
            }
            std::collections::hash_map::Entry::Occupied(e) => {
                let i = *e.get();
                if key_eq(key(i), new) {
                    Some(i)
                } else {
                    (0..n).find(|&j| key_eq(key(j), new))
                }
            }
        }
    }
}

/// Every repeated key of a whole object of `n` keys (key `i` is `key(i)`): (the repeat, its
/// first occurrence), in order. For an object read to its end, so the table is sized once for
/// all its keys and holds 8-byte entries (the keys are compared through `key`), where
/// [`Repeats`], fed one key at a time, grows an index of hashes and indices twice as large,
/// rehashing on the way: on an object of a million keys that was most of the parse.
pub(crate) fn repeats_in<'k>(n: usize, key: impl Fn(usize) -> &'k str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    if n < INDEX_AT {
        for j in 1..n {
            if let Some(i) = (0..j).find(|&i| key_eq(key(i), key(j))) {
                out.push((j, i));
            }
        }
        return out;
    }
    if u32::try_from(n).is_err() {
        // More keys than 4-byte indices hold (a 20 GB object): one at a time.
        let mut repeats = Repeats::default();
        for j in 0..n {
            if let Some(i) = repeats.first(j, &key) {
                out.push((j, i));
            }
        }
        return out;
    }
    // Keys in strictly increasing order are all distinct: one pass over neighbours, no table
    // (maps serialized sorted, as Go's `encoding/json`, `jq -S` or a `BTreeMap` write them,
    // are the large objects most often met). The first pair out of order sends the object to
    // the table, having cost as many comparisons as keys before it.
    if (1..n).all(|j| {
        #[cfg(test)]
        count(1);
        key(j - 1) < key(j)
    }) {
        return out;
    }
    let state = RandomState::default();
    // (index, 32 more bits of its hash): a key is fetched for comparison only when those
    // match too (hashbrown's own 7 bits alone sent one probe in ten to a key elsewhere in
    // memory: two cache misses).
    let mut table: HashTable<(u32, u32)> = HashTable::with_capacity(n);
    for j in 0..n {
        let new = key(j);
        let hash = state.hash_one(new);
        // Bits that neither pick the bucket (the low ones) nor are hashbrown's tag (the top 7).
        let more = (hash >> 25) as u32;
        #[cfg(test)]
        count(1);
        // Sized for `n`: never rehashed (the third closure is for hashbrown's sake).
        match table.entry(
            hash,
            |&(i, m)| m == more && key_eq(key(i as usize), new),
            |&(i, _)| state.hash_one(key(i as usize)),
        ) {
            hashbrown::hash_table::Entry::Occupied(e) => out.push((j, e.get().0 as usize)),
            hashbrown::hash_table::Entry::Vacant(e) => {
                // `j < n`, which fits in a `u32`.
                e.insert((j as u32, more));
            }
        }
    }
    out
}

impl Repeats {
    /// Whether `key` is among keys `0..n` (passed to [`Repeats::first`] before).
    pub fn contains<'k>(&self, n: usize, key: impl Fn(usize) -> &'k str, wanted: &str) -> bool {
        if !self.unordered {
            // Strictly increasing: a binary search.
            let (mut lo, mut hi) = (0, n);
            while lo < hi {
                let mid = lo + (hi - lo) / 2;
                #[cfg(test)]
                count(1);
                match key(mid).cmp(wanted) {
                    std::cmp::Ordering::Less => lo = mid + 1,
                    std::cmp::Ordering::Greater => hi = mid,
                    std::cmp::Ordering::Equal => return true,
                }
            }
            return false;
        }
        match &self.index {
            Some((state, index)) => match index.get(&state.hash_one(wanted)) {
                None => false,
                Some(&i) if key_eq(key(i), wanted) => true,
                // A collision: look at every key.
                Some(_) => (0..n).any(|i| key_eq(key(i), wanted)),
            },
            None => (0..n).any(|i| key_eq(key(i), wanted)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_eq_is_string_equality() {
        let keys: Vec<String> = (0..40)
            .map(|n| "k".repeat(n))
            .chain((0..40).map(|n| format!("{}x", "k".repeat(n))))
            .chain((0..40).map(|n| format!("x{}", "k".repeat(n))))
            .chain((0..20).map(|n| format!("{}x{}", "k".repeat(n), "k".repeat(19 - n))))
            .collect();
        for a in &keys {
            for b in &keys {
                assert_eq!(key_eq(a, b), a == b, "{a:?} {b:?}");
            }
        }
    }

    /// The first earlier equal key, the obvious way.
    fn first_slow(keys: &[String], n: usize) -> Option<usize> {
        (0..n).find(|&i| keys[i] == keys[n])
    }

    #[test]
    fn repeats_are_found_as_a_scan_finds_them() {
        for len in [0, 1, 15, 16, 17, 40, 300] {
            for modulo in [1, 3, 16, 17, 1000] {
                let keys: Vec<String> = (0..len).map(|i| format!("k{}", i % modulo)).collect();
                let mut repeats = Repeats::default();
                for n in 0..len {
                    assert_eq!(
                        repeats.first(n, |i| &keys[i]),
                        first_slow(&keys, n),
                        "len {len} modulo {modulo} key {n}"
                    );
                }
            }
        }
    }

    #[test]
    fn contains_agrees_with_a_scan() {
        for keys in [
            (0..300).map(|i| format!("k{i:03}")).collect::<Vec<_>>(),
            (0..300).map(|i| format!("k{}", i % 40)).collect(),
            (0..10).map(|i| format!("k{}", 9 - i)).collect(),
        ] {
            let mut repeats = Repeats::default();
            for n in 0..keys.len() {
                repeats.first(n, |i| &keys[i]);
                for wanted in ["k000", "k005", "k299", "k5", "k39", "k9", "k", "x", ""] {
                    assert_eq!(
                        repeats.contains(n + 1, |i| &keys[i], wanted),
                        keys[..=n].iter().any(|k| k == wanted),
                        "{n} {wanted}"
                    );
                }
            }
        }
    }

    #[test]
    fn keys_in_increasing_order_are_not_hashed() {
        // One comparison with the key before: no index (it hashed every key past the 16th).
        let keys: Vec<String> = (0..40_000).map(|i| format!("k{i:05}")).collect();
        let (hashed_before, before) = (hashed(), comparisons());
        let mut repeats = Repeats::default();
        for n in 0..keys.len() {
            assert_eq!(repeats.first(n, |i| &keys[i]), None);
        }
        assert_eq!(hashed() - hashed_before, 0);
        assert!(comparisons() - before < 40_000);
        // The first key out of order hashes the keys so far, once; a repeat is then found.
        let mut late = keys.clone();
        late.push("k00007".to_owned());
        late.push("k39999x".to_owned());
        let mut repeats = Repeats::default();
        let found: Vec<Option<usize>> = (0..late.len())
            .map(|n| repeats.first(n, |i| &late[i]))
            .collect();
        assert_eq!(found[40_000], Some(7));
        assert_eq!(found[40_001], None);
        assert!(hashed() - hashed_before < 40_003);
    }

    #[test]
    fn repeats_in_a_whole_object_are_found_as_a_scan_finds_them() {
        for len in [0, 1, 2, 15, 16, 17, 40, 300] {
            for modulo in [1, 3, 16, 17, 1000] {
                let keys: Vec<String> = (0..len).map(|i| format!("k{}", i % modulo)).collect();
                let expected: Vec<(usize, usize)> = (0..len)
                    .filter_map(|n| first_slow(&keys, n).map(|i| (n, i)))
                    .collect();
                assert_eq!(
                    repeats_in(len, |i| &keys[i]),
                    expected,
                    "len {len} modulo {modulo}"
                );
            }
        }
    }

    #[test]
    fn an_object_of_n_keys_costs_linear_comparisons() {
        let keys: Vec<String> = (0..40_000).map(|i| format!("k{i:05}")).collect();
        let before = comparisons();
        let mut repeats = Repeats::default();
        for n in 0..keys.len() {
            assert_eq!(repeats.first(n, |i| &keys[i]), None);
        }
        let used = comparisons() - before;
        assert!(used < 3 * 40_000, "{used} comparisons for 40,000 keys");
        // At once: in order (no table), shuffled, and in order but for the last two.
        let shuffled: Vec<String> = (0..40_000)
            .map(|i| keys[i * 7_919 % 40_000].clone())
            .collect();
        let mut late = keys.clone();
        late.swap(39_998, 39_999);
        for (what, keys, most) in [
            ("sorted", &keys, 40_000),
            ("shuffled", &shuffled, 3 * 40_000),
            ("late", &late, 3 * 40_000),
        ] {
            let before = comparisons();
            assert!(repeats_in(keys.len(), |i| &keys[i]).is_empty());
            let used = comparisons() - before;
            assert!(
                used < most,
                "{what}: {used} comparisons for 40,000 keys at once"
            );
        }
    }
}
