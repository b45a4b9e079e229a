//! The HTTP client against a wiremock server on 127.0.0.1: every operation's method, path,
//! query, headers and body, the decoding of the answers, and the failure scenarios (rate
//! limits, retries, errors, timeouts, hostile input). Timing checks are loose lower bounds only.
#![cfg(feature = "http")]

use std::time::{Duration, Instant};

use discord_invite::client::{
    Client, ClientBuilder, ErrorCode, ErrorKind, TargetUsers, Token, DEFAULT_USER_AGENT,
};
use discord_invite::{
    CreateGroupDmInviteRequest, CreateGuildInviteRequest, InviteTargetType, Nullable, Snowflake,
};
use serde_json::{json, Value};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "test.token-secret";
const INVITE: &str = include_str!("fixtures/docs/invite-object.json");
const JOB_STATUS: &str = include_str!("fixtures/docs/target-users-job-status-response.json");
const VANITY: &str = include_str!("fixtures/docs/guild-vanity-url-partial-invite.json");

fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .retry_base_delay(Duration::from_millis(20))
        .timeout(Duration::from_secs(10))
}

fn client(server: &MockServer) -> Client {
    builder(server)
        .token(Token::bot(TOKEN).unwrap())
        .build()
        .unwrap()
}

fn invite_json() -> Value {
    serde_json::from_str(INVITE).unwrap()
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

fn header_of<'a>(req: &'a Request, name: &str) -> Option<&'a str> {
    req.headers.get(name).and_then(|v| v.to_str().ok())
}

fn assert_common_headers(req: &Request) {
    assert_eq!(
        header_of(req, "authorization"),
        Some("Bot test.token-secret")
    );
    assert_eq!(header_of(req, "user-agent"), Some(DEFAULT_USER_AGENT));
}

/// The multipart parts of a request as (name, content type, body).
fn multipart_parts(req: &Request) -> Vec<(String, Option<String>, String)> {
    let ct = header_of(req, "content-type").unwrap_or_default();
    assert!(ct.starts_with("multipart/form-data"), "{ct}");
    let boundary = ct.split("boundary=").nth(1).unwrap().trim_matches('"');
    let body = String::from_utf8(req.body.clone()).unwrap();
    let mut out = Vec::new();
    for chunk in body.split(&format!("--{boundary}")) {
        let Some((head, content)) = chunk.split_once("\r\n\r\n") else {
            continue;
        };
        let name = head
            .split("name=\"")
            .nth(1)
            .and_then(|s| s.split('"').next())
            .unwrap()
            .to_owned();
        let ctype = head
            .lines()
            .find_map(|l| {
                l.strip_prefix("Content-Type: ")
                    .or(l.strip_prefix("content-type: "))
            })
            .map(str::to_owned);
        out.push((name, ctype, content.trim_end_matches("\r\n").to_owned()));
    }
    out
}

#[tokio::test]
async fn invite_resolve_sends_query_and_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invites/0vCdhLbwjZZTWZLD"))
        .and(query_param("with_counts", "true"))
        .and(query_param("guild_scheduled_event_id", "11"))
        .and(query_param("target_channel_id", "22"))
        .and(query_param("target_message_id", "33"))
        .respond_with(ResponseTemplate::new(200).set_body_string(INVITE))
        .expect(1)
        .mount(&server)
        .await;
    let res = client(&server)
        .invite_resolve("0vCdhLbwjZZTWZLD")
        .with_counts(true)
        .guild_scheduled_event_id(11)
        .target_channel_id(Snowflake::new(22))
        .target_message_id(33)
        .send_with_meta()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let invite = res.into_model();
    assert_eq!(invite.code(), "0vCdhLbwjZZTWZLD");
    assert_eq!(invite.link(), "https://discord.gg/0vCdhLbwjZZTWZLD");
    let reqs = requests(&server).await;
    assert_common_headers(&reqs[0]);
    assert!(reqs[0].body.is_empty());
}

