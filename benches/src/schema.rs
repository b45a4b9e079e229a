//! The upstream `GuildInviteResponse` schema as a standalone JSON Schema (2020-12) document, for
//! the `jsonschema` peer: every `components.schemas` entry of `schema/openapi.json` goes under
//! `$defs` and every `#/components/schemas/X` reference becomes `#/$defs/X`.

use serde_json::{Map, Value};

/// The pinned upstream spec, as committed in the SDK.
pub const OPENAPI: &str = include_str!("../../schema/openapi.json");

/// A standalone JSON Schema document whose root is `components.schemas[root]`.
pub fn standalone(root: &str) -> Value {
    let spec: Value = serde_json::from_str(OPENAPI).expect("schema/openapi.json is JSON");
    let schemas = spec["components"]["schemas"]
        .as_object()
        .expect("components.schemas");
    let mut defs = Map::new();
    for (name, schema) in schemas {
        defs.insert(name.clone(), rewrite(schema.clone()));
    }
    let mut doc = match rewrite(schemas[root].clone()) {
        Value::Object(m) => m,
        _ => panic!("{root} is not an object schema"),
    };
    doc.insert(
        "$schema".into(),
        "https://json-schema.org/draft/2020-12/schema".into(),
    );
    doc.insert("$defs".into(), Value::Object(defs));
    Value::Object(doc)
}

fn rewrite(v: Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let v = match (k.as_str(), v) {
                        ("$ref", Value::String(s)) => {
                            Value::String(s.replace("#/components/schemas/", "#/$defs/"))
                        }
                        (_, v) => rewrite(v),
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(rewrite).collect()),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn no_openapi_refs_left() {
        let doc = super::standalone("GuildInviteResponse").to_string();
        assert!(!doc.contains("#/components/"));
        assert!(doc.contains("\"#/$defs/UserResponse\""));
    }
}
