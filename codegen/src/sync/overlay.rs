//! Step 4 of a sync: checking `schema/overlay.toml` and `schema/docs.toml` against the new
//! subset. Every entry must name a schema, field, enum value or operation that exists (in the
//! subset or under `[add.schemas]`); entries that upstream has made redundant are reported too.
//!
//! Most conflicts are fixed by deleting the entry; [`fix_overlay`] does exactly those deletions
//! (keeping comments and layout) and leaves the rest to a person.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::operations::{operations, union_of_refs};
use super::shape::{enum_values, object_fields, schemas};
use super::subset::METHODS;

/// An overlay entry that no longer matches the schema.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    /// Where the entry is, e.g. `overlay.toml [lenient] UserResponse` or
    /// `docs.toml [ChannelTypes.values]`.
    pub entry: String,
    /// What it names that is missing (or now redundant), e.g. ``field `UserResponse.flags` no
    /// longer exists``.
    pub missing: String,
    /// A concrete fix.
    pub fix: String,
}

impl std::fmt::Display for Conflict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}; fix: {}", self.entry, self.missing, self.fix)
    }
}

/// The schema as the overlay sees it: the subset plus `[add.schemas]`.
struct View<'a> {
    subset: &'a Value,
    added: Option<&'a toml::Table>,
    /// The overlay's own type names (`[unions.X]`, `[flags.X]`).
    extra: BTreeSet<String>,
}

impl View<'_> {
    fn upstream_schema(&self, name: &str) -> Option<&Value> {
        schemas(self.subset)?.get(name)
    }

    fn has_schema(&self, name: &str) -> bool {
        self.upstream_schema(name).is_some() || self.added.is_some_and(|a| a.contains_key(name))
    }

    fn schema_names(&self) -> Vec<String> {
        let mut names: Vec<String> = schemas(self.subset)
            .map(|s| s.keys().cloned().collect())
            .unwrap_or_default();
        if let Some(a) = self.added {
            names.extend(a.keys().cloned());
        }
        names
    }

    /// Field names of a schema (upstream: flattened properties; added: TOML properties).
    fn fields(&self, schema: &str) -> Option<Vec<String>> {
        if let Some(s) = self.upstream_schema(schema) {
            return Some(
                object_fields(self.subset, s)
                    .into_iter()
                    .map(|(n, _)| n)
                    .collect(),
            );
        }
        let added = self.added?.get(schema)?;
        Some(
            added
                .get("properties")
                .and_then(toml::Value::as_table)
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default(),
        )
    }

    /// The required fields of an upstream or added object schema.
    fn required(&self, schema: &str) -> Option<BTreeSet<String>> {
        if let Some(s) = self.upstream_schema(schema) {
            return Some(
                object_fields(self.subset, s)
                    .into_iter()
                    .filter(|(_, f)| f.required)
                    .map(|(n, _)| n)
                    .collect(),
            );
        }
        let added = self.added?.get(schema)?;
        Some(strs(added.get("required")).into_iter().collect())
    }

    /// (title, JSON value) of an upstream enum.
    fn enum_values(&self, schema: &str) -> Vec<(Option<String>, String)> {
        self.upstream_schema(schema)
            .and_then(enum_values)
            .map(|vs| vs.into_iter().map(|v| (v.title, v.value)).collect())
            .unwrap_or_default()
    }

    fn operation_ids(&self) -> Vec<String> {
        let mut out = Vec::new();
        for item in self
            .subset
            .get("paths")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|p| p.values())
        {
            for m in METHODS {
                if let Some(id) = item
                    .get(m)
                    .and_then(|op| op.get("operationId"))
                    .and_then(Value::as_str)
                {
                    out.push(id.to_owned());
                }
            }
        }
        out
    }
}

/// Levenshtein distance, for "rename to" suggestions.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_lowercase().chars().collect();
    let b: Vec<char> = b.to_lowercase().chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

/// The most similar candidate, if it is similar enough to be a likely rename.
fn similar<'a>(name: &str, candidates: impl IntoIterator<Item = &'a String>) -> Option<&'a String> {
    let lower = name.to_lowercase();
    candidates
        .into_iter()
        .filter(|c| c.as_str() != name)
        .filter_map(|c| {
            let cl = c.to_lowercase();
            let (short, long) = if cl.len() < lower.len() {
                (&cl, &lower)
            } else {
                (&lower, &cl)
            };
            // `flags` / `flags_new`: a prefix or suffix with a short difference.
            let affix = short.len() >= 4
                && long.len() - short.len() <= 4
                && (long.starts_with(short.as_str()) || long.ends_with(short.as_str()));
            let d = if affix { 1 } else { distance(name, c) };
            (d <= (long.len() / 6).max(2)).then_some((d, c))
        })
        .min_by_key(|(d, c)| (*d, (*c).clone()))
        .map(|(_, c)| c)
}

