//! The pinned upstream spec, compiled once into a small structure the checker walks.
//!
//! Source of truth: `schema/openapi.json` (Discord's own spec, unedited). The overlay's
//! corrections (leniency, nullability, enum additions) are deliberately *not* applied: the
//! validator reports drift from Discord's spec, so a value the SDK accepts thanks to the overlay
//! is still a warning here. Only the overlay's `[add.schemas]` are used, for the payloads the
//! upstream spec lacks (gateway events, docs-only objects); those schemas transcribe Discord's
//! docs.
//!
//! Understood JSON Schema: `type` (single or list), `$ref`, `allOf` (merged), `oneOf`/`anyOf`
//! (alternatives; `{type: null}` among them means nullable; all-`const` means a closed enum),
//! `enum`, `const`, `required`, `properties`, `additionalProperties`, `items`, `minimum`,
//! `maximum`, `maxItems`, `uniqueItems`, `pattern` (the snowflake pattern), `format`
//! (`date-time`, `snowflake`, `int32`), `deprecated` / `x-deprecated`. Anything else is
//! ignored.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::OnceLock;

use serde_json::Value as J;

/// The pinned upstream subset.
const OPENAPI: &str = include_str!("../../schema/openapi.json");
/// Our overlay's `[add.schemas]`, as JSON: the generator writes them next to the models
/// (`generated/added-schemas.json`), so the validator needs no TOML parser.
const ADDED: &str = include_str!(concat!(env!("OUT_DIR"), "/added-schemas.json"));

/// Index of a compiled schema in [`Spec::schemas`].
pub(crate) type Id = usize;

/// JSON types as a bit set.
pub(crate) mod ty {
    pub const NULL: u8 = 1;
    pub const BOOLEAN: u8 = 2;
    pub const INTEGER: u8 = 4;
    pub const NUMBER: u8 = 8;
    pub const STRING: u8 = 16;
    pub const ARRAY: u8 = 32;
    pub const OBJECT: u8 = 64;
    pub const ANY: u8 = 127;
}

/// A value of a closed enum.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Lit {
    Int(i64),
    Str(String),
}

/// The most values a closed enum's message lists: a longer enum's message gives only its
/// count. The message is written once per unknown value (millions of times in a big capture:
/// a cut list of the first few values, which says little, was most of each one's text), and
/// `discord-invite schema export` lists them all.
const ENUM_LIST_MAX: usize = 4;

/// One closed enum constraint: its values and, built once, the list its messages show.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Enum {
    /// The component that declares it, for messages.
    pub name: Option<String>,
    pub values: Vec<Lit>,
    /// `0, 1, 2`: every value in order (integers, then strings), for an enum of at most
    /// [`ENUM_LIST_MAX`] values; empty for a longer one.
    pub listing: String,
    /// The string values, sorted by length then bytes (for a binary search).
    strings: Vec<String>,
    /// The integer values from 0 to 63, as bits; the other integer values, sorted.
    small_ints: u64,
    other_ints: Vec<i64>,
    /// What follows the value in the message of a value that is not one of these, built
    /// once when the spec is compiled: ` is not one of the spec's known InviteType values
    /// (0, 1, 2)`, or the count of values where there are too many to list (` is not one of
    /// the spec's 29 known GuildFeatures values`).
    pub miss_suffix: String,
}

impl Enum {
    fn new(name: Option<String>, values: Vec<Lit>) -> Enum {
        let mut sorted: Vec<&Lit> = values.iter().collect();
        sorted.sort_by(|a, b| match (a, b) {
            (Lit::Int(x), Lit::Int(y)) => x.cmp(y),
            (Lit::Str(x), Lit::Str(y)) => x.cmp(y),
            (Lit::Int(_), Lit::Str(_)) => std::cmp::Ordering::Less,
            (Lit::Str(_), Lit::Int(_)) => std::cmp::Ordering::Greater,
        });
        let list: Vec<String> = if values.len() <= ENUM_LIST_MAX {
            sorted
                .iter()
                .map(|l| match l {
                    Lit::Int(i) => i.to_string(),
                    Lit::Str(s) => format!("\"{s}\""),
                })
                .collect()
        } else {
            Vec::new()
        };
        let mut strings: Vec<String> = values
            .iter()
            .filter_map(|l| match l {
                Lit::Str(s) => Some(s.clone()),
                Lit::Int(_) => None,
            })
            .collect();
        // By length, then bytes: a lookup compares lengths before it compares bytes.
        strings.sort_unstable_by(|a, b| (a.len(), a.as_str()).cmp(&(b.len(), b.as_str())));
        let mut small_ints = 0u64;
        let mut other_ints = Vec::new();
        for l in &values {
            match *l {
                Lit::Int(i @ 0..=63) => small_ints |= 1 << i,
                Lit::Int(i) => other_ints.push(i),
                Lit::Str(_) => {}
            }
        }
        other_ints.sort_unstable();
        Enum {
            name,
            values,
            listing: list.join(", "),
            strings,
            small_ints,
            other_ints,
            miss_suffix: String::new(),
        }
    }

