//! Discord's snowflake ids.

use std::fmt;
use std::num::NonZeroU64;
use std::str::FromStr;

/// A Discord id ("snowflake"): a 64-bit integer that Discord sends as a decimal string.
///
/// It is `Copy`, orders by creation time, reads and writes Discord's string form, and rejects
/// anything that is not a canonical decimal `u64` (`"0"` or digits without a leading zero).
///
/// ```
/// use discord_invite::Snowflake;
/// let id: Snowflake = serde_json::from_str("\"165176875973476352\"").unwrap();
/// assert_eq!(id.get(), 165176875973476352);
/// assert_eq!(serde_json::to_string(&id).unwrap(), "\"165176875973476352\"");
/// assert!(serde_json::from_str::<Snowflake>("165176875973476352").is_err()); // not a string
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Snowflake(u64);

/// Milliseconds between the Unix epoch and Discord's epoch (2015-01-01T00:00:00Z).
pub const DISCORD_EPOCH_MS: u64 = 1_420_070_400_000;

impl Snowflake {
    /// Wraps a raw id.
    pub const fn new(id: u64) -> Self {
        Snowflake(id)
    }

    /// The raw integer.
    pub const fn get(self) -> u64 {
        self.0
    }

    /// The raw integer as a non-zero value, if it is not zero.
    pub const fn non_zero(self) -> Option<NonZeroU64> {
        NonZeroU64::new(self.0)
    }

    /// When this id was minted, in milliseconds since the Unix epoch.
    pub const fn timestamp_ms(self) -> u64 {
        (self.0 >> 22) + DISCORD_EPOCH_MS
    }
}

impl fmt::Debug for Snowflake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Snowflake({})", self.0)
    }
}

impl fmt::Display for Snowflake {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl From<u64> for Snowflake {
    fn from(id: u64) -> Self {
        Snowflake(id)
    }
}

impl From<Snowflake> for u64 {
    fn from(id: Snowflake) -> Self {
        id.0
    }
}

/// Why a string is not a snowflake.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseSnowflakeError {
    /// The string is empty.
    #[error("a snowflake cannot be empty")]
    Empty,
    /// A character other than an ASCII digit, or a leading zero.
    #[error("a snowflake is decimal digits without a leading zero, found {0:?}")]
    NotCanonical(String),
    /// More than `u64::MAX`.
    #[error("snowflake {0:?} is larger than the largest 64-bit id")]
    Overflow(String),
}

const ZEROS: u64 = 0x3030_3030_3030_3030;

/// Whether all eight bytes of `w` are ASCII digits.
#[inline]
fn is_eight_digits(w: u64) -> bool {
    const HIGH_NIBBLES: u64 = 0xF0F0_F0F0_F0F0_F0F0;
    // A digit is 0x30..=0x39: high nibble 3, and adding 6 keeps it 3 (no byte carries into
    // its neighbour, because every byte is checked to be below 0x40 first).
    w & HIGH_NIBBLES == ZEROS && w.wrapping_add(0x0606_0606_0606_0606) & HIGH_NIBBLES == ZEROS
}

/// Whether every byte is an ASCII digit (any length; the validator's snowflake pattern);
/// eight at a time.
#[cfg(any(feature = "validate", test))]
pub(crate) fn all_digits(b: &[u8]) -> bool {
    let mut chunks = b.chunks_exact(8);
    for chunk in &mut chunks {
        if !is_eight_digits(crate::fast::word(chunk)) {
            return false;
        }
    }
    chunks.remainder().iter().all(u8::is_ascii_digit)
}

/// Eight ASCII digits (first digit in the lowest byte) as a number, or `None` if any byte is
/// not a digit. SWAR: three multiply-and-shift steps instead of eight.
#[inline]
fn eight_digits(chunk: [u8; 8]) -> Option<u64> {
    let w = u64::from_le_bytes(chunk);
    if !is_eight_digits(w) {
        return None;
    }
    let mut v = w - ZEROS;
    v = v * 10 + (v >> 8);
    // As `core::num::dec2flt` does: pairs, then quads, then the whole in the top half.
    let v1 = (v & 0x0000_00FF_0000_00FF).wrapping_mul(100 + (1_000_000 << 32));
    let v2 = ((v >> 16) & 0x0000_00FF_0000_00FF).wrapping_mul(1 + (10_000 << 32));
    Some(u64::from((v1.wrapping_add(v2) >> 32) as u32))
}

