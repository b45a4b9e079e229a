//! The models' text fields: a string held inline when short.

use std::borrow::{Borrow, Cow};
use std::cmp::Ordering;
use std::convert::Infallible;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;
use std::str::FromStr;

use compact_str::CompactString;

/// The text of a model's string field (a code, a name, a description…): an immutable string
/// that holds up to [`Text::INLINE_CAPACITY`] bytes inline, in the 24 bytes a `String` takes,
/// and only longer text on the heap. Most of Discord's strings (invite codes, usernames,
/// channel names, most guild names) fit, so decoding them allocates nothing.
///
/// It reads like a `&str` (`Deref<Target = str>`, `AsRef<str>`, `Borrow<str>`, comparisons with
/// `str`, `&str` and `String`) and converts from and into `String`.
///
/// ```
/// use discord_invite::Text;
/// let name = Text::from("general");
/// assert_eq!(name, "general");
/// assert!(name.starts_with("gen"));      // every `str` method
/// assert!(!name.is_heap_allocated());   // 7 bytes: inline
/// let s: String = name.into();
/// assert_eq!(s, "general");
/// ```
#[derive(Clone, Default)]
pub struct Text(CompactString);

impl Text {
    /// The longest text held without a heap block, in bytes.
    pub const INLINE_CAPACITY: usize = std::mem::size_of::<String>();

    /// The empty text (no allocation).
    pub const fn empty() -> Self {
        Text(CompactString::const_new(""))
    }

    /// A copy of `text`: inline when it is at most [`Text::INLINE_CAPACITY`] bytes.
    pub fn new(text: &str) -> Self {
        Text(CompactString::from(text))
    }

    /// The text as a `&str`.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// The text as a `String`.
    pub fn into_string(self) -> String {
        self.0.into_string()
    }

    /// Whether the text is held on the heap (it is longer than [`Text::INLINE_CAPACITY`]).
    pub fn is_heap_allocated(&self) -> bool {
        self.0.is_heap_allocated()
    }
}

impl Deref for Text {
    type Target = str;

    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<[u8]> for Text {
    fn as_ref(&self) -> &[u8] {
        self.as_str().as_bytes()
    }
}

impl Borrow<str> for Text {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

// Equality, order and hash are those of the `str`, as `Borrow<str>` requires.
impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Text {}

impl PartialOrd for Text {
    fn partial_cmp(&self, other: &Text) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Text {
    fn cmp(&self, other: &Text) -> Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for Text {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

macro_rules! eq_with {
    ($($t:ty),*) => {$(
        impl PartialEq<$t> for Text {
            fn eq(&self, other: &$t) -> bool {
                self.as_str() == AsRef::<str>::as_ref(other)
            }
        }
        impl PartialEq<Text> for $t {
            fn eq(&self, other: &Text) -> bool {
                AsRef::<str>::as_ref(self) == other.as_str()
            }
        }
    )*};
}

eq_with!(str, &str, String, Cow<'_, str>);

impl fmt::Display for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl fmt::Debug for Text {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl FromStr for Text {
    type Err = Infallible;

    fn from_str(s: &str) -> Result<Self, Infallible> {
        Ok(Text::new(s))
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Self {
        Text::new(text)
    }
}

impl From<&String> for Text {
    fn from(text: &String) -> Self {
        Text::new(text)
    }
}

impl From<String> for Text {
    /// Short text moves inline (the `String`'s block is freed); long text keeps the block.
    fn from(text: String) -> Self {
        Text(CompactString::from(text))
    }
}

impl From<Box<str>> for Text {
    fn from(text: Box<str>) -> Self {
        Text(CompactString::from(text))
    }
}

impl From<Cow<'_, str>> for Text {
    fn from(text: Cow<'_, str>) -> Self {
        Text(CompactString::from(text))
    }
}

impl From<char> for Text {
    fn from(c: char) -> Self {
        Text(CompactString::from(c.encode_utf8(&mut [0; 4]) as &str))
    }
}

impl From<Text> for String {
    fn from(text: Text) -> Self {
        text.into_string()
    }
}

impl From<&Text> for String {
    fn from(text: &Text) -> Self {
        text.as_str().to_owned()
    }
}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> serde::Deserialize<'de> for Text {
    /// The same call on the deserializer as `String`'s (`deserialize_string`), so every format
    /// that decodes a `String` decodes a `Text` alike.
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_string(Visitor)
    }
}

/// Takes what `String` takes: a string, or bytes that are UTF-8.
struct Visitor;

impl serde::de::Visitor<'_> for Visitor {
    type Value = Text;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Text, E> {
        Ok(Text::new(v))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Text, E> {
        Ok(Text::from(v))
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<Text, E> {
        match std::str::from_utf8(v) {
            Ok(s) => Ok(Text::new(s)),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(v), &self)),
        }
    }

    fn visit_byte_buf<E: serde::de::Error>(self, v: Vec<u8>) -> Result<Text, E> {
        match String::from_utf8(v) {
            Ok(s) => Ok(Text::from(s)),
            Err(e) => Err(E::invalid_value(
                serde::de::Unexpected::Bytes(e.as_bytes()),
                &self,
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_inline_and_long_text_on_the_heap() {
        let short = Text::new(&"x".repeat(Text::INLINE_CAPACITY));
        assert!(!short.is_heap_allocated());
        let long = Text::new(&"x".repeat(Text::INLINE_CAPACITY + 1));
        assert!(long.is_heap_allocated());
        assert_eq!(long.len(), 25);
    }

    #[test]
    fn no_bigger_than_a_string_even_when_nullable() {
        assert_eq!(std::mem::size_of::<Text>(), std::mem::size_of::<String>());
        assert_eq!(std::mem::size_of::<Option<Text>>(), 24);
        assert_eq!(std::mem::size_of::<crate::Nullable<Text>>(), 24);
    }

    #[test]
    fn compares_hashes_and_orders_as_its_str() {
        use std::collections::HashSet;
        let t = Text::from("b");
        let owned = String::from("b");
        assert_eq!(t, "b");
        assert_eq!("b", t);
        assert_eq!(t, owned);
        assert_eq!(owned, t);
        assert_eq!(t, *"b");
        let a = Text::from("a");
        assert!(a < t);
        let set: HashSet<Text> = [t.clone()].into();
        assert!(set.contains("b"));
        assert_eq!(format!("{t:?} {t}"), "\"b\" b");
    }
}