    /// Whether an integer is one of the values.
    pub fn has_int(&self, v: i64) -> bool {
        match v {
            0..=63 => self.small_ints & (1 << v) != 0,
            _ => self.other_ints.binary_search(&v).is_ok(),
        }
    }

    /// Whether a string is one of the values.
    pub fn has_str(&self, s: &str) -> bool {
        self.strings
            .binary_search_by(|x| (x.len(), x.as_str()).cmp(&(s.len(), s)))
            .is_ok()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    DateTime,
    Snowflake,
    Int32,
}

/// What the scanner needs of a property on each occurrence of its key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PropertyInfo {
    pub id: Id,
    pub required: bool,
    pub deprecated: bool,
}

/// Schemas whose only constraint is one format, so that a value of the right type that
/// passes the format's check has no finding. Filled when the spec is compiled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) enum Quick {
    #[default]
    No,
    /// An `int32` integer.
    Int32,
    /// A snowflake string.
    Snowflake,
    /// A date-time string.
    DateTime,
}

/// One compiled schema.
#[derive(Debug, Clone, Default)]
pub(crate) struct Schema {
    /// The component name this schema was compiled from, for messages.
    pub name: Option<String>,
    /// Allowed JSON types (`ty::ANY` when unconstrained).
    pub types: u8,
    /// The scalar types a value of which needs no check beyond its type (`null`, and the
    /// others when there is no enum, format, range or union). Filled when the spec is compiled.
    pub plain: u8,
    /// A check that settles the common valid value of this schema at once (see [`Quick`]).
    pub quick: Quick,
    /// Closed enums the value must belong to (each list is one constraint).
    pub enums: Vec<Enum>,
    /// Object members, in spec order.
    pub properties: Vec<(String, Id)>,
    pub required: Vec<String>,
    /// Per property (same order): its schema and flags, packed for the scanner's per-key
    /// path. Filled when the spec is compiled.
    pub property_info: Vec<PropertyInfo>,
    /// What follows the key in the message of an undeclared member:
    /// `` ` is not a field of UserResponse in the spec``. Filled when the spec is compiled.
    pub unknown_suffix: String,
    /// Per required name (same order): its index in `properties`, if it is one.
    pub required_index: Vec<Option<usize>>,
    /// An open-addressing table from a property name to its index (see [`Schema::property`]).
    lookup: Vec<u16>,
    /// `additionalProperties`: `None` = not stated (undeclared members are drift), `Some(None)`
    /// = `false`, `Some(Some(id))` = a schema for every other member.
    pub additional: Option<Option<Id>>,
    /// Whether the object is free-form (`type: object` with no `properties`).
    pub free_form: bool,
    pub items: Option<Id>,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub max_items: Option<usize>,
    pub unique_items: bool,
    pub format: Option<Format>,
    pub deprecated: bool,
    /// Non-null alternatives of a `oneOf`/`anyOf` that is not an enum; the value must match one.
    pub alternatives: Vec<Id>,
}

/// A cheap hash of a property name: its length and three of its bytes.
#[inline]
fn name_hash(key: &[u8]) -> usize {
    let (first, mid, last) = match key {
        [] => (0, 0, 0),
        [a, ..] => (*a, key[key.len() / 2], key[key.len() - 1]),
    };
    let h = (key.len() as u32)
        ^ (u32::from(first) << 6)
        ^ (u32::from(mid) << 13)
        ^ (u32::from(last) << 20);
    (h.wrapping_mul(0x9E37_79B9) >> 16) as usize
}

