//! Step 2 of a sync: comparing two invite subsets.
//!
//! Classification (also in `docs/UPDATING.md`): a change is **breaking** when a public Rust
//! item changes shape or disappears, **additive** when something new appears and nothing that
//! compiled or decoded before stops doing so, **patch** when only docs/annotations change.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::report::{Change, ChangeKind, Class, OperationChanges, Report, TypeChanges};
use super::shape::{
    self, is_lower_bound, resolve, schemas, shape_of, type_expr, EnumValue, Field, Shape,
};
use super::subset::{collect_refs, parse_ref, METHODS};

/// Compares two invite subsets (old = pinned, new = freshly extracted).
///
/// Both must be subsets as produced by [`super::extract_subset`]; anything missing is treated as
/// empty, so this never fails. The report's version labels are left empty.
pub fn diff(old: &Value, new: &Value) -> Report {
    let requests = request_types(old)
        .union(&request_types(new))
        .cloned()
        .collect::<BTreeSet<_>>();
    let mut report = Report {
        operations: diff_operations(old, new),
        types: diff_types(old, new, &requests),
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
            report.types.push(TypeChanges {
                name: format!("{kind}/{name}"),
                changes: vec![change(
                    ChangeKind::OtherChanged,
                    Class::Patch,
                    format!("{summary} (no Rust type is generated from it)"),
                    None,
                    None,
                )],
            });
        }
    }
    report.finish();
    report
}

fn change(
    kind: ChangeKind,
    class: Class,
    summary: String,
    old: Option<String>,
    new: Option<String>,
) -> Change {
    Change {
        kind,
        class,
        summary,
        old,
        new,
    }
}

/// Schema names reachable from request bodies and parameters: where a tightened limit breaks
/// callers.
fn request_types(doc: &Value) -> BTreeSet<String> {
    let mut pending: Vec<String> = Vec::new();
    for (_, _, op, path_item) in operations(doc) {
        if let Some(body) = op.get("requestBody") {
            collect_refs(body, &mut |r| pending.push(r.to_owned()));
        }
        for params in [op.get("parameters"), path_item.get("parameters")]
            .into_iter()
            .flatten()
        {
            collect_refs(params, &mut |r| pending.push(r.to_owned()));
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

/// (method, path, operation, path item) for every operation, in path then method order.
fn operations(doc: &Value) -> Vec<(&'static str, &str, &Value, &Value)> {
    let mut out = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(op) = item.get(method) {
                    out.push((method, path.as_str(), op, item));
                }
            }
        }
    }
    out
}

fn op_title(method: &str, path: &str) -> String {
    format!("{} {path}", method.to_uppercase())
}

fn diff_operations(old: &Value, new: &Value) -> Vec<OperationChanges> {
    let key = |method: &str, path: &str, op: &Value| -> String {
        op.get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .unwrap_or_else(|| op_title(method, path))
    };
    let old_ops = operations(old);
    let new_ops = operations(new);
    let old_by_key: BTreeMap<String, _> = old_ops.iter().map(|o| (key(o.0, o.1, o.2), o)).collect();
    let new_keys: BTreeSet<String> = new_ops.iter().map(|o| key(o.0, o.1, o.2)).collect();

    // Ordered by the new spec's order, then removed ones in the old spec's order.
    let mut out: Vec<(String, OperationChanges)> = Vec::new();
    for (method, path, op, item) in &new_ops {
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let title = op_title(method, path);
        let mut changes = Vec::new();
        match old_by_key.get(&key(method, path, op)) {
            None => changes.push(change(
                ChangeKind::OperationAdded,
                Class::Additive,
                String::new(),
                None,
                None,
            )),
            Some((o_method, o_path, o_op, o_item)) => {
                if o_method != method || o_path != path {
                    let was = op_title(o_method, o_path);
                    changes.push(change(
                        ChangeKind::RouteChanged,
                        Class::Additive,
                        format!("route: {was} -> {title}"),
                        Some(was.clone()),
                        Some(title.clone()),
                    ));
                }
                diff_operation(old, new, (o_op, o_item), (op, item), &mut changes);
            }
        }
        if !changes.is_empty() {
            out.push((
                format!("{path}\u{0}{}", method_rank(method)),
                OperationChanges {
                    operation: title,
                    operation_id: id,
                    changes,
                },
            ));
        }
    }
    for (method, path, op, _) in &old_ops {
        if !new_keys.contains(&key(method, path, op)) {
            out.push((
                format!("{path}\u{0}{}", method_rank(method)),
                OperationChanges {
                    operation: op_title(method, path),
                    operation_id: op
                        .get("operationId")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    changes: vec![change(
                        ChangeKind::OperationRemoved,
                        Class::Breaking,
                        String::new(),
                        None,
                        None,
                    )],
                },
            ));
        }
    }
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out.into_iter().map(|(_, o)| o).collect()
}

