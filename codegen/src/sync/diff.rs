//! Step 2 of a sync: comparing two invite subsets, spec against spec (the operations are in
//! [`super::operations`]).
//!
//! Every change gets a [`Rule`] (a stable id naming the change and, for fields, the direction:
//! a type that is only sent is a request type, anything read is a response type) and the
//! rule's default class. [`super::rust`] then looks at what the generator makes of both sides
//! and lowers a class where the Rust API does not change. The rules are listed in
//! `docs/UPDATING.md`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::operations::{diff_operations, operations};
use super::report::{Change, ChangeKind, Report, TypeChanges};
use super::rules::Rule;
use super::shape::{is_lower_bound, resolve, schemas, shape_of, EnumValue, Field, Shape};
use super::subset::{collect_refs, parse_ref};

/// Compares two invite subsets (old = pinned, new = freshly extracted), by the spec alone:
/// every change has its rule's default class. [`super::diff_with_overlay`] adds the Rust view.
///
/// Both must be subsets as produced by [`super::extract_subset`]; anything missing is treated as
/// empty, so this never fails. The report's version labels are left empty.
pub fn diff(old: &Value, new: &Value) -> Report {
    let roles = Roles::of(old, new);
    let mut report = Report {
        operations: diff_operations(old, new),
        types: diff_types(old, new, &roles),
        ..Report::default()
    };
    // Components other than schemas: only "something changed" (no Rust type comes from them).
    for kind in [
        "responses",
        "headers",
        "securitySchemes",
        "parameters",
        "requestBodies",
    ] {
        let get = |doc: &Value| {
            doc.get("components")
                .and_then(|c| c.get(kind))
                .and_then(Value::as_object)
                .cloned()
                .unwrap_or_default()
        };
        let (o, n) = (get(old), get(new));
        let names: BTreeSet<&String> = o.keys().chain(n.keys()).collect();
        for name in names {
            let summary = match (o.get(name), n.get(name)) {
                (Some(a), Some(b)) if a != b => "changed",
                (Some(_), None) => "removed",
                (None, Some(_)) => "added",
                _ => continue,
            };
            let group = format!("{kind}/{name}");
            report.types.push(TypeChanges {
                name: group.clone(),
                changes: vec![Change::new(
                    Rule::ComponentChanged,
                    ChangeKind::OtherChanged,
                    group,
                    format!("{summary} (no Rust type is generated from it)"),
                )],
            });
        }
    }
    report.finish();
    report
}

/// Which component schemas are sent and which are read.
#[derive(Debug, Default)]
pub(crate) struct Roles {
    /// Reachable through `$ref`s from a request body or a parameter, in either version.
    pub request: BTreeSet<String>,
    /// Reachable from a response, in either version.
    pub response: BTreeSet<String>,
}

impl Roles {
    pub(crate) fn of(old: &Value, new: &Value) -> Roles {
        let mut roles = Roles::default();
        for doc in [old, new] {
            roles.request.extend(reachable(doc, true));
            roles.response.extend(reachable(doc, false));
        }
        roles
    }

    /// Used in a request. A tightened limit on it refuses calls that passed.
    pub(crate) fn is_request(&self, name: &str) -> bool {
        self.request.contains(name)
    }

    /// Only ever sent, never read (anything not reachable at all counts as read: gateway
    /// events and overlay additions are decoded).
    pub(crate) fn is_request_only(&self, name: &str) -> bool {
        self.request.contains(name) && !self.response.contains(name)
    }
}