/// A mechanical fix for a conflict: the entry to delete.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Removal {
    /// Delete `key` from the table at `table` (a path of keys from the top).
    Key {
        docs: bool,
        table: Vec<String>,
        key: String,
    },
    /// Delete the string `item` from the array `key` of the table at `table`.
    Item {
        table: Vec<String>,
        key: String,
        item: String,
    },
    /// Delete `op` from the `operations` of the `index`-th `[[headers]]`.
    HeaderOp { index: usize, op: String },
}

fn key(table: &[&str], key: &str) -> Option<Removal> {
    Some(Removal::Key {
        docs: false,
        table: table.iter().map(|s| (*s).to_owned()).collect(),
        key: key.to_owned(),
    })
}

fn docs_key(table: &[&str], key: &str) -> Option<Removal> {
    Some(Removal::Key {
        docs: true,
        table: table.iter().map(|s| (*s).to_owned()).collect(),
        key: key.to_owned(),
    })
}

fn item(table: &[&str], key: &str, item: &str) -> Option<Removal> {
    Some(Removal::Item {
        table: table.iter().map(|s| (*s).to_owned()).collect(),
        key: key.to_owned(),
        item: item.to_owned(),
    })
}

struct Checker<'a> {
    view: View<'a>,
    out: Vec<(Conflict, Option<Removal>)>,
}

impl Checker<'_> {
    fn push(&mut self, entry: String, missing: String, fix: String, removal: Option<Removal>) {
        self.out.push((
            Conflict {
                entry,
                missing,
                fix,
            },
            removal,
        ));
    }

    /// Checks a schema name; returns whether it exists.
    fn schema(&mut self, entry: &str, name: &str, remove: &str, removal: Option<Removal>) -> bool {
        if self.view.has_schema(name) {
            return true;
        }
        let names = self.view.schema_names();
        let fix = match similar(name, &names) {
            Some(s) => format!(
                "rename `{name}` to `{s}` in {entry} if that is the same type, otherwise {remove}"
            ),
            None => remove.to_owned(),
        };
        self.push(
            entry.to_owned(),
            format!("schema `{name}` no longer exists"),
            fix,
            removal,
        );
        false
    }

    /// Checks a field of an existing schema; returns whether it exists.
    fn field(
        &mut self,
        entry: &str,
        schema: &str,
        field: &str,
        remove: String,
        removal: Option<Removal>,
    ) -> bool {
        let Some(fields) = self.view.fields(schema) else {
            return true;
        };
        if fields.iter().any(|f| f == field) {
            return true;
        }
        let fix = match similar(field, &fields) {
            Some(s) => format!("{remove}, or rename it to `{s}` if that is the same field"),
            None => remove,
        };
        self.push(
            entry.to_owned(),
            format!("field `{schema}.{field}` no longer exists"),
            fix,
            removal,
        );
        false
    }

    /// Checks a `Schema.field` reference.
    fn field_ref(&mut self, entry: &str, reference: &str, removal: Option<Removal>) {
        let Some((schema, field)) = reference.split_once('.') else {
            self.push(
                entry.to_owned(),
                format!("`{reference}` is not of the form `Schema.field`"),
                "write it as `Schema.field`".into(),
                None,
            );
            return;
        };
        let remove = format!("remove `{reference}` from {entry}");
        if self.schema(entry, schema, &remove, removal.clone()) {
            self.field(
                entry,
                schema,
                field,
                format!("{remove}, the field no longer exists"),
                removal,
            );
        }
    }
}

fn strs(v: Option<&toml::Value>) -> Vec<String> {
    v.and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|x| x.as_str().map(str::to_owned))
        .collect()
}

