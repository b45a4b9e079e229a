//! Discord's ISO 8601 timestamps.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use time::format_description::well_known::Rfc3339;
use time::{OffsetDateTime, UtcOffset};

/// A point in time as Discord writes it (RFC 3339, e.g. `2016-03-31T19:15:39.954000+00:00`).
///
/// It is a real date-time ([`time::OffsetDateTime`]) that also remembers how it was written
/// (fraction digits, `Z`, `+00:00` or `-00:00`), so a decoded payload re-encodes to the same
/// text.
/// Equality, ordering and hashing look only at the instant.
///
/// Accepted: `YYYY-MM-DDTHH:MM:SS`, an optional fraction of 1 to 9 digits, then `Z` or a
/// numeric offset `±HH:MM`. Anything else (dates without a time, Unix numbers, a space
/// instead of `T`) is a decode error.
///
/// ```
/// use discord_invite::Timestamp;
/// let t: Timestamp = "2016-03-31T19:15:39.954000+00:00".parse().unwrap();
/// assert_eq!(t.unix_timestamp(), 1459451739);
/// assert_eq!(t.to_string(), "2016-03-31T19:15:39.954000+00:00");
/// let z: Timestamp = "2016-03-31T19:15:39.954Z".parse().unwrap();
/// assert_eq!(t, z); // same instant
/// ```
#[derive(Clone, Copy)]
pub struct Timestamp {
    at: OffsetDateTime,
    frac_digits: u8,
    zulu: bool,
    /// Written `-00:00` (RFC 3339's "UTC, local offset unknown"): the same instant as
    /// `+00:00`, kept so that it re-encodes as written.
    unknown_offset: bool,
}

/// Why a string is not a timestamp.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected an RFC 3339 timestamp such as 2016-03-31T19:15:39.954000+00:00, found {found:?}")]
pub struct ParseTimestampError {
    found: String,
}

impl Timestamp {
    /// The instant, with the offset it was written in.
    pub const fn as_offset_date_time(&self) -> OffsetDateTime {
        self.at
    }

    /// Seconds since the Unix epoch.
    pub const fn unix_timestamp(&self) -> i64 {
        self.at.unix_timestamp()
    }

    /// The current time, written as Discord does (`+00:00`, microseconds).
    pub fn now() -> Self {
        Self::from(OffsetDateTime::now_utc())
    }

    /// This instant plus `seconds`, written the same way; `None` if out of range.
    pub fn checked_add_seconds(&self, seconds: i64) -> Option<Self> {
        let at = self.at.checked_add(time::Duration::seconds(seconds))?;
        Some(Timestamp { at, ..*self })
    }
}

impl From<OffsetDateTime> for Timestamp {
    /// Written as Discord writes it: microseconds and `+00:00`.
    fn from(at: OffsetDateTime) -> Self {
        Timestamp {
            at,
            frac_digits: 6,
            zulu: false,
            unknown_offset: false,
        }
    }
}

impl From<Timestamp> for OffsetDateTime {
    fn from(t: Timestamp) -> Self {
        t.at
    }
}

impl FromStr for Timestamp {
    type Err = ParseTimestampError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ParseTimestampError {
            found: s.chars().take(64).collect(),
        };
        let b = s.as_bytes();
        // The layout we re-emit exactly; reject the looser forms RFC 3339 parsers allow
        // (lower-case t/z, leap seconds) so that decode → encode is the identity.
        if b.len() < 20 || b[10] != b'T' || &b[17..19] == b"60" {
            return Err(err());
        }
        let at = OffsetDateTime::parse(s, &Rfc3339).map_err(|_| err())?;
        let rest = &b[19..];
        let frac_digits = match rest.first() {
            Some(b'.') => rest[1..].iter().take_while(|c| c.is_ascii_digit()).count(),
            _ => 0,
        };
        if frac_digits > 9 {
            return Err(err());
        }
        let zulu = match b[b.len() - 1] {
            b'Z' => true,
            b'0'..=b'9' => false,
            _ => return Err(err()),
        };
        Ok(Timestamp {
            at,
            frac_digits: frac_digits as u8,
            zulu,
            unknown_offset: !zulu && s.ends_with("-00:00"),
        })
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.at;
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            a.year(),
            u8::from(a.month()),
            a.day(),
            a.hour(),
            a.minute(),
            a.second()
        )?;
        if self.frac_digits > 0 {
            let digits = format!("{:09}", a.nanosecond());
            write!(f, ".{}", &digits[..usize::from(self.frac_digits)])?;
        }
        let off: UtcOffset = a.offset();
        if self.zulu {
            f.write_str("Z")
        } else if self.unknown_offset && off.is_utc() {
            f.write_str("-00:00")
        } else {
            let (h, m, _) = off.as_hms();
            let sign = if off.is_negative() { '-' } else { '+' };
            write!(f, "{sign}{:02}:{:02}", h.unsigned_abs(), m.unsigned_abs())
        }
    }
}