impl Schema {
    /// The index of the first property named `key`.
    #[inline]
    pub fn property(&self, key: &str) -> Option<usize> {
        let mask = self.lookup.len().checked_sub(1)?;
        let mut i = name_hash(key.as_bytes()) & mask;
        loop {
            let slot = self.lookup[i];
            if slot == 0 {
                return None;
            }
            let pi = usize::from(slot - 1);
            if super::position::key_eq(&self.properties[pi].0, key) {
                return Some(pi);
            }
            i = (i + 1) & mask;
        }
    }

    /// Builds [`Schema::property`]'s table (first occurrence of a repeated name wins).
    fn index_properties(&mut self) {
        self.lookup.clear();
        if self.properties.is_empty() || self.properties.len() >= usize::from(u16::MAX) {
            return;
        }
        let size = (self.properties.len() * 2).next_power_of_two().max(8);
        self.lookup = vec![0; size];
        for (pi, (name, _)) in self.properties.iter().enumerate() {
            let mut i = name_hash(name.as_bytes()) & (size - 1);
            loop {
                match self.lookup[i] {
                    0 => {
                        self.lookup[i] = (pi + 1) as u16;
                        break;
                    }
                    slot if self.properties[usize::from(slot - 1)].0 == *name => break,
                    _ => i = (i + 1) & (size - 1),
                }
            }
        }
    }
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum In {
    Path,
    Query,
}

/// A parameter of an operation.
#[derive(Debug, Clone)]
pub(crate) struct Param {
    pub name: String,
    pub at: In,
    pub schema: Id,
}

/// A segment of a path template.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Segment {
    /// Literal text, e.g. `invites`.
    Literal(String),
    /// A parameter, e.g. `code` for `{code}`.
    Param(String),
}

/// One operation of the spec: a method on a path template.
#[derive(Debug, Clone)]
pub(crate) struct Operation {
    /// Upper case, e.g. `GET`.
    pub method: String,
    /// The template, e.g. `/invites/{code}`.
    pub path: String,
    /// The template's segments.
    pub segments: Vec<Segment>,
    /// The `operationId`, e.g. `invite_resolve`.
    pub id: String,
    /// Path and query parameters (the path's own and the operation's).
    pub params: Vec<Param>,
    /// The statuses it answers (`200`, `4XX`), each with the content types of its body (lower
    /// case; empty for none).
    pub responses: Vec<(String, Vec<String>)>,
    /// The content types of its request body (empty: it takes none).
    pub request_types: Vec<String>,
}

impl Operation {
    /// Whether the template matches a path's segments; the number of literal segments, as a
    /// rank (`/members/@me/invites` beats `/members/{user_id}/invites`).
    pub fn matches(&self, segments: &[&str]) -> Option<usize> {
        if segments.len() != self.segments.len() {
            return None;
        }
        let mut literal = 0;
        for (t, s) in self.segments.iter().zip(segments) {
            match t {
                Segment::Literal(lit) if lit == s => literal += 1,
                Segment::Literal(_) => return None,
                Segment::Param(_) if s.is_empty() => return None,
                Segment::Param(_) => {}
            }
        }
        Some(literal)
    }

    /// Whether the operation answers `status` (`4XX` covers 400 to 499).
    pub fn answers(&self, status: u16) -> Option<&[String]> {
        let exact = status.to_string();
        let range = format!("{}XX", status / 100);
        self.responses
            .iter()
            .find(|(s, _)| *s == exact)
            .or_else(|| {
                self.responses
                    .iter()
                    .find(|(s, _)| s.eq_ignore_ascii_case(&range))
            })
            .map(|(_, types)| types.as_slice())
    }
}

/// A map keyed by the spec's own names (components, property names), looked up many times a
/// payload: FNV-1a, not SipHash, as the keys are fixed by the embedded spec (a lookup with a
/// payload's key probes at most the map's few entries, so no input can make it slow).
pub(crate) type NameMap<V> = HashMap<String, V, BuildHasherDefault<Fnv>>;

/// A set of the spec's names (see [`NameMap`]).
pub(crate) type NameSet = HashSet<String, BuildHasherDefault<Fnv>>;

