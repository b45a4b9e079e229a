//! The token, kept out of every `Debug`, `Display`, error and log line.

use std::fmt;

use reqwest::header::HeaderValue;

use super::error::Error;

/// How the client authenticates: a bot token or an OAuth2 bearer token.
///
/// The secret is never printed: `Debug` shows only the scheme.
///
/// ```
/// use discord_invite::client::Token;
/// let token = Token::bot("my.secret.token").unwrap();
/// assert_eq!(format!("{token:?}"), "Token::Bot(<redacted>)");
/// assert!(Token::bot("bad\r\ntoken").is_err());
/// // A pasted prefix is not doubled; the other scheme's prefix is refused.
/// assert!(Token::bot("Bot my.secret.token").is_ok());
/// assert!(Token::bot("Bearer my.secret.token").is_err());
/// ```
#[derive(Clone)]
pub struct Token {
    scheme: Scheme,
    // Pre-built `Authorization` value, marked sensitive so that HTTP libraries do not log it.
    header: HeaderValue,
}

/// The authorization scheme of a [`Token`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Scheme {
    /// `Authorization: Bot <token>`.
    Bot,
    /// `Authorization: Bearer <token>` (OAuth2).
    Bearer,
}

/// The longest secret accepted, in bytes. Discord's tokens are under 100; anything near this
/// is not a token (a pasted file, a whole config) and would only be refused by the server.
pub const MAX_TOKEN_LEN: usize = 512;

impl Token {
    /// A bot token (`Authorization: Bot …`). A leading `Bot ` (any case, any spacing) is
    /// accepted and not doubled.
    ///
    /// Refused: an empty token, one longer than [`MAX_TOKEN_LEN`] bytes, one with spaces,
    /// control characters or non-ASCII, and one with a `Bearer ` prefix (use
    /// [`Token::bearer`]). The error never quotes the token.
    pub fn bot(secret: impl AsRef<str>) -> Result<Self, Error> {
        Self::new(Scheme::Bot, secret.as_ref())
    }

    /// An OAuth2 bearer token (`Authorization: Bearer …`). A leading `Bearer ` (any case, any
    /// spacing) is accepted and not doubled; otherwise the same rules as [`Token::bot`].
    pub fn bearer(secret: impl AsRef<str>) -> Result<Self, Error> {
        Self::new(Scheme::Bearer, secret.as_ref())
    }

    /// The scheme of this token.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    fn new(scheme: Scheme, secret: &str) -> Result<Self, Error> {
        let (name, other, other_fn) = match scheme {
            Scheme::Bot => ("Bot", "Bearer", "Token::bearer"),
            Scheme::Bearer => ("Bearer", "Bot", "Token::bot"),
        };
        let secret = secret.trim();
        let secret = strip_scheme(secret, name).unwrap_or(secret);
        if strip_scheme(secret, other).is_some() {
            return Err(Error::invalid_argument(
                "token",
                format!("starts with `{other} `: use {other_fn} for that kind of token"),
            ));
        }
        // Visible ASCII only: no CR/LF (header injection), no spaces, nothing a header cannot
        // carry. The messages never quote the token.
        if secret.is_empty() || secret.eq_ignore_ascii_case(name) {
            return Err(Error::invalid_argument("token", "is empty"));
        }
        if secret.len() > MAX_TOKEN_LEN {
            return Err(Error::invalid_argument(
                "token",
                format!("is longer than {MAX_TOKEN_LEN} bytes"),
            ));
        }
        if !secret.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::invalid_argument(
                "token",
                "must be visible ASCII without spaces or line breaks",
            ));
        }
        let mut header = HeaderValue::from_str(&format!("{name} {secret}"))
            .map_err(|_| Error::invalid_argument("token", "is not a valid HTTP header value"))?;
        header.set_sensitive(true);
        Ok(Token { scheme, header })
    }

    pub(crate) fn header(&self) -> &HeaderValue {
        &self.header
    }
}

/// `secret` without a leading `scheme` (any case) and the whitespace after it.
fn strip_scheme<'a>(secret: &'a str, scheme: &str) -> Option<&'a str> {
    let head = secret.get(..scheme.len())?;
    let rest = &secret[scheme.len()..];
    (head.eq_ignore_ascii_case(scheme) && rest.starts_with(|c: char| c.is_ascii_whitespace()))
        .then(|| rest.trim_start())
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scheme {
            Scheme::Bot => f.write_str("Token::Bot(<redacted>)"),
            Scheme::Bearer => f.write_str("Token::Bearer(<redacted>)"),
        }
    }
}
