//! Behaviour of the generated models: tri-state fields, open enums, the `Invite` union,
//! unknown fields, decode errors with their location, partial updates and flags.

use discord_invite::*;
use serde_json::{json, Value};

fn rt<T: Payload>(v: Value) -> T {
    let model = T::from_json_value(&v).unwrap_or_else(|e| panic!("{v}: {e}"));
    assert_eq!(model.to_json_value().expect("encodes"), v, "round trip");
    // Equal as JSON; key order is canonical (schema order, then unknown keys as they came).
    let text = v.to_string();
    let again: Value = serde_json::from_str(
        &T::from_json_str(&text)
            .expect("text")
            .to_json_string()
            .expect("encodes"),
    )
    .unwrap();
    assert_eq!(again, v);
    model
}

fn channel() -> Value {
    json!({"id": "1", "type": 0, "name": "general"})
}

#[test]
fn absent_null_and_value_are_three_states() {
    let base = json!({"type": 0, "code": "abc", "channel": channel()});
    let absent: Invite = rt(base.clone());
    let mut with_null = base.clone();
    with_null["expires_at"] = Value::Null;
    with_null["approximate_member_count"] = Value::Null;
    let null: Invite = rt(with_null);
    let mut with_value = base;
    with_value["expires_at"] = json!("2026-01-02T03:04:05.678000+00:00");
    with_value["approximate_member_count"] = json!(7);
    let value: Invite = rt(with_value);
    let get = |i: &Invite| match i {
        Invite::Guild(g) => (g.expires_at, g.approximate_member_count),
        other => panic!("not a guild invite: {other:?}"),
    };
    assert_eq!(get(&absent), (Nullable::Absent, Nullable::Absent));
    assert_eq!(get(&null), (Nullable::Null, Nullable::Null));
    assert!(get(&value).0.is_value());
    assert_eq!(get(&value).1, Nullable::Value(7));
    assert_eq!(absent.expires_at(), None);
    assert_eq!(value.approximate_member_count(), Some(7));
}

#[test]
fn required_nullable_fields_keep_null_and_reject_absence() {
    // InviteGuild.description is required and nullable: `null` round-trips…
    let g: InviteGuild = rt(json!({"id": "1", "name": "g", "description": null}));
    assert!(g.description.is_null());
    // …and a non-nullable field set to null is a type error naming the field.
    let err = InviteGuild::from_json_value(&json!({"id": "1", "name": null})).unwrap_err();
    assert_eq!(err.pointer(), "/name");
    assert!(err.message().contains("invalid type: null"), "{err}");
}

#[test]
fn unknown_fields_are_kept_at_every_level() {
    let v = json!({
        "type": 0, "code": "abc", "brand_new": {"x": [1, 2]},
        "channel": {"id": "1", "type": 0, "name": "c", "channel_new": true},
        "inviter": {"id": "2", "username": "u", "user_new": null},
    });
    let invite: Invite = rt(v);
    let Invite::Guild(g) = &invite else { panic!() };
    assert_eq!(g.extra.get("brand_new"), Some(json!({"x": [1, 2]})));
    assert_eq!(
        invite.inviter().and_then(|u| u.extra.get("user_new")),
        Some(Value::Null)
    );
}

#[test]
fn invite_variants_by_type() {
    let gdm: Invite = rt(
        json!({"type": 1, "code": "g", "channel": {"id": "5", "type": 3, "name": null, "recipients": [{"id": "6", "username": "r", "avatar": null}]}}),
    );
    assert!(matches!(gdm, Invite::GroupDm(_)));
    assert_eq!(gdm.kind(), InviteType::GroupDm);
    let friend: Invite = rt(json!({"type": 2, "code": "f", "channel": null, "friends_count": 3}));
    assert!(matches!(friend, Invite::Friend(_)));
    assert_eq!(friend.channel(), None);
}

#[test]
fn invite_without_type_is_an_older_guild_invite_and_stays_without_type() {
    let invite: Invite = rt(json!({"code": "old", "guild": {"id": "1", "name": "g"}}));
    let Invite::Guild(g) = &invite else {
        panic!("{invite:?}")
    };
    assert_eq!(g.kind, None);
    assert_eq!(invite.kind(), InviteType::Guild);
}

