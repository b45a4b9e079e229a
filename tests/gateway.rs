//! Gateway messages: the envelope `{"op":0,"t":…,"s":…,"d":{…}}` decoded into a typed event,
//! with the models' round-trip law and fast path. Input: the bot gateway log in
//! `captures/gateway.ndjson` (see captures/README.md) and hand-made messages.

use discord_invite::__private::fast_decode;
use discord_invite::{
    GatewayEnvelope, GatewayEvent, InviteCreateEvent, InviteDeleteEvent, Nullable, Payload,
};
use serde_json::{json, Value};

/// Decodes one message from text and from a value; both agree with the fast path and
/// re-encode to JSON equal to the input.
fn decode(text: &str) -> GatewayEnvelope {
    let message = GatewayEnvelope::from_json_str(text).unwrap_or_else(|e| panic!("{text}: {e}"));
    let slow: GatewayEnvelope = serde_json::from_str(text).expect("serde_json agrees");
    assert_eq!(message, slow);
    if let Some(fast) = fast_decode::<GatewayEnvelope>(text) {
        assert_eq!(fast, message);
    }
    let input: Value = serde_json::from_str(text).expect("json");
    assert_eq!(message.to_json_value().expect("encodes"), input, "{text}");
    assert_eq!(
        GatewayEnvelope::from_json_value(&input).expect("value"),
        message
    );
    message
}

fn invite_create_d() -> Value {
    json!({"channel_id": "1", "code": "abc", "created_at": "2026-11-26T14:02:11+00:00",
        "max_age": 3600, "max_uses": 0, "temporary": false, "uses": 0, "expires_at": null,
        "future_field": [1.50]})
}

#[test]
fn a_bots_gateway_log_decodes_line_by_line() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("captures/gateway.ndjson");
    let log = std::fs::read_to_string(path).expect("capture");
    let (mut created, mut deleted, mut other, mut failed) = (Vec::new(), 0, Vec::new(), 0);
    for line in log.lines() {
        // The capture has a line cut off mid-string and an INVITE_DELETE without
        // `channel_id`, on purpose: both are errors, neither panics.
        if GatewayEnvelope::from_json_str(line).is_err() {
            failed += 1;
            continue;
        }
        let message = decode(line);
        match &message.event {
            GatewayEvent::InviteCreate(e) => created.push((message.s, e.code.to_string())),
            GatewayEvent::InviteDelete(_) => deleted += 1,
            GatewayEvent::Other { t, .. } => other.push((message.op, t.clone())),
            e => panic!("a variant this test does not know: {e:?}"),
        }
    }
    assert_eq!(
        created,
        [
            (Nullable::Value(2), "hD3kQpW9".to_owned()),
            (Nullable::Value(4), "Str34m3r".to_owned()),
            (Nullable::Value(8), created[2].1.clone()),
        ]
    );
    assert_eq!((deleted, failed), (1, 2));
    assert_eq!(
        other,
        [
            (10, Nullable::Null),
            (0, Nullable::Value("READY".into())),
            (0, Nullable::Value("MESSAGE_CREATE".into())),
            (11, Nullable::Absent),
        ]
    );
}

