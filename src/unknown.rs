//! Unknown fields: keys this version of the crate does not know, kept as the exact JSON text
//! they arrived as, in one block of memory per object.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde_json::value::RawValue;

/// The fields of a payload that this version of the crate does not know.
///
/// Each value is kept as its raw JSON text, in arrival order, so it re-encodes exactly as it
/// came — numbers digit for digit — through serde_json. All the fields of one object share one
/// heap block (none when there are none): no tree, no hashing, no allocation per field.
/// [`get_raw`](Self::get_raw) gives a field's text as a [`RawValue`], [`get`](Self::get) parses
/// it, [`decode`](Self::decode) decodes it as any type; [`iter`](Self::iter) and
/// `&UnknownFields` iterate `(&str, &RawValue)` pairs.
///
/// Through a serde format other than JSON (MessagePack, CBOR…) a value arrives as that
/// format's data and is kept as the equivalent JSON text; encoding to such a format writes the
/// value as data again (the JSON text itself goes out only to serde_json, and other JSON
/// encoders get the value, equal as JSON).
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
/// for (key, raw) in &g.extra {
///     assert_eq!((key, raw.get()), ("new_field", r#"{"a":1.50}"#));
/// }
/// ```
#[derive(Clone, Default)]
pub struct UnknownFields(Option<Box<str>>);

// The block holds each field as `<key length>:<key><text length>:<text>` (lengths in decimal),
// so keys may hold any character and every slice starts and ends on a character boundary.

/// Appends one field to a block being built.
fn push_entry(buf: &mut String, key: &str, text: &str) {
    use std::fmt::Write as _;
    // Writing to a `String` cannot fail.
    let _ = write!(buf, "{}:", key.len());
    buf.push_str(key);
    let _ = write!(buf, "{}:", text.len());
    buf.push_str(text);
}

/// The bytes `push_entry` writes for one field.
fn entry_len(key: &str, text: &str) -> usize {
    fn digits(mut n: usize) -> usize {
        let mut d = 1;
        while n >= 10 {
            n /= 10;
            d += 1;
        }
        d
    }
    digits(key.len()) + 1 + key.len() + digits(text.len()) + 1 + text.len()
}

/// The fields of a block, in order, as `(key, text)`.
#[derive(Clone, Debug)]
struct Entries<'a>(&'a str);

impl<'a> Entries<'a> {
    /// A length and the slice after it; `None` at the end (or on a malformed block, which
    /// `push_entry` never writes).
    fn part(&mut self) -> Option<&'a str> {
        let colon = self.0.find(':')?;
        let len: usize = self.0.get(..colon)?.parse().ok()?;
        let part = self.0.get(colon + 1..colon + 1 + len)?;
        self.0 = self.0.get(colon + 1 + len..)?;
        Some(part)
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = (&'a str, &'a str);

    #[inline]
    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        if self.0.is_empty() {
            return None;
        }
        let key = self.part()?;
        let text = self.part()?;
        Some((key, text))
    }
}

/// A kept text as a `&RawValue`. The text was checked as JSON when it was kept, so the parse
/// (serde_json offers no other safe way to borrow a `RawValue`) always succeeds.
fn as_raw(text: &str) -> &RawValue {
    serde_json::from_str::<&RawValue>(text).unwrap_or(RawValue::NULL)
}

impl UnknownFields {
    /// No fields.
    pub const fn new() -> Self {
        UnknownFields(None)
    }

    fn block(&self) -> &str {
        self.0.as_deref().unwrap_or_default()
    }

