//! Parsing invite links and codes back.

use std::fmt;
use std::str::FromStr;

use crate::Snowflake;

/// An invite link or bare code, parsed: the code and the optional scheduled-event id.
///
/// Accepts a bare code (`abc`), `discord.gg/abc`, `discord.com/invite/abc`,
/// `discordapp.com/invite/abc`, each with or without `https://` / `http://`, `www.`, a
/// trailing `/`, and `?event={id}`. Codes are 1 to 64 characters of `A-Z a-z 0-9 -`.
///
/// ```
/// use discord_invite::InviteUrl;
/// let url: InviteUrl = "https://discord.gg/abc?event=42".parse().unwrap();
/// assert_eq!(url.code(), "abc");
/// assert_eq!(url.event().map(|e| e.get()), Some(42));
/// assert_eq!(url.to_string(), "https://discord.gg/abc?event=42");
/// assert!("https://evil.example/abc".parse::<InviteUrl>().is_err());
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct InviteUrl {
    code: String,
    event: Option<Snowflake>,
}

/// Why a string is not an invite link or code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseInviteUrlError {
    /// Nothing to parse.
    #[error("an invite link or code cannot be empty")]
    Empty,
    /// A link to a host that does not serve Discord invites.
    #[error("`{0}` is not a Discord invite host (discord.gg, discord.com/invite, discordapp.com/invite)")]
    Host(String),
    /// The code has characters or a length no invite code has.
    #[error("`{0}` is not an invite code (1 to 64 characters of A-Z, a-z, 0-9 and -)")]
    Code(String),
    /// A query other than a valid `event={id}`.
    #[error("unexpected query `{0}`: only `event={{snowflake}}` is allowed")]
    Query(String),
}

/// Longest code accepted; vanity codes are at most 32 characters, generated ones 8 to 16.
pub const MAX_CODE_LEN: usize = 64;

/// `true` if `code` could be a Discord invite code.
pub fn is_valid_code(code: &str) -> bool {
    (1..=MAX_CODE_LEN).contains(&code.len())
        && code.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

fn short(s: &str) -> String {
    s.chars().take(80).collect()
}

impl InviteUrl {
    /// The invite code.
    pub fn code(&self) -> &str {
        &self.code
    }

    /// The scheduled event the link points at.
    pub fn event(&self) -> Option<Snowflake> {
        self.event
    }

    /// A link for `code` (checked) and an optional event.
    pub fn new(code: &str, event: Option<Snowflake>) -> Result<Self, ParseInviteUrlError> {
        if !is_valid_code(code) {
            return Err(ParseInviteUrlError::Code(short(code)));
        }
        Ok(InviteUrl {
            code: code.to_owned(),
            event,
        })
    }
}

impl FromStr for InviteUrl {
    type Err = ParseInviteUrlError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let s = input.trim();
        if s.is_empty() {
            return Err(ParseInviteUrlError::Empty);
        }
        let (path, query) = match s.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (s, None),
        };
        let lower_prefix = |p: &str, prefix: &str| {
            p.len() >= prefix.len()
                && p.is_char_boundary(prefix.len())
                && p[..prefix.len()].eq_ignore_ascii_case(prefix)
        };
        let mut rest = path;
        for scheme in ["https://", "http://"] {
            if lower_prefix(rest, scheme) {
                rest = &rest[scheme.len()..];
            }
        }
        if lower_prefix(rest, "www.") {
            rest = &rest[4..];
        }
        let code = if rest.contains('/') {
            let (host, tail) = rest.split_once('/').unwrap_or((rest, ""));
            let host = host.to_ascii_lowercase();
            let tail = tail.strip_suffix('/').unwrap_or(tail);
            match host.as_str() {
                "discord.gg" => tail,
                "discord.com" | "discordapp.com" | "ptb.discord.com" | "canary.discord.com" => tail
                    .strip_prefix("invite/")
                    .ok_or_else(|| ParseInviteUrlError::Host(short(s)))?,
                _ => return Err(ParseInviteUrlError::Host(short(&host))),
            }
        } else if path.len() != s.len() || rest.len() != path.len() {
            // A scheme or `?` with no path: not a bare code.
            return Err(ParseInviteUrlError::Host(short(s)));
        } else {
            rest
        };
        if !is_valid_code(code) {
            return Err(ParseInviteUrlError::Code(short(code)));
        }
        let event = match query {
            None | Some("") => None,
            Some(q) => {
                let id = q
                    .strip_prefix("event=")
                    .ok_or_else(|| ParseInviteUrlError::Query(short(q)))?;
                Some(
                    id.parse::<Snowflake>()
                        .map_err(|_| ParseInviteUrlError::Query(short(q)))?,
                )
            }
        };
        Ok(InviteUrl {
            code: code.to_owned(),
            event,
        })
    }
}

impl fmt::Display for InviteUrl {
    /// The canonical link, `https://discord.gg/{code}[?event={id}]`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", super::invite::INVITE_BASE, self.code)?;
        if let Some(e) = self.event {
            write!(f, "?event={e}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_link_form() {
        for s in [
            "abc",
            "discord.gg/abc",
            "https://discord.gg/abc",
            "http://discord.gg/abc/",
            "https://www.discord.gg/abc",
            "https://discord.com/invite/abc",
            "discordapp.com/invite/abc",
            "HTTPS://Discord.GG/abc",
            "  https://discord.gg/abc  ",
        ] {
            let u: InviteUrl = s.parse().unwrap_or_else(|e| panic!("{s}: {e}"));
            assert_eq!(u.code(), "abc", "{s}");
            assert_eq!(u.event(), None);
        }
        let u: InviteUrl = "discord.com/invite/a-B9?event=1234".parse().unwrap();
        assert_eq!((u.code(), u.event()), ("a-B9", Some(Snowflake::new(1234))));
    }

    #[test]
    fn rejects_what_is_not_an_invite() {
        for s in [
            "",
            "https://discord.gg/",
            "https://evil.com/abc",
            "https://discord.com/channels/1/2",
            "https://discord.gg/../x",
            "https://discord.gg/a/b",
            "https://discord.gg/abc?event=x",
            "https://discord.gg/abc?foo=1",
            "ab c",
            "abc%2e",
            "abc#frag",
            "https://",
        ] {
            assert!(s.parse::<InviteUrl>().is_err(), "{s:?} accepted");
        }
        assert!("a".repeat(65).parse::<InviteUrl>().is_err());
    }
}
