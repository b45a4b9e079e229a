//! How a model decodes: two entries, one for the user's serde calls and one for this crate's
//! readers, so that a user's crate compiles almost none of the decoders.
//!
//! Rust compiles a generic function in the crate that calls it with concrete types. Had each
//! model's `Deserialize` been its full decoder, `serde_json::from_str::<Invite>` in a bot's
//! crate would compile `Invite`'s decoder, and those of every object it holds (22 of them), for
//! serde_json's deserializer, in the bot's crate, on each of its release builds (BENCHMARKS.md,
//! "Build time"). So there are two entries:
//!
//! - [`Decode`], the generated decoders. This crate's own readers call it (the fast reader, the
//!   serde_json fallback, path tracking for errors, `serde_json::Value`), each from a
//!   non-generic function compiled here, once: [`Payload::from_json_str`] and its siblings,
//!   which every model implements without generics. Each model has two: `decode`, serde's
//!   visitor, for serde_json's reader (the fallback, which words errors and tracks their path),
//!   and `direct`, which reads the fast reader's tokens into its fields with no visitor between
//!   (BENCHMARKS.md, "Issue 16, round 5").
//! - `Deserialize`, the door ([`door`]): a few dozen lines of generic code that ask the
//!   deserializer for the value's raw JSON text (serde_json's raw-value protocol, which
//!   serde_json itself, its `Value` and sonic-rs answer) and hand it to the model's
//!   [`Payload::from_json_str`]. A format without that protocol (MessagePack, CBOR,
//!   simd-json, serde's buffered content in untagged enums…) hands over its value instead,
//!   which is written as JSON text (`neutral::JsonText`) and decoded the same way.
//!
//! Results are the same through either entry: the same decoder reads the same text. Errors
//! through the door carry the JSON pointer of the failure inside the value and, for raw
//! text, its line and column there (serde_json has no position to add to such an error).
//!
//! [`Payload::from_json_str`]: crate::Payload::from_json_str

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::fast::{Bail, Direct};
use crate::neutral::KeyText;
use crate::unknown::{is_sonic, RAW_TOKEN, SONIC_RAW_TOKEN};
use crate::{DecodeError, Nullable, Payload};

/// A generated decoder: what `Deserialize` would be, for this crate's readers (see the module
/// docs). Value types forward to their `Deserialize`; containers mirror serde's own impls.
pub trait Decode<'de>: Sized {
    /// Decodes a value from `deserializer`.
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error>;

    /// Decodes a value from the fast reader without serde's visitors: the generated models
    /// (and the containers here) read their members in place, where a visitor would take a
    /// key visitor, a value seed and a `Result` per member. Gives up where
    /// [`decode`](Self::decode) would (the caller falls back to serde_json) and otherwise
    /// gives the same value: by default it is `decode` on the same reader.
    #[doc(hidden)]
    #[inline(always)]
    fn direct(reader: &mut Direct<'de>) -> Result<Self, Bail> {
        Self::decode(reader)
    }
}

/// [`Decode`] as a seed, for `next_value_seed` and `next_element_seed`.
pub struct Inner<T>(PhantomData<fn() -> T>);

impl<T> Inner<T> {
    /// The seed.
    #[inline]
    pub const fn new() -> Self {
        Inner(PhantomData)
    }
}

impl<T> Default for Inner<T> {
    fn default() -> Self {
        Inner::new()
    }
}

impl<'de, T: Decode<'de>> DeserializeSeed<'de> for Inner<T> {
    type Value = T;

    #[inline]
    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        T::decode(deserializer)
    }
}

/// The next map value, through [`Decode`]: the generated decoders' `map.next_value()`.
#[inline]
pub fn next_value<'de, T: Decode<'de>, A: MapAccess<'de>>(map: &mut A) -> Result<T, A::Error> {
    map.next_value_seed(Inner::<T>::new())
}

/// Any `Deserialize` type as a [`Decode`] one: for decoding a caller's type with this crate's
/// readers (`UnknownFields::decode`).
pub(crate) struct Serde<T>(pub(crate) T);

impl<'de, T: Deserialize<'de>> Decode<'de> for Serde<T> {
    #[inline]
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::deserialize(deserializer).map(Serde)
    }
}

/// Implements [`Decode`] by the type's `Deserialize`: for value types, whose decoders are
/// small. The generator invokes it for enums and flags.
#[macro_export]
#[doc(hidden)]
macro_rules! __decode_by_deserialize {
    ($($t:ty),* $(,)?) => {
        $(
            impl<'de> $crate::__private::Decode<'de> for $t {
                #[inline]
                fn decode<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    <$t as serde::Deserialize<'de>>::deserialize(deserializer)
                }
            }
        )*
    };
}

crate::__decode_by_deserialize!(
    bool,
    i32,
    i64,
    u64,
    String,
    serde_json::Number,
    serde_json::Value,
    crate::Text,
    crate::Snowflake,
    crate::Timestamp,
    crate::ImageHash,
    Box<serde_json::value::RawValue>,
);

