//! The `X-RateLimit-*` headers of an answer, and the cap on every wait a server asks for.

use std::time::Duration;

use reqwest::header::HeaderMap;

/// The longest wait the client takes from a server: `X-RateLimit-Reset-After`, `Retry-After`
/// and a 429's `retry_after` are cut to this. Ten minutes is Discord's window for counting
/// invalid requests (10,000 in 10 minutes bans the IP): a server that asks for more, or sends
/// `1e300`, costs at most one early request per bucket per window, while a bucket trusted for a
/// day would stay shut until the client is rebuilt.
pub const MAX_SERVER_WAIT: Duration = Duration::from_secs(600);

/// The rate-limit headers of one answer.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RateLimitInfo {
    pub(crate) bucket: Option<String>,
    pub(crate) limit: Option<u32>,
    pub(crate) remaining: Option<u32>,
    pub(crate) reset_after: Option<Duration>,
    pub(crate) global: bool,
    pub(crate) scope: Option<String>,
}

impl RateLimitInfo {
    /// Reads the headers; `None` when the answer carried none of them.
    pub(crate) fn from_headers(headers: &HeaderMap) -> Option<Self> {
        let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let info = RateLimitInfo {
            bucket: text("x-ratelimit-bucket").map(str::to_owned),
            limit: text("x-ratelimit-limit").and_then(|v| v.trim().parse().ok()),
            remaining: text("x-ratelimit-remaining").and_then(|v| v.trim().parse().ok()),
            reset_after: text("x-ratelimit-reset-after").and_then(parse_seconds),
            global: text("x-ratelimit-global").is_some_and(|v| v.eq_ignore_ascii_case("true")),
            scope: text("x-ratelimit-scope").map(str::to_owned),
        };
        (info != RateLimitInfo::default()).then_some(info)
    }

    /// `X-RateLimit-Bucket`: the bucket id.
    pub fn bucket(&self) -> Option<&str> {
        self.bucket.as_deref()
    }

    /// `X-RateLimit-Limit`: requests allowed per window.
    pub fn limit(&self) -> Option<u32> {
        self.limit
    }

    /// `X-RateLimit-Remaining`: requests left in this window.
    pub fn remaining(&self) -> Option<u32> {
        self.remaining
    }

    /// `X-RateLimit-Reset-After`: time until the window resets, at most [`MAX_SERVER_WAIT`].
    pub fn reset_after(&self) -> Option<Duration> {
        self.reset_after
    }

    /// `X-RateLimit-Global`: whether a 429 came from the global limit.
    pub fn global(&self) -> bool {
        self.global
    }

    /// `X-RateLimit-Scope` (`user`, `global` or `shared`).
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }
}

/// Seconds as Discord writes them (`"1.5"`), rejecting negatives and NaN, and cut to
/// [`MAX_SERVER_WAIT`].
pub(crate) fn parse_seconds(v: &str) -> Option<Duration> {
    let secs: f64 = v.trim().parse().ok()?;
    if secs.is_nan() || secs < 0.0 {
        return None;
    }
    Some(Duration::from_secs_f64(
        secs.min(MAX_SERVER_WAIT.as_secs_f64()),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seconds_parse_and_are_capped() {
        assert_eq!(parse_seconds("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_seconds(" 0 "), Some(Duration::ZERO));
        assert_eq!(parse_seconds("-1"), None);
        assert_eq!(parse_seconds("NaN"), None);
        assert_eq!(parse_seconds("soon"), None);
        for huge in ["601", "86400", "1e300", "inf"] {
            assert_eq!(parse_seconds(huge), Some(MAX_SERVER_WAIT), "{huge}");
        }
    }
}
