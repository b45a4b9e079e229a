//! Discord's image hashes (avatars, banners, icons, splashes, decorations, badges).

use std::convert::Infallible;
use std::fmt;
use std::str::FromStr;

/// The hash Discord names an image by (`avatar`, `banner`, `icon`, `splash`, a decoration's
/// `asset`, a tag's `badge`…), as found in the CDN's paths.
///
/// A canonical hash (32 lowercase hex digits, `a_` in front when the image is animated) is held
/// in 16 bytes and a flag, with no heap block; any other text Discord might send is kept as
/// written, so every value re-encodes exactly as it was read.
///
/// ```
/// use discord_invite::ImageHash;
/// let h: ImageHash = serde_json::from_str("\"a_1269e74af4df7417b13759eae50c83dc\"").unwrap();
/// assert!(h.is_animated() && h.is_canonical());
/// assert_eq!(h, "a_1269e74af4df7417b13759eae50c83dc");
/// assert_eq!(serde_json::to_string(&h).unwrap(), "\"a_1269e74af4df7417b13759eae50c83dc\"");
/// let odd = ImageHash::new("embed/avatars/0"); // not a hash: kept as text
/// assert!(!odd.is_canonical());
/// assert_eq!(odd.to_string(), "embed/avatars/0");
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ImageHash(Repr);

#[derive(Clone, PartialEq, Eq, Hash)]
enum Repr {
    /// 32 lowercase hex digits (`animated`: with the `a_` prefix).
    Hash { bytes: [u8; 16], animated: bool },
    /// Any other text, as written. Never a canonical hash, so each text has one representation
    /// and the derived equality is the equality of the texts.
    Text(Box<str>),
}

/// The longest canonical text: `a_` and 32 hex digits.
const MAX_LEN: usize = 34;

impl ImageHash {
    /// The hash written as `text`: canonical hashes are parsed, anything else is kept as text.
    pub fn new(text: &str) -> Self {
        match parse(text) {
            Some((bytes, animated)) => ImageHash(Repr::Hash { bytes, animated }),
            None => ImageHash(Repr::Text(text.into())),
        }
    }

    /// A canonical hash from its 16 bytes.
    ///
    /// ```
    /// use discord_invite::ImageHash;
    /// let h = ImageHash::from_bytes([0xab; 16], false);
    /// assert_eq!(h.to_string(), "abababababababababababababababab");
    /// ```
    pub const fn from_bytes(bytes: [u8; 16], animated: bool) -> Self {
        ImageHash(Repr::Hash { bytes, animated })
    }

    /// The 16 bytes of a canonical hash; `None` for other text.
    pub fn bytes(&self) -> Option<[u8; 16]> {
        match &self.0 {
            Repr::Hash { bytes, .. } => Some(*bytes),
            Repr::Text(_) => None,
        }
    }

    /// Whether the text is a canonical hash (32 lowercase hex digits, optionally `a_` first).
    pub fn is_canonical(&self) -> bool {
        matches!(self.0, Repr::Hash { .. })
    }

    /// Whether the image is animated (its hash starts with `a_`): the CDN serves it as a GIF.
    pub fn is_animated(&self) -> bool {
        match &self.0 {
            Repr::Hash { animated, .. } => *animated,
            Repr::Text(t) => t.starts_with("a_"),
        }
    }

    /// The file extension the CDN serves the image with by default: `gif` when animated,
    /// `png` otherwise.
    pub fn extension(&self) -> &'static str {
        if self.is_animated() {
            "gif"
        } else {
            "png"
        }
    }

    /// Calls `f` with the text, without allocating for a canonical hash.
    fn with_str<R>(&self, f: impl FnOnce(&str) -> R) -> R {
        match &self.0 {
            Repr::Hash { bytes, animated } => {
                let mut buf = [0u8; MAX_LEN];
                f(encode(bytes, *animated, &mut buf))
            }
            Repr::Text(t) => f(t),
        }
    }
}