fn method_rank(method: &str) -> usize {
    METHODS
        .iter()
        .position(|m| *m == method)
        .unwrap_or(METHODS.len())
}

#[derive(Debug, PartialEq)]
struct Param {
    required: bool,
    ty: String,
    nullable: bool,
    limits: BTreeMap<String, Value>,
}

/// Effective parameters: path-level ones overridden by operation-level ones, keyed by
/// (location, name).
fn params(doc: &Value, op: &Value, item: &Value) -> BTreeMap<(String, String), Param> {
    let mut out = BTreeMap::new();
    for list in [item.get("parameters"), op.get("parameters")]
        .into_iter()
        .flatten()
    {
        for p in list.as_array().into_iter().flatten() {
            let p = match p.get("$ref").and_then(Value::as_str) {
                Some(r) => match resolve(doc, r) {
                    Some(p) => p,
                    None => continue,
                },
                None => p,
            };
            let (Some(name), Some(location)) = (
                p.get("name").and_then(Value::as_str),
                p.get("in").and_then(Value::as_str),
            ) else {
                continue;
            };
            let schema = p.get("schema").cloned().unwrap_or(Value::Null);
            let (ty, nullable) = type_expr(&schema);
            out.insert(
                (location.to_owned(), name.to_owned()),
                Param {
                    required: p.get("required").and_then(Value::as_bool) == Some(true),
                    ty,
                    nullable,
                    limits: shape::limits(&schema),
                },
            );
        }
    }
    out
}

/// `content-type: type` lines of a request body or response (sorted), `None` if absent.
fn content_summary(v: Option<&Value>) -> Option<String> {
    let v = v?;
    let mut parts = Vec::new();
    for (ct, media) in v
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let (ty, nullable) = media
            .get("schema")
            .map(type_expr)
            .unwrap_or(("any".into(), false));
        let ty = if nullable { format!("{ty} | null") } else { ty };
        parts.push(format!("{ct}: {ty}"));
    }
    parts.sort();
    if parts.is_empty() {
        Some("no content".into())
    } else {
        Some(parts.join(", "))
    }
}

/// Content type → type expression of a request body or response.
fn content_types(v: &Value) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (ct, media) in v
        .get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let (ty, nullable) = media
            .get("schema")
            .map(type_expr)
            .unwrap_or(("any".into(), false));
        out.insert(ct.clone(), with_null(&ty, nullable));
    }
    out
}

/// A new optional body is additive, a new required one breaking (a new argument); a removed
/// body or content type, or a changed body type, is breaking; a new content type is additive.
fn diff_request_body(old: Option<&Value>, new: Option<&Value>, changes: &mut Vec<Change>) {
    let required = |b: &Value| b.get("required").and_then(Value::as_bool) == Some(true);
    match (old, new) {
        (None, None) => {}
        (None, Some(b)) => {
            let req = required(b);
            let summary = content_summary(Some(b)).unwrap_or_default();
            changes.push(change(
                ChangeKind::RequestBodyChanged,
                if req {
                    Class::Breaking
                } else {
                    Class::Additive
                },
                format!("request body added ({}): {summary}", req_word(req)),
                None,
                Some(summary),
            ));
        }
        (Some(a), None) => {
            let summary = content_summary(Some(a)).unwrap_or_default();
            changes.push(change(
                ChangeKind::RequestBodyChanged,
                Class::Breaking,
                format!("request body removed (was {summary})"),
                Some(summary),
                None,
            ));
        }
        (Some(a), Some(b)) => {
            let (ca, cb) = (content_types(a), content_types(b));
            let keys: BTreeSet<&String> = ca.keys().chain(cb.keys()).collect();
            for ct in keys {
                let (class, summary) = match (ca.get(ct), cb.get(ct)) {
                    (None, Some(t)) => (Class::Additive, format!("request body: {ct} added: {t}")),
                    (Some(t), None) => (
                        Class::Breaking,
                        format!("request body: {ct} removed (was {t})"),
                    ),
                    (Some(x), Some(y)) if x != y => {
                        (Class::Breaking, format!("request body: {ct}: {x} -> {y}"))
                    }
                    _ => continue,
                };
                changes.push(change(
                    ChangeKind::RequestBodyChanged,
                    class,
                    summary,
                    ca.get(ct).cloned(),
                    cb.get(ct).cloned(),
                ));
            }
            if required(a) != required(b) {
                let (ra, rb) = (req_word(required(a)), req_word(required(b)));
                changes.push(change(
                    ChangeKind::RequestBodyChanged,
                    Class::Breaking,
                    format!("request body: {ra} -> {rb}"),
                    Some(ra.into()),
                    Some(rb.into()),
                ));
            }
        }
    }
}

