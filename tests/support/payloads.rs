//! Payload generators shared by the property tests (`round_trip_props.rs`,
//! `serde_formats.rs`): well-formed invites, messy mixes of right and wrong values, gateway
//! messages, with unknown fields at every level.
#![allow(dead_code)] // each test file uses its own subset

use proptest::prelude::*;
use serde_json::{json, Map, Value};

pub fn snowflake() -> impl Strategy<Value = Value> {
    any::<u64>().prop_map(|n| Value::String(n.to_string()))
}

pub fn timestamp() -> impl Strategy<Value = Value> {
    (
        2015i32..2040,
        1u8..=12,
        1u8..=28,
        0u8..24,
        0u8..60,
        0u8..60,
        prop_oneof![Just(""), Just(".123"), Just(".954000"), Just(".123456789")],
        prop_oneof![Just("Z"), Just("+00:00"), Just("-05:30")],
    )
        .prop_map(|(y, mo, d, h, mi, s, frac, off)| {
            Value::String(format!(
                "{y:04}-{mo:02}-{d:02}T{h:02}:{mi:02}:{s:02}{frac}{off}"
            ))
        })
}

pub fn small_string() -> impl Strategy<Value = Value> {
    "[a-zA-Z0-9 _é🙂-]{0,12}".prop_map(Value::String)
}

/// Arbitrary JSON, for unknown fields.
pub fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (-1e6f64..1e6).prop_map(|f| json!(f)),
        small_string(),
    ];
    leaf.prop_recursive(3, 16, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,8}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

pub fn maybe(
    key: &'static str,
    v: impl Strategy<Value = Value>,
) -> impl Strategy<Value = Option<(String, Value)>> {
    // absent, null or a value: the three states
    prop_oneof![
        2 => Just(None),
        1 => Just(Some((key.to_owned(), Value::Null))),
        4 => v.prop_map(move |v| Some((key.to_owned(), v))),
    ]
}

pub fn user() -> impl Strategy<Value = Value> {
    (
        snowflake(),
        small_string(),
        prop::option::of(any::<u32>()),
        any_json(),
    )
        .prop_map(|(id, name, flags, extra)| {
            let mut u = json!({"id": id, "username": name, "discriminator": "0", "avatar": null});
            if let Some(f) = flags {
                u["flags"] = json!(f);
                u["global_name"] = Value::Null;
            }
            u["x_unknown"] = extra;
            u
        })
}

/// A well-formed invite of any type (including unknown ones), with optional and nullable
/// fields in all three states and unknown fields at the top level and nested.
pub fn invite() -> impl Strategy<Value = Value> {
    let tag = prop_oneof![
        Just(None),
        (0i64..=2).prop_map(Some),
        (3i64..100).prop_map(Some)
    ];
    let fields = (
        maybe("expires_at", timestamp()),
        maybe(
            "approximate_member_count",
            any::<i32>().prop_map(|n| json!(n)),
        ),
        maybe("roles", Just(json!([]))),
        prop::option::of(user()).prop_map(|u| u.map(|u| ("inviter".to_owned(), u))),
        prop::option::of(timestamp()).prop_map(|t| t.map(|t| ("created_at".to_owned(), t))),
        prop::option::of(any::<i32>()).prop_map(|n| n.map(|n| ("uses".to_owned(), json!(n)))),
        prop::option::of(snowflake()).prop_map(|s| s.map(|s| ("guild_id".to_owned(), s))),
        prop::option::of(0u64..16).prop_map(|f| f.map(|f| ("flags".to_owned(), json!(f)))),
        prop::collection::btree_map("zz_[a-z]{1,6}", any_json(), 0..3),
    );
    ("[a-zA-Z0-9-]{1,16}", tag, fields, snowflake()).prop_map(|(code, tag, f, channel_id)| {
        let mut m = Map::new();
        if let Some(t) = tag {
            m.insert("type".into(), json!(t));
        }
        m.insert("code".into(), json!(code));
        m.insert(
            "channel".into(),
            json!({"id": channel_id, "type": 0, "name": "c", "zz": [1]}),
        );
        for (k, v) in [f.0, f.1, f.2, f.3, f.4, f.5, f.6, f.7]
            .into_iter()
            .flatten()
        {
            m.insert(k, v);
        }
        for (k, v) in f.8 {
            m.insert(k, v);
        }
        Value::Object(m)
    })
}