#[tokio::test]
async fn invite_resolve_works_without_a_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invites/abc"))
        .respond_with(ResponseTemplate::new(200).set_body_string(INVITE))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    // Awaiting the builder sends it.
    let invite = client.invite_resolve("abc").await.unwrap();
    assert_eq!(invite.code(), "0vCdhLbwjZZTWZLD");
    let reqs = requests(&server).await;
    assert!(reqs[0].headers.get("authorization").is_none());
    assert!(reqs[0].url.query().is_none());
    // Every other operation needs the token, and says so before sending.
    let err = client.list_guild_invites(1).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn invite_revoke_sends_an_encoded_reason() {
    let server = MockServer::start().await;
    Mock::given(method("DELETE"))
        .and(path("/invites/abc"))
        .and(header(
            "x-audit-log-reason",
            "spam%20%26%20eggs%2F%C3%BC%0D%0AX-Evil%3A%201",
        ))
        .respond_with(ResponseTemplate::new(200).set_body_string(INVITE))
        .expect(1)
        .mount(&server)
        .await;
    let invite = client(&server)
        .invite_revoke("abc")
        .audit_log_reason("spam & eggs/ü\r\nX-Evil: 1")
        .send()
        .await
        .unwrap();
    assert_eq!(invite.code(), "0vCdhLbwjZZTWZLD");
    let reqs = requests(&server).await;
    assert_common_headers(&reqs[0]);
    assert!(reqs[0].headers.get("x-evil").is_none());
}

#[tokio::test]
async fn target_users_csv_in_and_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invites/abc/target-users"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("Users\r\n165176875973476352\r\n7\r\n", "text/csv"),
        )
        .mount(&server)
        .await;
    Mock::given(method("PUT"))
        .and(path("/invites/abc/target-users"))
        .respond_with(ResponseTemplate::new(204))
        .expect(2)
        .mount(&server)
        .await;
    let client = client(&server);
    let ids = client.get_invite_target_users("abc").send().await.unwrap();
    assert_eq!(ids, [Snowflake::new(165176875973476352), Snowflake::new(7)]);

    let ids = [Snowflake::new(1), Snowflake::new(22)];
    client
        .update_invite_target_users("abc", TargetUsers::from_ids(ids))
        .send()
        .await
        .unwrap();
    let res = client
        .update_invite_target_users("abc", TargetUsers::from_csv("user_id\n5\n"))
        .send_with_meta()
        .await
        .unwrap();
    assert_eq!(res.status(), 204);

    let reqs = requests(&server).await;
    assert_common_headers(&reqs[1]);
    let parts = multipart_parts(&reqs[1]);
    assert_eq!(parts.len(), 1);
    assert_eq!(parts[0].0, "target_users_file");
    assert_eq!(parts[0].1.as_deref(), Some("text/csv"));
    assert_eq!(parts[0].2, "1\n22\n");
    assert_eq!(multipart_parts(&reqs[2])[0].2, "user_id\n5\n");
}

#[tokio::test]
async fn target_users_bad_csv_is_a_decode_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invites/abc/target-users"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("Users\n1\nnot-an-id\n", "text/csv"))
        .mount(&server)
        .await;
    let err = client(&server)
        .get_invite_target_users("abc")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    let discord_invite::client::Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.line(), Some(3));
    assert_eq!(d.body(), b"Users\n1\nnot-an-id\n");
}

#[tokio::test]
async fn job_status_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invites/abc/target-users/job-status"))
        .respond_with(ResponseTemplate::new(200).set_body_string(JOB_STATUS))
        .mount(&server)
        .await;
    let status = client(&server)
        .get_invite_target_users_job_status("abc")
        .send()
        .await
        .unwrap();
    assert_eq!(status.total_users, 100);
    assert_eq!(status.processed_users, 41);
    assert_eq!(
        status.error_message,
        Nullable::Value("Failed to parse CSV file".into())
    );
    assert_common_headers(&requests(&server).await[0]);
}