/// Schema names reachable from request bodies and parameters (`requests`) or from responses.
fn reachable(doc: &Value, requests: bool) -> BTreeSet<String> {
    let mut pending: Vec<String> = Vec::new();
    for (_, _, op, path_item) in operations(doc) {
        let roots = if requests {
            vec![
                op.get("requestBody"),
                op.get("parameters"),
                path_item.get("parameters"),
            ]
        } else {
            vec![op.get("responses")]
        };
        for root in roots.into_iter().flatten() {
            collect_refs(root, &mut |r| pending.push(r.to_owned()));
        }
    }
    let mut seen = BTreeSet::new();
    while let Some(r) = pending.pop() {
        if !seen.insert(r.clone()) {
            continue;
        }
        if let Some(body) = resolve(doc, &r) {
            collect_refs(body, &mut |x| pending.push(x.to_owned()));
        }
    }
    seen.iter()
        .filter_map(|r| parse_ref(r))
        .filter(|(k, _)| k == "schemas")
        .map(|(_, n)| n)
        .collect()
}

pub(crate) fn with_null(ty: &str, nullable: bool) -> String {
    if nullable {
        format!("{ty} | null")
    } else {
        ty.to_owned()
    }
}

pub(crate) fn req_word(required: bool) -> &'static str {
    if required {
        "required"
    } else {
        "optional"
    }
}

fn null_word(nullable: bool) -> &'static str {
    if nullable {
        "nullable"
    } else {
        "not nullable"
    }
}

/// Compares limit maps. On request types a tightened limit is breaking (calls that passed now
/// fail validation) and a loosened one additive; on response-only types both are additive.
pub(crate) fn diff_limits(
    path: &str,
    label: &str,
    a: &BTreeMap<String, Value>,
    b: &BTreeMap<String, Value>,
    is_request: bool,
    changes: &mut Vec<Change>,
) {
    let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
    for k in keys {
        let (va, vb) = (a.get(k), b.get(k));
        if va == vb {
            continue;
        }
        let keyword = k.rsplit('.').next().unwrap_or(k);
        let lower = is_lower_bound(keyword);
        // A new constraint tightens, a dropped one loosens; a changed `pattern` cannot be
        // ordered and counts as tightened (conservative).
        let (tightened, verb) = match (va, vb) {
            (None, _) => (true, "tightened"),
            (_, None) => (false, "loosened"),
            (Some(x), Some(y)) => match (x.as_f64(), y.as_f64()) {
                (Some(x), Some(y)) if (lower && y > x) || (!lower && y < x) => (true, "tightened"),
                (Some(_), Some(_)) => (false, "loosened"),
                _ => (true, "changed"),
            },
        };
        let rule = match (is_request, tightened) {
            (true, true) => Rule::RequestLimitTightened,
            (true, false) => Rule::RequestLimitLoosened,
            (false, _) => Rule::ResponseLimitChanged,
        };
        let show = |v: Option<&Value>| v.map(Value::to_string).unwrap_or_else(|| "none".into());
        let (sa, sb) = (show(va), show(vb));
        let side = if is_request { "" } else { ", response only" };
        let prefix = if label.is_empty() {
            String::new()
        } else {
            format!("{label}: ")
        };
        changes.push(
            Change::new(
                rule,
                ChangeKind::LimitChanged,
                path.to_owned(),
                format!("{prefix}{k} {sa} -> {sb} ({verb}{side})"),
            )
            .values(Some(sa), Some(sb)),
        );
    }
}

fn diff_types(old: &Value, new: &Value, roles: &Roles) -> Vec<TypeChanges> {
    let empty = serde_json::Map::new();
    let os = schemas(old).unwrap_or(&empty);
    let ns = schemas(new).unwrap_or(&empty);
    let names: BTreeSet<&String> = os.keys().chain(ns.keys()).collect();
    let mut out = Vec::new();
    for name in names {
        let mut changes = Vec::new();
        match (os.get(name), ns.get(name)) {
            (None, Some(s)) => changes.push(Change::new(
                Rule::TypeAdded,
                ChangeKind::TypeAdded,
                name.clone(),
                shape_of(new, s).describe(),
            )),
            (Some(s), None) => changes.push(Change::new(
                Rule::TypeRemoved,
                ChangeKind::TypeRemoved,
                name.clone(),
                shape_of(old, s).describe(),
            )),
            (Some(a), Some(b)) => {
                let cx = TypeCx { name, roles };
                cx.diff_shapes(&shape_of(old, a), &shape_of(new, b), &mut changes);
                if changes.is_empty() && a != b {
                    changes.push(Change::new(
                        Rule::TypeAnnotationsChanged,
                        ChangeKind::OtherChanged,
                        name.clone(),
                        "descriptions or annotations changed (Rust type unchanged)".into(),
                    ));
                }
            }
            (None, None) => {}
        }
        if !changes.is_empty() {
            out.push(TypeChanges {
                name: name.clone(),
                changes,
            });
        }
    }
    out
}

