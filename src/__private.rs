//! Support code for the generated models. Not part of the public API: names here may change in
//! any release.

use serde::de::{Error, Unexpected};

use crate::Nullable;

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
    extra: &mut crate::UnknownFields,
    key: &str,
    v: Nullable<T>,
) -> Result<(), E> {
    let value = match v {
        Nullable::Absent => return Ok(()),
        Nullable::Null => serde_json::Value::Null,
        Nullable::Value(v) => serde_json::to_value(v).map_err(E::custom)?,
    };
    extra.insert(key.to_owned(), value);
    Ok(())
}

/// Writes `name: value` unless the field is absent.
pub trait MaybeAbsent {
    /// `false` when the key must not be written.
    fn is_present(&self) -> bool;
}

impl<T> MaybeAbsent for Option<T> {
    #[inline]
    fn is_present(&self) -> bool {
        self.is_some()
    }
}

impl<T> MaybeAbsent for Nullable<T> {
    #[inline]
    fn is_present(&self) -> bool {
        !self.is_absent()
    }
}
