//! A small, comparison-oriented reading of JSON Schemas: what kind of type a component is, its
//! fields, enum values, a compact type expression and its limits. Used by the diff and by the
//! overlay check; it never follows a `$ref` except to flatten `allOf`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Map, Value};

use super::subset::parse_ref;

/// The limit keywords the report tracks (`pattern` too: it limits what validates).
pub(crate) const LIMIT_KEYWORDS: [&str; 9] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "pattern",
];

/// Whether a larger value of this limit keyword accepts fewer values.
pub(crate) fn is_lower_bound(keyword: &str) -> bool {
    keyword.starts_with("min") || keyword == "exclusiveMinimum"
}

/// One property of an object type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Field {
    /// Compact type expression without `null`.
    pub ty: String,
    /// Whether `null` is allowed.
    pub nullable: bool,
    /// Whether the property is in `required`.
    pub required: bool,
    /// Limit keyword (with a location prefix such as `items.`) → value.
    pub limits: BTreeMap<String, Value>,
}

/// One value of an enum type.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EnumValue {
    /// The value as JSON text (`16`, `"GUILD_MEDIA"`).
    pub value: String,
    /// The `title` (the Rust variant's source), if any.
    pub title: Option<String>,
}

/// What a component schema is, as far as the generated Rust type is concerned.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Shape {
    /// A struct: properties in order.
    Object(Vec<(String, Field)>),
    /// An enum over a scalar base type.
    Enum {
        /// `integer`, `string`, ...
        base: String,
        /// The values in spec order.
        values: Vec<EnumValue>,
    },
    /// Anything else (a scalar alias, a union): its type expression and limits.
    Other {
        /// Compact type expression.
        ty: String,
        /// Whether `null` is allowed.
        nullable: bool,
        /// Limits.
        limits: BTreeMap<String, Value>,
    },
}

impl Shape {
    /// A one-word name for the kind.
    pub fn kind(&self) -> String {
        match self {
            Shape::Object(_) => "object".into(),
            Shape::Enum { base, .. } => format!("enum of {base}"),
            Shape::Other { ty, .. } => ty.clone(),
        }
    }

    /// A short description for "type added" lines.
    pub fn describe(&self) -> String {
        match self {
            Shape::Object(fields) => {
                format!("object, {} field{}", fields.len(), plural(fields.len()))
            }
            Shape::Enum { base, values } => {
                format!(
                    "enum of {base}, {} value{}",
                    values.len(),
                    plural(values.len())
                )
            }
            Shape::Other { ty, nullable, .. } => {
                if *nullable {
                    format!("{ty} | null")
                } else {
                    ty.clone()
                }
            }
        }
    }
}

pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// The component schemas of a document.
pub(crate) fn schemas(doc: &Value) -> Option<&Map<String, Value>> {
    doc.get("components")?.get("schemas")?.as_object()
}

/// Reads a component schema's shape. `doc` resolves `allOf` references.
pub(crate) fn shape_of(doc: &Value, schema: &Value) -> Shape {
    if let Some(values) = enum_values(schema) {
        // The format is part of the base: an `int32` enum's `Unknown` holds an `i32`.
        let ty = schema.get("type").and_then(Value::as_str).unwrap_or("any");
        let base = match schema.get("format").and_then(Value::as_str) {
            Some(f) => format!("{ty}({f})"),
            None => ty.to_owned(),
        };
        return Shape::Enum { base, values };
    }
    let is_object = schema.get("properties").is_some()
        || (schema.get("type").and_then(Value::as_str) == Some("object")
            && schema.get("additionalProperties").is_none()
            && schema.get("oneOf").is_none()
            && schema.get("anyOf").is_none());
    if is_object {
        return Shape::Object(object_fields(doc, schema));
    }
    let (ty, nullable) = type_expr(schema);
    Shape::Other {
        ty,
        nullable,
        limits: limits(schema),
    }
}

