//! Our overlay on the upstream spec: `schema/overlay.toml` (names, leniency, corrections,
//! additions) and `schema/docs.toml` (a doc sentence for every type, field and enum value).
//!
//! [`Overlay::check`] makes every entry name something that exists; a stale entry is an error
//! that says which entry, what is missing and how to fix it.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::spec::Spec;
use crate::Error;

/// `schema/overlay.toml`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Overlay {
    /// Component name → Rust type name.
    #[serde(default)]
    pub names: BTreeMap<String, String>,
    /// Rust union name → its definition.
    #[serde(default)]
    pub unions: BTreeMap<String, Union>,
    /// Component → spec-required fields that decoding lets be absent.
    #[serde(default)]
    pub lenient: BTreeMap<String, Vec<String>>,
    /// Component → fields that decoding lets be `null` though the spec does not.
    #[serde(default)]
    pub nullable: BTreeMap<String, Vec<String>>,
    /// Enum component → extra `title = value` pairs.
    #[serde(default)]
    pub enum_additions: BTreeMap<String, BTreeMap<String, Value>>,
    /// Rust flags type name → its bits and the fields that carry it.
    #[serde(default)]
    pub flags: BTreeMap<String, Flags>,
    /// `Component.field` → a type the spec cannot express well (`json`, `snowflake_list`,
    /// `image_hash`), or `inline`: a nested object held in its parent instead of a `Box`.
    #[serde(default)]
    pub types: BTreeMap<String, String>,
    /// Request headers the spec does not declare.
    #[serde(default)]
    pub headers: Vec<Header>,
    /// operationId → the names people search the client method by (Discord's docs, other
    /// libraries): rustdoc aliases of the method.
    #[serde(default)]
    pub aliases: BTreeMap<String, Vec<String>>,
    /// Schemas the spec lacks.
    #[serde(default)]
    pub add: Add,
}

/// A tagged union of object schemas.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Union {
    /// The JSON property holding the tag.
    pub tag: String,
    /// The variant components; each has a one-value `enum` on the tag property.
    pub variants: Vec<String>,
    /// The variant to decode when the tag is absent.
    pub default: Option<String>,
    /// Fields every variant (and the unknown variant) carries.
    #[serde(default)]
    pub required: Vec<String>,
}

/// Bit flags carried by integer fields.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Flags {
    /// Flag name → bit index.
    pub bits: BTreeMap<String, u32>,
    /// `Component.field` entries that carry these flags.
    pub fields: Vec<String>,
}

/// A request header declared by the overlay.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    /// operationIds that accept the header.
    pub operations: Vec<String>,
    /// Header name.
    pub name: String,
    /// Minimum length in characters.
    pub min_length: Option<usize>,
    /// Maximum length in characters.
    pub max_length: Option<usize>,
}

/// Added schemas.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Add {
    /// Component name → JSON Schema (written in TOML).
    #[serde(default)]
    pub schemas: BTreeMap<String, Value>,
}

/// `schema/docs.toml`: component (or union / flags name) → docs.
pub type Docs = BTreeMap<String, TypeDocs>;

/// The docs of one type.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeDocs {
    /// The type's doc sentence.
    pub doc: Option<String>,
    /// JSON property → doc.
    #[serde(default)]
    pub fields: BTreeMap<String, String>,
    /// Enum value title (or flag name) → doc.
    #[serde(default)]
    pub values: BTreeMap<String, String>,
}

/// Parses the overlay text.
pub fn parse_overlay(text: &str) -> Result<Overlay, Error> {
    toml::from_str(text).map_err(|e| Error::Schema(format!("schema/overlay.toml: {e}")))
}

/// Parses the docs text.
pub fn parse_docs(text: &str) -> Result<Docs, Error> {
    toml::from_str(text).map_err(|e| Error::Schema(format!("schema/docs.toml: {e}")))
}

