//! Errors a person can read in a log: a response body printed as text in `Debug`, and a
//! transport error whose `Display` names its innermost cause on one line. Servers on 127.0.0.1.
#![cfg(feature = "http")]

#[path = "support/raw_http.rs"]
mod raw_http;

use std::time::Duration;

use discord_invite::client::{Client, ClientBuilder, Error, ErrorKind, Token};
use raw_http::{response, RawRequest, RawServer, Reply};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

fn builder(base: &str) -> ClientBuilder {
    Client::builder()
        .base_url(base)
        .allow_insecure_http(true)
        .token(Token::bot("errors.test-token").unwrap())
        .max_retries(0)
        .timeout(Duration::from_secs(20))
}

/// Answers every request with `status` and `body`.
async fn answering(status: &'static str, body: Vec<u8>) -> RawServer {
    RawServer::start(move |_: &RawRequest| {
        Reply::Full(response(
            status,
            &["content-type: application/json".into()],
            &body,
        ))
    })
    .await
}

#[tokio::test]
async fn debug_prints_an_error_body_as_text() {
    let body = r#"{"message": "Unknown Invite — ü", "code": 10006}"#;
    let server = answering("404 Not Found", body.as_bytes().to_vec()).await;
    let err = builder(&server.uri())
        .build()
        .unwrap()
        .invite_resolve("gone")
        .send()
        .await
        .unwrap_err();
    let debug = format!("{err:?}");
    // The text as text (quoted and escaped as Rust strings are), not `[123, 34, …]`.
    assert!(
        debug.contains(r#"body: "{\"message\": \"Unknown Invite — ü\", \"code\": 10006}""#),
        "{debug}"
    );
    assert!(!debug.contains("[123, 34"), "{debug}");
    // The bytes stay available.
    assert_eq!(err.api().unwrap().body(), body.as_bytes());
}

#[tokio::test]
async fn debug_truncates_long_bodies_on_a_character_boundary() {
    // 100,000 bytes of two-byte characters, with an invalid byte at the very start.
    let mut body = vec![0xff];
    body.extend("é".repeat(50_000).into_bytes());
    let server = answering("500 Internal Server Error", body.clone()).await;
    let err = builder(&server.uri())
        .build()
        .unwrap()
        .list_guild_invites(1)
        .send()
        .await
        .unwrap_err();
    let debug = format!("{err:?}");
    assert!(debug.len() < 8_000, "{} bytes of Debug", debug.len());
    // Invalid bytes are escaped, valid text is kept as is: no replacement character.
    assert!(debug.contains(r#"body: "\xffééé"#), "{debug}");
    assert!(!debug.contains('\u{fffd}'), "{debug}");
    assert!(debug.contains("100001 bytes"), "says how much there was");
    assert_eq!(err.api().unwrap().body(), body.as_slice());

    // A body that does not decode: the same for `ResponseDecodeError`.
    let server = answering("200 OK", br#"{"type": 0, "code": 7}"#.to_vec()).await;
    let err = builder(&server.uri())
        .build()
        .unwrap()
        .invite_resolve("abc")
        .send()
        .await
        .unwrap_err();
    let debug = format!("{err:?}");
    assert!(
        debug.contains(r#"body: "{\"type\": 0, \"code\": 7}""#),
        "{debug}"
    );
}

/// `Display` of each transport failure, checked for one line naming the cause.
fn assert_names(err: &Error, needle: &str) {
    assert_eq!(err.kind(), ErrorKind::Transport, "{err:?}");
    let text = err.to_string();
    println!("{text}");
    assert!(!text.contains('\n'), "one line: {text:?}");
    assert!(
        text.to_lowercase().contains(needle),
        "{text:?} should name {needle:?}"
    );
}

#[tokio::test]
async fn transport_errors_name_their_cause() {
    // Nothing listening: refused.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let err = builder(&format!("http://127.0.0.1:{port}"))
        .build()
        .unwrap()
        .list_guild_invites(1)
        .send()
        .await
        .unwrap_err();
    assert_names(&err, "connection refused");

    // The server resets the connection (RST) after reading the request.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf).await;
            // Linger 0: closing sends RST instead of FIN (blocking on drop is not a concern
            // for a socket with nothing left to send).
            #[allow(deprecated)]
            let _ = s.set_linger(Some(Duration::ZERO));
        }
    });
    let err = builder(&format!("http://{addr}"))
        .build()
        .unwrap()
        .list_guild_invites(1)
        .send()
        .await
        .unwrap_err();
    assert_names(&err, "reset");

    // A header line without a colon.
    let server = RawServer::start(|_: &RawRequest| {
        Reply::Close(b"HTTP/1.1 200 OK\r\nbad header line\r\ncontent-length: 0\r\n\r\n".to_vec())
    })
    .await;
    let err = builder(&server.uri())
        .build()
        .unwrap()
        .list_guild_invites(1)
        .send()
        .await
        .unwrap_err();
    assert_names(&err, "invalid http header");

    // TLS spoken to a server that answers in plain HTTP as soon as anything arrives.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut s, _)) = listener.accept().await {
            let mut buf = [0u8; 4096];
            let _ = s.read(&mut buf).await;
            let _ = s
                .write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n")
                .await;
            let _ = s.shutdown().await;
        }
    });
    let err = Client::builder()
        .base_url(format!("https://{addr}"))
        .max_retries(0)
        .timeout(Duration::from_secs(20))
        .build()
        .unwrap()
        .invite_resolve("abc")
        .send()
        .await
        .unwrap_err();
    assert_names(&err, "tls");
}