    fn entries(&self) -> Entries<'_> {
        Entries(self.block())
    }

    /// Replaces the block by `entries` (an empty list frees it).
    fn rebuild<'a>(&mut self, entries: impl Iterator<Item = (&'a str, &'a str)> + Clone) {
        let len: usize = entries.clone().map(|(k, t)| entry_len(k, t)).sum();
        if len == 0 {
            self.0 = None;
            return;
        }
        let mut buf = String::with_capacity(len);
        for (k, t) in entries {
            push_entry(&mut buf, k, t);
        }
        self.0 = Some(buf.into_boxed_str());
    }

    /// Appends a field (an existing key is not replaced; see the type's docs).
    pub fn insert(&mut self, key: String, value: Box<RawValue>) {
        self.insert_str(&key, value);
    }

    /// Appends a field, copying the key.
    pub fn insert_str(&mut self, key: &str, value: Box<RawValue>) {
        self.push_text(key, value.get());
    }

    fn push_text(&mut self, key: &str, text: &str) {
        let old = self.0.take();
        let old = old.as_deref().unwrap_or_default();
        self.rebuild(Entries(old).chain(std::iter::once((key, text))));
    }

    /// Appends a field from any serialisable value.
    pub fn insert_value<T: serde::Serialize + ?Sized>(
        &mut self,
        key: impl Into<String>,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        let raw = serde_json::value::to_raw_value(value)?;
        self.push_text(&key.into(), raw.get());
        Ok(())
    }

    /// The raw JSON text of the last field named `key`.
    pub fn get_raw(&self, key: &str) -> Option<&RawValue> {
        self.get_text(key).map(as_raw)
    }

    /// The raw JSON text of the last field named `key`, as a `&str`.
    pub fn get_text(&self, key: &str) -> Option<&str> {
        self.entries()
            .filter(|(k, _)| *k == key)
            .last()
            .map(|(_, t)| t)
    }

    /// The last field named `key`, parsed.
    pub fn get(&self, key: &str) -> Option<serde_json::Value> {
        self.get_text(key)
            .and_then(|text| serde_json::from_str(text).ok())
    }

    /// The last field named `key`, decoded as `T` (any model, `Snowflake`, `Option<T>` to
    /// accept `null`…); `None` when there is no such field. An error's pointer starts at the
    /// field (`/key/…`).
    ///
    /// ```
    /// use discord_invite::{Invite, Payload, Snowflake};
    /// let invite = Invite::from_json_str(r#"{"code":"x","new_id":"42"}"#).unwrap();
    /// let extra = &invite.as_guild().unwrap().extra;
    /// assert_eq!(extra.decode::<Snowflake>("new_id"), Some(Ok(Snowflake::new(42))));
    /// assert_eq!(extra.decode::<bool>("new_id").unwrap().unwrap_err().pointer(), "/new_id");
    /// assert!(extra.decode::<bool>("missing").is_none());
    /// ```
    pub fn decode<T: serde::de::DeserializeOwned>(
        &self,
        key: &str,
    ) -> Option<Result<T, crate::DecodeError>> {
        let text = self.get_text(key)?;
        Some(crate::convert::decode_slice(text.as_bytes()).map_err(|e| e.within(key)))
    }

    /// `true` if a field named `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.entries().any(|(k, _)| k == key)
    }

    /// Removes every field named `key`, returning the last one's text.
    pub fn remove(&mut self, key: &str) -> Option<Box<RawValue>> {
        let last = self.get_raw(key).map(RawValue::to_owned)?;
        let old = self.0.take();
        let old = old.as_deref().unwrap_or_default();
        self.rebuild(Entries(old).filter(|(k, _)| *k != key));
        Some(last)
    }

    /// The number of fields (repeated keys counted each time).
    pub fn len(&self) -> usize {
        self.entries().count()
    }

    /// `true` if there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The fields in arrival order.
    pub fn iter(&self) -> UnknownFieldsIter<'_> {
        UnknownFieldsIter(self.entries())
    }

    /// The keys in arrival order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries().map(|(k, _)| k)
    }

    /// Writes every field into a map being serialised (the generated `Serialize` impls): the
    /// raw text to serde_json, the value to any other format.
    #[doc(hidden)]
    #[inline]
    pub fn serialize_entries<M: serde::ser::SerializeMap>(
        &self,
        map: &mut M,
    ) -> Result<(), M::Error> {
        for (key, text) in self.entries() {
            map.serialize_entry(key, &RawJson(text))?;
        }
        Ok(())
    }

    fn as_values(&self) -> BTreeMap<&str, Option<serde_json::Value>> {
        self.entries()
            .map(|(k, t)| (k, serde_json::from_str(t).ok()))
            .collect()
    }
}

/// The fields of an [`UnknownFields`] in arrival order, as `(key, raw value)`.
#[derive(Clone, Debug)]
pub struct UnknownFieldsIter<'a>(Entries<'a>);

impl<'a> Iterator for UnknownFieldsIter<'a> {
    type Item = (&'a str, &'a RawValue);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, t)| (k, as_raw(t)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.0.clone().count();
        (n, Some(n))
    }
}

impl ExactSizeIterator for UnknownFieldsIter<'_> {}

impl<'a> IntoIterator for &'a UnknownFields {
    type Item = (&'a str, &'a RawValue);
    type IntoIter = UnknownFieldsIter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl PartialEq for UnknownFields {
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.as_values() == other.as_values()
    }
}