/// Checks every overlay (and docs) entry against a subset.
///
/// Unparsable TOML is itself reported as one conflict (the check never fails). Reported:
/// entries naming a schema, field, enum value or operation the subset (plus `[add.schemas]`)
/// lacks; `[lenient]` fields the spec no longer requires; `[enum_additions]` values upstream
/// now defines; `[add.schemas]` types upstream now defines; `$ref`s inside `[add.schemas]` that
/// point nowhere; response `oneOf`s that no `[unions.*]` lists exactly.
pub fn overlay_conflicts(
    subset: &Value,
    overlay_toml: &str,
    docs_toml: Option<&str>,
) -> Vec<Conflict> {
    check(subset, overlay_toml, docs_toml)
        .into_iter()
        .map(|(c, _)| c)
        .collect()
}

/// What [`fix_overlay`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OverlayFix {
    /// The new `overlay.toml` text (the old one when nothing was deleted).
    pub overlay: String,
    /// The new `docs.toml` text, if one was given.
    pub docs: Option<String>,
    /// The conflicts fixed by deleting their entry.
    pub fixed: Vec<Conflict>,
    /// The conflicts left for a person (renames, redundant `[add.schemas]`, new union variants).
    pub left: Vec<Conflict>,
}

/// Deletes every overlay and docs entry whose conflict is fixed by deleting it (a name, field,
/// enum value or operation that no longer exists; a `[lenient]` field the spec no longer
/// requires; an `[enum_additions]` value upstream now defines), keeping comments and layout.
/// What needs a decision is left in [`OverlayFix::left`].
pub fn fix_overlay(subset: &Value, overlay_toml: &str, docs_toml: Option<&str>) -> OverlayFix {
    let mut overlay = overlay_toml.to_owned();
    let mut docs = docs_toml.map(str::to_owned);
    let mut fixed = Vec::new();
    // A deletion can make another entry stale (a docs line for a removed enum addition), so
    // repeat until nothing more is deleted; each round deletes at least one entry.
    for _ in 0..8 {
        let conflicts = check(subset, &overlay, docs.as_deref());
        let (Ok(mut o), d) = (
            overlay.parse::<toml_edit::DocumentMut>(),
            docs.as_deref().map(str::parse::<toml_edit::DocumentMut>),
        ) else {
            break;
        };
        let mut d = d.and_then(Result::ok);
        let mut any = false;
        for (conflict, removal) in conflicts {
            let Some(removal) = removal else { continue };
            let target = match &removal {
                Removal::Key { docs: true, .. } => d.as_mut(),
                _ => Some(&mut o),
            };
            if target.is_some_and(|doc| apply(doc, &removal)) {
                fixed.push(conflict);
                any = true;
            }
        }
        if !any {
            break;
        }
        overlay = o.to_string();
        if let Some(d) = d {
            docs = Some(d.to_string());
        }
    }
    let left = overlay_conflicts(subset, &overlay, docs.as_deref());
    OverlayFix {
        overlay,
        docs,
        fixed,
        left,
    }
}

/// Deletes one entry; `false` if it is not there (already deleted, or not where expected).
fn apply(doc: &mut toml_edit::DocumentMut, removal: &Removal) -> bool {
    match removal {
        Removal::Key { table, key, .. } => {
            let mut cur = doc.as_item_mut();
            for k in table {
                match cur.get_mut(k.as_str()) {
                    Some(next) => cur = next,
                    None => return false,
                }
            }
            cur.as_table_like_mut()
                .is_some_and(|t| t.remove(key).is_some())
        }
        Removal::Item { table, key, item } => {
            let mut cur = doc.as_item_mut();
            for k in table.iter().chain(std::iter::once(key)) {
                match cur.get_mut(k.as_str()) {
                    Some(next) => cur = next,
                    None => return false,
                }
            }
            retain_str(cur, item)
        }
        Removal::HeaderOp { index, op } => doc
            .get_mut("headers")
            .and_then(toml_edit::Item::as_array_of_tables_mut)
            .and_then(|a| a.get_mut(*index))
            .and_then(|t| t.get_mut("operations"))
            .is_some_and(|ops| retain_str(ops, op)),
    }
}

/// Removes a string from an array item; whether it was there.
fn retain_str(item: &mut toml_edit::Item, value: &str) -> bool {
    let Some(array) = item.as_array_mut() else {
        return false;
    };
    let before = array.len();
    array.retain(|v| v.as_str() != Some(value));
    array.len() != before
}

