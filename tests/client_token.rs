//! Tokens as people paste them: with or without the scheme prefix, in any case; refused when
//! empty, absurdly long, or carrying the other scheme's prefix. What goes on the wire is
//! checked on the raw bytes.
#![cfg(feature = "http")]

#[path = "support/raw_http.rs"]
mod raw_http;

use discord_invite::client::{Client, ErrorKind, Token};
use raw_http::{response, RawRequest, RawServer, Reply};

/// The `Authorization` header a token produces on the wire.
async fn sent(server: &RawServer, token: Token) -> String {
    let client = Client::builder()
        .base_url(server.uri())
        .allow_insecure_http(true)
        .token(token)
        .build()
        .unwrap();
    client.list_guild_invites(1).send().await.unwrap();
    let last = server.requests().pop().unwrap();
    last.header("authorization").unwrap()
}

#[tokio::test]
async fn the_scheme_prefix_is_never_doubled() {
    let server =
        RawServer::start(|_: &RawRequest| Reply::Full(response("200 OK", &[], b"[]"))).await;
    for pasted in [
        "abc.def",
        "Bot abc.def",
        "bot abc.def",
        "BOT abc.def",
        " Bot   abc.def\n",
    ] {
        let token = Token::bot(pasted).unwrap();
        assert_eq!(sent(&server, token).await, "Bot abc.def", "{pasted:?}");
    }
    for pasted in ["tok", "Bearer tok", "bearer tok"] {
        let token = Token::bearer(pasted).unwrap();
        assert_eq!(sent(&server, token).await, "Bearer tok", "{pasted:?}");
    }
}

#[test]
fn unusable_tokens_are_refused_without_being_quoted() {
    let long = "x".repeat(513);
    let huge = "y".repeat(1_000_000);
    for bad in [
        "",
        "   ",
        "Bot",
        "Bot ",
        "Bot Bot abc",
        "Bearer abc",
        long.as_str(),
        huge.as_str(),
    ] {
        let err = Token::bot(bad).unwrap_err();
        assert_eq!(err.kind(), ErrorKind::InvalidArgument, "{bad:?}");
        if bad.len() > 3 {
            assert!(!err.to_string().contains(bad.trim()), "{err}");
        }
    }
    let err = Token::bot("Bearer abc").unwrap_err();
    assert!(err.to_string().contains("Token::bearer"), "{err}");
    let err = Token::bearer("Bot abc").unwrap_err();
    assert!(err.to_string().contains("Token::bot"), "{err}");
    let err = Token::bot(&long).unwrap_err();
    assert!(err.to_string().contains("512"), "{err}");
    // The longest accepted.
    assert!(Token::bot("x".repeat(512)).is_ok());
}