/// The FNV-1a hasher of [`NameMap`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The compiled spec.
#[derive(Debug)]
pub(crate) struct Spec {
    pub schemas: Vec<Schema>,
    /// The operations, in the spec's order.
    pub operations: Vec<Operation>,
    /// The ids of the three invite variants (guild, group DM, friend), looked up once.
    pub variants: [Option<Id>; 3],
    components: NameMap<Id>,
    /// Components that came from the overlay's `[add.schemas]` (docs-only); read by tests.
    #[cfg_attr(not(test), allow(dead_code))]
    pub from_docs: Vec<String>,
}

impl Spec {
    /// The compiled spec, built on first use.
    pub fn get() -> &'static Spec {
        static SPEC: OnceLock<Spec> = OnceLock::new();
        SPEC.get_or_init(|| {
            // Both inputs are compiled into the binary and checked by tests; a failure here is a
            // build defect, not an input problem.
            Spec::compile(OPENAPI, ADDED).expect("the embedded schema/ files compile")
        })
    }

    /// The schema of a component.
    pub fn component(&self, name: &str) -> Option<Id> {
        self.components.get(name).copied()
    }

    pub fn schema(&self, id: Id) -> &Schema {
        &self.schemas[id]
    }

    fn compile(openapi: &str, added: &str) -> Result<Spec, String> {
        let doc: J = serde_json::from_str(openapi).map_err(|e| format!("openapi.json: {e}"))?;
        let mut raw: Vec<(String, J)> = Vec::new();
        if let Some(J::Object(schemas)) = doc.pointer("/components/schemas") {
            for (k, v) in schemas {
                raw.push((k.clone(), v.clone()));
            }
        }
        let added: serde_json::Map<String, J> =
            serde_json::from_str(added).map_err(|e| format!("added-schemas.json: {e}"))?;
        let mut from_docs = Vec::new();
        for (k, json) in added {
            if !raw.iter().any(|(n, _)| *n == k) {
                from_docs.push(k.clone());
                raw.push((k, json));
            }
        }
        let mut c = Compiler {
            spec: Spec {
                schemas: Vec::new(),
                operations: Vec::new(),
                variants: [None; 3],
                components: NameMap::default(),
                from_docs,
            },
            raw: raw.into_iter().collect(),
            done: HashMap::new(),
        };
        // Every component gets its id first, so `$ref` cycles resolve; components are then
        // compiled on demand (a merged `$ref` needs its target compiled first).
        let mut names: Vec<String> = c.raw.keys().cloned().collect();
        names.sort();
        for name in &names {
            let id = c.spec.schemas.len();
            c.spec.schemas.push(Schema::default());
            c.spec.components.insert(name.clone(), id);
        }
        for name in &names {
            c.ensure(name)?;
        }
        c.spec.variants = [
            "GuildInviteResponse",
            "GroupDMInviteResponse",
            "FriendInviteResponse",
        ]
        .map(|v| c.spec.components.get(v).copied());
        c.spec.operations = c.operations(&doc)?;
        let deprecated: Vec<bool> = c.spec.schemas.iter().map(|s| s.deprecated).collect();
        for s in &mut c.spec.schemas {
            let what = s.name.as_deref().unwrap_or("this object");
            s.unknown_suffix = format!("` is not a field of {what} in the spec");
            for e in &mut s.enums {
                // The count where there are too many values to list: a list shows it.
                let n = e.values.len();
                let count = if n > ENUM_LIST_MAX {
                    format!("{n} ")
                } else {
                    String::new()
                };
                let known = match e.name.as_deref().or(s.name.as_deref()) {
                    Some(name) => format!("{count}known {name}"),
                    None => format!("{count}allowed"),
                };
                e.miss_suffix = if n > ENUM_LIST_MAX {
                    format!(" is not one of the spec's {known} values")
                } else {
                    format!(" is not one of the spec's {known} values ({})", e.listing)
                };
            }
            let unconstrained = s.alternatives.is_empty()
                && s.enums.is_empty()
                && s.format.is_none()
                && s.minimum.is_none()
                && s.maximum.is_none();
            let scalars = ty::NULL | ty::BOOLEAN | ty::INTEGER | ty::NUMBER | ty::STRING;
            s.plain = s.types
                & match (unconstrained, s.alternatives.is_empty()) {
                    (true, _) => scalars,
                    (false, true) => ty::NULL | ty::BOOLEAN,
                    (false, false) => ty::NULL,
                };
            let one_format = s.alternatives.is_empty()
                && s.enums.is_empty()
                && s.minimum.is_none()
                && s.maximum.is_none();
            s.quick = match s.format {
                Some(Format::Int32) if one_format && s.types & ty::INTEGER != 0 => Quick::Int32,
                Some(Format::Snowflake) if one_format && s.types & ty::STRING != 0 => {
                    Quick::Snowflake
                }
                Some(Format::DateTime) if one_format && s.types & ty::STRING != 0 => {
                    Quick::DateTime
                }
                _ => Quick::No,
            };
            s.property_info = s
                .properties
                .iter()
                .map(|(name, id)| PropertyInfo {
                    id: *id,
                    required: s.required.contains(name),
                    deprecated: deprecated.get(*id).copied().unwrap_or(false),
                })
                .collect();
            s.index_properties();
            s.required_index = s
                .required
                .iter()
                .map(|r| s.properties.iter().position(|(n, _)| n == r))
                .collect();
        }
        Ok(c.spec)
    }
}

