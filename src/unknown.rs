//! Unknown fields: keys this version of the crate does not know, kept as the exact JSON text
//! they arrived as.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde_json::value::RawValue;

/// The fields of a payload that this version of the crate does not know.
///
/// Each value is kept as its raw JSON text (a [`RawValue`]), in arrival order, so it re-encodes
/// exactly as it came — numbers digit for digit — through serde_json, and costs one allocation
/// to keep (keys up to 22 bytes are stored inline; `null`, `true` and `false` none), with no
/// tree and no hashing on the decode path.
///
/// Through a serde format other than JSON text with serde_json's raw-value protocol
/// (MessagePack, CBOR, sonic-rs, simd-json, serde's buffered content in untagged enums…) a
/// value arrives as that format's data and is kept as the equivalent JSON text; encoding to
/// any serializer but serde_json's writes the value as data again (equal as JSON; only
/// serde_json gets the text byte for byte).
/// [`get`](Self::get) parses a value on demand; [`iter`](Self::iter) and `&UnknownFields` iterate
/// `(&str, &RawValue)` pairs.
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
pub struct UnknownFields(Vec<(FieldKey, Slot)>);

/// Keys up to this many bytes are stored inline (no allocation): almost every real key.
const INLINE: usize = 22;

/// An unknown field's key: inline when short, on the heap otherwise.
#[derive(Clone)]
enum FieldKey {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl fmt::Debug for FieldKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl FieldKey {
    #[inline]
    fn new(key: &str) -> Self {
        if key.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..key.len()].copy_from_slice(key.as_bytes());
            FieldKey::Inline {
                len: key.len() as u8,
                bytes,
            }
        } else {
            FieldKey::Heap(key.into())
        }
    }

    fn from_string(key: String) -> Self {
        if key.len() <= INLINE {
            FieldKey::new(&key)
        } else {
            FieldKey::Heap(key.into_boxed_str())
        }
    }

    #[inline]
    fn as_bytes(&self) -> &[u8] {
        match self {
            FieldKey::Inline { len, bytes } => &bytes[..usize::from(*len)],
            FieldKey::Heap(key) => key.as_bytes(),
        }
    }

    #[inline]
    fn as_str(&self) -> &str {
        match self {
            // Copied from a `&str` whole, so always UTF-8; the fallback is never taken. Keys
            // are nearly always ASCII, which is checked faster than UTF-8 in general.
            FieldKey::Inline { len, bytes } => {
                let bytes = &bytes[..usize::from(*len)];
                crate::ascii::ascii_str(bytes)
                    .or_else(|| std::str::from_utf8(bytes).ok())
                    .unwrap_or_default()
            }
            FieldKey::Heap(key) => key,
        }
    }
}

impl UnknownFields {
    /// No fields.
    pub const fn new() -> Self {
        UnknownFields(Vec::new())
    }

    /// Appends a field (an existing key is not replaced; see the type's docs).
    pub fn insert(&mut self, key: String, value: Box<RawValue>) {
        self.0
            .push((FieldKey::from_string(key), Slot::Owned(value)));
    }

    /// Appends a field, copying the key (short keys are stored without an allocation).
    pub fn insert_str(&mut self, key: &str, value: Box<RawValue>) {
        self.0.push((FieldKey::new(key), Slot::Owned(value)));
    }

    /// Appends a field as the generated decoders read it (see [`RawField`]).
    #[inline]
    pub(crate) fn insert_field(&mut self, key: &str, value: RawField) {
        // Most objects with unknown fields have one (a decoration's `expires_at`): room for
        // exactly one first (40 bytes, where a plain push reserves four), doubling after.
        if self.0.capacity() == 0 {
            self.0.reserve_exact(1);
        }
        self.0.push((FieldKey::new(key), value.0));
    }

    /// Appends a field from any serialisable value.
    pub fn insert_value<T: serde::Serialize + ?Sized>(
        &mut self,
        key: impl Into<String>,
        value: &T,
    ) -> Result<(), serde_json::Error> {
        self.0.push((
            FieldKey::from_string(key.into()),
            Slot::Owned(serde_json::value::to_raw_value(value)?),
        ));
        Ok(())
    }

