//! The Rust view: what the generator makes of each side (subset + overlay), so that a change is
//! classified by its effect on this crate's Rust API and named by its Rust item.
//!
//! Each side is built with the generator's own model ([`crate::ir::build`]) after deleting the
//! overlay entries that no longer fit that side (what `schema sync --fix-overlay` deletes).
//! Where the spec changes but the generated Rust item does not (a field the overlay already
//! decodes leniently, an array whose items lose `null`, an enum value
//! the overlay already added), the change is lowered to `patch` with a note saying
//! why. Changes of the Rust API that no spec line names (a type a field refers to changed kind,
//! or the overlay differs between the sides) are added under the `rust-*` rules.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::diff::Roles;
use super::overlay::fix_overlay;
use super::report::{Change, ChangeKind, Class, Report, TypeChanges};
use super::rules::Rule;
use crate::ir::{self, Item, Presence, Ty};
use crate::naming;

/// One side's generated API, or why the generator could not build it.
#[derive(Debug, Default)]
pub(crate) struct RustView {
    /// Why the generator could not build this side; the view then only knows names.
    pub error: Option<String>,
    /// The subset (for the operations' return types).
    doc: Value,
    /// The overlay's `[names]`.
    names: BTreeMap<String, String>,
    /// The generated types.
    model: Vec<Item>,
    /// `Component.field` entries of `[lenient]`, `[nullable]` and `[types]`/`[flags]`.
    lenient: BTreeSet<String>,
    nullable: BTreeSet<String>,
    typed: BTreeSet<String>,
}

impl RustView {
    /// Builds the view of `subset` with `overlay_toml` (none: the names only, by the default
    /// rule).
    pub(crate) fn build(subset: &Value, overlay_toml: Option<&str>) -> RustView {
        let Some(text) = overlay_toml else {
            return RustView {
                error: Some("no overlay given".into()),
                ..RustView::default()
            };
        };
        let text = fix_overlay(subset, text, None).overlay;
        let overlay = match crate::overlay::parse_overlay(&text) {
            Ok(o) => o,
            Err(e) => {
                return RustView {
                    error: Some(e.to_string()),
                    ..RustView::default()
                }
            }
        };
        let pairs = |m: &BTreeMap<String, Vec<String>>| -> BTreeSet<String> {
            m.iter()
                .flat_map(|(s, fs)| fs.iter().map(move |f| format!("{s}.{f}")))
                .collect()
        };
        let mut view = RustView {
            error: None,
            doc: subset.clone(),
            names: overlay.names.clone(),
            model: Vec::new(),
            lenient: pairs(&overlay.lenient),
            nullable: pairs(&overlay.nullable),
            typed: overlay
                .types
                .keys()
                .cloned()
                .chain(
                    overlay
                        .flags
                        .values()
                        .flat_map(|f| f.fields.iter().cloned()),
                )
                .collect(),
        };
        let built = (|| {
            let mut spec = crate::spec::Spec::new(subset.clone())?;
            // An addition upstream now defines gives way to upstream's (a reported conflict).
            let added: Vec<(&String, &Value)> = overlay
                .add
                .schemas
                .iter()
                .filter(|(n, _)| spec.schema(n).is_none())
                .collect();
            spec.add_schemas(added)?;
            let docs = crate::overlay::Docs::default();
            overlay.check(&spec, &docs)?;
            ir::build(&spec, &overlay, &docs)
        })();
        match built {
            Ok(model) => view.model = model.items,
            Err(e) => view.error = Some(first_line(&e.to_string())),
        }
        view
    }

    fn ok(&self) -> bool {
        self.error.is_none()
    }

    /// The Rust name of a component: the generated type's, else the naming rule's.
    fn type_name(&self, component: &str) -> String {
        self.structure(component)
            .map(|s| s.name.clone())
            .or_else(|| self.enumeration(component).map(|e| e.name.clone()))
            .or_else(|| self.names.get(component).cloned())
            .unwrap_or_else(|| naming::type_name(component))
    }

    /// Whether a component becomes a Rust type (aliases and unions of the spec do not). Without
    /// a model, assume it does.
    fn generates(&self, component: &str) -> bool {
        !self.ok() || self.structure(component).is_some() || self.enumeration(component).is_some()
    }

    fn structure(&self, component: &str) -> Option<&ir::Struct> {
        self.model.iter().find_map(|i| match i {
            Item::Struct(s) if s.schema == component => Some(s),
            _ => None,
        })
    }

