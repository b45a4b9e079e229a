//! Parsing invite links and codes back, as people paste them and as chat text carries them.

use std::fmt;
use std::str::FromStr;

use crate::Snowflake;

/// An invite link or bare code, parsed: the code and the optional scheduled-event id.
///
/// Accepts what Discord's clients accept:
/// - a bare code (`abc`), or a link on `discord.gg/{code}` or
///   `discord.com/invite/{code}` (also `discordapp.com`, `ptb.` / `canary.discord.com`,
///   `www.`), with or without `https://` / `http://`;
/// - scheme, host and the `invite/` prefix in any letter case (the code keeps its case: codes
///   are case-sensitive), the default ports `:443` and `:80`, a trailing `/`;
/// - `?event={id}` kept, any other query parameter (`utm_source`…) and a `#fragment` ignored;
/// - Discord's no-embed form `<https://discord.gg/abc>` and trailing punctuation from chat
///   text (`see discord.gg/abc.`, `(discord.gg/abc)`).
///
/// Everything else is refused, naming the part at fault: other hosts and lookalikes
/// (`discord.gg.evil.com`, `evil.com/discord.gg/x`), a user name before the host
/// (`https://discord.gg@evil.com/x`, whose host is `evil.com`), other ports, other paths, codes
/// that are not 1 to 64 characters of `A-Z a-z 0-9 -`, and an `event` that is not an id.
///
/// ```
/// use discord_invite::InviteUrl;
/// let url: InviteUrl = "<https://Discord.com/Invite/abc?event=42&utm_source=x>.".parse().unwrap();
/// assert_eq!(url.code(), "abc");
/// assert_eq!(url.event().map(|e| e.get()), Some(42));
/// assert_eq!(url.to_string(), "https://discord.gg/abc?event=42");
/// assert!("https://discord.gg.evil.com/abc".parse::<InviteUrl>().is_err());
///
/// let found = InviteUrl::find_all("join discord.gg/abc or (https://discord.com/invite/xyz)!");
/// assert_eq!(found.iter().map(InviteUrl::code).collect::<Vec<_>>(), ["abc", "xyz"]);
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
    /// A link to a host (or port, or with a user name) that does not serve Discord invites.
    #[error("`{0}` is not a Discord invite host (discord.gg, discord.com/invite, discordapp.com/invite)")]
    Host(String),
    /// A Discord host, but a path that is not an invite's (`/{code}` on discord.gg,
    /// `/invite/{code}` on discord.com).
    #[error("`{0}` is not an invite path (discord.gg/{{code}} or discord.com/invite/{{code}})")]
    Path(String),
    /// The code has characters or a length no invite code has.
    #[error("`{0}` is not an invite code (1 to 64 characters of A-Z, a-z, 0-9 and -)")]
    Code(String),
    /// An `event` query parameter that is not a snowflake.
    #[error("unexpected query `{0}`: `event` must be a snowflake (event={{id}})")]
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

/// Hosts whose links are `/{code}`.
const SHORT_HOSTS: &[&str] = &["discord.gg"];
/// Hosts whose links are `/invite/{code}`.
const LONG_HOSTS: &[&str] = &[
    "discord.com",
    "discordapp.com",
    "ptb.discord.com",
    "canary.discord.com",
];

/// Punctuation that chat text puts after a link; no code, id or host ends with it.
const TRAILING: &[char] = &[
    '.', ',', ';', ':', '!', '?', ')', ']', '}', '\'', '"', '*', '_', '~',
];

/// Characters that end a link in chat text (besides whitespace): none can be part of an
/// invite link, and markdown, quotes and Discord's `<…>` wrap links in them.
const DELIMITERS: &[char] = &['<', '>', '(', ')', '[', ']', '{', '}', '|', '"', '\'', '`'];

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

    /// Every invite link in a message's text, in order (repeats included), as moderation bots
    /// and discord.py's `resolve_invite` need. Only links count (a host is required, so plain
    /// words are never taken for codes); they may sit in markdown, quotes, parentheses,
    /// spoilers or `<…>`, and end in punctuation. Lookalikes are skipped.
    ///
    /// ```
    /// use discord_invite::InviteUrl;
    /// let text = "**new** server: <https://discord.gg/abc>, event https://discord.com/invite/xyz?event=42 \
    ///             [here](https://discord.gg/abc) not https://discord.gg.evil.com/bad or evil.com/discord.gg/bad";
    /// let links: Vec<String> = InviteUrl::find_all(text).iter().map(ToString::to_string).collect();
    /// assert_eq!(links, [
    ///     "https://discord.gg/abc",
    ///     "https://discord.gg/xyz?event=42",
    ///     "https://discord.gg/abc",
    /// ]);
    /// ```
    pub fn find_all(text: &str) -> Vec<InviteUrl> {
        text.split(|c: char| c.is_whitespace() || DELIMITERS.contains(&c))
            .map(|token| token.trim_start_matches(['*', '_', '~']))
            // Cheap filter first: every accepted host contains "discord".
            .filter(|token| contains_ignore_case(token, "discord"))
            .filter_map(|token| parse(token, true).ok())
            .collect()
    }
}

