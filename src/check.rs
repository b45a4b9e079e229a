//! Verdict-only decoding, for the validator's fast path: [`Check<T>`] reads a value the way
//! `T`'s decode reads it (the same calls on the deserializer, in the same order) and keeps
//! nothing, so it costs no allocation where `T` would build strings, boxes and vectors.
//!
//! The contract is one-sided: a `Check<T>` decode succeeds only where `T`'s decode succeeds.
//! Where mirroring `T` exactly would be costly or subtle (a union field that would have to be
//! re-encoded, a union tag this version does not know), the check fails instead, and the
//! validator then falls back to the real decode (its slow path), so a check is never wrong
//! about a payload it accepts. The validator's agreement tests and fuzz target compare the two
//! paths' reports on every payload they have.
//!
//! The generator emits a check for every model (next to its `Deserialize`), naming these
//! building blocks for the field types: [`Check`] of a value type (decoded, then dropped: it
//! allocates nothing, but for the rare free-form JSON field), [`check_any_str`] for string
//! enums, [`CheckStr`], [`CheckSeq`], [`CheckMap`] and [`CheckRaw`].

use std::fmt;
use std::marker::PhantomData;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};

/// A decode of a `T` that keeps nothing (see the module docs of `check`).
pub struct Check<T: ?Sized>(PhantomData<fn() -> T>);

impl<T: ?Sized> Check<T> {
    /// The (only) value.
    #[inline]
    pub const fn new() -> Self {
        Check(PhantomData)
    }
}

impl<T: ?Sized> Default for Check<T> {
    fn default() -> Self {
        Check::new()
    }
}

impl<T: ?Sized> fmt::Debug for Check<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Check<{}>", std::any::type_name::<T>())
    }
}

/// Checks a value type by decoding it and dropping the result: for types whose decode
/// allocates nothing (numbers, booleans, snowflakes, timestamps, integer enums, flags) or is
/// rare (free-form JSON). The generator invokes it for integer enums and flags.
#[macro_export]
#[doc(hidden)]
macro_rules! __check_by_decode {
    ($($t:ty),* $(,)?) => {
        $(
            impl<'de> serde::Deserialize<'de> for $crate::__private::Check<$t> {
                #[inline]
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    <$t as serde::Deserialize<'de>>::deserialize(deserializer)
                        .map(|_| $crate::__private::Check::new())
                }
            }
        )*
    };
}

crate::__check_by_decode!(
    bool,
    i64,
    serde_json::Number,
    serde_json::Value,
    crate::Snowflake,
    crate::Timestamp,
);

/// `String`'s check: what serde's `String` accepts (a string, or bytes that are UTF-8),
/// through the same `deserialize_string` call, without the copy.
#[derive(Debug, Default)]
pub struct CheckStr;

impl<'de> Deserialize<'de> for CheckStr {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_string(StrVisitor)
    }
}

struct StrVisitor;

impl Visitor<'_> for StrVisitor {
    type Value = CheckStr;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    #[inline]
    fn visit_str<E: de::Error>(self, _: &str) -> Result<CheckStr, E> {
        Ok(CheckStr)
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<CheckStr, E> {
        match std::str::from_utf8(v) {
            Ok(_) => Ok(CheckStr),
            Err(_) => Err(E::invalid_value(de::Unexpected::Bytes(v), &self)),
        }
    }
}

/// The check of a string enum (whose decode takes any string, known or not), through the
/// same `deserialize_str` call.
#[inline]
pub fn check_any_str<'de, D: Deserializer<'de>, T>(deserializer: D) -> Result<Check<T>, D::Error> {
    deserializer
        .deserialize_str(EnumStrVisitor)
        .map(|()| Check::new())
}

/// What a generated string enum's visitor accepts: a string, nothing else.
struct EnumStrVisitor;

impl Visitor<'_> for EnumStrVisitor {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    #[inline]
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
}

/// `Vec<T>`'s check, `C` being `T`'s: serde's `Vec` reads a sequence element by element.
pub struct CheckSeq<C>(PhantomData<fn() -> C>);

impl<C> fmt::Debug for CheckSeq<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CheckSeq")
    }
}

impl<'de, C: Deserialize<'de>> Deserialize<'de> for CheckSeq<C> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(SeqVisitor(PhantomData))
    }
}

struct SeqVisitor<C>(PhantomData<fn() -> C>);

impl<'de, C: Deserialize<'de>> Visitor<'de> for SeqVisitor<C> {
    type Value = CheckSeq<C>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    #[inline]
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<CheckSeq<C>, A::Error> {
        while seq.next_element::<C>()?.is_some() {}
        Ok(CheckSeq(PhantomData))
    }
}

/// `BTreeMap<String, T>`'s check, `C` being `T`'s: serde's map reads entry by entry (a
/// repeated key replaces the earlier value, so it is no error).
pub struct CheckMap<C>(PhantomData<fn() -> C>);

impl<C> fmt::Debug for CheckMap<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CheckMap")
    }
}

impl<'de, C: Deserialize<'de>> Deserialize<'de> for CheckMap<C> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MapVisitor(PhantomData))
    }
}

struct MapVisitor<C>(PhantomData<fn() -> C>);

impl<'de, C: Deserialize<'de>> Visitor<'de> for MapVisitor<C> {
    type Value = CheckMap<C>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<CheckMap<C>, A::Error> {
        while map.next_entry::<CheckStr, C>()?.is_some() {}
        Ok(CheckMap(PhantomData))
    }
}

/// The check of an unknown field's value (what the generated decoders keep raw).
pub use crate::unknown::CheckRaw;

/// The check of a union field that belongs to another variant than the tag's: the real decode
/// re-encodes such a value into the unknown fields (which this check does not mirror), so a
/// value that is present fails the check and the validator takes its slow path.
#[inline]
pub fn stash<T, E: de::Error>(
    v: impl crate::__private::Local<T>,
    key: &'static str,
) -> Result<(), E> {
    if v.into_nullable().is_absent() {
        Ok(())
    } else {
        Err(E::custom(format_args!(
            "`{key}` belongs to another variant (left to the full decode)"
        )))
    }
}

/// The check of a union whose tag this version does not know: left to the full decode.
#[cold]
pub fn unknown_variant<E: de::Error>() -> E {
    E::custom("a variant this version does not know (left to the full decode)")
}