    fn enumeration(&self, component: &str) -> Option<&ir::Enum> {
        self.model.iter().find_map(|i| match i {
            Item::Enum(e) if e.schema == component => Some(e),
            _ => None,
        })
    }

    fn field(&self, component: &str, json: &str) -> Option<&ir::Field> {
        self.structure(component)?
            .fields
            .iter()
            .find(|f| f.json == json)
    }

    /// `GuildInvite::roles`, and the accessors of the unions it is a variant of.
    fn field_items(&self, component: &str, json: &str) -> (String, Vec<String>) {
        let rust = self
            .field(component, json)
            .map(|f| f.rust.clone())
            .unwrap_or_else(|| naming::field_name(json));
        let ty = self.type_name(component);
        let also = self
            .model
            .iter()
            .filter_map(|i| match i {
                Item::Union(u) if u.variants.iter().any(|v| v.ty == ty) => {
                    Some(format!("{}::{rust}", u.name))
                }
                _ => None,
            })
            .collect();
        (format!("{ty}::{rust}"), also)
    }

    /// The variant a value (JSON text, as the report has it) gets: the generated one, else the
    /// naming rule's.
    fn variant(&self, component: &str, value: &str, title: Option<&str>) -> Option<String> {
        let value: Option<Value> = serde_json::from_str(value).ok();
        if let Some(e) = self.enumeration(component) {
            if let Some(v) = e
                .values
                .iter()
                .find(|v| Some(&v.value) == value.as_ref() && title.is_none_or(|t| t == v.title))
            {
                return Some(v.variant.clone());
            }
        }
        title.map(naming::variant_name)
    }

    fn unions(&self) -> impl Iterator<Item = &ir::Union> {
        self.model.iter().filter_map(|i| match i {
            Item::Union(u) => Some(u),
            _ => None,
        })
    }

    /// The union whose variants are exactly these components.
    fn union_of(&self, components: &BTreeSet<String>) -> Option<&ir::Union> {
        let rust: BTreeSet<String> = components.iter().map(|c| self.type_name(c)).collect();
        self.unions().find(|u| {
            u.variants
                .iter()
                .map(|v| v.ty.clone())
                .collect::<BTreeSet<_>>()
                == rust
        })
    }

    /// What an operation's `send()` returns, as the endpoint generator decides it: `Invite`,
    /// `Vec<Invite>`, `Option<Invite>` (JSON or 204), `csv`, `()`.
    fn return_type(&self, operation_id: &str) -> Option<String> {
        let op = super::operations::operations(&self.doc)
            .into_iter()
            .find(|(_, _, op, _)| {
                op.get("operationId").and_then(Value::as_str) == Some(operation_id)
            })?
            .2;
        let responses = op.get("responses")?;
        let no_content = responses.get("204").is_some();
        let Some(ok) = responses.get("200") else {
            return Some("()".into());
        };
        let content = ok.get("content");
        if let Some(schema) = content
            .and_then(|c| c.get("application/json"))
            .and_then(|j| j.get("schema"))
        {
            let is_array = match schema.get("type") {
                Some(Value::String(t)) => t == "array",
                Some(Value::Array(ts)) => ts.iter().any(|t| t == "array"),
                _ => false,
            };
            return Some(if is_array {
                format!("Vec<{}>", self.schema_type(schema.get("items")?)?)
            } else if no_content {
                format!("Option<{}>", self.schema_type(schema)?)
            } else {
                self.schema_type(schema)?
            });
        }
        if content.and_then(|c| c.get("text/csv")).is_some() {
            return Some("csv".into());
        }
        Some("()".into())
    }

    /// A response schema's Rust type: a component's, or the union listing exactly its models.
    fn schema_type(&self, schema: &Value) -> Option<String> {
        if let Some(r) = schema.get("$ref").and_then(Value::as_str) {
            return Some(self.type_name(r.rsplit('/').next()?));
        }
        let alts = schema
            .get("oneOf")
            .or_else(|| schema.get("anyOf"))?
            .as_array()?;
        let refs: BTreeSet<String> = alts
            .iter()
            .filter(|a| a.get("type").and_then(Value::as_str) != Some("null"))
            .map(|a| Some(a.get("$ref")?.as_str()?.rsplit('/').next()?.to_owned()))
            .collect::<Option<_>>()?;
        self.union_of(&refs).map(|u| u.name.clone())
    }