#[test]
fn invite_of_unknown_type_decodes_and_keeps_everything() {
    let v = json!({"type": 9, "code": "new", "channel": channel(), "uses": 3, "surprise": "x"});
    let invite: Invite = rt(v);
    assert_eq!(invite.kind(), InviteType::Unknown(9));
    assert_eq!(invite.code(), "new");
    assert_eq!(invite.link(), "https://discord.gg/new");
    let Invite::Unknown(u) = &invite else {
        panic!("{invite:?}")
    };
    assert_eq!(u.extra.get("uses"), Some(json!(3)));
    assert_eq!(u.extra.get("surprise"), Some(json!("x")));
}

#[test]
fn a_field_of_another_variant_is_kept() {
    // `guild` belongs to guild invites; on a friend invite it is kept as an unknown field.
    let invite: Invite = rt(json!({"type": 2, "code": "f", "guild": {"id": "1", "name": "g"}}));
    let Invite::Friend(f) = &invite else { panic!() };
    assert_eq!(f.extra.get("guild"), Some(json!({"id": "1", "name": "g"})));
}

#[test]
fn invite_decode_failures() {
    for (v, pointer, needle) in [
        (json!({"type": 0}), "", "missing field `code`"),
        (json!({"type": null, "code": "x"}), "", "`type`"),
        (json!({"type": "0", "code": "x"}), "/type", "invalid type"),
        (json!({"type": 0, "code": 5}), "/code", "invalid type"),
        (
            json!({"type": 0, "code": "x", "guild_id": "12a"}),
            "/guild_id",
            "snowflake",
        ),
        (
            json!({"type": 0, "code": "x", "guild_id": 12}),
            "/guild_id",
            "invalid type",
        ),
        (
            json!({"type": 0, "code": "x", "expires_at": "tomorrow"}),
            "/expires_at",
            "RFC 3339",
        ),
        (
            json!({"type": 0, "code": "x", "guild": {"id": "1", "name": "g", "features": [1]}}),
            "/guild/features/0",
            "invalid type",
        ),
        (json!([1]), "", "invalid type"),
        // The spec's `int32` fields and enums: wider is refused, never wrapped.
        (
            json!({"type": 0, "code": "x", "max_age": 2_147_483_648_i64}),
            "/max_age",
            "`2147483648`, expected i32",
        ),
        (
            json!({"type": 0, "code": "x", "guild": {"id": "1", "name": "g", "nsfw_level": -2_147_483_649_i64}}),
            "/guild/nsfw_level",
            "`-2147483649`, expected i32",
        ),
        (
            json!({"type": 4_294_967_296_i64, "code": "x"}),
            "/type",
            "`4294967296`, expected i32",
        ),
    ] {
        let err = Invite::from_json_value(&v).expect_err(&v.to_string());
        assert_eq!(err.pointer(), pointer, "{v}: {err}");
        assert!(err.to_string().contains(needle), "{v}: {err}");
        assert_eq!(err.kind(), DecodeErrorKind::Data);
        assert_eq!(err.line(), None, "a Value has no lines");
    }
}

#[test]
fn text_errors_carry_line_and_column() {
    let text =
        "{\n  \"type\": 0,\n  \"code\": \"x\",\n  \"guild\": {\"id\": \"1\", \"name\": 7}\n}";
    let err = Invite::from_json_str(text).unwrap_err();
    assert_eq!(err.pointer(), "/guild/name");
    assert_eq!((err.line(), err.column()), (Some(4), Some(32)));
    assert!(err.to_string().ends_with("(line 4, column 32)"), "{err}");

    let err = Invite::from_json_str("{\"code\": \"x\",}").unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Syntax);
    assert_eq!(err.line(), Some(1));
    let err = Invite::from_json_slice(b"{\"code\": \"x\"").unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Eof);
    let err = Invite::from_json_slice(b"{\"code\": \"\xff\"}").unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Syntax);
    // A value wider than the spec's `int32`, through the fast reader and serde_json alike.
    let text = "{\"code\": \"x\",\n \"uses\": 2147483648}";
    for err in [
        Invite::from_json_str(text).unwrap_err(),
        Invite::from_json_slice(text.as_bytes()).unwrap_err(),
    ] {
        assert_eq!(err.pointer(), "/uses", "{err}");
        assert_eq!((err.line(), err.column()), (Some(2), Some(19)), "{err}");
        assert!(err.to_string().contains("expected i32"), "{err}");
    }
    let ok =
        Invite::from_json_str("{\"code\": \"x\", \"uses\": 2147483647, \"max_age\": -2147483648}");
    assert_eq!(
        ok.as_ref().map(|i| (i.uses(), i.max_age())).ok(),
        Some((Some(i32::MAX), Some(i32::MIN)))
    );
    let err = Invite::from_json_str("{\"code\": \"x\"} trailing").unwrap_err();
    assert_eq!(err.kind(), DecodeErrorKind::Syntax);
}