impl fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.entries()).finish()
    }
}

/// The unknown fields of an object being decoded (the generated decoders' `extra`): borrowed
/// from the input where the deserializer allows it, then copied into one block at the end.
#[doc(hidden)]
pub struct Extra<'de> {
    first: [Option<(Cow<'de, str>, Cow<'de, str>)>; 4],
    len: usize,
    more: Vec<(Cow<'de, str>, Cow<'de, str>)>,
}

impl Default for Extra<'_> {
    fn default() -> Self {
        Self::new()
    }
}

impl<'de> Extra<'de> {
    /// None yet.
    #[inline]
    pub fn new() -> Self {
        Extra {
            first: [None, None, None, None],
            len: 0,
            more: Vec::new(),
        }
    }

    /// Appends a field read by a generated decoder.
    #[inline]
    pub fn push(&mut self, key: crate::__private::Key<'de>, value: RawField<'de>) {
        self.push_cow(key.into_cow(), value.0);
    }

    fn push_cow(&mut self, key: Cow<'de, str>, text: Cow<'de, str>) {
        match self.first.get_mut(self.len) {
            Some(slot) => *slot = Some((key, text)),
            None => self.more.push((key, text)),
        }
        self.len += 1;
    }

    /// Appends a field given as JSON text (a union's field of another variant).
    pub fn push_text(&mut self, key: &'static str, text: String) {
        self.push_cow(Cow::Borrowed(key), Cow::Owned(text));
    }

    fn iter(&self) -> impl Iterator<Item = (&str, &str)> + Clone {
        self.first
            .iter()
            .flatten()
            .chain(&self.more)
            .map(|(k, t)| (&**k, &**t))
    }

    /// The fields as kept: one block, or none.
    #[inline]
    pub fn finish(self) -> UnknownFields {
        if self.len == 0 {
            return UnknownFields::new();
        }
        let mut fields = UnknownFields::new();
        fields.rebuild(self.iter());
        fields
    }
}

/// serde_json's private name for `RawValue` (`serde_json::raw::TOKEN`): a deserializer that
/// knows it hands the value's raw JSON text to the visitor (serde_json's own, the fast path's),
/// and a serializer that knows it writes the text as it is (serde_json's).
pub(crate) const RAW_TOKEN: &str = "$serde_json::private::RawValue";

/// Whether `S` is one of serde_json's own serializers, which write a `RawValue` as its text.
/// Any other serializer would write serde_json's private struct literally.
fn is_serde_json<S>() -> bool {
    let name = std::any::type_name::<S>();
    name.starts_with("&mut serde_json::ser::Serializer<") || name == "serde_json::value::ser::Serializer"
}

/// An unknown field's text, written as `RawValue` writes itself for serde_json (the text as
/// it is) and as the value it holds for any other serializer.
#[doc(hidden)]
pub struct RawJson<'a>(pub &'a str);

impl serde::Serialize for RawJson<'_> {
    #[inline]
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        if is_serde_json::<S>() {
            let mut s = serializer.serialize_struct(RAW_TOKEN, 1)?;
            s.serialize_field(RAW_TOKEN, self.0)?;
            s.end()
        } else {
            self.as_value::<S::Error>()?.serialize(serializer)
        }
    }
}

impl RawJson<'_> {
    #[cold]
    fn as_value<E: serde::ser::Error>(&self) -> Result<serde_json::Value, E> {
        serde_json::from_str(self.0).map_err(E::custom)
    }
}

/// An unknown field's value as the generated decoders read it: its raw JSON text, borrowed from
/// the input where the deserializer allows it (serde_json's raw-value protocol, the fast
/// path's); from a deserializer without that protocol (another format), the value it gives,
/// written as JSON text.
#[doc(hidden)]
pub struct RawField<'de>(Cow<'de, str>);

impl RawField<'_> {
    /// The raw text, owned.
    pub(crate) fn into_box(self) -> Box<RawValue> {
        // Checked JSON text (see `FromRawText`), so this cannot fail.
        RawValue::from_string(self.0.into_owned())
            .unwrap_or_else(|_| RawValue::NULL.to_owned())
    }
}

/// `RawField`'s check (see `crate::check`): the same protocol and the same checks of the
/// text, without keeping it.
#[derive(Debug, Default)]
#[cfg_attr(not(feature = "validate"), allow(dead_code))] // only the validator's checks use it
pub struct CheckRaw;