#[tokio::test]
async fn list_invites_of_channel_and_guild() {
    let server = MockServer::start().await;
    let list = json!([invite_json(), null, invite_json()]);
    Mock::given(method("GET"))
        .and(path("/channels/10/invites"))
        .respond_with(ResponseTemplate::new(200).set_body_json(&list))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/guilds/20/invites"))
        .respond_with(ResponseTemplate::new(200).set_body_string("null"))
        .mount(&server)
        .await;
    let client = client(&server);
    let invites = client.list_channel_invites(10).send().await.unwrap();
    assert_eq!(invites.len(), 2);
    assert_eq!(invites[1].code(), "0vCdhLbwjZZTWZLD");
    let none = client.list_guild_invites(20).send().await.unwrap();
    assert!(none.is_empty());
    for req in requests(&server).await {
        assert_common_headers(&req);
    }
}

#[tokio::test]
async fn create_channel_invite_json_body_and_reason() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/channels/10/invites"))
        .and(header("content-type", "application/json"))
        .and(header("x-audit-log-reason", "weekly%20event"))
        .and(body_json(json!({
            "max_age": 3600,
            "max_uses": 5,
            "unique": true,
            "target_type": 1,
            "target_user_id": "42",
            "role_ids": ["7", "8"]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_string(INVITE))
        .expect(1)
        .mount(&server)
        .await;
    let body = CreateGuildInviteRequest {
        max_age: Nullable::Value(3600),
        max_uses: Nullable::Value(5),
        unique: Nullable::Value(true),
        target_type: Nullable::Value(InviteTargetType::Stream),
        target_user_id: Nullable::Value(Snowflake::new(42)),
        role_ids: Nullable::Value(vec![Snowflake::new(7), Snowflake::new(8)]),
        ..Default::default()
    };
    let res = client(&server)
        .create_channel_invite(10)
        .body(body)
        .audit_log_reason("weekly event")
        .send_with_meta()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.model().as_ref().unwrap().code(), "0vCdhLbwjZZTWZLD");
    assert_common_headers(&requests(&server).await[0]);
}

#[tokio::test]
async fn create_channel_invite_defaults_to_empty_object_and_handles_204() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/channels/10/invites"))
        .and(body_json(json!({})))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let created = client(&server)
        .create_channel_invite(10)
        .send()
        .await
        .unwrap();
    assert!(created.is_none());
}

#[tokio::test]
async fn create_group_dm_invite() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/channels/10/invites"))
        .and(body_json(json!({"max_age": 604800})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"type": 1, "code": "gdm"})))
        .expect(1)
        .mount(&server)
        .await;
    let body = CreateGroupDmInviteRequest {
        max_age: Nullable::Value(604_800),
        ..Default::default()
    };
    let invite = client(&server)
        .create_channel_invite(10)
        .body(body)
        .send()
        .await
        .unwrap()
        .unwrap();
    assert_eq!(invite.code(), "gdm");
}

#[tokio::test]
async fn create_channel_invite_multipart_with_target_users() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/channels/10/invites"))
        .respond_with(ResponseTemplate::new(200).set_body_string(INVITE))
        .expect(1)
        .mount(&server)
        .await;
    let body = CreateGuildInviteRequest {
        role_ids: Nullable::Value(vec![Snowflake::new(1111222233334444555)]),
        ..Default::default()
    };
    client(&server)
        .create_channel_invite(10)
        .body(body)
        .target_users_file(
            [Snowflake::new(5), Snowflake::new(6)]
                .into_iter()
                .collect::<TargetUsers>(),
        )
        .audit_log_reason("community")
        .send()
        .await
        .unwrap();
    let reqs = requests(&server).await;
    assert_common_headers(&reqs[0]);
    assert_eq!(header_of(&reqs[0], "x-audit-log-reason"), Some("community"));
    let parts = multipart_parts(&reqs[0]);
    assert_eq!(parts.len(), 2);
    assert_eq!(parts[0].0, "payload_json");
    assert_eq!(parts[0].1.as_deref(), Some("application/json"));
    let payload: Value = serde_json::from_str(&parts[0].2).unwrap();
    assert_eq!(payload, json!({"role_ids": ["1111222233334444555"]}));
    assert_eq!(parts[1].0, "target_users_file");
    assert_eq!(parts[1].2, "5\n6\n");
}

