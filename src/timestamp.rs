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
/// instead of `T`) is a decode error. A leap second (`2016-12-31T23:59:60Z`, which RFC 3339
/// allows as the last second of a month in UTC) is accepted and re-encoded as written; as an
/// instant it is the nanosecond before the next minute (how `time` holds it).
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
    /// Written with second 60 (a leap second): the fraction as written, in nanoseconds
    /// ([`NOT_LEAP`] otherwise; a sentinel keeps the type small). `at` holds the nanosecond
    /// before the next minute.
    leap: u32,
}

/// Why a string is not a timestamp.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseTimestampError {
    found: String,
    /// What exactly is wrong, when more can be said than "not this form".
    reason: Option<&'static str>,
}

impl fmt::Display for ParseTimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expected an RFC 3339 timestamp such as 2016-03-31T19:15:39.954000+00:00, found {:?}",
            self.found
        )?;
        if let Some(reason) = self.reason {
            write!(f, " ({reason})")?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseTimestampError {}

/// [`Timestamp::leap`] of an ordinary second.
const NOT_LEAP: u32 = u32::MAX;

/// Why second 60 was refused: RFC 3339 keeps it for leap seconds.
pub(crate) const MISPLACED_LEAP_SECOND: &str =
    "second 60 is a leap second, which only the last second of a month in UTC can be";

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
        Some(Timestamp {
            at,
            leap: NOT_LEAP,
            ..*self
        })
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
            leap: NOT_LEAP,
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
        // Discord's own layouts take a direct path; anything else (or anything this path is
        // unsure of) goes through `time`'s RFC 3339 parser, which also words the error.
        match parse_fast(s.as_bytes()) {
            Some(t) => Ok(t),
            None => parse_rfc3339(s),
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS`, an optional `.` and 1 to 9 digits, then `Z` or `±HH:MM` with hours
/// up to 23 and minutes up to 59, on a valid calendar date with seconds up to 59: the forms
/// [`parse_rfc3339`] accepts, read directly. `None` for anything else (the caller then takes
/// the general path, so `None` never decides a rejection).
#[inline]
pub(crate) fn parse_fast(b: &[u8]) -> Option<Timestamp> {
    #[inline]
    fn digits(b: &[u8]) -> Option<u32> {
        let mut n = 0u32;
        for &c in b {
            let d = c.wrapping_sub(b'0');
            if d > 9 {
                return None;
            }
            n = n * 10 + u32::from(d);
        }
        Some(n)
    }
    if b.len() < 20
        || b[4] != b'-'
        || b[7] != b'-'
        || b[10] != b'T'
        || b[13] != b':'
        || b[16] != b':'
    {
        return None;
    }
    let year = digits(&b[0..4])?;
    let month = digits(&b[5..7])?;
    let day = digits(&b[8..10])?;
    let (hour, minute, second) = (
        digits(&b[11..13])?,
        digits(&b[14..16])?,
        digits(&b[17..19])?,
    );
    let mut rest = &b[19..];
    let mut nanos = 0u32;
    let mut frac_digits = 0usize;
    if let [b'.', tail @ ..] = rest {
        frac_digits = tail.iter().take_while(|c| c.is_ascii_digit()).count();
        if frac_digits == 0 || frac_digits > 9 {
            return None;
        }
        nanos = digits(&tail[..frac_digits])? * 10u32.pow(9 - frac_digits as u32);
        rest = &tail[frac_digits..];
    }
    let (offset, zulu, unknown_offset) = match rest {
        b"Z" => (UtcOffset::UTC, true, false),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let (h, m) = (digits(&[*h1, *h2])?, digits(&[*m1, *m2])?);
            if h > 23 || m > 59 {
                return None;
            }
            let (h, m) = (h as i8, m as i8);
            let offset = if *sign == b'-' {
                UtcOffset::from_hms(-h, -m, 0).ok()?
            } else {
                UtcOffset::from_hms(h, m, 0).ok()?
            };
            (offset, false, *sign == b'-' && h == 0 && m == 0)
        }
        _ => return None,
    };
    if hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let month = time::Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date = time::Date::from_calendar_date(year as i32, month, u8::try_from(day).ok()?).ok()?;
    let clock = time::Time::from_hms_nano(hour as u8, minute as u8, second as u8, nanos).ok()?;
    Some(Timestamp {
        at: time::PrimitiveDateTime::new(date, clock).assume_offset(offset),
        frac_digits: frac_digits as u8,
        zulu,
        unknown_offset,
        leap: NOT_LEAP,
    })
}

/// The general path: `time`'s RFC 3339 parser, narrowed to the layouts that re-encode exactly.
fn parse_rfc3339(s: &str) -> Result<Timestamp, ParseTimestampError> {
    let err = |reason| ParseTimestampError {
        found: s.chars().take(64).collect(),
        reason,
    };
    let b = s.as_bytes();
    // The layout we re-emit exactly; reject the looser forms RFC 3339 parsers allow
    // (lower-case t/z) so that decode → encode is the identity.
    if b.len() < 20 || b[10] != b'T' || !s.is_char_boundary(19) {
        return Err(err(None));
    }
    let leap_written = &b[17..19] == b"60";
    let at = OffsetDateTime::parse(s, &Rfc3339)
        .map_err(|_| err(leap_written.then_some(MISPLACED_LEAP_SECOND)))?;
    let rest = &b[19..];
    let frac_digits = match rest.first() {
        Some(b'.') => rest[1..].iter().take_while(|c| c.is_ascii_digit()).count(),
        _ => 0,
    };
    if frac_digits > 9 {
        return Err(err(None));
    }
    // `time` holds a leap second as the nanosecond before the next minute; keep the written
    // fraction to re-emit it.
    let leap = if leap_written {
        rest.get(1..=frac_digits)
            .filter(|_| frac_digits > 0)
            .and_then(|d| std::str::from_utf8(d).ok())
            .and_then(|d| d.parse::<u32>().ok())
            .map_or(0, |n| n * 10u32.pow(9 - frac_digits as u32))
    } else {
        NOT_LEAP
    };
    let zulu = match b[b.len() - 1] {
        b'Z' => true,
        b'0'..=b'9' => false,
        _ => return Err(err(None)),
    };
    Ok(Timestamp {
        at,
        frac_digits: frac_digits as u8,
        zulu,
        unknown_offset: !zulu && s.ends_with("-00:00"),
        leap,
    })
}

impl Timestamp {
    /// The text as [`Display`](fmt::Display) writes it, put together in `buf` by hand (the
    /// formatting machinery and its fraction string cost more than the rest of an encode of
    /// the field); `None` for a year outside 0..=9999 or a leap second, which take the general
    /// formatter.
    fn write_fast<'b>(&self, buf: &'b mut [u8; 40]) -> Option<&'b str> {
        fn two(buf: &mut [u8], at: usize, n: u8) {
            buf[at] = b'0' + n / 10;
            buf[at + 1] = b'0' + n % 10;
        }
        if self.leap != NOT_LEAP {
            return None;
        }
        let a = self.at;
        let year = u16::try_from(a.year()).ok().filter(|y| *y <= 9999)?;
        two(buf, 0, (year / 100) as u8);
        two(buf, 2, (year % 100) as u8);
        buf[4] = b'-';
        two(buf, 5, u8::from(a.month()));
        buf[7] = b'-';
        two(buf, 8, a.day());
        buf[10] = b'T';
        two(buf, 11, a.hour());
        buf[13] = b':';
        two(buf, 14, a.minute());
        buf[16] = b':';
        two(buf, 17, a.second());
        let mut len = 19;
        if self.frac_digits > 0 {
            buf[len] = b'.';
            let mut nanos = a.nanosecond();
            let mut digits = [0u8; 9];
            for d in digits.iter_mut().rev() {
                *d = b'0' + (nanos % 10) as u8;
                nanos /= 10;
            }
            let n = usize::from(self.frac_digits.min(9));
            buf[len + 1..len + 1 + n].copy_from_slice(&digits[..n]);
            len += 1 + n;
        }
        let off: UtcOffset = a.offset();
        if self.zulu {
            buf[len] = b'Z';
            len += 1;
        } else if self.unknown_offset && off.is_utc() {
            buf[len..len + 6].copy_from_slice(b"-00:00");
            len += 6;
        } else {
            let (h, m, _) = off.as_hms();
            buf[len] = if off.is_negative() { b'-' } else { b'+' };
            two(buf, len + 1, h.unsigned_abs());
            buf[len + 3] = b':';
            two(buf, len + 4, m.unsigned_abs());
            len += 6;
        }
        // Only ASCII was written.
        crate::ascii::ascii_str(&buf[..len])
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.write_fast(&mut [0; 40]) {
            Some(text) => f.write_str(text),
            None => self.fmt_general(f),
        }
    }
}

impl Timestamp {
    /// The formatter for every year (and the reference `write_fast` is tested against).
    fn fmt_general(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let a = self.at;
        let (second, nanos) = match self.leap {
            NOT_LEAP => (a.second(), a.nanosecond()),
            n => (60, n),
        };
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{second:02}",
            a.year(),
            u8::from(a.month()),
            a.day(),
            a.hour(),
            a.minute(),
        )?;
        if self.frac_digits > 0 {
            let digits = format!("{nanos:09}");
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
        match self.write_fast(&mut [0; 40]) {
            Some(text) => {
                let mut quoted = [b'"'; 42];
                quoted[1..=text.len()].copy_from_slice(text.as_bytes());
                // `"` + the text + `"`: ASCII.
                let quoted = crate::ascii::ascii_str(&quoted[..text.len() + 2]).unwrap_or("\"\"");
                crate::unknown::serialize_ascii_str(serializer, quoted)
            }
            None => serializer.collect_str(self),
        }
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

#[cfg(test)]
mod tests {
    #[test]
    fn the_fast_writer_writes_what_the_general_formatter_writes() {
        struct General(super::Timestamp);
        impl std::fmt::Display for General {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt_general(f)
            }
        }
        let mut n = 0;
        for year in [0, 1, 99, 1970, 2016, 2026, 9999] {
            for frac in ["", ".1", ".954", ".954000", ".000000001", ".123456789"] {
                for off in ["Z", "+00:00", "-00:00", "+05:30", "-09:45", "+23:59"] {
                    let text = format!("{year:04}-02-28T23:07:09{frac}{off}");
                    let t: super::Timestamp = text.parse().unwrap();
                    let fast = t.write_fast(&mut [0; 40]).map(str::to_owned);
                    assert_eq!(fast.as_deref(), Some(General(t).to_string().as_str()));
                    assert_eq!(t.to_string(), text);
                    n += 1;
                }
            }
        }
        assert_eq!(n, 7 * 6 * 6);
        // Years the fast writer leaves to the general formatter.
        let far = time::OffsetDateTime::UNIX_EPOCH.replace_year(-5).unwrap();
        let t = super::Timestamp::from(far);
        assert!(t.write_fast(&mut [0; 40]).is_none());
        assert_eq!(t.to_string(), General(t).to_string());
    }

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
            "2016-03-30T23:59:60Z",
            "2016-12-31T22:59:60Z",
            "2016-13-31T19:15:39Z",
            "1459451739",
            "2016-03-31T19:15:39.1234567890Z",
            "2016-03-31T19:15:39",
            "NaN",
        ] {
            assert!(s.parse::<Timestamp>().is_err(), "{s:?} accepted");
        }
    }

    /// The direct path agrees with `time`'s parser on every input it accepts, field for
    /// field (offset and written form included), and leaves every other input to it.
    #[test]
    fn fast_path_agrees_with_rfc3339_parser() {
        let mut inputs: Vec<String> = Vec::new();
        let dates = [
            "2016-03-31",
            "2024-02-29",
            "2023-02-29",
            "2000-02-29",
            "1900-02-29",
            "0000-01-01",
            "9999-12-31",
            "2016-00-10",
            "2016-04-31",
            "2016-12-32",
            "20a6-03-31",
            "2016/03/31",
            "+016-03-31",
        ];
        let times = [
            "19:15:39", "00:00:00", "23:59:59", "24:00:00", "23:60:00", "23:59:60", "1a:15:39",
            "19-15-39",
        ];
        let fracs = [
            "",
            ".",
            ".9",
            ".954",
            ".954000",
            ".123456789",
            ".1234567890",
            ".12a",
            ".000000000",
        ];
        let offsets = [
            "Z", "z", "+00:00", "-00:00", "+05:30", "-05:30", "+23:59", "-23:59", "+24:00",
            "+05:60", "+0530", "+05:3", "", "Z ", "+00:00Z", "-1a:00",
        ];
        for d in dates {
            for t in times {
                for f in fracs {
                    for o in offsets {
                        inputs.push(format!("{d}T{t}{f}{o}"));
                    }
                }
            }
        }
        inputs.push("2016-03-31t19:15:39Z".into());
        inputs.push("2016-03-31 19:15:39Z".into());
        let mut fast_hits = 0;
        for s in &inputs {
            let slow = parse_rfc3339(s);
            match parse_fast(s.as_bytes()) {
                Some(fast) => {
                    fast_hits += 1;
                    let slow = slow.unwrap_or_else(|_| panic!("{s:?}: only the fast path accepts"));
                    assert_eq!(fast.at, slow.at, "{s:?}");
                    assert_eq!(fast.at.offset(), slow.at.offset(), "{s:?}");
                    assert_eq!(fast.frac_digits, slow.frac_digits, "{s:?}");
                    assert_eq!(fast.zulu, slow.zulu, "{s:?}");
                    assert_eq!(fast.unknown_offset, slow.unknown_offset, "{s:?}");
                    assert_eq!(fast.to_string(), *s);
                }
                None => {
                    // What the fast path leaves is decided by the general path, as before.
                    assert_eq!(s.parse::<Timestamp>(), slow, "{s:?}");
                }
            }
        }
        assert!(fast_hits > 500, "{fast_hits}");
    }

    #[test]
    fn real_leap_seconds_round_trip() {
        for s in [
            "2016-12-31T23:59:60Z",
            "2016-12-31T23:59:60.5Z",
            "2016-12-31T23:59:60.250000+00:00",
            "2017-01-01T00:59:60+01:00",
            "2015-06-30T23:59:60-00:00",
        ] {
            let t: Timestamp = s.parse().unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(t.to_string(), s);
            let next: Timestamp = "2017-01-01T00:00:00Z".parse().unwrap();
            if s.starts_with("2016") || s.starts_with("2017") {
                assert!(t < next, "{s}");
                assert_eq!(t.unix_timestamp(), next.unix_timestamp() - 1, "{s}");
            }
        }
        // One second later is an ordinary second.
        let t: Timestamp = "2016-12-31T23:59:60Z".parse().unwrap();
        assert_eq!(
            t.checked_add_seconds(1).unwrap().to_string(),
            "2017-01-01T00:00:00Z"
        );
        // Second 60 elsewhere: the error says why.
        let e = "2016-03-31T19:15:60Z".parse::<Timestamp>().unwrap_err();
        assert!(e.to_string().contains("leap second"), "{e}");
        let e = "2016-03-31T19:15:61Z".parse::<Timestamp>().unwrap_err();
        assert!(!e.to_string().contains("leap second"), "{e}");
    }

    #[test]
    fn equality_is_by_instant() {
        let a: Timestamp = "2016-03-31T19:15:39+00:00".parse().unwrap();
        let b: Timestamp = "2016-03-31T21:15:39+02:00".parse().unwrap();
        assert_eq!(a, b);
        assert!(a < a.checked_add_seconds(1).unwrap());
    }
}
