//! The intermediate model: what to generate, with every schema question already answered
//! (Rust names, types, presence, docs). `types.rs` turns it into tokens without looking at the
//! schema again.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::naming;
use crate::overlay::{Docs, Overlay};
use crate::spec::Spec;
use crate::Error;

/// Everything to generate, sorted by Rust name.
#[derive(Debug, Clone)]
pub struct Model {
    /// The items.
    pub items: Vec<Item>,
}

/// One generated type.
#[derive(Debug, Clone)]
pub enum Item {
    /// An object schema.
    Struct(Struct),
    /// A closed set of integer or string values, open at decode time.
    Enum(Enum),
    /// A tagged union of object schemas.
    Union(Union),
    /// Bit flags.
    Flags(Flags),
}

impl Item {
    /// The Rust name.
    pub fn name(&self) -> &str {
        match self {
            Item::Struct(s) => &s.name,
            Item::Enum(e) => &e.name,
            Item::Union(u) => &u.name,
            Item::Flags(f) => &f.name,
        }
    }
}

/// A struct from an object schema.
#[derive(Debug, Clone)]
pub struct Struct {
    /// Component name.
    pub schema: String,
    /// Rust name.
    pub name: String,
    /// Doc text.
    pub doc: String,
    /// Fields in schema order.
    pub fields: Vec<Field>,
    /// Gateway event name, for overlay-added events.
    pub event: Option<String>,
    /// Whether Discord deprecated the object.
    pub deprecated: bool,
}

/// A struct field.
#[derive(Debug, Clone)]
pub struct Field {
    /// JSON property name.
    pub json: String,
    /// Rust field name.
    pub rust: String,
    /// Doc text.
    pub doc: String,
    /// The value type, without the presence wrapper.
    pub ty: Ty,
    /// How absence and `null` are represented.
    pub presence: Presence,
}

/// A value type.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Ty {
    /// `bool`.
    Bool,
    /// `i32` for the spec's `format: int32`, `i64` otherwise: the width the spec declares
    /// (wider input is a decode error naming the field, never wrapped).
    Int(IntWidth),
    /// `serde_json::Number`: keeps an integer and a float apart (`100` vs `100.0`), so a
    /// decoded number re-encodes as the same JSON number.
    Float,
    /// `crate::Text`: a string held inline when short.
    String,
    /// `crate::Snowflake`.
    Snowflake,
    /// `crate::Timestamp`.
    Timestamp,
    /// `crate::ImageHash`: a CDN image hash, 16 bytes inline when canonical (overlay `[types]`
    /// entry `image_hash`).
    ImageHash,
    /// `serde_json::Value`.
    Json,
    /// A generated type.
    Named {
        /// Rust name.
        name: String,
        /// Whether it is `Copy`.
        copy: bool,
        /// Held in a `Box`: nested objects are boxed so that a parent stays small (an invite
        /// with every nested object inline is over 7 KB, and every move copies it), but for
        /// the common small ones the overlay's `[types]` marks `inline` (a box is a heap block
        /// per object).
        boxed: bool,
    },
    /// `Vec<T>`.
    Vec(Box<Ty>),
    /// `BTreeMap<String, T>`.
    Map(Box<Ty>),
}

impl Ty {
    /// Whether the Rust type is `Copy`.
    pub fn is_copy(&self) -> bool {
        match self {
            Ty::Bool | Ty::Int(_) | Ty::Snowflake | Ty::Timestamp => true,
            Ty::Named { copy, boxed, .. } => *copy && !*boxed,
            _ => false,
        }
    }
}

/// The Rust integer of a JSON integer: the spec's `format` decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntWidth {
    /// `i32`: `format: int32` (half the room of an `i64`, and an `Option<i32>` is 8 bytes).
    I32,
    /// `i64`: `format: int64` or no format (every JSON integer the spec has fits).
    I64,
}

impl IntWidth {
    /// The width for an integer schema (its `format`).
    pub fn of(schema: &Value) -> IntWidth {
        match schema.get("format").and_then(Value::as_str) {
            Some("int32") => IntWidth::I32,
            _ => IntWidth::I64,
        }
    }

    /// The Rust type's name.
    pub fn rust(self) -> &'static str {
        match self {
            IntWidth::I32 => "i32",
            IntWidth::I64 => "i64",
        }
    }
}

