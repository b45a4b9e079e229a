//! Reading the OpenAPI document: components, `$ref`s, `allOf` merging, enum constants and
//! operations. Schemas added by the overlay are merged in here and marked `x-overlay-added`.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::Error;

/// An object's properties in document order, and the names it requires.
pub type ObjectShape = (Vec<(String, Value)>, BTreeSet<String>);

/// The OpenAPI document plus the overlay's added schemas.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The whole document.
    pub doc: Value,
    schemas: Map<String, Value>,
}

const REF_PREFIX: &str = "#/components/schemas/";

impl Spec {
    /// Wraps a parsed document, checking it looks like OpenAPI 3.1 with components.
    pub fn new(doc: Value) -> Result<Self, Error> {
        if doc.get("openapi").and_then(Value::as_str).is_none() {
            return Err(Error::Schema(
                "schema/openapi.json: not an OpenAPI document (no `openapi` version)".into(),
            ));
        }
        let schemas = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .ok_or_else(|| {
                Error::Schema("schema/openapi.json: no `components.schemas` object".into())
            })?;
        Ok(Spec { doc, schemas })
    }

    /// Adds the overlay's schemas; one that upstream already has is a conflict.
    pub fn add_schemas<'a>(
        &mut self,
        added: impl IntoIterator<Item = (&'a String, &'a Value)>,
    ) -> Result<(), Error> {
        for (name, schema) in added {
            if self.schemas.contains_key(name) {
                return Err(Error::Schema(format!(
                    "[add.schemas.{name}] is now in the upstream spec: remove it from schema/overlay.toml and move its docs to the upstream names"
                )));
            }
            let mut schema = schema.clone();
            if let Some(obj) = schema.as_object_mut() {
                obj.insert("x-overlay-added".into(), Value::Bool(true));
            }
            self.schemas.insert(name.clone(), schema);
        }
        Ok(())
    }

    /// Every component name, in document order.
    pub fn schema_names(&self) -> impl Iterator<Item = &String> {
        self.schemas.keys()
    }

    /// A component by name.
    pub fn schema(&self, name: &str) -> Option<&Value> {
        self.schemas.get(name)
    }

    /// The component a `{"$ref": "#/components/schemas/X"}` points at, by name.
    pub fn ref_name(schema: &Value) -> Option<&str> {
        schema.get("$ref")?.as_str()?.strip_prefix(REF_PREFIX)
    }

    /// An object component's properties and required list, with `allOf` parts merged.
    pub fn object(&self, name: &str) -> Option<ObjectShape> {
        let mut props = Vec::new();
        let mut required = BTreeSet::new();
        let mut seen = BTreeSet::new();
        self.collect_object(self.schema(name)?, &mut props, &mut required, &mut seen, 0)?;
        Some((props, required))
    }

    fn collect_object(
        &self,
        s: &Value,
        props: &mut Vec<(String, Value)>,
        required: &mut BTreeSet<String>,
        seen: &mut BTreeSet<String>,
        depth: usize,
    ) -> Option<()> {
        if depth > 16 {
            return None;
        }
        if let Some(r) = Self::ref_name(s) {
            return self.collect_object(self.schema(r)?, props, required, seen, depth + 1);
        }
        let mut any = false;
        if let Some(parts) = s.get("allOf").and_then(Value::as_array) {
            for p in parts {
                self.collect_object(p, props, required, seen, depth + 1)?;
            }
            any = true;
        }
        if let Some(p) = s.get("properties").and_then(Value::as_object) {
            for (k, v) in p {
                if seen.insert(k.clone()) {
                    props.push((k.clone(), v.clone()));
                }
            }
            any = true;
        }
        if let Some(r) = s.get("required").and_then(Value::as_array) {
            required.extend(r.iter().filter_map(Value::as_str).map(str::to_owned));
        }
        let is_object = s.get("type").and_then(Value::as_str) == Some("object");
        (any || is_object).then_some(())
    }

    /// `true` if the object component has the property (allOf parts included).
    pub fn has_property(&self, name: &str, prop: &str) -> bool {
        self.object(name)
            .is_some_and(|(p, _)| p.iter().any(|(k, _)| k == prop))
    }

    /// An enum component's `(title, const)` pairs (`oneOf` of `const`s), in document order.
    pub fn enum_consts(&self, name: &str) -> Vec<(String, Value)> {
        let Some(s) = self.schema(name) else {
            return Vec::new();
        };
        s.get("oneOf")
            .and_then(Value::as_array)
            .map(|alts| {
                alts.iter()
                    .filter_map(|a| {
                        let c = a.get("const")?.clone();
                        let title = a
                            .get("title")
                            .and_then(Value::as_str)
                            .map(str::to_owned)
                            .or_else(|| c.as_str().map(str::to_owned))
                            .unwrap_or_else(|| c.to_string());
                        Some((title, c))
                    })
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every operationId.
    pub fn operation_ids(&self) -> BTreeSet<String> {
        let mut out = BTreeSet::new();
        if let Some(paths) = self.doc.get("paths").and_then(Value::as_object) {
            for item in paths.values() {
                if let Some(item) = item.as_object() {
                    for op in item.values() {
                        if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                            out.insert(id.to_owned());
                        }
                    }
                }
            }
        }
        out
    }
}