    /// Why an unchanged Rust type is unchanged, from the overlay's point of view.
    fn because(&self, key: &str) -> &'static str {
        if self.lenient.contains(key) {
            " (overlay [lenient])"
        } else if self.nullable.contains(key) {
            " (overlay [nullable])"
        } else if self.typed.contains(key) {
            " (overlay [types]/[flags])"
        } else {
            ""
        }
    }
}

fn first_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_owned()
}

/// The Rust text of a value type.
fn ty_text(t: &Ty) -> String {
    match t {
        Ty::Bool => "bool".into(),
        Ty::Int(w) => w.rust().into(),
        Ty::Float => "serde_json::Number".into(),
        Ty::String => "Text".into(),
        Ty::Snowflake => "Snowflake".into(),
        Ty::Timestamp => "Timestamp".into(),
        Ty::ImageHash => "ImageHash".into(),
        Ty::Json => "serde_json::Value".into(),
        Ty::Named { name, boxed, .. } => {
            if *boxed {
                format!("Box<{name}>")
            } else {
                name.clone()
            }
        }
        Ty::Vec(inner) => format!("Vec<{}>", ty_text(inner)),
        Ty::Map(inner) => format!("BTreeMap<String, {}>", ty_text(inner)),
    }
}

/// The field's Rust type, presence wrapper included.
fn field_text(f: &ir::Field) -> String {
    let t = ty_text(&f.ty);
    match f.presence {
        Presence::Required => t,
        Presence::RequiredNullable | Presence::Optional => format!("Option<{t}>"),
        Presence::Nullable => format!("Nullable<{t}>"),
    }
}

/// Names each change's Rust item and, when both sides built, lowers the class of changes that
/// leave the Rust API as it was and adds the Rust changes no spec change explains.
pub(crate) fn annotate(report: &mut Report, old: &RustView, new: &RustView, roles: &Roles) {
    for op in &mut report.operations {
        let id = op.operation_id.clone();
        for c in &mut op.changes {
            operation_items(c, id.as_deref(), old, new);
        }
    }
    let both = old.ok() && new.ok();
    for group in &mut report.types {
        for c in &mut group.changes {
            type_items(c, &group.name, old, new, roles, both);
        }
    }
    if both {
        unnamed_changes(report, old, new);
    } else {
        let side = |v: &RustView, which: &str| v.error.as_ref().map(|e| format!("{which}: {e}"));
        let why: Vec<String> = [side(old, "old side"), side(new, "new side")]
            .into_iter()
            .flatten()
            .collect();
        report.rust_view = Some(why.join("; "));
    }
    report.finish();
}

fn operation_items(c: &mut Change, id: Option<&str>, old: &RustView, new: &RustView) {
    let Some(id) = id else { return };
    let builder = naming::upper_camel(id);
    let rest = c
        .path
        .strip_prefix(id)
        .unwrap_or("")
        .trim_start_matches('.');
    let mut parts = rest.splitn(3, '.');
    c.rust = Some(match (parts.next(), parts.next(), parts.next()) {
        (Some("path"), Some(_), _) => format!("Client::{id}"),
        (Some("query"), Some(name), _) => format!("{builder}::{name}"),
        (Some("request_body"), Some(_), _)
            if c.rule != Rule::RequestBodyMediaTypeAdded
                && c.rule != Rule::RequestBodyMediaTypeRemoved =>
        {
            format!("{builder}Body")
        }
        (Some("request_body"), _, _) => format!("{builder}::body"),
        (Some("response"), Some(_), _) => {
            // A union of the response: find it by its old list of models.
            let list = |s: &Option<String>| -> BTreeSet<String> {
                s.as_deref()
                    .unwrap_or("")
                    .split(" | ")
                    .filter(|x| !x.is_empty())
                    .map(str::to_owned)
                    .collect()
            };
            let (was, now) = (list(&c.old), list(&c.new));
            match (old.union_of(&was), c.rule) {
                (Some(u), Rule::ResponseUnionVariantAdded) => {
                    let added: Vec<&String> = now.difference(&was).collect();
                    c.note = Some(format!(
                        "add {} to [unions.{}] variants: a new variant of the `#[non_exhaustive]` `{}`, which has an `Unknown` variant",
                        added.iter().map(|a| format!("`{a}`")).collect::<Vec<_>>().join(", "),
                        u.name,
                        u.name
                    ));
                    u.name.clone()
                }
                (Some(u), _) => {
                    let gone: Vec<String> =
                        was.difference(&now).map(|g| old.type_name(g)).collect();
                    match gone.as_slice() {
                        [one] => u
                            .variants
                            .iter()
                            .find(|v| &v.ty == one)
                            .map(|v| format!("{}::{}", u.name, v.variant))
                            .unwrap_or_else(|| u.name.clone()),
                        _ => u.name.clone(),
                    }
                }
                (None, _) => format!("{builder}::send"),
            }
        }
        (Some("response"), None, _) => format!("{builder}::send"),
        _ => format!("Client::{id}"),
    });
    if c.rule == Rule::ResponseTypeChanged && old.ok() && new.ok() {
        if let (Some(a), Some(b)) = (old.return_type(id), new.return_type(id)) {
            if a == b {
                c.class = Class::Patch;
                c.note = Some(format!("Rust return type unchanged: `{b}`"));
            } else {
                c.note = Some(format!("Rust: `{a}` -> `{b}`"));
            }
        }
    }
}