/// How a field's absence and `null` are represented.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// Always present, never null: `T`.
    Required,
    /// Always present, may be null: `Option<T>` (`None` is `null`).
    RequiredNullable,
    /// May be absent, never null: `Option<T>` (`None` is absent).
    Optional,
    /// May be absent or null: `Nullable<T>`.
    Nullable,
}

/// An enum.
#[derive(Debug, Clone)]
pub struct Enum {
    /// Component name.
    pub schema: String,
    /// Rust name.
    pub name: String,
    /// Doc text.
    pub doc: String,
    /// Integer or string values.
    pub string: bool,
    /// For integer values, the Rust integer (`Unknown(i32)` for the spec's `int32`).
    pub width: IntWidth,
    /// Known values.
    pub values: Vec<EnumValue>,
}

/// One known enum value.
#[derive(Debug, Clone)]
pub struct EnumValue {
    /// Rust variant name.
    pub variant: String,
    /// The schema's title for it.
    pub title: String,
    /// The wire value.
    pub value: Value,
    /// Doc text.
    pub doc: String,
    /// Added by the overlay (not in the upstream spec).
    pub overlay: bool,
}

/// A tagged union.
#[derive(Debug, Clone)]
pub struct Union {
    /// Rust name.
    pub name: String,
    /// Doc text.
    pub doc: String,
    /// JSON tag property.
    pub tag_json: String,
    /// Rust name of the tag field.
    pub tag_rust: String,
    /// Rust name of the tag's enum type.
    pub tag_enum: String,
    /// Known variants.
    pub variants: Vec<UnionVariant>,
    /// Variant decoded when the tag is absent.
    pub default: Option<usize>,
    /// Every field of every variant, in first-seen order, the tag excluded.
    pub fields: Vec<UnionField>,
    /// Fields every variant carries as required (accessors return them without `Option`).
    pub required: Vec<String>,
}

/// A union variant.
#[derive(Debug, Clone)]
pub struct UnionVariant {
    /// Rust variant name (`Guild`).
    pub variant: String,
    /// Rust type name of its struct (`GuildInvite`).
    pub ty: String,
    /// The tag value that selects it.
    pub tag_value: i64,
    /// The tag field's presence in the variant struct.
    pub tag_presence: Presence,
}

/// A field of a union, with its presence in each variant that has it.
#[derive(Debug, Clone)]
pub struct UnionField {
    /// JSON name.
    pub json: String,
    /// Rust name.
    pub rust: String,
    /// Value type (the same in every variant).
    pub ty: Ty,
    /// Doc of the first variant that has it.
    pub doc: String,
    /// Presence per variant index; `None` where the variant lacks the field.
    pub presence: Vec<Option<Presence>>,
}

/// Bit flags.
#[derive(Debug, Clone)]
pub struct Flags {
    /// Rust name.
    pub name: String,
    /// Doc text.
    pub doc: String,
    /// (name, bit index, doc).
    pub bits: Vec<(String, u32, String)>,
}

struct Ctx<'a> {
    spec: &'a Spec,
    overlay: &'a Overlay,
    docs: &'a Docs,
    /// Component → Rust name, for generated components only.
    names: BTreeMap<String, String>,
    /// `Component.field` → flags type.
    flag_fields: BTreeMap<String, String>,
    copy: BTreeSet<String>,
}

/// Builds the model.
pub fn build(spec: &Spec, overlay: &Overlay, docs: &Docs) -> Result<Model, Error> {
    let mut names = BTreeMap::new();
    let mut copy = BTreeSet::new();
    for c in spec.schema_names() {
        let kind = classify(spec, c);
        if matches!(kind, Kind::Struct | Kind::IntEnum | Kind::StrEnum) {
            let rust = overlay
                .names
                .get(c)
                .cloned()
                .unwrap_or_else(|| naming::type_name(c));
            if kind == Kind::IntEnum {
                copy.insert(rust.clone());
            }
            names.insert(c.clone(), rust);
        }
    }
    let mut flag_fields = BTreeMap::new();
    for (name, f) in &overlay.flags {
        copy.insert(name.clone());
        for field in &f.fields {
            flag_fields.insert(field.clone(), name.clone());
        }
    }
    let mut seen = BTreeMap::new();
    for (c, r) in &names {
        if let Some(prev) = seen.insert(r.clone(), c.clone()) {
            return Err(Error::Schema(format!(
                "schemas `{prev}` and `{c}` both become Rust type `{r}`: add a [names] entry for one of them"
            )));
        }
    }
    let cx = Ctx {
        spec,
        overlay,
        docs,
        names,
        flag_fields,
        copy,
    };

    let mut items = Vec::new();
    for (c, rust) in &cx.names {
        match classify(spec, c) {
            Kind::Struct => items.push(Item::Struct(cx.structure(c, rust)?)),
            Kind::IntEnum | Kind::StrEnum => items.push(Item::Enum(cx.enumeration(c, rust)?)),
            Kind::Other => {}
        }
    }
    for (name, f) in &overlay.flags {
        let d = docs.get(name);
        items.push(Item::Flags(Flags {
            name: name.clone(),
            doc: d
                .and_then(|d| d.doc.clone())
                .unwrap_or_else(|| format!("The `{name}` bit flags.")),
            bits: f
                .bits
                .iter()
                .map(|(b, i)| {
                    let doc = d
                        .and_then(|d| d.values.get(b).cloned())
                        .unwrap_or_else(|| format!("Bit {i}."));
                    (b.clone(), *i, doc)
                })
                .collect(),
        }));
    }
    for (name, u) in &overlay.unions {
        items.push(Item::Union(cx.union(name, u, &items)?));
    }
    items.sort_by(|a, b| a.name().cmp(b.name()));
    Ok(Model { items })
}

