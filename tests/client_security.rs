//! Hardening, security part: what reaches the wire, checked on the raw bytes.
//!
//! The server here is a few lines of tokio TCP (`support/raw_http.rs`) that records each
//! request line and header block exactly as received, so nothing is normalised by an HTTP
//! library before the assertions see it. Everything runs on 127.0.0.1 with bounded counts
//! and generous time limits.
#![cfg(feature = "http")]

#[path = "support/raw_http.rs"]
mod raw_http;

use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, Once};
use std::time::Duration;

use discord_invite::client::{Client, ClientBuilder, Error, ErrorKind, TargetUsers, Token};
use discord_invite::{CreateGuildInviteRequest, Nullable};
use raw_http::{response, RawRequest, RawServer, Reply};

/// Distinctive enough that any appearance in any output is a leak.
const SECRET: &str = "MTk4NjIyNDgzNDcxOTI1MjQ4.Gx0leak.SECRET-never-print-me";
const INVITE: &str = include_str!("fixtures/docs/invite-object.json");
/// Every test gets this long at most.
const LIMIT: Duration = Duration::from_secs(60);

fn ok_invite() -> Reply {
    Reply::Full(response(
        "200 OK",
        &["content-type: application/json".into()],
        INVITE.as_bytes(),
    ))
}

fn builder(base: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base)
        .allow_insecure_http(true)
        .token(Token::bot(SECRET).unwrap())
        .retry_base_delay(Duration::from_millis(10))
        .timeout(Duration::from_secs(20))
}

/// `A-Z a-z 0-9 - . _ ~` kept, every other UTF-8 byte as `%XX`: an independent statement of
/// how the audit-log reason must look on the wire.
fn expected_encoding(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            write!(out, "%{b:02X}").unwrap();
        }
    }
    out
}

/// Header names a request may carry; anything else would be an injected header.
const ALLOWED_HEADERS: &[&str] = &[
    "host",
    "user-agent",
    "accept",
    "authorization",
    "x-audit-log-reason",
    "content-type",
    "content-length",
];

/// Every header line is `name: value` with a known name and only visible ASCII or spaces; no
/// CR, LF or NUL survives into the header block.
fn assert_clean_headers(req: &RawRequest) {
    let head = &req.head;
    for (i, &b) in head.iter().enumerate() {
        let crlf = (b == b'\r' && head.get(i + 1) == Some(&b'\n'))
            || (b == b'\n' && i > 0 && head[i - 1] == b'\r');
        assert!(
            crlf || b == b' ' || b.is_ascii_graphic(),
            "byte {b:#04x} at {i} in {:?}",
            String::from_utf8_lossy(head)
        );
    }
    let mut names = Vec::new();
    for line in req.header_lines() {
        let text = String::from_utf8(line).unwrap();
        let (name, _) = text.split_once(':').expect(&text);
        let name = name.to_ascii_lowercase();
        assert!(
            ALLOWED_HEADERS.contains(&name.as_str()),
            "unexpected header {text:?}"
        );
        assert!(!names.contains(&name), "header {name} twice");
        names.push(name);
    }
}

