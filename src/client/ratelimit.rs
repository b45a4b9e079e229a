//! Discord's rate limits: buckets learnt from `X-RateLimit-*` headers, and the global limit.
//!
//! Discord names a bucket in `X-RateLimit-Bucket`; several routes may share one, and the limit
//! applies per bucket *and* top-level resource (channel or guild id). Before sending, the client
//! waits while the bucket has `Remaining: 0` and has not reset, or while a global 429 is in
//! force. While a route's bucket is not known yet, one request goes first and the others wait
//! for its answer, so a crowd of concurrent first requests does not all go at once.

use std::collections::hash_map::Entry;
use std::collections::{HashMap, HashSet};
use std::sync::Mutex;
use std::time::Duration;

use reqwest::header::HeaderMap;
use tokio::sync::futures::Notified;
use tokio::sync::Notify;
use tokio::time::Instant;

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

    /// `X-RateLimit-Reset-After`: time until the window resets.
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

/// Seconds as Discord writes them (`"1.5"`), rejecting negatives, NaN and absurd values.
pub(crate) fn parse_seconds(v: &str) -> Option<Duration> {
    let secs: f64 = v.trim().parse().ok()?;
    if !secs.is_finite() || secs < 0.0 {
        return None;
    }
    // A day is far beyond any real reset; clamp instead of overflowing.
    Some(Duration::from_secs_f64(secs.min(86_400.0)))
}

#[derive(Debug)]
struct Bucket {
    remaining: u32,
    /// Requests per window (from `X-RateLimit-Limit`), for the window after a reset.
    limit: u32,
    reset_at: Instant,
    /// The longest `Reset-After` seen: the length of a window, used for the next window until
    /// Discord answers again.
    window: Duration,
}

#[derive(Debug, Default)]
struct State {
    /// Route key (`GET /channels/{channel_id}/invites`) → Discord's bucket id.
    routes: HashMap<String, String>,
    /// (bucket id, major parameter) → state.
    buckets: HashMap<(String, String), Bucket>,
    global_until: Option<Instant>,
    /// (route, major) whose bucket is unknown and whose first request is in flight.
    probing: HashSet<(String, String)>,
    /// (route, major) that answered without rate-limit headers: not limited, as far as we know.
    unlimited: HashSet<(String, String)>,
}

/// Shared by all clones of a [`Client`](super::Client).
#[derive(Debug, Default)]
pub(crate) struct RateLimiter {
    state: Mutex<State>,
    /// Woken whenever a probe ends.
    probe_ended: Notify,
}

/// Held by the one request sent while its bucket is unknown. Dropping it (answer processed,
/// error, or the future cancelled) lets the requests waiting on it go on.
#[derive(Debug)]
pub(crate) struct Probe<'a> {
    limiter: &'a RateLimiter,
    key: (String, String),
    answered: bool,
}

impl Probe<'_> {
    /// Discord answered (not with a 429): if the answer taught no bucket, the route has none.
    pub(crate) fn answered(&mut self) {
        self.answered = true;
    }
}

impl Drop for Probe<'_> {
    fn drop(&mut self) {
        let mut st = self.limiter.lock();
        st.probing.remove(&self.key);
        let known = st
            .routes
            .get(&self.key.0)
            .is_some_and(|b| st.buckets.contains_key(&(b.clone(), self.key.1.clone())));
        if self.answered && !known {
            st.unlimited.insert(self.key.clone());
        }
        drop(st);
        self.limiter.probe_ended.notify_waiters();
    }
}

/// The bucket a request falls in, before Discord has told us its id.
#[derive(Debug, Clone)]
pub(crate) struct RouteKey {
    pub(crate) route: String,
    pub(crate) major: String,
}

