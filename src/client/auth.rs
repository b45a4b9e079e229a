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

impl Token {
    /// A bot token (`Authorization: Bot …`). A leading `Bot ` is accepted and not doubled.
    pub fn bot(secret: impl AsRef<str>) -> Result<Self, Error> {
        Self::new(Scheme::Bot, secret.as_ref())
    }

    /// An OAuth2 bearer token (`Authorization: Bearer …`). A leading `Bearer ` is accepted and
    /// not doubled.
    pub fn bearer(secret: impl AsRef<str>) -> Result<Self, Error> {
        Self::new(Scheme::Bearer, secret.as_ref())
    }

    /// The scheme of this token.
    pub fn scheme(&self) -> Scheme {
        self.scheme
    }

    fn new(scheme: Scheme, secret: &str) -> Result<Self, Error> {
        let prefix = match scheme {
            Scheme::Bot => "Bot ",
            Scheme::Bearer => "Bearer ",
        };
        let secret = secret.trim();
        let secret = secret.strip_prefix(prefix).unwrap_or(secret).trim();
        // Visible ASCII only: no CR/LF (header injection), no spaces, nothing a header cannot
        // carry. The message never quotes the token.
        if secret.is_empty() || !secret.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Error::invalid_argument(
                "token",
                "must be non-empty visible ASCII without spaces or line breaks",
            ));
        }
        let mut header = HeaderValue::from_str(&format!("{prefix}{secret}"))
            .map_err(|_| Error::invalid_argument("token", "is not a valid HTTP header value"))?;
        header.set_sensitive(true);
        Ok(Token { scheme, header })
    }

    pub(crate) fn header(&self) -> &HeaderValue {
        &self.header
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.scheme {
            Scheme::Bot => f.write_str("Token::Bot(<redacted>)"),
            Scheme::Bearer => f.write_str("Token::Bearer(<redacted>)"),
        }
    }
}