#[tokio::test]
async fn vanity_url_and_lobby_invites() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/guilds/20/vanity-url"))
        .respond_with(ResponseTemplate::new(200).set_body_string(VANITY))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/lobbies/30/members/@me/invites"))
        .and(header("authorization", "Bearer oauth-token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": "lobby1"})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/lobbies/30/members/40/invites"))
        .and(header("authorization", "Bot test.token-secret"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"code": "lobby2"})))
        .expect(1)
        .mount(&server)
        .await;
    let bot = client(&server);
    let vanity = bot.get_guild_vanity_url(20).send().await.unwrap();
    assert_eq!(vanity.code.as_deref(), Some("abc"));
    assert_eq!(vanity.uses, 12);
    let user = bot
        .create_linked_lobby_guild_invite_for_user(30, 40)
        .send()
        .await
        .unwrap();
    assert_eq!(user.code, "lobby2");
    let bearer = builder(&server)
        .token(Token::bearer("oauth-token").unwrap())
        .build()
        .unwrap();
    let me = bearer
        .create_linked_lobby_guild_invite_for_self(30)
        .send()
        .await
        .unwrap();
    assert_eq!(me.code, "lobby1");
    let reqs = requests(&server).await;
    assert_common_headers(&reqs[0]);
    assert_eq!(header_of(&reqs[2], "user-agent"), Some(DEFAULT_USER_AGENT));
}

#[tokio::test]
async fn arguments_are_checked_before_sending() {
    let server = MockServer::start().await;
    let client = client(&server);
    let guild = |f: fn(&mut CreateGuildInviteRequest)| {
        let mut b = CreateGuildInviteRequest::default();
        f(&mut b);
        b
    };
    let cases: Vec<(&str, CreateGuildInviteRequest)> = vec![
        ("max_age", guild(|b| b.max_age = Nullable::Value(5_184_001))),
        ("max_age", guild(|b| b.max_age = Nullable::Value(-1))),
        ("max_uses", guild(|b| b.max_uses = Nullable::Value(101))),
        (
            "role_ids",
            guild(|b| b.role_ids = Nullable::Value((1..=251).map(Snowflake::new).collect())),
        ),
        (
            "role_ids",
            guild(|b| b.role_ids = Nullable::Value(vec![Snowflake::new(1), Snowflake::new(1)])),
        ),
        (
            "target_user_id",
            guild(|b| b.target_type = Nullable::Value(InviteTargetType::Stream)),
        ),
        (
            "target_application_id",
            guild(|b| b.target_type = Nullable::Value(InviteTargetType::EmbeddedApplication)),
        ),
    ];
    for (argument, body) in cases {
        let err = client
            .create_channel_invite(1)
            .body(body)
            .send()
            .await
            .unwrap_err();
        match &err {
            discord_invite::client::Error::InvalidArgument { argument: a, .. } => {
                assert_eq!(*a, argument, "{err}")
            }
            other => panic!("{other:?}"),
        }
    }
    let ok = guild(|b| b.max_age = Nullable::Value(0));
    assert!(ok.max_age.is_value());
    let err = client
        .create_channel_invite(1)
        .body(CreateGroupDmInviteRequest {
            max_age: Nullable::Value(0),
            ..Default::default()
        })
        .send()
        .await
        .unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("max_age") && msg.contains("1..=604800"),
        "{msg}"
    );
    for reason in [String::new(), "x".repeat(513)] {
        let err = client
            .invite_revoke("abc")
            .audit_log_reason(reason)
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument);
        assert!(err.to_string().contains("X-Audit-Log-Reason"), "{err}");
    }
    // 512 characters of a two-byte letter is fine (the limit counts characters).
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn hostile_codes_never_reach_the_server() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_string(INVITE))
        .mount(&server)
        .await;
    let client = client(&server);
    for code in [
        "../users/@me",
        "..",
        "a/b",
        "abc?with_counts=true",
        "abc#x",
        "%2e%2e",
        "%2F",
        "abc\r\nX-Evil: 1",
        "",
        "https://discord.gg/abc",
        "ab c",
        "å",
    ] {
        let err = client.invite_resolve(code).send().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{code:?}");
        let err = client.invite_revoke(code).send().await.unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{code:?}");
        let err = client
            .update_invite_target_users(code, TargetUsers::from_ids([1u64]))
            .send()
            .await
            .unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{code:?}");
    }
    assert!(requests(&server).await.is_empty());
    // Hostile reasons are encoded, never split into headers.
    client
        .invite_revoke("abc")
        .audit_log_reason("a\r\nAuthorization: Bot stolen\n\0")
        .send()
        .await
        .unwrap();
    let reqs = requests(&server).await;
    assert_eq!(reqs.len(), 1);
    assert_eq!(
        header_of(&reqs[0], "x-audit-log-reason"),
        Some("a%0D%0AAuthorization%3A%20Bot%20stolen%0A%00")
    );
    assert_eq!(
        header_of(&reqs[0], "authorization"),
        Some("Bot test.token-secret")
    );
}