/// What an unknown field's raw text becomes: kept ([`RawField`]) or only checked
/// ([`CheckRaw`]). Both read it through the raw-value protocol ([`FieldVisitor`]).
trait FromRawText<'de>: Sized {
    fn from_raw_text<E: serde::de::Error>(text: Cow<'de, str>) -> Result<Self, E>;
}

impl<'de> FromRawText<'de> for RawField<'de> {
    #[inline]
    fn from_raw_text<E: serde::de::Error>(s: Cow<'de, str>) -> Result<Self, E> {
        match &*s {
            "null" | "true" | "false" => {}
            // serde_json checks a raw value's syntax but not that its `\u` escapes pair
            // up; a known string field with an unpaired surrogate is an error, so an
            // unknown one is too.
            text => check_surrogates(text).map_err(E::custom)?,
        }
        Ok(RawField(s))
    }
}

impl<'de> FromRawText<'de> for CheckRaw {
    fn from_raw_text<E: serde::de::Error>(s: Cow<'de, str>) -> Result<Self, E> {
        match &*s {
            "null" | "true" | "false" => Ok(CheckRaw),
            // `Box<RawValue>` takes any text the deserializer hands over: only this can fail.
            text => check_surrogates(text).map(|()| CheckRaw).map_err(E::custom),
        }
    }
}

impl<'de> serde::Deserialize<'de> for RawField<'de> {
    #[inline]
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_TOKEN, FieldVisitor::<Self>(PhantomData))
    }
}

impl<'de> serde::Deserialize<'de> for CheckRaw {
    #[inline]
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_TOKEN, FieldVisitor::<Self>(PhantomData))
    }
}

/// The raw-value protocol: a one-entry map, the token as key and the raw text as value. A
/// deserializer that does not speak it hands over the value itself (`visit_newtype_struct`),
/// which is then written as JSON text.
struct FieldVisitor<T>(PhantomData<T>);

impl<'de, T: FromRawText<'de>> serde::de::Visitor<'de> for FieldVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        if map.next_key_seed(TokenKey)?.is_none() {
            return Err(serde::de::Error::invalid_type(
                serde::de::Unexpected::Map,
                &self,
            ));
        }
        map.next_value_seed(TextSeed::<T>(PhantomData))
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        let mut text = String::new();
        serde::de::DeserializeSeed::deserialize(crate::neutral::JsonText::new(&mut text), d)?;
        T::from_raw_text(Cow::Owned(text))
    }
}

/// The one key of the raw-value map: the token.
struct TokenKey;

impl<'de> serde::de::DeserializeSeed<'de> for TokenKey {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_identifier(self)
    }
}

impl serde::de::Visitor<'_> for TokenKey {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("raw value")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<(), E> {
        if s == RAW_TOKEN {
            Ok(())
        } else {
            Err(E::custom("unexpected raw value"))
        }
    }
}

/// The raw text of the value.
struct TextSeed<T>(PhantomData<T>);

impl<'de, T: FromRawText<'de>> serde::de::DeserializeSeed<'de> for TextSeed<T> {
    type Value = T;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<'de, T: FromRawText<'de>> serde::de::Visitor<'de> for TextSeed<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("raw value")
    }

    fn visit_borrowed_str<E: serde::de::Error>(self, s: &'de str) -> Result<T, E> {
        T::from_raw_text(Cow::Borrowed(s))
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<T, E> {
        T::from_raw_text(Cow::Owned(s.to_owned()))
    }

    fn visit_string<E: serde::de::Error>(self, s: String) -> Result<T, E> {
        T::from_raw_text(Cow::Owned(s))
    }
}

