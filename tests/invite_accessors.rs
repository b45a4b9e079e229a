//! Every invite variant answers the common questions: accessors on `Invite` for an invite of a
//! `type` this version does not know, the variant views (`as_guild`…), NAFF's
//! `target_event_id` and `stage_instance`, and request bodies built with `From<T>`.

use discord_invite::*;
use serde_json::{json, Value};

fn decode(v: &Value) -> Invite {
    let invite = Invite::from_json_value(v).unwrap_or_else(|e| panic!("{v}: {e}"));
    // The round-trip law holds for every shape below.
    assert_eq!(invite.to_json_value().expect("encodes"), *v);
    let text = Invite::from_json_str(&v.to_string()).expect("text");
    assert_eq!(text, invite);
    invite
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

fn user() -> Value {
    json!({"id": "80351110224678912", "username": "nelly", "discriminator": "0", "avatar": null})
}

#[test]
fn an_unknown_type_answers_the_common_questions() {
    let v = json!({
        "type": 9,
        "code": "new",
        "inviter": user(),
        "channel": {"id": "1", "type": 0, "name": "general"},
        "created_at": "2020-01-01T00:00:00+00:00",
        "max_age": 3600,
        "expires_at": "2020-01-01T01:00:00+00:00",
        "uses": 3,
        "max_uses": 10,
        "guild_id": "5",
        "flags": 1,
        "surprise": "x"
    });
    let invite = decode(&v);
    assert_eq!(invite.kind(), InviteType::Unknown(9));
    let now = ts("2026-01-01T00:00:00Z");
    assert_eq!(
        invite.effective_expires_at(),
        Some(ts("2020-01-01T01:00:00Z"))
    );
    assert!(invite.is_expired(now));
    assert_eq!(invite.expires_at(), Some(ts("2020-01-01T01:00:00Z")));
    assert_eq!(invite.created_at(), Some(ts("2020-01-01T00:00:00Z")));
    assert_eq!(invite.max_age(), Some(3600));
    assert_eq!(invite.uses(), Some(3));
    assert_eq!(invite.max_uses(), Some(10));
    assert_eq!(invite.remaining_uses(), Some(7));
    assert_eq!(invite.guild_id(), Some(Snowflake::new(5)));
    assert_eq!(
        invite.flags(),
        Some(GuildInviteFlags::IS_GUEST_INVITE),
        "flags"
    );
    assert_eq!(invite.inviter().map(|u| u.username.as_str()), Some("nelly"));
    assert_eq!(invite.channel().map(|c| c.id), Some(Snowflake::new(1)));
    // Fields no known variant has stay in `extra`.
    assert_eq!(invite.extra().get("surprise"), Some(json!("x")));
}

#[test]
fn an_unknown_type_without_expires_at_computes_it() {
    let invite = decode(&json!({
        "type": 9, "code": "new", "created_at": "2020-01-01T00:00:00+00:00", "max_age": 60
    }));
    assert_eq!(
        invite.effective_expires_at(),
        Some(ts("2020-01-01T00:01:00Z"))
    );
    assert!(invite.is_expired(ts("2026-01-01T00:00:00Z")));
    // `null` means never, as for the known variants.
    let never = decode(
        &json!({"type": 9, "code": "n", "expires_at": null, "max_age": 60,
        "created_at": "2020-01-01T00:00:00+00:00"}),
    );
    assert_eq!(never.effective_expires_at(), None);
    assert!(!never.is_expired(ts("2026-01-01T00:00:00Z")));
}

#[test]
fn variant_views() {
    let guild = decode(&json!({"type": 0, "code": "g"}));
    let dm = decode(&json!({"type": 1, "code": "d"}));
    let friend = decode(&json!({"type": 2, "code": "f"}));
    let unknown = decode(&json!({"type": 9, "code": "u"}));
    assert_eq!(guild.as_guild().map(|g| g.code.as_str()), Some("g"));
    assert!(guild.as_group_dm().is_none() && guild.as_friend().is_none());
    assert_eq!(dm.as_group_dm().map(|g| g.code.as_str()), Some("d"));
    assert_eq!(friend.as_friend().map(|f| f.code.as_str()), Some("f"));
    assert_eq!(unknown.as_unknown().map(|u| u.code.as_str()), Some("u"));
    assert!(unknown.as_guild().is_none());
    assert_eq!(guild.clone().into_guild().map(|g| g.code), Some("g".into()));
    assert!(guild.into_friend().is_none());
    assert_eq!(dm.into_group_dm().map(|g| g.code), Some("d".into()));
    assert_eq!(friend.into_friend().map(|g| g.code), Some("f".into()));
    assert_eq!(unknown.into_unknown().map(|u| u.code), Some("u".into()));
}

#[test]
fn naff_target_event_id_is_read_and_linked() {
    let invite = decode(&json!({"type": 0, "code": "abc", "target_event_id": "42"}));
    assert_eq!(invite.target_event_id(), Some(Snowflake::new(42)));
    assert_eq!(invite.scheduled_event_id(), Some(Snowflake::new(42)));
    assert_eq!(invite.link(), "https://discord.gg/abc?event=42");
    assert_eq!(
        invite.as_guild().map(GuildInvite::link).as_deref(),
        Some("https://discord.gg/abc?event=42")
    );
    // The scheduled event object wins over the bare id.
    let both = decode(&json!({"type": 0, "code": "abc", "target_event_id": "42",
        "guild_scheduled_event": {"id": "7", "guild_id": "1", "name": "Quiz",
            "scheduled_start_time": "2026-01-01T00:00:00+00:00", "status": 1, "entity_type": 2}}));
    assert_eq!(both.link(), "https://discord.gg/abc?event=7");
    // Other variants and an unknown type read it too; a malformed one is no event.
    let friend = decode(&json!({"type": 2, "code": "f", "target_event_id": "9"}));
    assert_eq!(friend.link(), "https://discord.gg/f?event=9");
    let unknown = decode(&json!({"type": 9, "code": "u", "guild_scheduled_event": {"id": "8"}}));
    assert_eq!(unknown.link(), "https://discord.gg/u?event=8");
    let bad = decode(&json!({"type": 0, "code": "b", "target_event_id": "soon"}));
    assert_eq!(
        (bad.target_event_id(), bad.link()),
        (None, "https://discord.gg/b".into())
    );
}

#[test]
fn deprecated_stage_instance_is_typed() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/docs");
    let stage: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.join("invite-stage-instance.json")).expect("fixture"),
    )
    .expect("json");
    let invite = decode(&json!({"type": 0, "code": "abc", "stage_instance": stage}));
    let s = invite.stage_instance().expect("present").expect("decodes");
    assert_eq!(s.topic, "The debate is over: diet is better than regular");
    assert_eq!((s.participant_count, s.speaker_count), (200, 5));
    assert_eq!(s.members.len(), 1);
    assert_eq!(
        invite.as_guild().and_then(GuildInvite::stage_instance),
        Some(Ok(s))
    );
    // Absent or null: none; malformed: an error naming the place.
    assert!(decode(&json!({"type": 0, "code": "a"}))
        .stage_instance()
        .is_none());
    assert!(
        decode(&json!({"type": 0, "code": "a", "stage_instance": null}))
            .stage_instance()
            .is_none()
    );
    let err = decode(&json!({"type": 0, "code": "a", "stage_instance": {"topic": 5}}))
        .stage_instance()
        .expect("present")
        .unwrap_err();
    assert_eq!(err.pointer(), "/stage_instance/topic");
}

#[test]
fn request_bodies_read_like_rust() {
    let body = CreateGuildInviteRequest {
        max_age: 3600.into(),
        max_uses: 5.into(),
        unique: true.into(),
        role_ids: vec![Snowflake::new(9)].into(),
        ..Default::default()
    };
    assert_eq!(
        body.to_json_value().expect("encodes"),
        json!({"max_age": 3600, "max_uses": 5, "unique": true, "role_ids": ["9"]})
    );
    // `Option` still means value or explicit null.
    let cleared: Nullable<i64> = None.into();
    assert_eq!(cleared, Nullable::Null);
}
