//! Unknown fields: keys this version of the crate does not know, kept as the exact JSON text
//! they arrived as, all the fields of one object in one block of memory.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde_json::value::RawValue;

/// The fields of a payload that this version of the crate does not know.
///
/// Each value is kept as its raw JSON text, in arrival order, so it re-encodes exactly as it
/// came — numbers digit for digit — through serde_json. All the fields of one object share one
/// heap block, sized to fit (none when there are none; 16 bytes inline): no tree, no hashing
/// and no allocation per field on the decode path.
///
/// Through a serde format other than JSON text with serde_json's raw-value protocol
/// (MessagePack, CBOR, sonic-rs, simd-json, serde's buffered content in untagged enums…) a
/// value arrives as that format's data and is kept as the equivalent JSON text; encoding to
/// any serializer but serde_json's writes the value as data again (equal as JSON; only
/// serde_json gets the text byte for byte).
/// [`get_raw`](Self::get_raw) gives a field's text as a [`RawValue`] (borrowed from the block,
/// not parsed again), [`get`](Self::get) parses it, [`decode`](Self::decode) decodes it as any
/// type; [`iter`](Self::iter) and `&UnknownFields` iterate `(&str, &RawValue)` pairs. Finding
/// a key walks the block (objects have a handful of unknown fields); adding or removing a
/// field rebuilds it.
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

// The block holds the fields one after another, each as `<key length><key><text length><text>`.
// A length is written in ASCII bytes, 6 bits a byte, low bits first, bit 6 set on every byte but
// the last (so the block stays a `str` and every slice of it falls on character boundaries). A
// JSON text is never empty, so a text length of 0 stands for `null` (the commonest unknown
// value: 1 byte instead of 5). Never `Some` of an empty block.

/// The bit of a length byte that says another byte follows.
const MORE: u8 = 0x40;
/// The bits of a length byte that carry the length.
const LOW: u8 = 0x3F;

/// Appends a length.
fn push_len(buf: &mut String, mut n: usize) {
    loop {
        // Masked to 6 bits: always an ASCII character.
        let low = (n & usize::from(LOW)) as u8;
        n >>= 6;
        if n == 0 {
            buf.push(char::from(low));
            return;
        }
        buf.push(char::from(low | MORE));
    }
}

/// The bytes `push_len` writes for `n`.
fn len_size(mut n: usize) -> usize {
    let mut size = 1;
    while n > usize::from(LOW) {
        n >>= 6;
        size += 1;
    }
    size
}

/// The text stored for a value (`null` as nothing).
fn stored(text: &str) -> &str {
    if text == "null" {
        ""
    } else {
        text
    }
}

/// The bytes one field takes in the block.
fn entry_size(key: &str, text: &str) -> usize {
    let text = stored(text);
    len_size(key.len()) + key.len() + len_size(text.len()) + text.len()
}

/// Appends one field to a block (room for it reserved or not).
fn push_entry(buf: &mut String, key: &str, text: &str) {
    let text = stored(text);
    push_len(buf, key.len());
    buf.push_str(key);
    push_len(buf, text.len());
    buf.push_str(text);
}

/// The fields of a block, in order, as `(key, text)`.
#[derive(Clone, Debug)]
struct Entries<'a>(&'a str);

impl<'a> Entries<'a> {
    /// A length and the slice of that many bytes after it. `None` at the end of the block, or
    /// on a block `push_entry` did not write (never: the block is private).
    #[inline]
    fn part(&mut self) -> Option<&'a str> {
        let bytes = self.0.as_bytes();
        let first = *bytes.first()?;
        if first & MORE == 0 {
            // Nearly every key and text: a length of one byte.
            let (part, rest) = self.0.get(1..)?.split_at_checked(usize::from(first))?;
            self.0 = rest;
            return Some(part);
        }
        let (mut n, mut shift, mut at) = (0usize, 0u32, 0usize);
        loop {
            let b = *bytes.get(at)?;
            n |= usize::from(b & LOW).checked_shl(shift)?;
            at += 1;
            if b & MORE == 0 {
                break;
            }
            shift += 6;
        }
        let (part, rest) = self.0.get(at..)?.split_at_checked(n)?;
        self.0 = rest;
        Some(part)
    }
}