fn contains_ignore_case(haystack: &str, needle: &str) -> bool {
    haystack
        .as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Strips a case-insensitive ASCII prefix.
fn strip_prefix_ignore_case<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    let head = s.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &s[prefix.len()..])
}

/// Parses a link or, unless `link_only`, a bare code.
fn parse(input: &str, link_only: bool) -> Result<InviteUrl, ParseInviteUrlError> {
    let mut s = input.trim().trim_end_matches(TRAILING);
    // Discord's no-embed form, possibly followed by punctuation: `<https://discord.gg/abc>.`
    if let Some(inner) = s.strip_prefix('<').and_then(|r| r.strip_suffix('>')) {
        s = inner.trim().trim_end_matches(TRAILING);
    }
    if s.is_empty() {
        return Err(ParseInviteUrlError::Empty);
    }
    let (rest, scheme) = match strip_prefix_ignore_case(s, "https://")
        .or_else(|| strip_prefix_ignore_case(s, "http://"))
    {
        Some(rest) => (rest, true),
        None => (s, false),
    };
    // The authority ends at the first `/`, `?` or `#`.
    let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(end);
    let looks_like_host = scheme || !tail.is_empty() || authority.contains(['.', ':', '@']);
    if !looks_like_host {
        if link_only {
            return Err(ParseInviteUrlError::Host(short(authority)));
        }
        return InviteUrl::new(authority, None);
    }
    let (code, query) = invite_path(authority, tail)?;
    let event = event(query)?;
    InviteUrl::new(code, event)
}

/// Checks the host and reads the code out of the path; also returns the query.
fn invite_path<'a>(
    authority: &'a str,
    tail: &'a str,
) -> Result<(&'a str, &'a str), ParseInviteUrlError> {
    // `https://discord.gg@evil.com/x` goes to evil.com: a user name is never accepted.
    if let Some((_, real_host)) = authority.rsplit_once('@') {
        return Err(ParseInviteUrlError::Host(short(real_host)));
    }
    let host = match authority.rsplit_once(':') {
        Some((host, "443" | "80")) => host,
        Some(_) => return Err(ParseInviteUrlError::Host(short(authority))),
        None => authority,
    };
    let host = host.to_ascii_lowercase();
    let host = host.strip_suffix('.').unwrap_or(&host); // a fully qualified `discord.gg.`
    let host = host.strip_prefix("www.").unwrap_or(host);
    let long = if SHORT_HOSTS.contains(&host) {
        false
    } else if LONG_HOSTS.contains(&host) {
        true
    } else {
        return Err(ParseInviteUrlError::Host(short(authority)));
    };
    let (path, query) = match tail.split_once('?') {
        Some((path, query)) => (path, query),
        None => (tail, ""),
    };
    let path = path.split_once('#').map_or(path, |(p, _)| p);
    let query = query.split_once('#').map_or(query, |(q, _)| q);
    let bad_path = || ParseInviteUrlError::Path(short(tail));
    let path = path.strip_prefix('/').ok_or_else(bad_path)?;
    let path = path.strip_suffix('/').unwrap_or(path);
    let code = if long {
        strip_prefix_ignore_case(path, "invite/").ok_or_else(bad_path)?
    } else {
        path
    };
    if code.is_empty() || code.contains('/') {
        return Err(bad_path());
    }
    Ok((code, query))
}

/// The first `event` parameter of a query; other parameters are ignored.
fn event(query: &str) -> Result<Option<Snowflake>, ParseInviteUrlError> {
    for pair in query.split('&') {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if key.eq_ignore_ascii_case("event") {
            return value
                .parse::<Snowflake>()
                .map(Some)
                .map_err(|_| ParseInviteUrlError::Query(short(pair)));
        }
    }
    Ok(None)
}

impl FromStr for InviteUrl {
    type Err = ParseInviteUrlError;