    /// The raw JSON text of the last field named `key`.
    pub fn get_raw(&self, key: &str) -> Option<&RawValue> {
        self.0
            .iter()
            .rev()
            .find(|(k, _)| k.as_bytes() == key.as_bytes())
            .map(|(_, v)| v.get())
    }

    /// The last field named `key`, parsed.
    pub fn get(&self, key: &str) -> Option<serde_json::Value> {
        self.get_raw(key)
            .and_then(|raw| serde_json::from_str(raw.get()).ok())
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
        let raw = self.get_raw(key)?;
        Some(crate::convert::decode_slice::<T>(raw.get().as_bytes()).map_err(|e| e.within(key)))
    }

    /// `true` if a field named `key` is present.
    pub fn contains_key(&self, key: &str) -> bool {
        self.0.iter().any(|(k, _)| k.as_bytes() == key.as_bytes())
    }

    /// Removes every field named `key`, returning the last one's text.
    pub fn remove(&mut self, key: &str) -> Option<Box<RawValue>> {
        let mut last = None;
        let mut kept = Vec::with_capacity(self.0.len());
        for (k, v) in self.0.drain(..) {
            if k.as_bytes() == key.as_bytes() {
                last = Some(v.into_box());
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
    pub fn iter(&self) -> UnknownFieldsIter<'_> {
        UnknownFieldsIter(self.0.iter())
    }

    /// The keys in arrival order.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(|(k, _)| k.as_str())
    }

    /// Writes every field into a map being serialised (the generated `Serialize` impls): the
    /// raw text to serde_json, the value to any other serializer.
    #[doc(hidden)]
    #[inline]
    pub fn serialize_entries<M: serde::ser::SerializeMap>(
        &self,
        map: &mut M,
    ) -> Result<(), M::Error> {
        for (key, value) in &self.0 {
            map.serialize_entry(key.as_str(), &RawJson(value.get().get()))?;
        }
        Ok(())
    }

    fn as_values(&self) -> BTreeMap<&str, Option<serde_json::Value>> {
        self.0
            .iter()
            .map(|(k, v)| (k.as_str(), serde_json::from_str(v.get().get()).ok()))
            .collect()
    }
}

/// The fields of an [`UnknownFields`] in arrival order, as `(key, raw value)`.
#[derive(Clone, Debug)]
pub struct UnknownFieldsIter<'a>(std::slice::Iter<'a, (FieldKey, Slot)>);

impl<'a> Iterator for UnknownFieldsIter<'a> {
    type Item = (&'a str, &'a RawValue);

    #[inline]
    fn next(&mut self) -> Option<Self::Item> {
        self.0.next().map(|(k, v)| (k.as_str(), v.get()))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.0.size_hint()
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
        self.0.len() == other.0.len() && self.as_values() == other.as_values()
    }
}

impl fmt::Debug for UnknownFields {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map()
            .entries(self.0.iter().map(|(k, v)| (k.as_str(), v.get().get())))
            .finish()
    }
}

/// An unknown field's value: `null`, `true` and `false` (most unknown values in real traffic)
/// point at serde_json's constants instead of allocating.
#[derive(Clone, Debug)]
enum Slot {
    Static(&'static RawValue),
    Owned(Box<RawValue>),
}

impl Slot {
    #[inline]
    fn get(&self) -> &RawValue {
        match self {
            Slot::Static(v) => v,
            Slot::Owned(v) => v,
        }
    }