struct Compiler {
    spec: Spec,
    raw: HashMap<String, J>,
    /// Components compiled (`true`) or being compiled (`false`).
    done: HashMap<String, bool>,
}

impl Compiler {
    fn add(&mut self, s: Schema) -> Id {
        self.spec.schemas.push(s);
        self.spec.schemas.len() - 1
    }

    fn reference(&mut self, r: &str) -> Result<Id, String> {
        let name = r
            .strip_prefix("#/components/schemas/")
            .ok_or_else(|| format!("unsupported $ref {r}"))?;
        self.ensure(name)
    }

    /// The operations of `paths` (with `#/components/responses` resolved).
    fn operations(&mut self, doc: &J) -> Result<Vec<Operation>, String> {
        let mut out = Vec::new();
        let Some(J::Object(paths)) = doc.get("paths") else {
            return Ok(out);
        };
        let resolve = |v: &J| -> J {
            match v.get("$ref").and_then(J::as_str) {
                Some(r) => r
                    .strip_prefix("#/")
                    .and_then(|p| doc.pointer(&format!("/{p}")))
                    .cloned()
                    .unwrap_or(J::Null),
                None => v.clone(),
            }
        };
        let types = |v: &J| -> Vec<String> {
            match v.get("content") {
                Some(J::Object(c)) => c.keys().map(|k| k.to_ascii_lowercase()).collect(),
                _ => Vec::new(),
            }
        };
        for (path, item) in paths {
            let Some(item) = item.as_object() else {
                continue;
            };
            let shared = item.get("parameters").and_then(J::as_array);
            for (method, op) in item {
                if !matches!(
                    method.as_str(),
                    "get" | "put" | "post" | "delete" | "patch" | "head" | "options"
                ) {
                    continue;
                }
                let mut params = Vec::new();
                let own = op.get("parameters").and_then(J::as_array);
                for p in shared
                    .into_iter()
                    .flatten()
                    .chain(own.into_iter().flatten())
                {
                    let p = resolve(p);
                    let at = match p.get("in").and_then(J::as_str) {
                        Some("path") => In::Path,
                        Some("query") => In::Query,
                        _ => continue,
                    };
                    let Some(name) = p.get("name").and_then(J::as_str) else {
                        continue;
                    };
                    let schema = self.id_of(p.get("schema").unwrap_or(&J::Null))?;
                    params.push(Param {
                        name: name.to_owned(),
                        at,
                        schema,
                    });
                }
                let responses = match op.get("responses") {
                    Some(J::Object(r)) => r
                        .iter()
                        .map(|(status, resp)| (status.clone(), types(&resolve(resp))))
                        .collect(),
                    _ => Vec::new(),
                };
                let request_types = op.get("requestBody").map(|b| types(&resolve(b)));
                out.push(Operation {
                    method: method.to_ascii_uppercase(),
                    path: path.clone(),
                    segments: path
                        .split('/')
                        .filter(|s| !s.is_empty())
                        .map(
                            |s| match s.strip_prefix('{').and_then(|n| n.strip_suffix('}')) {
                                Some(name) => Segment::Param(name.to_owned()),
                                None => Segment::Literal(s.to_owned()),
                            },
                        )
                        .collect(),
                    id: op
                        .get("operationId")
                        .and_then(J::as_str)
                        .unwrap_or_default()
                        .to_owned(),
                    params,
                    responses,
                    request_types: request_types.unwrap_or_default(),
                });
            }
        }
        Ok(out)
    }