    fn from_str(input: &str) -> Result<Self, Self::Err> {
        parse(input, false)
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

    fn parsed(s: &str) -> (String, Option<u64>) {
        let u: InviteUrl = s.parse().unwrap_or_else(|e| panic!("{s}: {e}"));
        (u.code().to_owned(), u.event().map(Snowflake::get))
    }

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
            assert_eq!(parsed(s), ("abc".into(), None), "{s}");
        }
        assert_eq!(
            parsed("discord.com/invite/a-B9?event=1234"),
            ("a-B9".into(), Some(1234))
        );
    }

    #[test]
    fn accepts_links_as_people_paste_them() {
        for (s, event) in [
            ("https://discord.gg/abc?event=42&utm_source=x", Some(42)),
            ("https://discord.gg/abc?utm_source=x&event=42", Some(42)),
            ("https://discord.gg/abc?utm_source=x", None),
            ("https://discord.gg/abc?", None),
            ("https://discord.gg/abc#top", None),
            ("https://discord.com/Invite/abc", None),
            ("https://DISCORD.COM/INVITE/abc/", None),
            ("discord.gg:443/abc", None),
            ("https://discord.gg:443/abc", None),
            ("http://discord.gg:80/abc", None),
            ("https://discord.gg./abc", None),
            ("<https://discord.gg/abc>", None),
            ("<https://discord.gg/abc?event=7>", Some(7)),
            ("https://discord.gg/abc.", None),
            ("https://discord.gg/abc).", None),
            ("<https://discord.gg/abc>.", None),
            ("https://discord.gg/abc?event=42!", Some(42)),
            ("https://ptb.discord.com/invite/abc", None),
            ("https://canary.discord.com/invite/abc", None),
        ] {
            assert_eq!(parsed(s), ("abc".into(), event), "{s}");
        }
        // The code keeps its case.
        assert_eq!(parsed("HTTPS://DISCORD.GG/AbC").0, "AbC");
    }

    #[test]
    fn rejects_what_is_not_an_invite() {
        for s in [
            "",
            "<>",
            "https://discord.gg/",
            "https://evil.com/abc",
            "https://discord.com/channels/1/2",
            "https://discord.gg/../x",
            "https://discord.gg/a/b",
            "https://discord.gg/abc?event=x",
            "ab c",
            "abc%2e",
            "abc#frag",
            "https://",
            "https://discord.gg.evil.com/abc",
            "evil.com/discord.gg/abc",
            "https://discord.gg@evil.com/abc",
            "https://evil.com@discord.gg/abc",
            "https://discord.gg:8443/abc",
            "https://discord.com/abc",
            "https://discord.gg/invite/abc/x",
            "ftp://discord.gg/abc",
            "discord.gg",
        ] {
            assert!(s.parse::<InviteUrl>().is_err(), "{s:?} accepted");
        }
        assert!("a".repeat(65).parse::<InviteUrl>().is_err());
    }

    #[test]
    fn errors_blame_the_part_at_fault() {
        let err = |s: &str| s.parse::<InviteUrl>().unwrap_err();
        assert_eq!(
            err("https://evil.com/abc"),
            ParseInviteUrlError::Host("evil.com".into())
        );
        assert_eq!(
            err("https://discord.gg@evil.com/abc"),
            ParseInviteUrlError::Host("evil.com".into())
        );
        assert_eq!(
            err("https://discord.com/channels/1/2"),
            ParseInviteUrlError::Path("/channels/1/2".into())
        );
        assert_eq!(
            err("https://discord.gg/"),
            ParseInviteUrlError::Path("/".into())
        );
        assert_eq!(
            err("https://discord.gg/ab%20c"),
            ParseInviteUrlError::Code("ab%20c".into())
        );
        assert_eq!(
            err("https://discord.gg/abc?event=soon"),
            ParseInviteUrlError::Query("event=soon".into())
        );
        assert!(err("https://discord.com/abc")
            .to_string()
            .contains("invite path"));
    }

    #[test]
    fn find_all_takes_links_only() {
        let found = |t: &str| -> Vec<String> {
            InviteUrl::find_all(t)
                .iter()
                .map(ToString::to_string)
                .collect()
        };
        assert_eq!(
            found("discord.gg/a, discord.gg/a (https://discord.com/invite/b). ||discord.gg/c||"),
            [
                "https://discord.gg/a",
                "https://discord.gg/a",
                "https://discord.gg/b",
                "https://discord.gg/c"
            ]
        );
        assert_eq!(
            found("**discord.gg/a**\n`https://discord.gg/b?event=5`"),
            ["https://discord.gg/a", "https://discord.gg/b?event=5"]
        );
        assert!(found("abc discord discord.gg discord.gg.evil.com/x evil.com/discord.gg/x https://discord.gg@evil.com/x").is_empty());
        assert!(found("").is_empty());
    }
}
