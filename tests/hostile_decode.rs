//! Hostile input to the decoders: every case ends in a value or a clear error, never a panic,
//! a stack overflow or a hang.

use discord_invite::{DecodeErrorKind, Invite, Payload, Snowflake};
use serde_json::json;

#[test]
fn nesting_100k_deep_never_overflows_the_stack() {
    let depth = 100_000;
    for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
        let deep = format!("{}1{}", open.repeat(depth), close.repeat(depth));
        // In an unknown field too, nesting beyond the limit is an error (serde_json skips raw
        // text without recursion; the SDK holds it to the document's limit).
        let text = format!("{{\"code\":\"a\",\"x\":{deep}}}");
        let err = Invite::from_json_str(&text).expect_err("too deep");
        assert_eq!(err.kind(), DecodeErrorKind::Syntax);
        assert_eq!(err.message(), "recursion limit exceeded");
        // Where a typed value is expected it is a clear error, at the field.
        let text = format!(
            "{{\"code\":\"a\",\"guild\":{{\"id\":\"1\",\"name\":\"g\",\"features\":[{deep}]}}}}"
        );
        let err = Invite::from_json_str(&text).expect_err("not a feature");
        assert_eq!(err.pointer(), "/guild/features/0");
        // Parsing it as a tree hits serde_json's recursion limit, an error too.
        let err = serde_json::from_str::<serde_json::Value>(&deep).unwrap_err();
        assert!(err.to_string().contains("recursion limit"), "{err}");
    }
}

#[test]
fn a_50_mb_string_decodes_and_errors_quote_it_briefly() {
    let big = "a".repeat(50 * 1024 * 1024);
    let ok = format!("{{\"code\":\"x\",\"note\":\"{big}\"}}");
    let invite = Invite::from_json_str(&ok).expect("a long unknown string is fine");
    assert_eq!(invite.code(), "x");
    // In a snowflake field it is an error whose message stays short.
    let bad = format!(
        "{{\"code\":\"x\",\"guild_id\":\"{}\"}}",
        "9".repeat(50 * 1024 * 1024)
    );
    let err = Invite::from_json_str(&bad).expect_err("not a u64");
    assert_eq!(err.pointer(), "/guild_id");
    assert!(
        err.to_string().len() < 300,
        "message is {} bytes",
        err.to_string().len()
    );
}

#[test]
fn numbers_beyond_range() {
    let err =
        Invite::from_json_value(&json!({"code": "x", "uses": 18446744073709551616u128 as f64}))
            .unwrap_err();
    assert_eq!(err.pointer(), "/uses");
    let err = Invite::from_json_str(r#"{"code":"x","uses":99999999999999999999999}"#).unwrap_err();
    assert_eq!(err.pointer(), "/uses");
    assert_eq!(err.kind(), DecodeErrorKind::Data);
    let err =
        Invite::from_json_str(r#"{"code":"x","guild_id":"18446744073709551616"}"#).unwrap_err();
    assert!(err.message().contains("larger than the largest"), "{err}");
    assert_eq!(
        Invite::from_json_str(r#"{"code":"x","guild_id":"18446744073709551615"}"#)
            .map(|i| match i {
                Invite::Guild(g) => g.guild_id,
                _ => None,
            })
            .unwrap(),
        Some(Snowflake::new(u64::MAX))
    );
}

#[test]
fn negative_counts_decode_and_are_clamped_where_computed() {
    // The spec sets no minimum; the SDK keeps what was sent (the validator reports it).
    let invite = Invite::from_json_str(r#"{"code":"x","uses":-5,"max_uses":3}"#).unwrap();
    assert_eq!(invite.uses(), Some(-5));
    assert_eq!(invite.remaining_uses(), Some(3)); // a negative count is treated as 0
    let invite = Invite::from_json_str(r#"{"code":"x","uses":9,"max_uses":3}"#).unwrap();
    assert_eq!(invite.remaining_uses(), Some(0));
}

#[test]
fn invalid_utf8_and_bom() {
    let err = Invite::from_json_slice(b"{\"code\":\"\xC3\x28\"}").unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Syntax);
    assert_eq!(err.line(), Some(1));
    // A UTF-8 byte order mark is ignored.
    let invite = Invite::from_json_slice(b"\xEF\xBB\xBF{\"code\":\"x\"}").unwrap();
    assert_eq!(invite.code(), "x");
    let invite = Invite::from_json_str("\u{feff}{\"code\":\"x\"}").unwrap();
    assert_eq!(invite.code(), "x");
}

#[test]
fn duplicate_keys_last_wins() {
    let invite = Invite::from_json_str(r#"{"code":"first","code":"second","x":1,"x":2}"#).unwrap();
    assert_eq!(invite.code(), "second");
    assert_eq!(
        invite.to_json_value().unwrap(),
        json!({"code": "second", "x": 2})
    );
}

#[test]
fn nan_like_values_in_number_fields() {
    for text in [
        r#"{"code":"x","uses":"NaN"}"#,
        r#"{"code":"x","uses":"12"}"#,
        r#"{"code":"x","uses":1.5}"#,
        r#"{"code":"x","uses":true}"#,
    ] {
        let err = Invite::from_json_str(text).expect_err(text);
        assert_eq!(err.pointer(), "/uses", "{text}");
        assert_eq!(err.kind(), DecodeErrorKind::Data);
    }
    for text in [
        r#"{"code":"x","uses":NaN}"#,
        r#"{"code":"x","uses":Infinity}"#,
    ] {
        let err = Invite::from_json_str(text).expect_err(text);
        assert_eq!(err.kind(), DecodeErrorKind::Syntax);
    }
}

#[test]
fn timestamps_in_the_forms_discord_uses() {
    for ok in [
        "2026-01-01T00:00:00+00:00",
        "2026-01-01T00:00:00.000000+00:00",
        "2026-01-01T00:00:00Z",
        "2026-01-01T00:00:00.5Z",
    ] {
        let text = format!(r#"{{"code":"x","created_at":"{ok}"}}"#);
        let invite = Invite::from_json_str(&text).expect(ok);
        assert_eq!(invite.to_json_string().unwrap(), text);
    }
    for bad in [
        "2026-01-01",
        "2026-01-01 00:00:00",
        "1767225600",
        "2026-01-01T00:00:00",
    ] {
        let text = format!(r#"{{"code":"x","created_at":"{bad}"}}"#);
        let err = Invite::from_json_str(&text).expect_err(bad);
        assert_eq!(err.pointer(), "/created_at");
    }
}

#[test]
fn empty_and_truncated_input() {
    for text in ["", " ", "{", "{\"code\"", "{\"code\":\"x\""] {
        let err = Invite::from_json_str(text).expect_err(text);
        assert_eq!(err.kind(), DecodeErrorKind::Eof, "{text:?}");
    }
}