fn hostile_codes() -> Vec<String> {
    let mut codes: Vec<String> = [
        "",
        ".",
        "..",
        "../users/@me",
        "abc/../../users/@me",
        "a/b",
        "abc/",
        "%2e%2e",
        "%2e%2e%2f",
        "..%2F",
        "%2F",
        "%252e%252e%252f",
        "..\\..\\",
        "abc%00",
        "abc\0",
        "abc\0def",
        "abc\r\nX-Injected: 1",
        "abc\nX-Injected: 1",
        "abc\r",
        "abc HTTP/1.1\r\nHost: evil.example\r\n\r\nGET /x",
        "abc?with_counts=true",
        "abc#frag",
        "abc;x=1",
        "ab c",
        "\t",
        "@me",
        "~",
        "\u{ff41}\u{ff42}\u{ff43}",
        "\u{2025}",
        "\u{ff0f}",
        "caf\u{e9}",
        "https://discord.gg/abc",
        "//evil.example/abc",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    codes.push("a".repeat(65));
    codes.push("a".repeat(1_000_000));
    codes.push("../".repeat(10_000));
    codes
}

/// Every code-taking operation: each hostile code is refused before sending, so the server
/// never even sees a connection.
#[tokio::test]
async fn hostile_invite_codes_produce_no_request_at_all() {
    let server = RawServer::start(|_| ok_invite()).await;
    let client = builder(&format!("{}/api/v10", server.uri()))
        .build()
        .unwrap();
    let codes = hostile_codes();
    tokio::time::timeout(LIMIT, async {
        for code in &codes {
            let shown: String = code.chars().take(40).collect();
            let errs = [
                client.invite_resolve(code.as_str()).send().await.map(drop),
                client.invite_revoke(code.as_str()).send().await.map(drop),
                client
                    .get_invite_target_users(code.as_str())
                    .send()
                    .await
                    .map(drop),
                client
                    .get_invite_target_users_job_status(code.as_str())
                    .send()
                    .await
                    .map(drop),
                client
                    .update_invite_target_users(code.as_str(), TargetUsers::from_ids([1u64]))
                    .send()
                    .await
                    .map(drop),
            ];
            for (op, r) in errs.into_iter().enumerate() {
                let err = r.expect_err(&shown);
                assert_eq!(err.kind(), ErrorKind::InvalidArgument, "op {op}: {shown:?}");
                // The error names the argument but never echoes the hostile value.
                let text = err.to_string();
                assert!(text.contains("`code`"), "{text}");
                if code.len() > 3 {
                    assert!(!text.contains(code.as_str()), "{text}");
                }
            }
        }
    })
    .await
    .expect("bounded");
    assert!(server.requests().is_empty(), "{:?}", server.requests());
    assert_eq!(server.connections(), 0);

    // Well-formed codes, for contrast, go out exactly as expected.
    let longest = "a".repeat(64);
    client
        .invite_resolve("discord-developers")
        .with_counts(true)
        .send()
        .await
        .unwrap();
    client
        .invite_resolve(longest.as_str())
        .send()
        .await
        .unwrap();
    client
        .invite_revoke("0vCdhLbwjZZTWZLD")
        .send()
        .await
        .unwrap();
    let lines: Vec<String> = server.requests().iter().map(RawRequest::line).collect();
    assert_eq!(
        lines,
        [
            "GET /api/v10/invites/discord-developers?with_counts=true HTTP/1.1".to_owned(),
            format!("GET /api/v10/invites/{longest} HTTP/1.1"),
            "DELETE /api/v10/invites/0vCdhLbwjZZTWZLD HTTP/1.1".to_owned(),
        ]
    );
    for req in server.requests() {
        assert_clean_headers(&req);
    }
}

/// Audit-log reasons: within 1..=512 characters anything goes, percent-encoded into one
/// header line; the request line never changes and no extra request or header appears.
/// Overlong reasons are refused before sending.
#[tokio::test]
async fn hostile_reasons_are_encoded_or_refused() {
    let server = RawServer::start(|_| ok_invite()).await;
    let client = builder(&server.uri()).build().unwrap();
    let accepted: Vec<String> = [
        "a\r\nAuthorization: Bot stolen",
        "x\nHost: evil.example",
        "\r\n\r\nGET /users/@me HTTP/1.1\r\nHost: evil",
        "nul\0byte",
        "%0d%0a already encoded?",
        "../../users/@me",
        "caf\u{e9} \u{1f600} \u{202e}rtl",
        "\u{85}\u{2028}\u{2029} unicode line breaks",
        "tab\there",
        "plain reason",
    ]
    .into_iter()
    .map(str::to_owned)
    .chain(["r".repeat(512), "\u{e9}".repeat(512), "\r\n".repeat(256)])
    .collect();
    let refused = [
        String::new(),
        "r".repeat(513),
        "\n".repeat(513),
        "x".repeat(1_000_000),
    ];
    tokio::time::timeout(LIMIT, async {
        for reason in &accepted {
            client
                .invite_revoke("abc")
                .audit_log_reason(reason.as_str())
                .send()
                .await
                .unwrap();
            client
                .create_channel_invite(7)
                .audit_log_reason(reason.as_str())
                .body(CreateGuildInviteRequest {
                    max_age: Nullable::Value(60),
                    ..Default::default()
                })
                .send()
                .await
                .unwrap();
        }
        for reason in &refused {
            let err = client
                .invite_revoke("abc")
                .audit_log_reason(reason.as_str())
                .send()
                .await
                .unwrap_err();
            assert_eq!(err.kind(), ErrorKind::InvalidArgument);
            assert!(err.to_string().contains("X-Audit-Log-Reason"), "{err}");
        }
    })
    .await
    .expect("bounded");

    let reqs = server.requests();
    assert_eq!(
        reqs.len(),
        2 * accepted.len(),
        "one request per accepted call"
    );
    for (i, reason) in accepted.iter().enumerate() {
        let (delete, post) = (&reqs[2 * i], &reqs[2 * i + 1]);
        assert_eq!(delete.line(), "DELETE /invites/abc HTTP/1.1");
        assert_eq!(post.line(), "POST /channels/7/invites HTTP/1.1");
        for req in [delete, post] {
            assert_clean_headers(req);
            assert_eq!(
                req.header("x-audit-log-reason").as_deref(),
                Some(expected_encoding(reason).as_str())
            );
            assert_eq!(
                req.header("authorization").as_deref(),
                Some(format!("Bot {SECRET}").as_str())
            );
        }
        assert!(delete.body.is_empty());
        assert_eq!(post.body, br#"{"max_age":60}"#);
    }
}

/// A plain-http base URL is refused unless the builder opts in; nothing connects.
#[tokio::test]
async fn plain_http_needs_an_explicit_opt_in() {
    let server = RawServer::start(|_| ok_invite()).await;
    for base in [
        server.uri(),
        server.uri().replace("http://", "HTTP://"),
        format!("{}/api/v10", server.uri()),
    ] {
        for explicit_off in [false, true] {
            let mut b = Client::builder()
                .base_url(base.as_str())
                .token(Token::bot(SECRET).unwrap());
            if explicit_off {
                b = b.allow_insecure_http(false);
            }
            let err = b.build().unwrap_err();
            assert_eq!(err.kind(), ErrorKind::Config, "{base}");
            assert!(err.to_string().contains("https"), "{err}");
        }
    }
    assert!(
        Client::builder().build().is_ok(),
        "the default base URL is https"
    );
    assert!(discord_invite::client::DEFAULT_BASE_URL.starts_with("https://"));
    for other in ["ws://127.0.0.1:1", "file:///etc/passwd", "ftp://127.0.0.1/"] {
        let err = Client::builder()
            .base_url(other)
            .allow_insecure_http(true)
            .build()
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::Config, "{other}");
    }
    assert_eq!(server.connections(), 0);
    // With the opt-in (tests only), the same URL works.
    let client = builder(&server.uri()).build().unwrap();
    client.invite_resolve("abc").send().await.unwrap();
    assert_eq!(server.requests().len(), 1);
}

/// 301/302/303/307/308 to another 127.0.0.1 port: not followed, so the second server never
/// sees a request (and so never the Authorization header); the caller gets the 3xx.
#[tokio::test]
async fn redirects_to_another_host_are_never_followed() {
    let elsewhere = RawServer::start(|_| ok_invite()).await;
    let target = format!("{}/invites/abc", elsewhere.uri());
    let server = RawServer::start(move |req| {
        let (_, path) = req.method_and_target();
        let status = match path.rsplit('/').next().unwrap_or_default() {
            "invites" => "307 Temporary Redirect",
            _ => "301 Moved Permanently",
        };
        Reply::Full(response(status, &[format!("location: {target}")], b""))
    })
    .await;
    let same_host = RawServer::start(|req| {
        let (_, path) = req.method_and_target();
        if path.ends_with("/moved") {
            Reply::Full(response(
                "308 Permanent Redirect",
                &["location: /elsewhere".into()],
                b"",
            ))
        } else {
            ok_invite()
        }
    })
    .await;
    let client = builder(&server.uri()).build().unwrap();
    tokio::time::timeout(LIMIT, async {
        let err = client.invite_resolve("abc").send().await.unwrap_err();
        assert_eq!(err.status(), Some(301));
        let err = client.list_channel_invites(1).send().await.unwrap_err();
        assert_eq!(err.status(), Some(307));
        let err = client
            .create_channel_invite(1)
            .audit_log_reason("r")
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(307));
        let err = client.invite_revoke("abc").send().await.unwrap_err();
        assert_eq!(err.status(), Some(301));
        for text in [err.to_string(), format!("{err:?}")] {
            assert!(!text.contains(SECRET), "{text}");
        }
        // Not even a redirect to the same host is followed.
        let err = builder(&same_host.uri())
            .build()
            .unwrap()
            .invite_resolve("moved")
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.status(), Some(308));
    })
    .await
    .expect("bounded");
    assert_eq!(server.requests().len(), 4);
    assert_eq!(same_host.requests().len(), 1);
    assert!(elsewhere.requests().is_empty());
    assert_eq!(elsewhere.connections(), 0);
}

