//! Community invites end to end against a 127.0.0.1 mock: waiting for the target-users job
//! (in progress then completed, failed, timeout, cancelled), the CSV checked before upload and
//! Discord's `update-target-users-error` 400 decoded.
//!
//! The waits run on tokio's paused clock: the mock server is a task of the same runtime, so
//! while the client sleeps between polls nothing else is pending and the clock jumps ahead.
//! Every assertion counts requests or reads the virtual clock; no test depends on how fast the
//! machine is.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use discord_invite::client::{Client, ErrorKind, TargetUsers, Token};
use discord_invite::{Payload, TargetUsersJobStatusKind};
use serde_json::json;
use tokio::time::Instant;

#[path = "support/raw_http.rs"]
mod raw_http;
use raw_http::{response, RawServer, Reply};

const JOB_STATUS: &str = "GET /invites/abc123/target-users/job-status HTTP/1.1";

fn client(server: &RawServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .token(Token::bot("token").expect("token"))
        .build()
        .expect("client")
}

fn json_reply(status: &str, body: serde_json::Value) -> Reply {
    Reply::Full(response(
        status,
        &["content-type: application/json".into()],
        body.to_string().as_bytes(),
    ))
}

/// A job-status answer: `status` as Discord numbers it (1 processing, 2 completed, 3 failed).
fn job(status: i64, processed: i64) -> Reply {
    let failed = status == 3;
    json_reply(
        "200 OK",
        json!({
            "status": status,
            "total_users": 100,
            "processed_users": processed,
            "created_at": "2026-01-08T12:00:00.000000+00:00",
            "completed_at": if status == 2 { json!("2026-01-08T12:00:07.000000+00:00") } else { json!(null) },
            "error_message": if failed { json!("Failed to parse CSV file") } else { json!(null) },
        }),
    )
}

/// A server answering the n-th request (0-based) with `answer(n)`.
async fn server(answer: impl Fn(usize) -> Reply + Send + Sync + 'static) -> RawServer {
    let count = AtomicUsize::new(0);
    RawServer::start(move |_| answer(count.fetch_add(1, Ordering::SeqCst))).await
}

fn lines(server: &RawServer) -> Vec<String> {
    server.requests().iter().map(|r| r.line()).collect()
}

#[tokio::test(start_paused = true)]
async fn in_progress_then_completed() {
    // Processing three times (the first answer is Discord's zero value, UNSPECIFIED), then done.
    let server = server(|n| match n {
        0 => job(0, 0),
        1 | 2 => job(1, 40 * n as i64),
        _ => job(2, 100),
    })
    .await;
    let client = client(&server);
    let start = Instant::now();
    let done = client
        .wait_for_target_users_job("abc123")
        .await
        .expect("completed");
    assert_eq!(done.status, TargetUsersJobStatusKind::Completed);
    assert_eq!(done.processed_users, 100);
    assert_eq!(lines(&server), [JOB_STATUS; 4]);
    // Polls at 0, 1, 3 and 7 s: the delay starts at 1 s and doubles.
    let waited = start.elapsed();
    assert!(
        (Duration::from_secs(7)..Duration::from_secs(8)).contains(&waited),
        "{waited:?}"
    );
}

#[tokio::test(start_paused = true)]
async fn failed_is_a_final_status_with_its_reason() {
    let server = server(|n| if n == 0 { job(1, 0) } else { job(3, 41) }).await;
    let client = client(&server);
    let failed = client
        .wait_for_target_users_job("abc123")
        .send()
        .await
        .expect("a failed job is an answer, not an error");
    assert_eq!(failed.status, TargetUsersJobStatusKind::Failed);
    assert_eq!(
        failed
            .error_message
            .as_option()
            .map(discord_invite::Text::as_str),
        Some("Failed to parse CSV file")
    );
    assert_eq!(lines(&server).len(), 2);
}

#[tokio::test(start_paused = true)]
async fn a_job_that_never_finishes_times_out() {
    // Still processing, or a status this version does not know: both are polled again.
    let server = server(|n| if n % 2 == 0 { job(1, 0) } else { job(7, 0) }).await;
    let client = client(&server);
    let start = Instant::now();
    let err = client
        .wait_for_target_users_job("abc123")
        .timeout(Duration::from_secs(60))
        .poll_interval(Duration::from_secs(2), Duration::from_secs(10))
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout, "{err}");
    // Polls at 0, 2, 6, 14, 24, 34, 44, 54 s; the next one would be at 64 s.
    assert_eq!(lines(&server).len(), 8);
    let waited = start.elapsed();
    assert!(
        (Duration::from_secs(60)..Duration::from_secs(61)).contains(&waited),
        "{waited:?}"
    );
    // The default timeout is 5 minutes.
    let start = Instant::now();
    let err = client
        .wait_for_target_users_job("abc123")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Timeout);
    assert!(
        start.elapsed() >= Duration::from_secs(300),
        "{:?}",
        start.elapsed()
    );
    assert!(start.elapsed() < Duration::from_secs(301));
}