/// What the limiter decided.
#[derive(Debug)]
pub(crate) enum Permit<'a> {
    /// Send now (one request of the bucket's window is taken).
    Go,
    /// Send now, as the first request of an unknown bucket; keep the probe until the answer's
    /// headers have been given to [`RateLimiter::update`] / [`RateLimiter::limited`].
    Probe(Probe<'a>),
    /// The bucket is being learnt by another request: wait for it to end, then ask again.
    AwaitProbe(Notified<'a>),
    /// Wait this long, then ask again.
    Wait {
        wait: Duration,
        global: bool,
        bucket: Option<String>,
    },
}

impl RateLimiter {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A panic while holding the lock cannot leave the maps inconsistent; keep going.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    pub(crate) fn acquire(&self, key: &RouteKey) -> Permit<'_> {
        let now = Instant::now();
        let mut st = self.lock();
        if let Some(until) = st.global_until {
            if until > now {
                return Permit::Wait {
                    wait: until - now,
                    global: true,
                    bucket: None,
                };
            }
            st.global_until = None;
        }
        let known = st
            .routes
            .get(&key.route)
            .map(|b| (b.clone(), key.major.clone()))
            .filter(|id| st.buckets.contains_key(id));
        let Some(id) = known else {
            let probe_key = (key.route.clone(), key.major.clone());
            if st.unlimited.contains(&probe_key) {
                return Permit::Go;
            }
            if st.probing.contains(&probe_key) {
                // Created under the lock, so the probe's end cannot be missed.
                return Permit::AwaitProbe(self.probe_ended.notified());
            }
            st.probing.insert(probe_key.clone());
            return Permit::Probe(Probe {
                limiter: self,
                key: probe_key,
                answered: false,
            });
        };
        if let Some(b) = st.buckets.get_mut(&id) {
            if b.reset_at <= now {
                // A new window: assume the same limit and length until the next answer says
                // otherwise, so a crowd of waiters does not all go at once.
                b.remaining = b.limit.saturating_sub(1);
                b.reset_at = now + b.window;
            } else if b.remaining == 0 {
                return Permit::Wait {
                    wait: b.reset_at - now,
                    global: false,
                    bucket: Some(id.0),
                };
            } else {
                b.remaining -= 1;
            }
        }
        Permit::Go
    }

    /// Learns from an answer's headers.
    ///
    /// Answers come back out of order and while other requests of the same window are still
    /// in flight, so an answer never *raises* what is left of a window the client is still
    /// in: `remaining` is the smaller of the local count and Discord's, and the reset the later
    /// of the two. Only once the local window has passed are Discord's figures taken as they
    /// are. The window length kept for the next window is the longest `Reset-After` seen (an
    /// answer late in a window announces only the rest of it).
    pub(crate) fn update(&self, key: &RouteKey, info: &RateLimitInfo) {
        let (Some(bucket), Some(remaining), Some(reset_after)) =
            (&info.bucket, info.remaining, info.reset_after)
        else {
            return;
        };
        let limit = info.limit.unwrap_or(remaining.saturating_add(1)).max(1);
        let now = Instant::now();
        let reset_at = now + reset_after;
        let mut st = self.lock();
        st.routes.insert(key.route.clone(), bucket.clone());
        match st.buckets.entry((bucket.clone(), key.major.clone())) {
            Entry::Occupied(mut e) => {
                let b = e.get_mut();
                if b.reset_at > now {
                    b.remaining = b.remaining.min(remaining);
                    b.reset_at = b.reset_at.max(reset_at);
                } else {
                    b.remaining = remaining;
                    b.reset_at = reset_at;
                }
                b.limit = limit;
                b.window = b.window.max(reset_after);
            }
            Entry::Vacant(e) => {
                e.insert(Bucket {
                    remaining,
                    limit,
                    reset_at,
                    window: reset_after,
                });
            }
        }
    }

    /// Records a 429: the global limit, or the route's bucket, is closed for `retry_after`.
    pub(crate) fn limited(&self, key: &RouteKey, retry_after: Duration, global: bool) {
        let until = Instant::now() + retry_after;
        let mut st = self.lock();
        if global {
            st.global_until = Some(st.global_until.map_or(until, |g| g.max(until)));
        } else if let Some(bucket) = st.routes.get(&key.route).cloned() {
            let b = st
                .buckets
                .entry((bucket, key.major.clone()))
                .or_insert(Bucket {
                    remaining: 0,
                    limit: 1,
                    reset_at: until,
                    window: retry_after,
                });
            b.remaining = 0;
            b.reset_at = b.reset_at.max(until);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> RouteKey {
        RouteKey {
            route: "GET /guilds/{guild_id}/invites".into(),
            major: "1".into(),
        }
    }

    #[tokio::test]
    async fn waits_when_remaining_is_zero() {
        let rl = RateLimiter::default();
        assert!(matches!(rl.acquire(&key()), Permit::Probe(_)));
        let info = RateLimitInfo {
            bucket: Some("abc".into()),
            remaining: Some(0),
            reset_after: Some(Duration::from_secs(5)),
            ..RateLimitInfo::default()
        };
        rl.update(&key(), &info);
        match rl.acquire(&key()) {
            Permit::Wait { wait, global, .. } => {
                assert!(!global);
                assert!(wait > Duration::from_secs(4));
            }
            other => panic!("should wait: {other:?}"),
        }
        // Another guild is another bucket.
        let other = RouteKey {
            major: "2".into(),
            ..key()
        };
        assert!(matches!(rl.acquire(&other), Permit::Probe(_)));
    }

    #[tokio::test]
    async fn a_new_window_keeps_the_limit() {
        let rl = RateLimiter::default();
        let info = RateLimitInfo {
            bucket: Some("b".into()),
            limit: Some(2),
            remaining: Some(0),
            reset_after: Some(Duration::from_millis(300)),
            ..RateLimitInfo::default()
        };
        rl.update(&key(), &info);
        assert!(matches!(rl.acquire(&key()), Permit::Wait { .. }));
        tokio::time::sleep(Duration::from_millis(350)).await;
        // Two per window: two go, the third waits for the next window.
        assert!(matches!(rl.acquire(&key()), Permit::Go));
        assert!(matches!(rl.acquire(&key()), Permit::Go));
        assert!(matches!(rl.acquire(&key()), Permit::Wait { .. }));
    }

    #[tokio::test]
    async fn late_answers_do_not_reopen_a_window() {
        let rl = RateLimiter::default();
        let info = |remaining, reset_ms| RateLimitInfo {
            bucket: Some("b".into()),
            limit: Some(3),
            remaining: Some(remaining),
            reset_after: Some(Duration::from_millis(reset_ms)),
            ..RateLimitInfo::default()
        };
        rl.update(&key(), &info(2, 5_000));
        // Two more requests go out; the window is used up locally.
        assert!(matches!(rl.acquire(&key()), Permit::Go));
        assert!(matches!(rl.acquire(&key()), Permit::Go));
        assert!(matches!(rl.acquire(&key()), Permit::Wait { .. }));
        // The answer of the first of them arrives late, saying one is left: it was, before
        // the second went out. The client must not send a third.
        rl.update(&key(), &info(1, 4_000));
        assert!(matches!(rl.acquire(&key()), Permit::Wait { .. }));
        // A late answer with a short Reset-After neither shortens this window nor the next.
        rl.update(&key(), &info(0, 10));
        tokio::time::sleep(Duration::from_millis(50)).await;
        assert!(
            matches!(rl.acquire(&key()), Permit::Wait { wait, .. } if wait > Duration::from_secs(4))
        );
    }

    #[tokio::test]
    async fn one_request_learns_an_unknown_bucket_while_the_others_wait() {
        let rl = RateLimiter::default();
        let Permit::Probe(mut probe) = rl.acquire(&key()) else {
            panic!("the first request probes")
        };
        let Permit::AwaitProbe(waiting) = rl.acquire(&key()) else {
            panic!("the second waits")
        };
        // A probe that ends without an answer (error, cancelled) hands over to the next one;
        // the waiter is woken even though it was polled only after the probe ended.
        drop(probe);
        tokio::time::timeout(Duration::from_secs(30), waiting)
            .await
            .expect("woken when the probe ends");
        let Permit::Probe(probe2) = rl.acquire(&key()) else {
            panic!("the next request probes")
        };
        probe = probe2;
        // Its answer teaches the bucket: from then on the bucket's own count applies.
        rl.update(
            &key(),
            &RateLimitInfo {
                bucket: Some("b".into()),
                limit: Some(2),
                remaining: Some(1),
                reset_after: Some(Duration::from_secs(5)),
                ..RateLimitInfo::default()
            },
        );
        probe.answered();
        drop(probe);
        assert!(matches!(rl.acquire(&key()), Permit::Go));
        assert!(matches!(rl.acquire(&key()), Permit::Wait { .. }));

        // A route that answers without rate-limit headers is not held back after its probe.
        let other = RouteKey {
            route: "GET /invites/{code}".into(),
            major: String::new(),
        };
        let Permit::Probe(mut probe) = rl.acquire(&other) else {
            panic!("probe")
        };
        probe.answered();
        drop(probe);
        assert!(matches!(rl.acquire(&other), Permit::Go));
        assert!(matches!(rl.acquire(&other), Permit::Go));
    }

    #[tokio::test]
    async fn global_blocks_everything() {
        let rl = RateLimiter::default();
        rl.limited(&key(), Duration::from_secs(3), true);
        assert!(matches!(
            rl.acquire(&key()),
            Permit::Wait { global: true, .. }
        ));
    }

    #[test]
    fn seconds_parse() {
        assert_eq!(parse_seconds("1.5"), Some(Duration::from_millis(1500)));
        assert_eq!(parse_seconds("-1"), None);
        assert_eq!(parse_seconds("NaN"), None);
        assert_eq!(parse_seconds("1e300"), Some(Duration::from_secs(86_400)));
    }
}