/// The common case, read directly: 1 to 19 digits, canonical (no leading zero), so no
/// overflow is possible. `None` sends anything else to the general rule, which decides.
#[inline]
fn parse_fast(b: &[u8]) -> Option<u64> {
    if b.is_empty() || b.len() > 19 || (b[0] == b'0' && b.len() > 1) {
        return None;
    }
    let mut n: u64 = 0;
    let mut rest = b;
    while let Some((chunk, tail)) = rest.split_first_chunk::<8>() {
        n = n * 100_000_000 + eight_digits(*chunk)?;
        rest = tail;
    }
    for &c in rest {
        let d = c.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n * 10 + u64::from(d);
    }
    Some(n)
}

fn clip(s: &str) -> String {
    // Errors quote the input; keep hostile 50 MB strings out of messages.
    if s.len() <= 40 {
        s.to_owned()
    } else {
        let mut end = 40;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        format!("{}…", &s[..end])
    }
}

impl FromStr for Snowflake {
    type Err = ParseSnowflakeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if let Some(n) = parse_fast(s.as_bytes()) {
            return Ok(Snowflake(n));
        }
        let bytes = s.as_bytes();
        if bytes.is_empty() {
            return Err(ParseSnowflakeError::Empty);
        }
        if bytes[0] == b'0' && bytes.len() > 1 {
            return Err(ParseSnowflakeError::NotCanonical(clip(s)));
        }
        // One pass (this is on every id of every decode): up to 19 digits cannot overflow a
        // u64, so only longer input needs checked arithmetic. A non-digit anywhere wins over
        // overflow, as before.
        let mut n: u64 = 0;
        let mut overflow = false;
        for (i, &b) in bytes.iter().enumerate() {
            let d = b.wrapping_sub(b'0');
            if d > 9 {
                return Err(ParseSnowflakeError::NotCanonical(clip(s)));
            }
            if i < 19 {
                n = n * 10 + u64::from(d);
            } else {
                match n.checked_mul(10).and_then(|n| n.checked_add(u64::from(d))) {
                    Some(v) => n = v,
                    None => overflow = true,
                }
            }
        }
        if overflow {
            return Err(ParseSnowflakeError::Overflow(clip(s)));
        }
        Ok(Snowflake(n))
    }
}

impl serde::Serialize for Snowflake {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut buf = itoa_buf(self.0);
        crate::unknown::serialize_ascii_str(serializer, buf.quoted())
    }
}

/// A stack buffer holding a u64 in decimal between quotes, so serialising allocates nothing.
struct DecBuf {
    bytes: [u8; 22],
    start: usize,
}

impl DecBuf {
    /// The digits with their quotes: `"123"`.
    fn quoted(&mut self) -> &str {
        // Only ASCII digits and quotes were written.
        crate::ascii::ascii_str(&self.bytes[self.start..]).unwrap_or("\"0\"")
    }
}