impl<'a> Iterator for Entries<'a> {
    type Item = (&'a str, &'a str);

    #[inline]
    fn next(&mut self) -> Option<(&'a str, &'a str)> {
        let key = self.part()?;
        let text = self.part()?;
        Some((key, if text.is_empty() { "null" } else { text }))
    }
}

/// A kept text as a `&RawValue`, borrowed: through the raw-value protocol (as serde_json hands
/// a borrowed `RawValue` over), so the text is not parsed again. It was checked as one JSON
/// value when it was kept, and `RawText` always serves the protocol, so the fallback is never
/// taken.
fn as_raw(text: &str) -> &RawValue {
    <&RawValue as serde::Deserialize>::deserialize(RawText::<serde::de::value::Error>(
        text,
        PhantomData,
    ))
    .unwrap_or(RawValue::NULL)
}

impl UnknownFields {
    /// No fields.
    pub const fn new() -> Self {
        UnknownFields(None)
    }

    fn entries(&self) -> Entries<'_> {
        Entries(self.0.as_deref().unwrap_or_default())
    }

    /// Appends a field: the block grows by exactly the field's size.
    fn push(&mut self, key: &str, text: &str) {
        let mut buf = self.0.take().map(String::from).unwrap_or_default();
        buf.reserve_exact(entry_size(key, text));
        push_entry(&mut buf, key, text);
        self.0 = Some(buf.into_boxed_str());
    }

    /// Appends a field (an existing key is not replaced; see the type's docs).
    #[allow(clippy::boxed_local)] // 0.1's signature: values come as `Box<RawValue>`
    pub fn insert(&mut self, key: String, value: Box<RawValue>) {
        self.push(&key, value.get());
    }

    /// Appends a field, copying the key.
    #[allow(clippy::boxed_local)] // 0.1's signature: values come as `Box<RawValue>`
    pub fn insert_str(&mut self, key: &str, value: Box<RawValue>) {
        self.push(key, value.get());
    }

    /// Appends a field from any serialisable value.
    pub fn insert_value<T: serde::Serialize + ?Sized>(
        &mut self,
        key: impl Into<String>,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        let raw = serde_json::value::to_raw_value(value)?;
        self.push(&key.into(), raw.get());
        Ok(())
    }

    /// The text of the last field named `key`.
    fn get_text(&self, key: &str) -> Option<&str> {
        self.entries()
            .filter(|(k, _)| *k == key)
            .last()
            .map(|(_, text)| text)
    }

    /// The raw JSON text of the last field named `key`.
    pub fn get_raw(&self, key: &str) -> Option<&RawValue> {
        self.get_text(key).map(as_raw)
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
        self.decode_with::<crate::decode::Serde<T>>(key)
            .map(|r| r.map(|v| v.0))
    }

    /// [`decode`](Self::decode) through the models' own decoders, so that an error inside a
    /// model names its place from `key` down (`/stage_instance/topic`).
    pub(crate) fn decode_with<T: for<'de> crate::__private::Decode<'de>>(
        &self,
        key: &str,
    ) -> Option<Result<T, crate::DecodeError>> {
        let text = self.get_text(key)?;
        Some(crate::convert::decode_slice::<T>(text.as_bytes()).map_err(|e| e.within(key)))
    }

    /// `true` if a field named `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.entries().any(|(k, _)| k == key)
    }

    /// Removes every field named `key`, returning the last one's text.
    pub fn remove(&mut self, key: &str) -> Option<Box<RawValue>> {
        let last = self.get_raw(key)?.to_owned();
        let kept = || self.entries().filter(|(k, _)| *k != key);
        let size: usize = kept().map(|(k, text)| entry_size(k, text)).sum();
        let mut buf = String::with_capacity(size);
        for (k, text) in kept() {
            push_entry(&mut buf, k, text);
        }
        self.0 = (!buf.is_empty()).then(|| buf.into_boxed_str());
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
        UnknownFieldsIter {
            entries: self.entries(),
            left: self.len(),
        }
    }

    /// The keys in arrival order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.entries().map(|(k, _)| k)
    }

    /// Writes every field into a map being serialised (the generated `Serialize` impls): the
    /// raw text to serde_json, the value to any other serializer.
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
            .map(|(k, text)| (k, serde_json::from_str(text).ok()))
            .collect()
    }
}

