//! Unknown fields: keys this version of the crate does not know, kept as the exact JSON text
//! they arrived as.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::value::RawValue;

/// The fields of a payload that this version of the crate does not know.
///
/// Each value is kept as its raw JSON text (a [`RawValue`]), in arrival order, so it re-encodes
/// exactly as it came — numbers digit for digit — and costs one allocation to keep, with no
/// tree and no hashing on the decode path. [`get`](Self::get) parses a value on demand.
///
/// Keys are not de-duplicated: a payload that repeats an unknown key re-encodes with the
/// repetition, and [`get`](Self::get) returns the last occurrence (as `serde_json::Value` does).
/// Equality compares the fields as JSON values, last occurrence winning.
///
/// ```
/// use discord_invite::{Invite, Payload};
/// let invite = Invite::from_json_str(r#"{"code":"x","new_field":{"a":1.50}}"#).unwrap();
/// let Invite::Guild(g) = &invite else { unreachable!() };
/// assert_eq!(g.extra.get_raw("new_field").map(|r| r.get()), Some(r#"{"a":1.50}"#));
/// assert_eq!(g.extra.get("new_field"), Some(serde_json::json!({"a": 1.5})));
/// assert_eq!(invite.to_json_string().unwrap(), r#"{"code":"x","new_field":{"a":1.50}}"#);
/// ```
#[derive(Clone, Default)]
pub struct UnknownFields(Vec<(String, Box<RawValue>)>);

impl UnknownFields {
    /// No fields.
    pub const fn new() -> Self {
        UnknownFields(Vec::new())
    }

    /// Appends a field (an existing key is not replaced; see the type's docs).
    pub fn insert(&mut self, key: String, value: Box<RawValue>) {
        self.0.push((key, value));
    }

    /// Appends a field from any serialisable value.
    pub fn insert_value<T: serde::Serialize + ?Sized>(
        &mut self,
        key: impl Into<String>,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        self.0
            .push((key.into(), serde_json::value::to_raw_value(value)?));
        Ok(())
    }

    /// The raw JSON text of the last field named `key`.
    pub fn get_raw(&self, key: &str) -> Option<&RawValue> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| &**v)
    }

    /// The last field named `key`, parsed.
    pub fn get(&self, key: &str) -> Option<serde_json::Value> {
        self.get_raw(key)
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
    }

    /// `true` if a field named `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k == key)
    }

    /// Removes every field named `key`, returning the last one's text.
    pub fn remove(&mut self, key: &str) -> Option<Box<RawValue>> {
        let mut last = None;
        let mut kept = Vec::with_capacity(self.0.len());
        for (k, v) in self.0.drain(..) {
            if k == key {
                last = Some(v);
            } else {
                kept.push((k, v));
            }
        }
        self.0 = kept;
        last
    }

    /// The number of fields (repeated keys counted each time).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// `true` if there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The fields in arrival order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &RawValue)> {
        self.0.iter().map(|(k, v)| (k.as_str(), &**v))
    }

    /// The keys in arrival order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    fn as_values(&self) -> BTreeMap<&str, Option<serde_json::Value>> {
        self.0
            .iter()
            .map(|(k, v)| (k.as_str(), serde_json::from_str(v.get()).ok()))
            .collect()
    }
}

impl<'a> IntoIterator for &'a UnknownFields {
    type Item = &'a (String, Box<RawValue>);
    type IntoIter = std::slice::Iter<'a, (String, Box<RawValue>)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl PartialEq for UnknownFields {
    fn eq(&self, other: &Self) -> bool {
        self.0.len() == other.0.len() && self.as_values() == other.as_values()
    }
}

impl fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| (k, v.get())))
            .finish()
    }
}
