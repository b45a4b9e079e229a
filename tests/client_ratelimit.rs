//! The rate limiter and the retry policy against servers that misbehave the way Discord (or
//! whatever sits in front of it) can: 429s without bucket headers, a shared bucket behind two
//! routes, absurd resets, a server that never answers, 5xx on a POST.
//!
//! Everything is counted on the server (requests, 429s, executions) or measured on tokio's
//! paused clock; nothing asserts on wall-clock time.
#![cfg(feature = "http")]

#[path = "support/raw_http.rs"]
mod raw_http;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use discord_invite::client::{Client, ClientBuilder, Error, ErrorKind, TargetUsers, Token};
use raw_http::{response, RawRequest, RawServer, Reply};

const TOKEN: &str = "ratelimit.test-token";
const INVITE: &str = include_str!("fixtures/docs/invite-object.json");

fn builder(base: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base)
        .allow_insecure_http(true)
        .token(Token::bot(TOKEN).unwrap())
        .retry_base_delay(Duration::from_millis(10))
}

fn json_headers(extra: &[String]) -> Vec<String> {
    let mut h = vec!["content-type: application/json".to_owned()];
    h.extend_from_slice(extra);
    h
}

/// Row "20 concurrent calls, 429s without `X-RateLimit-Bucket`": for its first 3 s the route
/// answers every request with a 429 that carries no rate-limit headers at all (as a proxy or
/// Cloudflare would), then 200s, again without headers. The first 429 must hold back every
/// caller on the route: one request per `retry_after`, not all 20 every second.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_429_without_bucket_headers_holds_back_the_whole_route() {
    #[derive(Default)]
    struct Seen {
        first: Option<Instant>,
        limited: usize,
        ok: HashMap<String, u32>,
    }
    let seen = Arc::new(Mutex::new(Seen::default()));
    let server = {
        let seen = seen.clone();
        RawServer::start(move |req: &RawRequest| {
            let now = Instant::now();
            let mut s = seen.lock().unwrap();
            let first = *s.first.get_or_insert(now);
            if now < first + Duration::from_secs(3) {
                s.limited += 1;
                return Reply::Full(response(
                    "429 Too Many Requests",
                    &json_headers(&["retry-after: 1".into()]),
                    br#"{"message": "You are being rate limited.", "retry_after": 1.0, "global": false}"#,
                ));
            }
            let (_, target) = req.method_and_target();
            let code = target.rsplit('/').next().unwrap_or_default().to_owned();
            *s.ok.entry(code.clone()).or_default() += 1;
            let body = INVITE.replace("0vCdhLbwjZZTWZLD", &code);
            Reply::Full(response("200 OK", &json_headers(&[]), body.as_bytes()))
        })
        .await
    };
    let client = builder(&server.uri())
        .max_retries(5)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for i in 0..20 {
        let client = client.clone();
        tasks.spawn(async move {
            let code = format!("call{i}");
            let got = client.invite_resolve(code.as_str()).send().await;
            (code, got.map(|inv| inv.code().to_owned()))
        });
    }
    let mut failures = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (code, got) = joined.unwrap();
        match got {
            Ok(answer) => assert_eq!(answer, code),
            Err(e) => failures.push(format!("{code}: {e}")),
        }
    }
    let s = seen.lock().unwrap();
    println!(
        "20 calls, 3 s of header-less 429s: {} requests, {} 429s",
        server.requests().len(),
        s.limited
    );
    assert!(failures.is_empty(), "{failures:?}");
    // One 429 per second of refusal (a couple more if a probe lands just before the end),
    // instead of 20 per second.
    assert!(s.limited <= 5, "{} 429s", s.limited);
    assert_eq!(s.ok.len(), 20);
    assert!(s.ok.values().all(|&n| n == 1), "{:?}", s.ok);
}

