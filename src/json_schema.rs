//! JSON Schema export (feature `json-schema`): `schemars::JsonSchema` for the hand-written value
//! types, and the helpers the generated models' impls call. The generated models derive or
//! implement `JsonSchema` under the same feature.

use crate::{ImageHash, Nullable, Snowflake, Text, Timestamp};

impl<T: schemars::JsonSchema> schemars::JsonSchema for Nullable<T> {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Nullable_{}", T::schema_name()).into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Option<T> as schemars::JsonSchema>::json_schema(generator)
    }

    // Not required in the enclosing object: the key may be absent.
    fn _schemars_private_is_option() -> bool {
        true
    }
}

impl schemars::JsonSchema for Snowflake {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Snowflake".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": "^(0|[1-9][0-9]*)$",
            "format": "snowflake",
            "description": "A Discord id: a 64-bit integer written as a decimal string."
        })
    }
}

impl schemars::JsonSchema for Timestamp {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Timestamp".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "format": "date-time",
            "description": "An RFC 3339 timestamp."
        })
    }
}

impl schemars::JsonSchema for Text {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "String".into()
    }

    fn inline_schema() -> bool {
        true
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <String as schemars::JsonSchema>::json_schema(generator)
    }
}

impl schemars::JsonSchema for ImageHash {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ImageHash".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "description": "A Discord image hash: 32 lowercase hex digits, `a_` first when animated."
        })
    }
}

/// The JSON Schema of an open enum: its JSON type and a description listing known values
/// (no `enum` keyword, because decoding accepts values this version does not know).
pub fn open_enum_schema(json_type: &str, description: &str) -> schemars::Schema {
    let mut map = serde_json::Map::new();
    map.insert("type".into(), json_type.into());
    map.insert("description".into(), description.into());
    schemars::Schema::from(map)
}

/// The JSON Schema of a bit-flags integer.
pub fn flags_schema(description: &str) -> schemars::Schema {
    let mut map = serde_json::Map::new();
    map.insert("type".into(), "integer".into());
    map.insert("minimum".into(), 0.into());
    map.insert("description".into(), description.into());
    schemars::Schema::from(map)
}

/// Schema-only stand-in for an `Option<T>` field that may be absent but never `null`: not
/// required, and not nullable (schemars would otherwise describe every `Option` as nullable).
pub struct SchemaOptional<T>(std::marker::PhantomData<T>);

impl<T: schemars::JsonSchema> schemars::JsonSchema for SchemaOptional<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        generator.subschema_for::<T>()
    }

    fn _schemars_private_is_option() -> bool {
        true
    }
}

/// Schema-only stand-in for an `Option<T>` field that is always present and may be `null`:
/// required and nullable.
pub struct SchemaRequiredNullable<T>(std::marker::PhantomData<T>);

impl<T: schemars::JsonSchema> schemars::JsonSchema for SchemaRequiredNullable<T> {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        format!("Nullable_{}", T::schema_name()).into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        <Option<T> as schemars::JsonSchema>::json_schema(generator)
    }
}

impl schemars::JsonSchema for crate::GatewayEnvelope {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "GatewayEnvelope".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        // `d` is the schema of the event `t` names: one `if`/`then` per modelled event.
        let all_of: Vec<serde_json::Value> = [
            (
                crate::InviteCreateEvent::EVENT,
                generator.subschema_for::<crate::InviteCreateEvent>(),
            ),
            (
                crate::InviteDeleteEvent::EVENT,
                generator.subschema_for::<crate::InviteDeleteEvent>(),
            ),
        ]
        .into_iter()
        .map(|(t, d)| {
            serde_json::json!({
                "if": {"properties": {"t": {"const": t}}, "required": ["t", "d"]},
                "then": {"properties": {"d": d}}
            })
        })
        .collect();
        schemars::json_schema!({
            "type": "object",
            "description": "A gateway message: opcode `op`, sequence number `s`, event name `t` and its payload `d`.",
            "required": ["op"],
            "properties": {
                "op": {"type": "integer"},
                "s": {"type": ["integer", "null"]},
                "t": {"type": ["string", "null"]},
                "d": {}
            },
            "allOf": all_of
        })
    }
}
