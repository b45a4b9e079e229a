//! Per-route limits: buckets learnt from `X-RateLimit-*` headers, first requests of unknown
//! buckets, and routes held back by a 429 that named no bucket.
//!
//! Discord names a bucket in `X-RateLimit-Bucket`; several routes may share one (GET and POST
//! `/channels/{id}/invites`), and the limit applies per bucket *and* top-level resource
//! (channel or guild id, the "major" parameter). Before sending, a request takes a slot of its
//! bucket's window or waits for the reset.
//!
//! While a bucket is not known for a route and major parameter, one request goes first (a
//! probe) and the others wait for its answer. Once a route's bucket id is known, first
//! requests of a new major parameter probe per bucket, so routes that share a bucket learn it
//! once. A new bucket's `Remaining` is lowered by the other first requests still in flight on
//! the same major parameter, since they may land in the same bucket.
//!
//! A 429 without bucket headers holds back every request on its route for its `retry_after`,
//! and from then on that route's unknown buckets are learnt one request at a time.
//!
//! Memory stays bounded: a bucket id a route no longer uses is forgotten for that major
//! parameter at once, and entries idle for a minute past their window are swept when the maps
//! have doubled since the last sweep, and at the first use a minute after it.

use std::collections::hash_map::Entry;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::sync::futures::Notified;
use tokio::sync::Notify;
use tokio::time::Instant;

use super::headers::RateLimitInfo;

/// An entry whose window ended this long ago, and that nothing waits on, may be swept.
const IDLE: Duration = Duration::from_secs(60);
/// No sweep below this many entries.
const MIN_SWEEP: usize = 256;

#[derive(Debug)]
struct Bucket {
    remaining: u32,
    /// Requests per window (from `X-RateLimit-Limit`), for the window after a reset.
    limit: u32,
    reset_at: Instant,
    /// The length assumed for the next window until Discord answers again.
    window: Duration,
    /// The longest `Reset-After` seen in the current window: the next window's length (an
    /// answer late in a window announces only the rest of it).
    seen: Duration,
}

/// What a first request goes by while its bucket is unknown: the route, or the bucket id when
/// another major parameter already taught the route's bucket.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Scope {
    Route(String),
    Bucket(String),
}

#[derive(Debug)]
struct Unknown {
    /// A first request is in flight; the others wait for its answer.
    probing: bool,
    /// It was answered without rate-limit headers: not limited, as far as we know.
    unlimited: bool,
    last_used: Instant,
}

#[derive(Debug, Default)]
struct Route {
    bucket: Option<String>,
    /// A 429 without bucket headers: nothing on this route goes before this.
    blocked_until: Option<Instant>,
    /// Such a 429 was seen: unknown buckets of this route are learnt one request at a time,
    /// even when answers carry no headers.
    serial: bool,
}

#[derive(Debug)]
struct State {
    /// Route key (`GET /channels/{channel_id}/invites`) → what is known of it. One entry per
    /// route template, so bounded.
    routes: HashMap<String, Route>,
    /// (bucket id, major parameter) → the window.
    buckets: HashMap<(String, String), Bucket>,
    /// (scope, major parameter) whose bucket is not known.
    unknown: HashMap<(Scope, String), Unknown>,
    /// Major parameter → first requests in flight.
    probes: HashMap<String, u32>,
    /// Sweep when `buckets` and `unknown` hold this many entries…
    sweep_at: usize,
    /// …or, past [`MIN_SWEEP`] entries, at the first use after this.
    sweep_after: Option<Instant>,
}

impl Default for State {
    fn default() -> Self {
        State {
            routes: HashMap::new(),
            buckets: HashMap::new(),
            unknown: HashMap::new(),
            probes: HashMap::new(),
            sweep_at: MIN_SWEEP,
            sweep_after: None,
        }
    }
}

impl State {
    /// Drops what has been idle for [`IDLE`] past its window, once the maps have doubled or
    /// a minute after the last sweep (amortised O(1) per request). Dropping is always safe: a
    /// forgotten bucket is learnt again by one request.
    fn maybe_sweep(&mut self, now: Instant) {
        let len = self.buckets.len() + self.unknown.len();
        let due = *self.sweep_after.get_or_insert(now + IDLE) <= now;
        if len < self.sweep_at && !(due && len >= MIN_SWEEP) {
            return;
        }
        self.sweep_after = Some(now + IDLE);
        self.buckets.retain(|_, b| b.reset_at + IDLE > now);
        self.unknown
            .retain(|_, u| u.probing || u.last_used + IDLE > now);
        self.sweep_at = MIN_SWEEP.max(2 * (self.buckets.len() + self.unknown.len()));
    }
}