/// The fields of an [`UnknownFields`] in arrival order, as `(key, raw value)`.
#[derive(Clone, Debug)]
pub struct UnknownFieldsIter<'a> {
    entries: Entries<'a>,
    left: usize,
}

impl<'a> Iterator for UnknownFieldsIter<'a> {
    type Item = (&'a str, &'a RawValue);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        let (key, text) = self.entries.next()?;
        self.left = self.left.saturating_sub(1);
        Some((key, as_raw(text)))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        (self.left, Some(self.left))
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

/// Bytes of unknown fields an object being decoded gathers on the stack before it needs the
/// heap: a user's three unmodelled keys take 41 (all `null`) to ~150 (a clan).
const STACK: usize = 160;

/// The unknown fields of an object being decoded (the generated decoders' `extra`): gathered
/// on the stack in the block's layout, then copied into one block of exactly their size by
/// [`finish`](Self::finish): one allocation per object that has any, where appending to the
/// block would reallocate it per field.
#[doc(hidden)]
pub struct Extra {
    len: usize,
    buf: [u8; STACK],
    /// Everything gathered, once it outgrew `buf`.
    heap: Option<String>,
}

impl Default for Extra {
    fn default() -> Self {
        Self::new()
    }
}

impl Extra {
    /// None yet. (Filled in place: a buffer made on first use and moved in would cost a copy
    /// of it per object; zeroing it costs a few stores.)
    #[inline]
    pub fn new() -> Self {
        Extra {
            len: 0,
            buf: [0; STACK],
            heap: None,
        }
    }

    /// The seed that reads an unknown field's value and gathers it under `key` (the
    /// generated decoders' unknown-field arm): the raw text, with no box of its own.
    #[inline]
    pub(crate) fn next_field<'a>(&'a mut self, key: &'a str) -> FieldSeed<Append<'a>> {
        FieldSeed(Append { fields: self, key })
    }

    /// Reads an unknown field's value from the fast reader and gathers it under `key` (the
    /// generated direct decoders' unknown-field arm): [`next_field`](Self::next_field)'s raw
    /// text with its checks; a text they refuse gives up, for serde_json to word the error.
    #[inline]
    pub(crate) fn direct_field(
        &mut self,
        key: &str,
        reader: &mut crate::fast::Direct<'_>,
    ) -> Result<(), crate::fast::Bail> {
        // `check_raw`'s checks: the reader held the value to the document's nesting limit
        // (so it is within `check_nesting`'s) and says whether surrogates need a look.
        let (text, unicode) = reader.raw()?;
        if unicode {
            check_surrogates(text).map_err(|_| crate::fast::Bail)?;
        }
        self.push(key, text);
        Ok(())
    }

    /// Gathers one field.
    pub(crate) fn push(&mut self, key: &str, text: &str) {
        if let Some(heap) = &mut self.heap {
            push_entry(heap, key, text);
            return;
        }
        // The common case: a short key and text (each length one byte) that fit on the stack.
        let stored = stored(text);
        let (k, t) = (key.len(), stored.len());
        if k <= usize::from(LOW) && t <= usize::from(LOW) {
            let at = self.len;
            if let Some(to) = self.buf.get_mut(at..at + 2 + k + t) {
                let (head, rest) = to.split_at_mut(1 + k);
                head[0] = k as u8; // at most `LOW`: one length byte, as `push_len` writes it
                head[1..].copy_from_slice(key.as_bytes());
                rest[0] = t as u8;
                rest[1..].copy_from_slice(stored.as_bytes());
                self.len = at + 2 + k + t;
                return;
            }
        }
        let size = entry_size(key, text);
        if size <= STACK - self.len {
            let (len, buf) = (&mut self.len, &mut self.buf);
            let mut put = |bytes: &[u8]| {
                // In bounds: the field's size was checked against the room left.
                if let Some(to) = buf.get_mut(*len..*len + bytes.len()) {
                    to.copy_from_slice(bytes);
                    *len += bytes.len();
                }
            };
            write_entry(key, text, &mut put);
        } else {
            // Too much for the stack: everything so far and this field on the heap.
            let mut heap = String::with_capacity(2 * STACK + size);
            heap.push_str(self.stacked());
            push_entry(&mut heap, key, text);
            self.heap = Some(heap);
        }
    }