fn type_items(
    c: &mut Change,
    group: &str,
    old: &RustView,
    new: &RustView,
    roles: &Roles,
    both: bool,
) {
    use ChangeKind::*;
    match c.kind {
        TypeAdded | TypeRemoved | TypeKindChanged | OtherChanged => {
            let view = if c.kind == TypeAdded { new } else { old };
            if group.contains('/') {
                return;
            }
            if view.generates(group) {
                c.rust = Some(view.type_name(group));
                if both && c.kind == TypeKindChanged {
                    enum_width_class(c, group, old, new);
                }
            } else if c.kind != OtherChanged {
                c.note = Some(
                    "no Rust type of its own: used inline by the fields that refer to it".into(),
                );
            }
        }
        FieldAdded | FieldRemoved | FieldTypeChanged | FieldRequiredChanged
        | FieldNullableChanged | LimitChanged => {
            let Some(json) = c.path.strip_prefix(group).and_then(|p| p.strip_prefix('.')) else {
                // A limit on an alias type.
                if old.generates(group) {
                    c.rust = Some(old.type_name(group));
                }
                return;
            };
            let json = json.to_owned();
            let view = if c.kind == FieldRemoved { old } else { new };
            let (rust, also) = view.field_items(group, &json);
            c.rust = Some(rust);
            c.rust_also = also;
            if both
                && matches!(
                    c.kind,
                    FieldTypeChanged | FieldRequiredChanged | FieldNullableChanged
                )
            {
                field_class(c, group, &json, old, new, roles);
            }
        }
        EnumValueAdded | EnumValueRemoved | EnumValueRenamed => {
            let view = if c.kind == EnumValueAdded { new } else { old };
            let value = match c.kind {
                EnumValueAdded => c.new.clone(),
                EnumValueRemoved => c.old.clone(),
                _ => None,
            };
            let title = c.path.strip_prefix(group).and_then(|p| p.strip_prefix('.'));
            let ty = view.type_name(group);
            if c.rule == Rule::EnumValueRenamed || c.rule == Rule::EnumRepeatedValueReordered {
                // Both variants: the one that goes (or stops decoding) and the one that comes.
                let (a, b) = (c.old.clone(), c.new.clone());
                c.rust = a.map(|t| format!("{ty}::{}", naming::variant_name(&t)));
                c.rust_also = b
                    .map(|t| format!("{}::{}", new.type_name(group), naming::variant_name(&t)))
                    .into_iter()
                    .collect();
                if both && c.rule == Rule::EnumValueRenamed {
                    enum_class(c, group, old, new);
                }
                return;
            }
            let variant = match c.kind {
                EnumValueRenamed => view
                    .variant(group, "", title)
                    .or_else(|| title.map(naming::variant_name)),
                _ => value
                    .as_deref()
                    .and_then(|v| view.variant(group, v, title.filter(|t| *t != v))),
            };
            c.rust = Some(match variant {
                Some(v) => format!("{ty}::{v}"),
                None => ty.clone(),
            });
            if both {
                enum_class(c, group, old, new);
            }
        }
        _ => {}
    }
}