/// The per-route limits, shared by all clones of a [`Client`](crate::client::Client).
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
    key: (Scope, String),
    route: String,
    answered: bool,
}

impl Probe<'_> {
    /// Discord answered (not with a 429 or a 5xx): if the answer taught no bucket, the route
    /// has none, and requests no longer wait for one another on it.
    pub(crate) fn answered(&mut self) {
        self.answered = true;
    }
}

impl Drop for Probe<'_> {
    fn drop(&mut self) {
        let mut st = self.limiter.lock();
        let major = &self.key.1;
        if let Some(n) = st.probes.get_mut(major) {
            *n -= 1;
            if *n == 0 {
                st.probes.remove(major);
            }
        }
        let known = st
            .routes
            .get(&self.route)
            .and_then(|r| r.bucket.clone())
            .is_some_and(|b| st.buckets.contains_key(&(b, major.clone())));
        if known {
            st.unknown.remove(&self.key);
        } else if let Some(u) = st.unknown.get_mut(&self.key) {
            u.probing = false;
            u.unlimited |= self.answered;
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
        st.maybe_sweep(now);
        let route = st.routes.get(&key.route);
        if let Some(until) = route.and_then(|r| r.blocked_until).filter(|u| *u > now) {
            return Permit::Wait {
                wait: until - now,
                bucket: None,
            };
        }
        let serial = route.is_some_and(|r| r.serial);
        let bucket = route.and_then(|r| r.bucket.clone());
        if let Some(id) = &bucket {
            if let Some(b) = st.buckets.get_mut(&(id.clone(), key.major.clone())) {
                if b.reset_at <= now {
                    // A new window: assume the same limit and the length the last window's
                    // answers showed, until the next answer says otherwise, so a crowd of
                    // waiters does not all go at once.
                    if !b.seen.is_zero() {
                        b.window = b.seen;
                    }
                    b.seen = Duration::ZERO;
                    b.remaining = b.limit.saturating_sub(1);
                    b.reset_at = now + b.window;
                } else if b.remaining == 0 {
                    return Permit::Wait {
                        wait: b.reset_at - now,
                        bucket: Some(id.clone()),
                    };
                } else {
                    b.remaining -= 1;
                }
                return Permit::Go;
            }
        }
        let scope = bucket.map_or_else(|| Scope::Route(key.route.clone()), Scope::Bucket);
        let probe_key = (scope, key.major.clone());
        let entry = st.unknown.entry(probe_key.clone()).or_insert(Unknown {
            probing: false,
            unlimited: false,
            last_used: now,
        });
        entry.last_used = now;
        if entry.probing {
            // Created under the lock, so the probe's end cannot be missed.
            return Permit::AwaitProbe(self.probe_ended.notified());
        }
        if entry.unlimited && !serial {
            return Permit::Go;
        }
        entry.probing = true;
        *st.probes.entry(key.major.clone()).or_default() += 1;
        Permit::Probe(Probe {
            limiter: self,
            key: probe_key,
            route: key.route.clone(),
            answered: false,
        })
    }

    /// Learns from an answer's headers; `probed` when the request was a first request (a
    /// [`Probe`] is still held for it).
    ///
    /// Answers come back out of order and while other requests of the same window are still
    /// in flight, so an answer never *raises* what is left of a window the client is still
    /// in: `remaining` is the smaller of the local count and Discord's, and the reset the later
    /// of the two. Only once the local window has passed are Discord's figures taken as they
    /// are.
    pub(crate) fn update(&self, key: &RouteKey, info: &RateLimitInfo, probed: bool) {
        let (Some(bucket), Some(remaining), Some(reset_after)) =
            (&info.bucket, info.remaining, info.reset_after)
        else {
            return;
        };
        let limit = info.limit.unwrap_or(remaining.saturating_add(1)).max(1);
        let now = Instant::now();
        let reset_at = now + reset_after;
        let mut st = self.lock();
        let route = st.routes.entry(key.route.clone()).or_default();
        let old = route.bucket.replace(bucket.clone());
        if let Some(old) = old.filter(|old| old != bucket) {
            // The route moved to another bucket: forget the old one here unless another route
            // still uses it (other major parameters' copies go at the next sweep).
            if !st.routes.values().any(|r| r.bucket.as_ref() == Some(&old)) {
                st.buckets.remove(&(old, key.major.clone()));
            }
        }
        // Other first requests in flight on this major parameter may count in this bucket.
        let others = st
            .probes
            .get(&key.major)
            .copied()
            .unwrap_or(0)
            .saturating_sub(u32::from(probed));
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
                b.seen = b.seen.max(reset_after);
            }
            Entry::Vacant(e) => {
                e.insert(Bucket {
                    remaining: remaining.saturating_sub(others),
                    limit,
                    reset_at,
                    window: reset_after,
                    seen: reset_after,
                });
            }
        }
        st.maybe_sweep(now);
    }

    /// Records a (non-global) 429: the route's bucket is closed for `retry_after`. A 429 that
    /// named no bucket holds back the whole route, every major parameter, and makes it learn
    /// unknown buckets one request at a time from then on.
    pub(crate) fn limited(&self, key: &RouteKey, retry_after: Duration, named_bucket: bool) {
        let until = Instant::now() + retry_after;
        let mut st = self.lock();
        let route = st.routes.entry(key.route.clone()).or_default();
        if !named_bucket {
            route.blocked_until = Some(route.blocked_until.map_or(until, |b| b.max(until)));
            route.serial = true;
        }
        if let Some(bucket) = route.bucket.clone() {
            let b = st
                .buckets
                .entry((bucket, key.major.clone()))
                .or_insert(Bucket {
                    remaining: 0,
                    limit: 1,
                    reset_at: until,
                    window: retry_after,
                    seen: Duration::ZERO,
                });
            b.remaining = 0;
            b.reset_at = b.reset_at.max(until);
        }
    }

    /// Entries held (buckets and unknown keys), for the memory tests.
    #[cfg(test)]
    fn entries(&self) -> usize {
        let st = self.lock();
        st.buckets.len() + st.unknown.len()
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

    fn info(bucket: &str, limit: u32, remaining: u32, reset_ms: u64) -> RateLimitInfo {
        RateLimitInfo {
            bucket: Some(bucket.into()),
            limit: Some(limit),
            remaining: Some(remaining),
            reset_after: Some(Duration::from_millis(reset_ms)),
            ..RateLimitInfo::default()
        }
    }

    /// Sends a first request on `key` and teaches `info` from its answer.
    fn learn(rl: &RateLimiter, key: &RouteKey, info: &RateLimitInfo) {
        let Permit::Probe(mut probe) = rl.acquire(key) else {
            panic!("a first request probes")
        };
        rl.update(key, info, true);
        probe.answered();
    }

    fn waits(p: Permit<'_>) -> Option<Duration> {
        match p {
            Permit::Wait { wait, .. } => Some(wait),
            _ => None,
        }
    }

    #[tokio::test(start_paused = true)]
    async fn waits_when_remaining_is_zero() {
        let rl = RateLimiter::default();
        learn(&rl, &key(), &info("abc", 5, 0, 5_000));
        assert_eq!(waits(rl.acquire(&key())), Some(Duration::from_secs(5)));
        // Another guild is another bucket.
        let other = RouteKey {
            major: "2".into(),
            ..key()
        };
        assert!(matches!(rl.acquire(&other), Permit::Probe(_)));
    }

    #[tokio::test(start_paused = true)]
    async fn a_new_window_keeps_the_limit() {
        let rl = RateLimiter::default();
        learn(&rl, &key(), &info("b", 2, 0, 300));
        assert!(matches!(rl.acquire(&key()), Permit::Wait { .. }));
        tokio::time::advance(Duration::from_millis(300)).await;
        // Two per window: two go, the third waits for the next window, 300 ms long.
        assert!(matches!(rl.acquire(&key()), Permit::Go));
        assert!(matches!(rl.acquire(&key()), Permit::Go));
        assert_eq!(waits(rl.acquire(&key())), Some(Duration::from_millis(300)));
    }

    #[tokio::test(start_paused = true)]
    async fn late_answers_do_not_reopen_a_window() {
        let rl = RateLimiter::default();
        learn(&rl, &key(), &info("b", 3, 2, 5_000));
        // Two more requests go out; the window is used up locally.
        assert!(matches!(rl.acquire(&key()), Permit::Go));
        assert!(matches!(rl.acquire(&key()), Permit::Go));
        assert!(matches!(rl.acquire(&key()), Permit::Wait { .. }));
        // The answer of the first of them arrives late, saying one is left: it was, before
        // the second went out. The client must not send a third.
        rl.update(&key(), &info("b", 3, 1, 4_000), false);
        assert!(matches!(rl.acquire(&key()), Permit::Wait { .. }));
        // A late answer with a short Reset-After neither shortens this window nor the next.
        rl.update(&key(), &info("b", 3, 0, 10), false);
        tokio::time::advance(Duration::from_millis(50)).await;
        assert_eq!(
            waits(rl.acquire(&key())),
            Some(Duration::from_millis(4_950))
        );
        tokio::time::advance(Duration::from_millis(4_950)).await;
        assert!(matches!(rl.acquire(&key()), Permit::Go));
        assert!(matches!(rl.acquire(&key()), Permit::Go));
        assert!(matches!(rl.acquire(&key()), Permit::Go));
        assert_eq!(waits(rl.acquire(&key())), Some(Duration::from_secs(5)));
    }

    #[tokio::test(start_paused = true)]
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
        rl.update(&key(), &info("b", 2, 1, 5_000), true);
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

    /// twilight's `bucket_shared`: two routes in one bucket share its count; and a new major
    /// parameter of that bucket is learnt by one first request for both routes.
    #[tokio::test(start_paused = true)]
    async fn routes_that_share_a_bucket_share_its_count_and_its_discovery() {
        let rl = RateLimiter::default();
        let get = |major: &str| RouteKey {
            route: "GET /channels/{channel_id}/invites".into(),
            major: major.into(),
        };
        let post = |major: &str| RouteKey {
            route: "POST /channels/{channel_id}/invites".into(),
            major: major.into(),
        };
        learn(&rl, &get("1"), &info("shared", 3, 2, 5_000));
        learn(&rl, &post("1"), &info("shared", 3, 1, 5_000));
        assert!(matches!(rl.acquire(&get("1")), Permit::Go));
        assert!(matches!(rl.acquire(&post("1")), Permit::Wait { .. }));
        // Channel 2: one probe for both routes, since both are known to use "shared".
        let Permit::Probe(probe) = rl.acquire(&post("2")) else {
            panic!("probe")
        };
        assert!(matches!(rl.acquire(&get("2")), Permit::AwaitProbe(_)));
        rl.update(&post("2"), &info("shared", 3, 2, 5_000), true);
        drop(probe);
        assert!(matches!(rl.acquire(&get("2")), Permit::Go));
        assert!(matches!(rl.acquire(&post("2")), Permit::Go));
        assert!(matches!(rl.acquire(&get("2")), Permit::Wait { .. }));
    }

    /// Before anything is known, GET and POST probe at once; when the first answer arrives,
    /// the POST still in flight may count in the same bucket, so it is counted.
    #[tokio::test(start_paused = true)]
    async fn first_requests_in_flight_count_against_a_new_bucket() {
        let rl = RateLimiter::default();
        let get = RouteKey {
            route: "GET /channels/{channel_id}/invites".into(),
            major: "7".into(),
        };
        let post = RouteKey {
            route: "POST /channels/{channel_id}/invites".into(),
            major: "7".into(),
        };
        let Permit::Probe(get_probe) = rl.acquire(&get) else {
            panic!()
        };
        let Permit::Probe(post_probe) = rl.acquire(&post) else {
            panic!()
        };
        // Discord counted the GET only so far: one of two left. The POST is on its way.
        rl.update(&get, &info("shared", 2, 1, 5_000), true);
        drop(get_probe);
        assert!(matches!(rl.acquire(&get), Permit::Wait { .. }));
        rl.update(&post, &info("shared", 2, 0, 5_000), true);
        drop(post_probe);
        assert!(matches!(rl.acquire(&post), Permit::Wait { .. }));
    }

    /// twilight's `bucket_sublimit`: a route's bucket id changes; the new one applies at once
    /// and the old one is forgotten (a server inventing a bucket per answer cannot grow the
    /// maps).
    #[tokio::test(start_paused = true)]
    async fn a_changed_bucket_id_replaces_the_old_bucket() {
        let rl = RateLimiter::default();
        learn(&rl, &key(), &info("old", 3, 0, 5_000));
        assert!(matches!(rl.acquire(&key()), Permit::Wait { .. }));
        for i in 0..10_000 {
            rl.update(&key(), &info(&format!("new-{i}"), 10, 9, 5_000), false);
        }
        assert_eq!(rl.entries(), 1);
        assert!(matches!(rl.acquire(&key()), Permit::Go));
    }

    /// twilight's stale bucket cleanup, with a bound: 10,000 guilds used once each, then an
    /// idle minute; the next use sweeps them.
    #[tokio::test(start_paused = true)]
    async fn stale_buckets_are_swept() {
        let rl = RateLimiter::default();
        for guild in 0..10_000 {
            let k = RouteKey {
                major: guild.to_string(),
                ..key()
            };
            learn(&rl, &k, &info("b", 5, 4, 1_000));
        }
        // Sweeps ran as the map grew, but everything was in use.
        assert_eq!(rl.entries(), 10_000);
        tokio::time::advance(Duration::from_secs(1) + IDLE).await;
        let fresh = RouteKey {
            major: "fresh".into(),
            ..key()
        };
        learn(&rl, &fresh, &info("b", 5, 4, 1_000));
        assert!(rl.entries() <= 2, "{}", rl.entries());
    }

    /// Row "one 200 with `Remaining: 0`, `Reset-After: 1e300`": capped (see
    /// `headers::MAX_SERVER_WAIT`), and the window after it is learnt again from the answers.
    #[tokio::test(start_paused = true)]
    async fn an_absurd_reset_shuts_a_bucket_for_the_cap_only() {
        use super::super::headers::{parse_seconds, MAX_SERVER_WAIT};
        let rl = RateLimiter::default();
        let absurd = RateLimitInfo {
            reset_after: parse_seconds("1e300"),
            ..info("b", 5, 0, 0)
        };
        learn(&rl, &key(), &absurd);
        assert_eq!(waits(rl.acquire(&key())), Some(MAX_SERVER_WAIT));
        tokio::time::advance(MAX_SERVER_WAIT).await;
        assert!(matches!(rl.acquire(&key()), Permit::Go));
        rl.update(&key(), &info("b", 5, 4, 1_000), false);
        for _ in 0..4 {
            assert!(matches!(rl.acquire(&key()), Permit::Go));
        }
        // This window still ends when the assumed one does (answers never shorten it)…
        assert_eq!(waits(rl.acquire(&key())), Some(MAX_SERVER_WAIT));
        tokio::time::advance(MAX_SERVER_WAIT).await;
        // …but the next one is as long as the answers said: one second.
        for _ in 0..5 {
            assert!(matches!(rl.acquire(&key()), Permit::Go));
        }
        assert_eq!(waits(rl.acquire(&key())), Some(Duration::from_secs(1)));
    }

    /// Row "429s without `X-RateLimit-Bucket`": every request on the route waits, whatever
    /// its major parameter, and the route is learnt one request at a time afterwards.
    #[tokio::test(start_paused = true)]
    async fn a_429_without_a_bucket_holds_the_whole_route() {
        let rl = RateLimiter::default();
        let Permit::Probe(probe) = rl.acquire(&key()) else {
            panic!()
        };
        rl.limited(&key(), Duration::from_secs(2), false);
        drop(probe);
        let other = RouteKey {
            major: "2".into(),
            ..key()
        };
        assert_eq!(waits(rl.acquire(&key())), Some(Duration::from_secs(2)));
        assert_eq!(waits(rl.acquire(&other)), Some(Duration::from_secs(2)));
        tokio::time::advance(Duration::from_secs(2)).await;
        // Answers without headers no longer make the route "unlimited": one at a time.
        let Permit::Probe(mut probe) = rl.acquire(&key()) else {
            panic!()
        };
        assert!(matches!(rl.acquire(&key()), Permit::AwaitProbe(_)));
        probe.answered();
        drop(probe);
        let Permit::Probe(_next) = rl.acquire(&key()) else {
            panic!("still one at a time")
        };
        assert!(matches!(rl.acquire(&key()), Permit::AwaitProbe(_)));
    }
}