    /// The text gathered on the stack. It holds whole `&str`s and ASCII length bytes, so it
    /// is always UTF-8 (ASCII checked fast, the general check for keys or texts beyond
    /// ASCII); the empty fallback is never taken.
    fn stacked(&self) -> &str {
        let bytes = self.buf.get(..self.len).unwrap_or_default();
        crate::ascii::ascii_str(bytes)
            .or_else(|| std::str::from_utf8(bytes).ok())
            .unwrap_or_default()
    }

    /// The object's unknown fields: one block of exactly their size, none when there are none.
    #[inline]
    pub fn finish(&mut self) -> UnknownFields {
        if let Some(heap) = self.heap.take() {
            UnknownFields(Some(heap.into_boxed_str()))
        } else if self.len == 0 {
            UnknownFields(None)
        } else {
            UnknownFields(Some(self.stacked().into()))
        }
    }
}

/// Writes one field in the block's layout, as bytes (the stack's `push_entry`).
fn write_entry(key: &str, text: &str, put: &mut impl FnMut(&[u8])) {
    let text = stored(text);
    write_len(key.len(), put);
    put(key.as_bytes());
    write_len(text.len(), put);
    put(text.as_bytes());
}

/// Writes a length, as `push_len` does.
fn write_len(mut n: usize, put: &mut impl FnMut(&[u8])) {
    loop {
        let low = (n & usize::from(LOW)) as u8;
        n >>= 6;
        if n == 0 {
            put(&[low]);
            return;
        }
        put(&[low | MORE]);
    }
}

/// serde_json's private name for `RawValue` (`serde_json::raw::TOKEN`): a deserializer that
/// knows it hands the value's raw JSON text to the visitor (serde_json's own, the fast path's),
/// and a serializer that knows it writes the text as it is (serde_json's).
pub(crate) const RAW_TOKEN: &str = "$serde_json::private::RawValue";

/// Whether `S` is one of serde_json's own serializers, which write a `RawValue` as its text.
/// Any other serializer would write serde_json's private struct literally (sonic-rs and
/// simd-json did: `{"$serde_json::private::RawValue":"…"}`), so it gets the value instead.
/// serde offers no way to ask a serializer; its type name is the only witness (a wrapper
/// around serde_json's serializer is taken for another serializer: the output is then equal
/// as JSON, not byte for byte).
fn is_serde_json<S>() -> bool {
    let name = std::any::type_name::<S>();
    name.starts_with("&mut serde_json::ser::Serializer<")
        || name == "serde_json::value::ser::Serializer"
}

/// Serialises a string that needs no JSON escape (ASCII, no quote, backslash or control
/// character), given with its quotes: serde_json's serializers get it as raw text, skipping
/// their escape scan (snowflakes and timestamps: ~15% of an encode); any other gets the string.
#[inline]
pub(crate) fn serialize_ascii_str<S: serde::Serializer>(
    serializer: S,
    quoted: &str,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeStruct as _;
    let inner = quoted
        .strip_prefix('"')
        .and_then(|q| q.strip_suffix('"'))
        .unwrap_or(quoted);
    debug_assert!(inner
        .bytes()
        .all(|b| b >= 0x20 && b != b'"' && b != b'\\' && b < 0x80));
    if is_serde_json::<S>() {
        let mut s = serializer.serialize_struct(RAW_TOKEN, 1)?;
        s.serialize_field(RAW_TOKEN, quoted)?;
        s.end()
    } else {
        serializer.serialize_str(inner)
    }
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

/// A raw JSON value read on its own (the `d` of a gateway message the SDK does not model):
/// `Box<RawValue>`'s protocol, with the checks unknown fields get.
pub(crate) struct RawField(Box<RawValue>);

impl RawField {
    /// The raw text, owned.
    pub(crate) fn into_box(self) -> Box<RawValue> {
        self.0
    }
}

/// `RawField`'s check (see `crate::check`): the same protocol and the same checks of the
/// text, without keeping it.
#[derive(Debug, Default)]
#[cfg_attr(not(feature = "validate"), allow(dead_code))] // only the validator's checks use it
pub struct CheckRaw;

/// What an unknown field's raw text becomes: appended to a block ([`Append`]), kept on its
/// own ([`RawField`]) or only checked ([`CheckRaw`]). All read it through the raw-value
/// protocol ([`FieldSeed`]).
pub(crate) trait RawSink: Sized {
    type Value;

    /// The raw text a deserializer with a raw-value protocol hands over.
    fn raw_text<E: serde::de::Error>(self, text: &str) -> Result<Self::Value, E>;

    /// The value of a deserializer without the raw-value protocol, written as JSON text.
    fn json_text<E: serde::de::Error>(self, text: String) -> Result<Self::Value, E>;
}

/// The checks a raw text gets before it is kept. serde_json checks a raw value's syntax but
/// not that its `\u` escapes pair up, nor how deep it nests; a known string field with an
/// unpaired surrogate is an error, and so is nesting beyond the limit: for an unknown one too.
/// `null`, `true` and `false` (most unknown values in real traffic) need no look.
#[inline]
fn check_raw(text: &str) -> Result<(), &'static str> {
    match text {
        "null" | "true" | "false" => Ok(()),
        _ => check_surrogates(text).and_then(|()| check_nesting(text)),
    }
}

/// Gathers the field into an object's unknown fields, under its key.
pub(crate) struct Append<'a> {
    fields: &'a mut Extra,
    key: &'a str,
}