impl<'de, T: Decode<'de>> Decode<'de> for Box<T> {
    #[inline]
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        T::decode(deserializer).map(Box::new)
    }

    #[inline]
    fn direct(reader: &mut Direct<'de>) -> Result<Self, Bail> {
        T::direct(reader).map(Box::new)
    }
}

/// As serde's `Option`: `null` (or a unit) is `None`.
impl<'de, T: Decode<'de>> Decode<'de> for Option<T> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(OptionVisitor::<T>(PhantomData))
    }

    #[inline]
    fn direct(reader: &mut Direct<'de>) -> Result<Self, Bail> {
        if reader.null()? {
            Ok(None)
        } else {
            T::direct(reader).map(Some)
        }
    }
}

struct OptionVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Decode<'de>> Visitor<'de> for OptionVisitor<T> {
    type Value = Option<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        T::decode(deserializer).map(Some)
    }
}

/// As `Nullable`'s `Deserialize`: `null` is `Null`, anything else a `Value`.
impl<'de, T: Decode<'de>> Decode<'de> for Nullable<T> {
    #[inline]
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::decode(deserializer).map(|o| match o {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        })
    }

    #[inline]
    fn direct(reader: &mut Direct<'de>) -> Result<Self, Bail> {
        if reader.null()? {
            Ok(Nullable::Null)
        } else {
            T::direct(reader).map(Nullable::Value)
        }
    }
}

/// As serde's `Vec`: element by element, with a capped size hint.
impl<'de, T: Decode<'de>> Decode<'de> for Vec<T> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(SeqVisitor::<T>(PhantomData))
    }

    fn direct(reader: &mut Direct<'de>) -> Result<Self, Bail> {
        reader.array()?;
        let mut first = true;
        gather(|| {
            if reader.item(&mut first)? {
                T::direct(reader).map(Some)
            } else {
                Ok(None)
            }
        })
    }
}

struct SeqVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Decode<'de>> Visitor<'de> for SeqVisitor<T> {
    type Value = Vec<T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        // serde's own cap: never reserve more than 1 MiB on a format's word.
        let cap = 1024 * 1024 / std::mem::size_of::<T>().max(1);
        let hint = seq.size_hint();
        if hint.is_none() {
            return gather(|| seq.next_element_seed(Inner::<T>::new()));
        }
        let mut out = Vec::with_capacity(hint.unwrap_or(0).min(cap));
        while let Some(v) = seq.next_element_seed(Inner::<T>::new())? {
            out.push(v);
        }
        // Kept for as long as the model lives: no room for elements that never come.
        out.shrink_to_fit();
        Ok(out)
    }
}

/// Elements up to this size (as `Option<T>`) are gathered in a scratch vector first.
const SMALL: usize = 32;
/// Its capacity: a guild's `features` (5–12 in real traffic), role ids, scopes.
const HEAD: usize = 16;

/// A sequence whose length the format does not say (JSON), element by element from `next`.
/// Small elements: gathered in a scratch vector of [`HEAD`], then moved (one copy of the bytes)
/// into one allocation of exactly their number, where growing a `Vec` one push at a time would
/// allocate 4, then 8, then 16 (and keep the spare room: 10 features held 16 × 24 bytes).
/// Larger ones: pushed, then shrunk to fit.
///
/// The scratch is on the heap, not a stack array of `Option<T>`: filling such an array and
/// taking the elements back out right away cost more in time (about 5% of an invite's decode,
/// issue 16: the reads wait on the stores just made) than the extra allocation, and shrinking
/// in place (`shrink_to_fit`) costs more instructions than the move.
#[inline]
fn gather<T, E>(mut next: impl FnMut() -> Result<Option<T>, E>) -> Result<Vec<T>, E> {
    if std::mem::size_of::<Option<T>>() <= SMALL {
        small_seq(next)
    } else {
        let mut out = Vec::new();
        while let Some(v) = next()? {
            out.push(v);
        }
        // Kept for as long as the model lives: no room for elements that never come.
        out.shrink_to_fit();
        Ok(out)
    }
}

#[inline(never)]
fn small_seq<T, E>(mut next: impl FnMut() -> Result<Option<T>, E>) -> Result<Vec<T>, E> {
    let Some(first) = next()? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::with_capacity(HEAD);
    out.push(first);
    while let Some(v) = next()? {
        out.push(v);
    }
    if out.len() == out.capacity() {
        return Ok(out);
    }
    let mut exact = Vec::with_capacity(out.len());
    exact.append(&mut out);
    Ok(exact)
}

/// As serde's `BTreeMap<String, T>`: a repeated key replaces the earlier value.
impl<'de, T: Decode<'de>> Decode<'de> for BTreeMap<String, T> {
    fn decode<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MapVisitor::<T>(PhantomData))
    }
}