#[test]
fn merge_applies_a_partial_update() {
    let mut invite = Invite::from_json_value(
        &json!({"type": 0, "code": "abc", "uses": 1, "expires_at": "2026-01-01T00:00:00+00:00"}),
    )
    .unwrap();
    invite
        .merge_json(&json!({"uses": 2, "expires_at": null, "new_key": 1}))
        .unwrap();
    assert_eq!(invite.uses(), Some(2));
    assert_eq!(
        invite.to_json_value().unwrap(),
        json!({"type": 0, "code": "abc", "uses": 2, "expires_at": null, "new_key": 1})
    );
    // A bad patch leaves the value unchanged and says where.
    let before = invite.clone();
    let err = invite.merge_json(&json!({"uses": "many"})).unwrap_err();
    assert_eq!(err.pointer(), "/uses");
    assert_eq!(invite, before);
    assert!(invite.merge_json(&json!([1])).is_err());
    assert_eq!(invite, before);
}

#[test]
fn flags_keep_unknown_bits() {
    let g: GuildInvite = rt(json!({"type": 0, "code": "a", "flags": 1 | 8}));
    let flags = g.flags.expect("flags");
    assert!(flags.contains(GuildInviteFlags::IS_GUEST_INVITE));
    assert_eq!(flags.bits(), 9);
    assert_eq!(
        format!("{flags:?}"),
        "GuildInviteFlags(IS_GUEST_INVITE | 0x8)"
    );
    assert_eq!(
        format!("{:?}", GuildInviteFlags::empty()),
        "GuildInviteFlags(0x0)"
    );
    assert!(GuildInvite::from_json_value(&json!({"code": "a", "flags": -1})).is_err());
}

#[test]
fn gateway_events() {
    let create: InviteCreateEvent = rt(json!({
        "channel_id": "1", "code": "abc", "created_at": "2026-01-01T00:00:00.000000+00:00",
        "guild_id": "2", "max_age": 60, "max_uses": 5, "temporary": false, "uses": 1,
        "expires_at": "2026-01-01T00:01:00.000000+00:00", "role_ids": ["3"]
    }));
    assert_eq!(InviteCreateEvent::EVENT, "INVITE_CREATE");
    assert_eq!(create.remaining_uses(), Some(4));
    // Older INVITE_CREATE payloads have no expires_at: computed from created_at + max_age.
    let old: InviteCreateEvent = rt(json!({
        "channel_id": "1", "code": "abc", "created_at": "2026-01-01T00:00:00Z",
        "max_age": 60, "max_uses": 0, "temporary": false, "uses": 1
    }));
    assert_eq!(
        old.effective_expires_at().map(|t| t.to_string()).as_deref(),
        Some("2026-01-01T00:01:00Z")
    );
    assert_eq!(old.remaining_uses(), None);
    let now: Timestamp = "2026-01-01T00:00:30Z".parse().unwrap();
    assert!(!old.is_expired(now));
    assert!(old.is_expired(now.checked_add_seconds(30).unwrap()));
    let delete: InviteDeleteEvent = rt(json!({"channel_id": "1", "code": "abc"}));
    assert_eq!(InviteDeleteEvent::EVENT, "INVITE_DELETE");
    assert_eq!(delete.guild_id, None);
}