impl Overlay {
    /// Checks that every entry names something in `spec` (which already includes `[add]`).
    /// Returns every problem at once, one per line.
    pub fn check(&self, spec: &Spec, docs: &Docs) -> Result<(), Error> {
        let mut problems = Vec::new();
        let need_schema = |what: &str, name: &str, problems: &mut Vec<String>| {
            if spec.schema(name).is_none() {
                problems.push(format!(
                    "{what} names schema `{name}`, which is not in schema/openapi.json: remove the entry, or rename it to the schema's new name"
                ));
                false
            } else {
                true
            }
        };
        for name in self.names.keys() {
            need_schema(&format!("[names] entry `{name}`"), name, &mut problems);
        }
        for (table, map) in [("lenient", &self.lenient), ("nullable", &self.nullable)] {
            for (schema, fields) in map {
                if need_schema(
                    &format!("[{table}] entry `{schema}`"),
                    schema,
                    &mut problems,
                ) {
                    for f in fields {
                        if !spec.has_property(schema, f) {
                            problems.push(format!(
                                "[{table}] entry `{schema}` names field `{f}`, which `{schema}` no longer has: remove `{f}` from the list"
                            ));
                        }
                    }
                }
            }
        }
        for (schema, values) in &self.enum_additions {
            if need_schema(
                &format!("[enum_additions] entry `{schema}`"),
                schema,
                &mut problems,
            ) {
                let known = spec.enum_consts(schema);
                for (title, v) in values {
                    if known.iter().any(|(t, c)| t == title || c == v) {
                        problems.push(format!(
                            "[enum_additions.{schema}] `{title}` is now in the upstream spec: remove the entry"
                        ));
                    }
                }
            }
        }
        for (name, flags) in &self.flags {
            for f in &flags.fields {
                self.check_field_ref(spec, &format!("[flags.{name}] field"), f, &mut problems);
            }
        }
        for key in self.types.keys() {
            self.check_field_ref(spec, "[types] entry", key, &mut problems);
        }
        for (name, u) in &self.unions {
            for v in u.variants.iter().chain(u.default.iter()) {
                if need_schema(&format!("[unions.{name}] variant"), v, &mut problems)
                    && !spec.has_property(v, &u.tag)
                {
                    problems.push(format!(
                        "[unions.{name}] variant `{v}` has no tag property `{}`",
                        u.tag
                    ));
                }
            }
        }
        let ops = spec.operation_ids();
        for h in &self.headers {
            for op in &h.operations {
                if !ops.contains(op) {
                    problems.push(format!(
                        "[[headers]] `{}` names operation `{op}`, which is not in schema/openapi.json: remove it or use the new operationId",
                        h.name
                    ));
                }
            }
        }
        for (op, names) in &self.aliases {
            if !ops.contains(op) {
                problems.push(format!(
                    "[aliases] names operation `{op}`, which is not in schema/openapi.json: remove it or use the new operationId"
                ));
            }
            for name in names {
                let bad = name.trim() != name
                    || name.is_empty()
                    || name.contains(|c: char| {
                        c == '"' || c == '\'' || (c.is_whitespace() && c != ' ')
                    });
                if bad || ops.contains(name) {
                    problems.push(format!(
                        "[aliases] `{op}`: `{name}` cannot be a rustdoc alias (empty, quotes, tabs or newlines, edge spaces, or another operation's name)"
                    ));
                }
            }
        }
        for (ty, d) in docs {
            let is_extra = self.unions.contains_key(ty) || self.flags.contains_key(ty);
            if !is_extra && spec.schema(ty).is_none() {
                problems.push(format!(
                    "schema/docs.toml [{ty}] documents a schema that is not in schema/openapi.json: remove or rename the table"
                ));
                continue;
            }
            for f in d.fields.keys() {
                if !spec.has_property(ty, f) {
                    problems.push(format!(
                        "schema/docs.toml [{ty}.fields] documents `{f}`, which `{ty}` does not have: remove the line"
                    ));
                }
            }
            if let Some(flags) = self.flags.get(ty) {
                for v in d.values.keys() {
                    if !flags.bits.contains_key(v) {
                        problems.push(format!(
                            "schema/docs.toml [{ty}.values] documents flag `{v}`, which [flags.{ty}] does not define"
                        ));
                    }
                }
            } else if !is_extra {
                let mut known = spec.enum_consts(ty);
                if let Some(add) = self.enum_additions.get(ty) {
                    known.extend(add.iter().map(|(t, v)| (t.clone(), v.clone())));
                }
                for v in d.values.keys() {
                    if !known.iter().any(|(t, _)| t == v) {
                        problems.push(format!(
                            "schema/docs.toml [{ty}.values] documents `{v}`, which is not a value of `{ty}`: remove the line"
                        ));
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(())
        } else {
            Err(Error::Schema(format!(
                "the overlay is stale ({} problem(s)):\n  - {}",
                problems.len(),
                problems.join("\n  - ")
            )))
        }
    }

    fn check_field_ref(&self, spec: &Spec, what: &str, key: &str, problems: &mut Vec<String>) {
        match key.split_once('.') {
            Some((schema, field)) if spec.has_property(schema, field) => {}
            Some((schema, field)) if spec.schema(schema).is_some() && field.is_empty() => {}
            _ if !key.contains('.') && spec.schema(key).is_some() => {}
            _ => problems.push(format!(
                "{what} `{key}` names a field that is not in schema/openapi.json: remove the entry or point it at the field's new place"
            )),
        }
    }
}