#[tokio::test]
async fn retry_after_429_is_honoured() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invites/abc"))
        .respond_with(ResponseTemplate::new(429).set_body_json(json!({
            "message": "You are being rate limited.",
            "retry_after": 0.3,
            "global": false
        })))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/invites/abc"))
        .respond_with(ResponseTemplate::new(200).set_body_string(INVITE))
        .mount(&server)
        .await;
    let start = Instant::now();
    let invite = client(&server).invite_resolve("abc").send().await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_millis(250),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(invite.code(), "0vCdhLbwjZZTWZLD");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn global_429_blocks_other_routes_too() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/guilds/1/invites"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("x-ratelimit-global", "true")
                .insert_header("x-ratelimit-scope", "global")
                .set_body_json(json!({"message": "global", "retry_after": 0.3, "global": true})),
        )
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("[]"))
        .mount(&server)
        .await;
    // Retried after the global wait.
    let start = Instant::now();
    let list = client(&server).list_guild_invites(1).send().await.unwrap();
    assert!(list.is_empty());
    assert!(
        start.elapsed() >= Duration::from_millis(250),
        "{:?}",
        start.elapsed()
    );

    // The global window also holds back other routes: once a global 429 is recorded (here
    // without retries, so the call returns), a request to another route waits for it.
    Mock::given(method("GET"))
        .and(path("/guilds/3/invites"))
        .respond_with(
            ResponseTemplate::new(429)
                .set_body_json(json!({"message": "global", "retry_after": 0.4, "global": true})),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    let no_retry = builder(&server)
        .token(Token::bot(TOKEN).unwrap())
        .max_retries(0)
        .build()
        .unwrap();
    let err = no_retry.list_guild_invites(3).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    let start = Instant::now();
    let list = no_retry.list_channel_invites(2).send().await.unwrap();
    assert!(list.is_empty());
    assert!(
        start.elapsed() >= Duration::from_millis(300),
        "{:?}",
        start.elapsed()
    );

    // With no retries left, the caller gets the typed rate-limit error.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .set_body_json(json!({"message": "global", "retry_after": 1.5, "global": true})),
        )
        .mount(&server)
        .await;
    let client = builder(&server)
        .token(Token::bot(TOKEN).unwrap())
        .max_retries(0)
        .build()
        .unwrap();
    let err = client.list_guild_invites(1).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    let discord_invite::client::Error::RateLimited(rl) = &err else {
        panic!("{err:?}")
    };
    assert!(rl.global());
    assert_eq!(rl.retry_after(), Duration::from_millis(1500));
}