const MIB: usize = 1024 * 1024;

/// A 64 MiB body against a 1 MiB cap: a clear `ResponseTooLarge`, whether the length is
/// announced, chunked or delimited by closing the connection, on success and error statuses.
/// The client stops reading at the cap and hangs up, so the server cannot push the rest:
/// what it manages to write is bounded by the cap plus socket buffers.
#[tokio::test]
async fn oversized_bodies_stop_at_the_cap() {
    let written = Arc::new(AtomicUsize::new(0));
    let w = written.clone();
    let server = RawServer::start(move |req| {
        let (_, path) = req.method_and_target();
        let (status, framing) = match path.rsplit('/').next().unwrap_or_default() {
            "announced" => ("200 OK", "content-length: 67108864\r\n"),
            "chunked" => ("200 OK", "transfer-encoding: chunked\r\n"),
            "closed" => ("200 OK", "connection: close\r\n"),
            _ => ("404 Not Found", "transfer-encoding: chunked\r\n"),
        };
        Reply::Stream {
            head: format!("HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{framing}\r\n")
                .into_bytes(),
            total: 64 * MIB,
            chunked: framing.contains("chunked"),
            written: w.clone(),
        }
    })
    .await;
    let client = builder(&server.uri())
        .max_response_bytes(MIB)
        .max_retries(0)
        .build()
        .unwrap();
    for code in ["announced", "chunked", "closed", "error-status"] {
        written.store(0, Ordering::SeqCst);
        let started = std::time::Instant::now();
        let err = tokio::time::timeout(LIMIT, client.invite_resolve(code).send())
            .await
            .expect("bounded")
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::ResponseTooLarge, "{code}: {err}");
        assert_eq!(
            err.to_string(),
            "the response body is larger than the 1048576-byte cap"
        );
        let took = started.elapsed();
        // Give the server a moment to notice the hang-up, then check it got nowhere near 64 MiB.
        tokio::time::sleep(Duration::from_millis(200)).await;
        let sent = written.load(Ordering::SeqCst);
        println!(
            "{code}: ResponseTooLarge after {took:.2?}; server wrote {:.1} MiB of 64 MiB",
            sent as f64 / MIB as f64
        );
        assert!(sent < 32 * MIB, "{code}: the server wrote {sent} bytes");
    }
}