    /// Compiles a component unless it is compiled or being compiled (a cycle).
    fn ensure(&mut self, name: &str) -> Result<Id, String> {
        let id = self
            .spec
            .components
            .get(name)
            .copied()
            .ok_or_else(|| format!("dangling $ref to {name}"))?;
        if self.done.contains_key(name) {
            return Ok(id);
        }
        self.done.insert(name.to_owned(), false);
        let body = self.raw.get(name).cloned().unwrap_or(J::Null);
        let mut s = self.build(&body)?;
        s.name = Some(name.to_owned());
        self.spec.schemas[id] = s;
        self.done.insert(name.to_owned(), true);
        Ok(id)
    }

    /// Compiles a schema that may be a bare `$ref` into an id.
    fn id_of(&mut self, v: &J) -> Result<Id, String> {
        if let Some(r) = v.get("$ref").and_then(J::as_str) {
            if v.as_object().is_some_and(|o| {
                o.keys()
                    .all(|k| k == "$ref" || k == "description" || k == "title")
            }) {
                return self.reference(r);
            }
        }
        let s = self.build(v)?;
        Ok(self.add(s))
    }

    /// Copies the constraints of the schema `id` into `into` (allOf / sibling `$ref` merge).
    fn merge_from(&mut self, into: &mut Schema, id: Id) {
        // A component still being compiled (a cycle through allOf) has no constraints yet; the
        // subset has none.
        let other = self.spec.schemas[id].clone();
        if other.types != 0 && other.types != ty::ANY {
            into.types = if into.types == ty::ANY || into.types == 0 {
                other.types
            } else {
                into.types & other.types
            };
        }
        let enum_name = other.name.clone();
        for mut e in other.enums {
            e.name = e.name.or_else(|| enum_name.clone());
            into.enums.push(e);
        }
        if into.properties.is_empty() && other.properties.is_empty() {
            into.free_form |= other.free_form;
        }
        for (k, v) in other.properties {
            if !into.properties.iter().any(|(n, _)| *n == k) {
                into.properties.push((k, v));
            }
        }
        for r in other.required {
            if !into.required.contains(&r) {
                into.required.push(r);
            }
        }
        if into.additional.is_none() {
            into.additional = other.additional;
        }
        into.items = into.items.or(other.items);
        into.minimum = into.minimum.or(other.minimum);
        into.maximum = into.maximum.or(other.maximum);
        into.max_items = into.max_items.or(other.max_items);
        into.unique_items |= other.unique_items;
        into.format = into.format.or(other.format);
        into.deprecated |= other.deprecated;
        if into.alternatives.is_empty() {
            into.alternatives = other.alternatives;
        }
        if into.name.is_none() {
            into.name = other.name;
        }
    }