/// Checks that every `\uXXXX` escape in raw JSON text is a whole character: a high surrogate
/// followed by a low one, or no surrogate. The messages are serde_json's.
fn check_surrogates(text: &str) -> Result<(), &'static str> {
    let b = text.as_bytes();
    let Some(mut i) = memchr::memchr(b'\\', b) else {
        return Ok(());
    };
    let hex4 = |at: usize| -> Result<u32, &'static str> {
        let digits = b.get(at..at + 4).ok_or("unexpected end of hex escape")?;
        digits.iter().try_fold(0u32, |n, &d| {
            char::from(d)
                .to_digit(16)
                .map(|v| n * 16 + v)
                .ok_or("invalid escape")
        })
    };
    while i < b.len() {
        if b[i] != b'\\' {
            i += 1;
            continue;
        }
        if b.get(i + 1) != Some(&b'u') {
            i += 2; // `\"`, `\\`, `\n`…: the escaped character is not an escape itself
            continue;
        }
        let unit = hex4(i + 2)?;
        i += 6;
        match unit {
            0xD800..=0xDBFF => {
                if b.get(i) != Some(&b'\\') || b.get(i + 1) != Some(&b'u') {
                    return Err("lone leading surrogate in hex escape");
                }
                if !(0xDC00..=0xDFFF).contains(&hex4(i + 2)?) {
                    return Err("lone leading surrogate in hex escape");
                }
                i += 6;
            }
            0xDC00..=0xDFFF => return Err("lone trailing surrogate in hex escape"),
            _ => {}
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrogate_escapes_must_pair() {
        for ok in [
            r#""plain""#,
            r#""\ud83d\ude00""#,
            r#"{"a": "\u00e9\\u", "b": ["\\\ud83d\ude00"]}"#,
            r#""\\ude42""#,
            r#""\"\\""#,
        ] {
            assert_eq!(check_surrogates(ok), Ok(()), "{ok}");
        }
        for bad in [
            r#""\ude42""#,
            r#""\ud83d""#,
            r#""\ud83dx""#,
            r#""\ud83d\u0041""#,
            r#"{"k\ud58d\ude42": 1}"#,
            r#""\\\ude42""#,
        ] {
            assert!(check_surrogates(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn literal_values_are_kept_through_every_deserializer() {
        use crate::{Invite, Payload};
        let json = r#"{"code":"x","a":null,"b":true,"c":false,"d":[null],"e":"null","f":1.50}"#;
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        for invite in [
            Invite::from_json_str(json).unwrap(),
            serde_json::from_str::<Invite>(json).unwrap(),
            serde_json::from_slice::<Invite>(json.as_bytes()).unwrap(),
            serde_json::from_reader::<_, Invite>(json.as_bytes()).unwrap(),
            Invite::from_json_value(&value).unwrap(),
        ] {
            let Invite::Guild(g) = &invite else {
                panic!("{invite:?}")
            };
            let raws: Vec<(&str, &str)> = g.extra.iter().map(|(k, v)| (k, v.get())).collect();
            let f = if raws[5].1 == "1.50" { "1.50" } else { "1.5" }; // a Value holds 1.5
            assert_eq!(
                raws,
                [
                    ("a", "null"),
                    ("b", "true"),
                    ("c", "false"),
                    ("d", "[null]"),
                    ("e", "\"null\""),
                    ("f", f)
                ]
            );
        }
        assert_eq!(
            Invite::from_json_str(json)
                .unwrap()
                .to_json_string()
                .unwrap(),
            json
        );
        let mut g = match Invite::from_json_str(json).unwrap() {
            Invite::Guild(g) => g,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            g.extra.remove("a").map(|v| v.get().to_owned()),
            Some("null".into())
        );
    }

    #[test]
    fn short_and_long_keys_behave_alike() {
        // Keys that look like the block's own length prefixes must not confuse it.
        let long = "k".repeat(300);
        let exact = "12:é:3".to_owned();
        let mut f = UnknownFields::new();
        f.insert_str("a", RawValue::from_string("1".into()).unwrap());
        f.insert(long.clone(), RawValue::from_string("2".into()).unwrap());
        f.insert_str(&exact, RawValue::from_string("3".into()).unwrap());
        f.insert_value("", &4).unwrap();
        f.insert_str("a", RawValue::from_string("5".into()).unwrap());
        let keys: Vec<&str> = f.keys().collect();
        assert_eq!(keys, ["a", long.as_str(), exact.as_str(), "", "a"]);
        assert_eq!(f.get_raw("a").map(RawValue::get), Some("5"));
        assert_eq!(f.get_raw(&long).map(RawValue::get), Some("2"));
        assert_eq!(f.get(&exact), Some(serde_json::json!(3)));
        assert!(f.contains_key("") && !f.contains_key("b"));
        assert_eq!(f.iter().len(), 5);
        assert_eq!(
            format!("{f:?}"),
            format!(
                "{{\"a\": \"1\", {long:?}: \"2\", {exact:?}: \"3\", \"\": \"4\", \"a\": \"5\"}}"
            )
        );
        assert_eq!(f.remove("a").map(|v| v.get().to_owned()), Some("5".into()));
        assert_eq!(f.len(), 3);
        assert_eq!(f.clone(), f);
    }
}