/// The type being compared.
struct TypeCx<'a> {
    name: &'a str,
    roles: &'a Roles,
}

impl TypeCx<'_> {
    fn diff_shapes(&self, a: &Shape, b: &Shape, changes: &mut Vec<Change>) {
        let name = self.name;
        let kind_changed = |summary: String, old: String, new: String| {
            Change::new(
                Rule::TypeKindChanged,
                ChangeKind::TypeKindChanged,
                name.to_owned(),
                summary,
            )
            .values(Some(old), Some(new))
        };
        match (a, b) {
            (Shape::Object(fa), Shape::Object(fb)) => self.diff_fields(fa, fb, changes),
            (
                Shape::Enum {
                    base: ba,
                    values: va,
                },
                Shape::Enum {
                    base: bb,
                    values: vb,
                },
            ) => {
                if ba != bb {
                    changes.push(kind_changed(
                        format!("kind: enum of {ba} -> enum of {bb}"),
                        ba.clone(),
                        bb.clone(),
                    ));
                }
                diff_enum(name, va, vb, changes);
            }
            (
                Shape::Other {
                    ty: ta,
                    nullable: na,
                    limits: la,
                },
                Shape::Other {
                    ty: tb,
                    nullable: nb,
                    limits: lb,
                },
            ) => {
                let (sa, sb) = (with_null(ta, *na), with_null(tb, *nb));
                if sa != sb {
                    changes.push(kind_changed(format!("type: {sa} -> {sb}"), sa, sb));
                } else {
                    diff_limits(name, "", la, lb, self.roles.is_request(name), changes);
                }
            }
            _ => changes.push(kind_changed(
                format!("kind: {} -> {}", a.kind(), b.kind()),
                a.kind(),
                b.kind(),
            )),
        }
    }

    fn diff_fields(
        &self,
        fa: &[(String, Field)],
        fb: &[(String, Field)],
        changes: &mut Vec<Change>,
    ) {
        let find = |list: &'_ [(String, Field)], n: &str| -> Option<Field> {
            list.iter().find(|(k, _)| k == n).map(|(_, f)| f.clone())
        };
        let request_only = self.roles.is_request_only(self.name);
        // New order first, then removed fields in old order.
        let mut names: Vec<&String> = fb.iter().map(|(n, _)| n).collect();
        names.extend(fa.iter().map(|(n, _)| n).filter(|n| find(fb, n).is_none()));
        for field in names {
            let path = format!("{}.{field}", self.name);
            let change = |rule: Rule, kind: ChangeKind, summary: String| {
                Change::new(rule, kind, path.clone(), summary)
            };
            match (find(fa, field), find(fb, field)) {
                (None, Some(f)) => {
                    // A new required field breaks every struct literal and, on a request type,
                    // every existing call; an optional one is a new `Option` field.
                    let rule = if f.required {
                        Rule::FieldAddedRequired
                    } else {
                        Rule::FieldAddedOptional
                    };
                    changes.push(
                        change(rule, ChangeKind::FieldAdded, field_line(field, &f))
                            .values(None, Some(with_null(&f.ty, f.nullable))),
                    );
                }
                (Some(f), None) => changes.push(
                    change(
                        Rule::FieldRemoved,
                        ChangeKind::FieldRemoved,
                        field_line(field, &f),
                    )
                    .values(Some(with_null(&f.ty, f.nullable)), None),
                ),
                (Some(a), Some(b)) => {
                    if a.ty != b.ty {
                        changes.push(
                            change(
                                Rule::FieldTypeChanged,
                                ChangeKind::FieldTypeChanged,
                                format!("field `{field}`: type {} -> {}", a.ty, b.ty),
                            )
                            .values(Some(a.ty.clone()), Some(b.ty.clone())),
                        );
                    }
                    if a.required != b.required {
                        let (ra, rb) = (req_word(a.required), req_word(b.required));
                        let rule = match (request_only, b.required) {
                            (true, true) => Rule::RequestFieldBecameRequired,
                            (true, false) => Rule::RequestFieldBecameOptional,
                            (false, true) => Rule::ResponseFieldBecameRequired,
                            (false, false) => Rule::ResponseFieldBecameOptional,
                        };
                        changes.push(
                            change(
                                rule,
                                ChangeKind::FieldRequiredChanged,
                                format!("field `{field}`: {ra} -> {rb}"),
                            )
                            .values(Some(ra.into()), Some(rb.into())),
                        );
                    }
                    if a.nullable != b.nullable {
                        let (na, nb) = (null_word(a.nullable), null_word(b.nullable));
                        let rule = match (request_only, b.nullable) {
                            (true, true) => Rule::RequestFieldBecameNullable,
                            (true, false) => Rule::RequestFieldBecameNotNullable,
                            (false, true) => Rule::ResponseFieldBecameNullable,
                            (false, false) => Rule::ResponseFieldBecameNotNullable,
                        };
                        changes.push(
                            change(
                                rule,
                                ChangeKind::FieldNullableChanged,
                                format!("field `{field}`: {na} -> {nb}"),
                            )
                            .values(Some(na.into()), Some(nb.into())),
                        );
                    }
                    if a.ty == b.ty {
                        diff_limits(
                            &path,
                            &format!("field `{field}`"),
                            &a.limits,
                            &b.limits,
                            self.roles.is_request(self.name),
                            changes,
                        );
                    }
                }
                (None, None) => {}
            }
        }
    }
}