/// `(bytes, animated)` of a canonical hash, or `None`.
#[inline]
fn parse(text: &str) -> Option<([u8; 16], bool)> {
    let (animated, hex) = match text.strip_prefix("a_") {
        Some(hex) => (true, hex),
        None => (false, text),
    };
    let hex: &[u8; 32] = hex.as_bytes().try_into().ok()?;
    let mut bytes = [0u8; 16];
    // Eight digits at a time (every hash decoded goes through here), one check at the end.
    let mut bad = 0u64;
    for (out, chunk) in bytes.chunks_exact_mut(4).zip(hex.chunks_exact(8)) {
        let (pairs, invalid) = eight_hex_digits(chunk);
        bad |= invalid;
        out.copy_from_slice(&pairs.to_le_bytes());
    }
    (bad == 0).then_some((bytes, animated))
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Eight lowercase hex digits (the first lowest) as four bytes (the first lowest), and a word
/// that is nonzero when any of the eight is no lowercase hex digit (uppercase is not
/// canonical: it would re-encode differently).
#[inline(always)]
fn eight_hex_digits(chunk: &[u8]) -> (u32, u64) {
    let mut w = [0u8; 8];
    w.copy_from_slice(chunk);
    let w = u64::from_le_bytes(w);
    // Bit 7 of a byte, for bytes below 0x80 (no carry between bytes then): `0`–`9`, `a`–`f`.
    let digit = w.wrapping_add(ONES * 0x50) & !w.wrapping_add(ONES * 0x46);
    let letter = w.wrapping_add(ONES * 0x1f) & !w.wrapping_add(ONES * 0x19);
    let invalid = (!(digit | letter) | w) & HIGHS;
    // Each digit's value: its low four bits, plus 9 for a letter (`a` is 0x61).
    let nibbles = (w & (ONES * 0x0f)) + ((letter & HIGHS) >> 7) * 9;
    // Each pair's byte in the low byte of its 16-bit lane, then the four lanes packed.
    let v = ((nibbles & 0x00ff_00ff_00ff_00ff) << 4) | ((nibbles >> 8) & 0x00ff_00ff_00ff_00ff);
    let packed =
        (v & 0xff) | ((v >> 8) & 0xff00) | ((v >> 16) & 0xff_0000) | ((v >> 24) & 0xff00_0000);
    (packed as u32, invalid)
}

/// Writes the canonical text into `buf` and returns it.
fn encode<'a>(bytes: &[u8; 16], animated: bool, buf: &'a mut [u8; MAX_LEN]) -> &'a str {
    let n = write_canonical(bytes, animated, buf);
    // Only ASCII was written, so this never fails; an empty string would be the fallback.
    crate::ascii::ascii_str(&buf[..n]).unwrap_or_default()
}

/// Writes the canonical text at the start of `out` (at least [`MAX_LEN`] bytes) and returns
/// its length.
fn write_canonical(bytes: &[u8; 16], animated: bool, out: &mut [u8]) -> usize {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let start = if animated {
        out[..2].copy_from_slice(b"a_");
        2
    } else {
        0
    };
    for (pair, b) in out[start..start + 32].chunks_exact_mut(2).zip(bytes) {
        pair[0] = HEX[usize::from(b >> 4)];
        pair[1] = HEX[usize::from(b & 0xf)];
    }
    start + 32
}

impl fmt::Display for ImageHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.with_str(|s| f.write_str(s))
    }
}

impl fmt::Debug for ImageHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.with_str(|s| write!(f, "ImageHash({s:?})"))
    }
}

impl FromStr for ImageHash {
    type Err = Infallible;

    /// Never fails: text that is not a canonical hash is kept as written.
    fn from_str(s: &str) -> Result<Self, Infallible> {
        Ok(ImageHash::new(s))
    }
}

impl From<&str> for ImageHash {
    fn from(text: &str) -> Self {
        ImageHash::new(text)
    }
}

impl From<String> for ImageHash {
    fn from(text: String) -> Self {
        match parse(&text) {
            Some((bytes, animated)) => ImageHash(Repr::Hash { bytes, animated }),
            None => ImageHash(Repr::Text(text.into_boxed_str())),
        }
    }
}

impl From<&ImageHash> for String {
    fn from(hash: &ImageHash) -> Self {
        hash.to_string()
    }
}

impl PartialEq<str> for ImageHash {
    fn eq(&self, other: &str) -> bool {
        match &self.0 {
            Repr::Hash { bytes, animated } => parse(other) == Some((*bytes, *animated)),
            Repr::Text(t) => **t == *other,
        }
    }
}

impl PartialEq<&str> for ImageHash {
    fn eq(&self, other: &&str) -> bool {
        *self == **other
    }
}

impl PartialEq<String> for ImageHash {
    fn eq(&self, other: &String) -> bool {
        *self == **other
    }
}

impl serde::Serialize for ImageHash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match &self.0 {
            // Hex digits need no escape: serde_json writes them without its escape scan.
            Repr::Hash { bytes, animated } => {
                let mut buf = [b'"'; MAX_LEN + 2];
                let n = write_canonical(bytes, *animated, &mut buf[1..]);
                let quoted = crate::ascii::ascii_str(&buf[..n + 2]).unwrap_or("\"\"");
                crate::unknown::serialize_ascii_str(serializer, quoted)
            }
            Repr::Text(text) => serializer.serialize_str(text),
        }
    }
}

impl<'de> serde::Deserialize<'de> for ImageHash {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(Visitor)
    }
}

/// Takes what `String` takes: a string, or bytes that are UTF-8.
struct Visitor;