/// A field whose spec type, presence or nullability changed: compare the generated field.
/// An enum whose spec type changed (`int32` -> `int64`, a format added): breaking only when
/// the Rust enum changes (its `Unknown` integer).
fn enum_width_class(c: &mut Change, group: &str, old: &RustView, new: &RustView) {
    let (Some(a), Some(b)) = (old.enumeration(group), new.enumeration(group)) else {
        return;
    };
    // The `Unknown` variant's payload, as `ty_text` writes the field types.
    let unknown = |e: &ir::Enum| {
        let held = if e.string { "Text" } else { e.width.rust() };
        format!("Unknown({held})")
    };
    let (ua, ub) = (unknown(a), unknown(b));
    if ua == ub {
        c.class = Class::Patch;
        c.note = Some(format!("Rust type unchanged: `{}::{ub}`", b.name));
    } else {
        c.note = Some(format!("Rust: `{}::{ua}` -> `{}::{ub}`", a.name, b.name));
    }
}

fn field_class(
    c: &mut Change,
    group: &str,
    json: &str,
    old: &RustView,
    new: &RustView,
    roles: &Roles,
) {
    let (Some(a), Some(b)) = (old.field(group, json), new.field(group, json)) else {
        return;
    };
    let (ta, tb) = (field_text(a), field_text(b));
    let key = format!("{group}.{json}");
    if ta != tb {
        c.note = Some(format!("Rust: `{ta}` -> `{tb}`"));
        return;
    }
    if a.presence == b.presence {
        c.class = Class::Patch;
        c.note = Some(format!(
            "Rust type unchanged: `{tb}`{}",
            match new.because(&key) {
                "" => old.because(&key),
                why => why,
            }
        ));
        return;
    }
    // `Option<T>` on both sides, but `None` now means the other thing (absent vs `null`).
    let now_null = b.presence == Presence::RequiredNullable;
    if roles.is_request_only(group) {
        c.class = Class::Patch;
        c.note = Some(format!(
            "Rust type unchanged: `{tb}`; `None` is now sent as {}",
            if now_null {
                "`null`"
            } else {
                "an absent field"
            }
        ));
    } else {
        c.note = Some(format!(
            "Rust type unchanged (`{tb}`), but {} no longer decodes",
            if now_null {
                "a payload without the field"
            } else {
                "`null`"
            }
        ));
    }
}

/// An enum value change whose Rust variant already exists, or still exists, is patch-level.
fn enum_class(c: &mut Change, group: &str, old: &RustView, new: &RustView) {
    let variants = |v: &RustView| -> BTreeMap<String, String> {
        v.enumeration(group)
            .map(|e| {
                e.values
                    .iter()
                    .map(|x| (x.variant.clone(), x.value.to_string()))
                    .collect()
            })
            .unwrap_or_default()
    };
    let (va, vb) = (variants(old), variants(new));
    let Some(variant) = c.rust.as_deref().and_then(|r| r.rsplit("::").next()) else {
        return;
    };
    let same = va.contains_key(variant) && va.get(variant) == vb.get(variant);
    if same {
        c.class = Class::Patch;
        c.note = Some(match c.kind {
            ChangeKind::EnumValueAdded => {
                format!("`{variant}` exists already (overlay [enum_additions])")
            }
            ChangeKind::EnumValueRenamed => format!("the Rust variant is `{variant}` either way"),
            _ => format!("`{variant}` stays (overlay [enum_additions])"),
        });
    }
}