#[tokio::test(start_paused = true)]
async fn a_dropped_wait_stops_polling() {
    let server = server(|_| job(1, 0)).await;
    let client = client(&server);
    tokio::select! {
        _ = client.wait_for_target_users_job("abc123").send() => panic!("never finishes"),
        _ = tokio::time::sleep(Duration::from_millis(2500)) => {}
    }
    // Polled at 0, 1 and 3 s would be three; the wait was dropped at 2.5 s.
    let polled = lines(&server).len();
    assert_eq!(polled, 2);
    tokio::time::sleep(Duration::from_secs(600)).await;
    assert_eq!(lines(&server).len(), polled, "a dropped wait kept polling");
    // And a new wait starts cleanly.
    let server2 = server_done().await;
    let job = client_of(&server2)
        .wait_for_target_users_job("abc123")
        .await
        .expect("done");
    assert_eq!(job.status, TargetUsersJobStatusKind::Completed);
}

async fn server_done() -> RawServer {
    server(|_| job(2, 100)).await
}

fn client_of(server: &RawServer) -> Client {
    client(server)
}

#[tokio::test(start_paused = true)]
async fn errors_end_the_wait() {
    // A bad code is refused before anything is sent.
    let server = server(|_| job(2, 1)).await;
    let client = client(&server);
    let err = client
        .wait_for_target_users_job("../abc")
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert_eq!(server.connections(), 0);
    // An error answer (after the client's own retries) ends it with that error.
    let server = server_404().await;
    let err = client_of(&server)
        .wait_for_target_users_job("abc123")
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(404));
    assert_eq!(lines(&server).len(), 1);
}

async fn server_404() -> RawServer {
    server(|_| {
        json_reply(
            "404 Not Found",
            json!({"code": 10006, "message": "Unknown Invite"}),
        )
    })
    .await
}

#[tokio::test]
async fn a_bad_csv_is_refused_before_sending_with_its_lines() {
    let server = server(|_| Reply::Full(response("204 No Content", &[], b""))).await;
    let client = client(&server);
    let bad = TargetUsers::from_csv("user_id\n80351110224678912\nnot-an-id\n1,2\n");
    let err = client
        .update_invite_target_users("abc123", bad.clone())
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    let text = err.to_string();
    assert!(text.contains("target_users_file"), "{text}");
    assert!(
        text.contains("line 3: `not-an-id` is not a user id"),
        "{text}"
    );
    assert!(text.contains("line 4: one user id per line"), "{text}");
    // The same check on create-invite's optional file.
    let err = client
        .create_channel_invite(165176875973476352u64)
        .target_users_file(bad)
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidArgument);
    assert_eq!(server.connections(), 0, "nothing may be sent");
    // A good file goes out unchanged.
    let good = TargetUsers::from_csv("user_id\r\n80351110224678912\r\n");
    client
        .update_invite_target_users("abc123", good)
        .await
        .expect("sent");
    let sent = server.requests();
    assert_eq!(sent.len(), 1);
    assert!(
        String::from_utf8_lossy(&sent[0].body).contains("user_id\r\n80351110224678912\r\n"),
        "{:?}",
        String::from_utf8_lossy(&sent[0].body)
    );
}

#[tokio::test]
async fn discords_target_users_400_is_typed() {
    let docs = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/docs/update-target-users-error-response.json"),
    )
    .expect("fixture");
    let body = docs.clone();
    let server = RawServer::start(move |_| {
        Reply::Full(response(
            "400 Bad Request",
            &["content-type: application/json".into()],
            body.as_bytes(),
        ))
    })
    .await;
    let client = client(&server);
    // Passes the local check (Discord knows more, e.g. which ids exist), fails there.
    let users = TargetUsers::from_ids([80351110224678912u64, 115590097100865541]);
    let err = client
        .update_invite_target_users("abc123", users)
        .await
        .unwrap_err();
    assert_eq!(err.status(), Some(400));
    let file = err
        .api()
        .and_then(|e| e.target_users_file_error())
        .expect("typed");
    let got: Vec<_> = file
        .problems()
        .iter()
        .map(|p| (p.line(), p.message().to_owned()))
        .collect();
    assert_eq!(
        got,
        [
            (
                Some(5),
                "invalid user ID - must be a valid Discord snowflake".to_owned()
            ),
            (Some(6), "invalid user ID format".to_owned()),
        ]
    );
    // The same body decodes as the model too.
    let model = discord_invite::UpdateTargetUsersError::from_json_str(&docs).expect("model");
    assert_eq!(model.target_users_file.map(|v| v.len()), Some(2));
    // Other errors are not target-users errors.
    let server = server_404().await;
    let err = client_of(&server)
        .invite_resolve("abc123")
        .await
        .unwrap_err();
    assert!(err
        .api()
        .and_then(|e| e.target_users_file_error())
        .is_none());
}