/// Row "GET and POST `/channels/{id}/invites` (one bucket)": Discord puts both routes of a
/// channel in one bucket. 25 channels, each hit by 3 GETs and 3 POSTs at once, all before the
/// client knows anything; the mock allows 2 requests per channel per 1 s window. Not one
/// request may go over the limit, not even in the first window.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn routes_that_share_a_bucket_never_overrun_it() {
    const LIMIT: u32 = 2;
    const WINDOW: Duration = Duration::from_secs(1);
    #[derive(Default)]
    struct Seen {
        windows: HashMap<String, (Instant, u32)>,
        limited: HashMap<String, u32>,
        executed: HashMap<String, u32>,
    }
    let seen = Arc::new(Mutex::new(Seen::default()));
    let template: serde_json::Value = serde_json::from_str(INVITE).unwrap();
    let server = {
        let seen = seen.clone();
        RawServer::start(move |req: &RawRequest| {
            let now = Instant::now();
            let (method, target) = req.method_and_target();
            let channel = target.split('/').nth(2).unwrap_or_default().to_owned();
            let mut s = seen.lock().unwrap();
            let (start, count) = s.windows.entry(channel.clone()).or_insert((now, 0));
            if now >= *start + WINDOW {
                *start = now;
                *count = 0;
            }
            let reset = (*start + WINDOW).saturating_duration_since(now);
            let reset = format!("{:.3}", (reset.as_micros() as f64 / 1000.0).ceil() / 1000.0);
            let mut headers = json_headers(&[
                "x-ratelimit-bucket: 5h4r3d-channel-invites".into(),
                format!("x-ratelimit-limit: {LIMIT}"),
                format!("x-ratelimit-reset-after: {reset}"),
            ]);
            if *count >= LIMIT {
                *s.limited.entry(channel).or_default() += 1;
                headers.push("x-ratelimit-remaining: 0".into());
                let body = format!(
                    r#"{{"message": "slow down", "retry_after": {reset}, "global": false}}"#
                );
                return Reply::Full(response("429 Too Many Requests", &headers, body.as_bytes()));
            }
            *count += 1;
            headers.push(format!("x-ratelimit-remaining: {}", LIMIT - *count));
            let tag = req
                .header("x-audit-log-reason")
                .unwrap_or_else(|| format!("{method} {target}"));
            *s.executed.entry(tag).or_default() += 1;
            let body = if method == "GET" {
                serde_json::to_vec(&[&template]).unwrap()
            } else {
                serde_json::to_vec(&template).unwrap()
            };
            Reply::Full(response("200 OK", &headers, &body))
        })
        .await
    };
    let client = builder(&server.uri())
        .max_retries(10)
        .timeout(Duration::from_secs(60))
        .build()
        .unwrap();
    let mut tasks = tokio::task::JoinSet::new();
    for channel in 1..=25u64 {
        for i in 0..3 {
            let c = client.clone();
            tasks.spawn(async move { c.list_channel_invites(channel).send().await.map(drop) });
            let c = client.clone();
            tasks.spawn(async move {
                c.create_channel_invite(channel)
                    .audit_log_reason(format!("post-{channel}-{i}"))
                    .send()
                    .await
                    .map(drop)
            });
        }
    }
    while let Some(joined) = tasks.join_next().await {
        joined.unwrap().unwrap();
    }
    let s = seen.lock().unwrap();
    let over: u32 = s.limited.values().sum();
    println!(
        "25 channels x (3 GET + 3 POST), one bucket per channel of {LIMIT}/s: {} requests, \
         {over} 429s on {} channels",
        server.requests().len(),
        s.limited.len()
    );
    assert_eq!(over, 0, "429s per channel: {:?}", s.limited);
    // Every POST executed exactly once.
    let posts: Vec<_> = s
        .executed
        .iter()
        .filter(|(k, _)| k.starts_with("post-"))
        .collect();
    assert_eq!(posts.len(), 75);
    assert!(posts.iter().all(|(_, &n)| n == 1));
}

/// Row "one 200 with `Remaining: 0`, `Reset-After: 1e300`": the bucket may be shut for at
/// most the cap on server-given waits (10 minutes), not for a day.
#[tokio::test]
async fn an_absurd_reset_is_capped() {
    let server = RawServer::start(|_: &RawRequest| {
        Reply::Full(response(
            "200 OK",
            &json_headers(&[
                "x-ratelimit-bucket: b".into(),
                "x-ratelimit-limit: 5".into(),
                "x-ratelimit-remaining: 0".into(),
                "x-ratelimit-reset-after: 1e300".into(),
            ]),
            b"[]",
        ))
    })
    .await;
    let client = builder(&server.uri()).build().unwrap();
    let first = client.list_guild_invites(1).send_with_meta().await.unwrap();
    let reset = first.rate_limit().unwrap().reset_after().unwrap();
    assert!(reset <= Duration::from_secs(600), "{reset:?}");
    // The next call cannot wait that long: it fails at once, nothing sent, and says how long.
    let err = client.list_guild_invites(1).send().await.unwrap_err();
    let Error::RateLimited(rl) = &err else {
        panic!("{err:?}")
    };
    assert!(rl.retry_after() <= Duration::from_secs(600), "{rl:?}");
    assert_eq!(server.requests().len(), 1);
}