/// The values of an enum schema: a `oneOf` of `const`s (Discord's style) or a bare `enum`.
pub(crate) fn enum_values(schema: &Value) -> Option<Vec<EnumValue>> {
    if let Some(branches) = schema.get("oneOf").and_then(Value::as_array) {
        // `oneOf: []` on a scalar type is an enum whose values upstream has not listed yet.
        let scalar = matches!(
            schema.get("type").and_then(Value::as_str),
            Some("string" | "integer" | "number")
        );
        if (branches.is_empty() && !scalar) || !branches.iter().all(|b| b.get("const").is_some()) {
            return None;
        }
        return Some(
            branches
                .iter()
                .map(|b| EnumValue {
                    value: b.get("const").map(Value::to_string).unwrap_or_default(),
                    title: b.get("title").and_then(Value::as_str).map(str::to_owned),
                })
                .collect(),
        );
    }
    if schema.get("properties").is_some() || schema.get("allOf").is_some() {
        return None;
    }
    let values = schema.get("enum")?.as_array()?;
    Some(
        values
            .iter()
            .map(|v| EnumValue {
                value: v.to_string(),
                title: None,
            })
            .collect(),
    )
}

/// The properties of an object schema, `allOf` members merged in (referenced ones too).
pub(crate) fn object_fields(doc: &Value, schema: &Value) -> Vec<(String, Field)> {
    let mut out: Vec<(String, Field)> = Vec::new();
    let mut required: BTreeSet<String> = BTreeSet::new();
    let mut visited: BTreeSet<String> = BTreeSet::new();
    collect_fields(doc, schema, &mut out, &mut required, &mut visited);
    for (name, field) in &mut out {
        field.required = required.contains(name);
    }
    out
}

fn collect_fields(
    doc: &Value,
    schema: &Value,
    out: &mut Vec<(String, Field)>,
    required: &mut BTreeSet<String>,
    visited: &mut BTreeSet<String>,
) {
    if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
        if !visited.insert(r.to_owned()) {
            return;
        }
        if let Some(target) = resolve(doc, r) {
            collect_fields(doc, target, out, required, visited);
        }
        return;
    }
    for member in schema
        .get("allOf")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        collect_fields(doc, member, out, required, visited);
    }
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        for (name, prop) in props {
            let (ty, nullable) = type_expr(prop);
            let field = Field {
                ty,
                nullable,
                required: false,
                limits: limits(prop),
            };
            match out.iter_mut().find(|(n, _)| n == name) {
                Some(slot) => slot.1 = field,
                None => out.push((name.clone(), field)),
            }
        }
    }
    for r in schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        if let Some(r) = r.as_str() {
            required.insert(r.to_owned());
        }
    }
}

/// Looks up a `#/components/...` reference in `doc`.
pub(crate) fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    let (kind, name) = parse_ref(reference)?;
    doc.get("components")?.get(kind)?.get(name)
}

/// The name a `$ref` points at (its last segment).
pub(crate) fn ref_name(reference: &str) -> String {
    parse_ref(reference)
        .map(|(_, n)| n)
        .unwrap_or_else(|| reference.to_owned())
}