#[test]
fn expiry_and_uses_on_invites() {
    let never: Invite = rt(json!({"type": 0, "code": "a", "expires_at": null, "max_age": 0}));
    assert_eq!(never.effective_expires_at(), None);
    assert!(!never.is_expired(Timestamp::now()));
    let used_up: Invite = rt(json!({"type": 0, "code": "a", "uses": 7, "max_uses": 5}));
    assert_eq!(used_up.remaining_uses(), Some(0));
}

/// Every generated enum, with a known and an unknown value.
macro_rules! int_enums {
    ($($t:ident = $known:expr),* $(,)?) => {
        #[test]
        fn every_integer_enum_known_and_unknown() {
            $(
                let known: $t = serde_json::from_value(json!($known)).unwrap();
                assert!(!known.is_unknown(), "{} {}", stringify!($t), $known);
                assert_eq!(serde_json::to_value(known).unwrap(), json!($known));
                let unknown: $t = serde_json::from_value(json!(987_654)).unwrap();
                assert_eq!(unknown, $t::Unknown(987_654));
                assert_eq!(serde_json::to_value(unknown).unwrap(), json!(987_654));
                assert!(serde_json::from_value::<$t>(json!("1")).is_err());
                // The spec's `int32`: a wider value is refused, never wrapped.
                let wide = serde_json::from_value::<$t>(json!(4_294_967_296_i64)).unwrap_err();
                assert!(wide.to_string().contains("4294967296"), "{wide}");
            )*
            let names = [$(stringify!($t)),*];
            check_all_listed(&names, false);
        }
    };
}

macro_rules! string_enums {
    ($($t:ident = $known:expr),* $(,)?) => {
        #[test]
        fn every_string_enum_known_and_unknown() {
            $(
                let known: $t = serde_json::from_value(json!($known)).unwrap();
                assert!(!known.is_unknown(), "{} {}", stringify!($t), $known);
                assert_eq!(known.as_str(), $known);
                assert_eq!(serde_json::to_value(&known).unwrap(), json!($known));
                let unknown: $t = serde_json::from_value(json!("NOT_YET_INVENTED")).unwrap();
                assert_eq!(unknown, $t::Unknown("NOT_YET_INVENTED".into()));
                assert_eq!(serde_json::to_value(&unknown).unwrap(), json!("NOT_YET_INVENTED"));
                assert!(serde_json::from_value::<$t>(json!(1)).is_err());
            )*
            let names = [$(stringify!($t)),*];
            check_all_listed(&names, true);
        }
    };
}

int_enums! {
    ApplicationType = 4,
    ChannelType = 16,
    GuildNsfwLevel = 3,
    InviteTargetType = 2,
    InviteType = 1,
    RecurrenceRuleFrequency = 0,
    RecurrenceRuleMonth = 12,
    RecurrenceRuleWeekday = 6,
    ScheduledEventEntityType = 3,
    ScheduledEventPrivacyLevel = 2,
    ScheduledEventStatus = 4,
    ScheduledEventUserResponseKind = 1,
    TargetUsersJobStatusKind = 2,
    VerificationLevel = 4,
}

string_enums! {
    GuildFeature = "GUESTS_ENABLED",
    NameplatePalette = "bubble_gum",
    OAuth2Scope = "applications.commands",
}

/// The lists above must name every enum the generator emits.
fn check_all_listed(names: &[&str], string: bool) {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/generated/models.rs"))
        .unwrap();
    let markers: &[&str] = if string {
        &["Unknown(crate::Text)"]
    } else {
        &["Unknown(i32)", "Unknown(i64)"]
    };
    let mut generated = Vec::new();
    let mut current = None;
    for line in text.lines() {
        if let Some(rest) = line.strip_prefix("pub enum ") {
            current = rest.split_whitespace().next().map(str::to_owned);
        }
        if markers.iter().any(|m| line.trim() == format!("{m},")) {
            if let Some(name) = current.take() {
                generated.push(name);
            }
        }
    }
    generated.sort();
    let mut listed: Vec<String> = names.iter().map(|s| s.to_string()).collect();
    listed.sort();
    assert_eq!(listed, generated, "add the new enum to the test list");
}