    fn into_box(self) -> Box<RawValue> {
        match self {
            Slot::Static(v) => v.to_owned(),
            Slot::Owned(v) => v,
        }
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

/// An unknown field's value as the generated decoders read it: `Box<RawValue>`'s protocol
/// (the raw text of the value, already checked by the deserializer), but `null`, `true` and
/// `false` are kept without an allocation.
pub(crate) struct RawField(Slot);

impl RawField {
    /// The raw text, owned.
    pub(crate) fn into_box(self) -> Box<RawValue> {
        self.0.into_box()
    }
}

/// `RawField`'s check (see `crate::check`): the same protocol and the same checks of the
/// text, without keeping it.
#[derive(Debug, Default)]
#[cfg_attr(not(feature = "validate"), allow(dead_code))] // only the validator's checks use it
pub struct CheckRaw;

/// What an unknown field's raw text becomes: kept ([`RawField`]) or only checked
/// ([`CheckRaw`]). Both read it through the raw-value protocol ([`FieldVisitor`]).
trait FromRawText: Sized {
    fn from_raw_text<E: serde::de::Error>(text: &str) -> Result<Self, E>;

    /// The value of a deserializer without the raw-value protocol, written as JSON text.
    fn from_json_text<E: serde::de::Error>(text: String) -> Result<Self, E>;
}

impl FromRawText for RawField {
    fn from_json_text<E: serde::de::Error>(text: String) -> Result<Self, E> {
        match text.as_str() {
            "null" => Ok(RawField(Slot::Static(RawValue::NULL))),
            "true" => Ok(RawField(Slot::Static(RawValue::TRUE))),
            "false" => Ok(RawField(Slot::Static(RawValue::FALSE))),
            _ => RawField::owned(text),
        }
    }

    fn from_raw_text<E: serde::de::Error>(s: &str) -> Result<Self, E> {
        Ok(RawField(match s {
            "null" => Slot::Static(RawValue::NULL),
            "true" => Slot::Static(RawValue::TRUE),
            "false" => Slot::Static(RawValue::FALSE),
            _ => {
                // serde_json checks a raw value's syntax but not that its `\u` escapes pair
                // up, nor how deep it nests; a known string field with an unpaired surrogate
                // is an error, and so is nesting beyond the limit: for an unknown one too.
                check_surrogates(s).map_err(E::custom)?;
                check_nesting(s).map_err(E::custom)?;
                // `Box<RawValue>` through the same protocol: no second parse of the text.
                Slot::Owned(serde::Deserialize::deserialize(RawText::<E>(
                    s,
                    std::marker::PhantomData,
                ))?)
            }
        }))
    }
}

impl RawField {
    #[cold]
    fn owned<E: serde::de::Error>(text: String) -> Result<Self, E> {
        // Valid JSON by construction (`neutral::JsonText`), so this parse cannot fail.
        RawValue::from_string(text)
            .map(|v| RawField(Slot::Owned(v)))
            .map_err(E::custom)
    }
}

impl FromRawText for CheckRaw {
    fn from_json_text<E: serde::de::Error>(_: String) -> Result<Self, E> {
        Ok(CheckRaw)
    }

    fn from_raw_text<E: serde::de::Error>(s: &str) -> Result<Self, E> {
        match s {
            "null" | "true" | "false" => Ok(CheckRaw),
            // `Box<RawValue>` takes any text the deserializer hands over: only these can fail.
            _ => check_surrogates(s)
                .and_then(|()| check_nesting(s))
                .map(|()| CheckRaw)
                .map_err(E::custom),
        }
    }
}

impl<'de> serde::Deserialize<'de> for RawField {
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

/// The raw-value protocol: a one-entry map, the token as key and the raw text as value.
struct FieldVisitor<T>(PhantomData<T>);

impl<'de, T: FromRawText> serde::de::Visitor<'de> for FieldVisitor<T> {
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
        if is_sonic::<D>() {
            return d.deserialize_newtype_struct(SONIC_RAW_TOKEN, SonicText::<T>(PhantomData));
        }
        let mut text = String::new();
        serde::de::DeserializeSeed::deserialize(crate::neutral::JsonText::new(&mut text), d)?;
        T::from_json_text(text)
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

/// The raw text sonic-rs hands over.
struct SonicText<T>(PhantomData<T>);

impl<T: FromRawText> serde::de::Visitor<'_> for SonicText<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("raw value")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<T, E> {
        T::from_raw_text(s)
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

impl<'de, T: FromRawText> serde::de::DeserializeSeed<'de> for TextSeed<T> {
    type Value = T;

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl<T: FromRawText> serde::de::Visitor<'_> for TextSeed<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("raw value")
    }

    fn visit_str<E: serde::de::Error>(self, s: &str) -> Result<T, E> {
        T::from_raw_text(s)
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
        let long = "k".repeat(INLINE + 1);
        let exact = "é".repeat(INLINE / 2);
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