#[tokio::test]
async fn exhausted_bucket_waits_before_sending() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/guilds/1/invites"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-ratelimit-bucket", "abcd1234")
                .insert_header("x-ratelimit-limit", "5")
                .insert_header("x-ratelimit-remaining", "0")
                .insert_header("x-ratelimit-reset-after", "0.4")
                .set_body_string("[]"),
        )
        .mount(&server)
        .await;
    let client = client(&server);
    let first = client.list_guild_invites(1).send_with_meta().await.unwrap();
    let rl = first.rate_limit().unwrap();
    assert_eq!(rl.bucket(), Some("abcd1234"));
    assert_eq!(rl.limit(), Some(5));
    assert_eq!(rl.remaining(), Some(0));
    assert_eq!(rl.reset_after(), Some(Duration::from_millis(400)));
    let start = Instant::now();
    client.list_guild_invites(1).send().await.unwrap();
    assert!(
        start.elapsed() >= Duration::from_millis(300),
        "{:?}",
        start.elapsed()
    );
    assert_eq!(requests(&server).await.len(), 2);

    // A wait longer than the client may wait fails without sending.
    let impatient = builder(&server)
        .token(Token::bot(TOKEN).unwrap())
        .max_rate_limit_wait(Duration::from_millis(50))
        .build()
        .unwrap();
    impatient.list_guild_invites(1).send().await.unwrap();
    let err = impatient.list_guild_invites(1).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn server_errors_are_retried_then_succeed() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/guilds/1/vanity-url"))
        .respond_with(ResponseTemplate::new(503).set_body_string("upstream connect error"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/guilds/1/vanity-url"))
        .respond_with(ResponseTemplate::new(200).set_body_string(VANITY))
        .mount(&server)
        .await;
    let vanity = client(&server)
        .get_guild_vanity_url(1)
        .send()
        .await
        .unwrap();
    assert_eq!(vanity.uses, 12);
    assert_eq!(requests(&server).await.len(), 2);

    // Budget spent: the last 502 is returned; other 4xx are never retried.
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/guilds/1/vanity-url"))
        .respond_with(ResponseTemplate::new(502))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/guilds/2/vanity-url"))
        .respond_with(
            ResponseTemplate::new(403)
                .set_body_json(json!({"code": 50013, "message": "Missing Permissions"})),
        )
        .mount(&server)
        .await;
    let client = builder(&server)
        .token(Token::bot(TOKEN).unwrap())
        .max_retries(2)
        .build()
        .unwrap();
    let err = client.get_guild_vanity_url(1).send().await.unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(requests(&server).await.len(), 3);
    let err = client.get_guild_vanity_url(2).send().await.unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::MISSING_PERMISSIONS));
    assert_eq!(requests(&server).await.len(), 4);
}

#[tokio::test]
async fn unknown_invite_is_a_typed_api_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/invites/gone"))
        .respond_with(
            ResponseTemplate::new(404)
                .set_body_json(json!({"message": "Unknown Invite", "code": 10006})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let err = client(&server)
        .invite_resolve("gone")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Api);
    assert_eq!(err.code(), Some(ErrorCode::UNKNOWN_INVITE));
    let api = err.api().unwrap();
    assert_eq!(api.status(), 404);
    assert_eq!(api.message(), "Unknown Invite");
    assert_eq!(
        err.to_string(),
        "Discord answered HTTP 404, code 10006: Unknown Invite"
    );
    assert!(!format!("{err:?}").contains(TOKEN));
}