fn field_line(name: &str, f: &Field) -> String {
    format!(
        "field `{name}`: {} ({})",
        with_null(&f.ty, f.nullable),
        req_word(f.required)
    )
}

fn value_line(v: &EnumValue) -> String {
    match &v.title {
        Some(t) => format!("value {t} = {}", v.value),
        None => format!("value {}", v.value),
    }
}

/// `Component.TITLE` (or the JSON value when the value has no title).
fn value_path(name: &str, v: &EnumValue) -> String {
    format!("{name}.{}", v.title.as_deref().unwrap_or(&v.value))
}

fn diff_enum(name: &str, va: &[EnumValue], vb: &[EnumValue], changes: &mut Vec<Change>) {
    // Entries pair as a multiset: first those equal in value and title, then the rest by value
    // (a rename). An enum may repeat a value under two titles; each old entry pairs once.
    let mut used = vec![false; va.len()];
    let mut unpaired = Vec::new();
    for b in vb {
        match (0..va.len()).find(|&i| !used[i] && va[i].value == b.value && va[i].title == b.title)
        {
            Some(i) => used[i] = true,
            None => unpaired.push(b),
        }
    }
    // A repeated value's extra titles are renames only when no title of that value survived:
    // `A = 1, B = 1` -> `A = 1, C = 1` is B renamed to C; `A = 1` -> `A = 1, B = 1` adds B.
    for b in unpaired {
        match (0..va.len()).find(|&i| !used[i] && va[i].value == b.value) {
            None => changes.push(
                Change::new(
                    Rule::EnumValueAdded,
                    ChangeKind::EnumValueAdded,
                    value_path(name, b),
                    value_line(b),
                )
                .values(None, Some(b.value.clone())),
            ),
            Some(i) => {
                used[i] = true;
                let a = &va[i];
                let show = |t: &Option<String>| t.clone().unwrap_or_else(|| "(none)".into());
                changes.push(
                    Change::new(
                        Rule::EnumValueRenamed,
                        ChangeKind::EnumValueRenamed,
                        value_path(name, a),
                        format!(
                            "value {}: renamed {} -> {}",
                            b.value,
                            show(&a.title),
                            show(&b.title)
                        ),
                    )
                    .values(a.title.clone(), b.title.clone()),
                );
            }
        }
    }
    // A value listed under several titles decodes to the first of them.
    let first = |vs: &[EnumValue], value: &str| -> Option<String> {
        vs.iter()
            .find(|v| v.value == value)
            .and_then(|v| v.title.clone())
    };
    let mut seen = BTreeSet::new();
    for b in vb {
        let repeated = vb.iter().filter(|x| x.value == b.value).count() > 1;
        if !repeated || !seen.insert(b.value.clone()) {
            continue;
        }
        let (fa, fb) = (first(va, &b.value), first(vb, &b.value));
        let known = va.iter().any(|a| a.value == b.value && a.title == fb);
        if let (Some(fa), Some(fb)) = (fa, fb) {
            if fa != fb && known {
                changes.push(
                    Change::new(
                        Rule::EnumRepeatedValueReordered,
                        ChangeKind::EnumValueRenamed,
                        format!("{name}.{fb}"),
                        format!(
                            "value {}: decodes as {fb}, was {fa} (the first of its titles wins)",
                            b.value
                        ),
                    )
                    .values(Some(fa), Some(fb)),
                );
            }
        }
    }
    for (a, used) in va.iter().zip(used) {
        if !used {
            changes.push(
                Change::new(
                    Rule::EnumValueRemoved,
                    ChangeKind::EnumValueRemoved,
                    value_path(name, a),
                    value_line(a),
                )
                .values(Some(a.value.clone()), None),
            );
        }
    }
}
#[cfg(test)]
mod enum_tests {
    use super::*;