struct MapVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Decode<'de>> Visitor<'de> for MapVisitor<T> {
    type Value = BTreeMap<String, T>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut out = BTreeMap::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(Inner::<T>::new())?;
            out.insert(key, value);
        }
        Ok(out)
    }
}

/// Every model's `Deserialize` (see the module docs): the value's JSON text, decoded by the
/// model's non-generic [`Payload::from_json_str`].
#[inline]
pub fn door<'de, T: Payload, D: Deserializer<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_newtype_struct(RAW_TOKEN, DoorVisitor::<T>(PhantomData))
}

struct DoorVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: Payload> Visitor<'de> for DoorVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "a `{}` object", T::SCHEMA_NAME)
    }

    /// serde_json's raw-value protocol (a one-entry map: the token, then the text), or the
    /// object itself from a format that took the newtype for its content.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        match map.next_key_seed(DoorKey)? {
            Some(None) => map.next_value_seed(DoorText::<T>(PhantomData)),
            Some(Some(first)) => {
                let text = crate::neutral::object_rest(first, map)?;
                from_text::<T, A::Error>(&text, false)
            }
            None => from_text::<T, A::Error>("{}", false),
        }
    }

    /// A format without serde_json's protocol: sonic-rs's own raw text, or the value written
    /// as JSON text.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        if is_sonic::<D>() {
            return d.deserialize_newtype_struct(SONIC_RAW_TOKEN, DoorText::<T>(PhantomData));
        }
        let text = crate::neutral::object_text(d, T::SCHEMA_NAME)?;
        from_text::<T, D::Error>(&text, false)
    }
}

/// A map's first key: `None` for the raw-value token, else the key as JSON's string key (as
/// `neutral::KeyText` reads keys).
struct DoorKey;

impl<'de> DeserializeSeed<'de> for DoorKey {
    type Value = Option<String>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(self)
    }
}

impl Visitor<'_> for DoorKey {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        KeyText.expecting(f)
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Option<String>, E> {
        Ok((v != RAW_TOKEN).then(|| v.to_owned()))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Option<String>, E> {
        KeyText.visit_bool(v).map(Some)
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Option<String>, E> {
        KeyText.visit_i64(v).map(Some)
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Option<String>, E> {
        KeyText.visit_u64(v).map(Some)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Option<String>, E> {
        KeyText.visit_bytes(v).map(Some)
    }
}

/// The raw JSON text of the value.
struct DoorText<T>(PhantomData<fn() -> T>);

impl<'de, T: Payload> DeserializeSeed<'de> for DoorText<T> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<T, D::Error> {
        d.deserialize_str(self)
    }
}

impl<T: Payload> Visitor<'_> for DoorText<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("raw JSON text")
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<T, E> {
        from_text::<T, E>(text, true)
    }
}

/// Decodes the value's JSON text; `raw`: the text is the input's own (its lines and columns
/// mean something to the reader), not written from another format's value.
fn from_text<T: Payload, E: de::Error>(text: &str, raw: bool) -> Result<T, E> {
    T::from_json_str(text).map_err(|e| E::custom(DoorError(e, raw)))
}

/// A decode error as a serde error's message: the reason, the JSON pointer, and for raw text
/// the line and column in the value (serde_json gives a custom error no position of its own
/// there; the value is most often the whole document).
struct DoorError(DecodeError, bool);

impl fmt::Display for DoorError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let DoorError(e, raw) = self;
        f.write_str(e.message())?;
        if !e.pointer().is_empty() {
            write!(f, " at {}", e.pointer())?;
        }
        if let (true, Some(line), Some(column)) = (raw, e.line(), e.column()) {
            write!(f, " (line {line}, column {column} of the value)")?;
        }
        Ok(())
    }
}

/// `Deserialize` is the door for models, so a test that a model decodes through both entries
/// alike lives in `tests/serde_door.rs`; here, the containers against serde's own impls.
#[cfg(test)]
mod tests {
    use super::*;

    fn both<T>(json: &str) -> (Result<T, String>, Result<T, String>)
    where
        T: for<'de> Decode<'de> + for<'de> Deserialize<'de>,
    {
        let mut de = serde_json::Deserializer::from_str(json);
        let ours = T::decode(&mut de).map_err(|e| e.to_string());
        let serde = serde_json::from_str::<T>(json).map_err(|e| e.to_string());
        (ours, serde)
    }

    #[test]
    fn containers_decode_as_serde_does() {
        for json in [
            "null",
            "1",
            "[]",
            "[1,2]",
            "[null]",
            "{}",
            r#"{"a":1,"a":2}"#,
            "\"x\"",
        ] {
            let (a, b) = both::<Option<Vec<Option<i64>>>>(json);
            assert_eq!(a, b, "{json}");
            let (a, b) = both::<Nullable<Box<i64>>>(json);
            assert_eq!(a, b, "{json}");
            let (a, b) = both::<BTreeMap<String, i64>>(json);
            assert_eq!(a, b, "{json}");
        }
    }
}