fn itoa_buf(mut n: u64) -> DecBuf {
    let mut bytes = [b'"'; 22];
    let mut i = 21;
    loop {
        i -= 1;
        bytes[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    DecBuf {
        bytes,
        start: i - 1,
    }
}

impl<'de> serde::Deserialize<'de> for Snowflake {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Snowflake;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a snowflake id as a decimal string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Snowflake, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_digits_agrees_with_a_byte_loop() {
        for b in 0..=255u8 {
            for len in [1, 7, 8, 9, 16, 19, 20] {
                for at in 0..len {
                    let mut buf = vec![b'7'; len];
                    buf[at] = b;
                    assert_eq!(
                        all_digits(&buf),
                        b.is_ascii_digit(),
                        "byte {b} at {at} of {len}"
                    );
                }
            }
        }
        assert!(all_digits(b""));
    }

    #[test]
    fn parses_canonical_forms_only() {
        assert_eq!("0".parse::<Snowflake>(), Ok(Snowflake(0)));
        assert_eq!(
            "18446744073709551615".parse::<Snowflake>(),
            Ok(Snowflake(u64::MAX))
        );
        assert!(matches!(
            "18446744073709551616".parse::<Snowflake>(),
            Err(ParseSnowflakeError::Overflow(_))
        ));
        for bad in ["", "01", "-1", "+1", "1 ", "1e3", "0x10", "١٢"] {
            assert!(bad.parse::<Snowflake>().is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn one_pass_parse_matches_the_two_pass_rule() {
        // The rule before the one-pass parser: all digits and canonical, else NotCanonical;
        // then u64 or Overflow.
        fn reference(s: &str) -> Result<Snowflake, ParseSnowflakeError> {
            let b = s.as_bytes();
            if b.is_empty() {
                return Err(ParseSnowflakeError::Empty);
            }
            if !b.iter().all(u8::is_ascii_digit) || (b[0] == b'0' && b.len() > 1) {
                return Err(ParseSnowflakeError::NotCanonical(clip(s)));
            }
            s.parse::<u64>()
                .map(Snowflake)
                .map_err(|_| ParseSnowflakeError::Overflow(clip(s)))
        }
        let cases = [
            "",
            "0",
            "7",
            "00",
            "01",
            "10",
            "1234567890123456789",
            "9999999999999999999",
            "10000000000000000000",
            "18446744073709551615",
            "18446744073709551616",
            "99999999999999999999",
            "184467440737095516150",
            "1844674407370955161x",
            "99999999999999999999x",
            "x",
            "1/",
            "1:",
            "١",
            "1234567890123456789012345678901234567890123",
        ];
        for s in cases {
            assert_eq!(s.parse::<Snowflake>(), reference(s), "{s:?}");
        }
    }

    #[test]
    fn fast_path_matches_the_general_rule() {
        // Every length up to 21, every digit and near-digit byte at every position.
        let mut checked = 0;
        for len in 0..=21usize {
            let base: String = "1234567890123456789012".chars().take(len).collect();
            let mut variants = vec![base.clone(), "9".repeat(len), "0".repeat(len)];
            for i in 0..len {
                for c in [
                    b'0',
                    b'9',
                    b'/',
                    b':',
                    b' ',
                    b'a',
                    0x7f,
                    0x30 + 0x40,
                    0x39 + 0x10,
                ] {
                    let mut v = base.clone().into_bytes();
                    v[i] = c;
                    variants.push(String::from_utf8(v).unwrap());
                }
            }
            for s in variants {
                let general = {
                    let b = s.as_bytes();
                    if b.is_empty() {
                        Err(ParseSnowflakeError::Empty)
                    } else if !b.iter().all(u8::is_ascii_digit) || (b[0] == b'0' && b.len() > 1) {
                        Err(ParseSnowflakeError::NotCanonical(clip(&s)))
                    } else {
                        s.parse::<u64>()
                            .map(Snowflake)
                            .map_err(|_| ParseSnowflakeError::Overflow(clip(&s)))
                    }
                };
                assert_eq!(s.parse::<Snowflake>(), general, "{s:?}");
                if let Some(n) = parse_fast(s.as_bytes()) {
                    assert_eq!(Ok(Snowflake(n)), general, "{s:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 100, "{checked}");
    }

    #[test]
    fn serialises_as_string_and_round_trips() {
        for n in [0, 1, 9, 10, 165176875973476352, u64::MAX] {
            let s = serde_json::to_string(&Snowflake(n)).unwrap();
            assert_eq!(s, format!("\"{n}\""));
            assert_eq!(serde_json::from_str::<Snowflake>(&s).unwrap(), Snowflake(n));
        }
    }

    #[test]
    fn creation_time() {
        // The example id from Discord's docs, minted 2016-04-30.
        assert_eq!(
            Snowflake(175928847299117063).timestamp_ms(),
            1_462_015_105_796
        );
    }
}
