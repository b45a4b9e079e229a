//! Support code for the generated models. Not part of the public API: names here may change in
//! any release.

use serde::de::{Error, Unexpected};

use crate::Nullable;

/// A required, non-nullable field decoded straight into `Option<T>`: absent is "missing field".
#[inline]
pub fn present<T, E: Error>(v: Option<T>, name: &'static str) -> Result<T, E> {
    match v {
        Some(v) => Ok(v),
        None => Err(E::missing_field(name)),
    }
}

/// A required field: absent is "missing field", `null` is a type error.
#[inline]
pub fn required<T, E: Error>(v: Nullable<T>, name: &'static str) -> Result<T, E> {
    match v {
        Nullable::Value(v) => Ok(v),
        Nullable::Absent => Err(E::missing_field(name)),
        Nullable::Null => Err(null_error(name)),
    }
}

/// An optional, non-nullable field: absent is `None`, `null` is a type error.
#[inline]
pub fn optional<T, E: Error>(v: Nullable<T>, name: &'static str) -> Result<Option<T>, E> {
    match v {
        Nullable::Value(v) => Ok(Some(v)),
        Nullable::Absent => Ok(None),
        Nullable::Null => Err(null_error(name)),
    }
}

#[cold]
fn null_error<E: Error>(name: &'static str) -> E {
    E::invalid_type(Unexpected::Unit, &NotNull(name))
}

struct NotNull(&'static str);

impl serde::de::Expected for NotNull {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a value for `{}` (it is not nullable)", self.0)
    }
}

/// Moves a field that belongs to another variant into the unknown-field map, so that a
/// union decode never drops it.
#[cold]
pub fn stash<T: serde::Serialize, E: Error>(
    extra: &mut Extra,
    key: &str,
    v: impl Local<T>,
) -> Result<(), E> {
    let value = match v.into_nullable() {
        Nullable::Absent => return Ok(()),
        Nullable::Null => serde_json::value::to_raw_value(&()).map_err(E::custom)?,
        Nullable::Value(v) => serde_json::value::to_raw_value(&v).map_err(E::custom)?,
    };
    extra.push(key, value.get());
    Ok(())
}

pub use crate::unknown::{Extra, RawJson};

pub use crate::decode::{door, next_value, Decode, Inner};
/// The fast reader as the generated direct decoders ([`Decode::direct`]) take it, and its
/// give-up.
pub use crate::fast::{Bail, Direct};

/// A required, nullable field: absent is "missing field", `null` is `None`.
#[inline]
pub fn required_nullable<T, E: Error>(v: Nullable<T>, name: &'static str) -> Result<Option<T>, E> {
    match v {
        Nullable::Value(v) => Ok(Some(v)),
        Nullable::Null => Ok(None),
        Nullable::Absent => Err(E::missing_field(name)),
    }
}

/// An object key, borrowed from the input when the deserializer allows it, so that matching
/// known field names allocates nothing.
pub struct Key<'de>(std::borrow::Cow<'de, str>);

impl Key<'_> {
    /// The key text.
    #[inline]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key as an owned string (for unknown fields).
    #[inline]
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> serde::Deserialize<'de> for Key<'de> {
    #[inline]
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Key<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: Error>(self, v: &'de str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Borrowed(v)))
            }
            fn visit_str<E: Error>(self, v: &str) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: Error>(self, v: String) -> Result<Key<'de>, E> {
                Ok(Key(std::borrow::Cow::Owned(v)))
            }
        }
        deserializer.deserialize_str(V)
    }
}

/// `Name(IS_GUEST_INVITE | 0x4)`: named bits, then any unnamed rest in hex.
pub fn debug_flags<F: bitflags::Flags<Bits = u64>>(
    flags: &F,
    name: &str,
    f: &mut std::fmt::Formatter<'_>,
) -> std::fmt::Result {
    write!(f, "{name}(")?;
    let mut rest = flags.bits();
    let mut first = true;
    for flag in F::FLAGS {
        let bits = flag.value().bits();
        if bits != 0 && flags.bits() & bits == bits {
            if !first {
                f.write_str(" | ")?;
            }
            f.write_str(flag.name())?;
            rest &= !bits;
            first = false;
        }
    }
    if rest != 0 || first {
        if !first {
            f.write_str(" | ")?;
        }
        write!(f, "{rest:#x}")?;
    }
    f.write_str(")")
}

/// A decode local: `Option<T>` (never null) or `Nullable<T>`.
pub trait Local<T> {
    /// As the three states (`None` of an `Option` is absent).
    fn into_nullable(self) -> Nullable<T>;
}

