//! The bucket limiter's cases, on tokio's paused clock: twilight's (shared buckets, a
//! changed bucket id, stale cleanup) and the hardening issue's.

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
    rl.update(key, info, Some(&probe), None);
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
    assert!(matches!(rl.acquire(&key()), Permit::Go(_)));
    assert!(matches!(rl.acquire(&key()), Permit::Go(_)));
    assert_eq!(waits(rl.acquire(&key())), Some(Duration::from_millis(300)));
}

#[tokio::test(start_paused = true)]
async fn late_answers_do_not_reopen_a_window() {
    let rl = RateLimiter::default();
    learn(&rl, &key(), &info("b", 3, 2, 5_000));
    // Two more requests go out; the window is used up locally.
    assert!(matches!(rl.acquire(&key()), Permit::Go(_)));
    assert!(matches!(rl.acquire(&key()), Permit::Go(_)));
    assert!(matches!(rl.acquire(&key()), Permit::Wait { .. }));
    // The answer of the first of them arrives late, saying one is left: it was, before
    // the second went out. The client must not send a third.
    rl.update(&key(), &info("b", 3, 1, 4_000), None, None);
    assert!(matches!(rl.acquire(&key()), Permit::Wait { .. }));
    // A late answer with a short Reset-After neither shortens this window nor the next.
    rl.update(&key(), &info("b", 3, 0, 10), None, None);
    tokio::time::advance(Duration::from_millis(50)).await;
    assert_eq!(
        waits(rl.acquire(&key())),
        Some(Duration::from_millis(4_950))
    );
    tokio::time::advance(Duration::from_millis(4_950)).await;
    assert!(matches!(rl.acquire(&key()), Permit::Go(_)));
    assert!(matches!(rl.acquire(&key()), Permit::Go(_)));
    assert!(matches!(rl.acquire(&key()), Permit::Go(_)));
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
    rl.update(&key(), &info("b", 2, 1, 5_000), Some(&probe), None);
    probe.answered();
    drop(probe);
    assert!(matches!(rl.acquire(&key()), Permit::Go(_)));
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
    assert!(matches!(rl.acquire(&other), Permit::Go(_)));
    assert!(matches!(rl.acquire(&other), Permit::Go(_)));
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
    assert!(matches!(rl.acquire(&get("1")), Permit::Go(_)));
    assert!(matches!(rl.acquire(&post("1")), Permit::Wait { .. }));
    // Channel 2: one probe for both routes, since both are known to use "shared".
    let Permit::Probe(probe) = rl.acquire(&post("2")) else {
        panic!("probe")
    };
    assert!(matches!(rl.acquire(&get("2")), Permit::AwaitProbe(_)));
    rl.update(&post("2"), &info("shared", 3, 2, 5_000), Some(&probe), None);
    drop(probe);
    assert!(matches!(rl.acquire(&get("2")), Permit::Go(_)));
    assert!(matches!(rl.acquire(&post("2")), Permit::Go(_)));
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
    rl.update(&get, &info("shared", 2, 1, 5_000), Some(&get_probe), None);
    drop(get_probe);
    assert!(matches!(rl.acquire(&get), Permit::Wait { .. }));
    rl.update(&post, &info("shared", 2, 0, 5_000), Some(&post_probe), None);
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
        rl.update(&key(), &info(&format!("new-{i}"), 10, 9, 5_000), None, None);
    }
    assert_eq!(rl.entries(), 1);
    assert!(matches!(rl.acquire(&key()), Permit::Go(_)));
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
    assert!(matches!(rl.acquire(&key()), Permit::Go(_)));
    rl.update(&key(), &info("b", 5, 4, 1_000), None, None);
    for _ in 0..4 {
        assert!(matches!(rl.acquire(&key()), Permit::Go(_)));
    }
    // This window still ends when the assumed one does (answers never shorten it)…
    assert_eq!(waits(rl.acquire(&key())), Some(MAX_SERVER_WAIT));
    tokio::time::advance(MAX_SERVER_WAIT).await;
    // …but the next one is as long as the answers said: one second.
    for _ in 0..5 {
        assert!(matches!(rl.acquire(&key()), Permit::Go(_)));
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

/// Requests still in flight when a window rolls over may land in the next server window
/// (a slow network): the next window leaves room for them, and for first requests of
/// other routes still in flight on the same channel.
#[tokio::test(start_paused = true)]
async fn requests_in_flight_count_against_the_next_window() {
    let rl = RateLimiter::default();
    learn(&rl, &key(), &info("b", 2, 1, 1_000));
    let slow = rl.acquire(&key());
    assert!(matches!(slow, Permit::Go { .. }));
    assert!(matches!(rl.acquire(&key()), Permit::Wait { .. }));
    tokio::time::advance(Duration::from_secs(1)).await;
    // `slow` has not been answered: one of the two slots may be its.
    assert!(matches!(rl.acquire(&key()), Permit::Go { .. }));
    assert!(matches!(rl.acquire(&key()), Permit::Wait { .. }));
    drop(slow);

    // GET knows its bucket; POST's first request on the channel is still in flight.
    let get = RouteKey {
        route: "GET /channels/{channel_id}/invites".into(),
        major: "9".into(),
    };
    let post = RouteKey {
        route: "POST /channels/{channel_id}/invites".into(),
        major: "9".into(),
    };
    learn(&rl, &get, &info("c", 2, 1, 1_000));
    let post_probe = rl.acquire(&post);
    assert!(matches!(post_probe, Permit::Probe(_)));
    tokio::time::advance(Duration::from_secs(1)).await;
    assert!(matches!(rl.acquire(&get), Permit::Go { .. }));
    assert!(matches!(rl.acquire(&get), Permit::Wait { .. }));
    drop(post_probe);
}

/// A first request on a route whose bucket is unknown may land in a bucket already known
/// on its channel: it takes a slot there, or waits while that bucket is used up.
#[tokio::test(start_paused = true)]
async fn a_first_request_counts_in_the_channels_known_buckets() {
    let rl = RateLimiter::default();
    let get = RouteKey {
        route: "GET /channels/{channel_id}/invites".into(),
        major: "4".into(),
    };
    let post = RouteKey {
        route: "POST /channels/{channel_id}/invites".into(),
        major: "4".into(),
    };
    learn(&rl, &get, &info("shared", 3, 2, 1_000));
    let post_probe = rl.acquire(&post);
    assert!(matches!(post_probe, Permit::Probe(_)));
    assert!(matches!(rl.acquire(&get), Permit::Go(_)));
    assert!(matches!(rl.acquire(&get), Permit::Wait { .. }));
    drop(post_probe);
    // The used-up bucket holds back the next first request of the unknown route too.
    assert_eq!(
        waits(rl.acquire(&post)),
        Some(Duration::from_secs(1)),
        "waits for the reset"
    );
}

/// A first request sent before its route's bucket was known is still in flight when
/// another channel teaches the route's bucket id: the next request on this channel waits
/// for it rather than sending a second first request.
#[tokio::test(start_paused = true)]
async fn a_first_request_in_flight_is_not_doubled_when_the_bucket_id_arrives() {
    let rl = RateLimiter::default();
    let get = |major: &str| RouteKey {
        route: "GET /channels/{channel_id}/invites".into(),
        major: major.into(),
    };
    let first = rl.acquire(&get("14"));
    assert!(matches!(first, Permit::Probe(_)));
    learn(&rl, &get("1"), &info("shared", 2, 1, 1_000));
    assert!(matches!(rl.acquire(&get("14")), Permit::AwaitProbe(_)));
    drop(first);
    assert!(matches!(rl.acquire(&get("14")), Permit::Probe(_)));
}

/// Every request of the last window is still unanswered when it ends: the next window is sat
/// out rather than adding to whatever window they land in.
#[tokio::test(start_paused = true)]
async fn a_window_of_unanswered_requests_holds_the_next() {
    let rl = RateLimiter::default();
    learn(&rl, &key(), &info("b", 2, 2, 1_000));
    let a = rl.acquire(&key());
    let b = rl.acquire(&key());
    assert!(matches!((&a, &b), (Permit::Go(_), Permit::Go(_))));
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(waits(rl.acquire(&key())), Some(Duration::from_secs(1)));
    drop((a, b));
    tokio::time::advance(Duration::from_secs(1)).await;
    assert!(matches!(rl.acquire(&key()), Permit::Go(_)));
}