    fn build(&mut self, v: &J) -> Result<Schema, String> {
        let mut s = Schema {
            types: ty::ANY,
            ..Schema::default()
        };
        let Some(o) = v.as_object() else {
            return Ok(s);
        };
        match o.get("type") {
            Some(J::String(t)) => s.types = type_bit(t),
            Some(J::Array(ts)) => {
                s.types = ts
                    .iter()
                    .filter_map(J::as_str)
                    .map(type_bit)
                    .fold(0, |a, b| a | b)
            }
            _ => {}
        }
        if s.types & ty::NUMBER != 0 {
            s.types |= ty::INTEGER;
        }
        if let Some(r) = o.get("$ref").and_then(J::as_str) {
            let id = self.reference(r)?;
            self.merge_from(&mut s, id);
            // A sibling `$ref` names the component for messages.
            s.name = r.rsplit('/').next().map(str::to_owned);
        }
        if let Some(J::Array(all)) = o.get("allOf") {
            for part in all {
                let id = self.id_of(part)?;
                self.merge_from(&mut s, id);
            }
        }
        if let Some(J::Array(vals)) = o.get("enum") {
            s.enums
                .push(Enum::new(None, vals.iter().filter_map(lit).collect()));
        }
        if let Some(c) = o.get("const").and_then(lit) {
            s.enums.push(Enum::new(None, vec![c]));
        }
        let alts = o
            .get("oneOf")
            .or_else(|| o.get("anyOf"))
            .and_then(J::as_array);
        if let Some(alts) = alts {
            if !alts.is_empty() && alts.iter().all(|a| a.get("const").is_some()) {
                s.enums.push(Enum::new(
                    None,
                    alts.iter()
                        .filter_map(|a| a.get("const"))
                        .filter_map(lit)
                        .collect(),
                ));
            } else {
                let mut nullable = false;
                let mut ids = Vec::new();
                for a in alts {
                    if a.get("type").and_then(J::as_str) == Some("null")
                        && a.as_object().is_some_and(|m| m.len() == 1)
                    {
                        nullable = true;
                    } else {
                        ids.push(self.id_of(a)?);
                    }
                }
                let alt_types = ids
                    .iter()
                    .map(|&i| self.spec.schemas[i].types)
                    .fold(0, |a, b| a | b);
                let mut types = if ids.is_empty() { 0 } else { alt_types };
                if nullable {
                    types |= ty::NULL;
                }
                if s.types == ty::ANY {
                    s.types = types;
                } else if nullable {
                    s.types |= ty::NULL;
                }
                if ids.len() == 1 {
                    // A nullable single alternative: the alternative's constraints apply.
                    let id = ids[0];
                    let keep_types = s.types;
                    self.merge_from(&mut s, id);
                    s.types = keep_types;
                } else {
                    s.alternatives = ids;
                }
            }
        }
        if let Some(J::Object(props)) = o.get("properties") {
            for (k, pv) in props {
                let id = self.id_of(pv)?;
                s.properties.push((k.clone(), id));
            }
        }
        if let Some(J::Array(req)) = o.get("required") {
            s.required = req
                .iter()
                .filter_map(J::as_str)
                .map(str::to_owned)
                .collect();
        }
        match o.get("additionalProperties") {
            Some(J::Bool(false)) => s.additional = Some(None),
            Some(J::Bool(true)) => s.free_form = true,
            Some(a @ J::Object(_)) => {
                let id = self.id_of(a)?;
                s.additional = Some(Some(id));
            }
            _ => {}
        }
        if s.types == ty::OBJECT
            && s.properties.is_empty()
            && s.additional.is_none()
            && o.get("allOf").is_none()
        {
            s.free_form = true;
        }
        if let Some(items) = o.get("items") {
            s.items = Some(self.id_of(items)?);
        }
        s.minimum = o.get("minimum").and_then(J::as_f64).or(s.minimum);
        s.maximum = o.get("maximum").and_then(J::as_f64).or(s.maximum);
        s.max_items = o
            .get("maxItems")
            .and_then(J::as_u64)
            .map(|n| n as usize)
            .or(s.max_items);
        s.unique_items |= o.get("uniqueItems") == Some(&J::Bool(true));
        match o.get("format").and_then(J::as_str) {
            Some("date-time") => s.format = Some(Format::DateTime),
            Some("snowflake") => s.format = Some(Format::Snowflake),
            Some("int32") => s.format = Some(Format::Int32),
            _ => {}
        }
        if o.get("pattern").and_then(J::as_str) == Some("^(0|[1-9][0-9]*)$") {
            s.format = Some(Format::Snowflake);
        }
        s.deprecated |= o.get("deprecated") == Some(&J::Bool(true))
            || o.get("x-deprecated") == Some(&J::Bool(true));
        Ok(s)
    }
}

fn type_bit(t: &str) -> u8 {
    match t {
        "null" => ty::NULL,
        "boolean" => ty::BOOLEAN,
        "integer" => ty::INTEGER,
        "number" => ty::NUMBER | ty::INTEGER,
        "string" => ty::STRING,
        "array" => ty::ARRAY,
        "object" => ty::OBJECT,
        _ => ty::ANY,
    }
}

fn lit(v: &J) -> Option<Lit> {
    match v {
        J::Number(n) => n.as_i64().map(Lit::Int),
        J::String(s) => Some(Lit::Str(s.clone())),
        _ => None,
    }
}

