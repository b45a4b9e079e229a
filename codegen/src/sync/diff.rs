//! Step 2 of a sync: comparing two invite subsets, spec against spec.
//!
//! Every change gets a [`Rule`] (a stable id naming the change and, for fields, the direction:
//! a type that is only sent is a request type, anything read is a response type) and the
//! rule's default class. [`super::rust`] then looks at what the generator makes of both sides
//! and lowers a class where the Rust API does not change. The rules are listed in
//! `docs/UPDATING.md`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::report::{Change, ChangeKind, Class, OperationChanges, Report, TypeChanges};
use super::rules::Rule;
use super::shape::{
    self, is_lower_bound, resolve, schemas, shape_of, type_expr, EnumValue, Field, Shape,
};
use super::subset::{collect_refs, parse_ref, METHODS};

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

/// (method, path, operation, path item) for every operation, in path then method order.
pub(crate) fn operations(doc: &Value) -> Vec<(&'static str, &str, &Value, &Value)> {
    let mut out = Vec::new();
    if let Some(paths) = doc.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            for method in METHODS {
                if let Some(op) = item.get(method).filter(|op| op.is_object()) {
                    out.push((method, path.as_str(), op, item));
                }
            }
        }
    }
    out
}

pub(crate) fn op_title(method: &str, path: &str) -> String {
    format!("{} {path}", method.to_uppercase())
}

/// The operation's name in paths and ignore files: its `operationId`, else `GET /path`.
pub(crate) fn op_key(method: &str, path: &str, op: &Value) -> String {
    op.get("operationId")
        .and_then(Value::as_str)
        .map(str::to_owned)
        .unwrap_or_else(|| op_title(method, path))
}