/// The success response: its status and content.
fn success(op: &Value) -> Option<String> {
    let responses = op.get("responses")?.as_object()?;
    let (status, resp) = responses
        .iter()
        .filter(|(s, _)| s.starts_with('2'))
        .min_by(|a, b| a.0.cmp(b.0))?;
    Some(format!("{status} {}", content_summary(Some(resp))?))
}

fn diff_operation(
    old_doc: &Value,
    new_doc: &Value,
    (o_op, o_item): (&Value, &Value),
    (n_op, n_item): (&Value, &Value),
    changes: &mut Vec<Change>,
) {
    let before = changes.len();
    let op_params = params(old_doc, o_op, o_item);
    let np = params(new_doc, n_op, n_item);
    let keys: BTreeSet<&(String, String)> = op_params.keys().chain(np.keys()).collect();
    for k in keys {
        let label = format!("{} parameter `{}`", k.0, k.1);
        match (op_params.get(k), np.get(k)) {
            (None, Some(p)) => {
                let class = if p.required {
                    Class::Breaking
                } else {
                    Class::Additive
                };
                let req = if p.required { "required" } else { "optional" };
                changes.push(change(
                    ChangeKind::ParameterAdded,
                    class,
                    format!("{label}: {} ({req})", with_null(&p.ty, p.nullable)),
                    None,
                    Some(p.ty.clone()),
                ));
            }
            (Some(p), None) => changes.push(change(
                ChangeKind::ParameterRemoved,
                Class::Breaking,
                format!("{label} removed"),
                Some(p.ty.clone()),
                None,
            )),
            (Some(a), Some(b)) => {
                let (ta, tb) = (with_null(&a.ty, a.nullable), with_null(&b.ty, b.nullable));
                let same_type = ta == tb;
                if !same_type {
                    changes.push(change(
                        ChangeKind::ParameterTypeChanged,
                        Class::Breaking,
                        format!("{label}: type {ta} -> {tb}"),
                        Some(ta),
                        Some(tb),
                    ));
                }
                if a.required != b.required {
                    let (ra, rb) = (req_word(a.required), req_word(b.required));
                    changes.push(change(
                        ChangeKind::ParameterRequiredChanged,
                        Class::Breaking,
                        format!("{label}: {ra} -> {rb}"),
                        Some(ra.into()),
                        Some(rb.into()),
                    ));
                }
                // After a type change the old limits say nothing about the new type.
                if same_type {
                    diff_limits(&label, &a.limits, &b.limits, true, changes);
                }
            }
            (None, None) => {}
        }
    }
    diff_request_body(o_op.get("requestBody"), n_op.get("requestBody"), changes);
    let (sa, sb) = (success(o_op), success(n_op));
    if sa != sb {
        let show = |s: &Option<String>| s.clone().unwrap_or_else(|| "none".into());
        changes.push(change(
            ChangeKind::ResponseChanged,
            Class::Breaking,
            format!("response: {} -> {}", show(&sa), show(&sb)),
            sa.clone(),
            sb.clone(),
        ));
    }
    if changes.len() == before
        && (o_op != n_op || o_item.get("parameters") != n_item.get("parameters"))
    {
        changes.push(change(
            ChangeKind::OtherChanged,
            Class::Patch,
            "descriptions, error responses or security changed (method signature unchanged)".into(),
            None,
            None,
        ));
    }
}

fn with_null(ty: &str, nullable: bool) -> String {
    if nullable {
        format!("{ty} | null")
    } else {
        ty.to_owned()
    }
}

fn req_word(required: bool) -> &'static str {
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

fn number(v: &Value) -> Option<f64> {
    v.as_f64()
}

