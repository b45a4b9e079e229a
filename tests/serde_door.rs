//! The models' `Deserialize` is a door to the SDK's own decoder (src/decode.rs): it asks for
//! the value's raw JSON text and decodes it with `Payload::from_json_str`, compiled once in
//! this crate, so a bot's crate that calls `serde_json::from_str::<Invite>` compiles almost
//! no decoder of its own (BENCHMARKS.md, "Build time"). These tests hold the door to that
//! shape and check that every way in gives what `from_json_*` gives.

use std::cell::RefCell;
use std::fmt;
use std::path::Path;

use discord_invite::{GatewayEnvelope, Invite, InviteGuild, Payload, User};
use serde::de::{self, Deserializer, Visitor};
use serde_json::Value;

/// The docs' payloads and the sample invites in `captures/`, as JSON text.
fn invites() -> Vec<String> {
    let mut out = Vec::new();
    for dir in ["tests/fixtures/docs", "captures/docs"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
        for entry in std::fs::read_dir(dir).expect("fixtures").flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|x| x == "json") {
                out.push(std::fs::read_to_string(path).expect("readable"));
            }
        }
    }
    assert!(out.len() > 8, "fixtures found: {}", out.len());
    out
}

/// A deserializer that records the first request made of it and fails.
struct Recorder<'a>(&'a RefCell<Vec<String>>);

#[derive(Debug)]
struct Stop;

impl fmt::Display for Stop {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("stop")
    }
}

impl std::error::Error for Stop {}

impl de::Error for Stop {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Stop
    }
}

impl<'de> Deserializer<'de> for Recorder<'_> {
    type Error = Stop;

    fn deserialize_any<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        self.0.borrow_mut().push("any".into());
        Err(Stop)
    }

    fn deserialize_map<V: Visitor<'de>>(self, _: V) -> Result<V::Value, Stop> {
        self.0.borrow_mut().push("map".into());
        Err(Stop)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _: V,
    ) -> Result<V::Value, Stop> {
        self.0.borrow_mut().push(format!("newtype {name}"));
        Err(Stop)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf
        option unit unit_struct seq tuple tuple_struct struct enum identifier ignored_any
    }
}

fn first_request<T: for<'de> serde::Deserialize<'de>>() -> Vec<String> {
    let log = RefCell::new(Vec::new());
    assert!(T::deserialize(Recorder(&log)).is_err());
    log.into_inner()
}

#[test]
fn deserialize_asks_for_the_raw_text_first() {
    let raw = vec!["newtype $serde_json::private::RawValue".to_owned()];
    assert_eq!(first_request::<Invite>(), raw);
    assert_eq!(first_request::<User>(), raw);
    assert_eq!(first_request::<InviteGuild>(), raw);
    assert_eq!(first_request::<GatewayEnvelope>(), raw);
}

#[test]
fn every_serde_json_entry_decodes_as_from_json_does() {
    for text in invites() {
        let Ok(ours) = Invite::from_json_str(&text) else {
            assert!(serde_json::from_str::<Invite>(&text).is_err(), "{text}");
            continue;
        };
        let value: Value = serde_json::from_str(&text).expect("JSON");
        assert_eq!(
            serde_json::from_str::<Invite>(&text).ok().as_ref(),
            Some(&ours)
        );
        assert_eq!(
            serde_json::from_slice::<Invite>(text.as_bytes())
                .ok()
                .as_ref(),
            Some(&ours)
        );
        assert_eq!(
            serde_json::from_reader::<_, Invite>(text.as_bytes())
                .ok()
                .as_ref(),
            Some(&ours)
        );
        // Through a `Value` the key order and repeated keys are the `Value`'s.
        let from_value = Invite::from_json_value(&value).expect("decodes");
        assert_eq!(
            serde_json::from_value::<Invite>(value.clone()).ok(),
            Some(from_value.clone())
        );
        assert_eq!(
            <Invite as serde::Deserialize>::deserialize(&value).ok(),
            Some(from_value)
        );
        // Re-encoding gives the input back, as from `from_json_str`.
        assert_eq!(
            serde_json::to_string(&serde_json::from_str::<Invite>(&text).unwrap()).unwrap(),
            ours.to_json_string().unwrap()
        );
    }
}