/// Row "10 calls, `timeout(2 s)`, server never answers": one deadline per call covers the time
/// queued behind the first request of an unknown bucket, so all ten fail at 2 s (on tokio's
/// paused clock), not at 2, 4, … 20 s. The listener accepts connections in the kernel's
/// backlog and never reads: a server that never answers.
#[tokio::test(start_paused = true)]
async fn one_deadline_covers_the_time_queued_in_the_limiter() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let client = builder(&base)
        .timeout(Duration::from_secs(2))
        .build()
        .unwrap();
    let start = tokio::time::Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..10 {
        let client = client.clone();
        tasks.spawn(async move {
            let err = client.list_guild_invites(1).send().await.unwrap_err();
            (err.kind(), start.elapsed())
        });
    }
    let mut took = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        let (kind, elapsed) = joined.unwrap();
        assert_eq!(kind, ErrorKind::Timeout);
        took.push(elapsed);
    }
    took.sort();
    println!("10 calls against a silent server, timeout 2 s: failed after {took:?} (paused clock)");
    assert!(
        took.iter().all(|t| *t <= Duration::from_millis(2_010)),
        "{took:?}"
    );
    drop(listener);
}

/// Row "503 on POST create": the retry policy is one table per status class and method.
/// A POST is retried only where the server cannot have acted (429); idempotent GET, PUT and
/// DELETE also retry 500, 502, 503, 504 and 520–524.
#[tokio::test]
async fn five_hundreds_are_retried_only_for_idempotent_methods() {
    let statuses: Arc<Mutex<HashMap<String, Vec<&'static str>>>> = Arc::default();
    let server = {
        let statuses = statuses.clone();
        RawServer::start(move |req: &RawRequest| {
            let (method, target) = req.method_and_target();
            let key = format!("{method} {target}");
            let mut all = statuses.lock().unwrap();
            let script = all.entry(key).or_default();
            // Each route answers its scripted statuses in turn, then 200.
            let next = if script.is_empty() {
                "200 OK"
            } else {
                script.remove(0)
            };
            let body: &[u8] = match (method.as_str(), next) {
                (_, "200 OK") if target.ends_with("target-users") => b"",
                ("GET", "200 OK") if target.starts_with("/guilds") => b"[]",
                (_, "200 OK") => INVITE.as_bytes(),
                (_, s) if s.starts_with("429") => {
                    br#"{"message": "slow down", "retry_after": 0.01, "global": false}"#
                }
                _ => b"upstream trouble",
            };
            let status = if next == "200 OK" && target.ends_with("target-users") {
                "204 No Content"
            } else {
                next
            };
            Reply::Full(response(status, &json_headers(&[]), body))
        })
        .await
    };
    let script = |key: &str, list: &[&'static str]| {
        statuses
            .lock()
            .unwrap()
            .insert(key.to_owned(), list.to_vec());
    };
    let client = builder(&server.uri()).max_retries(6).build().unwrap();
    let count = |prefix: &str| {
        server
            .requests()
            .iter()
            .filter(|r| r.line().starts_with(prefix))
            .count()
    };

    // POST: a 503 (or any 5xx) may have been acted on, so it is sent once and returned.
    for status in [
        "503 Service Unavailable",
        "500 Internal Server Error",
        "502 Bad Gateway",
    ] {
        script("POST /channels/7/invites", &[status]);
        let before = count("POST /channels/7/invites");
        let err = client.create_channel_invite(7).send().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Api);
        assert_eq!(
            count("POST /channels/7/invites") - before,
            1,
            "{status} sent more than once"
        );
    }
    // POST after a 429: Discord did not act, so it is retried.
    script("POST /channels/8/invites", &["429 Too Many Requests"]);
    client.create_channel_invite(8).send().await.unwrap();
    assert_eq!(count("POST /channels/8/invites"), 2);

    // GET, PUT and DELETE retry the whole 5xx class of transient answers.
    script(
        "GET /guilds/9/invites",
        &[
            "500 Internal Server Error",
            "502 Bad Gateway",
            "503 Service Unavailable",
            "504 Gateway Timeout",
            "520 Unknown Error",
            "524 A Timeout Occurred",
        ],
    );
    client.list_guild_invites(9).send().await.unwrap();
    assert_eq!(count("GET /guilds/9/invites"), 7);
    script(
        "DELETE /invites/abc",
        &["502 Bad Gateway", "500 Internal Server Error"],
    );
    client.invite_revoke("abc").send().await.unwrap();
    assert_eq!(count("DELETE /invites/abc"), 3);
    script(
        "PUT /invites/abc/target-users",
        &["503 Service Unavailable"],
    );
    client
        .update_invite_target_users("abc", TargetUsers::from_ids([1u64]))
        .send()
        .await
        .unwrap();
    assert_eq!(count("PUT /invites/abc/target-users"), 2);
    // Not transient: 501 and 4xx are never retried.
    script("GET /guilds/10/invites", &["501 Not Implemented"]);
    let err = client.list_guild_invites(10).send().await.unwrap_err();
    assert_eq!(err.status(), Some(501));
    assert_eq!(count("GET /guilds/10/invites"), 1);
}