/// Anything from a pool of invite keys with values of the right or the wrong type.
pub fn messy_invite() -> impl Strategy<Value = Value> {
    let keys = prop::sample::select(vec![
        "type",
        "code",
        "channel",
        "guild",
        "guild_id",
        "inviter",
        "expires_at",
        "uses",
        "max_uses",
        "flags",
        "target_type",
        "roles",
        "friends_count",
        "approximate_member_count",
        "guild_scheduled_event",
        "target_user",
        "is_contact",
        "unknown_a",
    ]);
    let value = prop_oneof![
        any_json(),
        snowflake(),
        timestamp(),
        (0i64..4).prop_map(|n| json!(n)),
        Just(json!({"id": "1", "name": "g"})),
        Just(json!({"id": "1", "type": 0, "name": null})),
        Just(json!({"id": "1", "username": "u"})),
    ];
    prop::collection::btree_map(keys, value, 0..10)
        .prop_map(|m| Value::Object(m.into_iter().map(|(k, v)| (k.to_owned(), v)).collect()))
}

/// A gateway message with its keys in any order: an INVITE_CREATE / INVITE_DELETE with a
/// well-formed `d`, another event or opcode with any `d`, `s` and `t` in their three states,
/// unknown keys.
pub fn gateway_message() -> impl Strategy<Value = (String, Value)> {
    let create = (
        snowflake(),
        timestamp(),
        maybe("expires_at", timestamp()),
        any_json(),
    )
        .prop_map(|(channel, created, expires, extra)| {
            let mut d = json!({"channel_id": channel, "code": "abc", "created_at": created,
                "max_age": 0, "max_uses": 0, "temporary": false, "uses": 0, "zz": extra});
            if let Some((k, v)) = expires {
                d[k] = v;
            }
            (Some("INVITE_CREATE"), Some(d))
        });
    let delete = (snowflake(), prop::option::of(snowflake())).prop_map(|(channel, guild)| {
        let mut d = json!({"channel_id": channel, "code": "abc"});
        if let Some(g) = guild {
            d["guild_id"] = g;
        }
        (Some("INVITE_DELETE"), Some(d))
    });
    let other = (
        prop::sample::select(vec![None, Some("MESSAGE_CREATE"), Some("READY")]),
        prop::option::of(any_json()),
    );
    let event = prop_oneof![create, delete, other];
    let t_null = any::<bool>();
    let s = maybe("s", any::<u32>().prop_map(|n| json!(n)));
    let extra = prop::collection::btree_map("zz_[a-z]{1,4}", any_json(), 0..2);
    (event, t_null, s, 0i64..12, extra, any::<u64>()).prop_map(
        |((t, d), t_null, s, op, extra, seed)| {
            let mut entries: Vec<(String, Value)> = vec![("op".into(), json!(op))];
            match t {
                Some(t) => entries.push(("t".into(), json!(t))),
                None if t_null => entries.push(("t".into(), Value::Null)),
                None => {}
            }
            entries.extend(d.map(|d| ("d".to_owned(), d)));
            entries.extend(s);
            entries.extend(extra);
            // Any key order, `d` before `t` included.
            let n = entries.len();
            for i in (1..n).rev() {
                entries.swap(i, (seed >> (i * 3)) as usize % (i + 1));
            }
            let value = Value::Object(entries.into_iter().collect());
            (value.to_string(), value)
        },
    )
}
