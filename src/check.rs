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
//! The generator emits a check for every model (next to its `Deserialize`) and names
//! `Check<FieldType>` for each field, so the types mirror the model's: `String`, `Box`,
//! `Option`, `Vec` and `BTreeMap` have their checks here; value types are decoded, then dropped
//! (they allocate nothing, but for the rare free-form JSON field); string enums use
//! [`check_any_str`]; unknown fields are read as [`CheckRaw`].

use std::collections::BTreeMap;
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
    i32,
    i64,
    serde_json::Number,
    serde_json::Value,
    crate::Snowflake,
    crate::Timestamp,
    crate::ImageHash,
);

/// `String`'s check: what serde's `String` accepts (a string, or bytes that are UTF-8),
/// through the same `deserialize_string` call, without the copy.
impl<'de> Deserialize<'de> for Check<String> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_string(StrVisitor)
    }
}

/// `Text`'s check is `String`'s: `Text` decodes through the same `deserialize_string` call and
/// accepts what `String` accepts.
impl<'de> Deserialize<'de> for Check<crate::Text> {
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Check::<String>::deserialize(deserializer).map(|_| Check::new())
    }
}

struct StrVisitor;

impl Visitor<'_> for StrVisitor {
    type Value = Check<String>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    #[inline]
    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Check::new())
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Self::Value, E> {
        match std::str::from_utf8(v) {
            Ok(_) => Ok(Check::new()),
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

/// `Box<T>`'s check is `T`'s (`Box` decodes its content and allocates: nothing to mirror).
impl<'de, T> Deserialize<'de> for Check<Box<T>>
where
    Check<T>: Deserialize<'de>,
{
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Check::<T>::deserialize(deserializer).map(|_| Check::new())
    }
}

/// `Option<T>`'s check: serde's `Option` asks for an option; `null` (or a unit) is `None`.
impl<'de, T> Deserialize<'de> for Check<Option<T>>
where
    Check<T>: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_option(OptionVisitor::<T>(PhantomData))
    }
}

struct OptionVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T> Visitor<'de> for OptionVisitor<T>
where
    Check<T>: Deserialize<'de>,
{
    type Value = Check<Option<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("option")
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Check::new())
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Check::new())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        Check::<T>::deserialize(deserializer).map(|_| Check::new())
    }
}

/// `Vec<T>`'s check: serde's `Vec` reads a sequence element by element.
impl<'de, T> Deserialize<'de> for Check<Vec<T>>
where
    Check<T>: Deserialize<'de>,
{
    #[inline]
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(SeqVisitor::<T>(PhantomData))
    }
}

struct SeqVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T> Visitor<'de> for SeqVisitor<T>
where
    Check<T>: Deserialize<'de>,
{
    type Value = Check<Vec<T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a sequence")
    }

    #[inline]
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<Check<T>>()?.is_some() {}
        Ok(Check::new())
    }
}

/// `BTreeMap<String, T>`'s check: serde's map reads entry by entry (a repeated key replaces
/// the earlier value, so it is no error).
impl<'de, T> Deserialize<'de> for Check<BTreeMap<String, T>>
where
    Check<T>: Deserialize<'de>,
{
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(MapVisitor::<T>(PhantomData))
    }
}

struct MapVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T> Visitor<'de> for MapVisitor<T>
where
    Check<T>: Deserialize<'de>,
{
    type Value = Check<BTreeMap<String, T>>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<Check<String>, Check<T>>()?.is_some() {}
        Ok(Check::new())
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