fn check(
    subset: &Value,
    overlay_toml: &str,
    docs_toml: Option<&str>,
) -> Vec<(Conflict, Option<Removal>)> {
    let overlay: toml::Table = match overlay_toml.parse() {
        Ok(t) => t,
        Err(e) => {
            return vec![(
                Conflict {
                    entry: "overlay.toml".into(),
                    missing: format!("the file is not valid TOML: {}", e.message()),
                    fix: "fix the TOML syntax".into(),
                },
                None,
            )]
        }
    };
    let added = overlay
        .get("add")
        .and_then(|a| a.get("schemas"))
        .and_then(toml::Value::as_table);
    let mut extra = BTreeSet::new();
    for table in ["unions", "flags"] {
        if let Some(t) = overlay.get(table).and_then(toml::Value::as_table) {
            extra.extend(t.keys().cloned());
        }
    }
    let mut c = Checker {
        view: View {
            subset,
            added,
            extra,
        },
        out: Vec::new(),
    };

    let table = |name: &str| overlay.get(name).and_then(toml::Value::as_table);

    if let Some(names) = table("names") {
        for name in names.keys() {
            let entry = format!("overlay.toml [names] {name}");
            c.schema(
                &entry,
                name,
                &format!("remove the `{name}` line from [names]"),
                key(&["names"], name),
            );
        }
    }
    if let Some(unions) = table("unions") {
        check_unions(&mut c, unions);
    }
    for section in ["lenient", "nullable"] {
        if let Some(t) = table(section) {
            for (schema, fields) in t {
                let entry = format!("overlay.toml [{section}] {schema}");
                if !c.schema(
                    &entry,
                    schema,
                    &format!("remove the `{schema}` line from [{section}]"),
                    key(&[section], schema),
                ) {
                    continue;
                }
                for f in strs(Some(fields)) {
                    let exists = c.field(
                        &entry,
                        schema,
                        &f,
                        format!(
                            "remove `{section}.{schema}` entry `{f}`, the field no longer exists"
                        ),
                        item(&[section], schema, &f),
                    );
                    // The generator refuses leniency on a field the spec does not require.
                    if exists
                        && section == "lenient"
                        && c.view.required(schema).is_some_and(|r| !r.contains(&f))
                    {
                        c.push(
                            entry.clone(),
                            format!("field `{schema}.{f}` is no longer required by the spec"),
                            format!("remove `lenient.{schema}` entry `{f}`, it decodes as optional anyway"),
                            item(&[section], schema, &f),
                        );
                    }
                }
            }
        }
    }
    if let Some(t) = table("enum_additions") {
        for (schema, values) in t {
            let entry = format!("overlay.toml [enum_additions.{schema}]");
            let remove_table = format!("remove the [enum_additions.{schema}] table");
            if !c.schema(
                &entry,
                schema,
                &remove_table,
                key(&["enum_additions"], schema),
            ) {
                continue;
            }
            let known = c.view.enum_values(schema);
            if known.is_empty() && c.view.upstream_schema(schema).is_some() {
                c.push(
                    entry.clone(),
                    format!("`{schema}` is no longer an enum"),
                    remove_table,
                    key(&["enum_additions"], schema),
                );
                continue;
            }
            for (title, v) in values.as_table().into_iter().flatten() {
                let json = match v {
                    toml::Value::Integer(i) => i.to_string(),
                    toml::Value::String(s) => Value::String(s.clone()).to_string(),
                    other => other.to_string(),
                };
                if let Some((t, _)) = known
                    .iter()
                    .find(|(t, val)| t.as_deref() == Some(title.as_str()) || *val == json)
                {
                    let name = t.clone().unwrap_or_else(|| json.clone());
                    c.push(
                        entry.clone(),
                        format!("`{title} = {json}` is now in the upstream spec (as `{name}`)"),
                        format!(
                            "remove `{title}` from [enum_additions.{schema}], upstream defines it"
                        ),
                        key(&["enum_additions", schema], title),
                    );
                }
            }
        }
    }
    if let Some(t) = table("flags") {
        for (fname, f) in t {
            let entry = format!("overlay.toml [flags.{fname}]");
            for r in strs(f.get("fields")) {
                c.field_ref(&entry, &r, item(&["flags", fname], "fields", &r));
            }
        }
    }
    if let Some(t) = table("types") {
        for k in t.keys() {
            c.field_ref(
                &format!("overlay.toml [types] \"{k}\""),
                k,
                key(&["types"], k),
            );
        }
    }
    if let Some(headers) = overlay.get("headers").and_then(toml::Value::as_array) {
        let ops = c.view.operation_ids();
        for (index, h) in headers.iter().enumerate() {
            let hname = h.get("name").and_then(toml::Value::as_str).unwrap_or("?");
            let entry = format!("overlay.toml [[headers]] {hname}");
            for op in strs(h.get("operations")) {
                if !ops.contains(&op) {
                    let remove =
                        format!("remove `{op}` from the `operations` of [[headers]] {hname}");
                    let fix = match similar(&op, &ops) {
                        Some(s) => {
                            format!("{remove}, or rename it to `{s}` if that is the same operation")
                        }
                        None => remove,
                    };
                    c.push(
                        entry.clone(),
                        format!("operation `{op}` no longer exists"),
                        fix,
                        Some(Removal::HeaderOp {
                            index,
                            op: op.clone(),
                        }),
                    );
                }
            }
        }
    }
    if let Some(aliases) = table("aliases") {
        let ops = c.view.operation_ids();
        for op in aliases.keys() {
            if !ops.contains(op) {
                let remove = format!("remove the `{op}` line from [aliases]");
                let fix = match similar(op, &ops) {
                    Some(s) => {
                        format!("{remove}, or rename it to `{s}` if that is the same operation")
                    }
                    None => remove,
                };
                c.push(
                    format!("overlay.toml [aliases] {op}"),
                    format!("operation `{op}` no longer exists"),
                    fix,
                    key(&["aliases"], op),
                );
            }
        }
    }
    if let Some(added) = added {
        for (name, body) in added {
            let entry = format!("overlay.toml [add.schemas.{name}]");
            if c.view.upstream_schema(name).is_some() {
                c.push(
                    entry.clone(),
                    format!("`{name}` is now defined upstream, the addition clashes with it"),
                    format!("remove [add.schemas.{name}] and move what it adds into the other sections (names, lenient, docs)"),
                    None,
                );
            }
            let mut refs = Vec::new();
            toml_refs(body, &mut refs);
            for r in refs {
                let target = r.strip_prefix("#/components/schemas/");
                if !target.is_some_and(|t| c.view.has_schema(t)) {
                    c.push(
                        entry.clone(),
                        format!("`$ref` `{r}` points to no schema"),
                        format!("point the `$ref` in [add.schemas.{name}] at an existing schema"),
                        None,
                    );
                }
            }
        }
    }
    check_response_unions(&mut c, table("unions"));
    if let Some(docs) = docs_toml {
        check_docs(&mut c, &overlay, docs);
    }
    c.out
}