impl<T> Local<T> for Option<T> {
    #[inline]
    fn into_nullable(self) -> Nullable<T> {
        match self {
            Some(v) => Nullable::Value(v),
            None => Nullable::Absent,
        }
    }
}

impl<T> Local<T> for Nullable<T> {
    #[inline]
    fn into_nullable(self) -> Nullable<T> {
        self
    }
}

/// `true` once a union's tag has been read and names a variant that is not in `having`.
#[inline]
pub fn foreign<T: Copy + Into<i64>>(tag: &Nullable<T>, having: &[i64]) -> bool {
    match tag {
        Nullable::Value(t) => !having.contains(&(*t).into()),
        _ => false,
    }
}

#[cfg(feature = "validate")]
/// The validator's slow path alone: what [`crate::validate::validate_payload`] answers when its
/// fast path gives up. The fast path's oracle in the fuzz targets.
pub fn validate_slow(
    bytes: &[u8],
    known: Option<crate::validate::Kind>,
    origin: crate::validate::Origin,
    options: &crate::validate::Options,
) -> crate::validate::Report {
    crate::validate::validate_slow(bytes, known, origin, options)
}

#[cfg(feature = "validate")]
/// `report` (of every finding) capped after the fact as [`crate::validate::Options::max_repeats`]
/// caps a report as it is made: the oracle of the capped reports in the fuzz targets.
pub fn cap_after(
    report: &crate::validate::Report,
    options: &crate::validate::Options,
) -> crate::validate::Report {
    crate::validate::cap_after(report, options)
}

/// The decode fast path alone (src/fast.rs): `None` where it gives up and serde_json decides.
/// For the differential tests (`tests/fast_path.rs`).
pub fn fast_decode<'a, T: Decode<'a>>(text: &'a str) -> Option<T> {
    crate::fast::from_str(text)
}

/// The decode fast path alone on bytes not yet known to be UTF-8 (it checks their UTF-8 in
/// its pass): `None` where it gives up. For the differential tests (`tests/slice_utf8.rs`).
pub fn fast_decode_slice<'a, T: Decode<'a>>(bytes: &'a [u8]) -> Option<T> {
    crate::fast::from_slice(bytes)
}

/// The fast reader through a type's `Deserialize` (not [`Decode`]): the verdict-only checks
/// (`Check<T>`), for the differential tests and fuzz targets.
pub fn fast_deserialize<'a, T: serde::Deserialize<'a>>(text: &'a str) -> Option<T> {
    crate::fast::from_str_with(text, crate::fast::NoHook)
}

/// serde_json's reader alone, through the models' decoders ([`Decode`], not the door their
/// `Deserialize` is): what the fast path is compared with in the differential tests.
pub fn serde_json_decode<'a, T: Decode<'a>>(bytes: &'a [u8]) -> Result<T, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = T::decode(&mut de)?;
    de.end()?;
    Ok(value)
}

/// The fast reader's SWAR test for `"`, `\` and control bytes (the bytes a JSON string must
/// escape), for the CLI's JSON writer.
pub use crate::fast::{next_special, special};

/// The input readers' pool of byte buffers, for the CLI's pieces of huge JSON records.
#[cfg(feature = "validate")]
pub use crate::validate::input::BufPool;

#[cfg(feature = "validate")]
pub use crate::check::{
    check_any_str, stash as check_stash, unknown_variant as check_unknown_variant,
};
#[cfg(feature = "validate")]
pub use crate::check::{Check, CheckRaw};

#[cfg(feature = "json-schema")]
pub use crate::json_schema::{
    flags_schema, open_enum_schema, SchemaOptional, SchemaRequiredNullable,
};

/// A value's raw JSON text, read as unknown fields are (so an unpaired surrogate escape is an
/// error here too): the `d` of a gateway message the SDK does not model.
pub fn raw_value<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Box<serde_json::value::RawValue>, D::Error> {
    <crate::unknown::RawField as serde::Deserialize>::deserialize(d)
        .map(crate::unknown::RawField::into_box)
}

/// Raw JSON values compared as JSON (`{"a":1}` equals `{ "a": 1 }`), as unknown fields are.
pub fn raw_eq(
    a: Option<&serde_json::value::RawValue>,
    b: Option<&serde_json::value::RawValue>,
) -> bool {
    let parse =
        |r: &serde_json::value::RawValue| serde_json::from_str::<serde_json::Value>(r.get()).ok();
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => a.get() == b.get() || parse(a).is_some_and(|v| Some(v) == parse(b)),
        _ => false,
    }
}