impl RawSink for Append<'_> {
    type Value = ();

    #[inline]
    fn raw_text<E: serde::de::Error>(self, text: &str) -> Result<(), E> {
        check_raw(text).map_err(E::custom)?;
        self.fields.push(self.key, text);
        Ok(())
    }

    fn json_text<E: serde::de::Error>(self, text: String) -> Result<(), E> {
        // Valid JSON by construction (`neutral::JsonText`).
        self.fields.push(self.key, &text);
        Ok(())
    }
}

impl RawSink for PhantomData<RawField> {
    type Value = RawField;

    fn raw_text<E: serde::de::Error>(self, text: &str) -> Result<RawField, E> {
        check_raw(text).map_err(E::custom)?;
        // `Box<RawValue>` through the same protocol: no second parse of the text.
        serde::Deserialize::deserialize(RawText::<E>(text, PhantomData)).map(RawField)
    }

    fn json_text<E: serde::de::Error>(self, text: String) -> Result<RawField, E> {
        // Valid JSON by construction (`neutral::JsonText`), so this parse cannot fail.
        RawValue::from_string(text).map(RawField).map_err(E::custom)
    }
}

impl RawSink for PhantomData<CheckRaw> {
    type Value = CheckRaw;

    fn raw_text<E: serde::de::Error>(self, text: &str) -> Result<CheckRaw, E> {
        // `Box<RawValue>` takes any text the deserializer hands over: only these can fail.
        check_raw(text).map(|()| CheckRaw).map_err(E::custom)
    }

    fn json_text<E: serde::de::Error>(self, _: String) -> Result<CheckRaw, E> {
        Ok(CheckRaw)
    }
}

impl<'de> serde::Deserialize<'de> for RawField {
    #[inline]
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::DeserializeSeed::deserialize(FieldSeed(PhantomData::<Self>), deserializer)
    }
}

impl<'de> serde::Deserialize<'de> for CheckRaw {
    #[inline]
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        serde::de::DeserializeSeed::deserialize(FieldSeed(PhantomData::<Self>), deserializer)
    }
}

/// Reads a value through the raw-value protocol into a [`RawSink`].
pub(crate) struct FieldSeed<S>(S);

impl<'de, S: RawSink> serde::de::DeserializeSeed<'de> for FieldSeed<S> {
    type Value = S::Value;

    #[inline]
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        d.deserialize_newtype_struct(RAW_TOKEN, FieldVisitor(self.0))
    }
}

/// The raw-value protocol: a one-entry map, the token as key and the raw text as value.
struct FieldVisitor<S>(S);

impl<'de, S: RawSink> serde::de::Visitor<'de> for FieldVisitor<S> {
    type Value = S::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any valid JSON value")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<S::Value, A::Error> {
        if map.next_key_seed(TokenKey)?.is_none() {
            return Err(serde::de::Error::invalid_type(
                serde::de::Unexpected::Map,
                &self,
            ));
        }
        map.next_value_seed(TextSeed(self.0))
    }

    fn visit_newtype_struct<D: serde::Deserializer<'de>>(self, d: D) -> Result<S::Value, D::Error> {
        if is_sonic::<D>() {
            return d.deserialize_newtype_struct(SONIC_RAW_TOKEN, TextSeed(self.0));
        }
        let mut text = String::new();
        serde::de::DeserializeSeed::deserialize(crate::neutral::JsonText::new(&mut text), d)?;
        self.0.json_text(text)
    }
}