#[test]
fn models_inside_a_users_types() {
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Event {
        op: u8,
        d: Option<Invite>,
        list: Vec<Invite>,
    }
    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(untagged)]
    enum Either {
        Invite(Box<Invite>),
        Number(u64),
    }
    #[derive(serde::Deserialize, Debug, PartialEq)]
    #[serde(tag = "kind")]
    enum Tagged {
        A { invite: Invite },
    }
    #[derive(serde::Deserialize, Debug, PartialEq)]
    struct Flattened {
        note: String,
        #[serde(flatten)]
        invite: Invite,
    }
    let invite =
        r#"{"type":0,"code":"abc","channel":{"id":"1","type":0,"name":"c"},"new":[1,{"x":null}]}"#;
    let expected = Invite::from_json_str(invite).unwrap();

    let event: Event = serde_json::from_str(&format!(
        r#"{{"op":0,"d":{invite},"list":[{invite},{invite}]}}"#
    ))
    .unwrap();
    assert_eq!(event.d.as_ref(), Some(&expected));
    assert_eq!(event.list, vec![expected.clone(), expected.clone()]);

    // serde buffers untagged and internally tagged content: the door reads it as a value.
    assert_eq!(
        serde_json::from_str::<Either>(invite).unwrap(),
        Either::Invite(Box::new(expected.clone()))
    );
    assert_eq!(
        serde_json::from_str::<Either>("7").unwrap(),
        Either::Number(7)
    );
    let tagged: Tagged =
        serde_json::from_str(&format!(r#"{{"kind":"A","invite":{invite}}}"#)).unwrap();
    assert_eq!(
        tagged,
        Tagged::A {
            invite: expected.clone()
        }
    );

    // A flattened model gets the keys the user's struct leaves.
    let flattened: Flattened = serde_json::from_str(
        r#"{"note":"n","type":0,"code":"abc","channel":{"id":"1","type":0,"name":"c"},"new":[1,{"x":null}]}"#,
    )
    .unwrap();
    assert_eq!(flattened.note, "n");
    assert_eq!(flattened.invite, expected);
}

#[test]
fn errors_through_the_door_name_the_place() {
    let err = serde_json::from_str::<Invite>(r#"{"type":0,"code":7}"#).unwrap_err();
    assert!(err.is_data(), "{err}");
    let text = err.to_string();
    assert_eq!(
        text,
        "invalid type: integer `7`, expected a string at /code (line 1, column 18 of the value)"
    );

    let err = serde_json::from_str::<Invite>(
        r#"{"type":0,"code":"a","channel":{"id":"x","type":0,"name":"c"}}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains(" at /channel/id"), "{err}");

    // Syntax errors are serde_json's own, where they are.
    let err = serde_json::from_str::<Invite>(r#"{"type":0,"code":"a",}"#).unwrap_err();
    assert!(err.is_syntax(), "{err}");
    assert_eq!((err.line(), err.column()), (1, 22));

    // Not an object: the model's name in the message, as before.
    let err = serde_json::from_str::<Invite>(r#""abc""#).unwrap_err();
    assert!(
        err.to_string().contains("expected a `Invite` object"),
        "{err}"
    );
    let err = serde_json::from_value::<User>(serde_json::json!([1])).unwrap_err();
    assert!(
        err.to_string().contains("expected a `UserResponse` object"),
        "{err}"
    );
}

#[test]
fn the_nesting_limit_holds_through_the_door() {
    let deep = format!(
        r#"{{"code":"x","zz":{}{}}}"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    assert!(Invite::from_json_str(&deep).is_err());
    assert!(serde_json::from_str::<Invite>(&deep).is_err());
    let ok = format!(
        r#"{{"code":"x","zz":{}{}}}"#,
        "[".repeat(100),
        "]".repeat(100)
    );
    assert_eq!(
        serde_json::from_str::<Invite>(&ok).ok(),
        Invite::from_json_str(&ok).ok()
    );
}