// ---------------------------------------------------------------------------------------------
// The token: nowhere in Debug, Display, errors, logs, tracing events or panic messages.

static LOG_LINES: Mutex<Vec<String>> = Mutex::new(Vec::new());
static PANICS: Mutex<Vec<String>> = Mutex::new(Vec::new());

struct LogCapture;

impl log::Log for LogCapture {
    fn enabled(&self, _: &log::Metadata<'_>) -> bool {
        true
    }
    fn log(&self, record: &log::Record<'_>) {
        let line = format!(
            "log {} {}: {}",
            record.level(),
            record.target(),
            record.args()
        );
        LOG_LINES.lock().unwrap().push(line);
    }
    fn flush(&self) {}
}

static LOGGER: LogCapture = LogCapture;

/// A `tracing` subscriber that keeps every span and event, fields included, as text.
struct TraceCapture {
    next_id: std::sync::atomic::AtomicU64,
}

struct Fields(String);

impl tracing::field::Visit for Fields {
    fn record_debug(&mut self, field: &tracing::field::Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
}

impl tracing::Subscriber for TraceCapture {
    fn register_callsite(
        &self,
        _: &'static tracing::Metadata<'static>,
    ) -> tracing::subscriber::Interest {
        tracing::subscriber::Interest::always()
    }
    fn enabled(&self, _: &tracing::Metadata<'_>) -> bool {
        true
    }
    fn max_level_hint(&self) -> Option<tracing::level_filters::LevelFilter> {
        Some(tracing::level_filters::LevelFilter::TRACE)
    }
    fn new_span(&self, span: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        let mut f = Fields(format!("span {}:", span.metadata().name()));
        span.record(&mut f);
        LOG_LINES.lock().unwrap().push(f.0);
        tracing::span::Id::from_u64(self.next_id.fetch_add(1, Ordering::SeqCst) + 1)
    }
    fn record(&self, _: &tracing::span::Id, values: &tracing::span::Record<'_>) {
        let mut f = Fields("span record:".into());
        values.record(&mut f);
        LOG_LINES.lock().unwrap().push(f.0);
    }
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        let mut f = Fields(format!("event {}:", event.metadata().target()));
        event.record(&mut f);
        LOG_LINES.lock().unwrap().push(f.0);
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

fn install_capture() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        log::set_logger(&LOGGER).unwrap();
        log::set_max_level(log::LevelFilter::Trace);
        tracing::subscriber::set_global_default(TraceCapture {
            next_id: std::sync::atomic::AtomicU64::new(0),
        })
        .unwrap();
        let default_hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            PANICS.lock().unwrap().push(info.to_string());
            default_hook(info);
        }));
    });
}