#[test]
fn invite_create_is_typed_and_keeps_everything() {
    let d = invite_create_d().to_string().replace("[1.5]", "[1.50]");
    let text = format!(r#"{{"t":"INVITE_CREATE","s":42,"op":0,"d":{d},"future":1}}"#);
    let message = decode(&text);
    assert_eq!((message.op, message.s), (0, Nullable::Value(42)));
    assert_eq!(message.event.name(), Some("INVITE_CREATE"));
    let GatewayEvent::InviteCreate(e) = &message.event else {
        panic!("{message:?}")
    };
    assert_eq!(e.code, "abc");
    assert_eq!(
        e.extra.get_raw("future_field").map(|r| r.get()),
        Some("[1.50]")
    );
    assert_eq!(message.extra.get("future"), Some(json!(1)));
    // Discord's key order comes back byte for byte.
    assert_eq!(message.to_json_string().expect("encodes"), text);
}

#[test]
fn d_before_t_is_decoded_once_t_is_known() {
    for text in [
        json!({"op": 0, "d": invite_create_d(), "s": 1, "t": "INVITE_CREATE"}).to_string(),
        format!(
            r#"{{"d":{},"op":0,"t":"INVITE_CREATE","s":1}}"#,
            invite_create_d()
        ),
    ] {
        let message = decode(&text);
        assert!(
            matches!(&message.event, GatewayEvent::InviteCreate(e) if e.code == "abc"),
            "{message:?}"
        );
    }
    // A bad `d` read before `t` names its place inside `d`.
    let err = GatewayEnvelope::from_json_str(
        r#"{"op":0,"d":{"channel_id":"1","code":7},"t":"INVITE_DELETE","s":1}"#,
    )
    .unwrap_err();
    assert!(err.message().contains("/d/code"), "{err}");
    assert!(err.message().contains("INVITE_DELETE"), "{err}");
}

#[test]
fn other_events_and_opcodes_are_kept_as_sent() {
    for text in [
        r#"{"t":"MESSAGE_CREATE","s":3,"op":0,"d":{"content":"1.50","n":1.50}}"#,
        r#"{"t":null,"s":null,"op":10,"d":{"heartbeat_interval":41250}}"#,
        r#"{"op":11,"d":null}"#,
        r#"{"op":1,"d":251}"#,
        r#"{"op":7}"#,
        r#"{"t":"INVITE_CREATE","op":0}"#,
    ] {
        let message = decode(text);
        assert!(
            matches!(message.event, GatewayEvent::Other { .. }),
            "{text}"
        );
        assert_eq!(message.to_json_string().expect("encodes"), text);
    }
}

#[test]
fn bad_messages_are_errors_naming_the_place() {
    for (text, pointer, needle) in [
        (
            r#"{"t":"INVITE_DELETE","s":1,"d":{"channel_id":"1","code":"a"}}"#,
            "",
            "`op`",
        ),
        (
            r#"{"t":"INVITE_DELETE","op":0,"d":{"code":"a"}}"#,
            "/d",
            "channel_id",
        ),
        (
            r#"{"t":"INVITE_CREATE","op":0,"d":{"channel_id":"x"}}"#,
            "/d/channel_id",
            "snowflake",
        ),
        (r#"{"t":7,"op":0,"d":{}}"#, "/t", "invalid type"),
        (r#"{"t":"X","op":"0","d":{}}"#, "/op", "invalid type"),
        (r#"{"t":"X","op":0,"s":"1","d":{}}"#, "/s", "invalid type"),
        (r#"{"t":"X","op":0,"d":"\ud800"}"#, "/d", "surrogate"),
        (
            r#"{"t":"INVITE_DELETE","op":0,"d":{"channel_id":"1","code":"a"},"t":"INVITE_CREATE"}"#,
            "",
            "`t` changed",
        ),
        ("[1]", "", "invalid type"),
    ] {
        let err = GatewayEnvelope::from_json_str(text).unwrap_err();
        assert_eq!(err.pointer(), pointer, "{text}: {err}");
        assert!(err.to_string().contains(needle), "{text}: {err}");
    }
}

#[test]
fn built_messages_encode_as_discord_sends_them() {
    let d = InviteDeleteEvent {
        channel_id: 1.into(),
        guild_id: None,
        code: "abc".into(),
        extra: Default::default(),
    };
    let message = GatewayEnvelope::dispatch(d, 9);
    assert_eq!(
        message.to_json_string().expect("encodes"),
        r#"{"t":"INVITE_DELETE","s":9,"op":0,"d":{"channel_id":"1","code":"abc"}}"#
    );
    assert_eq!(
        GatewayEvent::KNOWN,
        [InviteCreateEvent::EVENT, InviteDeleteEvent::EVENT]
    );
}

#[test]
fn the_json_schema_covers_every_modelled_event() {
    let schema = serde_json::to_value(schemars::schema_for!(GatewayEnvelope)).expect("schema");
    let events: Vec<&str> = schema["allOf"]
        .as_array()
        .expect("allOf")
        .iter()
        .filter_map(|c| c["if"]["properties"]["t"]["const"].as_str())
        .collect();
    assert_eq!(events, GatewayEvent::KNOWN);
    let validator = jsonschema::validator_for(&schema).expect("compiles");
    let good = r#"{"t":"INVITE_DELETE","s":1,"op":0,"d":{"channel_id":"1","code":"a"}}"#;
    let bad = r#"{"t":"INVITE_DELETE","s":1,"op":0,"d":{"code":"a"}}"#;
    assert!(validator.is_valid(&serde_json::from_str(good).expect("json")));
    assert!(!validator.is_valid(&serde_json::from_str(bad).expect("json")));
    assert!(validator.is_valid(&json!({"op": 11, "d": null})));
}