/// Human names of the types in a set: `string or null`.
pub(crate) fn type_names(types: u8) -> String {
    let mut names = Vec::new();
    for (bit, name) in [
        (ty::OBJECT, "object"),
        (ty::ARRAY, "array"),
        (ty::STRING, "string"),
        (ty::INTEGER, "integer"),
        (ty::NUMBER, "number"),
        (ty::BOOLEAN, "boolean"),
        (ty::NULL, "null"),
    ] {
        if types & bit != 0 && !(bit == ty::INTEGER && types & ty::NUMBER != 0) {
            names.push(name);
        }
    }
    names.join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_spec_compiles() {
        let spec = Spec::get();
        for name in [
            "GuildInviteResponse",
            "GroupDMInviteResponse",
            "FriendInviteResponse",
            "VanityURLResponse",
            "TargetUsersJobStatusResponse",
            "CreateGuildInviteRequest",
            "ErrorResponse",
            "InviteCreateEvent",
            "InviteDeleteEvent",
            "InviteMetadata",
        ] {
            assert!(spec.component(name).is_some(), "{name}");
        }
        assert!(spec.from_docs.contains(&"InviteCreateEvent".to_owned()));
    }

    #[test]
    fn enum_lookups_find_every_value_and_nothing_else() {
        let spec = Spec::get();
        let mut checked = 0;
        for e in spec.schemas.iter().flat_map(|s| &s.enums) {
            for v in &e.values {
                match v {
                    Lit::Str(s) => {
                        assert!(e.has_str(s), "{s} in {:?}", e.name);
                        assert!(!e.has_str(&format!("{s}_")), "{s}_ in {:?}", e.name);
                        assert!(
                            !e.has_str(&s[..s.len() - 1])
                                || e.values.contains(&Lit::Str(s[..s.len() - 1].to_owned()))
                        );
                        checked += 1;
                    }
                    Lit::Int(i) => {
                        assert!(e.has_int(*i));
                        checked += 1;
                    }
                }
            }
            assert!(!e.has_str("NOT_A_VALUE"));
            // Every other integer near the values, and far from them, is absent.
            for v in (-70..140).chain([i64::MIN, -1 << 40, 1 << 40, i64::MAX]) {
                assert_eq!(e.has_int(v), e.values.contains(&Lit::Int(v)), "{v}");
            }
        }
        assert!(checked > 50, "{checked}");
        // Integers past the bit set, and negative ones, take the sorted list.
        let e = Enum::new(None, [-5, 0, 63, 64, 1000].map(Lit::Int).to_vec());
        for v in -70..1100 {
            assert_eq!(e.has_int(v), [-5, 0, 63, 64, 1000].contains(&v), "{v}");
        }
    }

    #[test]
    fn property_lookup_agrees_with_a_linear_search() {
        let spec = Spec::get();
        let mut names: Vec<&str> = spec
            .schemas
            .iter()
            .flat_map(|s| s.properties.iter().map(|(n, _)| n.as_str()))
            .collect();
        names.extend([
            "",
            "x",
            "idd",
            "i",
            "guild_idx",
            "zzzzzzzzzzzzzzzzzzzzzzzzz",
        ]);
        for s in &spec.schemas {
            for name in &names {
                let linear = s.properties.iter().position(|(n, _)| n == name);
                assert_eq!(s.property(name), linear, "{name} in {:?}", s.name);
            }
        }
    }

    #[test]
    fn nullable_refs_and_enums_compile() {
        let spec = Spec::get();
        let guild = spec.schema(spec.component("InviteGuildResponse").unwrap());
        let (_, vl) = guild
            .properties
            .iter()
            .find(|(n, _)| n == "verification_level")
            .unwrap();
        let vl = spec.schema(*vl);
        assert_eq!(vl.types, ty::NULL | ty::INTEGER);
        assert_eq!(vl.enums.len(), 1);
        assert_eq!(vl.enums[0].name.as_deref(), Some("VerificationLevels"));

        let err = spec.schema(spec.component("ErrorResponse").unwrap());
        assert!(err.required.contains(&"code".to_owned()));
        assert!(err.properties.iter().any(|(n, _)| n == "errors"));

        let req = spec.schema(spec.component("CreateGuildInviteRequest").unwrap());
        let (_, roles) = req
            .properties
            .iter()
            .find(|(n, _)| n == "role_ids")
            .unwrap();
        let roles = spec.schema(*roles);
        assert_eq!(roles.alternatives.len(), 2);
        assert_eq!(roles.types, ty::NULL | ty::STRING | ty::ARRAY);
        assert_eq!(type_names(roles.types), "array or string or null");
    }
}