fn check_unions(c: &mut Checker<'_>, unions: &toml::Table) {
    for (uname, u) in unions {
        let entry = format!("overlay.toml [unions.{uname}]");
        let tag = u
            .get("tag")
            .and_then(toml::Value::as_str)
            .map(str::to_owned);
        let required = strs(u.get("required"));
        let variants = strs(u.get("variants"));
        let default = u.get("default").and_then(toml::Value::as_str);
        let members = variants
            .iter()
            .map(|v| (v.as_str(), item(&["unions", uname], "variants", v)))
            .chain(default.map(|d| (d, key(&["unions", uname], "default"))));
        for (v, removal) in members.collect::<Vec<_>>() {
            if c.schema(
                &entry,
                v,
                &format!("remove `{v}` from [unions.{uname}]"),
                removal,
            ) {
                for f in tag.iter().chain(&required) {
                    c.field(
                        &entry,
                        v,
                        f,
                        format!("variant `{v}` lacks `{f}`: remove `{f}` from [unions.{uname}] or the variant"),
                        None,
                    );
                }
            }
        }
    }
}

/// The generator maps a response `oneOf` of models to the `[unions.*]` that lists exactly
/// those variants; a model upstream adds to (or drops from) the `oneOf` needs the same change
/// in the overlay.
fn check_response_unions(c: &mut Checker<'_>, unions: Option<&toml::Table>) {
    let sets: Vec<(String, BTreeSet<String>)> = unions
        .into_iter()
        .flatten()
        .map(|(name, u)| (name.clone(), strs(u.get("variants")).into_iter().collect()))
        .collect();
    let mut seen = BTreeSet::new();
    for (method, path, op, _) in operations(c.view.subset) {
        let Some(schema) = op
            .get("responses")
            .and_then(|r| r.get("200"))
            .and_then(|r| r.get("content"))
            .and_then(|c| c.get("application/json"))
            .and_then(|j| j.get("schema"))
        else {
            continue;
        };
        let Some((_, refs)) = union_of_refs(schema) else {
            continue;
        };
        if sets.iter().any(|(_, s)| *s == refs) || !seen.insert(refs.clone()) {
            continue;
        }
        let list = refs.iter().cloned().collect::<Vec<_>>().join(", ");
        // The closest union: the one sharing the most variants.
        let closest = sets
            .iter()
            .max_by_key(|(_, s)| s.intersection(&refs).count())
            .filter(|(_, s)| s.intersection(&refs).next().is_some());
        let fix = match closest {
            Some((name, s)) => {
                let add: Vec<&String> = refs.difference(s).collect();
                let drop: Vec<&String> = s.difference(&refs).collect();
                let mut parts = Vec::new();
                if !add.is_empty() {
                    parts.push(format!("add {} to", quoted(&add)));
                }
                if !drop.is_empty() {
                    parts.push(format!("remove {} from", quoted(&drop)));
                }
                format!(
                    "{} the `variants` of [unions.{name}] (and give each new variant its docs)",
                    parts.join(" and ")
                )
            }
            None => format!("add a [unions.*] table with variants {list}"),
        };
        c.push(
            format!("overlay.toml [unions] ({} {path})", method.to_uppercase()),
            format!("the response is a oneOf of {list}, which no [unions.*] lists exactly"),
            fix,
            None,
        );
    }
}