/// Display, Debug, alternate Debug and the `source()` chain of an error.
fn error_texts(err: &Error) -> Vec<String> {
    let mut out = vec![err.to_string(), format!("{err:?}"), format!("{err:#?}")];
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        out.push(s.to_string());
        out.push(format!("{s:?}"));
        source = s.source();
    }
    out
}

#[tokio::test]
async fn the_token_appears_in_no_output() {
    install_capture();
    let server = RawServer::start(|req| {
        let (_, target) = req.method_and_target();
        let code = target.rsplit('/').next().unwrap_or_default().to_owned();
        let json = ["content-type: application/json".to_owned()];
        match code.split('?').next().unwrap_or_default() {
            "notfound" => Reply::Full(response(
                "404 Not Found",
                &json,
                br#"{"message": "Unknown Invite", "code": 10006}"#,
            )),
            "unauthorized" => Reply::Full(response(
                "401 Unauthorized",
                &json,
                br#"{"message": "401: Unauthorized", "code": 0}"#,
            )),
            "unavailable" => Reply::Full(response("503 Service Unavailable", &[], b"down")),
            "limited" => Reply::Full(response(
                "429 Too Many Requests",
                &[
                    "retry-after: 3600".into(),
                    "x-ratelimit-bucket: b1".into(),
                    "x-ratelimit-limit: 5".into(),
                    "x-ratelimit-remaining: 0".into(),
                    "x-ratelimit-reset-after: 3600".into(),
                    "content-type: application/json".into(),
                ],
                br#"{"message": "You are being rate limited.", "retry_after": 3600, "global": false}"#,
            )),
            "garbled" => Reply::Full(response("200 OK", &json, b"{\"code\": ")),
            "huge" => Reply::Full(response("200 OK", &json, &vec![b' '; 4096])),
            "redirect" => Reply::Full(response(
                "307 Temporary Redirect",
                &["location: http://127.0.0.1:1/steal".into()],
                b"",
            )),
            "hangup" => Reply::Close(Vec::new()),
            "nonsense" => Reply::Close(b"NOT HTTP AT ALL\r\n\r\n".to_vec()),
            "slow" => Reply::Hang(Duration::from_secs(30)),
            _ => Reply::Full(response(
                "200 OK",
                &[
                    "x-ratelimit-bucket: b2".into(),
                    "x-ratelimit-limit: 5".into(),
                    "x-ratelimit-remaining: 4".into(),
                    "x-ratelimit-reset-after: 1".into(),
                    "content-type: application/json".into(),
                ],
                INVITE.as_bytes(),
            )),
        }
    })
    .await;
    let token = Token::bot(SECRET).unwrap();
    let b = builder(&server.uri())
        .max_retries(1)
        .max_response_bytes(1024)
        .timeout(Duration::from_secs(5));
    let client = b.clone().build().unwrap();
    let mut outputs: Vec<String> = vec![
        format!("{token:?}"),
        format!("{token:#?}"),
        format!("{b:?}"),
        format!("{b:#?}"),
        format!("{client:?}"),
        format!("{client:#?}"),
        format!("{:?}", client.invite_revoke("abc").audit_log_reason("r")),
        format!("{:?}", Token::bearer(SECRET).unwrap()),
    ];

    let mut kinds = Vec::new();
    let record = |kinds: &mut Vec<ErrorKind>, outputs: &mut Vec<String>, err: Error| {
        kinds.push(err.kind());
        outputs.extend(error_texts(&err));
    };
    let run = async {
        let ok = client
            .invite_resolve("fine")
            .send_with_meta()
            .await
            .unwrap();
        outputs.push(format!("{ok:?}"));
        outputs.push(format!("{ok:#?}"));
        for code in [
            "notfound",
            "unauthorized",
            "unavailable",
            "limited",
            "garbled",
            "huge",
            "redirect",
            "hangup",
            "nonsense",
            "slow",
            "bad/code",
        ] {
            // A fresh client each time: the 429's hour-long bucket must not hold up the rest.
            let client = b.clone().build().unwrap();
            let err = client.invite_revoke(code).send().await.unwrap_err();
            record(&mut kinds, &mut outputs, err);
        }
        let err = client
            .invite_revoke("abc")
            .audit_log_reason("x".repeat(513))
            .send()
            .await
            .unwrap_err();
        record(&mut kinds, &mut outputs, err);
        let err = client
            .create_channel_invite(1)
            .body(CreateGuildInviteRequest {
                max_uses: Nullable::Value(101),
                ..Default::default()
            })
            .send()
            .await
            .unwrap_err();
        record(&mut kinds, &mut outputs, err);
        // Nothing listening: connection refused.
        let port = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap().port()
        };
        let refused = builder(&format!("http://127.0.0.1:{port}"))
            .build()
            .unwrap();
        let err = refused.list_guild_invites(1).send().await.unwrap_err();
        record(&mut kinds, &mut outputs, err);
        // Configuration errors with the token already set.
        for bad in [
            Client::builder()
                .token(token.clone())
                .base_url(server.uri())
                .build(),
            Client::builder()
                .token(token.clone())
                .base_url("not a url")
                .build(),
            Client::builder()
                .token(token.clone())
                .user_agent("x\r\ny")
                .build(),
        ] {
            record(&mut kinds, &mut outputs, bad.unwrap_err());
        }
        // A bad token is refused without quoting it.
        let err = Token::bot(format!("{SECRET}\r\nX: y")).unwrap_err();
        record(&mut kinds, &mut outputs, err);
        let err = Token::bot(format!("{SECRET} tail")).unwrap_err();
        record(&mut kinds, &mut outputs, err);
        // The raw token passed to a checker that refuses it must not come back either.
        let err = client.invite_resolve(SECRET).send().await.unwrap_err();
        record(&mut kinds, &mut outputs, err);
    };
    tokio::time::timeout(LIMIT, run).await.expect("bounded");

    use ErrorKind::*;
    for kind in [
        Api,
        RateLimited,
        Decode,
        ResponseTooLarge,
        Transport,
        Timeout,
        InvalidArgument,
        Config,
    ] {
        assert!(kinds.contains(&kind), "{kind:?} not provoked: {kinds:?}");
    }
    // The token did go out, in the Authorization header only.
    let reqs = server.requests();
    assert!(!reqs.is_empty());
    for req in &reqs {
        assert_eq!(
            req.header("authorization").as_deref(),
            Some(format!("Bot {SECRET}").as_str())
        );
        assert!(!req.line().contains(SECRET));
    }

    let logs = LOG_LINES.lock().unwrap().clone();
    let panics = PANICS.lock().unwrap().clone();
    println!(
        "searched {} Debug/Display/error texts, {} log and tracing records, {} panic messages; \
         error kinds provoked: {kinds:?}",
        outputs.len(),
        logs.len(),
        panics.len()
    );
    // The token whole, its two ends, and its bytes as `Debug` of a byte slice prints them.
    let bytes = format!("{:?}", &SECRET.as_bytes()[..12]);
    let needles = [
        SECRET,
        &SECRET[..20],
        &SECRET[SECRET.len() - 20..],
        bytes.trim_matches(['[', ']']),
    ];
    for text in outputs.iter().chain(&logs).chain(&panics) {
        for needle in needles {
            assert!(!text.contains(needle), "token leaked: {text}");
        }
    }
    // No client path panicked (a panic here would have been recorded by the hook).
    assert!(
        panics.iter().all(|p| !p.contains("src/client")),
        "{panics:?}"
    );
}