#[tokio::test]
async fn invalid_form_body_keeps_the_errors_tree() {
    let server = MockServer::start().await;
    let errors =
        json!({"max_age": {"_errors": [{"code": "NUMBER_TYPE_MAX", "message": "too big"}]}});
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "code": 50035, "message": "Invalid Form Body", "errors": errors
        })))
        .mount(&server)
        .await;
    let err = client(&server)
        .create_channel_invite(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.code(), Some(ErrorCode::INVALID_FORM_BODY));
    assert_eq!(err.api().unwrap().errors(), Some(&errors));
}

#[tokio::test]
async fn slow_answers_time_out() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(INVITE)
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let client = builder(&server)
        .timeout(Duration::from_millis(200))
        .build()
        .unwrap();
    let err = client.invite_resolve("abc").send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err:?}");
}

#[tokio::test]
async fn malformed_body_is_a_decode_error_with_the_path() {
    let server = MockServer::start().await;
    let body = r#"{"type": 0, "code": 7}"#;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string(body))
        .mount(&server)
        .await;
    let err = client(&server)
        .invite_resolve("abc")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Decode);
    let discord_invite::client::Error::Decode(d) = &err else {
        panic!("{err:?}")
    };
    assert_eq!(d.pointer(), "/code");
    assert_eq!(d.body(), body.as_bytes());
    assert_eq!(d.status(), 200);
    assert!(err.to_string().contains("/code"), "{err}");
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(10_000)))
        .mount(&server)
        .await;
    let client = builder(&server).max_response_bytes(1024).build().unwrap();
    let err = client.invite_resolve("abc").send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::ResponseTooLarge);
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let elsewhere = MockServer::start().await;
    Mock::given(wiremock::matchers::any())
        .respond_with(ResponseTemplate::new(200).set_body_string(INVITE))
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/invites/abc", elsewhere.uri())),
        )
        .mount(&server)
        .await;
    let err = client(&server)
        .invite_resolve("abc")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(307));
    assert!(requests(&elsewhere).await.is_empty());
}

#[tokio::test]
async fn long_retry_after_fails_at_once_and_errors_hide_the_token() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "3600")
                .set_body_json(
                    json!({"message": "slow down", "retry_after": 3600.0, "global": false}),
                ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let start = Instant::now();
    let err = client(&server)
        .list_guild_invites(1)
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::RateLimited);
    assert!(start.elapsed() < Duration::from_secs(60));
    assert_eq!(err.status(), Some(429));

    // A refused connection is a transport error, and no error text carries the token.
    let closed = Client::builder()
        .base_url("http://127.0.0.1:1")
        .allow_insecure_http(true)
        .token(Token::bot(TOKEN).unwrap())
        .build()
        .unwrap();
    let err = closed.list_guild_invites(1).send().await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Transport);
    for text in [format!("{err}"), format!("{err:?}")] {
        assert!(!text.contains(TOKEN), "{text}");
    }
}

#[test]
fn configuration_is_checked() {
    let err = Client::builder()
        .base_url("http://127.0.0.1:1")
        .build()
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Config);
    assert!(Client::builder().base_url("ftp://x").build().is_err());
    assert!(Client::builder()
        .base_url("https://user:pw@discord.com/api")
        .build()
        .is_err());
    assert!(Client::builder().user_agent("bot\r\nX: y").build().is_err());
    assert!(Token::bot("").is_err());
    assert!(Token::bearer("a\nb").is_err());
    let token = Token::bot(format!("Bot {TOKEN}")).unwrap();
    let client = Client::new(token.clone()).unwrap();
    for text in [format!("{token:?}"), format!("{client:?}")] {
        assert!(!text.contains(TOKEN), "{text}");
    }
    assert!(DEFAULT_USER_AGENT.starts_with("DiscordBot (https://"));
}