/// Rust changes no spec line names: a referenced type changed kind, or the overlay differs.
fn unnamed_changes(report: &mut Report, old: &RustView, new: &RustView) {
    let explained: BTreeSet<String> = report
        .changes()
        .flat_map(|c| c.rust.iter().chain(&c.rust_also).cloned())
        .collect();
    let spec_types: BTreeSet<String> = report.types.iter().map(|t| t.name.clone()).collect();
    let mut extra: BTreeMap<String, Vec<Change>> = BTreeMap::new();
    let mut push = |group: &str, c: Change| extra.entry(group.to_owned()).or_default().push(c);

    // Types: by Rust name.
    let names = |v: &RustView| -> BTreeMap<String, String> {
        v.model
            .iter()
            .map(|i| {
                let group = match i {
                    Item::Struct(s) => s.schema.clone(),
                    Item::Enum(e) => e.schema.clone(),
                    Item::Union(_) | Item::Flags(_) => i.name().to_owned(),
                };
                (i.name().to_owned(), group)
            })
            .collect()
    };
    let (na, nb) = (names(old), names(new));
    for (rust, schema) in &nb {
        if !na.contains_key(rust) && !explained.contains(rust) && !spec_types.contains(schema) {
            let mut c = Change::new(
                Rule::RustTypeAdded,
                ChangeKind::TypeAdded,
                schema.clone(),
                format!("Rust type `{rust}`"),
            );
            c.rust = Some(rust.clone());
            push(schema, c);
        }
    }
    for (rust, schema) in &na {
        if !nb.contains_key(rust) && !explained.contains(rust) && !spec_types.contains(schema) {
            let mut c = Change::new(
                Rule::RustTypeRemoved,
                ChangeKind::TypeRemoved,
                schema.clone(),
                format!("Rust type `{rust}`"),
            );
            c.rust = Some(rust.clone());
            push(schema, c);
        }
    }

    // Struct fields present on both sides with a different Rust type.
    for item in &new.model {
        let Item::Struct(sb) = item else { continue };
        let Some(sa) = old.structure(&sb.schema) else {
            continue;
        };
        for fb in &sb.fields {
            let Some(fa) = sa.fields.iter().find(|f| f.json == fb.json) else {
                continue;
            };
            let (ta, tb) = (field_text(fa), field_text(fb));
            let rust = format!("{}::{}", sb.name, fb.rust);
            if ta != tb && !explained.contains(&rust) {
                let key = format!("{}.{}", sb.schema, fb.json);
                let mut c = Change::new(
                    Rule::RustFieldTypeChanged,
                    ChangeKind::FieldTypeChanged,
                    key.clone(),
                    format!("field `{}`: Rust `{ta}` -> `{tb}`", fb.json),
                )
                .values(Some(ta), Some(tb));
                c.rust = Some(rust);
                let why = if old.because(&key) != new.because(&key) {
                    "the overlay changed"
                } else {
                    "no spec change to the field: a type it refers to changed"
                };
                c.note = Some(why.to_owned());
                push(&sb.schema, c);
            }
        }
    }

    // Enum variants.
    for item in &new.model {
        let Item::Enum(eb) = item else { continue };
        let Some(ea) = old.enumeration(&eb.schema) else {
            continue;
        };
        let va: BTreeSet<&String> = ea.values.iter().map(|v| &v.variant).collect();
        let vb: BTreeSet<&String> = eb.values.iter().map(|v| &v.variant).collect();
        for (set, other, rule, kind) in [
            (
                &vb,
                &va,
                Rule::RustEnumVariantAdded,
                ChangeKind::EnumValueAdded,
            ),
            (
                &va,
                &vb,
                Rule::RustEnumVariantRemoved,
                ChangeKind::EnumValueRemoved,
            ),
        ] {
            for v in set.difference(other) {
                let rust = format!("{}::{v}", eb.name);
                if explained.contains(&rust) {
                    continue;
                }
                let mut c = Change::new(
                    rule,
                    kind,
                    format!("{}.{v}", eb.schema),
                    format!("variant `{v}`"),
                );
                c.rust = Some(rust);
                push(&eb.schema, c);
            }
        }
    }

    // Union variants.
    for ub in new.unions() {
        let Some(ua) = old.unions().find(|u| u.name == ub.name) else {
            continue;
        };
        let va: BTreeSet<&String> = ua.variants.iter().map(|v| &v.variant).collect();
        let vb: BTreeSet<&String> = ub.variants.iter().map(|v| &v.variant).collect();
        let spec_added = report.changes().any(|c| {
            c.rule == Rule::ResponseUnionVariantAdded && c.rust.as_deref() == Some(&ub.name)
        });
        for (set, other, rule) in [
            (&vb, &va, Rule::RustUnionVariantAdded),
            (&va, &vb, Rule::RustUnionVariantRemoved),
        ] {
            for v in set.difference(other) {
                let rust = format!("{}::{v}", ub.name);
                if explained.contains(&rust) || (rule == Rule::RustUnionVariantAdded && spec_added)
                {
                    continue;
                }
                let kind = if rule == Rule::RustUnionVariantAdded {
                    ChangeKind::TypeAdded
                } else {
                    ChangeKind::TypeRemoved
                };
                let mut c = Change::new(
                    rule,
                    kind,
                    format!("{}.{v}", ub.name),
                    format!("variant `{v}`"),
                );
                c.rust = Some(rust);
                push(&ub.name, c);
            }
        }
    }

    for (group, changes) in extra {
        match report.types.iter_mut().find(|t| t.name == group) {
            Some(t) => t.changes.extend(changes),
            None => report.types.push(TypeChanges {
                name: group,
                changes,
            }),
        }
    }
    report.types.sort_by(|a, b| a.name.cmp(&b.name));
}
