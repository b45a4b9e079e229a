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
    /// Requests let go on this bucket and not answered yet: at a new window they may still
    /// land in it.
    in_flight: u32,
    /// Tells a bucket from one that replaced it under the same key, for [`Ticket`]s.
    id: u64,
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
    /// The next [`Bucket::id`].
    next_id: u64,
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
            next_id: 0,
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
        self.buckets
            .retain(|_, b| b.in_flight > 0 || b.reset_at + IDLE > now);
        self.unknown
            .retain(|_, u| u.probing || u.last_used + IDLE > now);
        self.sweep_at = MIN_SWEEP.max(2 * (self.buckets.len() + self.unknown.len()));
    }

    /// Takes one request from the current window of every bucket known on `major`; if one of
    /// them is used up, takes nothing and says how long to wait for it.
    fn claim_everywhere(&mut self, major: &str, now: Instant) -> Option<(Duration, String)> {
        let mut ids: Vec<&String> = Vec::new();
        for id in self.routes.values().filter_map(|r| r.bucket.as_ref()) {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        let keys: Vec<(String, String)> = ids
            .into_iter()
            .map(|id| (id.clone(), major.to_owned()))
            .filter(|k| self.buckets.get(k).is_some_and(|b| b.reset_at > now))
            .collect();
        for k in &keys {
            let b = &self.buckets[k];
            if b.remaining == 0 {
                return Some((b.reset_at - now, k.0.clone()));
            }
        }
        for k in &keys {
            if let Some(b) = self.buckets.get_mut(k) {
                b.remaining -= 1;
            }
        }
        None
    }

    /// Whether a first request, sent before its route's bucket was known, is in flight on
    /// `major` for a route that turned out to use bucket `id`.
    fn route_probe_in_flight(&self, id: &str, major: &str) -> bool {
        self.routes
            .iter()
            .filter(|(_, r)| r.bucket.as_deref() == Some(id))
            .any(|(route, _)| {
                let key = (Scope::Route(route.clone()), major.to_owned());
                self.unknown.get(&key).is_some_and(|u| u.probing)
            })
    }

    /// First requests in flight on `major`, other than the caller's own.
    fn probes_on(&self, major: &str, own: bool) -> u32 {
        let n = self.probes.get(major).copied().unwrap_or(0);
        n.saturating_sub(u32::from(own))
    }

    fn new_bucket(
        &mut self,
        remaining: u32,
        limit: u32,
        reset_at: Instant,
        window: Duration,
    ) -> Bucket {
        self.next_id += 1;
        Bucket {
            remaining,
            limit,
            reset_at,
            window,
            seen: window,
            in_flight: 0,
            id: self.next_id,
        }
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

/// Held by a request let go on a known bucket until its answer has been recorded, so that a
/// new window leaves room for requests still in flight.
#[derive(Debug)]
pub(crate) struct Ticket<'a> {
    limiter: &'a RateLimiter,
    key: (String, String),
    id: u64,
}

impl Drop for Ticket<'_> {
    fn drop(&mut self) {
        let mut st = self.limiter.lock();
        if let Some(b) = st.buckets.get_mut(&self.key).filter(|b| b.id == self.id) {
            b.in_flight = b.in_flight.saturating_sub(1);
        }
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
    /// Send now (one request of the bucket's window is taken); keep the ticket, if any, until
    /// the answer's headers have been given to [`RateLimiter::update`].
    Go(Option<Ticket<'a>>),
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
            let probes = st.probes_on(&key.major, false);
            let bucket_key = (id.clone(), key.major.clone());
            if let Some(b) = st.buckets.get_mut(&bucket_key) {
                if b.reset_at <= now {
                    // A new window: assume the same limit and the length the last window's
                    // answers showed, until the next answer says otherwise, so a crowd of
                    // waiters does not all go at once. Requests still in flight, and first
                    // requests of other routes on this channel or guild, may land in it.
                    if !b.seen.is_zero() {
                        b.window = b.seen;
                    }
                    b.seen = Duration::ZERO;
                    b.reset_at = now + b.window;
                    let room = b.limit.saturating_sub(b.in_flight + probes);
                    if room == 0 {
                        // A whole window's worth is still unanswered: sit this window out.
                        b.remaining = 0;
                        return Permit::Wait {
                            wait: b.window,
                            bucket: Some(id.clone()),
                        };
                    }
                    b.remaining = room - 1;
                } else if b.remaining == 0 {
                    return Permit::Wait {
                        wait: b.reset_at - now,
                        bucket: Some(id.clone()),
                    };
                } else {
                    b.remaining -= 1;
                }
                b.in_flight += 1;
                let id = b.id;
                return Permit::Go(Some(Ticket {
                    limiter: self,
                    key: bucket_key,
                    id,
                }));
            }
        }
        let scope = bucket.map_or_else(|| Scope::Route(key.route.clone()), Scope::Bucket);
        // A route's bucket id may have been learnt elsewhere while its first request here is
        // still in flight: wait for that one instead of sending a second.
        if let Scope::Bucket(id) = &scope {
            if st.route_probe_in_flight(id, &key.major) {
                return Permit::AwaitProbe(self.probe_ended.notified());
            }
        }
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
            return Permit::Go(None);
        }
        // A route whose bucket is not known may share one with a route that is (GET and POST
        // `/channels/{id}/invites`): its first request takes a slot in every bucket known on
        // this channel or guild, or waits for the one that is used up.
        if matches!(probe_key.0, Scope::Route(_)) {
            if let Some((wait, bucket)) = st.claim_everywhere(&key.major, now) {
                return Permit::Wait {
                    wait,
                    bucket: Some(bucket),
                };
            }
        }
        if let Some(entry) = st.unknown.get_mut(&probe_key) {
            entry.probing = true;
        }
        *st.probes.entry(key.major.clone()).or_default() += 1;
        Permit::Probe(Probe {
            limiter: self,
            key: probe_key,
            route: key.route.clone(),
            answered: false,
        })
    }

    /// Learns from an answer's headers. `probe` / `ticket`: what the answering request still
    /// holds.
    ///
    /// Answers come back out of order and while other requests of the same window are still
    /// in flight, so an answer never *raises* what is left of a window the client is still
    /// in: `remaining` is the smaller of the local count and Discord's, and the reset the later
    /// of the two. Once the local window has passed (or for a new bucket), Discord's figures
    /// are taken less the other requests in flight that may still land in this window.
    pub(crate) fn update(
        &self,
        key: &RouteKey,
        info: &RateLimitInfo,
        probe: Option<&Probe<'_>>,
        ticket: Option<&Ticket<'_>>,
    ) {
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
        let probes = st.probes_on(&key.major, probe.is_some());
        let bucket_key = (bucket.clone(), key.major.clone());
        if let Some(b) = st.buckets.get_mut(&bucket_key) {
            if b.reset_at > now {
                b.remaining = b.remaining.min(remaining);
                b.reset_at = b.reset_at.max(reset_at);
            } else {
                let own = ticket.is_some_and(|t| t.key == bucket_key && t.id == b.id);
                let in_flight = b.in_flight.saturating_sub(u32::from(own)) + probes;
                b.remaining = remaining.saturating_sub(in_flight);
                b.reset_at = reset_at;
            }
            b.limit = limit;
            b.seen = b.seen.max(reset_after);
        } else {
            let b = st.new_bucket(
                remaining.saturating_sub(probes),
                limit,
                reset_at,
                reset_after,
            );
            st.buckets.insert(bucket_key, b);
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
            let bucket_key = (bucket, key.major.clone());
            if !st.buckets.contains_key(&bucket_key) {
                let b = st.new_bucket(0, 1, until, retry_after);
                st.buckets.insert(bucket_key.clone(), b);
            }
            if let Some(b) = st.buckets.get_mut(&bucket_key) {
                b.remaining = 0;
                b.reset_at = b.reset_at.max(until);
            }
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
mod tests;
