//! The three states of a field that the schema allows to be both absent and `null`.

/// A field that Discord may leave out, send as `null`, or send with a value.
///
/// Discord gives the three different meanings (for example in update events, absent means
/// "unchanged" and `null` means "cleared"), so the SDK keeps them apart and writes each back as
/// it came: an `Absent` field is not written at all.
///
/// ```
/// use discord_invite::Nullable;
/// let n: Nullable<u32> = Nullable::Value(3);
/// assert_eq!(n.as_option(), Some(&3));
/// assert!(Nullable::<u32>::Null.is_null());
/// assert_eq!(Nullable::<u32>::default(), Nullable::Absent);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub enum Nullable<T> {
    /// The key is not in the payload.
    #[default]
    Absent,
    /// The key is present with the value `null`.
    Null,
    /// The key is present with a value.
    Value(T),
}

impl<T> Nullable<T> {
    /// `true` if the key is not in the payload.
    pub const fn is_absent(&self) -> bool {
        matches!(self, Nullable::Absent)
    }

    /// `true` if the key is present with the value `null`.
    pub const fn is_null(&self) -> bool {
        matches!(self, Nullable::Null)
    }

    /// `true` if there is a value.
    pub const fn is_value(&self) -> bool {
        matches!(self, Nullable::Value(_))
    }

    /// The value, if any; absent and `null` both give `None`.
    pub const fn as_option(&self) -> Option<&T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// The value, if any, by value.
    pub fn into_option(self) -> Option<T> {
        match self {
            Nullable::Value(v) => Some(v),
            _ => None,
        }
    }

    /// Maps the value, keeping absent and `null` as they are.
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Nullable<U> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(f(v)),
        }
    }

    /// Borrows the value.
    pub const fn as_ref(&self) -> Nullable<&T> {
        match self {
            Nullable::Absent => Nullable::Absent,
            Nullable::Null => Nullable::Null,
            Nullable::Value(v) => Nullable::Value(v),
        }
    }
}

impl<T> From<T> for Nullable<T> {
    /// A value: request bodies read like Rust, `max_age: 3600.into()`.
    ///
    /// ```
    /// use discord_invite::{CreateGuildInviteRequest, Nullable};
    /// let body = CreateGuildInviteRequest { max_age: 3600.into(), ..Default::default() };
    /// assert_eq!(body.max_age, Nullable::Value(3600));
    /// assert_eq!(Nullable::from("x"), Nullable::Value("x"));
    /// ```
    fn from(v: T) -> Self {
        Nullable::Value(v)
    }
}

impl<T> From<Option<T>> for Nullable<T> {
    /// `Some(v)` is a value and `None` is an explicit `null`.
    fn from(o: Option<T>) -> Self {
        match o {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        }
    }
}

impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
    /// Writes `null` for both `Null` and `Absent`; struct serialisers skip `Absent` keys.
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Nullable::Value(v) => serializer.serialize_some(v),
            _ => serializer.serialize_none(),
        }
    }
}

impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
    /// `null` becomes `Null`, anything else a `Value`; a missing key never reaches here.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(|o| match o {
            Some(v) => Nullable::Value(v),
            None => Nullable::Null,
        })
    }
}