/// Compares limit maps. On request types a tightened limit is breaking (calls that passed now
/// fail validation) and a loosened one additive; on response-only types both are additive.
fn diff_limits(
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
            (Some(x), Some(y)) => match (number(x), number(y)) {
                (Some(x), Some(y)) if (lower && y > x) || (!lower && y < x) => (true, "tightened"),
                (Some(_), Some(_)) => (false, "loosened"),
                _ => (true, "changed"),
            },
        };
        let class = if is_request && tightened {
            Class::Breaking
        } else {
            Class::Additive
        };
        let show = |v: Option<&Value>| v.map(Value::to_string).unwrap_or_else(|| "none".into());
        let (sa, sb) = (show(va), show(vb));
        let side = if is_request { "" } else { ", response only" };
        let prefix = if label.is_empty() {
            String::new()
        } else {
            format!("{label}: ")
        };
        changes.push(change(
            ChangeKind::LimitChanged,
            class,
            format!("{prefix}{k} {sa} -> {sb} ({verb}{side})"),
            Some(sa),
            Some(sb),
        ));
    }
}

fn diff_types(old: &Value, new: &Value, requests: &BTreeSet<String>) -> Vec<TypeChanges> {
    let empty = serde_json::Map::new();
    let os = schemas(old).unwrap_or(&empty);
    let ns = schemas(new).unwrap_or(&empty);
    let names: BTreeSet<&String> = os.keys().chain(ns.keys()).collect();
    let mut out = Vec::new();
    for name in names {
        let mut changes = Vec::new();
        match (os.get(name), ns.get(name)) {
            (None, Some(s)) => changes.push(change(
                ChangeKind::TypeAdded,
                Class::Additive,
                shape_of(new, s).describe(),
                None,
                None,
            )),
            (Some(s), None) => changes.push(change(
                ChangeKind::TypeRemoved,
                Class::Breaking,
                shape_of(old, s).describe(),
                None,
                None,
            )),
            (Some(a), Some(b)) => {
                let is_request = requests.contains(name.as_str());
                diff_shapes(
                    &shape_of(old, a),
                    &shape_of(new, b),
                    is_request,
                    &mut changes,
                );
                if changes.is_empty() && a != b {
                    changes.push(change(
                        ChangeKind::OtherChanged,
                        Class::Patch,
                        "descriptions or annotations changed (Rust type unchanged)".into(),
                        None,
                        None,
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

fn diff_shapes(a: &Shape, b: &Shape, is_request: bool, changes: &mut Vec<Change>) {
    match (a, b) {
        (Shape::Object(fa), Shape::Object(fb)) => diff_fields(fa, fb, is_request, changes),
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
                changes.push(change(
                    ChangeKind::TypeKindChanged,
                    Class::Breaking,
                    format!("kind: enum of {ba} -> enum of {bb}"),
                    Some(ba.clone()),
                    Some(bb.clone()),
                ));
            }
            diff_enum(va, vb, changes);
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
                changes.push(change(
                    ChangeKind::TypeKindChanged,
                    Class::Breaking,
                    format!("type: {sa} -> {sb}"),
                    Some(sa),
                    Some(sb),
                ));
            } else {
                diff_limits("", la, lb, is_request, changes);
            }
        }
        _ => changes.push(change(
            ChangeKind::TypeKindChanged,
            Class::Breaking,
            format!("kind: {} -> {}", a.kind(), b.kind()),
            Some(a.kind()),
            Some(b.kind()),
        )),
    }
}

fn field_line(name: &str, f: &Field) -> String {
    format!(
        "field `{name}`: {} ({})",
        with_null(&f.ty, f.nullable),
        req_word(f.required)
    )
}

fn diff_fields(
    fa: &[(String, Field)],
    fb: &[(String, Field)],
    is_request: bool,
    changes: &mut Vec<Change>,
) {
    let find = |list: &'_ [(String, Field)], n: &str| -> Option<Field> {
        list.iter().find(|(k, _)| k == n).map(|(_, f)| f.clone())
    };
    // New order first, then removed fields in old order.
    let mut names: Vec<&String> = fb.iter().map(|(n, _)| n).collect();
    names.extend(fa.iter().map(|(n, _)| n).filter(|n| find(fb, n).is_none()));
    for name in names {
        match (find(fa, name), find(fb, name)) {
            (None, Some(f)) => {
                // A new required field breaks every struct literal and, on a request type,
                // every existing call; an optional one is a new `Option` field.
                let class = if f.required {
                    Class::Breaking
                } else {
                    Class::Additive
                };
                changes.push(change(
                    ChangeKind::FieldAdded,
                    class,
                    field_line(name, &f),
                    None,
                    Some(with_null(&f.ty, f.nullable)),
                ));
            }
            (Some(f), None) => changes.push(change(
                ChangeKind::FieldRemoved,
                Class::Breaking,
                field_line(name, &f),
                Some(with_null(&f.ty, f.nullable)),
                None,
            )),
            (Some(a), Some(b)) => {
                if a.ty != b.ty {
                    changes.push(change(
                        ChangeKind::FieldTypeChanged,
                        Class::Breaking,
                        format!("field `{name}`: type {} -> {}", a.ty, b.ty),
                        Some(a.ty.clone()),
                        Some(b.ty.clone()),
                    ));
                }
                if a.required != b.required {
                    let (ra, rb) = (req_word(a.required), req_word(b.required));
                    changes.push(change(
                        ChangeKind::FieldRequiredChanged,
                        Class::Breaking,
                        format!("field `{name}`: {ra} -> {rb}"),
                        Some(ra.into()),
                        Some(rb.into()),
                    ));
                }
                if a.nullable != b.nullable {
                    let (na, nb) = (null_word(a.nullable), null_word(b.nullable));
                    changes.push(change(
                        ChangeKind::FieldNullableChanged,
                        Class::Breaking,
                        format!("field `{name}`: {na} -> {nb}"),
                        Some(na.into()),
                        Some(nb.into()),
                    ));
                }
                if a.ty == b.ty {
                    diff_limits(
                        &format!("field `{name}`"),
                        &a.limits,
                        &b.limits,
                        is_request,
                        changes,
                    );
                }
            }
            (None, None) => {}
        }
    }
}

fn value_line(v: &EnumValue) -> String {
    match &v.title {
        Some(t) => format!("value {t} = {}", v.value),
        None => format!("value {}", v.value),
    }
}

fn diff_enum(va: &[EnumValue], vb: &[EnumValue], changes: &mut Vec<Change>) {
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
    for b in unpaired {
        match (0..va.len()).find(|&i| !used[i] && va[i].value == b.value) {
            None => changes.push(change(
                ChangeKind::EnumValueAdded,
                Class::Additive,
                value_line(b),
                None,
                Some(b.value.clone()),
            )),
            Some(i) => {
                used[i] = true;
                let a = &va[i];
                let show = |t: &Option<String>| t.clone().unwrap_or_else(|| "(none)".into());
                changes.push(change(
                    ChangeKind::EnumValueRenamed,
                    Class::Breaking,
                    format!(
                        "value {}: renamed {} -> {}",
                        b.value,
                        show(&a.title),
                        show(&b.title)
                    ),
                    a.title.clone(),
                    b.title.clone(),
                ));
            }
        }
    }
    for (a, used) in va.iter().zip(used) {
        if !used {
            changes.push(change(
                ChangeKind::EnumValueRemoved,
                Class::Breaking,
                value_line(a),
                Some(a.value.clone()),
                None,
            ));
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

    fn kinds(a: &[EnumValue], b: &[EnumValue]) -> Vec<ChangeKind> {
        let mut changes = Vec::new();
        diff_enum(a, b, &mut changes);
        changes.into_iter().map(|c| c.kind).collect()
    }

    #[test]
    fn repeated_values_pair_as_a_multiset() {
        let twice = [v("1", "GUILD"), v("1", "GROUP_DM"), v("2", "FRIEND")];
        assert!(kinds(&twice, &twice).is_empty());
        // Order does not matter.
        let swapped = [v("1", "GROUP_DM"), v("1", "GUILD"), v("2", "FRIEND")];
        assert!(kinds(&twice, &swapped).is_empty());
        // One of the repeats goes: a removal, not a rename.
        let once = [v("1", "GUILD"), v("2", "FRIEND")];
        assert_eq!(kinds(&twice, &once), [ChangeKind::EnumValueRemoved]);
        assert_eq!(kinds(&once, &twice), [ChangeKind::EnumValueAdded]);
        // A real rename is still one.
        let renamed = [v("1", "SERVER"), v("2", "FRIEND")];
        assert_eq!(kinds(&once, &renamed), [ChangeKind::EnumValueRenamed]);
    }
}