#[derive(Debug, PartialEq, Eq)]
enum Kind {
    Struct,
    IntEnum,
    StrEnum,
    Other,
}

fn classify(spec: &Spec, c: &str) -> Kind {
    let Some(s) = spec.schema(c) else {
        return Kind::Other;
    };
    if !spec.enum_consts(c).is_empty() {
        return match s.get("type").and_then(Value::as_str) {
            Some("string") => Kind::StrEnum,
            _ => Kind::IntEnum,
        };
    }
    let objectish =
        s.get("type").and_then(Value::as_str) == Some("object") || s.get("allOf").is_some();
    if objectish && spec.object(c).is_some() {
        return Kind::Struct;
    }
    Kind::Other
}

fn schema_types(s: &Value) -> Vec<&str> {
    match s.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

impl Ctx<'_> {
    fn doc_of(&self, schema: &str) -> String {
        self.docs
            .get(schema)
            .and_then(|d| d.doc.clone())
            .or_else(|| {
                self.spec
                    .schema(schema)
                    .and_then(|s| s.get("description"))
                    .and_then(Value::as_str)
                    .map(sentence)
            })
            .unwrap_or_else(|| format!("The `{schema}` object."))
    }

    fn structure(&self, c: &str, rust: &str) -> Result<Struct, Error> {
        let (props, required) = self
            .spec
            .object(c)
            .ok_or_else(|| Error::Schema(format!("`{c}` is not an object schema")))?;
        let lenient: BTreeSet<&str> = self
            .overlay
            .lenient
            .get(c)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default();
        let force_null: BTreeSet<&str> = self
            .overlay
            .nullable
            .get(c)
            .map(|v| v.iter().map(String::as_str).collect())
            .unwrap_or_default();
        for l in &lenient {
            if !required.contains(*l) {
                return Err(Error::Schema(format!(
                    "[lenient] `{c}` lists `{l}`, which the spec does not require: remove it"
                )));
            }
        }
        let mut fields = Vec::new();
        for (json, p) in &props {
            let key = format!("{c}.{json}");
            let (ty, mut nullable) = self.field_type(&key, p)?;
            nullable |= force_null.contains(json.as_str());
            let req = required.contains(json) && !lenient.contains(json.as_str());
            let presence = match (req, nullable) {
                (true, false) => Presence::Required,
                (true, true) => Presence::RequiredNullable,
                (false, false) => Presence::Optional,
                (false, true) => Presence::Nullable,
            };
            let doc = self
                .docs
                .get(c)
                .and_then(|d| d.fields.get(json).cloned())
                .or_else(|| p.get("description").and_then(Value::as_str).map(sentence))
                .unwrap_or_else(|| format!("The `{json}` field."));
            fields.push(Field {
                json: json.clone(),
                rust: naming::field_name(json),
                doc,
                ty,
                presence,
            });
        }
        let s = self.spec.schema(c);
        Ok(Struct {
            schema: c.to_owned(),
            name: rust.to_owned(),
            doc: self.doc_of(c),
            fields,
            event: s
                .and_then(|s| s.get("x-gateway-event"))
                .and_then(Value::as_str)
                .map(str::to_owned),
            deprecated: s
                .and_then(|s| s.get("x-deprecated"))
                .and_then(Value::as_bool)
                .unwrap_or(false),
        })
    }

    /// A property schema → (value type, nullable).
    fn field_type(&self, key: &str, p: &Value) -> Result<(Ty, bool), Error> {
        if let Some(f) = self.flag_fields.get(key) {
            let nullable = schema_types(p).contains(&"null");
            return Ok((
                Ty::Named {
                    name: f.clone(),
                    copy: true,
                    boxed: false,
                },
                nullable,
            ));
        }
        if let Some(t) = self.overlay.types.get(key) {
            if t == "inline" {
                return match self.spec_type(key, p)? {
                    (
                        Ty::Named {
                            name,
                            copy,
                            boxed: true,
                        },
                        nullable,
                    ) => Ok((
                        Ty::Named {
                            name,
                            copy,
                            boxed: false,
                        },
                        nullable,
                    )),
                    _ => Err(Error::Schema(format!(
                        "[types] `{key}` = `inline`: the field is not a nested object"
                    ))),
                };
            }
            let ty = match t.as_str() {
                "json" => Ty::Json,
                "snowflake_list" => Ty::Vec(Box::new(Ty::Snowflake)),
                "image_hash" => Ty::ImageHash,
                other => {
                    return Err(Error::Schema(format!(
                        "[types] `{key}` = `{other}`: unknown type (use `json`, `snowflake_list`, `image_hash` or `inline`)"
                    )))
                }
            };
            let nullable = p
                .get("oneOf")
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(is_null_schema))
                || schema_types(p).contains(&"null");
            return Ok((ty, nullable));
        }
        self.spec_type(key, p)
    }

    /// [`Self::field_type`] as the spec alone says (no `[types]` entry of `key` itself).
    fn spec_type(&self, key: &str, p: &Value) -> Result<(Ty, bool), Error> {
        // `oneOf: [{type: null}, X]` → nullable X.
        if let Some(alts) = p.get("oneOf").and_then(Value::as_array) {
            let non_null: Vec<&Value> = alts.iter().filter(|a| !is_null_schema(a)).collect();
            if non_null.len() == 1 && alts.len() == 2 {
                // The alternative's own nullability does not matter: the `null` branch makes
                // the field nullable either way.
                let (ty, _) = self.spec_type(key, non_null[0])?;
                return Ok((ty, true));
            }
            return Err(Error::Schema(format!(
                "`{key}`: a oneOf of {} alternatives has no Rust mapping; add a [types] entry in schema/overlay.toml",
                alts.len()
            )));
        }
        let types = schema_types(p);
        let nullable = types.contains(&"null");
        let base: Vec<&str> = types.into_iter().filter(|t| *t != "null").collect();
        if let Some(r) = Spec::ref_name(p) {
            return Ok((self.ref_type(key, r)?, nullable));
        }
        // `allOf: [{$ref: Enum}]` with a narrowing `enum` (union tags).
        if let Some(parts) = p.get("allOf").and_then(Value::as_array) {
            if let [one] = parts.as_slice() {
                if let Some(r) = Spec::ref_name(one) {
                    return Ok((self.ref_type(key, r)?, nullable));
                }
            }
        }
        let ty = match base.as_slice() {
            [t] => self.primitive(key, t, p)?,
            [] if p.as_object().is_some_and(|o| o.is_empty()) => Ty::Json,
            _ => {
                return Err(Error::Schema(format!(
                    "`{key}`: type {:?} has no Rust mapping; add a [types] entry in schema/overlay.toml",
                    p.get("type")
                )))
            }
        };
        Ok((ty, nullable))
    }

    fn primitive(&self, key: &str, t: &str, p: &Value) -> Result<Ty, Error> {
        Ok(match t {
            "boolean" => Ty::Bool,
            "integer" => Ty::Int(IntWidth::of(p)),
            "number" => Ty::Float,
            "string" => format_type(p.get("format").and_then(Value::as_str)),
            "array" => {
                let items = p
                    .get("items")
                    .ok_or_else(|| Error::Schema(format!("`{key}`: an array without `items`")))?;
                let (ty, _) = self.field_type(&format!("{key}[]"), items)?;
                Ty::Vec(Box::new(ty))
            }
            "object" => match p.get("additionalProperties") {
                Some(ap) if ap.is_object() => {
                    let (ty, _) = self.field_type(&format!("{key}{{}}"), ap)?;
                    Ty::Map(Box::new(ty))
                }
                _ => Ty::Json,
            },
            other => {
                return Err(Error::Schema(format!(
                    "`{key}`: JSON type `{other}` has no Rust mapping"
                )))
            }
        })
    }

    fn ref_type(&self, key: &str, r: &str) -> Result<Ty, Error> {
        if let Some(name) = self.names.get(r) {
            return Ok(Ty::Named {
                name: name.clone(),
                copy: self.copy.contains(name),
                boxed: classify(self.spec, r) == Kind::Struct,
            });
        }
        let s = self.spec.schema(r).ok_or_else(|| {
            Error::Schema(format!("`{key}` refers to `{r}`, which does not exist"))
        })?;
        // Primitive aliases (SnowflakeType, Int53Type, …) map through the format table.
        match schema_types(s).as_slice() {
            [t] if *t != "object" && *t != "array" => self.primitive(key, t, s),
            _ => Err(Error::Schema(format!(
                "`{key}` refers to `{r}`, which has no Rust mapping; add a [types] entry in schema/overlay.toml"
            ))),
        }
    }

    fn enumeration(&self, c: &str, rust: &str) -> Result<Enum, Error> {
        let s = self.spec.schema(c);
        let string = s.and_then(|s| s.get("type")).and_then(Value::as_str) == Some("string");
        let d = self.docs.get(c);
        let spec_values = self.spec.enum_consts(c);
        let descriptions: BTreeMap<String, String> = s
            .and_then(|s| s.get("oneOf"))
            .and_then(Value::as_array)
            .map(|alts| {
                alts.iter()
                    .filter_map(|a| {
                        Some((
                            a.get("title")?.as_str()?.to_owned(),
                            a.get("description")?.as_str()?.to_owned(),
                        ))
                    })
                    .collect()
            })
            .unwrap_or_default();
        let mut values = Vec::new();
        let additions = self.overlay.enum_additions.get(c);
        let all = spec_values.into_iter().map(|(t, v)| (t, v, false)).chain(
            additions
                .into_iter()
                .flatten()
                .map(|(t, v)| (t.clone(), v.clone(), true)),
        );
        let width = s.map_or(IntWidth::I64, IntWidth::of);
        let mut seen = BTreeSet::new();
        for (title, value, overlay) in all {
            let fits = match (width, value.as_i64()) {
                (IntWidth::I32, Some(v)) => i32::try_from(v).is_ok(),
                (_, v) => v.is_some(),
            };
            if string != value.is_string() || (!string && value.as_i64().is_none()) {
                return Err(Error::Schema(format!(
                    "enum `{c}` value `{title}` = {value} does not match the enum's type"
                )));
            }
            if !string && !fits {
                return Err(Error::Schema(format!(
                    "enum `{c}` value `{title}` = {value} does not fit the enum's `int32` format"
                )));
            }
            let variant = naming::variant_name(&title);
            if !seen.insert(variant.clone()) {
                return Err(Error::Schema(format!(
                    "enum `{c}`: two values become variant `{variant}`"
                )));
            }
            let doc = d
                .and_then(|d| d.values.get(&title).cloned())
                .or_else(|| descriptions.get(&title).map(|s| sentence(s)))
                .unwrap_or_else(|| format!("`{value}`."));
            values.push(EnumValue {
                variant,
                title,
                value,
                doc,
                overlay,
            });
        }
        Ok(Enum {
            schema: c.to_owned(),
            name: rust.to_owned(),
            doc: self.doc_of(c),
            string,
            width,
            values,
        })
    }

    fn union(&self, name: &str, u: &crate::overlay::Union, items: &[Item]) -> Result<Union, Error> {
        let mut variants = Vec::new();
        let mut fields: Vec<UnionField> = Vec::new();
        let mut tag_enum = None;
        let n = u.variants.len();
        for (i, v) in u.variants.iter().enumerate() {
            let st = items
                .iter()
                .find_map(|it| match it {
                    Item::Struct(s) if &s.schema == v => Some(s),
                    _ => None,
                })
                .ok_or_else(|| {
                    Error::Schema(format!(
                        "[unions.{name}] variant `{v}` is not an object schema"
                    ))
                })?;
            let tag_schema = self
                .spec
                .object(v)
                .and_then(|(p, _)| p.into_iter().find(|(k, _)| k == &u.tag))
                .map(|(_, s)| s)
                .ok_or_else(|| {
                    Error::Schema(format!("[unions.{name}] `{v}` has no `{}`", u.tag))
                })?;
            // Older specs wrap the narrowed tag as `oneOf: [{type: null}, {enum: [0], …}]`.
            let tag_schema = match tag_schema.get("oneOf").and_then(Value::as_array) {
                Some(alts) if alts.len() == 2 && alts.iter().any(is_null_schema) => alts
                    .iter()
                    .find(|a| !is_null_schema(a))
                    .cloned()
                    .unwrap_or(tag_schema),
                _ => tag_schema,
            };
            let tag_value = tag_schema
                .get("enum")
                .and_then(Value::as_array)
                .and_then(|a| match a.as_slice() {
                    [one] => one.as_i64(),
                    _ => None,
                })
                .ok_or_else(|| {
                    Error::Schema(format!(
                        "[unions.{name}] `{v}.{}` must be narrowed to one integer by `enum`",
                        u.tag
                    ))
                })?;
            let tag_field =
                st.fields.iter().find(|f| f.json == u.tag).ok_or_else(|| {
                    Error::Schema(format!("[unions.{name}] tag missing in `{v}`"))
                })?;
            let Ty::Named { name: te, .. } = &tag_field.ty else {
                return Err(Error::Schema(format!(
                    "[unions.{name}] `{v}.{}` must refer to an enum",
                    u.tag
                )));
            };
            let te = te.clone();
            let title = items
                .iter()
                .find_map(|it| match it {
                    Item::Enum(e) if e.name == te => e
                        .values
                        .iter()
                        .find(|ev| ev.value.as_i64() == Some(tag_value))
                        .map(|ev| ev.variant.clone()),
                    _ => None,
                })
                .ok_or_else(|| {
                    Error::Schema(format!(
                        "[unions.{name}] tag value {tag_value} of `{v}` is not a value of `{te}`"
                    ))
                })?;
            tag_enum = Some(te);
            variants.push(UnionVariant {
                variant: title,
                ty: st.name.clone(),
                tag_value,
                tag_presence: tag_field.presence,
            });
            for f in st.fields.iter().filter(|f| f.json != u.tag) {
                match fields.iter_mut().find(|uf| uf.json == f.json) {
                    Some(uf) => {
                        if uf.ty != f.ty {
                            return Err(Error::Schema(format!(
                                "[unions.{name}] field `{}` has different types in different variants ({:?} vs {:?}); give them one type in schema/overlay.toml",
                                f.json, uf.ty, f.ty
                            )));
                        }
                        uf.presence[i] = Some(f.presence);
                    }
                    None => {
                        let mut presence = vec![None; n];
                        presence[i] = Some(f.presence);
                        fields.push(UnionField {
                            json: f.json.clone(),
                            rust: f.rust.clone(),
                            ty: f.ty.clone(),
                            doc: f.doc.clone(),
                            presence,
                        });
                    }
                }
            }
        }
        for r in &u.required {
            let ok = fields.iter().any(|f| {
                &f.json == r
                    && f.presence.iter().all(|p| *p == Some(Presence::Required))
                    && f.ty == Ty::String
            });
            if !ok {
                return Err(Error::Schema(format!(
                    "[unions.{name}] required `{r}` must be a required string in every variant"
                )));
            }
        }
        let default = match &u.default {
            Some(d) => Some(u.variants.iter().position(|v| v == d).ok_or_else(|| {
                Error::Schema(format!("[unions.{name}] default `{d}` is not a variant"))
            })?),
            None => None,
        };
        Ok(Union {
            name: name.to_owned(),
            doc: self
                .docs
                .get(name)
                .and_then(|d| d.doc.clone())
                .unwrap_or_else(|| format!("Any `{name}`.")),
            tag_json: u.tag.clone(),
            tag_rust: naming::field_name(&u.tag),
            tag_enum: tag_enum.unwrap_or_default(),
            variants,
            default,
            fields,
            required: u.required.clone(),
        })
    }
}

fn is_null_schema(s: &Value) -> bool {
    s.get("type").and_then(Value::as_str) == Some("null")
}

/// The one table from schema `format` to Rust type for strings.
fn format_type(format: Option<&str>) -> Ty {
    match format {
        Some("snowflake") => Ty::Snowflake,
        Some("date-time") => Ty::Timestamp,
        _ => Ty::String,
    }
}

/// Spec descriptions are lower-case fragments; make them a sentence.
fn sentence(s: &str) -> String {
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut c = s.chars();
    let mut out: String = match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => return s,
    };
    if !out.ends_with('.') {
        out.push('.');
    }
    out
}