impl serde::de::Visitor<'_> for Visitor {
    type Value = ImageHash;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<ImageHash, E> {
        Ok(ImageHash::new(v))
    }

    fn visit_string<E: serde::de::Error>(self, v: String) -> Result<ImageHash, E> {
        Ok(ImageHash::from(v))
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<ImageHash, E> {
        match std::str::from_utf8(v) {
            Ok(s) => Ok(ImageHash::new(s)),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(v), &self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A hash's bytes digit by digit: the reference for the eight-at-a-time parse.
    fn by_digit(hex: &[u8]) -> Option<[u8; 16]> {
        let value = |d: u8| match d {
            b'0'..=b'9' => Some(d - b'0'),
            b'a'..=b'f' => Some(d - b'a' + 10),
            _ => None,
        };
        let mut bytes = [0u8; 16];
        for (b, pair) in bytes.iter_mut().zip(hex.chunks_exact(2)) {
            *b = (value(pair[0])? << 4) | value(pair[1])?;
        }
        Some(bytes)
    }

    #[test]
    fn every_byte_at_every_place_parses_as_digit_by_digit() {
        let base = *b"0123456789abcdeffedcba9876543210";
        let mut canonical = 0;
        for at in 0..32 {
            for b in 0..=255u8 {
                let mut hex = base;
                hex[at] = b;
                let want = by_digit(&hex);
                // Bytes beyond ASCII are no `str` alone: the word parse itself, then a text.
                let mut got = [0u8; 16];
                let mut bad = 0;
                for (out, chunk) in got.chunks_exact_mut(4).zip(hex.chunks_exact(8)) {
                    let (pairs, invalid) = eight_hex_digits(chunk);
                    bad |= invalid;
                    out.copy_from_slice(&pairs.to_le_bytes());
                }
                assert_eq!((bad == 0).then_some(got), want, "{b:#x} at {at}");
                if let Ok(text) = std::str::from_utf8(&hex) {
                    assert_eq!(parse(text).map(|(bytes, _)| bytes), want, "{text}");
                }
                canonical += usize::from(want.is_some());
            }
        }
        // The sixteen lowercase digits at each of the 32 places.
        assert_eq!(canonical, 16 * 32);
    }

    #[test]
    fn canonical_hashes_are_inline_and_others_kept() {
        let h = ImageHash::new("6a5e2b3c9d1f04e7a8b6c5d4e3f2a1b0");
        assert!(h.is_canonical() && !h.is_animated());
        assert_eq!(h.to_string(), "6a5e2b3c9d1f04e7a8b6c5d4e3f2a1b0");
        for odd in [
            "",
            "a_",
            "6A5E2B3C9D1F04E7A8B6C5D4E3F2A1B0", // uppercase re-encodes differently
            "6a5e2b3c9d1f04e7a8b6c5d4e3f2a1b",  // 31 digits
            "6a5e2b3c9d1f04e7a8b6c5d4e3f2a1b0f",
            "b_6a5e2b3c9d1f04e7a8b6c5d4e3f2a1b0",
            "a_a_6a5e2b3c9d1f04e7a8b6c5d4e3f2a1",
            "6a5e2b3c9d1f04e7a8b6c5d4e3f2a1bg",
            "é5e2b3c9d1f04e7a8b6c5d4e3f2a1b0",
        ] {
            let h = ImageHash::new(odd);
            assert!(!h.is_canonical(), "{odd:?}");
            assert_eq!(h.to_string(), odd);
            assert_eq!(h, odd);
        }
        assert!(ImageHash::new("a_x").is_animated());
    }

    #[test]
    fn equality_with_text_follows_the_text() {
        let h = ImageHash::new("a_6a5e2b3c9d1f04e7a8b6c5d4e3f2a1b0");
        assert_eq!(h, "a_6a5e2b3c9d1f04e7a8b6c5d4e3f2a1b0");
        assert_ne!(h, "6a5e2b3c9d1f04e7a8b6c5d4e3f2a1b0");
        assert_ne!(h, "A_6a5e2b3c9d1f04e7a8b6c5d4e3f2a1b0");
        assert_ne!(h, ImageHash::new("6a5e2b3c9d1f04e7a8b6c5d4e3f2a1b0"));
        assert_eq!(
            format!("{h:?}"),
            "ImageHash(\"a_6a5e2b3c9d1f04e7a8b6c5d4e3f2a1b0\")"
        );
    }

    #[test]
    fn no_bigger_than_a_string() {
        assert_eq!(
            std::mem::size_of::<ImageHash>(),
            std::mem::size_of::<String>()
        );
        assert_eq!(
            std::mem::size_of::<crate::Nullable<ImageHash>>(),
            std::mem::size_of::<ImageHash>()
        );
    }
}
