//! A whole gateway message, `{"op":0,"t":"INVITE_CREATE","s":42,"d":{…}}`, as a bot logging
//! the gateway has it: the envelope (`op`, `s`, unknown keys) around a [`GatewayEvent`] (`t`
//! and `d`, generated from the overlay's gateway events).

use serde::de::{DeserializeSeed, MapAccess, Visitor};
use serde::ser::SerializeMap as _;
use serde_json::value::RawValue;

use crate::{GatewayEvent, Nullable, UnknownFields};

/// A gateway message: its opcode, sequence number and event, decoded in one pass.
///
/// `d` is decoded straight into the event's type when `t` comes first (as Discord sends it);
/// otherwise it is kept raw until `t` is known. Events the SDK does not model, and opcodes
/// other than dispatch (0), are [`GatewayEvent::Other`] with `d` kept as sent. The round-trip
/// law of the models holds: decode → encode gives JSON equal to the input (keys in the order
/// `t`, `s`, `op`, `d`, then unknown keys).
///
/// ```
/// use discord_invite::{GatewayEnvelope, GatewayEvent, Payload};
///
/// let line = r#"{"t":"INVITE_DELETE","s":42,"op":0,"d":{"channel_id":"1","code":"abc"}}"#;
/// let message = GatewayEnvelope::from_json_str(line)?;
/// assert_eq!(message.s.into_option(), Some(42));
/// match &message.event {
///     GatewayEvent::InviteDelete(d) => assert_eq!(d.code, "abc"),
///     other => panic!("{other:?}"),
/// }
/// assert_eq!(message.to_json_string()?, line);
///
/// let other = GatewayEnvelope::from_json_str(r#"{"op":11,"d":null,"s":null,"t":null}"#)?;
/// assert!(matches!(other.event, GatewayEvent::Other { .. }));
/// assert_eq!(other.event.name(), None);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct GatewayEnvelope {
    /// `op`: the gateway opcode; 0 for a dispatch (an event).
    pub op: i64,
    /// `s`: the dispatch's sequence number; `null` for other opcodes.
    pub s: Nullable<i64>,
    /// `t` and `d`: the event.
    pub event: GatewayEvent,
    /// Keys of the message this version of the crate does not know, kept as sent.
    pub extra: UnknownFields,
}

impl GatewayEnvelope {
    /// A dispatch (`op` 0) of `event` with sequence number `s`.
    pub fn dispatch(event: impl Into<GatewayEvent>, s: i64) -> Self {
        GatewayEnvelope {
            op: 0,
            s: Nullable::Value(s),
            event: event.into(),
            extra: UnknownFields::new(),
        }
    }
}

impl crate::Payload for GatewayEnvelope {
    const SCHEMA_NAME: &'static str = "GatewayEnvelope";
    crate::convert::payload_methods!();
}

impl serde::Serialize for GatewayEnvelope {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(None)?;
        match &self.event {
            GatewayEvent::Other { t, .. } => {
                if !t.is_absent() {
                    map.serialize_entry("t", t)?;
                }
            }
            event => map.serialize_entry("t", &event.name())?,
        }
        if !self.s.is_absent() {
            map.serialize_entry("s", &self.s)?;
        }
        map.serialize_entry("op", &self.op)?;
        self.event.serialize_d(&mut map)?;
        self.extra.serialize_entries(&mut map)?;
        map.end()
    }
}

/// `d` as far as it has been read.
enum D {
    Absent,
    Decoded(GatewayEvent),
    /// Read before `t`: decoded once the whole message has been read.
    Raw(Box<RawValue>),
}

/// Decodes `d` for a known `t`.
struct DSeed(Nullable<String>);

impl<'de> DeserializeSeed<'de> for DSeed {
    type Value = GatewayEvent;

    fn deserialize<De: serde::Deserializer<'de>>(self, d: De) -> Result<GatewayEvent, De::Error> {
        GatewayEvent::decode_d(self.0, d)
    }
}

/// The door (see `decode.rs`): a user's crate compiles none of the event decoders.
impl<'de> serde::Deserialize<'de> for GatewayEnvelope {
    fn deserialize<De: serde::Deserializer<'de>>(deserializer: De) -> Result<Self, De::Error> {
        crate::__private::door(deserializer)
    }
}

impl<'de> crate::__private::Decode<'de> for GatewayEnvelope {
    fn decode<De: serde::Deserializer<'de>>(deserializer: De) -> Result<Self, De::Error> {
        deserializer.deserialize_map(EnvelopeVisitor)
    }
}

struct EnvelopeVisitor;

impl<'de> Visitor<'de> for EnvelopeVisitor {
    type Value = GatewayEnvelope;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a gateway message (`op`, `d`, `s`, `t`)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<GatewayEnvelope, A::Error> {
        use serde::de::Error as _;
        let mut op = None::<i64>;
        let mut s = Nullable::<i64>::Absent;
        let mut t = Nullable::<String>::Absent;
        let mut d = D::Absent;
        let mut extra = crate::__private::Extra::new();
        while let Some(key) = map.next_key::<crate::__private::Key<'de>>()? {
            match key.as_str() {
                "op" => op = Some(map.next_value()?),
                "s" => s = map.next_value()?,
                "t" => {
                    let new: Nullable<String> = map.next_value()?;
                    // A `d` already decoded for another `t` would no longer match it.
                    if let D::Decoded(event) = &d {
                        if event.name() != new.as_option().map(String::as_str) {
                            return Err(A::Error::custom(
                                "`t` changed after `d` was read for the previous `t`",
                            ));
                        }
                    }
                    t = new;
                }
                "d" if t.is_absent() => d = D::Raw(map.next_value_seed(RawSeed)?),
                "d" => d = D::Decoded(map.next_value_seed(DSeed(t.clone()))?),
                _ => map.next_value_seed(extra.next_field(key.as_str()))?,
            }
        }
        let op = crate::__private::present(op, "op")?;
        let event = match d {
            D::Absent => GatewayEvent::Other { t, raw: None },
            D::Decoded(event) => event,
            D::Raw(raw) => decode_late(t, &raw).map_err(A::Error::custom)?,
        };
        Ok(GatewayEnvelope {
            op,
            s,
            event,
            extra: extra.finish(),
        })
    }
}

/// Reads `d` raw, as unknown fields are read.
struct RawSeed;

impl<'de> DeserializeSeed<'de> for RawSeed {
    type Value = Box<RawValue>;

    fn deserialize<De: serde::Deserializer<'de>>(self, d: De) -> Result<Box<RawValue>, De::Error> {
        crate::__private::raw_value(d)
    }
}

/// Decodes a `d` that came before `t`; the error names the place inside `d`.
fn decode_late(t: Nullable<String>, raw: &RawValue) -> Result<GatewayEvent, String> {
    let name = t.as_option().cloned().unwrap_or_default();
    let mut de = serde_json::Deserializer::from_str(raw.get());
    let mut track = serde_path_to_error::Track::new();
    let tracked = serde_path_to_error::Deserializer::new(&mut de, &mut track);
    DSeed(t).deserialize(tracked).map_err(|e| {
        let mut pointer = String::from("/d");
        for segment in track.path().iter() {
            if let serde_path_to_error::Segment::Map { key } = segment {
                pointer.push('/');
                pointer.push_str(&crate::escape_pointer_token(key));
            } else if let serde_path_to_error::Segment::Seq { index } = segment {
                pointer.push_str(&format!("/{index}"));
            }
        }
        format!("{e} (in the `d` of {name}, at {pointer})")
    })
}