/// sonic-rs's private name for its raw-value protocol (`sonic_rs::lazyvalue::TOKEN`).
pub(crate) const SONIC_RAW_TOKEN: &str = "$sonic_rs::LazyValue";

/// Whether `D` is sonic-rs's deserializer, which has a raw-value protocol of its own (its
/// `LazyValue`'s, [`SONIC_RAW_TOKEN`]) that hands over the text as written. Like the
/// serializer check above, the type name is the only witness of which deserializer this is.
pub(crate) fn is_sonic<D>() -> bool {
    std::any::type_name::<D>().starts_with("&mut sonic_rs::")
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

/// The raw text of the value (serde_json's map value, sonic-rs's newtype content).
struct TextSeed<S>(S);

impl<'de, S: RawSink> serde::de::DeserializeSeed<'de> for TextSeed<S> {
    type Value = S::Value;

    fn deserialize<D: serde::Deserializer<'de>>(
        self,
        deserializer: D,
    ) -> Result<S::Value, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<S: RawSink> serde::de::Visitor<'_> for TextSeed<S> {
    type Value = S::Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("raw value")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<S::Value, E> {
        self.0.raw_text(s)
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

/// Checks that a kept value nests no deeper than the document limit allows below the object
/// that holds it (`fast::MAX_NESTING`, serde_json's), so that every kept value parses again
/// (`get`, `to_json_value`). The byte decoders hold the whole document to the limit
/// (`fast::too_deep`); this is the bound that holds through any deserializer.
fn check_nesting(text: &str) -> Result<(), &'static str> {
    const MAX: usize = crate::fast::MAX_NESTING - 1;
    // Deeper than `MAX` takes that many brackets and as many to close them.
    if text.len() <= 2 * MAX || !text.starts_with(['[', '{']) {
        return Ok(());
    }
    match crate::fast::too_deep_below(text.as_bytes(), MAX) {
        Some(_) => Err("recursion limit exceeded"),
        None => Ok(()),
    }
}

/// A deserializer that hands already-checked raw JSON text to `Box<RawValue>`.
struct RawText<'de, E>(&'de str, std::marker::PhantomData<E>);

impl<'de, E: serde::de::Error> serde::Deserializer<'de> for RawText<'de, E> {
    type Error = E;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, _: V) -> Result<V::Value, E> {
        Err(E::custom("raw JSON text is only a RawValue"))
    }

    fn deserialize_newtype_struct<V: serde::de::Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, E> {
        if name == RAW_TOKEN {
            visitor.visit_map(RawMap::<E>(Some(self.0), std::marker::PhantomData))
        } else {
            self.deserialize_any(visitor)
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct seq tuple tuple_struct map struct enum identifier ignored_any
    }
}

/// The raw-value map: the token, then the text.
struct RawMap<'de, E>(Option<&'de str>, std::marker::PhantomData<E>);