impl fmt::Debug for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Timestamp({self})")
    }
}

impl PartialEq for Timestamp {
    fn eq(&self, other: &Self) -> bool {
        self.at == other.at
    }
}

impl Eq for Timestamp {}

impl PartialOrd for Timestamp {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Timestamp {
    fn cmp(&self, other: &Self) -> Ordering {
        self.at.cmp(&other.at)
    }
}

impl Hash for Timestamp {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.at.unix_timestamp_nanos().hash(state);
    }
}

impl serde::Serialize for Timestamp {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> serde::Deserialize<'de> for Timestamp {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Timestamp;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an RFC 3339 timestamp string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Timestamp, E> {
                v.parse().map_err(E::custom)
            }
        }
        deserializer.deserialize_str(V)
    }
}

impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date-time",
            "description": "An RFC 3339 timestamp."
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn negative_zero_offset_round_trips() {
        // RFC 3339's "UTC, local offset unknown": found by fuzzing (it re-encoded as +00:00).
        let t: Timestamp = "2016-03-31T19:15:39-00:00".parse().unwrap();
        assert_eq!(t.to_string(), "2016-03-31T19:15:39-00:00");
        assert_eq!(t, "2016-03-31T19:15:39+00:00".parse::<Timestamp>().unwrap());
        let plus: Timestamp = "2016-03-31T19:15:39+00:00".parse().unwrap();
        assert_eq!(plus.to_string(), "2016-03-31T19:15:39+00:00");
        let later = t.checked_add_seconds(1).unwrap();
        assert_eq!(later.to_string(), "2016-03-31T19:15:40-00:00");
    }

    use super::*;

    #[test]
    fn forms_discord_sends_round_trip_exactly() {
        for s in [
            "2016-03-31T19:15:39.954000+00:00",
            "2016-03-31T19:15:39+00:00",
            "2016-03-31T19:15:39Z",
            "2016-03-31T19:15:39.9Z",
            "2025-01-08T12:00:00.000000+00:00",
            "2025-01-08T12:00:00.123456789-05:30",
        ] {
            let t: Timestamp = s.parse().unwrap();
            assert_eq!(t.to_string(), s);
            let json = format!("\"{s}\"");
            let back: Timestamp = serde_json::from_str(&json).unwrap();
            assert_eq!(serde_json::to_string(&back).unwrap(), json);
        }
    }

    #[test]
    fn rejects_other_forms() {
        for s in [
            "",
            "2016-03-31",
            "2016-03-31 19:15:39Z",
            "2016-03-31t19:15:39Z",
            "2016-03-31T19:15:39z",
            "2016-03-31T19:15:60Z",
            "2016-13-31T19:15:39Z",
            "1459451739",
            "2016-03-31T19:15:39.1234567890Z",
            "2016-03-31T19:15:39",
            "NaN",
        ] {
            assert!(s.parse::<Timestamp>().is_err(), "{s:?} accepted");
        }
    }

    #[test]
    fn equality_is_by_instant() {
        let a: Timestamp = "2016-03-31T19:15:39+00:00".parse().unwrap();
        let b: Timestamp = "2016-03-31T21:15:39+02:00".parse().unwrap();
        assert_eq!(a, b);
        assert!(a < a.checked_add_seconds(1).unwrap());
    }
}