    fn v(value: &str, title: &str) -> EnumValue {
        EnumValue {
            value: value.to_owned(),
            title: Some(title.to_owned()),
        }
    }

    fn rules(a: &[EnumValue], b: &[EnumValue]) -> Vec<Rule> {
        let mut changes = Vec::new();
        diff_enum("E", a, b, &mut changes);
        changes.into_iter().map(|c| c.rule).collect()
    }

    #[test]
    fn repeated_values_pair_as_a_multiset() {
        let twice = [v("1", "GUILD"), v("1", "GROUP_DM"), v("2", "FRIEND")];
        assert!(rules(&twice, &twice).is_empty());
        // Reordered: nothing added, removed or renamed, but 1 now decodes as GROUP_DM.
        let swapped = [v("1", "GROUP_DM"), v("1", "GUILD"), v("2", "FRIEND")];
        assert_eq!(rules(&twice, &swapped), [Rule::EnumRepeatedValueReordered]);
        // One of the repeats goes: a removal, not a rename.
        let once = [v("1", "GUILD"), v("2", "FRIEND")];
        assert_eq!(rules(&twice, &once), [Rule::EnumValueRemoved]);
        assert_eq!(rules(&once, &twice), [Rule::EnumValueAdded]);
        // A real rename is still one.
        let renamed = [v("1", "SERVER"), v("2", "FRIEND")];
        assert_eq!(rules(&once, &renamed), [Rule::EnumValueRenamed]);
        // Values that are not repeated may move freely.
        let moved = [v("2", "FRIEND"), v("1", "GUILD")];
        assert!(rules(&once, &moved).is_empty());
    }
}