/// A compact, stable type expression (`array<SnowflakeType>`, `string(date-time)`,
/// `InviteTypes (0)`) and whether `null` is allowed. Descriptions and limits do not show.
pub(crate) fn type_expr(schema: &Value) -> (String, bool) {
    let Some(map) = schema.as_object() else {
        return ("any".into(), false);
    };
    let mut nullable = map.get("nullable").and_then(Value::as_bool) == Some(true);
    if let Some(r) = map.get("$ref").and_then(Value::as_str) {
        return (ref_name(r), nullable);
    }
    let mut parts: Vec<String> = Vec::new();
    if let Some(branches) = map
        .get("oneOf")
        .or_else(|| map.get("anyOf"))
        .and_then(Value::as_array)
        .filter(|b| !b.is_empty())
    {
        if branches.iter().all(|b| b.get("const").is_some()) && !branches.is_empty() {
            let values: Vec<String> = branches
                .iter()
                .map(|b| b.get("const").map(Value::to_string).unwrap_or_default())
                .collect();
            parts.push(format!("enum({})", values.join(", ")));
        } else {
            for b in branches {
                let (t, n) = type_expr(b);
                nullable |= n;
                if t != "null" {
                    parts.push(t);
                }
            }
        }
    } else if let Some(members) = map.get("allOf").and_then(Value::as_array) {
        let names: Vec<String> = members
            .iter()
            .map(|m| {
                let t = type_expr(m).0;
                if t.contains(" | ") {
                    format!("({t})")
                } else {
                    t
                }
            })
            .collect();
        parts.push(names.join(" & "));
    } else {
        let types: Vec<&str> = match map.get("type") {
            Some(Value::String(t)) => vec![t.as_str()],
            Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for t in types {
            if t == "null" {
                nullable = true;
                continue;
            }
            parts.push(scalar_expr(map, t));
        }
        if parts.is_empty() && map.get("properties").is_some() {
            parts.push("object".into());
        }
    }
    let mut ty = if parts.is_empty() {
        if nullable {
            "null".into()
        } else {
            "any".into()
        }
    } else {
        parts.join(" | ")
    };
    if map.contains_key("allOf") || map.contains_key("oneOf") || map.contains_key("anyOf") {
        if let Some(values) = map.get("enum").and_then(Value::as_array) {
            let values: Vec<String> = values.iter().map(Value::to_string).collect();
            ty = format!("{ty} ({})", values.join(", "));
        }
    }
    if ty == "null" {
        nullable = true;
    }
    (ty, nullable)
}

fn scalar_expr(map: &Map<String, Value>, t: &str) -> String {
    let mut s = match t {
        "array" => {
            let inner = map
                .get("items")
                .map(type_expr)
                .unwrap_or(("any".into(), false));
            let inner = if inner.1 {
                format!("{} | null", inner.0)
            } else {
                inner.0
            };
            format!("array<{inner}>")
        }
        "object" => match (map.get("properties"), map.get("additionalProperties")) {
            (Some(Value::Object(props)), _) => {
                let required: Vec<&str> = map
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .collect();
                let fields: Vec<String> = props
                    .iter()
                    .map(|(name, p)| {
                        let (t, n) = type_expr(p);
                        let opt = if required.contains(&name.as_str()) {
                            ""
                        } else {
                            "?"
                        };
                        let null = if n { " | null" } else { "" };
                        format!("{name}{opt}: {t}{null}")
                    })
                    .collect();
                format!("{{{}}}", fields.join(", "))
            }
            (_, Some(inner @ Value::Object(_))) => format!("map<{}>", type_expr(inner).0),
            _ => "object".into(),
        },
        other => match map.get("format").and_then(Value::as_str) {
            Some(f) => format!("{other}({f})"),
            None => other.to_owned(),
        },
    };
    if let Some(values) = map.get("enum").and_then(Value::as_array) {
        let values: Vec<String> = values.iter().map(Value::to_string).collect();
        s = format!("{s} enum({})", values.join(", "));
    }
    s
}

/// The limit keywords in a schema, its `oneOf`/`anyOf`/`allOf` branches (no prefix) and its
/// `items` (prefix `items.`). `$ref` targets are not followed: their own limits are reported on
/// the referenced type.
pub(crate) fn limits(schema: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    collect_limits(schema, "", &mut out, 0);
    out
}

fn collect_limits(schema: &Value, prefix: &str, out: &mut BTreeMap<String, Value>, depth: usize) {
    let Some(map) = schema.as_object() else {
        return;
    };
    if depth > 16 {
        return;
    }
    for k in LIMIT_KEYWORDS {
        if let Some(v) = map.get(k) {
            out.insert(format!("{prefix}{k}"), v.clone());
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        for b in map.get(key).and_then(Value::as_array).into_iter().flatten() {
            collect_limits(b, prefix, out, depth + 1);
        }
    }
    if let Some(items) = map.get("items") {
        collect_limits(items, &format!("{prefix}items."), out, depth + 1);
    }
}
