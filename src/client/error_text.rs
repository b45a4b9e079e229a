//! How errors read in a log: response bodies as text in `Debug`, and transport errors with
//! their innermost cause on one line.

use std::error::Error as StdError;
use std::fmt;
use std::io;

use super::error::{DiscordError, ResponseDecodeError};

/// Bytes of a body shown in `Debug`; the rest is counted, not printed.
const SHOWN: usize = 2048;

/// A body in `Debug`: a quoted string, escaped as Rust escapes `str`, with bytes that are not
/// UTF-8 as `\xNN`. Valid UTF-8 comes out exactly (no replacement characters); past [`SHOWN`]
/// bytes it is cut on a character boundary and the total length is given.
pub(crate) struct BodyText<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for BodyText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        let mut shown = 0;
        'chunks: for chunk in self.0.utf8_chunks() {
            for c in chunk.valid().chars() {
                if shown + c.len_utf8() > SHOWN {
                    break 'chunks;
                }
                shown += c.len_utf8();
                write!(f, "{}", c.escape_debug())?;
            }
            for b in chunk.invalid() {
                if shown + 1 > SHOWN {
                    break 'chunks;
                }
                shown += 1;
                write!(f, "\\x{b:02x}")?;
            }
        }
        f.write_str("\"")?;
        if shown < self.0.len() {
            write!(f, "… ({} bytes in all)", self.0.len())?;
        }
        Ok(())
    }
}

impl fmt::Debug for DiscordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DiscordError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("errors", &self.errors)
            .field("body", &BodyText(&self.body))
            .field("rate_limit", &self.rate_limit)
            .finish()
    }
}

impl fmt::Debug for ResponseDecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseDecodeError")
            .field("status", &self.status)
            .field("body", &BodyText(&self.body))
            .field("source", &self.source)
            .finish()
    }
}

/// `Display` of a transport error: a short name of the cause when the chain has a telling I/O
/// error, then every message of the chain, innermost last, on one line.
///
/// reqwest's own message ("error sending request") says nothing about why; the cause (refused,
/// reset, DNS, TLS, a malformed header) is in its `source()` chain.
pub(crate) fn transport(f: &mut fmt::Formatter<'_>, e: &reqwest::Error) -> fmt::Result {
    f.write_str("HTTP transport error")?;
    if let Some(name) = cause_name(e) {
        write!(f, " ({name})")?;
    }
    let mut level: Option<&(dyn StdError + 'static)> = Some(e);
    let mut sep = ": ";
    while let Some(err) = level {
        let text = err.to_string();
        // Some wrappers repeat their source's message; print each message once.
        let repeats = err.source().is_some_and(|s| text.ends_with(&s.to_string()));
        if !repeats && !text.is_empty() {
            f.write_str(sep)?;
            // One line, whatever a library put in its message.
            for (i, line) in text.lines().enumerate() {
                if i > 0 {
                    f.write_str(" ")?;
                }
                f.write_str(line.trim())?;
            }
            sep = ": ";
        }
        level = err.source();
    }
    Ok(())
}

/// A plain name for the common causes, from the I/O error in the chain.
fn cause_name(e: &reqwest::Error) -> Option<&'static str> {
    let mut level: Option<&(dyn StdError + 'static)> = Some(e);
    while let Some(err) = level {
        if let Some(kind) = innermost_io_kind(err) {
            match kind {
                io::ErrorKind::ConnectionRefused => return Some("connection refused"),
                io::ErrorKind::ConnectionReset | io::ErrorKind::ConnectionAborted => {
                    return Some("connection reset")
                }
                io::ErrorKind::BrokenPipe => return Some("connection closed"),
                io::ErrorKind::TimedOut => return Some("connection timed out"),
                io::ErrorKind::UnexpectedEof => return Some("answer cut short"),
                // rustls reports handshake and certificate failures as invalid data while
                // connecting; nothing else in the connect path does.
                io::ErrorKind::InvalidData if e.is_connect() => return Some("TLS failed"),
                _ => {}
            }
        }
        level = err.source();
    }
    None
}

/// The kind of the innermost `io::Error` wrapped in `err` (hyper-rustls wraps rustls's
/// `InvalidData` error in an `Other` one, and `source()` skips the inner one).
fn innermost_io_kind(err: &(dyn StdError + 'static)) -> Option<io::ErrorKind> {
    let mut io = err.downcast_ref::<io::Error>()?;
    while let Some(inner) = io.get_ref().and_then(|i| i.downcast_ref::<io::Error>()) {
        io = inner;
    }
    Some(io.kind())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn show(bytes: &[u8]) -> String {
        format!("{:?}", BodyText(bytes))
    }

    #[test]
    fn bodies_read_as_text() {
        assert_eq!(show(b""), r#""""#);
        assert_eq!(show("a\"b\nü".as_bytes()), r#""a\"b\nü""#);
        assert_eq!(show(b"ok\xff\xfeok"), r#""ok\xff\xfeok""#);
        let long = "€".repeat(1000); // 3,000 bytes
        let text = show(long.as_bytes());
        // 682 whole characters (2,046 bytes), never half of one.
        assert_eq!(
            text,
            format!("\"{}\"… (3000 bytes in all)", "€".repeat(682))
        );
    }
}