fn quoted(names: &[&String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn toml_refs(v: &toml::Value, out: &mut Vec<String>) {
    match v {
        toml::Value::Table(t) => {
            for (k, x) in t {
                match (k.as_str(), x) {
                    ("$ref", toml::Value::String(s)) => out.push(s.clone()),
                    _ => toml_refs(x, out),
                }
            }
        }
        toml::Value::Array(items) => items.iter().for_each(|x| toml_refs(x, out)),
        _ => {}
    }
}

fn check_docs(c: &mut Checker<'_>, overlay: &toml::Table, docs: &str) {
    let docs: toml::Table = match docs.parse() {
        Ok(t) => t,
        Err(e) => {
            c.push(
                "docs.toml".into(),
                format!("the file is not valid TOML: {}", e.message()),
                "fix the TOML syntax".into(),
                None,
            );
            return;
        }
    };
    let flags = overlay.get("flags").and_then(toml::Value::as_table);
    for (ty, d) in &docs {
        let entry = format!("docs.toml [{ty}]");
        let extra = c.view.extra.contains(ty);
        if !extra
            && !c.schema(
                &entry,
                ty,
                &format!("remove the [{ty}] table (and its .fields/.values) from docs.toml"),
                docs_key(&[], ty),
            )
        {
            continue;
        }
        if !extra {
            if let Some(fields) = d.get("fields").and_then(toml::Value::as_table) {
                for f in fields.keys() {
                    c.field(
                        &format!("docs.toml [{ty}.fields]"),
                        ty,
                        f,
                        format!(
                            "remove the `{f}` line from [{ty}.fields], the field no longer exists"
                        ),
                        docs_key(&[ty, "fields"], f),
                    );
                }
            }
        }
        let Some(values) = d.get("values").and_then(toml::Value::as_table) else {
            continue;
        };
        let entry = format!("docs.toml [{ty}.values]");
        let known: Vec<String> = if let Some(bits) = flags
            .and_then(|f| f.get(ty))
            .and_then(|f| f.get("bits"))
            .and_then(toml::Value::as_table)
        {
            bits.keys().cloned().collect()
        } else if extra {
            continue;
        } else {
            let mut known: Vec<String> = c
                .view
                .enum_values(ty)
                .into_iter()
                .filter_map(|(t, _)| t)
                .collect();
            if let Some(add) = overlay
                .get("enum_additions")
                .and_then(|a| a.get(ty))
                .and_then(toml::Value::as_table)
            {
                known.extend(add.keys().cloned());
            }
            known
        };
        for v in values.keys() {
            if !known.contains(v) {
                let remove =
                    format!("remove the `{v}` line from [{ty}.values], the value no longer exists");
                let fix = match similar(v, &known) {
                    Some(s) => format!("{remove}, or rename it to `{s}` if that is the same value"),
                    None => remove,
                };
                c.push(
                    entry.clone(),
                    format!("value `{ty}.{v}` no longer exists"),
                    fix,
                    docs_key(&[ty, "values"], v),
                );
            }
        }
    }
}