impl<'de, E: serde::de::Error> serde::de::MapAccess<'de> for RawMap<'de, E> {
    type Error = E;

    fn next_key_seed<K: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, E> {
        if self.0.is_none() {
            return Ok(None);
        }
        seed.deserialize(serde::de::value::BorrowedStrDeserializer::<E>::new(
            RAW_TOKEN,
        ))
        .map(Some)
    }

    fn next_value_seed<V: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: V,
    ) -> Result<V::Value, E> {
        let raw = self
            .0
            .take()
            .ok_or_else(|| E::custom("raw value read twice"))?;
        seed.deserialize(serde::de::value::BorrowedStrDeserializer::<E>::new(raw))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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
        let long = "k".repeat(200); // a length of two bytes in the block
        let exact = "é".repeat(11);
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

    /// The fields as `(key, raw text)`, through the public iterator.
    fn pairs(f: &UnknownFields) -> Vec<(String, String)> {
        f.iter()
            .map(|(k, v)| (k.to_owned(), v.get().to_owned()))
            .collect()
    }

    #[test]
    fn lengths_of_every_width_read_back() {
        // 63 fits one length byte, 64 takes two, 4096 three, 262144 four.
        let mut f = UnknownFields::new();
        let mut want = Vec::new();
        for n in [0usize, 1, 62, 63, 64, 65, 4095, 4096, 262_144] {
            let key = "k".repeat(n);
            let text = format!("\"{}\"", "v".repeat(n));
            f.insert_str(&key, RawValue::from_string(text.clone()).unwrap());
            want.push((key, text));
        }
        assert_eq!(pairs(&f), want);
        assert_eq!(f.len(), want.len());
        assert_eq!(f.iter().len(), want.len());
        for (key, text) in &want {
            assert_eq!(f.get_raw(key).map(RawValue::get), Some(text.as_str()));
        }
        // Exactly the bytes the fields need: lengths, keys and texts.
        let lengths: usize = [0usize, 1, 62, 63, 64, 65, 4095, 4096, 262_144]
            .iter()
            .map(|&n| 2 * len_size(n) + len_size(n + 2) - len_size(n))
            .sum();
        let texts: usize = want.iter().map(|(k, t)| k.len() + t.len()).sum();
        assert_eq!(f.0.as_deref().map(str::len), Some(lengths + texts));
        assert_eq!(
            [len_size(63), len_size(64), len_size(4095), len_size(4096)],
            [1, 2, 2, 3]
        );
    }

    #[test]
    fn null_takes_one_byte_and_reads_back_as_null() {
        let mut f = UnknownFields::new();
        f.insert_value("a", &()).unwrap();
        f.insert_value("b", "null").unwrap(); // the string "null", not the literal
        f.insert_value("c", &serde_json::json!([null])).unwrap();
        // Length, key, length, text: `a` and none; `b` and `"null"`; `c` and `[null]`.
        assert_eq!(f.0.as_deref().map(str::len), Some(3 + 9 + 9));
        assert_eq!(
            pairs(&f),
            [("a", "null"), ("b", "\"null\""), ("c", "[null]")]
                .map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert_eq!(f.get("a"), Some(serde_json::Value::Null));
        assert_eq!(f.get_raw("a").map(RawValue::get), Some("null"));
        assert_eq!(f.decode::<Option<bool>>("a"), Some(Ok(None)));
    }

    #[test]
    fn raw_values_are_borrowed_from_the_block() {
        let mut f = UnknownFields::new();
        f.insert_value("a", &serde_json::json!({"x": [1, 2.50]}))
            .unwrap();
        let block = f.0.as_deref().unwrap().as_bytes().as_ptr_range();
        let raw = f.get_raw("a").unwrap();
        assert_eq!(raw.get(), r#"{"x":[1,2.50]}"#.replace("2.50", "2.5"));
        assert!(block.contains(&raw.get().as_ptr()));
        let (_, first) = f.iter().next().unwrap();
        assert!(std::ptr::eq(first, raw));
    }

    #[test]
    fn removing_rebuilds_and_the_last_removal_frees_the_block() {
        let mut f = UnknownFields::new();
        for (k, v) in [("a", "1"), ("b", "null"), ("a", "3"), ("c", "\"é\"")] {
            f.insert_str(k, RawValue::from_string(v.into()).unwrap());
        }
        assert_eq!(f.remove("a").map(|v| v.get().to_owned()), Some("3".into()));
        assert_eq!(
            pairs(&f),
            [("b", "null"), ("c", "\"é\"")].map(|(k, v)| (k.to_owned(), v.to_owned()))
        );
        assert!(f.remove("a").is_none());
        assert_eq!(
            f.remove("b").map(|v| v.get().to_owned()),
            Some("null".into())
        );
        assert_eq!(
            f.remove("c").map(|v| v.get().to_owned()),
            Some("\"é\"".into())
        );
        assert!(f.is_empty() && f.0.is_none() && f.iter().next().is_none());
        assert_eq!(f.len(), 0);
        assert_eq!(f, UnknownFields::new());
        assert_eq!(format!("{f:?}"), "{}");
    }

    #[test]
    fn decoded_fields_are_one_block_in_arrival_order() {
        use crate::{Invite, Payload};
        let json = "{\"code\":\"x\",\"é\":[1, 2],\"n\":null,\"s\":\"\\ud83d\\ude00\",\"t\":true}";
        let Invite::Guild(g) = Invite::from_json_str(json).unwrap() else {
            panic!("not a guild invite")
        };
        let mut built = UnknownFields::new();
        for (k, v) in [
            ("é", "[1, 2]"),
            ("n", "null"),
            ("s", "\"\\ud83d\\ude00\""),
            ("t", "true"),
        ] {
            built.insert_str(k, RawValue::from_string(v.into()).unwrap());
        }
        assert_eq!(g.extra.0, built.0);
        assert_eq!(format!("{:?}", g.extra), format!("{built:?}"));
        assert_eq!(Invite::Guild(g).to_json_string().unwrap(), json);
    }

    #[test]
    fn gathered_fields_spill_to_the_heap_unchanged() {
        use crate::{Invite, Payload};
        // Around the stack's size: under it, filled by the first field, crossed by the
        // second, one field alone bigger than it.
        for (a, b) in [
            (0, 0),
            (100, 60),
            (STACK - 8, 0),
            (STACK - 12, 1),
            (150, 150),
            (400, 3),
        ] {
            let (a, b) = ("x".repeat(a), "é".repeat(b));
            let json = format!(r#"{{"code":"x","a":"{a}","b":"{b}","ü":null,"c":[1, 2]}}"#);
            let Invite::Guild(g) = Invite::from_json_str(&json).unwrap() else {
                panic!("not a guild invite")
            };
            let mut built = UnknownFields::new();
            for (k, v) in [
                ("a", format!("\"{a}\"")),
                ("b", format!("\"{b}\"")),
                ("ü", "null".into()),
                ("c", "[1, 2]".into()),
            ] {
                built.insert_str(k, RawValue::from_string(v).unwrap());
            }
            assert_eq!(g.extra.0, built.0, "{json}");
            let via_serde = serde_json::from_str::<Invite>(&json).unwrap();
            assert_eq!(via_serde.extra().0, built.0, "{json}");
            assert_eq!(Invite::Guild(g).to_json_string().unwrap(), json);
        }
    }

    proptest! {
        #[test]
        fn any_fields_keep_order_text_and_last_wins(
            fields in proptest::collection::vec(
                ("[a-cé\"\\\\]{0,3}|k{60,70}", prop_oneof![
                    Just("null".to_owned()),
                    Just("true".to_owned()),
                    "-?[1-9][0-9]{0,2}(\\.[0-9]{1,3}0)?",
                    "[a-z é]{0,80}".prop_map(|s| serde_json::to_string(&s).unwrap()),
                    "[a-z]{0,5}".prop_map(|s| format!("[null, {{\"{s}\": null}}]")),
                ]),
                0..8,
            )
        ) {
            let mut f = UnknownFields::new();
            for (k, v) in &fields {
                f.insert_str(k, RawValue::from_string(v.clone()).unwrap());
            }
            prop_assert_eq!(pairs(&f), fields.clone());
            prop_assert_eq!(f.is_empty(), fields.is_empty());
            prop_assert_eq!(f.0.is_none(), fields.is_empty());
            for (k, _) in &fields {
                let last = fields.iter().rev().find(|(k2, _)| k2 == k).map(|(_, v)| v.as_str());
                prop_assert_eq!(f.get_raw(k).map(RawValue::get), last);
            }
            // serde_json writes every field's text as it is, in order.
            let mut map = serde_json::Serializer::new(Vec::new());
            {
                use serde::ser::{SerializeMap as _, Serializer as _};
                let mut m = (&mut map).serialize_map(None).unwrap();
                f.serialize_entries(&mut m).unwrap();
                m.end().unwrap();
            }
            let want = fields
                .iter()
                .map(|(k, v)| format!("{}:{v}", serde_json::to_string(k).unwrap()))
                .collect::<Vec<_>>()
                .join(",");
            prop_assert_eq!(String::from_utf8(map.into_inner()).unwrap(), format!("{{{want}}}"));
            if let Some((k, _)) = fields.first() {
                let mut g = f.clone();
                g.remove(k);
                let rest: Vec<_> = fields.iter().filter(|(k2, _)| k2 != k).cloned().collect();
                prop_assert_eq!(pairs(&g), rest);
            }
        }
    }
}