fn diff_operations(old: &Value, new: &Value) -> Vec<OperationChanges> {
    let old_ops = operations(old);
    let new_ops = operations(new);
    let old_by_key: BTreeMap<String, _> =
        old_ops.iter().map(|o| (op_key(o.0, o.1, o.2), o)).collect();
    let new_keys: BTreeSet<String> = new_ops.iter().map(|o| op_key(o.0, o.1, o.2)).collect();

    // Ordered by the new spec's order, then removed ones in the old spec's order.
    let mut out: Vec<(String, OperationChanges)> = Vec::new();
    for (method, path, op, item) in &new_ops {
        let id = op
            .get("operationId")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let key = op_key(method, path, op);
        let title = op_title(method, path);
        let mut changes = Vec::new();
        match old_by_key.get(&key) {
            None => changes.push(Change::new(
                Rule::OperationAdded,
                ChangeKind::OperationAdded,
                key.clone(),
                String::new(),
            )),
            Some((o_method, o_path, o_op, o_item)) => {
                if o_method != method || o_path != path {
                    let was = op_title(o_method, o_path);
                    changes.push(
                        Change::new(
                            Rule::OperationRouteChanged,
                            ChangeKind::RouteChanged,
                            key.clone(),
                            format!("route: {was} -> {title}"),
                        )
                        .values(Some(was.clone()), Some(title.clone())),
                    );
                }
                let sides = OpSides {
                    old_doc: old,
                    new_doc: new,
                    old: (o_op, o_item),
                    new: (op, item),
                };
                diff_operation(&key, &sides, &mut changes);
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
        let key = op_key(method, path, op);
        if !new_keys.contains(&key) {
            out.push((
                format!("{path}\u{0}{}", method_rank(method)),
                OperationChanges {
                    operation: op_title(method, path),
                    operation_id: op
                        .get("operationId")
                        .and_then(Value::as_str)
                        .map(str::to_owned),
                    changes: vec![Change::new(
                        Rule::OperationRemoved,
                        ChangeKind::OperationRemoved,
                        key,
                        String::new(),
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
    let mut parts: Vec<String> = content_types(v)
        .into_iter()
        .map(|(ct, ty)| format!("{ct}: {ty}"))
        .collect();
    parts.sort();
    if parts.is_empty() {
        Some("no content".into())
    } else {
        Some(parts.join(", "))
    }
}

/// Content type → type expression of a request body or response.
fn content_types(v: &Value) -> BTreeMap<String, String> {
    content_schemas(v)
        .into_iter()
        .map(|(ct, schema)| {
            let (ty, nullable) = schema.map(type_expr).unwrap_or(("any".into(), false));
            (ct, with_null(&ty, nullable))
        })
        .collect()
}

/// Content type → schema of a request body or response.
fn content_schemas(v: &Value) -> BTreeMap<String, Option<&Value>> {
    v.get("content")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(ct, media)| (ct.clone(), media.get("schema")))
        .collect()
}

/// A schema that is a `oneOf`/`anyOf` of `$ref`s (and maybe `null`), at the top or as an
/// array's items: the schema with that list blanked out, and the referenced names. Two schemas
/// with the same blanked shape differ only in which models the union lists.
pub(crate) fn union_of_refs(schema: &Value) -> Option<(Value, BTreeSet<String>)> {
    fn find(v: &mut Value, depth: usize) -> Option<BTreeSet<String>> {
        let map = v.as_object_mut()?;
        for key in ["oneOf", "anyOf"] {
            let Some(alts) = map.get(key).and_then(Value::as_array) else {
                continue;
            };
            let mut refs = BTreeSet::new();
            let mut null = false;
            for a in alts {
                if a.get("type").and_then(Value::as_str) == Some("null") {
                    null = true;
                } else {
                    refs.insert(parse_ref(a.get("$ref")?.as_str()?)?.1);
                }
            }
            map.insert(key.into(), Value::String(format!("<union null={null}>")));
            return Some(refs);
        }
        if depth < 2 {
            return find(map.get_mut("items")?, depth + 1);
        }
        None
    }
    let mut skeleton = schema.clone();
    let refs = find(&mut skeleton, 0)?;
    (!refs.is_empty()).then_some((skeleton, refs))
}

/// Pushes one change per model added to or removed from a union; `false` when the two schemas
/// are not the same union shape (the caller then reports a type change).
fn diff_union(
    path: &str,
    what: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    rules: (Rule, Rule),
    changes: &mut Vec<Change>,
) -> bool {
    let (Some((sa, ra)), Some((sb, rb))) =
        (old.and_then(union_of_refs), new.and_then(union_of_refs))
    else {
        return false;
    };
    if sa != sb {
        return false;
    }
    // `old` and `new` carry the whole lists: the Rust view finds the union by them.
    let list = |s: &BTreeSet<String>| s.iter().cloned().collect::<Vec<_>>().join(" | ");
    let kind = if rules.0 == Rule::RequestBodyVariantAdded {
        ChangeKind::RequestBodyChanged
    } else {
        ChangeKind::ResponseChanged
    };
    for added in rb.difference(&ra) {
        changes.push(
            Change::new(
                rules.0,
                kind,
                format!("{path}.{added}"),
                format!("{what}: + {added}"),
            )
            .values(Some(list(&ra)), Some(list(&rb))),
        );
    }
    for removed in ra.difference(&rb) {
        changes.push(
            Change::new(
                rules.1,
                kind,
                format!("{path}.{removed}"),
                format!("{what}: - {removed}"),
            )
            .values(Some(list(&ra)), Some(list(&rb))),
        );
    }
    true
}

/// A new optional body is additive, a new required one breaking; a removed body or content
/// type, or a changed body type, is breaking; a new content type, or one more model in a JSON
/// body's `anyOf` (a variant of the `#[non_exhaustive]` body enum), is additive.
fn diff_request_body(
    key: &str,
    old: Option<&Value>,
    new: Option<&Value>,
    changes: &mut Vec<Change>,
) {
    let required = |b: &Value| b.get("required").and_then(Value::as_bool) == Some(true);
    let path = format!("{key}.request_body");
    match (old, new) {
        (None, None) => {}
        (None, Some(b)) => {
            let req = required(b);
            let summary = content_summary(Some(b)).unwrap_or_default();
            let rule = if req {
                Rule::RequestBodyAddedRequired
            } else {
                Rule::RequestBodyAddedOptional
            };
            changes.push(
                Change::new(
                    rule,
                    ChangeKind::RequestBodyChanged,
                    path,
                    format!("request body added ({}): {summary}", req_word(req)),
                )
                .values(None, Some(summary)),
            );
        }
        (Some(a), None) => {
            let summary = content_summary(Some(a)).unwrap_or_default();
            changes.push(
                Change::new(
                    Rule::RequestBodyRemoved,
                    ChangeKind::RequestBodyChanged,
                    path,
                    format!("request body removed (was {summary})"),
                )
                .values(Some(summary), None),
            );
        }
        (Some(a), Some(b)) => {
            let (ca, cb) = (content_types(a), content_types(b));
            let (sa, sb) = (content_schemas(a), content_schemas(b));
            let keys: BTreeSet<&String> = ca.keys().chain(cb.keys()).collect();
            for ct in keys {
                let (rule, summary) = match (ca.get(ct), cb.get(ct)) {
                    (None, Some(t)) => (
                        Rule::RequestBodyMediaTypeAdded,
                        format!("request body: {ct} added: {t}"),
                    ),
                    (Some(t), None) => (
                        Rule::RequestBodyMediaTypeRemoved,
                        format!("request body: {ct} removed (was {t})"),
                    ),
                    (Some(x), Some(y)) if x != y => {
                        let unions = diff_union(
                            &path,
                            &format!("request body {ct}"),
                            sa.get(ct).copied().flatten(),
                            sb.get(ct).copied().flatten(),
                            (
                                Rule::RequestBodyVariantAdded,
                                Rule::RequestBodyVariantRemoved,
                            ),
                            changes,
                        );
                        if unions {
                            continue;
                        }
                        (
                            Rule::RequestBodyTypeChanged,
                            format!("request body: {ct}: {x} -> {y}"),
                        )
                    }
                    _ => continue,
                };
                changes.push(
                    Change::new(rule, ChangeKind::RequestBodyChanged, path.clone(), summary)
                        .values(ca.get(ct).cloned(), cb.get(ct).cloned()),
                );
            }
            if required(a) != required(b) {
                let (ra, rb) = (req_word(required(a)), req_word(required(b)));
                let mut change = Change::new(
                    if required(b) {
                        Rule::RequestBodyBecameRequired
                    } else {
                        Rule::RequestBodyBecameOptional
                    },
                    ChangeKind::RequestBodyChanged,
                    path.clone(),
                    format!("request body: {ra} -> {rb}"),
                )
                .values(Some(ra.into()), Some(rb.into()));
                // A JSON body is an optional setter in Rust whether the spec requires it or
                // not; only a multipart file is ever a required argument.
                if !required(b) && !cb.keys().any(|ct| ct.starts_with("multipart/")) {
                    change.class = Class::Patch;
                    change.note = Some("the builder's JSON body is optional either way".into());
                }
                changes.push(change);
            }
        }
    }
}

/// The success response: (status, content), the lowest 2xx.
fn success(op: &Value) -> Option<(&String, &Value)> {
    let responses = op.get("responses")?.as_object()?;
    responses
        .iter()
        .filter(|(s, _)| s.starts_with('2'))
        .min_by(|a, b| a.0.cmp(b.0))
}

fn success_text(s: Option<(&String, &Value)>) -> Option<String> {
    let (status, resp) = s?;
    Some(format!("{status} {}", content_summary(Some(resp))?))
}

/// The success response: breaking when its status or type changes, except that a `oneOf` of
/// models gaining one is additive (the overlay union has an `Unknown` variant).
fn diff_response(key: &str, o_op: &Value, n_op: &Value, changes: &mut Vec<Change>) {
    let (a, b) = (success(o_op), success(n_op));
    let (ta, tb) = (success_text(a), success_text(b));
    if ta == tb {
        return;
    }
    let path = format!("{key}.response");
    if let (Some((status_a, ra)), Some((status_b, rb))) = (a, b) {
        let (sa, sb) = (content_schemas(ra), content_schemas(rb));
        if status_a == status_b && sa.keys().eq(sb.keys()) {
            let mut unions = Vec::new();
            let all_unions = sa.iter().all(|(ct, x)| {
                let y = sb.get(ct).copied().flatten();
                x.map(type_expr) == y.map(type_expr)
                    || diff_union(
                        &path,
                        &format!("response {ct}"),
                        *x,
                        y,
                        (
                            Rule::ResponseUnionVariantAdded,
                            Rule::ResponseUnionVariantRemoved,
                        ),
                        &mut unions,
                    )
            });
            if all_unions {
                // The same model under several content types counts once.
                for c in unions {
                    if !changes.iter().any(|x| x.path == c.path && x.rule == c.rule) {
                        changes.push(c);
                    }
                }
                return;
            }
        }
    }
    let show = |s: &Option<String>| s.clone().unwrap_or_else(|| "none".into());
    changes.push(
        Change::new(
            Rule::ResponseTypeChanged,
            ChangeKind::ResponseChanged,
            path,
            format!("response: {} -> {}", show(&ta), show(&tb)),
        )
        .values(ta, tb),
    );
}

/// Both sides of an operation that exists in both versions.
struct OpSides<'a> {
    old_doc: &'a Value,
    new_doc: &'a Value,
    /// (operation, path item)
    old: (&'a Value, &'a Value),
    new: (&'a Value, &'a Value),
}

fn diff_operation(key: &str, sides: &OpSides<'_>, changes: &mut Vec<Change>) {
    let before = changes.len();
    let (o_op, o_item) = sides.old;
    let (n_op, n_item) = sides.new;
    let op_params = params(sides.old_doc, o_op, o_item);
    let np = params(sides.new_doc, n_op, n_item);
    let keys: BTreeSet<&(String, String)> = op_params.keys().chain(np.keys()).collect();
    for k in keys {
        let label = format!("{} parameter `{}`", k.0, k.1);
        let path = format!("{key}.{}.{}", k.0, k.1);
        match (op_params.get(k), np.get(k)) {
            (None, Some(p)) => {
                let rule = if p.required {
                    Rule::RequestParameterAddedRequired
                } else {
                    Rule::RequestParameterAddedOptional
                };
                changes.push(
                    Change::new(
                        rule,
                        ChangeKind::ParameterAdded,
                        path,
                        format!(
                            "{label}: {} ({})",
                            with_null(&p.ty, p.nullable),
                            req_word(p.required)
                        ),
                    )
                    .values(None, Some(p.ty.clone())),
                );
            }
            (Some(p), None) => changes.push(
                Change::new(
                    Rule::RequestParameterRemoved,
                    ChangeKind::ParameterRemoved,
                    path,
                    format!("{label} removed"),
                )
                .values(Some(p.ty.clone()), None),
            ),
            (Some(a), Some(b)) => {
                let (ta, tb) = (with_null(&a.ty, a.nullable), with_null(&b.ty, b.nullable));
                let same_type = ta == tb;
                if !same_type {
                    changes.push(
                        Change::new(
                            Rule::RequestParameterTypeChanged,
                            ChangeKind::ParameterTypeChanged,
                            path.clone(),
                            format!("{label}: type {ta} -> {tb}"),
                        )
                        .values(Some(ta), Some(tb)),
                    );
                }
                if a.required != b.required {
                    let (ra, rb) = (req_word(a.required), req_word(b.required));
                    let rule = if b.required {
                        Rule::RequestParameterBecameRequired
                    } else {
                        Rule::RequestParameterBecameOptional
                    };
                    changes.push(
                        Change::new(
                            rule,
                            ChangeKind::ParameterRequiredChanged,
                            path.clone(),
                            format!("{label}: {ra} -> {rb}"),
                        )
                        .values(Some(ra.into()), Some(rb.into())),
                    );
                }
                // After a type change the old limits say nothing about the new type.
                if same_type {
                    diff_limits(&path, &label, &a.limits, &b.limits, true, changes);
                }
            }
            (None, None) => {}
        }
    }
    diff_request_body(
        key,
        o_op.get("requestBody"),
        n_op.get("requestBody"),
        changes,
    );
    diff_response(key, o_op, n_op, changes);
    if changes.len() == before
        && (o_op != n_op || o_item.get("parameters") != n_item.get("parameters"))
    {
        changes.push(Change::new(
            Rule::OperationAnnotationsChanged,
            ChangeKind::OtherChanged,
            key.to_owned(),
            "descriptions, error responses or security changed (method signature unchanged)".into(),
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

/// Compares limit maps. On request types a tightened limit is breaking (calls that passed now
/// fail validation) and a loosened one additive; on response-only types both are additive.
fn diff_limits(
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