#[test]
fn numbers_in_unknown_fields_are_kept_exactly() {
    // Found by the round-trip property test: parsed into a Value tree, floats drifted in the
    // last digit and integers beyond u64 became floats. Unknown fields are raw text now.
    let text =
        r#"{"code":"a","big":123456789012345678901234567890,"f":960861.2527696092,"neg":-0.0}"#;
    let invite = Invite::from_json_str(text).unwrap();
    assert_eq!(invite.to_json_string().unwrap(), text);
}

#[test]
fn a_malformed_field_of_another_variant_is_kept_raw_when_the_tag_comes_first() {
    // A friend invite with a partial guild (no `name`): `guild` is not a friend-invite field,
    // so it is kept as sent instead of failing as an incomplete guild.
    let invite: Invite = rt(json!({"type": 2, "code": "f", "guild": {"id": "1"}}));
    let Invite::Friend(f) = &invite else {
        panic!("{invite:?}")
    };
    assert_eq!(f.extra.get("guild"), Some(json!({"id": "1"})));
    // An unknown type keeps it too.
    let invite: Invite = rt(json!({"type": 7, "code": "u", "guild": {"id": "1"}}));
    assert_eq!(invite.kind(), InviteType::Unknown(7));
}

#[test]
fn unknown_fields_keep_their_text_and_repetitions() {
    let text = r#"{"code":"a","x":1.50,"x":[1, 2],"y":{"deep":{"er":null}}}"#;
    let invite = Invite::from_json_str(text).unwrap();
    let Invite::Guild(g) = &invite else { panic!() };
    assert_eq!(g.extra.len(), 3);
    assert_eq!(
        g.extra.get("x"),
        Some(json!([1, 2])),
        "last occurrence wins"
    );
    assert_eq!(
        g.extra.get_raw("y").map(|r| r.get()),
        Some(r#"{"deep":{"er":null}}"#)
    );
    assert_eq!(invite.to_json_string().unwrap(), text);
    let mut copy = g.clone();
    assert_eq!(
        copy.extra
            .remove("x")
            .map(|r| r.get().to_owned())
            .as_deref(),
        Some("[1, 2]")
    );
    assert!(!copy.extra.contains_key("x"));
    assert_ne!(&copy, g);
}

#[test]
fn number_fields_keep_integer_and_float_apart() {
    // Fuzz finding (STRICT_FLOATS): as f64, `100` re-encoded as `100.0`, a different JSON value.
    for text in [
        r#"{"code":0,"message":"slow down","retry_after":100,"global":false}"#,
        r#"{"code":0,"message":"slow down","retry_after":0.5,"global":true}"#,
        r#"{"code":0,"message":"slow down","retry_after":-0.0,"global":true}"#,
    ] {
        let e = RateLimitedError::from_json_str(text).unwrap();
        assert_eq!(e.to_json_string().unwrap(), text);
    }
}

/// The spec's `int32` integers are `i32`: in an `Option` or a `Nullable`, and as integer
/// enums, 8 bytes where an `i64` took 16 (issue 16: memory per invite). Layout, not timing.
#[test]
fn int32_fields_take_half_the_room_of_int64_ones() {
    use std::mem::size_of;
    assert_eq!(size_of::<Option<i32>>(), 8);
    assert_eq!(size_of::<Nullable<i32>>(), 8);
    assert_eq!(size_of::<Option<InviteType>>(), 8);
    assert_eq!(size_of::<Nullable<VerificationLevel>>(), 8);
    assert_eq!(size_of::<ChannelType>(), 8);
    let g = GuildInvite::from_json_str(r#"{"code":"a"}"#).unwrap();
    let _: (Option<i32>, Option<i32>, Nullable<i32>) =
        (g.max_age, g.uses, g.approximate_member_count);
    // 984 bytes when every integer was an `i64`.
    assert!(
        size_of::<GuildInvite>() <= 880,
        "{}",
        size_of::<GuildInvite>()
    );
    assert!(size_of::<Invite>() <= 880, "{}", size_of::<Invite>());
}
